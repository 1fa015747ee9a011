"""Backups and restore on real files: a consistent copy while writes go on, the checks a restore
makes, daily rotation and failures, and migrations that fail without changing anything."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import tarfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import open_app
from bot.backup import (
    BackupError,
    DailyBackup,
    DatabaseLocked,
    ProcessLock,
    create_backup,
    restore_backup,
    rotate,
    sweep,
)
from bot.domain import Platform
from storage.backup import check_database, known_schema
from storage.database import Database, MigrationError, migrations
from storage.runtime_state import SqliteRuntimeState
from tests.conftest import make_settings
from tests.harness import MovableClock

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
STAMP = NOW.isoformat()


def dump(path: Path) -> tuple[int, list[str]]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return version, list(conn.iterdump())
    finally:
        conn.close()


def unpack_database(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", into, filter="data")
    return into / "database.sqlite3"


async def add_user(db: Database, n: int) -> None:
    """One transaction: a user and an audit row about it (a snapshot has both or neither)."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (platform, external_id, locale, first_seen, last_seen) "
            "VALUES ('tg', ?, 'ru', ?, ?)",
            (n, STAMP, STAMP),
        )
        await conn.execute(
            "INSERT INTO audit_log (actor, action, target, created_at) VALUES ('cli', 'x', ?, ?)",
            (str(n), STAMP),
        )


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "data" / "bot.sqlite3")
    await database.connect()
    yield database  # type: ignore[misc]
    await database.close()


async def test_backup_while_writes_go_on_is_one_consistent_snapshot(
    db: Database, tmp_path: Path
) -> None:
    for n in range(2000):
        await add_user(db, n)
    files = db.path.parent / "task-files" / "barista"
    files.mkdir(parents=True)
    (files / "brief.md").write_text("Сварите эспрессо", encoding="utf-8")

    stop = asyncio.Event()
    written = 2000

    async def keep_writing() -> None:
        nonlocal written
        while not stop.is_set():
            await add_user(db, written)
            written += 1

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0)  # the writer is going
    info = await asyncio.to_thread(create_backup, db.path, tmp_path / "b" / "one.tar", NOW)
    await add_user(db, -1)  # the bot's connection still writes after the backup
    stop.set()
    await writer

    assert info.schema == known_schema() and info.files == 1 and info.size > info.database_size
    with tarfile.open(info.path) as tar:
        names = tar.getnames()
    assert names == ["manifest.json", "database.sqlite3", "task-files/barista/brief.md"]
    copy = unpack_database(info.path, tmp_path / "out")
    assert check_database(copy) == known_schema()
    conn = sqlite3.connect(copy)
    users = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
    audits = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one plain file
    conn.close()
    assert users == audits and 2000 <= users < written + 1
    assert not list((tmp_path / "b").glob("*.partial")) and not list((tmp_path / "b").glob(".*"))


