"""How long a backup takes and how big it is, for a database with 100,000 users and 100,000
applications (each with an answer and a consent), plus the example task files.

Times the parts (SQLite's online backup, `PRAGMA integrity_check`) and the whole
`python -m bot backup` work (copy, check, .tar), once on an idle database and once while a
writer commits small transactions as the bot would; then the checks and swap of a restore.

    .venv/bin/python bench/backup.py
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.admin_cli import import_vacancies
from bot.backup import create_backup, restore_backup
from bot.config import Settings
from storage.backup import check_database, online_backup

USERS = 100_000
ROOT = Path(__file__).resolve().parents[1]


def seed(database: Path) -> None:
    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    conn = sqlite3.connect(database)
    with conn:
        conn.executemany(
            "INSERT INTO users (platform, external_id, locale, first_name, first_seen, "
            "last_seen) VALUES (?, ?, 'ru', 'Кандидат', ?, ?)",
            ((("tg" if n % 3 else "vk"), 10_000 + n, stamp, stamp) for n in range(USERS)),
        )
        vacancies = [row[0] for row in conn.execute("SELECT id FROM vacancies")]
        conn.executemany(
            "INSERT INTO applications (vacancy_id, user_id, status, issued_at, deadline_at, "
            "submitted_at, source) VALUES (?, ?, 'submitted', ?, ?, ?, 'tg_channel')",
            ((vacancies[n % len(vacancies)], n + 1, stamp, stamp, stamp) for n in range(USERS)),
        )
        conn.executemany(
            "INSERT INTO answers (application_id, kind, text, created_at) VALUES (?, 'text', ?, ?)",
            (
                (n + 1, f"Ответ кандидата {n}: https://github.com/candidate{n}/task", stamp)
                for n in range(USERS)
            ),
        )
        conn.executemany(
            "INSERT INTO consents (user_id, kind, version, text_sha256, accepted_at) "
            "VALUES (?, 'answers', '1', ?, ?)",
            ((n + 1, f"{n:064x}", stamp) for n in range(USERS)),
        )
    conn.close()


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def writer(database: Path, stop: threading.Event, commits: list[tuple[float, float]]) -> None:
    """Small write transactions, like the bot's, while the backup runs: (end, seconds) each."""
    conn = sqlite3.connect(database, isolation_level=None, timeout=10)
    conn.execute("PRAGMA journal_mode = WAL")
    n = 0
    while not stop.is_set():
        began = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO runtime_state (key, value) VALUES (?, 'x') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f"bench.{n % 1000}",),
        )
        conn.execute("COMMIT")
        ended = time.perf_counter()
        commits.append((ended, ended - began))
        n += 1
    conn.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = work / "data" / "bot.sqlite3"
        settings = Settings(_env_file=None, database_path=database)  # type: ignore[call-arg]
        started = time.perf_counter()
        asyncio.run(import_vacancies(settings, ROOT / "examples" / "vacancies.toml"))
        seed(database)
        print(
            f"seeded {USERS:,} users and {USERS:,} applications in "
            f"{time.perf_counter() - started:.1f} s; database {mb(database.stat().st_size)}"
        )

        now = datetime.now(UTC)
        started = time.perf_counter()
        online_backup(database, work / "copy.sqlite3")
        copy_time = time.perf_counter() - started
        started = time.perf_counter()
        check_database(work / "copy.sqlite3")
        check_time = time.perf_counter() - started
        print(f"online backup API copy: {copy_time:.2f} s; integrity_check: {check_time:.2f} s")

        started = time.perf_counter()
        idle = create_backup(database, work / "idle.tar", now)
        idle_time = time.perf_counter() - started
        print(
            f"backup, idle database: {idle_time:.2f} s, {mb(idle.size)} .tar "
            f"({mb(idle.database_size)} database, {idle.files} files)"
        )

        stop, commits = threading.Event(), []
        thread = threading.Thread(target=writer, args=(database, stop, commits))
        thread.start()
        time.sleep(0.5)
        started = time.perf_counter()
        busy = create_backup(database, work / "busy.tar", now)
        ended = time.perf_counter()
        stop.set()
        thread.join()
        during = [took for at, took in commits if started <= at <= ended]
        print(
            f"backup while a writer commits: {ended - started:.2f} s, {mb(busy.size)} .tar; "
            f"{len(during):,} write transactions committed during it, the slowest in "
            f"{max(during) * 1000:.1f} ms"
        )

        started = time.perf_counter()
        restore_backup(idle.path, work / "restored" / "bot.sqlite3", now)
        print(f"restore (unpack, integrity check, swap): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
