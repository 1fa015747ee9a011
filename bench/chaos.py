"""Random crashes: the real `python -m bot` process is killed with SIGKILL at random moments and
started again, while candidates submit answers, a broadcast goes out and imports run.

Against the stand-in Telegram and VK servers (tests/fakes, in this process, on 127.0.0.1) and a
fresh SQLite database in a temporary folder:

- (a) `--candidates` Telegram candidates (default 50) submit answers concurrently (texts, links
  and documents) through the whole flow: the vacancy's link, the task, consent the first time,
  the answer, the receipt; then each thinks a while and replaces the answer;
- (b) an admin starts broadcasts through the bot's own screens to `--recipients` people
  (default 5,000, half on Telegram, half on VK) at the default BROADCAST_RATE; when one ends
  the next one starts;
- (c) `python -m bot import-vacancies FILE` runs as a process of its own in most rounds, with a
  new version of a file of 26 vacancies each time, and is itself killed (SIGKILL) at a random
  moment three times out of four.

The bot is killed at a random moment of a round: while it starts (15%), the moment an answer is
stored, before its receipt could go (15% of the others), or at a random time. After each kill
(and once that round's import has ended) it checks the database the killed process left:

- `PRAGMA integrity_check` is ok;
- answers: every answer whose receipt reached the candidate is stored intact (kind, text, file
  id and name); nothing is stored that the candidate did not send, nor twice; an answer stored
  without its receipt ("unconfirmed") gets the receipt after the restart;
- broadcasts: nobody is recorded as sent who did not get it; the Telegram messages delivered
  but not recorded (those a restart sends again) are at most the requests in flight
  (`concurrency_for(BROADCAST_RATE)`: 8 at the default rate, the README's bound); on VK nobody
  gets a broadcast twice; when a broadcast ends, every recipient got it;
- imports: the database holds either every vacancy of the file exactly as in the file, or
  exactly what it held before.

At the end the bot runs once more until the broadcast and the owed receipts are done, stops
gracefully, and the same checks run, with: no answer stored without its receipt, and no
answer marked as posted to HR that is not in the admin's chat. Then it prints the figures;
everything listed as "must be 0" must be 0 (the exit status is 1 otherwise).

    .venv/bin/python bench/chaos.py [--kills 200] [--time-limit 1500] [--seed N] [--keep]

Every loop has a count and a time limit; child processes and the temporary folder are removed
at the end (also on Ctrl-C). `tests/e2e/test_chaos.py` runs a 10-kill version.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.i18n import Translator  # noqa: E402
from bot.telegram.broadcast import concurrency_for  # noqa: E402
from tests.e2e.process import GUARD, BotProcess, start_bot  # noqa: E402
from tests.fakes.telegram import FakeTelegram, SentMessage  # noqa: E402
from tests.fakes.vk import FakeVK  # noqa: E402

TG_TOKEN = "123456:CHAOS-token-for-the-stand-in-server"
VK_TOKEN = "vk-chaos-token"
ADMIN_TG = 900
ADMIN_VK = 9000
FIRST_CANDIDATE = 6001
FIRST_TG_RECIPIENT = 7_000_001
FIRST_VK_RECIPIENT = 8_000_001
TAG = "новости"  # the recipients subscribe to it; the broadcast goes to its subscribers
VACANCIES = 25  # vacancies in each import file (and one more that is new in each version)
APPLIED = 3  # candidates apply to the first vacancies of the file
BROADCAST_RATE = 25  # the default BROADCAST_RATE: the README's bound of 8 applies
STEP_TIMEOUT = 30.0  # one step of a flow (a message to wait for), unless the bot dies first
READY_TIMEOUT = 60.0  # the bot polls both messengers within this after it is started

TR = Translator.load()
T = TypeVar("T")


def t(key: str, **args: Any) -> str:
    return TR("ru", key, **args)


RECEIPT = t("receipt-title", number=0, time="@").split("0")[0]  # "✅ <b>Ответ получен.</b> ..."
PROMPT = t("answer-prompt", title="@").split("@")[0]


class Down(Exception):
    """The bot was killed while a flow waited for it."""


@dataclass
class Sent:
    """An answer a candidate sent."""

    candidate: int
    kind: str  # text | link | document
    text: str
    file_ref: str
    file_name: str
    mark: int  # tg.mark() when it was sent: its receipt is the next one after this


@dataclass
class Figures:
    kills: int = 0
    startup_kills: int = 0  # kills before the bot was polling both messengers
    answer_kills: int = 0  # kills the moment an answer was stored (before its receipt)
    answers_sent: int = 0
    receipts: int = 0  # answers whose receipt reached the candidate
    receipts_twice: int = 0  # a receipt sent again after a restart (killed before marked)
    stored: int = 0  # answers stored (intact)
    lost: int = 0  # answers with a receipt that are not stored intact: must be 0
    unconfirmed: int = 0  # stored, no receipt when the bot was killed
    unconfirmed_final: int = 0  # stored and still without a receipt at the end
    phantom: int = 0  # stored but never sent (or stored twice): must be 0
    broadcasts_started: int = 0
    broadcasts_done: int = 0
    recipients: int = 0  # recipients of the finished broadcasts
    missed: int = 0  # recipients of a finished broadcast who did not get it: must be 0
    recorded_not_delivered: int = 0  # recorded as sent but never delivered: must be 0
    duplicates: int = 0  # Telegram copies beyond the first, over all broadcasts
    max_unrecorded: int = 0  # most Telegram messages delivered but not recorded at one kill
    bound: int = concurrency_for(BROADCAST_RATE)  # the README's bound for one kill
    over_bound: int = 0  # kills after which more than `bound` could arrive twice: must be 0
    vk_duplicates: int = 0  # must be 0
    imports_attempted: int = 0
    imports_complete: int = 0
    imports_rolled_back: int = 0
    imports_partial: int = 0  # must be 0
    imports_killed: int = 0
    integrity_failures: int = 0  # must be 0
    hr_missing: int = 0  # answers marked as posted to HR that HR never got: must be 0
    hr_owed_end: int = 0  # posts to HR still owed at the end (the next start sends them)
    slow_steps: int = 0  # a candidate waited STEP_TIMEOUT for the bot (running) to answer
    spec_violations: int = 0
    error_lines: int = 0  # ERROR lines in the bot's logs
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def problem(self, text: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(text)

    @property
    def ok(self) -> bool:
        return not self.failures()

    def failures(self) -> list[str]:
        must_be_zero = {
            "lost": self.lost,
            "phantom": self.phantom,
            "unconfirmed_final": self.unconfirmed_final,
            "missed": self.missed,
            "recorded_not_delivered": self.recorded_not_delivered,
            "over_bound": self.over_bound,
            "vk_duplicates": self.vk_duplicates,
            "imports_partial": self.imports_partial,
            "integrity_failures": self.integrity_failures,
            "hr_missing": self.hr_missing,
            "spec_violations": self.spec_violations,
        }
        return [f"{name} = {value}" for name, value in must_be_zero.items() if value]

    def report(self) -> str:
        lines = [
            f"kills: {self.kills} ({self.startup_kills} while starting, {self.answer_kills} "
            f"the moment an answer was stored), {self.seconds:.0f} s",
            f"answers: {self.answers_sent} sent, {self.receipts} receipts, {self.stored} stored, "
            f"lost {self.lost} (must be 0), phantom {self.phantom} (must be 0); stored "
            f"without a receipt at a kill: {self.unconfirmed}, still at the end: "
            f"{self.unconfirmed_final} (must be 0); receipts that came twice: "
            f"{self.receipts_twice}",
            f"broadcasts: {self.broadcasts_started} started, {self.broadcasts_done} finished, "
            f"{self.recipients} recipients, missed {self.missed} (must be 0), recorded but "
            f"not delivered {self.recorded_not_delivered} (must be 0)",
            f"duplicates: Telegram {self.duplicates} in all; at most {self.max_unrecorded} "
            f"delivered-but-unrecorded at one kill (bound {self.bound} a kill, exceeded "
            f"{self.over_bound} times); VK {self.vk_duplicates} (must be 0)",
            f"imports: {self.imports_attempted} attempted ({self.imports_killed} killed), "
            f"{self.imports_complete} complete, {self.imports_rolled_back} rolled back, "
            f"{self.imports_partial} partial (must be 0)",
            f"posts to HR: missing {self.hr_missing} (must be 0), still owed at the end "
            f"{self.hr_owed_end} (the next start sends them: Telegram takes about one message "
            "a second to the admin's chat)",
            f"candidates' steps that waited over {STEP_TIMEOUT:.0f} s: {self.slow_steps}",
            f"integrity failures: {self.integrity_failures} (must be 0); API specification "
            f"violations: {self.spec_violations}; ERROR lines in the bot's logs: "
            f"{self.error_lines}",
        ]
        for message, count in self.errors.most_common(8):
            lines.append(f"  {count} x {message}")
        if self.problems:
            lines.append("problems:")
            lines += [f"  {p}" for p in self.problems[:20]]
        return "\n".join(lines)


# --- the import files -------------------------------------------------------------------------

_FIELDS = (
    "title, project, city, remote, employment, requirements, duties, not_fit, offer, "
    "contacts, hashtags, task_text, deadline_days, status"
)
_PROJECTS = ("coffee", "vintage", "veggie", "pastry", "dental")


def vacancy_rows(version: int) -> dict[str, tuple[Any, ...]]:
    """slug -> the stored columns (`_FIELDS`) of every vacancy in the file of `version`."""
    rows: dict[str, tuple[Any, ...]] = {}
    for n in range(VACANCIES + 1):
        slug = f"chaos-{n:02d}" if n < VACANCIES else f"chaos-new-{version}"
        rows[slug] = (
            f"Вакансия {n} (версия {version})",
            _PROJECTS[n % len(_PROJECTS)],
            "Москва",
            n % 2,
            f"Трудовой договор, версия {version}",
            f"- требование {n}.{version}",
            f"- обязанность {n}.{version}",
            "",
            f"- мы предлагаем {n}.{version}",
            "https://example.com/hr",
            f"вакансия v{version}",
            f"Тестовое задание {n}, версия {version}",
            1 + (version + n) % 30,
            "open",
        )
    return rows


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_import(path: Path, version: int) -> None:
    parts = []
    for slug, row in vacancy_rows(version).items():
        (title, project, city, remote, employment, req, duties, _, offer, contacts, tags) = row[:11]
        task_text, deadline, status = row[11:]
        parts.append(
            "[[vacancy]]\n"
            f"slug = {_toml_text(slug)}\n"
            f"title = {_toml_text(title)}\n"
            f"project = {_toml_text(project)}\n"
            f"city = {_toml_text(city)}\n"
            f"remote = {'true' if remote else 'false'}\n"
            f"employment = {_toml_text(employment)}\n"
            f"requirements = {_toml_text(req)}\n"
            f"duties = {_toml_text(duties)}\n"
            f"offer = {_toml_text(offer)}\n"
            f"contacts = {_toml_text(contacts)}\n"
            f"hashtags = [{', '.join(_toml_text(tag) for tag in tags.split())}]\n"
            f"status = {_toml_text(status)}\n\n"
            "[vacancy.test_task]\n"
            f"text = {_toml_text(task_text)}\n"
            f"deadline_days = {deadline}\n"
        )
    path.write_text("\n".join(parts), encoding="utf-8")


# --- the harness -------------------------------------------------------------------------------


def read_only(database: Path) -> sqlite3.Connection:
    """A connection that never checkpoints or deletes the WAL on close: the next start of the
    bot finds the database exactly as the killed process left it."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


