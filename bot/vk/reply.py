"""The Reply port for VK: messages through the messenger (random_id derived from the update, so
a replayed update is dropped by VK), messages.edit for in-place screens,
messages.sendMessageEventAnswer for button presses."""

from __future__ import annotations

import json
import logging

from vk_api.exceptions import ApiError

from bot.ui import VK_LIMITS, Screen
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

    @property
    def answered(self) -> bool:
        return self._answered

    async def send(self, screen: Screen) -> None:
        self._sends += 1
        await self._messenger.send(self._peer_id, screen, f"{self._key}:{self._sends}")

    async def edit(self, screen: Screen) -> None:
        messages = render(screen, self._more_text)
        if self._cmid is None or len(messages) > 1:
            await self.send(screen)
            return
        text, keyboard = messages[0]
        try:
            await self._client.call(
                "messages.edit",
                peer_id=self._peer_id,
                conversation_message_id=self._cmid,
                message=text,
                dont_parse_links=1,
                keyboard=keyboard or json.dumps({"inline": True, "buttons": []}),
            )
        except ApiError as error:
            log.info("VK edit failed in %s (%s); sending anew", self._peer_id, error.code)
            await self.send(screen)

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        if self._answered or self._event_id is None:
            return
        self._answered = True
        params: dict[str, object] = {
            "event_id": self._event_id,
            "user_id": self._user_id,
            "peer_id": self._peer_id,
        }
        if text:
            params["event_data"] = json.dumps(
                {"type": "show_snackbar", "text": text[:MAX_SNACKBAR]}, ensure_ascii=False
            )
        try:
            await self._client.call("messages.sendMessageEventAnswer", **params)
        except ApiError as error:
            log.info("VK event answer failed (%s)", error.code)
