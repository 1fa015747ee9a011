"""Prometheus metrics of one bot process, in a registry of its own (never the global default).

Labels carry only bounded, non-personal values: platform, update kind, API method, result,
traffic lane, job name, delivery state. The hooks in the core, the runtimes and the jobs take a
`Metrics` or None (metrics off), so code built without one keeps working.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.domain import Platform
from bot.events import Event

READY_WINDOW = 90.0  # seconds: a messenger is ready while a poll answered within this
RESULTS = ("ok", "429", "4xx", "5xx", "network")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
WAIT_BUCKETS = (0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def update_kind(event: Event) -> str:
    """A bounded label for what the person did (never the text or the command itself)."""
    if event.is_button:
        return "button"
    if event.command:
        return "command"
    if event.attachments:
        return str(event.attachments[0].kind)
    return "text"


def http_result(status: int) -> str:
    """The result label of an HTTP-like status code."""
    if status == 429:
        return "429"
    if status >= 500:
        return "5xx"
    if status >= 400:
        return "4xx"
    return "ok"


class Metrics:
    def __init__(self, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._monotonic = monotonic
        r = self.registry
        self.updates = Counter(
            "hrbot_updates",
            "Updates handled, by platform and kind",
            ["platform", "kind"],
            registry=r,
        )
        self.latency = Histogram(
            "hrbot_update_duration_seconds",
            "Time to handle one update (routing, services, replies)",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "hrbot_update_errors", "Updates whose handler raised an error", ["platform"], registry=r
        )
        self.api_calls = Counter(
            "hrbot_api_calls",
            "Outgoing messenger API calls by platform, method and result",
            ["platform", "method", "result"],
            registry=r,
        )
        self.limiter_wait = Histogram(
            "hrbot_ratelimit_wait_seconds",
            "Time outgoing calls waited for the rate limiters",
            ["platform", "lane"],
            buckets=WAIT_BUCKETS,
            registry=r,
        )
        self.last_poll = Gauge(
            "hrbot_last_poll_timestamp_seconds",
            "When each messenger last received a poll answer (Unix time)",
            ["platform"],
            registry=r,
        )
        self.broadcast_messages = Gauge(
            "hrbot_broadcast_messages",
            "Broadcast messages by state (pending: of broadcasts still running)",
            ["state"],
            registry=r,
        )
        self.job_success = Gauge(
            "hrbot_job_last_success_timestamp_seconds",
            "When each background job last finished without an error (Unix time)",
            ["job"],
            registry=r,
        )
        self.database_size = Gauge(
            "hrbot_database_size_bytes", "Database file and its write-ahead log", registry=r
        )
        self._polled: dict[Platform, float] = {}
        self._always_ready: set[Platform] = set()

    # --- hooks ---------------------------------------------------------------------------

    def update_done(self, platform: Platform, kind: str, seconds: float, failed: bool) -> None:
        self.updates.labels(platform.name.lower(), kind).inc()
        self.latency.labels(platform.name.lower()).observe(seconds)
        if failed:
            self.errors.labels(platform.name.lower()).inc()

    def api_call(self, platform: Platform, method: str, result: str) -> None:
        self.api_calls.labels(platform.name.lower(), method, result).inc()

    def waited(self, platform: Platform, lane: str, seconds: float) -> None:
        self.limiter_wait.labels(platform.name.lower(), lane).observe(max(0.0, seconds))

    def polled(self, platform: Platform) -> None:
        """A poll answer arrived (safe to call from the VK long-poll thread)."""
        self._polled[platform] = self._monotonic()
        self.last_poll.labels(platform.name.lower()).set(time.time())

    def webhook_set(self, platform: Platform) -> None:
        """Updates come by webhook: the platform is ready while the process runs."""
        self._always_ready.add(platform)
        self.polled(platform)

    def job_succeeded(self, job: str) -> None:
        self.job_success.labels(job).set(time.time())

    def set_broadcasts(self, counts: dict[str, int]) -> None:
        for state, count in counts.items():
            self.broadcast_messages.labels(state).set(count)

    # --- readiness and exposition ---------------------------------------------------------

    def not_ready(self, platforms: Iterable[Platform]) -> list[str]:
        """Why each enabled platform is not ready; empty when all are."""
        now = self._monotonic()
        reasons = []
        for platform in platforms:
            if platform in self._always_ready:
                continue
            name = platform.name.lower()
            last = self._polled.get(platform)
            if last is None:
                reasons.append(f"{name}: no poll answer yet")
            elif now - last > READY_WINDOW:
                reasons.append(f"{name}: no poll answer for {now - last:.0f} s")
        return reasons

    def render(self) -> bytes:
        return generate_latest(self.registry)
