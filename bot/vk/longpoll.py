"""Bots Long Poll in a daemon thread, handing raw events to the asyncio loop.

The thread survives network errors and API errors with exponential backoff; `failed` 1/2/3
answers are handled by vk-api's `VkBotLongPoll.check` (new ts, new key, or both); after an
error the server and key are fetched anew, and polling resumes from the last known `ts` so
nothing that happened during an outage (or before a restart) is skipped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

from vk_api.bot_longpoll import VkBotLongPoll

from bot.vk.client import VkClient

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0


class LongPollThread:
    def __init__(
        self,
        client: VkClient,
        group_id: int,
        loop: asyncio.AbstractEventLoop,
        deliver: Callable[[list[dict[str, Any]], str], None],
        *,
        start_ts: str | None = None,
        wait: int = 25,
        on_poll: Callable[[], None] | None = None,
    ) -> None:
        self._client = client
        self._group_id = group_id
        self._loop = loop
        self._deliver = deliver
        self._wait = wait
        self._ts = start_ts
        self._on_poll = on_poll
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vk-longpoll", daemon=True)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _connect(self) -> VkBotLongPoll:
        longpoll = VkBotLongPoll(self._client.vk, self._group_id, wait=self._wait)
        longpoll.session = self._client.session  # same routing and timeouts
        return longpoll

    def _run(self) -> None:
        backoff = 1.0
        longpoll: VkBotLongPoll | None = None
        while not self._stop.is_set():
            try:
                if longpoll is None:
                    longpoll = self._connect()
                    if self._ts is not None:
                        longpoll.ts = self._ts  # resume; VK answers failed 1 if it is too old
                    self.connected.set()
                events = longpoll.check()
                if self._on_poll is not None:
                    self._on_poll()
                self._ts = str(longpoll.ts)
                if events:
                    batch = [event.raw for event in events]
                    self._loop.call_soon_threadsafe(self._deliver, batch, self._ts)
                backoff = 1.0
            except Exception as error:  # network down, VK errors, bad JSON: never die
                if self._stop.is_set():
                    break
                log.warning(
                    "VK long poll error (%s); retrying in %.0fs", type(error).__name__, backoff
                )
                longpoll = None
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
