"""The Bot API session: aiogram's aiohttp session that does not build models nobody reads.

Measured (bench/load.py, py-spy): turning the answer to every `editMessageText` back into a
`Message` (text, entities, the whole inline keyboard, through pydantic) took a fifth of the
event loop's time, and the bot never reads it: an edit, a button answer or a chat action only
needs to know that it worked. For those methods a successful answer is returned as `True` (a
value the Bot API itself gives for edits of inline messages); every error still goes through
aiogram's own checks and exceptions. Everything else is parsed as usual.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    Response,
    SendChatAction,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

UNREAD = (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendChatAction,
)


class LeanSession(AiohttpSession):
    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        if status_code == 200 and isinstance(method, UNREAD):
            data: Any = None
            with contextlib.suppress(ValueError):  # aiogram reports it below
                data = self.json_loads(content)
            if isinstance(data, dict) and data.get("ok") is True:
                return Response[Any].model_construct(ok=True, result=True)
        return super().check_response(bot, method, status_code, content)
