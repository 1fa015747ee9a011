"""The Reply port for the web chat: new messages through the messenger, edits of the message
whose button was pressed, toasts and alerts as frames to the pages."""

from __future__ import annotations

from bot.ui import Screen, plain_text
from bot.web.messenger import WebMessenger
from bot.web.render import WEB_LIMITS, bot_body

MAX_TOAST = 200


class WebReply:
    limits = WEB_LIMITS

    def __init__(
        self, messenger: WebMessenger, visitor_id: int, *, key: str, message_id: int | None = None
    ) -> None:
        self._messenger = messenger
        self._chat = messenger.chat
        self._visitor = visitor_id
        self._key = key
        self._message_id = message_id
        self._sends = 0
        self._answered = message_id is None

    @property
    def answered(self) -> bool:
        return self._answered

    async def send(self, screen: Screen) -> None:
        self._sends += 1
        await self._messenger.send(self._visitor, screen, f"{self._key}:{self._sends}")

    async def edit(self, screen: Screen) -> None:
        """Replace the pressed message; a message that is not the visitor's (forged) or no
        pressed message at all: send a new one."""
        if self._message_id is not None and await self._chat.edit(
            self._visitor, self._message_id, bot_body(screen)
        ):
            return
        await self.send(screen)

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        if self._answered:
            return
        self._answered = True
        if text:
            await self._chat.push(
                self._visitor, {"t": "toast", "text": plain_text(text)[:MAX_TOAST], "alert": alert}
            )
