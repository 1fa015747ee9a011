"""`/healthz`, `/readyz` and `/metrics` over aiohttp (on `METRICS_HOST:METRICS_PORT`).

- `/healthz`: 200 while the event loop turns (a heartbeat task is on time) and the database
  answers (a query on the bot's connection, and the file opened afresh); 503 with the reason.
- `/readyz`: 200 when every enabled messenger has received a poll answer in the last 90 s.
- `/metrics`: the Prometheus text format; database figures are read at scrape time.

`add_routes` puts the three on any aiohttp application, so another server of the bot (such as
a web chat) can carry them instead of a server of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.domain import Platform
from bot.metrics import Metrics

log = logging.getLogger(__name__)
HEARTBEAT = 1.0  # seconds between heartbeats
STALL = 10.0  # a heartbeat this late means the event loop is stuck or starved
DB_TIMEOUT = 5.0


class OpsProbe(Protocol):
    async def check(self) -> None: ...

    def size(self) -> int: ...

    async def broadcast_counts(self) -> dict[str, int]: ...


class Health:
    def __init__(
        self,
        metrics: Metrics,
        probe: OpsProbe,
        platforms: Sequence[Platform],
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metrics = metrics
        self.probe = probe
        self.platforms = list(platforms)
        self._monotonic = monotonic
        self._beat = monotonic()

    async def heartbeat(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._beat = self._monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), HEARTBEAT)

    async def problems(self) -> list[str]:
        found = []
        late = self._monotonic() - self._beat
        if late > STALL:
            found.append(f"event loop: last heartbeat {late:.0f} s ago")
        try:
            await asyncio.wait_for(self.probe.check(), DB_TIMEOUT)
        except TimeoutError:
            found.append(f"database: no answer within {DB_TIMEOUT:.0f} s")
        except Exception as error:
            found.append(f"database: {error}")
        return found

    async def healthz(self, request: web.Request) -> web.Response:
        problems = await self.problems()
        if problems:
            return web.Response(status=503, text="unhealthy: " + "; ".join(problems) + "\n")
        return web.Response(text="ok\n")

    async def readyz(self, request: web.Request) -> web.Response:
        reasons = self.metrics.not_ready(self.platforms)
        if reasons:
            return web.Response(status=503, text="not ready: " + "; ".join(reasons) + "\n")
        names = ", ".join(platform.name.lower() for platform in self.platforms)
        return web.Response(text=f"ready: {names}\n")

    async def metrics_page(self, request: web.Request) -> web.Response:
        self.metrics.database_size.set(self.probe.size())
        try:
            self.metrics.set_broadcasts(
                await asyncio.wait_for(self.probe.broadcast_counts(), DB_TIMEOUT)
            )
        except Exception as error:  # the other figures are still worth serving
            log.warning("metrics: broadcast figures not read (%s)", type(error).__name__)
        body = self.metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics_page)


class OpsServer:
    """The health and metrics endpoints on a server of their own."""

    def __init__(self, health: Health, host: str, port: int) -> None:
        self.health = health
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        self.health.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info(
            "health and metrics on http://%s:%s/ (healthz, readyz, metrics)", self.host, self.port
        )

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
