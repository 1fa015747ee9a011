"""The Reply port for VK: messages.send with a deterministic random_id, messages.edit for
in-place screens, messages.sendMessageEventAnswer for button presses."""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Awaitable, Callable

from vk_api.exceptions import ApiError

from bot.ui import VK_LIMITS, Screen
from bot.vk.client import BLOCKED_CODES, VkClient
from bot.vk.render import render

log = logging.getLogger(__name__)
OnBlocked = Callable[[int], Awaitable[None]]
MAX_SNACKBAR = 90


def random_id(peer_id: int, key: str, seq: int) -> int:
    """Same (peer, update, n-th message) -> same id, so VK drops a resend after a crash."""
    return zlib.crc32(f"{peer_id}:{key}:{seq}".encode()) & 0x7FFFFFFF


class VkReply:
    limits = VK_LIMITS

    def __init__(
        self,
        client: VkClient,
        peer_id: int,
        *,
        key: str,
        more_text: str,
        on_blocked: OnBlocked,
        event_id: str | None = None,
        user_id: int | None = None,
        conversation_message_id: int | None = None,
    ) -> None:
        self._client = client
        self._peer_id = peer_id
        self._key = key
        self._more_text = more_text
        self._on_blocked = on_blocked
        self._event_id = event_id
        self._user_id = user_id
        self._cmid = conversation_message_id
        self._seq = 0
        self._answered = event_id is None

    @property
    def answered(self) -> bool:
        return self._answered

    async def _send_one(self, text: str, keyboard: str | None) -> None:
        self._seq += 1
        params: dict[str, object] = {
            "peer_id": self._peer_id,
            "message": text,
            "random_id": random_id(self._peer_id, self._key, self._seq),
            "dont_parse_links": 1,
            "disable_mentions": 1,
        }
        if keyboard is not None:
            params["keyboard"] = keyboard
        await self._client.call("messages.send", **params)

    async def send(self, screen: Screen) -> None:
        try:
            for text, keyboard in render(screen, self._more_text):
                await self._send_one(text, keyboard)
        except ApiError as error:
            if error.code not in BLOCKED_CODES:
                raise
            log.info("VK user %s does not accept messages (%s)", self._peer_id, error.code)
            await self._on_blocked(self._peer_id)

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
        try:
            await self._client.call("messages.edit", **params)
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
