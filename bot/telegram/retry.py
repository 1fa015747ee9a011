"""A request middleware for every Bot API call: 429 pauses all sending for `retry_after`.

Telegram answers 429 with `retry_after`; the whole bot then waits (not just the one call) and
retries the call a bounded number of times. No recursion, no busy loop.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)


class FloodGate:
    """Shared "do not send before" moment for one bot."""

    def __init__(self) -> None:
        self._resume_at = 0.0

    def pause(self, seconds: float) -> None:
        self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    async def wait(self) -> None:
        while (delay := self._resume_at - time.monotonic()) > 0:  # noqa: ASYNC110 - a moment in time
            await asyncio.sleep(delay)


class RetryAfterMiddleware(BaseRequestMiddleware):
    def __init__(self, gate: FloodGate, *, attempts: int = 4, max_wait: float = 120.0) -> None:
        self.gate = gate
        self.attempts = attempts
        self.max_wait = max_wait

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        attempt = 0
        while True:
            await self.gate.wait()
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                attempt += 1
                if attempt >= self.attempts or error.retry_after > self.max_wait:
                    raise
                log.warning(
                    "flood control on %s: pausing %ss (attempt %s)",
                    type(method).__name__,
                    error.retry_after,
                    attempt,
                )
                self.gate.pause(error.retry_after)