async def test_restore_checks_the_file_and_changes_nothing_when_it_fails(
    db: Database, tmp_path: Path
) -> None:
    await add_user(db, 1)
    good = create_backup(db.path, tmp_path / "good.tar", NOW)
    await db.close()
    before = dump(db.path)

    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"not a backup at all" * 100)
    corrupt = tmp_path / "corrupt.sqlite3"
    unpack_database(good.path, tmp_path / "c").rename(corrupt)
    with corrupt.open("r+b") as file:  # damage a b-tree page, keep the header
        file.seek(4096 * 2)
        file.write(b"\xff" * 4096)
    newer = tmp_path / "newer.sqlite3"
    unpack_database(good.path, tmp_path / "n").rename(newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {known_schema() + 1}")
    conn.close()
    evil = tmp_path / "evil.tar"
    with tarfile.open(evil, "w") as tar:
        tar.add(corrupt, arcname="database.sqlite3")
        tar.add(corrupt, arcname="../outside.sqlite3")

    reasons = {}
    for name, path in [
        ("garbage", garbage),
        ("corrupt", corrupt),
        ("newer", newer),
        ("evil", evil),
    ]:
        with pytest.raises(BackupError) as refused:
            restore_backup(path, db.path, NOW)
        reasons[name] = str(refused.value)
    assert "neither an hr-bot backup" in reasons["garbage"]
    assert "integrity check" in reasons["corrupt"] or "cannot be read" in reasons["corrupt"]
    assert f"schema {known_schema() + 1}, newer than this hr-bot" in reasons["newer"]
    assert "unexpected entry '../outside.sqlite3'" in reasons["evil"]
    assert dump(db.path) == before
    assert not (tmp_path / "outside.sqlite3").exists()
    assert sorted(p.name for p in db.path.parent.iterdir()) == ["bot.sqlite3", "bot.sqlite3.lock"]


async def test_restore_keeps_the_current_data_aside_and_relocates_file_paths(
    tmp_path: Path,
) -> None:
    first = make_settings(tmp_path, database_path=tmp_path / "old" / "bot.sqlite3")
    async with open_app(first) as app, app.db.transaction() as conn:
        brief = first.database_path.parent / "task-files" / "barista" / "brief.md"
        brief.parent.mkdir(parents=True)
        brief.write_text("Сварите эспрессо", encoding="utf-8")
        await conn.execute(
            "INSERT INTO vacancies (slug, title, project, employment, requirements, duties, "
            "offer, contacts, task_text, task_file, task_file_name, deadline_days, status, "
            "created_at, updated_at) VALUES ('barista', 'Бариста', 'coffee', '', '', '', '', "
            "'', 'Эспрессо', ?, 'brief.md', 3, 'open', ?, ?)",
            (str(brief.resolve()), STAMP, STAMP),
        )
    info = create_backup(first.database_path, tmp_path / "backup.tar", NOW)

    target = tmp_path / "new" / "bot.sqlite3"  # another machine, another data folder
    target.parent.mkdir()
    target.write_bytes(b"the database being replaced")
    (target.parent / "media").mkdir()
    result = restore_backup(info.path, target, NOW)

    assert result.files == 1 and result.relocated == 1 and result.schema == known_schema()
    assert result.aside is not None and result.aside.parent == target.parent
    assert (result.aside / "bot.sqlite3").read_bytes() == b"the database being replaced"
    assert (target.parent / "media").is_dir()  # not in the backup: left where it was
    assert sorted(path.name for path in result.aside.iterdir()) == ["bot.sqlite3"]
    conn = sqlite3.connect(target)
    (stored,) = conn.execute("SELECT task_file FROM vacancies").fetchone()
    conn.close()
    assert stored == str((target.parent / "task-files" / "barista" / "brief.md").resolve())
    assert Path(stored).read_text(encoding="utf-8") == "Сварите эспрессо"

    # a bare database file (say, from `litestream restore`) replaces the database only
    bare = unpack_database(info.path, tmp_path / "bare")
    again = restore_backup(bare, target, NOW)
    assert again.files == 0 and again.aside is not None
    assert sorted(path.name for path in again.aside.iterdir()) == ["bot.sqlite3"]
    assert (target.parent / "task-files" / "barista" / "brief.md").is_file()


async def test_restore_refused_while_the_lock_is_held(db: Database, tmp_path: Path) -> None:
    info = create_backup(db.path, tmp_path / "b.tar", NOW)
    with ProcessLock(db.path), pytest.raises(DatabaseLocked) as refused:
        restore_backup(info.path, db.path, NOW)
    assert "hr-bot is running on this database" in str(refused.value)
    restore_backup(info.path, db.path, NOW)  # free again once the holder lets go


def test_rotation_keeps_the_newest_daily_backups_only(tmp_path: Path) -> None:
    names = [f"hr-bot-202611{day:02d}-030000-daily.tar" for day in range(1, 11)]
    names += ["hr-bot-20261101-120000-manual.tar", "hr-bot-20261101-120000-before-schema-9.tar"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = rotate(tmp_path, 7)
    assert [path.name for path in removed] == names[:3]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names[3:])


def test_leftovers_of_an_interrupted_backup_are_swept_a_day_later(tmp_path: Path) -> None:
    old_partial = tmp_path / "hr-bot-20261101-030000-daily.tar.partial"
    old_work = tmp_path / ".hr-bot-backup-abc"
    fresh_partial = tmp_path / "hr-bot-20261123-030000-manual.tar.partial"  # being written
    old_partial.write_bytes(b"x")
    old_work.mkdir()
    (old_work / "database.sqlite3").write_bytes(b"x")
    fresh_partial.write_bytes(b"x")
    day_ago = time.time() - 25 * 3600
    for path in (old_partial, old_work):
        os.utime(path, (day_ago, day_ago))
    assert sorted(sweep(tmp_path)) == sorted([old_partial, old_work])
    assert [path.name for path in tmp_path.iterdir()] == [fresh_partial.name]


async def test_daily_backup_failure_is_logged_and_tried_again_the_next_day(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    clock = MovableClock()
    daily = DailyBackup(db.path, blocker / "backups", 2, clock, SqliteRuntimeState(db))
    caplog.set_level(logging.INFO, logger="bot.backup")

    assert await daily.run() is None  # failed: logged, not raised
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "daily backup" in errors[0].getMessage()
    assert "next try tomorrow" in errors[0].getMessage()
    clock.now += timedelta(hours=5)
    assert await daily.run() is None  # not again the same day
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1

    blocker.unlink()
    clock.now += timedelta(days=1)
    made = await daily.run()
    assert made is not None and made.path.parent == blocker / "backups"
    assert any("daily backup written" in r.getMessage() for r in caplog.records)
    for _ in range(3):
        clock.now += timedelta(days=1)
        assert await daily.run() is not None
    assert len(list((blocker / "backups").glob("*-daily.tar"))) == 2  # BACKUP_KEEP

    again = DailyBackup(db.path, blocker / "backups", 2, clock, SqliteRuntimeState(db))
    assert await again.run() is None  # a restart the same day: the day is in the database


def block_last_migration(conn: sqlite3.Connection) -> None:
    """Make the newest migration fail: an object of the name it creates stands in its way, or,
    when it creates nothing, the table it changes is missing."""
    sql = migrations()[-1][2]
    created = re.findall(r"CREATE (?:UNIQUE )?(TABLE|INDEX) (\w+)", sql)
    if created:
        kind, name = created[0]
        conn.execute(
            f"CREATE TABLE {name} (x)" if kind == "TABLE" else f"CREATE INDEX {name} ON users (id)"
        )
        return
    (name,) = re.findall(r"(?:UPDATE|ALTER TABLE) (\w+)", sql)[:1]
    conn.execute(f"DROP TABLE {name}")


async def make_old_database(path: Path, version: int) -> None:
    """A database at an older schema (every migration up to number `version`), with data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    for number, _, sql in migrations():
        if number <= version:
            conn.executescript(sql)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "INSERT INTO users (platform, external_id, locale, first_seen, last_seen) "
        "VALUES ('tg', 501, 'ru', ?, ?)",
        (STAMP, STAMP),
    )
    conn.commit()
    conn.close()


async def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    last = migrations()[-1][0]
    previous = migrations()[-2][0]
    path = tmp_path / "data" / "bot.sqlite3"
    await make_old_database(path, previous)
    conn = sqlite3.connect(path)
    block_last_migration(conn)
    conn.commit()
    conn.close()
    before = dump(path)

    settings = make_settings(tmp_path, database_path=path)
    with pytest.raises(MigrationError) as failed:
        async with open_app(settings):
            pass
    message = str(failed.value)
    assert dump(path) == before  # not even the columns the migration added first are left
    backups = list(settings.backups_dir.glob(f"hr-bot-*-before-schema-{last}.tar"))
    assert len(backups) == 1
    assert message.startswith(f"Migration {migrations()[-1][1]} failed (OperationalError")
    assert f"at schema {previous}" in message and str(backups[0]) in message
    assert "\n" not in message
    copy = unpack_database(backups[0], tmp_path / "copy")
    assert check_database(copy) == previous and dump(copy)[1] == before[1]


async def test_migrations_back_up_a_database_with_data_first(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    await make_old_database(path, 5)
    settings = make_settings(tmp_path, database_path=path)
    async with open_app(settings) as app:
        user = await app.services.users.find(Platform.TELEGRAM, 501)
        assert user is not None  # the data came through every migration
    (backup,) = settings.backups_dir.glob("hr-bot-*.tar")
    assert backup.name.endswith(f"-before-schema-{known_schema()}.tar")
    assert check_database(unpack_database(backup, tmp_path / "c")) == 5
    fresh = make_settings(tmp_path, database_path=tmp_path / "fresh" / "bot.sqlite3")
    async with open_app(fresh):
        pass  # a new, empty database needs no backup
    assert not fresh.backups_dir.exists()


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    await make_old_database(path, known_schema())
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {known_schema() + 3}")
    conn.close()
    with pytest.raises(MigrationError, match=r"newer than this hr-bot knows"):
        async with open_app(make_settings(tmp_path, database_path=path)):
            pass


async def test_migration_12_moves_slot_times_typed_in_moscow_time_to_utc(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    await make_old_database(path, 11)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO interview_slots (starts_at, ends_at, duration, format, interviewer, "
        "created_at) VALUES ('2026-12-03T10:00:00+03:00', '2026-12-03T10:45:00+03:00', 45, "
        "'phone', 'Ольга', ?)",
        (STAMP,),
    )
    conn.commit()
    conn.close()
    async with open_app(make_settings(tmp_path, database_path=path)) as app:
        rows = app.db.query("SELECT starts_at, ends_at FROM interview_slots")
        assert [tuple(row) for row in rows] == [
            ("2026-12-03T07:00:00+00:00", "2026-12-03T07:45:00+00:00")
        ]
        slot = await app.services.interviews.slot(1)
        assert slot is not None and slot.starts_at.hour == 7 and slot.duration == 45
