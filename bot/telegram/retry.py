"""A request middleware for every Bot API call: outgoing messages are paced by the platform's
rate limiter, and a 429 pauses all sending for `retry_after` before the call is retried a
bounded number of times. No recursion, no busy loop."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.ratelimit import RateLimiter

log = logging.getLogger(__name__)
TELEGRAM_RATE = 30.0  # messages per second across all chats


class RetryAfterMiddleware(BaseRequestMiddleware):
    def __init__(self, limiter: RateLimiter, *, attempts: int = 4, max_wait: float = 120.0) -> None:
        self.limiter = limiter
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
            if not isinstance(method, GetUpdates):
                await self.limiter.acquire()
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
                self.limiter.pause(error.retry_after)
