"""Outgoing traffic classes: interactive replies never wait behind bulk notifications.

Two lanes:

- **interactive**: answers to the update being handled (button answers, inline answers, edits
  and messages in that person's chat). The runtimes mark the chat being answered with
  `replying_to`; `lane_for` then tells a call to that chat from one to anybody else.
- **bulk**: everything proactive to many people (broadcasts, new-vacancy notices, reminders,
  HR fan-out, a message to a chat other than the one being answered).

Telegram limits messages per chat (about one a second with short bursts, 20 a minute in a
group) and bulk notifications across chats (30 a second); answers to the people talking to the
bot are not bulk. So Telegram paces messages per chat (`ChatPacer`, where interactive replies
reserve their slot and bulk messages only take a slot that is free) and bulk messages also
across chats (`WindowLimiter`). VK limits a community token to 20 requests a second for every
call, so all VK calls share one `WindowLimiter` in which interactive requests go first and bulk
ones get a guaranteed small share, so a broadcast yields but never stalls.

A flood-control answer pauses what it names: one chat (`ChatPacer.pause`) or a whole limiter
(`WindowLimiter.pause`); `TrafficStats` counts them.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter, OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from enum import StrEnum

from bot.domain import Platform

Clock = Callable[[], float]


class Lane(StrEnum):
    INTERACTIVE = "interactive"
    BULK = "bulk"


_answering: ContextVar[tuple[Platform, int] | None] = ContextVar("hr_answering", default=None)


@contextmanager
def replying_to(platform: Platform, chat_id: int) -> Iterator[None]:
    """Mark the chat whose update is being handled (for the code run inside this block)."""
    token = _answering.set((platform, chat_id))
    try:
        yield
    finally:
        _answering.reset(token)


def answering(platform: Platform) -> int | None:
    """The chat on `platform` whose update is being handled here, if any."""
    current = _answering.get()
    return current[1] if current is not None and current[0] is platform else None


def lane_for(platform: Platform, chat_id: int | None) -> Lane:
    """Interactive for the chat being answered (or, with no chat, for any call made while
    answering an update of this platform); bulk otherwise."""
    current = answering(platform)
    if current is None:
        return Lane.BULK
    return Lane.INTERACTIVE if chat_id is None or chat_id == current else Lane.BULK


class TrafficStats:
    """Counters for logs, benchmarks and tests: flood-control answers by scope."""

    def __init__(self) -> None:
        self.too_many: Counter[str] = Counter()

    def flood(self, scope: str) -> None:
        self.too_many[scope] += 1


class WindowLimiter:
    """At most `limit` requests in any `window` seconds at the platform's end, granted in order
    of lane (interactive first) and arrival. While both lanes wait, every `1 / bulk_share`-th
    grant goes to bulk, so bulk traffic slows down for interactive traffic but never stops.

    The platform counts a request when it arrives, somewhere between the moment it was granted
    here and the moment its answer came back; neither this process nor the network says when.
    So a request takes a slot from its grant until `window` after it ended (`release`), and a
    request still in flight holds its slot: a stalled event loop, a slow network or a busy
    server can delay requests and bunch them up at the other end, but never past the limit.
    While the platform answers quickly this costs nothing; the full rate is `limit` per
    `window` plus the time a request takes. `margin` is added to the window for clock skew.

    Every `acquire` must be followed by one `release` (see `slot`)."""

    def __init__(
        self,
        limit: int,
        window: float = 1.0,
        *,
        margin: float = 0.02,
        bulk_share: float = 0.1,
        clock: Clock = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window + margin
        self.clock = clock
        self._every = max(1, round(1 / bulk_share)) if bulk_share > 0 else 0
        self._in_flight = 0
        self._ended: deque[float] = deque()  # when requests ended, oldest first
        self._waiting: dict[Lane, deque[asyncio.Future[None]]] = {
            Lane.INTERACTIVE: deque(),
            Lane.BULK: deque(),
        }
        self._since_bulk = 0
        self._resume_at = 0.0
        self._timer: asyncio.TimerHandle | None = None

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def pause(self, seconds: float) -> None:
        """Grant nothing for `seconds` (a flood-control answer)."""
        self._resume_at = max(self._resume_at, self.clock() + seconds)

    def _next_free(self, now: float) -> float:
        """When the next slot frees up (`math.inf`: when a request in flight ends)."""
        ended = self._ended
        while ended and ended[0] <= now - self.window:
            ended.popleft()
        moment = max(now, self._resume_at)
        excess = self._in_flight + len(ended) - self.limit
        if excess >= len(ended):
            return math.inf
        if excess >= 0:
            moment = max(moment, ended[excess] + self.window)
        return moment

    def _grant(self, lane: Lane) -> None:
        self._in_flight += 1
        self._since_bulk = 0 if lane is Lane.BULK else self._since_bulk + 1

    async def acquire(self, lane: Lane = Lane.INTERACTIVE) -> None:
        """Wait for a slot; `release` it when the request has ended."""
        now = self.clock()
        ahead = self._waiting[Lane.INTERACTIVE] or (lane is Lane.BULK and self._waiting[Lane.BULK])
        if not ahead and self._next_free(now) <= now:
            self._grant(lane)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[lane].append(future)
        self._arm()
        try:
            await future
        except asyncio.CancelledError:
            if not future.done():
                future.cancel()
            elif not future.cancelled():  # granted, but the waiter was cancelled meanwhile
                self.release(sent=False)
            raise

    def release(self, *, sent: bool = True) -> None:
        """The request of a slot has ended (`sent=False`: it never left, the slot is free)."""
        self._in_flight -= 1
        if sent:
            self._ended.append(self.clock())
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if any(self._waiting.values()):
            self._release()

    @asynccontextmanager
    async def slot(self, lane: Lane = Lane.INTERACTIVE) -> AsyncIterator[None]:
        """A slot for the request made inside the block."""
        await self.acquire(lane)
        try:
            yield
        finally:
            self.release()

    def _pick(self) -> tuple[Lane, asyncio.Future[None]] | None:
        for queue in self._waiting.values():
            while queue and queue[0].done():  # cancelled while waiting
                queue.popleft()
        interactive, bulk = self._waiting[Lane.INTERACTIVE], self._waiting[Lane.BULK]
        if bulk and (not interactive or (self._every and self._since_bulk >= self._every - 1)):
            return Lane.BULK, bulk.popleft()
        if interactive:
            return Lane.INTERACTIVE, interactive.popleft()
        return None

    def _arm(self) -> None:
        if self._timer is not None:
            return
        now = self.clock()
        moment = self._next_free(now)
        if moment == math.inf:
            return  # `release` wakes the waiters
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(max(0.0, moment - now), self._release)

    def _release(self) -> None:
        self._timer = None
        now = self.clock()
        while self._next_free(now) <= now:
            picked = self._pick()
            if picked is None:
                return
            lane, future = picked
            self._grant(lane)
            future.set_result(None)
        if any(self._waiting.values()):
            self._arm()


class ChatPacer:
    """Messages per chat as Telegram asks: in a private chat bursts of `burst`, then one per
    `interval` seconds (a token bucket kept as a theoretical arrival time, GCRA); in a group at
    most `group_limit` in any `group_window` seconds.

    An interactive reply reserves the next slot of its chat and waits for it; a bulk message
    takes a slot only when one is free now and otherwise waits and tries again, so it never
    delays a reply to the person. Memory is bounded: a chat whose bucket is full again is the
    same as a chat never seen, and is forgotten."""

    def __init__(
        self,
        *,
        burst: int = 3,
        interval: float = 1.05,
        group_limit: int = 20,
        group_window: float = 61.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.burst = burst
        self.interval = interval
        self.group_limit = group_limit
        self.group_window = group_window
        self._clock = clock
        self._tolerance = (burst - 1) * interval
        self._tat: OrderedDict[int, float] = OrderedDict()
        self._groups: dict[int, deque[float]] = {}
        self._paused: dict[int, float] = {}

    def __len__(self) -> int:
        return len(self._tat)

    def pause(self, chat_id: int, seconds: float) -> None:
        self._paused[chat_id] = max(self._paused.get(chat_id, 0.0), self._clock() + seconds)

    def _forget_idle(self, now: float) -> None:
        for _ in range(2):  # amortised O(1): the oldest entries are refilled first
            if not self._tat:
                return
            chat_id, tat = next(iter(self._tat.items()))
            if tat > now:
                return
            del self._tat[chat_id]

    def _slot(self, chat_id: int, now: float) -> float:
        """When the next message to this chat may go."""
        moment = max(now, self._paused.get(chat_id, 0.0))
        if chat_id < 0:
            stamps = self._groups.get(chat_id)
            if stamps is not None and len(stamps) >= self.group_limit:
                moment = max(moment, stamps[0] + self.group_window)
            return moment
        tat = self._tat.get(chat_id)
        if tat is not None:
            moment = max(moment, tat - self._tolerance)
        return moment

    def _take(self, chat_id: int, at: float) -> None:
        if chat_id < 0:
            stamps = self._groups.setdefault(chat_id, deque(maxlen=self.group_limit))
            stamps.append(at)
            return
        tat = self._tat.pop(chat_id, at)
        self._tat[chat_id] = max(tat, at) + self.interval
        paused = self._paused.get(chat_id)
        if paused is not None and paused <= at:
            del self._paused[chat_id]

    async def acquire(self, chat_id: int, lane: Lane = Lane.INTERACTIVE) -> None:
        if lane is Lane.BULK:  # never reserves: waits for a free slot and takes it then
            while True:
                await self.wait_free(chat_id)
                if self.try_take(chat_id):
                    return
        now = self._clock()
        self._forget_idle(now)
        slot = self._slot(chat_id, now)
        self._take(chat_id, slot)
        if slot > now:
            await asyncio.sleep(slot - now)

    async def wait_free(self, chat_id: int) -> None:
        """Wait until the chat has a free slot, without taking it (see `try_take`)."""
        while (wait := self._slot(chat_id, self._clock()) - self._clock()) > 0:  # noqa: ASYNC110 - a moment in time, not an event
            await asyncio.sleep(wait)

    def try_take(self, chat_id: int) -> bool:
        """Take the chat's slot if it is free now (a bulk message never waits in line)."""
        now = self._clock()
        self._forget_idle(now)
        if self._slot(chat_id, now) > now:
            return False
        self._take(chat_id, now)
        return True
