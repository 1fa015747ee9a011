"""End to end with the real `python -m bot`. With no messenger configured the web chat starts
alone, imports the shipped examples into the empty database once, prints the candidate's and
the admin's links (the admin's works once), and a restart keeps every conversation. With
WEB_ENABLED it runs beside Telegram and VK, and a web candidate's file reaches HR on Telegram."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from bot.i18n import Translator
from tests.conftest import ADMIN_TG
from tests.e2e.process import ROOT, BotProcess, run_cli, start_bot
from tests.web.client import Visitor, free_port
from tests.web.test_runtime import PDF

TR = Translator.load()
LINKS_RE = re.compile(r"Web chat for admins \(works once\): (http://\S+/\?admin=(\S+))")


async def wait_for_links(process: BotProcess, timeout: float = 30) -> tuple[str, str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        log = process.log
        match = LINKS_RE.search(log)
        if match and "Web chat for candidates: " in log:
            return match.group(1), match.group(2)
        if process.proc.returncode is not None:
            break
        await asyncio.sleep(0.1)
    raise AssertionError(f"no links printed; log:\n{process.log}")


async def test_with_no_messenger_the_web_chat_runs_with_the_examples(tmp_path: Path) -> None:
    port = free_port()
    env = {"DATABASE_PATH": str(tmp_path / "data" / "bot.sqlite3"), "WEB_PORT": str(port)}
    base = f"http://127.0.0.1:{port}"
    process = await start_bot(tmp_path / "work", env)
    try:
        admin_link, token = await wait_for_links(process)
        log = process.log
        assert "imported the examples" in log
        assert token not in log.replace(admin_link, "")  # printed once, never logged
        async with Visitor(base) as candidate, Visitor(base) as admin, Visitor(base) as late:
            await candidate.open()
            assert candidate.hello["example"] is True
            await candidate.press(TR("ru", "menu-vacancies"))
            assert "Ассистент стоматолога" in candidate.last["html"]  # from examples/vacancies.toml

            await admin.open(admin_link.removeprefix(base + "/"))
            assert admin.hello["user"]["admin"]
            await late.open(f"?admin={token}")  # the one-time link is spent
            assert not late.hello["user"]["admin"]
            await admin.say("/admin")
            assert TR("ru", "admin-title") in admin.last["html"]
            await late.say("/admin")
            assert TR("ru", "admin-title") not in late.last["html"]
            before = candidate.texts()
            cookie = candidate.cookie()
        assert await process.stop() == 0

        process = await start_bot(tmp_path / "work", env, "second")
        await wait_for_links(process)
        assert "imported the examples" not in process.log
        async with Visitor(base) as again:
            again.set_cookie(cookie)
            await again.connect()
            assert again.texts() == before
        assert await process.stop() == 0
    finally:
        process.kill()
    assert "Traceback" not in process.log, process.log


async def test_the_web_chat_runs_next_to_the_messengers(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any
) -> None:
    """WEB_ENABLED=true beside Telegram and VK: nothing is imported by itself, the web link
    for a vacancy opens its card with the source, and a web candidate's PDF reaches HR on
    Telegram as a document (the file crosses from the web to Telegram)."""
    port = free_port()
    bot_env.update({"WEB_ENABLED": "true", "WEB_PORT": str(port), "WEB_ADMIN_TOKEN": "t" * 24})
    status, output = await run_cli(
        tmp_path / "work", bot_env, "import-vacancies", str(ROOT / "examples" / "vacancies.toml")
    )
    assert status == 0, output
    process = await running("mixed")
    assert "imported the examples" not in process.log
    base = f"http://127.0.0.1:{port}"
    admin = tg.user(ADMIN_TG, "Ольга")
    async with Visitor(base) as candidate:
        await candidate.open("?start=v1-site")  # the first vacancy, from the careers site
        assert candidate.hello["example"] is False
        await candidate.press(TR("ru", "vacancy-btn-task"))
        for answer in ("Да, по трудовому договору", "3–5 лет", "B1–B2"):  # its screening
            await candidate.press(answer)
        await candidate.press(TR("ru", "task-btn-submit"))
        await candidate.press(TR("ru", "consent-yes"))
        await candidate.send_file("решение.pdf", PDF)
        assert "Отклик №" in candidate.last["html"]
    document = await tg.wait_message(admin.id, lambda m: m.kind == "document", timeout=30)
    assert tg.file_content(document.file_id) == PDF
    post = await tg.wait_message(admin.id, lambda m: "Отклик № 1" in m.text or "№ 1" in m.text)
    assert TR("ru", "hr-platform-web") in post.text and "site" in post.text
