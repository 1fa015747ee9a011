"""How fast the running bot serves many candidates at once, against stand-in servers on 127.0.0.1.

Simulated candidates talk to a real bot process through the stand-in Bot API / VK API servers
(tests/fakes), which run in a child process together with the candidates' driver, so neither
shares the bot's CPU. Each candidate is a closed loop with no think time: it sends an update,
waits for the bot's answer (read from the stand-in server through its call observer), then sends
the next one. A session is /start, the checklist (open it, tick three items), back to the menu,
the vacancy list, a vacancy card, the test task, the button after it (submit) and, the first
time, the consent; then /start again. A message is answered when the bot has sent a message to
that chat after it; a button press when the press is answered and the screen was edited (or a
new one sent) after it; latency runs from enqueuing the update to that moment. A step without
an answer within 10 s is a timeout and restarts that candidate's session. The stand-in servers
enforce the platforms' limits (Telegram: 1 message/s per chat with a burst of 3, 20/min per
group, 30/s bulk; VK: 20 requests/s).

1. bare: a minimal aiogram bot (default polling settings) that answers any message with a
   keyboard and any press by answering it and editing the text; the yardstick. Fast enough to
   meet Telegram's per-chat limit with this session (a new message every ~11 steps), it waits
   `retry_after` when told to, as any bot must; its 429s are shown.
2. hr: the real `python -m bot` (default settings, the example vacancies imported).
   Rounds alternate bare, hr, bare, hr. For each: updates/s, latency p50/p95/p99, the bot
   process's CPU time per update, 429s, timeouts; then hr's throughput and p95 against bare.
3. broadcast: the hr load while the bot sends a broadcast to 10,000 Telegram recipients at the
   default BROADCAST_RATE: interactive updates/s and p50/p95, the broadcast's achieved rate
   over the window / BROADCAST_RATE, 429s.
4. vk: the hr session on VK (community token limited to 20 requests/s): updates/s, API requests
   per update (all requests but long poll; an execute is one), p50/p95, error-6 count, and
   throughput against what 20 requests/s allow at that request cost.

    .venv/bin/python bench/load.py [--seconds 20] [--only bare,hr,broadcast,vk] [--candidates 100]
                                   [--broadcast-rate 25]

Takes about 4 * (seconds + 10) + 2 * (seconds + 15) seconds with every part.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: A sitecustomize that makes the bot processes fail loudly on any connection outside 127.0.0.1.
GUARD = ROOT / "tests" / "e2e" / "offline"
TOKEN = "123456:LOAD-bench-token-for-the-stand-in-server"
VK_TOKEN = "vk-load-bench-token"
VK_GROUP = 1
VK_RATE = 20
ADMIN = 900
CANDIDATE_BASE = 500_000_001
FIRST_RECIPIENT = 100_000_001
RECIPIENTS = 10_000
BENCH_TAG = "loadbench"
STEP_TIMEOUT = 10.0
WARMUP = 5.0
PARTS = ("bare", "hr", "broadcast", "vk")
#: An ERROR record in the bots' logs (hr-bot's format has a timestamp first, the bare bot's not).
LOG_ERROR = re.compile(r"^(\d{4}-\d\d-\d\d [\d:,.]+ )?(ERROR|CRITICAL)\b")


# --- what a candidate does -------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One update of a session: a message (``text``) or a press of a button whose action name
    is one of ``press`` on the current screen. The bot's answer is a screen with a button of
    ``expect`` (the next step's buttons, so a late output of an earlier step never passes for
    it). An ``optional`` step is skipped when the screen has no such button."""

    text: str = ""
    press: frozenset[str] = frozenset()
    expect: frozenset[str] = frozenset()
    optional: bool = False


def _press(*names: str, expect: tuple[str, ...], optional: bool = False) -> Step:
    return Step(press=frozenset(names), expect=frozenset(expect), optional=optional)


HR_SESSION = (
    Step(text="/start", expect=frozenset({"cl"})),
    _press("cl", expect=("cl.t",)),
    _press("cl.t", expect=("cl.t",)),
    _press("cl.t", expect=("cl.t",)),
    _press("cl.t", expect=("menu",)),
    _press("menu", expect=("vac.list",)),
    _press("vac.list", expect=("vac.o",)),
    _press("vac.o", expect=("app.task", "app.open")),
    # the test task (or, once issued, the application, which offers the same submit button);
    # some vacancies ask screening questions first: a candidate answers them as one who
    # passes (`Driver.passing`), up to the three questions the examples have
    _press("app.task", "app.open", expect=("app.submit", "scr")),
    _press("scr", expect=("scr", "app.submit"), optional=True),
    _press("scr", expect=("scr", "app.submit"), optional=True),
    _press("scr", expect=("app.submit",), optional=True),
    _press("app.submit", expect=("app.cy", "app.cancel")),
    _press("app.cy", expect=("app.cancel",), optional=True),  # consent, asked once
)
BARE_SESSION = (
    Step(text="/start", expect=frozenset({"b"})),
    *[_press("b", expect=("b",)) for _ in range(10)],
)
SESSIONS = {"hr": HR_SESSION, "bare": BARE_SESSION}


