"""Run the real Telegram dispatcher and VK runtime against the stand-in servers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot

from bot.app import App
from bot.domain import Platform
from bot.telegram.messenger import TelegramMessenger
from bot.telegram.runtime import create_bot, create_dispatcher
from bot.throttle import Throttle
from bot.vk.runtime import VkRuntime
from tests.conftest import TG_TOKEN
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK


@contextlib.asynccontextmanager
async def telegram_running(
    app: App, tg: FakeTelegram, throttle: Throttle | None = None
) -> AsyncIterator[Bot]:
    bot = create_bot(TG_TOKEN, tg.url)
    dp = create_dispatcher(app.core, app.translator, throttle or Throttle(1000, 1000))

    async def on_blocked(chat_id: int) -> None:
        await app.services.users.mark_blocked(Platform.TELEGRAM, chat_id)

    me = await bot.get_me()
    app.core.notifier.register(TelegramMessenger(bot, on_blocked, me.username or ""))
    task = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    try:
        await tg.wait_polling()
        yield bot
    finally:
        with contextlib.suppress(RuntimeError):
            await dp.stop_polling()
        await task
        await app.core.drain(5)
        await bot.session.close()


@dataclass
class VkHandle:
    runtime: VkRuntime
    stop: asyncio.Event


@contextlib.asynccontextmanager
async def vk_running(app: App, vk: FakeVK) -> AsyncIterator[VkHandle]:
    settings = app.settings.model_copy(update={"vk_api_url": f"{vk.url}/method/"})
    runtime = VkRuntime(settings, app.core, app.translator, longpoll_wait=1)
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    try:
        await vk.wait_polling()
        yield VkHandle(runtime, stop)
    finally:
        stop.set()
        await task
        await runtime.close()


class MovableClock:
    """A clock tests move forward by hand (deadlines, reminders, expiry)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def tg_press(tg: FakeTelegram, user: Any, message: Any, label: str) -> Any:
    """Press a button by its label; wait until the press is answered and the screen changes."""
    mark = tg.mark()
    query = tg.press_button(user, message, label)
    await tg.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query)
    return await tg.wait_message(user.id, since=mark)


async def vk_press(vk: FakeVK, user: Any, message: Any, label: str) -> Any:
    mark = vk.mark()
    event_id = vk.press_button(user, message, label)
    await vk.wait_for("messages.sendMessageEventAnswer", lambda c: c.params["event_id"] == event_id)
    return await vk.wait_message(user.id, since=mark)
