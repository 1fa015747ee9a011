"""Traffic classes: lanes, the window limiter's priorities and the per-chat pace."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.domain import Platform
from bot.telegram.traffic import is_message
from bot.throttle import Throttle
from bot.traffic import ChatPacer, Lane, WindowLimiter, lane_for, replying_to


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lanes_follow_the_chat_being_answered() -> None:
    assert lane_for(Platform.TELEGRAM, 5) is Lane.BULK  # nobody is being answered
    with replying_to(Platform.TELEGRAM, 5):
        assert lane_for(Platform.TELEGRAM, 5) is Lane.INTERACTIVE
        assert lane_for(Platform.TELEGRAM, None) is Lane.INTERACTIVE
        assert lane_for(Platform.TELEGRAM, 6) is Lane.BULK  # HR fan-out, another chat
        assert lane_for(Platform.VK, 5) is Lane.BULK  # the same number on another platform
    assert lane_for(Platform.TELEGRAM, 5) is Lane.BULK


async def test_lanes_are_per_task() -> None:
    seen: list[Lane] = []

    async def other() -> None:
        seen.append(lane_for(Platform.VK, 7))

    with replying_to(Platform.VK, 7):
        inside = asyncio.create_task(other())  # a task started while answering inherits it
    outside = asyncio.create_task(other())
    await asyncio.gather(inside, outside)
    assert seen == [Lane.INTERACTIVE, Lane.BULK]


async def test_window_limiter_never_exceeds_its_window() -> None:
    limiter = WindowLimiter(5, window=0.2, margin=0.0)
    loop = asyncio.get_running_loop()
    stamps: list[float] = []

    async def one() -> None:
        async with limiter.slot(Lane.BULK):
            stamps.append(loop.time())

    await asyncio.gather(*(one() for _ in range(15)))
    assert len(stamps) == 15
    for i in range(len(stamps) - 5):
        assert stamps[i + 5] - stamps[i] >= 0.2 - 0.005  # any 5 consecutive span a window
    assert stamps[-1] - stamps[0] < 0.2 * 2 + 0.4  # and not much slower than it must
    assert limiter.in_flight == 0


async def test_the_window_holds_at_the_far_end_however_requests_are_delayed() -> None:
    """The platform counts a request when it arrives, anywhere between its grant and its answer:
    random delays (a stalled loop, a slow network, a busy server) never bunch more than the
    limit into one window at the far end."""
    limit, window = 4, 0.1
    limiter = WindowLimiter(limit, window=window, margin=0.0)
    loop = asyncio.get_running_loop()
    rng = random.Random(7)
    arrivals: list[float] = []

    async def one() -> None:
        async with limiter.slot(Lane.BULK):
            before, after = rng.choice([0.0, 0.0, 0.03, 0.12]), rng.choice([0.0, 0.02, 0.09])
            await asyncio.sleep(before)  # on its way there
            arrivals.append(loop.time())  # counted by the platform now
            await asyncio.sleep(after)  # the answer on its way back

    await asyncio.gather(*(one() for _ in range(40)))
    arrivals.sort()
    for i in range(len(arrivals) - limit):
        assert arrivals[i + limit] - arrivals[i] > window - 0.002, arrivals[i : i + limit + 1]
    assert limiter.in_flight == 0


async def test_a_request_in_flight_keeps_its_slot() -> None:
    limiter = WindowLimiter(1, window=0.02, margin=0.0)
    loop = asyncio.get_running_loop()
    await limiter.acquire()
    waiter = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0.1)  # five windows, but the first request has not ended
    assert not waiter.done()
    ended = loop.time()
    limiter.release()
    await waiter
    assert loop.time() - ended >= 0.018  # a window after the first one ended
    limiter.release(sent=False)  # a slot given back unused frees at once
    started = loop.time()
    await limiter.acquire()
    assert loop.time() - started < 0.01


async def test_interactive_goes_ahead_of_bulk_but_bulk_keeps_a_share() -> None:
    limiter = WindowLimiter(2, window=0.05, margin=0.0, bulk_share=0.25)
    order: list[str] = []

    async def one(lane: Lane, name: str) -> None:
        async with limiter.slot(lane):
            order.append(name)

    await limiter.acquire(Lane.BULK)
    await limiter.acquire(Lane.BULK)  # the window is full: everyone below waits
    tasks = [asyncio.create_task(one(Lane.BULK, f"b{i}")) for i in range(3)]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(one(Lane.INTERACTIVE, f"i{i}")) for i in range(6)]
    limiter.release()
    limiter.release()
    await asyncio.gather(*tasks)
    # bulk came first but waits: interactive go ahead, with every 4th grant for bulk
    assert order == ["i0", "i1", "i2", "b0", "i3", "i4", "i5", "b1", "b2"]


async def test_window_limiter_pause_and_cancelled_waiters() -> None:
    limiter = WindowLimiter(1, window=0.02, margin=0.0)
    loop = asyncio.get_running_loop()
    async with limiter.slot():
        pass
    limiter.pause(0.15)
    doomed = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0.01)
    doomed.cancel()
    started = loop.time()
    await limiter.acquire()
    assert loop.time() - started >= 0.12  # the pause held, the cancelled waiter took no slot
    assert limiter.in_flight == 1


async def test_a_waiter_cancelled_after_its_grant_gives_the_slot_back() -> None:
    limiter = WindowLimiter(1, window=0.01, margin=0.0)
    await limiter.acquire()
    granted = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)  # it waits
    limiter.release(sent=False)  # which grants the waiter its slot at once
    granted.cancel()  # but it is cancelled before it runs on
    await asyncio.gather(granted, return_exceptions=True)
    assert limiter.in_flight == 0


async def test_chat_pace_allows_a_burst_then_one_per_interval() -> None:
    pacer = ChatPacer(burst=3, interval=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(3):
        await pacer.acquire(1)
    assert loop.time() - started < 0.1  # the burst goes at once
    await pacer.acquire(1)
    await pacer.acquire(1)
    assert loop.time() - started >= 0.38  # then one per interval
    other = loop.time()
    await pacer.acquire(2)  # another chat is not slowed down
    assert loop.time() - other < 0.1


async def test_bulk_never_takes_the_slot_a_reply_reserved() -> None:
    pacer = ChatPacer(burst=1, interval=0.05)
    order: list[str] = []

    async def send(lane: Lane, name: str) -> None:
        await pacer.acquire(9, lane)
        order.append(name)

    await pacer.acquire(9)  # the only token is gone
    bulk = asyncio.create_task(send(Lane.BULK, "broadcast"))
    await asyncio.sleep(0)
    reply = asyncio.create_task(send(Lane.INTERACTIVE, "reply"))
    await asyncio.gather(bulk, reply)
    assert order == ["reply", "broadcast"]


async def test_group_chats_get_their_own_window_and_pauses_hold() -> None:
    clock = Clock()
    pacer = ChatPacer(group_limit=2, group_window=60.0, clock=clock)
    await pacer.acquire(-100)
    await pacer.acquire(-100)
    assert pacer._slot(-100, clock.now) == clock.now + 60.0
    pacer.pause(5, 30.0)
    assert pacer._slot(5, clock.now) == clock.now + 30.0


def test_chat_pace_forgets_idle_chats() -> None:
    clock = Clock()
    pacer = ChatPacer(burst=3, interval=1.0, clock=clock)
    for chat in range(1, 1001):
        pacer._take(chat, clock.now)
    clock.now += 5
    for chat in range(2001, 3001):
        pacer._forget_idle(clock.now)
        pacer._take(chat, clock.now)
    assert len(pacer) == 1000  # the idle ones were dropped as new ones came


def test_messages_are_what_telegram_counts() -> None:
    from aiogram.methods import (
        AnswerCallbackQuery,
        CopyMessage,
        EditMessageText,
        SendChatAction,
        SendDocument,
        SendMessage,
    )

    assert is_message(SendMessage(chat_id=1, text="x"))
    assert is_message(SendDocument(chat_id=1, document="id"))
    assert is_message(CopyMessage(chat_id=1, from_chat_id=2, message_id=3))
    assert not is_message(EditMessageText(chat_id=1, message_id=1, text="x"))
    assert not is_message(AnswerCallbackQuery(callback_query_id="1"))
    assert not is_message(SendChatAction(chat_id=1, action="typing"))


def test_only_a_pile_up_costs_throttle_tokens() -> None:
    throttle = Throttle(rate=0.001, burst=1)
    assert all(throttle.check("u", busy=False) == (True, False) for _ in range(50))
    assert throttle.check("u", busy=True) == (True, False)
    assert throttle.check("u", busy=True) == (False, True)


async def test_a_bulk_message_holds_its_slot_until_its_answer() -> None:
    from aiogram.exceptions import TelegramBadRequest
    from aiogram.methods import SendMessage

    from bot.telegram.traffic import TelegramTraffic, TrafficMiddleware

    traffic = TelegramTraffic()
    middleware = TrafficMiddleware(traffic)
    held: list[int] = []

    async def make_request(bot: object, method: SendMessage) -> str:
        held.append(traffic.bulk.in_flight)
        if method.text == "bad":
            raise TelegramBadRequest(method, "Bad Request: chat not found")  # type: ignore[arg-type]
        return "ok"

    assert await middleware(make_request, None, SendMessage(chat_id=77, text="hi")) == "ok"  # type: ignore[arg-type]
    with pytest.raises(TelegramBadRequest):
        await middleware(make_request, None, SendMessage(chat_id=78, text="bad"))  # type: ignore[arg-type]
    with replying_to(Platform.TELEGRAM, 79):  # a reply is not bulk
        await middleware(make_request, None, SendMessage(chat_id=79, text="hi"))  # type: ignore[arg-type]
    assert held == [1, 1, 0] and traffic.bulk.in_flight == 0