def throttle_texts() -> frozenset[str]:
    """What hr-bot answers when its per-user flood throttle drops an update."""
    texts = set()
    for path in (ROOT / "locales").glob("*/*.ftl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"too-many-requests\s*=\s*(.+)$", line)
            if match:
                texts.add(match.group(1).strip())
    return frozenset(texts)


# --- the stand-in server side: platform adapters ------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What a finished call means for a candidate."""

    kind: str  # "answer" (a press answered) | "send" (a new message) | "edit"
    chat: int = 0
    token: str = ""  # callback query id / VK event id
    message: Any = None
    text: str = ""


@dataclass(eq=False)
class Candidate:
    user: Any
    chat_id: int
    step: int = 0
    screen: Any = None  # the bot message the next press happens on (live object of the fake)
    started: float = 0.0
    token: str = ""
    answered: bool = False
    shown: Any = None
    waiting: bool = False


class Adapter(Protocol):
    def new_user(self, user_id: int) -> Any: ...

    def send_text(self, candidate: Candidate, text: str) -> None: ...

    def buttons(self, message: Any) -> list[tuple[str, Any]]: ...

    def press(self, candidate: Candidate, message: Any, data: Any) -> str: ...

    def seen(self, call: Any) -> Seen | None: ...


TG_SENDS = frozenset({"sendMessage", "sendDocument", "sendPhoto", "copyMessage"})
TG_EDITS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})


class TelegramAdapter:
    def __init__(self, tg: Any) -> None:
        self.tg = tg

    def new_user(self, user_id: int) -> Any:
        return self.tg.user(user_id, "Кандидат", language_code="ru")

    def send_text(self, candidate: Candidate, text: str) -> None:
        self.tg.send_text(candidate.user, text)

    def buttons(self, message: Any) -> list[tuple[str, Any]]:
        return [
            (str(b["callback_data"]).split(":", 1)[0], str(b["callback_data"]))
            for row in message.buttons()
            for b in row
            if "callback_data" in b
        ]

    def press(self, candidate: Candidate, message: Any, data: Any) -> str:
        return str(self.tg.press(candidate.user, message.message_id, data, chat_id=message.chat_id))

    def _message(self, chat: Any, message_id: Any) -> Any:
        try:
            return self.tg.message(int(chat), int(message_id))
        except (AssertionError, TypeError, ValueError):
            return None

    def seen(self, call: Any) -> Seen | None:
        method, params = call.method, call.params
        if method == "answerCallbackQuery":
            text = params.get("text")
            return Seen("answer", token=str(params.get("callback_query_id")), text=str(text or ""))
        if method in TG_SENDS and isinstance(call.result, dict):
            message = self._message(params.get("chat_id"), call.result.get("message_id"))
        elif method in TG_EDITS:
            message = self._message(params.get("chat_id"), params.get("message_id"))
        else:
            return None
        if message is None:
            return None
        kind = "send" if method in TG_SENDS else "edit"
        return Seen(kind, chat=message.chat_id, message=message, text=str(message.text or ""))


class VkAdapter:
    def __init__(self, vk: Any) -> None:
        self.vk = vk

    def new_user(self, user_id: int) -> Any:
        return self.vk.user(user_id, "Кандидат")

    def send_text(self, candidate: Candidate, text: str) -> None:
        if text == "/start":  # what the VK client's "Start" button sends
            self.vk.send_text(candidate.user, "Начать", payload={"command": "start"})
        else:
            self.vk.send_text(candidate.user, text)

    def buttons(self, message: Any) -> list[tuple[str, Any]]:
        found = []
        for row in message.buttons():
            for button in row:
                action = button.get("action", {})
                if action.get("type") != "callback" or not action.get("payload"):
                    continue
                try:
                    payload = json.loads(action["payload"])
                except ValueError:
                    continue
                if isinstance(payload, dict) and isinstance(payload.get("a"), str):
                    found.append((payload["a"].split(":", 1)[0], payload))
        return found

    def press(self, candidate: Candidate, message: Any, data: Any) -> str:
        return str(
            self.vk.press(
                candidate.user, message.conversation_message_id, data, peer_id=message.peer_id
            )
        )

    def _message(self, peer: Any, match: Callable[[Any], bool]) -> Any:
        if not isinstance(peer, int):
            return None
        for message in reversed(self.vk.messages(peer)):
            if match(message):
                return message
        return None

    def seen(self, call: Any) -> Seen | None:
        method, params = call.method, call.params
        if method == "messages.sendMessageEventAnswer":
            data = params.get("event_data")
            text = data.get("text", "") if isinstance(data, dict) else ""
            return Seen("answer", token=str(params.get("event_id")), text=str(text))
        if method == "messages.send" and isinstance(call.result, int):
            message = self._message(params.get("peer_id"), lambda m: m.id == call.result)
            kind = "send"
        elif method == "messages.edit":
            cmid = params.get("conversation_message_id")
            message = self._message(
                params.get("peer_id"), lambda m: m.conversation_message_id == cmid
            )
            kind = "edit"
        else:
            return None
        if message is None:
            return None
        return Seen(kind, chat=message.peer_id, message=message, text=message.text)


