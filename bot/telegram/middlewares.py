"""One aiogram middleware for every update: it marks the chat being answered (`bot.traffic`),
leaves group chatter alone, throttles floods, turns a message or a button press into the neutral
Event and Reply, and turns anything that escapes into an apology.

One layer, not one per concern: aiogram wraps the handler in every middleware anew for each
update, and a profile under load (bench/load.py) showed the layers and a router filter costing
more than what they did."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, InlineQuery, Message, TelegramObject, User

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
Inner = Callable[[Next, TelegramObject, dict[str, Any]], Awaitable[Any]]


def _locale(tr: Translator, user: User | None) -> str:
    return tr.resolve_locale(user.language_code if user else None)


class ErrorsMiddleware:
    """Anything that escapes the core is logged with context and the user gets an apology."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr

    async def _guarded(
        self, inner: Inner, handler: Next, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        try:
            return await inner(handler, event, data)
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


class UpdateMiddleware(BaseMiddleware):
    """The outer middleware of messages, button presses, inline queries and membership
    changes; see the module's docstring."""

    def __init__(self, tr: Translator, throttle: Throttle, busy: Busy, on_blocked: OnBlocked):
        self.tr = tr
        self.throttle = throttle
        self.busy = busy
        self.on_blocked = on_blocked
        self._errors = ErrorsMiddleware(tr)

    async def __call__(self, handler: Next, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Message) and event.chat.type != ChatType.PRIVATE:
            return None  # conversations are private; group chats (the HR chat) press buttons
        chat_id = _chat_of(event)
        if chat_id is None:
            return await self._errors._guarded(self._inner, handler, event, data)
        with replying_to(Platform.TELEGRAM, chat_id):
            return await self._errors._guarded(self._inner, handler, event, data)

    async def _inner(self, handler: Next, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if not isinstance(event, Message | CallbackQuery | InlineQuery):
            return await handler(event, data)  # a membership change: never throttled
        if user is not None and not await self._allowed(event, user):
            return None
        if isinstance(event, InlineQuery):
            return await handler(event, data)
        bot: Bot = data["bot"]
        me = await bot.me()
        messenger = TelegramMessenger(bot, self.on_blocked, me.username or "")
        if isinstance(event, Message):
            neutral = from_message(event, me.username)
            if neutral is None:
                return None
            reply = TelegramReply(messenger, event.chat.id)
        else:
            neutral = from_callback(event)
            message = event.message
            reply = TelegramReply(
                messenger,
                neutral.chat_id,
                message_id=message.message_id if message is not None else None,
                callback_id=event.id,
            )
        data["hr_event"] = neutral
        data["hr_reply"] = reply
        return await handler(event, data)

    async def _allowed(self, event: TelegramObject, user: User) -> bool:
        """Drop a user's flood beyond the rate (see `bot.throttle`), warning once per flood."""
        allowed, warn = self.throttle.check(
            ("tg", user.id), busy=self.busy(Platform.TELEGRAM, user.id)
        )
        if allowed:
            return True
        text = self.tr(_locale(self.tr, user), "too-many-requests")
        if isinstance(event, CallbackQuery):
            await event.answer(text if warn else None)
        elif isinstance(event, Message) and warn:
            await event.answer(text)
        return False
