"""The Reply port for VK: messages through the messenger (random_id derived from the update, so
a replayed update is dropped by VK), messages.edit for in-place screens,
messages.sendMessageEventAnswer for button presses.

A community token has 20 requests a second for everything, so a button press costs one request:
the answer to the press and the edit of its screen are held until something else is sent or the
update is done (`flush`), and then go together in one `execute`."""

from __future__ import annotations

import json
import logging

from vk_api.exceptions import ApiError

from bot.traffic import Lane
from bot.ui import VK_LIMITS, Screen, plain_text
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
        self._pending_answer: dict[str, object] | None = None
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
        if self._event_id is not None and (not self._answered or self._pending_answer):
            self._pending_edit = (params, screen)  # goes out with the answer to the press
            return
        try:
            await self._client.call("messages.edit", **params)
        except ApiError as error:
            log.info("VK edit failed in %s (%s); sending anew", self._peer_id, error.code)
            await self.send(screen)

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        """Answer the press (once); it goes out with the screen's edit, see `flush`."""
        if self._answered or self._event_id is None:
            return
        self._answered = True
        answer: dict[str, object] = {
            "event_id": self._event_id,
            "user_id": self._user_id,
            "peer_id": self._peer_id,
        }
        if text:
            answer["event_data"] = json.dumps(
                {"type": "show_snackbar", "text": plain_text(text)[:MAX_SNACKBAR]},
                ensure_ascii=False,
            )
        self._pending_answer = answer

    async def flush(self) -> None:
        """Send what is held: the answer to the press (a silent one if the handler gave none
        and an edit waits) and the edit, in one request when there are both."""
        if self._pending_edit is not None and not self._answered:
            await self.toast()
        answer, self._pending_answer = self._pending_answer, None
        pending, self._pending_edit = self._pending_edit, None
        calls: list[tuple[str, dict[str, object]]] = []
        if answer is not None:
            calls.append(("messages.sendMessageEventAnswer", answer))
        if pending is not None:
            calls.append(("messages.edit", pending[0]))
        if not calls:
            return
        if len(calls) == 1:
            method, params = calls[0]
            try:
                await self._client.call(method, **params)
                return
            except ApiError as error:
                results: list[object] = [ExecuteError(method, error.code, str(error))]
        else:
            results = await self._client.execute(calls, Lane.INTERACTIVE)
        for (method, _), result in zip(calls, results, strict=True):
            if not isinstance(result, ExecuteError):
                continue
            if method == "messages.edit" and pending is not None:
                log.info("VK edit failed in %s (%s); sending anew", self._peer_id, result.code)
                await self.send(pending[1])
            else:
                log.info("VK event answer failed (%s)", result.code)