# --- the stand-in server side: the driver --------------------------------------------------------


class Driver:
    """Runs the candidates inside the stand-in server's event loop, fed by its call observer."""

    def __init__(
        self,
        adapter: Adapter,
        session: tuple[Step, ...],
        users: list[Any],
        throttled_texts: frozenset[str],
    ) -> None:
        self.adapter = adapter
        self.session = session
        self.candidates = [Candidate(user, int(user.id)) for user in users]
        self.by_chat = {c.chat_id: c for c in self.candidates}
        self.by_token: dict[str, Candidate] = {}
        self.throttled_texts = throttled_texts
        self.running = False
        self.latencies: list[float] = []
        self.step_of: list[int] = []  # the session step of each latency
        self.done = 0
        self.timeouts = 0
        self.throttled = 0
        self.sessions = 0
        self.lost = 0
        self._ticker: asyncio.Task[None] | None = None
        self._random = random.Random(7)
        # vacancy id -> per question, the indexes of the answers that pass
        self.screening: dict[str, list[set[int]]] = {}

    def passing(self, options: list[Any]) -> list[Any]:
        """Of a screening question's buttons (`scr:<vacancy>:<answers so far>`), the next answer
        that passes; never "back", never a knock-out (the examples' knock-outs are read from
        examples/vacancies.toml: a knocked-out candidate could not ask for the task again)."""
        found = []
        for data in options:
            action = data if isinstance(data, str) else str(data.get("a", ""))
            _, vacancy, answers = ([*action.split(":"), "", ""])[:3]
            passes = self.screening.get(vacancy, [])
            if answers.isdigit() and all(
                index < len(passes) and int(digit) in passes[index]
                for index, digit in enumerate(answers)
            ):
                found.append((len(answers), data))
        deepest = max((depth for depth, _ in found), default=0)
        return [data for depth, data in found if depth == deepest]

    def start(self) -> None:
        self.running = True
        for candidate in self.candidates:
            self._advance(candidate, 0)
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def stop(self) -> None:
        self.running = False
        if self._ticker is not None:
            self._ticker.cancel()

    async def _tick(self) -> None:
        while self.running:
            await asyncio.sleep(0.2)
            now = time.monotonic()
            for candidate in self.candidates:
                if candidate.waiting and now - candidate.started > STEP_TIMEOUT:
                    self.timeouts += 1
                    self.by_token.pop(candidate.token, None)
                    candidate.waiting = False
                    candidate.screen = None
                    self._advance(candidate, 0)

    def observe(self, call: Any) -> None:
        if not self.running or not call.ok:
            return
        seen = self.adapter.seen(call)
        if seen is None:
            return
        if seen.kind == "answer":
            candidate = self.by_token.pop(seen.token, None)
            if candidate is None or candidate.token != seen.token or not candidate.waiting:
                return
            candidate.answered = True
            if seen.text in self.throttled_texts:
                self.throttled += 1
        else:
            found = self.by_chat.get(seen.chat)
            if found is None or not found.waiting or call.time < found.started:
                return
            candidate = found
            if seen.text in self.throttled_texts:
                self.throttled += 1
                return
            step = self.session[candidate.step]
            if step.text and seen.kind != "send":
                return
            if step.expect and not any(
                name in step.expect for name, _ in self.adapter.buttons(seen.message)
            ):
                return
            candidate.shown = seen.message
        step = self.session[candidate.step]
        if candidate.shown is not None and (candidate.answered or not step.press):
            self.latencies.append(time.monotonic() - candidate.started)
            self.step_of.append(candidate.step)
            self.done += 1
            candidate.waiting = False
            candidate.screen = candidate.shown
            asyncio.get_running_loop().call_soon(self._advance, candidate, candidate.step + 1)

    def _advance(self, candidate: Candidate, index: int) -> None:
        if not self.running:
            return
        options: list[Any] = []
        while True:
            if index >= len(self.session):
                self.sessions += 1
                index = 0
            step = self.session[index]
            if step.text:
                break
            if candidate.screen is not None:
                options = [
                    data
                    for name, data in self.adapter.buttons(candidate.screen)
                    if name in step.press
                ]
                if "scr" in step.press:
                    options = self.passing(options)
            if options:
                break
            if step.optional:
                index += 1
                continue
            self.lost += 1  # the screen lacks the button the session needs: start over
            index = 0
        candidate.step = index
        candidate.answered = False
        candidate.shown = None
        candidate.waiting = True
        candidate.started = time.monotonic()
        if step.text:
            candidate.token = ""
            self.adapter.send_text(candidate, step.text)
        else:
            candidate.token = self.adapter.press(
                candidate, candidate.screen, self._random.choice(options)
            )
            self.by_token[candidate.token] = candidate


