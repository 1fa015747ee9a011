"""Every Bot API call passes through `TrafficMiddleware`, which sorts it into a lane
(`bot.traffic`):

- answers to button presses and inline queries, and anything sent or edited in the chat whose
  update is being handled, are **interactive**: a message waits only for its chat's pace;
  answers and edits go at once;
- a message to any other chat (broadcasts, notices, reminders, HR fan-out) is **bulk**: it
  waits for the bulk limiter (30 a second across chats, as counted at Telegram's end: a
  message holds its slot until a second after its answer came), then takes a slot of its chat
  that a reply does not need.

A 429 pauses the scope it concerns for `retry_after` (that chat; for a bulk message also all
bulk traffic), is counted in `TelegramTraffic.stats`, and the call is retried a bounded number
of times. No recursion, no busy loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    AnswerInlineQuery,
    CopyMessage,
    CopyMessages,
    ForwardMessage,
    ForwardMessages,
    GetUpdates,
    Response,
    SendChatAction,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

from bot.domain import Platform
from bot.metrics import Metrics
from bot.traffic import ChatPacer, Lane, TrafficStats, WindowLimiter, lane_for

log = logging.getLogger(__name__)
BULK_RATE = 30  # messages a second to people who are not talking to the bot
_ANSWERS = (AnswerCallbackQuery, AnswerInlineQuery)
_MESSAGES = (CopyMessage, CopyMessages, ForwardMessage, ForwardMessages)


class TelegramTraffic:
    """The pacing state of one bot: per-chat pace, the bulk limiter, flood counters."""

    def __init__(self, bulk_rate: int = BULK_RATE, chats: ChatPacer | None = None) -> None:
        self.bulk = WindowLimiter(bulk_rate, bulk_share=0.0)
        self.chats = chats or ChatPacer()
        self.stats = TrafficStats()


def is_message(method: TelegramMethod[Any]) -> bool:
    """Whether the call puts a new message into a chat (what Telegram's limits count)."""
    if isinstance(method, _MESSAGES):
        return True
    return type(method).__name__.startswith("Send") and not isinstance(method, SendChatAction)


def call_result(error: BaseException | None) -> str:
    """The metrics' result label of a Bot API call."""
    if error is None:
        return "ok"
    if isinstance(error, TelegramRetryAfter):
        return "429"
    if isinstance(error, TelegramServerError):
        return "5xx"
    if isinstance(error, TelegramNetworkError) or not isinstance(error, TelegramAPIError):
        return "network"
    return "4xx"


class TrafficMiddleware(BaseRequestMiddleware):
    def __init__(
        self,
        traffic: TelegramTraffic,
        *,
        attempts: int = 4,
        max_wait: float = 120.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.traffic = traffic
        self.attempts = attempts
        self.max_wait = max_wait
        self.metrics = metrics

    async def _request(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if self.metrics is None:
            return await make_request(bot, method)
        try:
            response = await make_request(bot, method)
        except BaseException as error:
            if not isinstance(error, asyncio.CancelledError):
                self.metrics.api_call(Platform.TELEGRAM, method.__api_method__, call_result(error))
            raise
        self.metrics.api_call(Platform.TELEGRAM, method.__api_method__, "ok")
        if isinstance(method, GetUpdates):
            self.metrics.polled(Platform.TELEGRAM)
        return response

    async def _bulk_slot(self, chat_id: int) -> None:
        """A slot of the bulk limiter and one of the chat, taken together; the caller
        releases the bulk slot when the request has ended."""
        bulk, chats = self.traffic.bulk, self.traffic.chats
        while True:
            await chats.wait_free(chat_id)
            await bulk.acquire(Lane.BULK)
            if chats.try_take(chat_id):
                return
            bulk.release(sent=False)  # a reply took the chat's slot meanwhile: wait again

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat = getattr(method, "chat_id", None)
        chat_id = chat if isinstance(chat, int) else None
        lane = (
            Lane.INTERACTIVE
            if isinstance(method, _ANSWERS)
            else lane_for(Platform.TELEGRAM, chat_id)
        )
        paced = chat_id is not None and is_message(method)
        bulk = paced and lane is Lane.BULK
        attempt = 0
        while True:
            if paced:
                assert chat_id is not None
                started = time.monotonic()
                if bulk:
                    await self._bulk_slot(chat_id)
                else:
                    await self.traffic.chats.acquire(chat_id, lane)
                if self.metrics is not None:
                    self.metrics.waited(Platform.TELEGRAM, lane, time.monotonic() - started)
            try:
                return await self._request(make_request, bot, method)
            except TelegramRetryAfter as error:
                attempt += 1
                scope = "bulk" if bulk else "chat"
                self.traffic.stats.flood(scope)
                if chat_id is not None:
                    self.traffic.chats.pause(chat_id, error.retry_after)
                if scope == "bulk":
                    self.traffic.bulk.pause(error.retry_after)
                log.warning(
                    "flood control on %s (%s): pausing %ss (attempt %s)",
                    type(method).__name__,
                    scope,
                    error.retry_after,
                    attempt,
                )
                if attempt >= self.attempts or error.retry_after > self.max_wait:
                    raise
                if not paced:  # paced calls wait for the paused chat or limiter above
                    await asyncio.sleep(error.retry_after)
            finally:
                if bulk:  # the bulk slot is held until the request has ended
                    self.traffic.bulk.release()
