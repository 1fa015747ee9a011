"""End to end with the real `python -m bot` process: a backup taken while a broadcast runs and
candidates submit answers; restore refused while the bot runs; restore; the bot resumes with
nothing lost. A migration that fails leaves the database as it was and the process names the
backup to use."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any

from bot.app import open_app
from bot.domain import Platform
from bot.i18n import Translator
from storage.database import migrations
from tests.conftest import ADMIN_TG, make_settings
from tests.e2e.process import ROOT, run_cli, start_bot
from tests.harness import tg_press
from tests.storage.test_backup import block_last_migration
from tests.test_broadcast_kit import open_audience, seed_users

TR = Translator.load()
PEOPLE = range(7101, 7221)  # candidates the broadcast goes to
RATE = 10
TEXT = "Новости для кандидатов"


def t(key: str, **args: Any) -> str:
    return TR("ru", key, **args)


def vacancy_id(database: Path, slug: str) -> int:
    with sqlite3.connect(database) as conn:
        (found,) = conn.execute("SELECT id FROM vacancies WHERE slug = ?", (slug,)).fetchone()
    return int(found)


async def submit_answer(tg: Any, person: Any, vacancy: int, answer: str) -> Any:
    """A candidate opens the vacancy's link, takes the task, consents and answers."""
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
    mark = tg.mark()
    tg.send_text(person, answer)
    return await tg.wait_message(person.id, lambda m: m.text.startswith("✅"), since=mark)


async def test_backup_during_a_broadcast_and_answers_then_restore_loses_nothing(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any
) -> None:
    bot_env.update(BROADCAST_RATE=str(RATE), BROADCAST_PROGRESS_INTERVAL="1")
    work = tmp_path / "work"
    database = Path(bot_env["DATABASE_PATH"])
    data = database.parent
    examples = ROOT / "examples" / "vacancies.toml"
    status, output = await run_cli(work, bot_env, "import-vacancies", str(examples))
    assert status == 0, output
    async with open_app(make_settings(tmp_path, database_path=database)) as app:
        await seed_users(app, Platform.TELEGRAM, PEOPLE)
    for person in PEOPLE:
        tg.user(person)
    barista = vacancy_id(database, "barista-moscow")
    marketer = vacancy_id(database, "online-marketer")

    first = await running("first")
    admin = tg.user(ADMIN_TG, "Ольга")
    audience = await open_audience(tg, admin, TEXT, t("bc-btn-skip"))
    candidates = await tg_press(tg, admin, audience, t("bc-btn-candidates"))
    assert t("bc-audience-size", count=len(PEOPLE)) in candidates.text
    mark = tg.mark()
    tg.press_button(admin, candidates, t("bc-btn-preview"))
    control = await tg.wait_message(
        admin.id, lambda m: m.text.startswith(t("bc-preview-above")), since=mark
    )
    confirm = await tg_press(tg, admin, control, t("bc-btn-send-now"))
    tg.press_button(admin, confirm, t("bc-btn-confirm-now"))
    await tg.wait_for(
        "sendMessage", lambda c: c.params["chat_id"] in PEOPLE, count=10, ok=True, timeout=20
    )

    # two candidates submit answers while the broadcast goes on
    anna, boris, vera = tg.user(801, "Анна"), tg.user(802, "Борис"), tg.user(803, "Вера")
    for person, answer in ((anna, "https://github.com/anna/espresso"), (boris, "Мой ответ")):
        receipt = await submit_answer(tg, person, barista, answer)
        assert receipt.text.startswith("✅ <b>Ответ получен.</b>")

    # the backup is taken while a third one submits and the broadcast is still sending
    backup_run = asyncio.create_task(run_cli(work, bot_env, "backup"))
    await submit_answer(tg, vera, barista, "Ответ Веры")
    status, output = await backup_run
    assert status == 0, output
    found = re.search(r"to (\S+\.tar): .* integrity check ok\.", output)
    assert found, output
    archive = Path(found.group(1))
    assert archive.parent == data / "backups" and "3 task and media files" in output

    # the backup is one consistent snapshot: the broadcast half-way, the answers complete
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path / "inside", filter="data")
        assert {n for n in tar.getnames() if n.startswith("task-files/")} == {
            "task-files/online-marketer/marketer-brief.md",
            "task-files/smm-manager/smm-content-plan.md",
            "task-files/dental-administrator/dental-admin-calls.txt",
        }
    with sqlite3.connect(tmp_path / "inside" / "database.sqlite3") as conn:
        b_status, b_total, b_sent = conn.execute(
            "SELECT status, total, sent FROM broadcasts WHERE id = 1"
        ).fetchone()
        states = dict(
            conn.execute(
                "SELECT state, COUNT(*) FROM broadcast_deliveries GROUP BY state"
            ).fetchall()
        )
        answers_in_backup = {
            text for (text,) in conn.execute("SELECT text FROM answers ORDER BY id").fetchall()
        }
    assert (b_status, b_total) == ("running", len(PEOPLE))
    assert states.get("sent", 0) == b_sent and 10 <= b_sent < len(PEOPLE)
    pending_in_backup = states["pending"]
    assert b_sent + pending_in_backup == len(PEOPLE)
    assert {"https://github.com/anna/espresso", "Мой ответ"} <= answers_in_backup

    # restore is refused while the bot runs, and changes nothing
    status, output = await run_cli(work, bot_env, "restore", str(archive))
    assert status == 1, output
    assert output.startswith("Restore refused: process ") and "hr-bot is running" in output
    assert "stop the bot first" in output

    report = await first_report(tg, admin, 0)
    assert t("bc-count-sent", count=len(PEOPLE)) in report.text
    assert await first.stop() == 0, first.log

    # disaster: the task files are gone; restore brings back the database and the files
    shutil.rmtree(data / "task-files")
    status, output = await run_cli(work, bot_env, "restore", str(archive))
    assert status == 0, output
    assert output.startswith(f"Restored {archive} into {database}: schema {migrations()[-1][0]}")
    assert "3 task and media files" in output and "kept in" in output
    aside = next(data.glob("before-restore-*"))
    assert (aside / "bot.sqlite3").is_file()
    assert (data / "task-files" / "online-marketer" / "marketer-brief.md").is_file()
    with sqlite3.connect(database) as conn:
        stored = conn.execute(
            "SELECT a.text, c.text_sha256 FROM answers AS a "
            "JOIN applications AS p ON p.id = a.application_id "
            "JOIN users AS u ON u.id = p.user_id "
            "JOIN consents AS c ON c.user_id = u.id WHERE u.external_id IN (801, 802)"
        ).fetchall()
    assert {text for text, _ in stored} == {"https://github.com/anna/espresso", "Мой ответ"}
    assert all(len(sha) == 64 for _, sha in stored)  # the consent's proof came back too

    # the bot resumes: the broadcast finishes from the backup's state, answers are there
    mark = tg.mark()
    second = await running("second")
    report = await first_report(tg, admin, mark)
    assert t("bc-count-sent", count=len(PEOPLE)) in report.text
    copies = Counter(m.chat_id for p in PEOPLE for m in tg.messages(p) if m.text == TEXT)
    assert set(copies) == set(PEOPLE)  # nobody missed it
    # those still pending in the backup got it again after the restore, nobody else did
    assert sum(copies.values()) == len(PEOPLE) + pending_in_backup

    mark = tg.mark()
    tg.send_text(anna, "/applications")
    mine = await tg.wait_message(anna.id, since=mark)
    assert t("status-submitted") in mine.text

    # a task file restored with the backup is sent to the next candidate
    dina = tg.user(804, "Дина")
    mark = tg.mark()
    tg.send_text(dina, f"/start v{marketer}")
    card = await tg.wait_message(
        dina.id, lambda m: t("vacancy-btn-task") in m.button_texts(), since=mark
    )
    question = await tg_press(tg, dina, card, t("vacancy-btn-task"))  # screening first
    for answer in ("Да, по трудовому договору", "Больше 5 лет"):
        question = await tg_press(tg, dina, question, answer)
    mark = tg.mark()
    tg.press_button(dina, question, "C1 и выше")
    document = await tg.wait_message(dina.id, lambda m: m.kind == "document", since=mark)
    expected = (ROOT / "examples" / "files" / "marketer-brief.md").read_bytes()
    assert document.upload is not None and document.upload.content == expected
    assert await second.stop() == 0, second.log


