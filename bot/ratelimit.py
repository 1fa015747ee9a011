"""One outgoing rate limiter per platform: requests are spaced to `rate` per second, and a
flood-control answer (Telegram 429, VK errors 6/9) pauses everyone for the time asked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._next = 0.0
        self._resume_at = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._resume_at = max(self._resume_at, self._clock() + seconds)

    async def acquire(self) -> None:
        """Wait for this request's slot; slots are handed out in arrival order."""
        async with self._lock:
            now = self._clock()
            slot = max(now, self._next, self._resume_at)
            self._next = slot + 1.0 / self.rate
        delay = slot - now
        if delay > 0:
            await asyncio.sleep(delay)
        while (wait := self._resume_at - self._clock()) > 0:  # noqa: ASYNC110 - a moment in time
            await asyncio.sleep(wait)
