"""aiogram middlewares: errors (outermost, which also marks the chat being answered, see
`bot.traffic`), per-user throttling, and the neutral user context."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.domain import Platform
from bot.i18n import Translator
from bot.telegram.convert import from_callback, from_message
from bot.telegram.messenger import OnBlocked, TelegramMessenger
from bot.telegram.reply import TelegramReply
from bot.throttle import Throttle
from bot.traffic import replying_to

log = logging.getLogger(__name__)
Next = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
Busy = Callable[[Platform, int], bool]


def _locale(tr: Translator, user: User | None) -> str:
    return tr.resolve_locale(user.language_code if user else None)


class ErrorsMiddleware(BaseMiddleware):
    """Anything that escapes the core is logged with context and the user gets an apology."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr

    async def __call__(self, handler: Next, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat_id = _chat_of(event)
        if chat_id is None:
            return await self._guarded(handler, event, data)
        with replying_to(Platform.TELEGRAM, chat_id):
            return await self._guarded(handler, event, data)

    async def _guarded(self, handler: Next, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        except Exception:
            user: User | None = data.get("event_from_user")
            log.exception(
                "unhandled error in %s from user %s", type(event).__name__, user.id if user else "?"
            )
            text = self.tr(_locale(self.tr, user), "error-generic")
            try:
                if isinstance(event, CallbackQuery):
                    await event.answer(text, show_alert=True)
                elif isinstance(event, Message):
                    await event.answer(text)
            except Exception:
                log.exception("could not apologise")
            return None


def _chat_of(event: TelegramObject) -> int | None:
    if isinstance(event, Message):
        return event.chat.id
    if isinstance(event, CallbackQuery):
        return event.message.chat.id if event.message is not None else event.from_user.id
    return None


class ThrottlingMiddleware(BaseMiddleware):
    """Drops a user's flood beyond the rate (see `bot.throttle`); warns them once per flood."""

    def __init__(self, throttle: Throttle, tr: Translator, busy: Busy) -> None:
        self.throttle = throttle
        self.tr = tr
        self.busy = busy

    async def __call__(self, handler: Next, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or (isinstance(event, Message) and event.chat.type != "private"):
            return await handler(event, data)  # group chatter is dropped by the router
        allowed, warn = self.throttle.check(
            ("tg", user.id), busy=self.busy(Platform.TELEGRAM, user.id)
        )
        if allowed:
            return await handler(event, data)
        text = self.tr(_locale(self.tr, user), "too-many-requests")
        if isinstance(event, CallbackQuery):
            await event.answer(text if warn else None)
        elif isinstance(event, Message) and warn:
            await event.answer(text)
        return None


class UserContextMiddleware(BaseMiddleware):
    """Turns the update into a neutral Event and a Reply bound to its chat and message."""

    def __init__(self, on_blocked: OnBlocked) -> None:
        self.on_blocked = on_blocked

    async def __call__(self, handler: Next, event: TelegramObject, data: dict[str, Any]) -> Any:
        bot: Bot = data["bot"]
        me = await bot.me()
        messenger = TelegramMessenger(bot, self.on_blocked, me.username or "")
        if isinstance(event, Message):
            neutral = from_message(event, me.username)
            if neutral is None:
                return None
            reply = TelegramReply(messenger, event.chat.id)
        elif isinstance(event, CallbackQuery):
            neutral = from_callback(event)
            message = event.message
            reply = TelegramReply(
                messenger,
                neutral.chat_id,
                message_id=message.message_id if message is not None else None,
                callback_id=event.id,
            )
        else:
            return await handler(event, data)
        data["hr_event"] = neutral
        data["hr_reply"] = reply
        return await handler(event, data)
