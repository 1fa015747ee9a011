"""Per-user throttling: a token bucket per user, so one user's flood never slows anyone else.

Only a flood costs tokens: an update that arrives while none of the user's earlier updates is
still being handled is free. A person (or a client) who waits for each answer is never
throttled, however quick, since the core handles one update per user at a time anyway; updates
that pile up faster than they are handled are, beyond the burst."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


class Throttle:
    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_users: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._max_users = max_users
        self._clock = clock
        self._buckets: OrderedDict[Hashable, _Bucket] = OrderedDict()

    def check(self, key: Hashable, *, busy: bool = True) -> tuple[bool, bool]:
        """Return (allowed, warn): warn is True once per flood, for the first dropped update.
        `busy`: whether an earlier update of this user is still being handled."""
        if not busy:
            return True, False
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = _Bucket(self._burst, now)
            self._buckets[key] = bucket
            if len(self._buckets) > self._max_users:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.stamp) * self._rate)
            bucket.stamp = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        warn = not bucket.warned
        bucket.warned = True
        return False, warn
