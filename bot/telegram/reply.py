"""The Reply port for Telegram: send, edit in place, answer button presses."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError

from bot.telegram.messenger import TelegramMessenger
from bot.telegram.render import render
from bot.ui import TELEGRAM_LIMITS, Screen, plain_text

log = logging.getLogger(__name__)
MAX_TOAST = 200


class TelegramReply:
    limits = TELEGRAM_LIMITS

    def __init__(
        self,
        messenger: TelegramMessenger,
        chat_id: int,
        *,
        message_id: int | None = None,
        callback_id: str | None = None,
    ) -> None:
        self._messenger = messenger
        self._bot = messenger.bot
        self._chat_id = chat_id
        self._message_id = message_id
        self._callback_id = callback_id
        self._answered = callback_id is None

    @property
    def answered(self) -> bool:
        return self._answered

    async def send(self, screen: Screen) -> None:
        await self._messenger.send(self._chat_id, screen)

    async def edit(self, screen: Screen) -> None:
        messages = render(screen)
        if self._message_id is None or len(messages) > 1:
            await self.send(screen)
            return
        text, markup = messages[0]
        try:
            await self._bot.edit_message_text(
                text=text, chat_id=self._chat_id, message_id=self._message_id, reply_markup=markup
            )
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return
            # too old, deleted, or a media message without text: show it as a new message
            log.info("could not edit a message in %s (%s); sending anew", self._chat_id, error)
            await self.send(screen)
        except TelegramForbiddenError:
            await self.send(screen)  # marks the user blocked

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        if self._answered or self._callback_id is None:
            return
        self._answered = True
        try:
            await self._bot.answer_callback_query(
                self._callback_id, text=plain_text(text)[:MAX_TOAST] or None, show_alert=alert
            )
        except TelegramBadRequest as error:
            log.info("callback query could not be answered: %s", error.message)