class Chaos:
    def __init__(
        self,
        workdir: Path,
        *,
        kills: int,
        time_limit: float,
        candidates: int,
        recipients: int,
        seed: int,
        live: tuple[float, float],
        think: tuple[float, float],
        first_spread: float,
        say: Callable[[str], None],
    ) -> None:
        self.workdir = workdir
        self.database = workdir / "data" / "bot.sqlite3"
        self.kills = kills
        self.time_limit = time_limit
        self.candidates = candidates
        self.tg_recipients = range(FIRST_TG_RECIPIENT, FIRST_TG_RECIPIENT + recipients // 2)
        self.vk_recipients = range(
            FIRST_VK_RECIPIENT, FIRST_VK_RECIPIENT + recipients - recipients // 2
        )
        self.rng = random.Random(seed)  # the kills and imports: the same for a seed
        self.people_rng = random.Random(seed + 1)  # what candidates do and when
        self.live = live
        self.think = think
        self.first_spread = first_spread
        self.say = say
        self.figures = Figures()
        self.tg = FakeTelegram(token=TG_TOKEN)
        self.vk = FakeVK(token=VK_TOKEN, group_id=1)
        self.bot: BotProcess | None = None
        self.logs: list[Path] = []
        self.up = asyncio.Event()  # the bot polls both messengers
        self.down = asyncio.Event()  # set when the bot is killed; a new one for each start
        self.stopping = False
        self.sent: list[Sent] = []
        self.broadcast_attempts = 0
        self.allow_broadcasts = True
        self.finished: set[int] = set()  # broadcasts checked as finished
        self.doubled: set[int] = set()  # answers stored twice (by id of the Sent)
        self.strangers: set[tuple[Any, ...]] = set()  # stored answers nobody sent
        self.unconfirmed: set[int] = set()  # answers seen stored without a receipt at a kill
        self.lost: set[int] = set()  # answers confirmed to the candidate but not stored
        self.not_delivered: set[tuple[int, str, int]] = set()
        self.vk_twice: dict[int, int] = {}
        self.kills_during: Counter[int] = Counter()  # broadcast id -> kills while it ran
        self.import_version = 0
        self.import_seconds: list[float] = []
        self.startup_seconds: list[float] = []
        self.started = time.monotonic()

    # --- setup ---------------------------------------------------------------------------

    @property
    def env(self) -> dict[str, str]:
        return {
            "BOT_TOKEN": TG_TOKEN,
            "TELEGRAM_API_URL": self.tg.url,
            "VK_TOKEN": VK_TOKEN,
            "VK_GROUP_ID": "1",
            "VK_API_URL": f"{self.vk.url}/method/",
            "ADMIN_IDS": str(ADMIN_TG),
            "VK_ADMIN_IDS": str(ADMIN_VK),
            "DATABASE_PATH": str(self.database),
            "BROADCAST_RATE": str(BROADCAST_RATE),
            "BROADCAST_PROGRESS_INTERVAL": "1",
            "LOG_LEVEL": "INFO",
        }

    async def setup(self) -> None:
        await self.tg.start()
        await self.vk.start()
        status, output, _ = await self.run_import(kill_after=None)
        if status != 0:
            raise RuntimeError(f"the first import failed:\n{output}")
        self.seed()
        self.admin = self.tg.user(ADMIN_TG, "Ольга")
        self.vk.user(ADMIN_VK, "Админ")
        for person in self.tg_recipients:
            self.tg.user(person, "Получатель")
        for person in self.vk_recipients:
            self.vk.user(person, "Получатель")
        self.people = [
            self.tg.user(FIRST_CANDIDATE + n, f"Кандидат{n}") for n in range(self.candidates)
        ]
        with contextlib.closing(read_only(self.database)) as conn:
            self.applied = [
                int(conn.execute("SELECT id FROM vacancies WHERE slug = ?", (slug,)).fetchone()[0])
                for slug in (f"chaos-{n:02d}" for n in range(APPLIED))
            ]

    def seed(self) -> None:
        stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
        conn = sqlite3.connect(self.database)
        with conn:
            for platform, people in (("tg", self.tg_recipients), ("vk", self.vk_recipients)):
                conn.executemany(
                    "INSERT INTO users (platform, external_id, locale, role, first_name, "
                    "first_seen, last_seen) VALUES (?, ?, 'ru', 'candidate', 'Получатель', ?, ?)",
                    ((platform, person, stamp, stamp) for person in people),
                )
            conn.execute(
                "INSERT INTO subscriptions (user_id, kind, value, created_at) "
                "SELECT id, 'tag', ?, ? FROM users",
                (TAG, stamp),
            )
        conn.close()

    # --- the bot process -------------------------------------------------------------------

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    async def start(self, number: int) -> float:
        """Start the bot; return when it was started (monotonic)."""
        self.down = asyncio.Event()
        self.tg_mark, self.vk_mark = self.tg.mark(), self.vk.mark()
        name = f"bot-{number:03d}"
        self.bot = await start_bot(self.workdir / "work", self.env, name)
        self.logs.append(self.workdir / "work" / f"{name}.log")
        return time.monotonic()

    def polling(self) -> bool:
        """Both messengers are polled by the new process (calls are recorded on arrival)."""
        tg = any(c.method == "getUpdates" for c in self.tg.calls[self.tg_mark :])
        vk = any(c.method == "longpoll" for c in self.vk.calls[self.vk_mark :])
        return tg and vk

    async def wait_ready(self, started: float) -> bool:
        assert self.bot is not None
        while not self.polling():
            if self.bot.proc.returncode is not None:
                raise RuntimeError(f"the bot exited ({self.bot.proc.returncode}):\n{self.bot.log}")
            if time.monotonic() - started > READY_TIMEOUT:
                raise RuntimeError(f"the bot did not start polling:\n{self.bot.log}")
            await asyncio.sleep(0.02)
        self.startup_seconds.append(time.monotonic() - started)
        return True

    async def kill(self) -> None:
        assert self.bot is not None
        self.up.clear()
        self.down.set()
        with contextlib.suppress(ProcessLookupError):  # it may have just ended by itself
            self.bot.kill()
        status = await self.bot.proc.wait()
        if status != -9:
            self.figures.problem(f"the bot ended by itself ({status}): {self.bot.log[-500:]}")

    # --- waiting while the bot may die -------------------------------------------------------

    async def step(self, down: asyncio.Event, waiting: Awaitable[T]) -> T:
        """Wait for `waiting` unless the bot is killed first (then `Down`)."""
        task = asyncio.ensure_future(waiting)
        killed = asyncio.ensure_future(down.wait())
        try:
            await asyncio.wait({task, killed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            killed.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        raise Down

    async def message(
        self,
        down: asyncio.Event,
        chat: int,
        since: int,
        predicate: Callable[[SentMessage], bool] | None = None,
    ) -> SentMessage:
        return await self.step(
            down, self.tg.wait_message(chat, predicate, since=since, timeout=STEP_TIMEOUT)
        )

    async def press(
        self,
        down: asyncio.Event,
        person: Any,
        message: SentMessage,
        label: str,
        predicate: Callable[[SentMessage], bool] | None = None,
    ) -> SentMessage:
        mark = self.tg.mark()
        self.tg.press_button(person, message, label)
        return await self.message(down, person.id, mark, predicate)

    async def say_text(
        self,
        down: asyncio.Event,
        person: Any,
        text: str,
        predicate: Callable[[SentMessage], bool] | None = None,
    ) -> SentMessage:
        mark = self.tg.mark()
        self.tg.send_text(person, text)
        return await self.message(down, person.id, mark, predicate)

    # --- (a) candidates ----------------------------------------------------------------------

    async def candidate(self, index: int) -> None:
        """Answers one after another, with a pause to think after each receipt: the bot posts
        each answer to HR (Telegram lets it send about one message a second to the admin's
        chat), so 50 candidates at full speed would only measure that queue."""
        person = self.people[index]
        vacancy = self.applied[index % len(self.applied)]
        number = 0
        await asyncio.sleep(self.people_rng.uniform(0, self.first_spread))
        while not self.stopping:
            await self.up.wait()
            if self.stopping:
                return
            down = self.down
            try:
                await self.answer(down, person, vacancy, number)
            except Down:
                continue
            except AssertionError:  # a step timed out with the bot running (a long queue)
                self.figures.slow_steps += 1
            else:
                await asyncio.sleep(self.people_rng.uniform(*self.think))
            number += 1

    async def answer(self, down: asyncio.Event, person: Any, vacancy: int, number: int) -> None:
        """The vacancy's link, the task (or one's application), consent the first time, the
        answer, the receipt."""
        opens = (t("vacancy-btn-task"), t("vacancy-btn-application"))
        submits = (t("task-btn-submit"), t("application-btn-replace"))
        card = await self.say_text(
            down,
            person,
            f"/start v{vacancy}",
            lambda m: any(label in m.button_texts() for label in opens),
        )
        task = await self.press(
            down,
            person,
            card,
            next(label for label in opens if label in card.button_texts()),
            lambda m: any(label in m.button_texts() for label in submits),
        )
        submit = next(label for label in submits if label in task.button_texts())
        consent, yes = t("consent-title"), t("consent-yes")
        asked = await self.press(
            down,
            person,
            task,
            submit,
            lambda m: PROMPT in (m.text or "") or consent in (m.text or ""),
        )
        if consent in (asked.text or ""):
            await self.press(down, person, asked, yes, lambda m: PROMPT in (m.text or ""))
        kind = ("text", "link", "document")[number % 3]
        key = f"{person.id}-{number}-{self.people_rng.randrange(10**6)}"
        mark = self.tg.mark()
        if kind == "document":
            file_name = f"answer-{key}.pdf"
            update_id = self.tg.send_document(
                person, file_name=file_name, content=f"%PDF-1.4 {key}".encode()
            )
            update = next(u for u in reversed(self.tg.updates) if u["update_id"] == update_id)
            document = update["message"]["document"]
            sent = Sent(person.id, kind, "", document["file_id"], file_name, mark)
        else:
            text = f"https://example.com/{key}" if kind == "link" else f"Мой ответ {key}"
            self.tg.send_text(person, text)
            sent = Sent(person.id, kind, text, "", "", mark)
        self.sent.append(sent)
        await self.message(down, person.id, mark, lambda m: (m.text or "").startswith(RECEIPT))

    # --- (b) broadcasts ----------------------------------------------------------------------

    def broadcasts_running(self) -> int:
        with contextlib.closing(read_only(self.database)) as conn:
            return int(
                conn.execute(
                    "SELECT COUNT(*) FROM broadcasts WHERE status IN ('running', 'scheduled')"
                ).fetchone()[0]
            )

    async def maybe_broadcast(self) -> None:
        """When no broadcast runs, the admin starts the next one through the bot's screens
        (the kill of this round comes after it, at a random moment of the sending)."""
        if not self.allow_broadcasts or self.broadcasts_running():
            return
        self.broadcast_attempts += 1
        text = f"Хаос-рассылка {self.broadcast_attempts}: новости компании"
        try:
            await asyncio.wait_for(self.start_broadcast(self.down, text), 3 * STEP_TIMEOUT)
        except (AssertionError, TimeoutError) as error:
            self.figures.problem(f"broadcast flow: {str(error).splitlines()[:1]}")

    async def start_broadcast(self, down: asyncio.Event, text: str) -> None:
        admin = self.admin
        await self.say_text(down, admin, "/broadcast")
        asked = await self.say_text(
            down, admin, text, lambda m: t("bc-btn-skip") in m.button_texts()
        )
        audience = await self.press(
            down, admin, asked, t("bc-btn-skip"), lambda m: t("bc-btn-tag") in m.button_texts()
        )
        await self.press(down, admin, audience, t("bc-btn-tag"))
        size = t("bc-audience-size", count=len(self.tg_recipients) + len(self.vk_recipients))
        audience = await self.say_text(down, admin, TAG, lambda m: size in (m.text or ""))
        control = await self.press(
            down,
            admin,
            audience,
            t("bc-btn-preview"),
            lambda m: (m.text or "").startswith(t("bc-preview-above")),
        )
        confirm = await self.press(
            down,
            admin,
            control,
            t("bc-btn-send-now"),
            lambda m: t("bc-btn-confirm-now") in m.button_texts(),
        )
        await self.press(down, admin, confirm, t("bc-btn-confirm-now"))

    # --- (c) imports -------------------------------------------------------------------------

    async def run_import(self, kill_after: float | None) -> tuple[int, str, float]:
        """Run `python -m bot import-vacancies` with the next version of the file; kill it
        after `kill_after` seconds unless it ended. Returns (status, output, seconds)."""
        self.import_version += 1
        path = self.workdir / f"vacancies-{self.import_version}.toml"
        write_import(path, self.import_version)
        (self.workdir / "work").mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "import-vacancies",
            str(path),
            cwd=self.workdir / "work",
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT)]),
                "LOG_LEVEL": "WARNING",
                "DATABASE_PATH": str(self.database),
            },
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            timeout = kill_after if kill_after is not None else 60.0
            output, _ = await asyncio.wait_for(proc.communicate(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):  # it may have ended meanwhile
                proc.kill()
            output, _ = await proc.communicate()
        finally:
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        took = time.monotonic() - started
        return proc.returncode or 0, output.decode(errors="replace"), took

    def vacancies(self) -> dict[str, tuple[Any, ...]]:
        with contextlib.closing(read_only(self.database)) as conn:
            rows = conn.execute(f"SELECT slug, {_FIELDS} FROM vacancies").fetchall()  # noqa: S608
            tags = conn.execute(
                "SELECT v.slug, h.tag FROM vacancy_hashtags h JOIN vacancies v "
                "ON v.id = h.vacancy_id ORDER BY v.slug, h.tag"
            ).fetchall()
        by_slug: dict[str, list[str]] = {}
        for slug, tag in tags:
            by_slug.setdefault(slug, []).append(tag)
        return {row[0]: (*row[1:], " ".join(sorted(by_slug.get(row[0], [])))) for row in rows}

    async def one_import(self) -> None:
        before = self.vacancies()
        estimate = statistics.median(self.import_seconds) if self.import_seconds else 0.5
        kill_after = None
        if self.rng.random() < 0.75:
            kill_after = self.rng.uniform(0.5, 1.1) * estimate
        self.figures.imports_attempted += 1
        status, output, took = await self.run_import(kill_after)
        version = self.import_version
        if status == 0:
            self.import_seconds.append(took)
        else:
            self.figures.imports_killed += status == -9
            if status != -9:
                self.figures.problem(f"import {version} failed ({status}): {output[-300:]}")
        after = self.vacancies()
        wanted = {
            slug: (*row, " ".join(sorted(row[10].split())))
            for slug, row in vacancy_rows(version).items()
        }
        complete = all(after.get(slug) == row for slug, row in wanted.items()) and all(
            after[slug] == before[slug] for slug in after if slug not in wanted
        )
        if complete:
            self.figures.imports_complete += 1
        elif after == before and status != 0:
            self.figures.imports_rolled_back += 1
        else:
            self.figures.imports_partial += 1
            changed = sum(after.get(slug) == row for slug, row in wanted.items())
            self.figures.problem(
                f"import {version} (exit {status}) left {changed} of {len(wanted)} vacancies "
                "as in the file and the rest as before"
            )

    # --- the checks after a kill -----------------------------------------------------------

    def check_integrity(self) -> None:
        with contextlib.closing(read_only(self.database)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            self.figures.integrity_failures += 1
            self.figures.problem(f"integrity_check after kill {self.figures.kills}: {result[:3]}")

    def receipts(self, stored: Counter[tuple[Any, ...]]) -> tuple[set[int], list[Sent], int]:
        """Match each receipt a candidate got to the answer it confirms: (ids of the answers
        confirmed, answers confirmed but not stored, receipts that came twice).

        A candidate sends one answer and waits for its receipt, and the bot handles one
        person's messages in order, so a receipt confirms the last answer sent before it. A
        receipt sent after a restart for an answer stored before it (the process died before
        the receipt went out) may come after the candidate's next answer: it then confirms
        the newest earlier answer that is stored and still unconfirmed."""
        by_candidate: dict[int, list[Sent]] = {}
        for sent in self.sent:
            by_candidate.setdefault(sent.candidate, []).append(sent)
        confirmed: set[int] = set()
        lost: list[Sent] = []
        twice = 0
        for candidate, answers in by_candidate.items():
            receipts = sorted(
                m.created_call
                for m in self.tg.messages(candidate)
                if (m.text or "").startswith(RECEIPT)
            )
            for call in receipts:
                before = [s for s in answers if s.mark <= call]
                if not before:
                    continue
                last = before[-1]
                waiting = [s for s in before if stored.get(self.key(s)) and id(s) not in confirmed]
                if stored.get(self.key(last)) and id(last) not in confirmed:
                    confirmed.add(id(last))
                elif waiting:
                    confirmed.add(id(waiting[-1]))
                elif stored.get(self.key(last)):
                    twice += 1
                else:
                    confirmed.add(id(last))
                    lost.append(last)
        return confirmed, lost, twice

    def check_answers(self, final: bool = False) -> None:
        with contextlib.closing(read_only(self.database)) as conn:
            stored = conn.execute(
                "SELECT u.external_id, a.kind, a.text, a.file_ref, a.file_name FROM answers a "
                "JOIN applications p ON p.id = a.application_id "
                "JOIN users u ON u.id = p.user_id WHERE u.platform = 'tg'"
            ).fetchall()
        stored_count = Counter(tuple(row) for row in stored)
        confirmed, lost, twice = self.receipts(stored_count)
        figures = self.figures
        sent_keys = {self.key(s) for s in self.sent}
        unconfirmed: list[Sent] = []
        for sent in self.sent:
            count = stored_count.get(self.key(sent), 0)
            if count > 1 and id(sent) not in self.doubled:
                self.doubled.add(id(sent))
                figures.phantom += 1
                figures.problem(f"stored {count} times: {self.key(sent)}")
            if id(sent) not in confirmed and count:
                unconfirmed.append(sent)
                self.unconfirmed.add(id(sent))
        for sent in lost:
            if id(sent) not in self.lost:
                self.lost.add(id(sent))
                figures.problem(f"confirmed to the candidate but not stored intact: {sent}")
        for key in stored_count:
            if key not in sent_keys and key not in self.strangers:
                self.strangers.add(key)
                figures.phantom += 1
                figures.problem(f"stored but never sent: {key}")
        figures.lost = len(self.lost)
        figures.answers_sent = len(self.sent)
        figures.receipts = len(confirmed)
        figures.receipts_twice = twice
        figures.stored = sum(1 for s in self.sent if stored_count.get(self.key(s)))
        figures.unconfirmed = len(self.unconfirmed)
        if final:
            figures.unconfirmed_final = len(unconfirmed)
            for sent in unconfirmed[:5]:
                figures.problem(f"stored, never confirmed to the candidate: {self.key(sent)}")

    @staticmethod
    def key(sent: Sent) -> tuple[Any, ...]:
        return (sent.candidate, sent.kind, sent.text, sent.file_ref, sent.file_name)

    def copies(self, broadcast_text: str) -> tuple[Counter[int], Counter[int]]:
        tg = Counter(
            person
            for person in self.tg_recipients
            for m in self.tg.messages(person)
            if m.text == broadcast_text
        )
        vk = Counter(
            person
            for person in self.vk_recipients
            for m in self.vk.messages(person)
            if m.text == broadcast_text
        )
        return tg, vk

    def check_broadcasts(self, after_kill: bool) -> None:
        with contextlib.closing(read_only(self.database)) as conn:
            broadcasts = conn.execute(
                "SELECT id, status, text, total FROM broadcasts "
                "WHERE status IN ('running', 'done') ORDER BY id"
            ).fetchall()
            for broadcast_id, status, text, total in broadcasts:
                if broadcast_id in self.finished:
                    continue
                states = conn.execute(
                    "SELECT platform, chat_id, state FROM broadcast_deliveries "
                    "WHERE broadcast_id = ?",
                    (broadcast_id,),
                ).fetchall()
                self.check_broadcast(broadcast_id, status, text, total, states, after_kill)
        self.figures.broadcasts_started = len(broadcasts)

    def check_broadcast(
        self,
        broadcast_id: int,
        status: str,
        text: str,
        total: int,
        states: list[tuple[str, int, str]],
        after_kill: bool,
    ) -> None:
        figures = self.figures
        tg, vk = self.copies(text)
        unrecorded = 0
        for platform, chat, state in states:
            got = (tg if platform == "tg" else vk).get(chat, 0)
            if (
                state == "sent"
                and not got
                and (broadcast_id, platform, chat) not in self.not_delivered
            ):
                self.not_delivered.add((broadcast_id, platform, chat))
                figures.problem(f"broadcast {broadcast_id}: {platform}:{chat} recorded, not sent")
            if platform == "tg" and state == "pending" and got:
                unrecorded += 1
        figures.recorded_not_delivered = len(self.not_delivered)
        vk_twice = sum(1 for n in vk.values() if n > 1)
        if vk_twice and vk_twice != self.vk_twice.get(broadcast_id):
            figures.problem(f"broadcast {broadcast_id}: {vk_twice} VK recipients got it twice")
        self.vk_twice[broadcast_id] = vk_twice
        figures.vk_duplicates = sum(self.vk_twice.values())
        if after_kill and status == "running":
            self.kills_during[broadcast_id] += 1
            figures.max_unrecorded = max(figures.max_unrecorded, unrecorded)
            if unrecorded > figures.bound:
                figures.over_bound += 1
                figures.problem(
                    f"broadcast {broadcast_id}: {unrecorded} Telegram messages delivered but "
                    f"not recorded at kill {figures.kills} (bound {figures.bound})"
                )
        if status == "done":
            self.finished.add(broadcast_id)
            figures.broadcasts_done += 1
            figures.recipients += total
            missed = [
                (platform, chat)
                for platform, chat, _ in states
                if not (tg if platform == "tg" else vk).get(chat)
            ]
            audience = len(self.tg_recipients) + len(self.vk_recipients)
            if missed or len(states) != audience:
                figures.missed += len(missed) + abs(audience - len(states))
                figures.problem(
                    f"broadcast {broadcast_id}: {len(missed)} of {len(states)} recorded "
                    f"recipients (audience {audience}) missed it, e.g. {missed[:3]}"
                )
            figures.duplicates += sum(n - 1 for n in tg.values() if n > 1)

    def check_after_kill(self) -> None:
        self.check_integrity()
        self.check_answers()
        self.check_broadcasts(after_kill=True)

    # --- the run -----------------------------------------------------------------------------

    async def cycle(self, number: int) -> None:
        started = await self.start(number)
        rng = self.rng
        startup = statistics.median(self.startup_seconds) if self.startup_seconds else 3.0
        import_task: asyncio.Task[None] | None = None
        if number > 0 and rng.random() < 0.15:  # killed while starting
            await asyncio.sleep(rng.uniform(0.0, startup))
            self.figures.startup_kills += not self.polling()
        else:
            await self.wait_ready(started)
            self.up.set()
            await self.maybe_broadcast()
            live = rng.uniform(*self.live)
            if rng.random() < 0.6:
                import_task = asyncio.create_task(self.delayed_import(rng.uniform(0, live)))
            if rng.random() < 0.15:  # the moment an answer is stored, before its receipt
                self.figures.answer_kills += await self.until_an_answer(live * 2)
            else:
                await asyncio.sleep(live)
        await self.kill()
        self.figures.kills += 1
        if import_task is not None:
            await import_task
        self.check_after_kill()

    async def until_an_answer(self, limit: float) -> bool:
        """Wait until the bot stores a new answer (polling the database); False after `limit`
        seconds without one."""
        deadline = time.monotonic() + limit
        with contextlib.closing(read_only(self.database)) as conn:
            query = "SELECT COALESCE(MAX(id), 0) FROM answers"
            last = conn.execute(query).fetchone()[0]
            while time.monotonic() < deadline:
                if conn.execute(query).fetchone()[0] > last:
                    return True
                await asyncio.sleep(0.002)
        return False

    async def delayed_import(self, delay: float) -> None:
        await asyncio.sleep(delay)
        await self.one_import()

    async def finish(self, number: int, drain: float) -> None:
        """Start once more, stop the candidates, let the broadcasts finish, stop gracefully."""
        self.allow_broadcasts = False
        started = await self.start(number)
        await self.wait_ready(started)
        self.up.set()
        await asyncio.sleep(0.5)
        self.stopping = True
        deadline = time.monotonic() + drain
        while (self.broadcasts_running() or self.owed("receipt_sent")) and (  # noqa: ASYNC110 - polls the database
            time.monotonic() < deadline
        ):
            await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)  # the last receipts and the broadcast's report
        assert self.bot is not None
        status = await self.bot.stop(timeout=30)
        if status != 0:
            self.figures.problem(f"the bot stopped with status {status}")
        self.check_integrity()
        self.check_answers(final=True)
        self.check_broadcasts(after_kill=False)
        self.check_hr()
        if self.broadcasts_running():
            self.figures.problem("a broadcast was still running at the end (drain too short)")

    def owed(self, column: str) -> int:
        """Answers whose receipt (`receipt_sent`) or post to HR (`hr_posted`) is still owed."""
        with contextlib.closing(read_only(self.database)) as conn:
            query = f"SELECT COUNT(*) FROM answers WHERE {column} = 0"  # noqa: S608 - a name
            return int(conn.execute(query).fetchone()[0])

    def check_hr(self) -> None:
        """Every stored answer was posted to HR (the admin's Telegram chat), or its post is
        still owed in the database (sent by the next start): none is marked as posted and
        missing."""
        with contextlib.closing(read_only(self.database)) as conn:
            rows = conn.execute(
                "SELECT a.text, a.file_name, a.hr_posted FROM answers a JOIN applications p "
                "ON p.id = a.application_id JOIN users u ON u.id = p.user_id "
                "WHERE u.platform = 'tg'"
            ).fetchall()
        posts = "\n".join(m.text or "" for m in self.tg.messages(ADMIN_TG))
        for text, file_name, posted in rows:
            if not posted:
                self.figures.hr_owed_end += 1
            elif (text or file_name) not in posts:
                self.figures.hr_missing += 1
                self.figures.problem(f"marked as posted to HR, not in the admin's chat: {text!r}")

    def read_logs(self) -> None:
        for path in self.logs:
            text = path.read_text(encoding="utf-8", errors="replace")
            if TG_TOKEN in text or VK_TOKEN in text:
                self.figures.problem(f"a token leaked into {path.name}")
            if "OFFLINE GUARD" in text:
                self.figures.problem(f"network access outside 127.0.0.1 in {path.name}")
            for line in text.splitlines():
                if " ERROR " in line:
                    self.figures.error_lines += 1
                    message = line.split(" ERROR ", 1)[1][:110]
                    self.figures.errors[message] += 1

    async def run(self, drain: float) -> Figures:
        workers: list[asyncio.Task[None]] = []
        try:
            await self.setup()
            workers = [asyncio.create_task(self.candidate(n)) for n in range(self.candidates)]
            number = 0
            while number < self.kills and self.elapsed() < self.time_limit:
                if number >= self.kills * 0.85:
                    self.allow_broadcasts = False  # let the last one finish in the drain
                await self.cycle(number)
                number += 1
                if number % 10 == 0:
                    self.say(
                        f"  {number} kills, {self.elapsed():.0f} s: {len(self.sent)} answers, "
                        f"{self.figures.broadcasts_started} broadcasts, "
                        f"{self.figures.imports_attempted} imports; problems: "
                        f"{len(self.figures.problems)}"
                    )
            await self.finish(number, drain)
        finally:
            self.stopping = True
            self.up.set()
            self.down.set()
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if self.bot is not None:
                with contextlib.suppress(ProcessLookupError):
                    self.bot.kill()
                await self.bot.proc.wait()
            self.figures.spec_violations = len(self.tg.spec_violations) + len(
                self.vk.spec_violations
            )
            await self.tg.stop()
            await self.vk.stop()
            self.read_logs()
            self.figures.seconds = self.elapsed()
        return self.figures


async def run_chaos(
    workdir: Path,
    *,
    kills: int = 200,
    time_limit: float = 1500.0,
    candidates: int = 50,
    recipients: int = 5000,
    seed: int = 14,
    live: tuple[float, float] = (0.3, 3.0),
    think: tuple[float, float] = (45.0, 90.0),
    first_spread: float = 60.0,
    drain: float = 240.0,
    say: Callable[[str], None] = print,
) -> tuple[Figures, Chaos]:
    chaos = Chaos(
        workdir,
        kills=kills,
        time_limit=time_limit,
        candidates=candidates,
        recipients=recipients,
        seed=seed,
        live=live,
        think=think,
        first_spread=first_spread,
        say=say,
    )
    figures = await chaos.run(drain)
    return figures, chaos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=1500.0, help="seconds for the kills")
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    print(
        f"cores: {os.cpu_count()}, python {sys.version.split()[0]}; {args.kills} kills, "
        f"{args.candidates} candidates, {args.recipients:,} recipients, seed {args.seed}"
    )
    tmp = tempfile.mkdtemp(prefix="hr-bot-chaos-")
    try:
        figures, _ = asyncio.run(
            run_chaos(
                Path(tmp),
                kills=args.kills,
                time_limit=args.time_limit,
                candidates=args.candidates,
                recipients=args.recipients,
                seed=args.seed,
            )
        )
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    print(figures.report())
    sys.exit(0 if figures.ok else 1)


if __name__ == "__main__":
    main()
