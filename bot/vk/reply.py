"""The Reply port for VK: messages through the messenger (random_id derived from the update, so
a replayed update is dropped by VK), messages.edit for in-place screens,
messages.sendMessageEventAnswer for button presses.

A community token has 20 requests a second for everything, so a button press costs one: the
edit of its screen waits until the press is answered (or anything else is sent, or the update
is done, see `flush`) and both go together in one `execute`."""

from __future__ import annotations

import json
import logging

from vk_api.exceptions import ApiError

from bot.traffic import Lane
from bot.ui import VK_LIMITS, Screen
from bot.vk.client import ExecuteError
from bot.vk.messenger import VkMessenger
from bot.vk.render import render

log = logging.getLogger(__name__)
MAX_SNACKBAR = 90


class VkReply:
    limits = VK_LIMITS

    def __init__(
        self,
        messenger: VkMessenger,
        peer_id: int,
        *,
        key: str,
        more_text: str,
        event_id: str | None = None,
        user_id: int | None = None,
        conversation_message_id: int | None = None,
    ) -> None:
        self._messenger = messenger
        self._client = messenger.client
        self._peer_id = peer_id
        self._key = key
        self._more_text = more_text
        self._event_id = event_id
        self._user_id = user_id
        self._cmid = conversation_message_id
        self._sends = 0
        self._answered = event_id is None
        self._pending_edit: tuple[dict[str, object], Screen] | None = None

    @property
    def answered(self) -> bool:
        return self._answered

    async def send(self, screen: Screen) -> None:
        await self.flush()
        self._sends += 1
        await self._messenger.send(self._peer_id, screen, f"{self._key}:{self._sends}")

    async def edit(self, screen: Screen) -> None:
        messages = render(screen, self._more_text)
        if self._cmid is None or len(messages) > 1:
            await self.send(screen)
            return
        text, keyboard = messages[0]
        params: dict[str, object] = {
            "peer_id": self._peer_id,
            "conversation_message_id": self._cmid,
            "message": text,
            "dont_parse_links": 1,
            "keyboard": keyboard or json.dumps({"inline": True, "buttons": []}),
        }
        if not self._answered:
            self._pending_edit = (params, screen)  # goes out with the answer to the press
            return
        try:
            await self._client.call("messages.edit", **params)
        except ApiError as error:
            log.info("VK edit failed in %s (%s); sending anew", self._peer_id, error.code)
            await self.send(screen)

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        if self._answered or self._event_id is None:
            await self.flush()
            return
        self._answered = True
        answer: dict[str, object] = {
            "event_id": self._event_id,
            "user_id": self._user_id,
            "peer_id": self._peer_id,
        }
        if text:
            answer["event_data"] = json.dumps(
                {"type": "show_snackbar", "text": text[:MAX_SNACKBAR]}, ensure_ascii=False
            )
        pending, self._pending_edit = self._pending_edit, None
        if pending is None:
            try:
                await self._client.call("messages.sendMessageEventAnswer", **answer)
            except ApiError as error:
                log.info("VK event answer failed (%s)", error.code)
            return
        params, screen = pending
        results = await self._client.execute(
            [("messages.sendMessageEventAnswer", answer), ("messages.edit", params)],
            Lane.INTERACTIVE,
        )
        if isinstance(results[0], ExecuteError):
            log.info("VK event answer failed (%s)", results[0].code)
        if isinstance(results[1], ExecuteError):
            log.info("VK edit failed in %s (%s); sending anew", self._peer_id, results[1].code)
            await self.send(screen)

    async def flush(self) -> None:
        """Send an edit still waiting for the press's answer (answering the press silently)."""
        if self._pending_edit is not None:
            await self.toast()
