"""Fixtures for end-to-end tests: the real `python -m bot` process against the stand-ins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ADMIN_TG, ADMIN_VK, TG_TOKEN, VK_TOKEN
from tests.e2e.process import BotProcess, start_bot


@pytest.fixture
def bot_env(tmp_path: Path, tg: Any, vk: Any) -> dict[str, str]:
    return {
        "BOT_TOKEN": TG_TOKEN,
        "TELEGRAM_API_URL": tg.url,
        "VK_TOKEN": VK_TOKEN,
        "VK_GROUP_ID": "1",
        "VK_API_URL": f"{vk.url}/method/",
        "ADMIN_IDS": str(ADMIN_TG),
        "VK_ADMIN_IDS": str(ADMIN_VK),
        "DATABASE_PATH": str(tmp_path / "data" / "bot.sqlite3"),
    }


@pytest.fixture
async def running(tmp_path: Path, bot_env: dict[str, str], tg: Any, vk: Any) -> AsyncIterator[Any]:
    processes: list[BotProcess] = []

    async def launch(name: str) -> BotProcess:
        process = await start_bot(tmp_path / "work", bot_env, name)
        processes.append(process)
        try:
            await tg.wait_polling(timeout=30)
            await vk.wait_polling(timeout=30)
        except AssertionError as error:
            raise AssertionError(f"{error}\nbot log:\n{process.log}") from None
        return process

    yield launch
    for process in processes:
        process.kill()
    for process in processes:
        log = process.log
        assert TG_TOKEN not in log and VK_TOKEN not in log, "a token leaked into the log"
        assert "OFFLINE GUARD" not in log, log