class Bench:
    """The child process's state: one stand-in server per round, the driver, counters."""

    def __init__(self) -> None:
        self.fake: Any = None
        self.adapter: Adapter | None = None
        self.driver: Driver | None = None
        self.requests = 0
        self.broadcast_sends = 0
        self.throttled_texts = throttle_texts()

    def _count(self, call: Any) -> None:
        if call.via_execute or call.method in ("getUpdates", "longpoll"):
            return
        self.requests += 1
        chat = call.params.get("chat_id")
        if (
            call.method == "sendMessage"
            and call.ok
            and isinstance(chat, int)
            and FIRST_RECIPIENT <= chat < FIRST_RECIPIENT + RECIPIENTS
        ):
            self.broadcast_sends += 1

    async def round(self, params: dict[str, Any]) -> Any:
        from tests.fakes.telegram import FakeTelegram
        from tests.fakes.vk import FakeVK

        await self.end({})
        self.requests = self.broadcast_sends = 0
        if params["platform"] == "vk":
            vk = FakeVK(token=VK_TOKEN, group_id=VK_GROUP)
            await vk.start()
            vk.rate_limit(VK_RATE)
            self.fake, self.adapter = vk, VkAdapter(vk)
            url = f"{vk.url}/method/"
        else:
            tg = FakeTelegram(token=TOKEN)
            await tg.start()
            tg.user(ADMIN, "Admin")
            for user_id in range(
                FIRST_RECIPIENT, FIRST_RECIPIENT + int(params.get("recipients", 0))
            ):
                tg.user(user_id, "U")
            tg.enforce_limits()
            self.fake, self.adapter = tg, TelegramAdapter(tg)
            url = tg.url
        self.fake.observe(self._count)
        return {"url": url}

    async def polling(self, params: dict[str, Any]) -> Any:
        await self.fake.wait_polling(timeout=float(params.get("timeout", 60)))
        return True

    async def load(self, params: dict[str, Any]) -> Any:
        assert self.adapter is not None
        users = [
            self.adapter.new_user(CANDIDATE_BASE + n) for n in range(int(params["candidates"]))
        ]
        self.driver = Driver(self.adapter, SESSIONS[params["session"]], users, self.throttled_texts)
        self.driver.screening = {
            vacancy: [set(passes) for passes in questions]
            for vacancy, questions in dict(params.get("screening") or {}).items()
        }
        self.fake.observe(self.driver.observe)
        self.driver.start()
        return True

    async def snapshot(self, params: dict[str, Any]) -> Any:
        driver = self.driver
        assert driver is not None
        latencies, driver.latencies = driver.latencies, []
        steps, driver.step_of = driver.step_of, []
        return {
            "time": time.monotonic(),
            "done": driver.done,
            "latencies": latencies,
            "steps": steps,
            "timeouts": driver.timeouts,
            "throttled": driver.throttled,
            "sessions": driver.sessions,
            "lost": driver.lost,
            "too_many": self.fake.too_many_requests,
            "by_scope": dict(getattr(self.fake, "too_many_by_scope", {})),
            "requests": self.requests,
            "broadcast_sends": self.broadcast_sends,
            # requests that broke the API specification (tests/fakes/spec.py): never expected
            "spec_violations": len(self.fake.spec_violations),
            "spec_examples": [str(v) for v in self.fake.spec_violations[:3]],
        }

    async def stop(self, params: dict[str, Any]) -> Any:
        if self.driver is not None:
            self.driver.stop()
        return True

    async def end(self, params: dict[str, Any]) -> Any:
        await self.stop(params)
        self.driver = None
        self.adapter = None
        if self.fake is not None:
            fake, self.fake = self.fake, None
            await fake.stop()
        return True


