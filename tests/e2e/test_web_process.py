"""End to end with the real `python -m bot` and no messenger configured: the web chat starts
alone, imports the shipped examples into the empty database once, prints the candidate's and
the admin's links (the admin's works once), and a restart keeps every conversation."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bot.i18n import Translator
from tests.e2e.process import BotProcess, start_bot
from tests.web.client import Visitor, free_port

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