async def first_report(tg: Any, admin: Any, since: int) -> Any:
    return await tg.wait_message(
        admin.id, lambda m: m.text.startswith("✅ Рассылка #1"), since=since, timeout=40
    )


async def test_a_failed_migration_exits_with_one_line_naming_the_backup(
    bot_env: dict[str, str], tmp_path: Path
) -> None:
    database = Path(bot_env["DATABASE_PATH"])
    database.parent.mkdir(parents=True)
    last = migrations()[-1][0]
    previous = migrations()[-2][0]
    conn = sqlite3.connect(database)
    for _, _, sql in migrations()[:-1]:
        conn.executescript(sql)
    conn.execute(f"PRAGMA user_version = {previous}")
    conn.execute(
        "INSERT INTO users (platform, external_id, locale, first_seen, last_seen) "
        "VALUES ('tg', 501, 'ru', '2026-01-01', '2026-01-01')"
    )
    block_last_migration(conn)
    conn.commit()
    before = list(conn.iterdump())
    conn.close()

    bot = await start_bot(tmp_path / "work", bot_env, "upgrade")
    assert await asyncio.wait_for(bot.proc.wait(), 60) == 3, bot.log
    last_line = bot.log.strip().splitlines()[-1]
    (backup,) = (database.parent / "backups").glob(f"hr-bot-*-before-schema-{last}.tar")
    assert last_line.startswith(f"Migration {migrations()[-1][1]} failed"), bot.log
    assert f"left as it was, at schema {previous}" in last_line
    assert f"the backup taken before it is {backup}" in last_line
    assert "Traceback" not in bot.log
    conn = sqlite3.connect(database)
    assert list(conn.iterdump()) == before
    assert conn.execute("PRAGMA user_version").fetchone()[0] == previous
    conn.close()