async def serve() -> None:
    import gc

    from aiohttp import web

    # the stand-in servers keep every call; their own collector pauses would bunch requests
    # up and make them count a burst the bot never sent
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)

    bench = Bench()

    async def handle(request: web.Request) -> web.Response:
        command = request.match_info["command"]
        if command not in ("round", "polling", "load", "snapshot", "stop", "end"):
            raise web.HTTPNotFound()
        params = await request.json()
        try:
            result = await getattr(bench, command)(params)
        except AssertionError as error:
            return web.json_response({"error": str(error)[:2000]})
        return web.json_response({"result": result})

    app = web.Application()
    app.router.add_post("/{command}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(f"http://127.0.0.1:{port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await bench.end({})
    await runner.cleanup()


# --- the bare bot (a child process) -----------------------------------------------------------


async def bare_bot(url: str, token: str) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.exceptions import TelegramRetryAfter
    from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=f"Option {n}", callback_data=f"b:{n}") for n in (1, 2, 3)],
            [InlineKeyboardButton(text="Back", callback_data="b:0")],
        ]
    )
    counter = itertools.count(1)
    dp = Dispatcher()

    @dp.message()
    async def on_message(message: Message) -> None:
        text = f"Hello! ({next(counter)})"
        try:
            await message.answer(text, reply_markup=keyboard)
        except TelegramRetryAfter as error:
            # being faster, it meets Telegram's one-message-a-second-per-chat limit with this
            # session: it waits as Telegram asks and answers (its 429s are shown)
            await asyncio.sleep(error.retry_after)
            await message.answer(text, reply_markup=keyboard)

    @dp.callback_query()
    async def on_press(callback: CallbackQuery) -> None:
        await callback.answer()
        if isinstance(callback.message, Message):
            await callback.message.edit_text(
                f"You chose {callback.data} ({next(counter)})", reply_markup=keyboard
            )

    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    await dp.start_polling(bot)


# --- the orchestrator -----------------------------------------------------------------------------


class Server:
    """The stand-in servers and the candidates' driver, in a child process."""

    def __init__(self) -> None:
        self.proc: asyncio.subprocess.Process | None = None
        self.url = ""
        self._session: Any = None

    async def start(self) -> None:
        import aiohttp

        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--serve", stdout=asyncio.subprocess.PIPE, cwd=ROOT
        )
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), 60)
        self.url = line.decode().strip()
        if not self.url:
            raise RuntimeError("the stand-in server process did not start")
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=180))

    async def call(self, command: str, **params: Any) -> Any:
        async with self._session.post(f"{self.url}/{command}", json=params) as response:
            body = await response.json()
        if "error" in body:
            raise RuntimeError(f"stand-in server: {command}: {body['error']}")
        return body["result"]

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
        proc = self.proc
        if proc is not None and proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        data = stat.read()
    fields = data[data.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bot_env(workdir: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT)]),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
        "HOME": str(workdir),
        **extra,
    }


class BotProcess:
    def __init__(self, proc: asyncio.subprocess.Process, log: Path) -> None:
        self.proc = proc
        self.log = log

    @classmethod
    async def start(
        cls, args: list[str], env: dict[str, str], workdir: Path, name: str
    ) -> BotProcess:
        log = workdir / f"{name}.log"
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                *args,
                cwd=workdir,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=out,
            )
        return cls(proc, log)

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join("      | " + line for line in text[-lines:])

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def run_cli(env: dict[str, str], workdir: Path, *args: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=workdir,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(proc.communicate(), 120)
    if proc.returncode != 0:
        raise RuntimeError(f"python -m bot {' '.join(args)} failed:\n{output.decode()}")


def copy_db(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def seed_recipients(db_path: Path) -> None:
    """10,000 Telegram candidates subscribed to a tag only they have (so the broadcast never
    reaches the simulated candidates), plus the admin who authors the broadcast."""
    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "INSERT INTO users (platform, external_id, locale, role, first_seen, last_seen) "
            "VALUES ('tg', ?, 'ru', 'admin', ?, ?)",
            (ADMIN, stamp, stamp),
        )
        conn.executemany(
            "INSERT INTO users (platform, external_id, locale, first_seen, last_seen) "
            "VALUES ('tg', ?, 'ru', ?, ?)",
            (
                (user_id, stamp, stamp)
                for user_id in range(FIRST_RECIPIENT, FIRST_RECIPIENT + RECIPIENTS)
            ),
        )
        conn.execute(
            "INSERT INTO subscriptions (user_id, kind, value, created_at) "
            "SELECT id, 'tag', ?, ? FROM users WHERE platform = 'tg' AND external_id >= ?",
            (BENCH_TAG, stamp, FIRST_RECIPIENT),
        )
    conn.close()


async def start_broadcast(db_path: Path, url: str) -> None:
    """Create and start the broadcast through the app's own services; the bot resumes it."""
    from bot.app import open_app
    from bot.broadcast.model import Audience, Content, Who
    from bot.config import Settings
    from bot.domain import Platform

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_url=url,
        admin_ids=[ADMIN],
        database_path=db_path,
    )
    async with open_app(settings) as app:
        service = app.services.broadcasts
        admin = await app.services.users.find(Platform.TELEGRAM, ADMIN)
        assert admin is not None
        draft = await service.create_draft(admin.id, Content("<b>Нагрузочный тест</b> рассылки"))
        draft = await service.set_audience(draft, Audience(Who.TAG, value=BENCH_TAG))
        assert await service.audience_size(draft.audience) == RECIPIENTS
        assert await service.start_now(draft)


