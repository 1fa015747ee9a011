from __future__ import annotations

from bot.throttle import Throttle


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_and_one_warning_per_flood() -> None:
    clock = FakeClock()
    throttle = Throttle(rate=2, burst=3, clock=clock)
    assert [throttle.check("a") for _ in range(3)] == [(True, False)] * 3
    assert throttle.check("a") == (False, True)
    assert throttle.check("a") == (False, False)
    clock.now += 0.5  # one token back
    assert throttle.check("a") == (True, False)
    assert throttle.check("a") == (False, True)


def test_one_flooding_user_never_slows_another() -> None:
    throttle = Throttle(rate=1, burst=2, clock=FakeClock())
    for _ in range(100):
        throttle.check("flooder")
    assert throttle.check("calm") == (True, False)


def test_memory_is_bounded() -> None:
    throttle = Throttle(rate=1, burst=1, max_users=10, clock=FakeClock())
    for user in range(1000):
        throttle.check(user)
    assert len(throttle._buckets) == 10
