"""End to end: the 10-kill version of `bench/chaos.py`. The real `python -m bot` process is
killed with SIGKILL at random moments (and the moment an answer is stored) while 50 candidates
submit answers, a broadcast goes to Telegram and VK and `import-vacancies` runs (and is killed
too); after each kill the database is checked (see the bench's docstring). Nothing may be lost,
nothing stored twice or half, no integrity failure, and the duplicates stay within the README's
bound."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from bench.chaos import RECEIPT, run_chaos
from bot.app import open_app
from bot.domain import Platform
from bot.domain.vacancies import AnswerKind
from bot.services.applications import AnswerInput, SubmitProblem
from bot.services.users import Profile
from tests.conftest import ADMIN_TG, ADMIN_VK, make_settings
from tests.e2e.process import ROOT, run_cli

KILLS = 10


async def test_ten_random_kills_lose_nothing(tmp_path: Path) -> None:
    lines: list[str] = []
    figures, _ = await run_chaos(
        tmp_path,
        kills=KILLS,
        time_limit=150.0,
        candidates=50,
        recipients=400,
        seed=14,
        live=(0.3, 1.5),
        first_spread=15.0,
        drain=60.0,
        say=lines.append,
    )
    report = figures.report()
    assert figures.kills == KILLS, report
    assert not figures.failures(), report
    assert not figures.problems, report
    # the run did what it is for: answers went in, a broadcast ran through kills, imports
    # were killed half-way
    assert figures.answers_sent >= 10 and figures.receipts >= 10, report
    assert figures.stored >= figures.receipts, report
    assert figures.broadcasts_done >= 1 and figures.recipients >= 400, report
    assert figures.imports_attempted >= 2 and figures.imports_killed >= 1, report
    assert figures.imports_complete + figures.imports_rolled_back == figures.imports_attempted


async def test_an_answer_stored_just_before_a_crash_gets_its_receipt_and_post_after_restart(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any, vk: Any
) -> None:
    """The process died right after storing an answer: neither the receipt nor the post to HR
    went out. The next start sends both, once."""
    database = Path(bot_env["DATABASE_PATH"])
    examples = ROOT / "examples" / "vacancies.toml"
    status, output = await run_cli(tmp_path / "work", bot_env, "import-vacancies", str(examples))
    assert status == 0, output
    async with open_app(make_settings(tmp_path, database_path=database)) as app:
        user, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 831, "Вера"))
        vacancy = await app.services.vacancies.get_by_slug("barista-moscow")
        assert vacancy is not None
        application, _ = await app.services.applications.issue(user.id, vacancy)
        await app.services.applications.give_consent(user.id, "согласие")
        stored = await app.services.applications.submit(
            application.id, user.id, AnswerInput(AnswerKind.TEXT, text="Ответ до сбоя")
        )
        assert not isinstance(stored, SubmitProblem)
    vera = tg.user(831, "Вера")
    admin, vk_admin = tg.user(ADMIN_TG, "Ольга"), vk.user(ADMIN_VK, "Админ")

    first = await running("after-the-crash")
    receipt = await tg.wait_message(vera.id, lambda m: m.text.startswith(RECEIPT))
    assert f"№ {application.id}" in receipt.text
    await tg.wait_message(admin.id, lambda m: "Ответ до сбоя" in m.text)
    await vk.wait_message(vk_admin.id, lambda m: "Ответ до сбоя" in m.text)
    assert await first.stop() == 0, first.log
    assert "sent 1 receipts and 1 posts to HR" in first.log
    conn = sqlite3.connect(database)
    assert conn.execute("SELECT receipt_sent, hr_posted FROM answers").fetchall() == [(1, 1)]
    conn.close()

    second = await running("once-more")  # owed nothing now: nothing is sent again
    await asyncio.sleep(1.0)
    assert await second.stop() == 0, second.log
    assert len([m for m in tg.messages(vera.id) if m.text.startswith(RECEIPT)]) == 1
    assert len([m for m in tg.messages(admin.id) if "Ответ до сбоя" in m.text]) == 1
