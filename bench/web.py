"""How many web-chat sessions the running bot holds open, and how fast it answers them.

The real `python -m bot` runs in web-only mode (no messenger configured: it imports the shipped
example vacancies into a fresh SQLite database in a temporary folder, default settings,
LOG_LEVEL=WARNING) on a free port of 127.0.0.1. This process is the load generator: many
browsers, each with its own cookie jar and WebSocket (aiohttp clients sharing one connector).

1. open: `--sessions` visitors (default 500), `--open-concurrency` at a time, each loads the
   page (GET /, which sets its session cookie), opens the WebSocket like the page does (Origin
   header, permessage-deflate as browsers offer it), reads `hello` and `history` and waits for
   the `/start` of a first visit (`done` with ref 0). Shown: how long opening took, per
   session p50/p95, and the bot process's RSS (VmRSS) before and with every session open.
2. drive: open-loop arrivals (Poisson, or evenly spaced with `--even`) at `--rate` messages/s
   (default 200) in total, each to a random session that has no frame in flight (a session
   waits for the `done` of its previous frame, as the page does; an arrival that finds every
   session busy is skipped and counted). A quarter are typed commands (/vacancies, /start,
   /help, /menu), the rest presses of a data button of the last bot message the session saw
   that had one (menu, vacancy list and pages, vacancy cards, the profile checklist and its
   tips, help, "my applications"; buttons that open dialogs, change the language or subscribe
   are left alone). After `--warmup` seconds (default 3) it measures for `--seconds` (default
   20), then waits up to 5 s for the frames still in flight.

Round-trip latency runs from sending a frame to receiving its `done`. Shown: sessions open,
answered messages/s, latency p50/p95/p99/max, errors (`error` frames, sockets the server
closed, frames without `done` within 5 s, frames never answered), the bot's CPU time per
message (utime + stime from /proc/PID/stat over the window) and share of a core, its RSS, the
load generator's own CPU share and how late it sent against the schedule (if it is busy near
a full core, or late by more than a few ms, the figures measure the client, not the bot), and
whether the target is met: p95 under 100 ms at 200 messages/s with 500 sessions open.

    .venv/bin/python bench/web.py [--sessions 500] [--rate 200] [--seconds 20] [--warmup 3]
                                  [--even] [--no-deflate] [--verbose]
    .venv/bin/python bench/web.py --quick     # 50 sessions, 50 messages/s, 5 s: a smoke test

Takes about warm-up + seconds + 20 s, plus the opening. Run it from the repository root; the
bot's log is printed when the bot dies.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
#: A sitecustomize that makes the bot process fail loudly on any connection outside 127.0.0.1.
GUARD = ROOT / "tests" / "e2e" / "offline"
#: A frame without its `done` after this long is a timeout.
STEP_TIMEOUT = 5.0
#: After the window, how long to wait for the frames still in flight.
DRAIN = 5.0
#: How long the bot may take to start (it imports the examples into the fresh database).
START_TIMEOUT = 60.0
#: What the issue asks for.
TARGET_SESSIONS = 500
TARGET_RATE = 200.0
TARGET_P95_MS = 100.0
#: A Poisson count over the window varies; the bot keeps up when it answers this share of the
#: offered rate (and every frame is answered).
KEEP_UP = 0.95
#: The share of typed commands; the rest are button presses.
TEXT_SHARE = 0.25
TEXTS = ("/vacancies", "/start", "/help", "/menu")
TEXT_WEIGHTS = (4, 3, 2, 1)
#: Action names (before the first `:`) a session presses: browsing, no dialogs, no settings.
PRESSABLE = frozenset({"menu", "vac.list", "vac.o", "help", "app.mine", "cl", "cl.t", "cl.tip"})
#: Bot messages remembered per session (their buttons), newest kept.
KEEP_SCREENS = 20
QUICK = {"sessions": 50, "rate": 50.0, "seconds": 5.0}
DEFAULTS = {"sessions": TARGET_SESSIONS, "rate": TARGET_RATE, "seconds": 20.0}
LOG_ERROR = re.compile(r"^(\d{4}-\d\d-\d\d [\d:,.]+ )?(ERROR|CRITICAL)\b|^Traceback")


# --- the bot process ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        data = stat.read()
    fields = data[data.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """VmRSS of a process in MB, from /proc/PID/status (nan once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class BotProcess:
    """`python -m bot` with only the web chat: DATABASE_PATH and WEB_PORT, defaults otherwise."""

    def __init__(self, proc: asyncio.subprocess.Process, log: Path, base: str) -> None:
        self.proc = proc
        self.log = log
        self.base = base

    @classmethod
    async def start(cls, workdir: Path) -> BotProcess:
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT)]),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
            "HOME": str(workdir),
            "DATABASE_PATH": str(workdir / "data" / "bot.sqlite3"),
            "WEB_PORT": str(port),
        }
        log = workdir / "bot.log"
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=workdir,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        return cls(proc, log, f"http://127.0.0.1:{port}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 25) -> str:
        text = self.text().splitlines()
        return "\n".join("      | " + line for line in text[-lines:])

    def errors_logged(self) -> list[str]:
        return [line for line in self.text().splitlines() if LOG_ERROR.match(line)]

    async def wait_listening(self, session: aiohttp.ClientSession) -> None:
        """Until the server answers (GET /widget.js: a file, no visitor is made)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"the bot exited with {self.proc.returncode}:\n{self.tail()}")
            with contextlib.suppress(aiohttp.ClientError, OSError, TimeoutError):
                async with session.get(self.base + "/widget.js") as response:
                    await response.read()
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
        raise RuntimeError(f"the bot did not listen within {START_TIMEOUT:g} s:\n{self.tail()}")

    async def stop(self) -> int | None:
        if self.alive:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                return None
        return self.proc.returncode


# --- the browsers ---------------------------------------------------------------------------------


@dataclass(eq=False)
class Session:
    """One browser: its own cookie jar, one WebSocket, the bot messages it saw."""

    index: int
    http: aiohttp.ClientSession
    ws: aiohttp.ClientWebSocketResponse | None = None
    screens: dict[int, list[str]] = field(default_factory=dict)  # message id -> button data
    last: int | None = None  # the last bot message seen that has a button to press
    ref: int = 0
    inflight: int | None = None  # the ref waiting for its `done`
    sent_at: float = 0.0
    kind: str = ""
    measured: bool = False
    timed_out: bool = False
    dead: bool = False
    reader: asyncio.Task[None] | None = None

    def seen(self, message: dict[str, Any]) -> None:
        if message.get("from") != "bot":
            return
        data = [
            str(button["data"])
            for row in message.get("buttons") or ()
            for button in row
            if "data" in button
        ]
        message_id = int(message["id"])
        self.screens.pop(message_id, None)  # an edit moves it to the newest end
        self.screens[message_id] = data
        while len(self.screens) > KEEP_SCREENS:
            del self.screens[next(iter(self.screens))]
        if any(d.split(":", 1)[0] in PRESSABLE for d in data):
            self.last = message_id

    def pressable(self) -> tuple[int, list[str]] | None:
        if self.last is None or self.last not in self.screens:
            return None
        options = [d for d in self.screens[self.last] if d.split(":", 1)[0] in PRESSABLE]
        return (self.last, options) if options else None

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.ws is not None:
                await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader
        await self.http.close()


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds; inf: never answered
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lag: list[float] = field(default_factory=list)  # how late a frame went out (measured)
    sent: int = 0  # measured frames sent
    answered: int = 0  # `done`s received while the window was open
    skipped: int = 0  # arrivals that found every session busy
    error_frames: int = 0
    error_samples: list[str] = field(default_factory=list)
    closed: int = 0
    timeouts: int = 0
    unanswered: int = 0
    toasts: int = 0


def pct(values: list[float], q: float) -> float:
    """The q-th percentile in ms (nearest rank; nan without values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def ms(value: float) -> str:
    if math.isinf(value):
        return "never"
    if math.isnan(value):
        return "-"
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


class Load:
    """The sessions, the open-loop driver and what it measured."""

    def __init__(self, args: argparse.Namespace, bot: BotProcess) -> None:
        self.args = args
        self.bot = bot
        self.base = bot.base
        self.connector = aiohttp.TCPConnector(limit=0, force_close=False)
        self.sessions: list[Session] = []
        self.idle: list[Session] = []
        self.busy: set[Session] = set()
        self.pending = 0  # measured frames in flight
        self.drained = asyncio.Event()  # set when `pending` falls to 0
        self.stats = Stats()
        self.rng = random.Random(args.seed)
        self.measuring = False
        self.window_open = False
        self.stopping = False
        self.open_times: list[float] = []
        self.open_failures: list[str] = []

    # --- opening ------------------------------------------------------------------------------
    async def open_all(self) -> None:
        gate = asyncio.Semaphore(self.args.open_concurrency)

        async def one(index: int) -> None:
            async with gate:
                session = Session(
                    index,
                    aiohttp.ClientSession(
                        connector=self.connector,
                        connector_owner=False,
                        cookie_jar=aiohttp.CookieJar(unsafe=True),
                        headers={"Accept-Language": "ru"},
                        # no total: it would cover the socket's life (opening has its own limit)
                        timeout=aiohttp.ClientTimeout(total=None, sock_connect=30),
                    ),
                )
                self.sessions.append(session)
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(30):
                        await self._open(session)
                except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
                    session.dead = True
                    self.open_failures.append(f"{type(error).__name__}: {error}"[:200])
                    return
                self.open_times.append(time.perf_counter() - started)
                session.reader = asyncio.create_task(self._read(session))
                self.idle.append(session)

        await asyncio.gather(*(one(n) for n in range(self.args.sessions)))

    async def _open(self, session: Session) -> None:
        async with session.http.get(self.base + "/") as page:
            await page.read()
            if page.status != 200:
                raise ValueError(f"GET / answered {page.status}")
        session.ws = await session.http.ws_connect(
            self.base.replace("http", "ws", 1) + "/ws",
            headers={"Origin": self.base},
            compress=0 if self.args.no_deflate else 15,
            autoclose=True,
            autoping=True,
        )
        hello = await self._receive(session.ws)
        if hello.get("t") != "hello":
            raise ValueError(f"the first frame is not hello: {str(hello)[:100]}")
        history = await self._receive(session.ws)
        if history.get("t") != "history":
            raise ValueError(f"the second frame is not history: {str(history)[:100]}")
        for message in history.get("messages") or ():
            session.seen(message)
        while hello.get("starting"):
            frame = await self._receive(session.ws)
            if frame.get("t") == "done" and frame.get("ref") == 0:
                break
            self._apply(session, frame)

    @staticmethod
    async def _receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
        message = await ws.receive()
        if message.type is not aiohttp.WSMsgType.TEXT:
            raise ValueError(f"the socket gave {message.type.name}")
        frame: dict[str, Any] = json.loads(message.data)
        return frame

    # --- frames from the bot ------------------------------------------------------------------
    async def _read(self, session: Session) -> None:
        ws = session.ws
        assert ws is not None
        with contextlib.suppress(aiohttp.ClientError, ConnectionError):
            async for message in ws:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    break
                self._apply(session, json.loads(message.data))
        if not self.stopping:
            session.dead = True
            self.stats.closed += 1
            if session in self.idle:
                self.idle.remove(session)
            if self.args.verbose:
                print(f"   session {session.index}: the socket closed ({ws.close_code})")

    def _apply(self, session: Session, frame: dict[str, Any]) -> None:
        kind = frame.get("t")
        if kind in ("message", "edit"):
            session.seen(frame["message"])
        elif kind == "done":
            if frame.get("ref") == session.inflight and session.inflight is not None:
                self._done(session)
        elif kind == "toast":
            self.stats.toasts += 1
        elif kind == "error":
            self.stats.error_frames += 1
            if len(self.stats.error_samples) < 5:
                self.stats.error_samples.append(str(frame.get("text"))[:200])

    def _done(self, session: Session) -> None:
        latency = time.perf_counter() - session.sent_at
        if session.measured:
            self.stats.latencies.append(latency)
            self.stats.by_kind[session.kind].append(latency)
            self.pending -= 1
            if not self.pending:
                self.drained.set()
        if self.window_open:
            self.stats.answered += 1
        session.inflight = None
        self.busy.discard(session)
        if not session.dead and not self.stopping:
            self.idle.append(session)

    # --- the driver ---------------------------------------------------------------------------
    def _next(self, session: Session) -> tuple[str, dict[str, Any]]:
        if self.rng.random() >= TEXT_SHARE:
            found = session.pressable()
            if found is not None:
                message_id, options = found
                data = self.rng.choice(options)
                return data.split(":", 1)[0], {
                    "t": "button",
                    "data": data,
                    "message_id": message_id,
                }
        text = self.rng.choices(TEXTS, TEXT_WEIGHTS)[0]
        return text, {"t": "text", "text": text}

    async def _send(self, scheduled: float) -> None:
        if not self.idle:
            self.stats.skipped += int(self.measuring)
            return
        index = self.rng.randrange(len(self.idle))
        session = self.idle[index]
        self.idle[index] = self.idle[-1]
        self.idle.pop()
        kind, frame = self._next(session)
        session.ref += 1
        frame["ref"] = session.ref
        session.inflight = session.ref
        session.kind = kind
        session.measured = self.measuring
        session.timed_out = False
        self.busy.add(session)
        session.sent_at = time.perf_counter()
        if self.measuring:
            self.stats.sent += 1
            self.pending += 1
            self.stats.lag.append(max(0.0, time.monotonic() - scheduled))
        assert session.ws is not None
        # on a closed socket the reader counts the close; the frame stays unanswered
        with contextlib.suppress(aiohttp.ClientError, ConnectionError, RuntimeError):
            await session.ws.send_str(json.dumps(frame, ensure_ascii=False))

    async def drive(self, seconds: float) -> None:
        """Open-loop arrivals at `--rate` for `seconds`."""
        end = time.monotonic() + seconds
        gap = 1.0 / self.args.rate
        next_at = time.monotonic()
        while True:
            next_at += gap if self.args.even else self.rng.expovariate(self.args.rate)
            if next_at >= end:
                break
            delay = next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if not self.bot.alive:
                raise RuntimeError(
                    f"the bot exited with {self.bot.proc.returncode}:\n{self.bot.tail()}"
                )
            await self._send(next_at)
        await asyncio.sleep(max(0.0, end - time.monotonic()))

    async def watch(self) -> None:
        """Count frames without their `done` after STEP_TIMEOUT (once each)."""
        while True:
            await asyncio.sleep(0.25)
            now = time.perf_counter()
            for session in list(self.busy):
                if not session.timed_out and now - session.sent_at > STEP_TIMEOUT:
                    session.timed_out = True
                    if session.measured:
                        self.stats.timeouts += 1

    async def drain(self) -> None:
        """Wait for the measured frames in flight; those left are never answered."""
        self.drained.clear()
        if self.pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.drained.wait(), DRAIN)
        for session in self.busy:
            if session.measured:
                self.stats.unanswered += 1
                self.stats.latencies.append(math.inf)
                self.stats.by_kind[session.kind].append(math.inf)

    async def close(self) -> None:
        self.stopping = True
        await asyncio.gather(*(s.close() for s in self.sessions), return_exceptions=True)
        await self.connector.close()


# --- the run --------------------------------------------------------------------------------------


@dataclass
class Figures:
    sessions: int
    rate: float
    p95: float
    errors: int
    answered_share: float


def verdict(args: argparse.Namespace, f: Figures) -> str:
    """Whether the issue's target is met (or, at another load, the bounds held there)."""
    reasons = []
    if f.sessions < args.sessions:
        reasons.append(f"only {f.sessions} of {args.sessions} sessions open")
    if f.rate < KEEP_UP * args.rate or f.answered_share < 1.0:
        reasons.append(f"answered {f.rate:.1f} msg/s of {args.rate:g} offered")
    if not f.p95 < TARGET_P95_MS:
        reasons.append(f"p95 {ms(f.p95)}")
    if f.errors:
        reasons.append(f"{f.errors} errors")
    goal = (
        f"{TARGET_SESSIONS} sessions, p95 < {TARGET_P95_MS:g} ms at >= {TARGET_RATE:g} msg/s; "
        f"answered >= {KEEP_UP:.0%} of the offered rate, no errors"
    )
    why = f" ({'; '.join(reasons)})" if reasons else ""
    if args.sessions < TARGET_SESSIONS or args.rate < TARGET_RATE:
        held = "held" if not reasons else "NOT held"
        return (
            f"target ({goal}): not tried at this load ({args.sessions} sessions, "
            f"{args.rate:g} msg/s); its bounds {held} here{why}"
        )
    return f"target ({goal}): " + ("MET" if not reasons else f"NOT MET{why}")


async def run(args: argparse.Namespace) -> int:
    print(
        f"cores: {os.cpu_count()}, python {sys.version.split()[0]}, aiohttp "
        f"{aiohttp.__version__}; {args.sessions} sessions, {args.rate:g} msg/s "
        f"({'evenly spaced' if args.even else 'Poisson'} arrivals), {args.seconds:g} s after "
        f"{args.warmup:g} s of warm-up; WebSocket deflate {'off' if args.no_deflate else 'on'}; "
        f"timeout {STEP_TIMEOUT:g} s",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="hr-web-bench-"))
    bot: BotProcess | None = None
    load: Load | None = None
    watcher: asyncio.Task[None] | None = None
    died = False
    try:
        started = time.monotonic()
        bot = await BotProcess.start(workdir)
        async with aiohttp.ClientSession() as probe:
            await bot.wait_listening(probe)
        await asyncio.sleep(0.5)  # let the start settle (the example import, the links)
        base_rss = rss_mb(bot.pid)
        print(
            f"bot: `python -m bot`, web only, pid {bot.pid}, listening on {bot.base} after "
            f"{time.monotonic() - started:.1f} s; RSS {base_rss:.0f} MB",
            flush=True,
        )

        load = Load(args, bot)
        print(
            f"\n1. opening {args.sessions} sessions ({args.open_concurrency} at a time) ...",
            flush=True,
        )
        opened = time.perf_counter()
        await load.open_all()
        open_seconds = time.perf_counter() - opened
        if not bot.alive:
            raise RuntimeError(f"the bot exited with {bot.proc.returncode}:\n{bot.tail()}")
        open_rss = rss_mb(bot.pid)
        count = len(load.open_times)
        per_session = (open_rss - base_rss) * 1024 / count if count else float("nan")
        print(
            f"   {count} open in {open_seconds:.1f} s ({count / open_seconds:.0f}/s); per session "
            f"p50 {ms(pct(load.open_times, 50))}, p95 {ms(pct(load.open_times, 95))}, "
            f"max {ms(pct(load.open_times, 100))}; failed {len(load.open_failures)}; "
            f"bot RSS {open_rss:.0f} MB ({per_session:+.0f} KB per session)",
            flush=True,
        )
        for failure in load.open_failures[:5]:
            print(f"      failed: {failure}")
        if not count:
            raise RuntimeError(f"no session opened; the bot's log:\n{bot.tail()}")

        print(
            f"\n2. driving {args.rate:g} msg/s for {args.seconds:g} s after {args.warmup:g} s "
            "of warm-up ...",
            flush=True,
        )
        watcher = asyncio.create_task(load.watch())
        log_start = bot.log.stat().st_size
        await load.drive(args.warmup)
        load.measuring = load.window_open = True
        cpu0, own0, t0 = cpu_seconds(bot.pid), time.process_time(), time.monotonic()
        await load.drive(args.seconds)
        load.measuring = load.window_open = False
        cpu1, own1, t1 = cpu_seconds(bot.pid), time.process_time(), time.monotonic()
        end_rss = rss_mb(bot.pid)
        await load.drain()
        if not bot.alive:
            raise RuntimeError(f"the bot exited with {bot.proc.returncode}:\n{bot.tail()}")

        s = load.stats
        window = t1 - t0
        rate = s.answered / window
        lat = s.latencies
        open_now = sum(1 for session in load.sessions if not session.dead)
        errors = s.error_frames + s.closed + s.timeouts + s.unanswered
        cpu_per = (cpu1 - cpu0) * 1000 / s.answered if s.answered else float("nan")
        print(
            f"   sessions open {open_now}; answered {rate:.1f} msg/s (offered {args.rate:g}/s: "
            f"{s.sent} sent in {window:.1f} s = {s.sent / window:.1f}/s, {s.skipped} arrivals "
            "skipped with every session busy)"
        )
        print(
            f"   round trip p50 {ms(pct(lat, 50))}, p95 {ms(pct(lat, 95))}, "
            f"p99 {ms(pct(lat, 99))}, max {ms(pct(lat, 100))}"
        )
        print(
            f"   errors {errors}: error frames {s.error_frames}, sockets closed {s.closed}, "
            f"timeouts (> {STEP_TIMEOUT:g} s) {s.timeouts}, never answered {s.unanswered}"
        )
        print(
            f"   bot: CPU {cpu_per:.2f} ms/message ({100 * (cpu1 - cpu0) / window:.0f}% of a "
            f"core), RSS {end_rss:.0f} MB; load generator {100 * (own1 - own0) / window:.0f}% "
            f"of a core, sent late by p95 {ms(pct(s.lag, 95))}, max {ms(pct(s.lag, 100))}"
        )
        window_log = bot.text().encode()[log_start:].decode("utf-8", "replace")
        logged = [line for line in window_log.splitlines() if LOG_ERROR.match(line)]
        if logged:
            print(f"   errors logged by the bot: {len(logged)}, e.g. {logged[0][:200]}")
        if s.error_samples:
            print(f"   error frames, e.g.: {' | '.join(s.error_samples)}")
        if args.verbose:
            print(f"   toasts {s.toasts}; by frame ({len(s.by_kind)} kinds):")
            for kind, values in sorted(s.by_kind.items(), key=lambda item: -len(item[1])):
                print(
                    f"      {kind:12s} {len(values):6d} sent, p50 {ms(pct(values, 50)):>8s}, "
                    f"p95 {ms(pct(values, 95)):>8s}, max {ms(pct(values, 100)):>8s}"
                )
        print(
            "\n"
            + verdict(
                args,
                Figures(
                    sessions=min(open_now, count),
                    rate=rate,
                    p95=pct(lat, 95),
                    errors=errors,
                    answered_share=(s.sent - s.unanswered) / s.sent if s.sent else 0.0,
                ),
            )
        )
        return 0
    except RuntimeError as error:
        died = True
        print(f"\nfailed: {error}", file=sys.stderr)
        return 1
    finally:
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        if load is not None:
            await load.close()
        if bot is not None:
            was_alive = bot.alive
            code = await bot.stop()
            if not was_alive or code not in (0, -signal.SIGTERM):
                if not died:
                    print(f"\nthe bot ended with {code}; its log:\n{bot.tail()}", file=sys.stderr)
            elif args.verbose:
                print(f"\nthe bot stopped ({code}); errors logged in all: {bot.errors_logged()}")
            if "OFFLINE GUARD" in bot.text():
                print(f"the bot tried to reach the network:\n{bot.tail()}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument(
        "--sessions", type=int, help=f"sessions held open (default {DEFAULTS['sessions']})"
    )
    parser.add_argument(
        "--rate", type=float, help=f"messages/s over all sessions (default {DEFAULTS['rate']:g})"
    )
    parser.add_argument(
        "--seconds", type=float, help=f"measured seconds (default {DEFAULTS['seconds']:g})"
    )
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke test: 50 sessions, 50 msg/s, 5 s (unless given)",
    )
    parser.add_argument("--even", action="store_true", help="evenly spaced arrivals (not Poisson)")
    parser.add_argument(
        "--no-deflate",
        action="store_true",
        help="no permessage-deflate on the sockets (browsers offer it)",
    )
    parser.add_argument(
        "--open-concurrency", type=int, default=50, help="sessions opening at the same time"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed of the driver")
    parser.add_argument(
        "--verbose", action="store_true", help="also latency by frame kind and socket closes"
    )
    args = parser.parse_args()
    preset = QUICK if args.quick else DEFAULTS
    for name, value in preset.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.sessions < 1 or args.rate <= 0 or args.seconds <= 0 or args.warmup < 0:
        parser.error("--sessions, --rate and --seconds must be positive, --warmup not negative")
    if args.open_concurrency < 1:
        parser.error("--open-concurrency must be positive")
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
