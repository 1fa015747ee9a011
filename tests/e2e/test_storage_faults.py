"""End to end with the real process: the database's disk fills up, or its files turn read-only,
while the bot runs. The person is told politely that nothing was saved, the log has one clear
line naming the problem (and no secret), nothing is stored half-way, `PRAGMA integrity_check`
stays ok, and once the database can be written again the bot works again without a restart.

The database lives on a tiny tmpfs mounted for the test (the machine and CI run the tests as
root). Where mounting is refused the tests fail when `CI` is set, and are skipped elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Translator
from tests.conftest import TG_TOKEN, VK_TOKEN
from tests.e2e.process import ROOT, run_cli
from tests.harness import tg_press

TR = Translator.load()


def t(key: str, **args: Any) -> str:
    return TR("ru", key, **args)


def refused(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run these tests (as root, with tmpfs and chattr)")
    pytest.skip(reason)


@contextlib.contextmanager
def tiny_disk(path: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` for the block (lazily unmounted after it)."""
    path.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        refused(f"cannot mount a tmpfs for the database: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte; return the file that does it."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 8, 1):
            chunk = b"\0" * size
            while True:
                try:
                    os.write(fd, chunk)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
    finally:
        os.close(fd)
    return filler


def chattr(flag: str, *paths: Path) -> None:
    done = subprocess.run(
        ["chattr", flag, *map(str, paths)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        refused(f"chattr {flag} is not available here: {done.stderr.strip()}")


def immutable_stops_open_files(folder: Path) -> None:
    """`chattr +i` must stop writes through a file already open, as the bot's database is
    (ext4 does; tmpfs only refuses new opens)."""
    probe = folder / "probe"
    probe.write_bytes(b"x")
    fd = os.open(probe, os.O_RDWR)
    try:
        chattr("+i", probe)
        try:
            os.pwrite(fd, b"y", 0)
        except PermissionError:
            return
        finally:
            chattr("-i", probe)
        refused(f"the file system of {folder} lets open files be written after chattr +i")
    finally:
        os.close(fd)
        probe.unlink()


def integrity(database: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def stored_answers(database: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT a.text, p.status FROM answers a JOIN applications p "
            "ON p.id = a.application_id ORDER BY a.id"
        ).fetchall()
    finally:
        conn.close()


async def up_to_the_answer(tg: Any, person: Any, database: Path) -> None:
    """A candidate opens a vacancy's link, takes the task, consents: the bot waits for the
    answer."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        (vacancy,) = conn.execute(
            "SELECT id FROM vacancies WHERE slug = 'barista-moscow'"
        ).fetchone()
    finally:
        conn.close()
    mark = tg.mark()
    tg.send_text(person, f"/start v{vacancy}")
    card = await tg.wait_message(
        person.id, lambda m: t("vacancy-btn-task") in m.button_texts(), since=mark
    )
    task = await tg_press(tg, person, card, t("vacancy-btn-task"))
    consent = await tg_press(tg, person, task, t("task-btn-submit"))
    mark = tg.mark()
    tg.press_button(person, consent, t("consent-yes"))
    prompt = t("answer-prompt", title="@").split("@")[0]
    await tg.wait_message(person.id, lambda m: prompt in (m.text or ""), since=mark)


async def answer(tg: Any, person: Any, text: str) -> Any:
    mark = tg.mark()
    tg.send_text(person, text)
    return await tg.wait_message(person.id, since=mark, timeout=20)


async def wait_in_log(bot: Any, text: str, timeout: float = 10.0) -> str:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in bot.log:
        assert loop.time() < deadline, f"{text!r} not in the log:\n{bot.log}"
        await asyncio.sleep(0.1)
    return next(line for line in bot.log.splitlines() if text in line)


async def test_a_full_disk_is_told_politely_and_the_bot_recovers_when_space_returns(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any
) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        database = disk / "bot.sqlite3"
        bot_env.update(DATABASE_PATH=str(database), BACKUP_DIR=str(tmp_path / "backups"))
        examples = ROOT / "examples" / "vacancies.toml"
        status, output = await run_cli(
            tmp_path / "work", bot_env, "import-vacancies", str(examples)
        )
        assert status == 0, output
        bot = await running("full-disk")
        anna = tg.user(821, "Анна")
        await up_to_the_answer(tg, anna, database)

        filler = fill(disk)
        polite = await answer(tg, anna, "Ответ, пока диск полон")
        assert polite.text == t("error-storage"), bot.log
        line = await wait_in_log(bot, "cannot be written")
        assert f"the database {database} cannot be written: the disk is full" in line, line
        assert " ERROR " in line and "tg:821 message (text)" in line
        assert "Ответ, пока диск полон" not in bot.log  # never the person's text
        assert TG_TOKEN not in bot.log and VK_TOKEN not in bot.log
        assert integrity(database) == ["ok"]
        assert stored_answers(database) == []  # nothing half-stored, nothing shown submitted

        filler.unlink()  # space returns: the same process works again
        receipt = await answer(tg, anna, "Ответ, когда место появилось")
        assert receipt.text.startswith("✅ <b>Ответ получен.</b>"), bot.log
        assert stored_answers(database) == [("Ответ, когда место появилось", "submitted")]
        assert await bot.stop() == 0, bot.log
        assert integrity(database) == ["ok"]


async def test_a_read_only_database_is_told_politely_and_the_bot_recovers_when_writable(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    immutable_stops_open_files(data)
    database = data / "bot.sqlite3"
    wal = data / "bot.sqlite3-wal"
    bot_env.update(DATABASE_PATH=str(database), BACKUP_DIR=str(tmp_path / "backups"))
    examples = ROOT / "examples" / "vacancies.toml"
    status, output = await run_cli(tmp_path / "work", bot_env, "import-vacancies", str(examples))
    assert status == 0, output
    bot = await running("read-only")
    boris = tg.user(822, "Борис")
    await up_to_the_answer(tg, boris, database)

    chattr("+i", database, wal)  # even root cannot write them now
    try:
        polite = await answer(tg, boris, "Ответ в файл только для чтения")
        assert polite.text == t("error-storage"), bot.log
        line = await wait_in_log(bot, "cannot be written")
        assert f"the database {database} cannot be written: read-only (" in line, line
        assert "bot.sqlite3-wal" in line and " ERROR " in line
        assert TG_TOKEN not in bot.log and VK_TOKEN not in bot.log
        assert integrity(database) == ["ok"]
        assert stored_answers(database) == []
    finally:
        chattr("-i", database, wal)

    receipt = await answer(tg, boris, "Ответ, когда файл снова можно писать")
    assert receipt.text.startswith("✅ <b>Ответ получен.</b>"), bot.log
    assert stored_answers(database) == [("Ответ, когда файл снова можно писать", "submitted")]
    assert await bot.stop() == 0, bot.log
    assert integrity(database) == ["ok"]


async def test_a_full_disk_mid_broadcast_pauses_sending_and_a_kill_sends_few_twice(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any
) -> None:
    """While results cannot be recorded, sending waits: a kill then (or later) sends again at
    most the messages that were in flight, the README's bound."""
    from collections import Counter

    from bot.app import open_app
    from bot.domain import Platform
    from bot.telegram.broadcast import concurrency_for
    from tests.conftest import ADMIN_TG, make_settings
    from tests.test_broadcast_kit import open_audience, seed_users

    people = range(7301, 7501)
    text = "Новости, пока диск полон"
    rate = 25
    with tiny_disk(tmp_path / "disk", "8m") as disk:
        database = disk / "bot.sqlite3"
        bot_env.update(
            DATABASE_PATH=str(database),
            BACKUP_DIR=str(tmp_path / "backups"),
            BROADCAST_RATE=str(rate),
            BROADCAST_PROGRESS_INTERVAL="0.5",
        )
        async with open_app(make_settings(tmp_path, database_path=database)) as app:
            await seed_users(app, Platform.TELEGRAM, people)
        for person in people:
            tg.user(person)
        first = await running("first")
        admin = tg.user(ADMIN_TG, "Ольга")
        audience = await open_audience(tg, admin, text, t("bc-btn-skip"))
        candidates = await tg_press(tg, admin, audience, t("bc-btn-candidates"))
        mark = tg.mark()
        tg.press_button(admin, candidates, t("bc-btn-preview"))
        control = await tg.wait_message(
            admin.id, lambda m: m.text.startswith(t("bc-preview-above")), since=mark
        )
        confirm = await tg_press(tg, admin, control, t("bc-btn-send-now"))
        tg.press_button(admin, confirm, t("bc-btn-confirm-now"))
        await tg.wait_for(
            "sendMessage", lambda c: c.params["chat_id"] in people, count=20, ok=True, timeout=20
        )

        filler = fill(disk)
        import asyncio

        await asyncio.sleep(7)  # longer than the recording retries took before giving up
        got = Counter(m.chat_id for p in people for m in tg.messages(p) if m.text == text)
        conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        pending = {
            chat
            for (chat,) in conn.execute(
                "SELECT chat_id FROM broadcast_deliveries WHERE state = 'pending'"
            )
        }
        conn.close()
        unrecorded = [chat for chat in got if chat in pending]
        assert len(unrecorded) <= concurrency_for(rate), (len(unrecorded), first.log[-3000:])
        first.kill()
        await first.proc.wait()
        assert integrity(database) == ["ok"]

        filler.unlink()
        second = await running("second")
        report = await tg.wait_message(
            admin.id, lambda m: m.text.startswith("✅ Рассылка #1"), timeout=60
        )
        assert t("bc-count-sent", count=len(people)) in report.text, second.log
        copies = Counter(m.chat_id for p in people for m in tg.messages(p) if m.text == text)
        assert set(copies) == set(people)
        assert sum(n - 1 for n in copies.values()) <= concurrency_for(rate)
        assert await second.stop() == 0, second.log
        assert integrity(database) == ["ok"]