@dataclass
class Round:
    part: str
    seconds: float
    done: int
    latencies: list[float]
    steps: list[int]
    cpu: float
    server_cpu: float
    too_many: int
    by_scope: dict[str, int]
    timeouts: int
    throttled: int
    lost: int
    sessions: int
    requests: int
    broadcast_sends: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def screening_map(db: Path) -> dict[str, list[list[int]]]:
    """Vacancy id -> per screening question, the indexes of the answers that pass."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT id, screening FROM vacancies").fetchall()
    return {
        str(vacancy): [
            [i for i, option in enumerate(question["options"]) if option.get("passes")]
            for question in json.loads(raw or "[]")
        ]
        for vacancy, raw in rows
    }


async def measure(
    server: Server,
    bot: BotProcess,
    args: argparse.Namespace,
    session: str,
    part: str,
    screening: dict[str, list[list[int]]] | None = None,
) -> Round:
    try:
        await server.call("polling", timeout=60)
    except RuntimeError:
        raise RuntimeError(f"the {part} bot never polled; its log:\n{bot.tail()}") from None
    await server.call(
        "load", session=session, candidates=args.candidates, screening=screening or {}
    )
    await asyncio.sleep(args.warmup)
    assert server.proc is not None
    first = await server.call("snapshot")
    cpu0 = cpu_seconds(bot.proc.pid)
    server_cpu0 = cpu_seconds(server.proc.pid)
    log_start = bot.log.stat().st_size
    await asyncio.sleep(args.seconds)
    cpu1 = cpu_seconds(bot.proc.pid)
    server_cpu1 = cpu_seconds(server.proc.pid)
    last = await server.call("snapshot")
    log_end = bot.log.stat().st_size
    await server.call("stop")
    if bot.proc.returncode is not None:
        raise RuntimeError(f"the {part} bot exited; its log:\n{bot.tail()}")
    with bot.log.open("rb") as log:
        log.seek(log_start)
        window = log.read(log_end - log_start).decode("utf-8", "replace")
    return Round(
        part=part,
        seconds=last["time"] - first["time"],
        done=last["done"] - first["done"],
        latencies=last["latencies"],
        steps=last["steps"],
        cpu=cpu1 - cpu0,
        too_many=last["too_many"] - first["too_many"],
        by_scope={k: v - first["by_scope"].get(k, 0) for k, v in last["by_scope"].items()},
        timeouts=last["timeouts"] - first["timeouts"],
        throttled=last["throttled"] - first["throttled"],
        lost=last["lost"] - first["lost"],
        sessions=last["sessions"] - first["sessions"],
        requests=last["requests"] - first["requests"],
        broadcast_sends=last["broadcast_sends"] - first["broadcast_sends"],
        server_cpu=server_cpu1 - server_cpu0,
        extra={
            "log_errors": sum(1 for line in window.splitlines() if LOG_ERROR.match(line)),
            "spec_violations": last["spec_violations"] - first["spec_violations"],
            "spec_examples": last["spec_examples"],
        },
    )


async def run_part(
    part: str, server: Server, args: argparse.Namespace, workdir: Path, template: Path
) -> Round:
    rounddir = Path(tempfile.mkdtemp(prefix=f"{part}-", dir=workdir))
    db_path = rounddir / "bot.sqlite3"
    if part == "vk":
        info = await server.call("round", platform="vk")
        env = bot_env(
            rounddir,
            VK_TOKEN=VK_TOKEN,
            VK_GROUP_ID=str(VK_GROUP),
            VK_API_URL=info["url"],
            DATABASE_PATH=str(db_path),
        )
    else:
        recipients = RECIPIENTS if part == "broadcast" else 0
        info = await server.call("round", platform="tg", recipients=recipients)
        env = bot_env(
            rounddir,
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=info["url"],
            DATABASE_PATH=str(db_path),
            ADMIN_IDS=str(ADMIN),
        )
        if args.broadcast_rate is not None:
            env["BROADCAST_RATE"] = f"{args.broadcast_rate:g}"
    if part == "bare":
        command = [sys.executable, __file__, "--bare", info["url"], TOKEN]
    else:
        copy_db(template, db_path)
        if part == "broadcast":
            seed_recipients(db_path)
            await start_broadcast(db_path, info["url"])
        command = [sys.executable, "-m", "bot"]
    bot = await BotProcess.start(command, env, rounddir, part)
    try:
        session = "bare" if part == "bare" else "hr"
        screening = screening_map(db_path) if part != "bare" else None
        result = await measure(server, bot, args, session, part, screening)
    finally:
        with contextlib.suppress(Exception):
            await server.call("stop")  # no new updates while the bot drains
        await bot.stop()
        with contextlib.suppress(Exception):
            await server.call("end")
    if "OFFLINE GUARD" in bot.log.read_text(encoding="utf-8", errors="replace"):
        raise RuntimeError(f"the {part} bot tried to reach the network:\n{bot.tail()}")
    shutil.rmtree(rounddir, ignore_errors=True)
    return result


def describe(r: Round) -> str:
    scopes = ", ".join(f"{k} {v}" for k, v in r.by_scope.items() if v)
    too_many = f"{r.too_many}" + (f" ({scopes})" if scopes else "")
    cpu = r.cpu * 1000 / r.done if r.done else float("nan")
    text = (
        f"{r.rate:7.1f} updates/s, p50 {pct(r.latencies, 50):6.0f} ms, "
        f"p95 {pct(r.latencies, 95):6.0f} ms, p99 {pct(r.latencies, 99):6.0f} ms, "
        f"CPU {cpu:5.2f} ms/update, 429s {too_many}, timeouts {r.timeouts}; "
        f"{r.requests / r.done if r.done else float('nan'):.2f} requests/update, "
        f"{r.sessions} sessions completed; stand-in server busy "
        f"{100 * r.server_cpu / r.seconds:.0f}% of a core"
    )
    if r.throttled:
        text += f", flood-throttle notices {r.throttled}"
    if r.lost:
        text += f", sessions cut short {r.lost}"
    if r.extra.get("log_errors"):
        text += f", errors logged by the bot {r.extra['log_errors']}"
    if r.extra.get("spec_violations"):
        examples = "; ".join(r.extra.get("spec_examples") or [])
        text += (
            f", requests breaking the API specification {r.extra['spec_violations']} ({examples})"
        )
    return text


def step_table(r: Round, indent: str = "      ") -> str:
    """Answered steps and their latency, step by step (--verbose)."""
    session = SESSIONS["bare" if r.part == "bare" else "hr"]
    lines = []
    for index, step in enumerate(session):
        values = [x for x, i in zip(r.latencies, r.steps, strict=True) if i == index]
        name = step.text or "/".join(sorted(step.press))
        lines.append(
            f"{indent}{index:2d} {name:20s} {len(values):6d} answered, "
            f"p50 {pct(values, 50):6.0f} ms, p95 {pct(values, 95):6.0f} ms"
        )
    return "\n".join(lines)


@dataclass
class Pooled:
    rounds: list[Round]

    @property
    def rate(self) -> float:
        return sum(r.done for r in self.rounds) / sum(r.seconds for r in self.rounds)

    @property
    def latencies(self) -> list[float]:
        return [x for r in self.rounds for x in r.latencies]

    def line(self) -> str:
        done = sum(r.done for r in self.rounds)
        cpu = sum(r.cpu for r in self.rounds) * 1000 / done if done else float("nan")
        lat = self.latencies
        return (
            f"{self.rate:7.1f} updates/s, p50 {pct(lat, 50):6.0f} ms, p95 {pct(lat, 95):6.0f} ms, "
            f"p99 {pct(lat, 99):6.0f} ms, CPU {cpu:5.2f} ms/update, "
            f"429s {sum(r.too_many for r in self.rounds)}, "
            f"timeouts {sum(r.timeouts for r in self.rounds)}"
        )


async def run(args: argparse.Namespace) -> None:
    from bot.config import Settings

    broadcast_rate = args.broadcast_rate or float(Settings.model_fields["broadcast_rate"].default)
    parts = [p for p in PARTS if p in args.only]
    print(
        f"cores: {os.cpu_count()}, python {sys.version.split()[0]}; {args.candidates} candidates, "
        f"{args.seconds:g} s per round after {args.warmup:g} s of warm-up; step timeout "
        f"{STEP_TIMEOUT:g} s",
        flush=True,
    )
    server = Server()
    with tempfile.TemporaryDirectory(prefix="hr-load-") as tmp:
        workdir = Path(tmp)
        template = workdir / "template.sqlite3"
        try:
            await server.start()
            if {"hr", "broadcast", "vk"} & set(parts):
                env = bot_env(
                    workdir,
                    BOT_TOKEN=TOKEN,
                    TELEGRAM_API_URL="http://127.0.0.1:9",
                    DATABASE_PATH=str(template),
                    ADMIN_IDS=str(ADMIN),
                )
                await run_cli(
                    env, workdir, "import-vacancies", str(ROOT / "examples/vacancies.toml")
                )
            rounds: dict[str, list[Round]] = {"bare": [], "hr": []}
            order = [p for p in ("bare", "hr", "bare", "hr") if p in parts]
            if order:
                print("\n1-2. bare aiogram bot vs hr-bot, alternating rounds ...", flush=True)
            for number, part in enumerate(order, 1):
                result = await run_part(part, server, args, workdir, template)
                rounds[part].append(result)
                label = "bare bot" if part == "bare" else "hr-bot  "
                print(f"   round {number} {label}: {describe(result)}", flush=True)
                if args.verbose:
                    print(step_table(result), flush=True)
            pooled = {part: Pooled(rs) for part, rs in rounds.items() if rs}
            for part, label in (("bare", "bare bot"), ("hr", "hr-bot  ")):
                if part in pooled:
                    print(f"   {label} (all rounds): {pooled[part].line()}")
            if "bare" in pooled and "hr" in pooled:
                bare, hr = pooled["bare"], pooled["hr"]
                print(
                    f"   hr-bot / bare: throughput ratio {hr.rate / bare.rate:.3f}, "
                    f"p95 ratio {pct(hr.latencies, 95) / pct(bare.latencies, 95):.1f}"
                )
            if "broadcast" in parts:
                print(
                    f"\n3. broadcast to {RECIPIENTS:,} Telegram recipients at BROADCAST_RATE "
                    f"{broadcast_rate:g}/s under the hr load ...",
                    flush=True,
                )
                r = await run_part("broadcast", server, args, workdir, template)
                achieved = r.broadcast_sends / r.seconds
                print(f"   interactive: {describe(r)}")
                if args.verbose:
                    print(step_table(r))
                print(
                    f"   broadcast: {r.broadcast_sends} messages in {r.seconds:.1f} s = "
                    f"{achieved:.2f}/s, ratio {achieved / broadcast_rate:.3f} of BROADCAST_RATE; "
                    f"429s {r.too_many}"
                )
            if "vk" in parts:
                print(f"\n4. VK, community token limited to {VK_RATE} requests/s ...", flush=True)
                r = await run_part("vk", server, args, workdir, template)
                per_update = r.requests / r.done if r.done else float("nan")
                ceiling = VK_RATE / per_update if r.done else float("nan")
                print(
                    f"   {r.rate:.2f} updates/s, {per_update:.2f} API requests per update, "
                    f"p50 {pct(r.latencies, 50):.0f} ms, p95 {pct(r.latencies, 95):.0f} ms, "
                    f"error 6: {r.too_many}, timeouts {r.timeouts}"
                    + (f", flood-throttle notices {r.throttled}" if r.throttled else "")
                )
                if args.verbose:
                    print(f"   {describe(r)}")
                    print(step_table(r))
                print(
                    f"   throughput / ({VK_RATE} / requests per update = {ceiling:.2f}): "
                    f"{r.rate / ceiling:.3f}; updates/s / {VK_RATE}: {r.rate / VK_RATE:.3f}"
                )
        finally:
            await server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per round")
    parser.add_argument(
        "--only",
        type=lambda text: [p.strip() for p in text.split(",") if p.strip()],
        default=list(PARTS),
        help="comma-separated parts: bare,hr,broadcast,vk",
    )
    parser.add_argument("--candidates", type=int, default=100, help="concurrent candidates")
    parser.add_argument("--warmup", type=float, default=WARMUP, help="seconds before measuring")
    parser.add_argument(
        "--broadcast-rate",
        type=float,
        default=None,
        help="BROADCAST_RATE for the bot (default: the setting's default); above 30 the "
        "bulk limiter sets the pace, which shows it holds Telegram's limit when saturated",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="also print each session step's latency"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare", nargs=2, metavar=("URL", "TOKEN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    if args.bare:
        import logging

        logging.basicConfig(level=logging.WARNING)
        asyncio.run(bare_bot(*args.bare))
        return
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))} (use {','.join(PARTS)})")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
