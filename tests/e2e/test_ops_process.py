"""End to end with the real `python -m bot` process and METRICS_PORT set: /healthz follows the
database file, /readyz the messengers' polls, /metrics counts a known sequence of updates and
API results exactly; LOG_FORMAT=json writes one JSON object a line; a second copy of the bot
on the same database is refused."""

from __future__ import annotations

import asyncio
import json
import socket
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.i18n import Translator
from tests.e2e.process import start_bot
from tests.harness import tg_press

TR = Translator.load()
T = TypeVar("T")
LABELS = {"platform", "kind", "method", "result", "lane", "job", "state", "le"}


def t(key: str, locale: str = "ru", **args: Any) -> str:
    return TR(locale, key, **args)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def get(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


async def until(
    probe: Callable[[], Awaitable[T]], ok: Callable[[T], bool], timeout: float = 15
) -> T:
    """Ask `probe` until its answer satisfies `ok` (no fixed sleeps in the assertions)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await probe()
        if ok(value) or asyncio.get_running_loop().time() > deadline:
            return value
        await asyncio.sleep(0.1)


async def test_health_follows_the_database_and_readiness_the_polls(
    running: Any, bot_env: dict[str, str], tmp_path: Path, tg: Any, vk: Any
) -> None:
    port = free_port()
    bot_env.update(METRICS_PORT=str(port))
    bot = await running("health")
    assert await get(port, "/healthz") == (200, "ok\n")

    # no poll has been answered yet: the long polls are still waiting
    status, body = await get(port, "/readyz")
    assert status == 503
    assert "telegram: no poll answer yet" in body and "vk: no poll answer yet" in body
    anna = tg.user(501, "Анна")
    tg.send_text(anna, "/start")
    await tg.wait_message(anna.id)
    status, body = await until(lambda: get(port, "/readyz"), lambda r: "telegram" not in r[1])
    assert (status, body) == (503, "not ready: vk: no poll answer yet\n")
    ivan = vk.user(601, "Иван")
    vk.send_text(ivan, "Начать", payload={"command": "start"})
    await vk.wait_message(ivan.id)
    ready = await until(lambda: get(port, "/readyz"), lambda r: r[0] == 200)
    assert ready == (200, "ready: telegram, vk\n")

    # the database file is replaced by something unreadable, then gone, then back
    database = Path(bot_env["DATABASE_PATH"])
    kept = database.with_name("kept.sqlite3")
    database.rename(kept)
    database.write_bytes(b"this is not a database " * 300)
    status, body = await get(port, "/healthz")
    assert (status, body) == (
        503,
        "unhealthy: database: the database file was replaced while the bot runs\n",
    )
    database.unlink()
    status, body = await get(port, "/healthz")
    assert (status, body) == (
        503,
        "unhealthy: database: the database file cannot be read (No such file or directory)\n",
    )
    kept.rename(database)
    assert await get(port, "/healthz") == (200, "ok\n")
    mark = tg.mark()
    tg.send_text(anna, "/help")
    await tg.wait_message(anna.id, since=mark)  # and the bot went on all along

    # a second bot on the same database is refused at once (the lock restore checks too)
    twin = await start_bot(tmp_path / "twin", bot_env, "twin")
    assert await asyncio.wait_for(twin.proc.wait(), 60) == 1, twin.log
    line = twin.log.strip().splitlines()[-1]
    assert line.startswith("hr-bot did not start: process ") and "stop that one first" in line
    assert "hr-bot is running on this database" in line
    assert await bot.stop() == 0, bot.log


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def by(found: dict[Any, float], name: str, **labels: str) -> dict[tuple[str, ...], float]:
    """Samples of `name` whose labels include `labels`, keyed by their other label values."""
    out = {}
    for (sample, pairs), value in found.items():
        items = dict(pairs)
        if sample == name and all(items.get(k) == v for k, v in labels.items()):
            out[tuple(v for k, v in pairs if k not in labels)] = value
    return out


def fake_results(server: Any, skip: set[str], *, vk: bool = False) -> Counter[tuple[str, str]]:
    """(method, result) of every finished call a stand-in server saw, as the bot counts them:
    Telegram's HTTP-like codes, VK's error 6 / 9 / 29 (too many) and 10 (server error)."""
    too_many, server_error = ({6, 9, 29}, {10}) if vk else ({429}, set(range(500, 600)))
    results: Counter[tuple[str, str]] = Counter()
    for call in server.calls:
        if not call.done or call.method in skip or getattr(call, "via_execute", False):
            continue
        if call.ok:
            result = "ok"
        elif call.error_code is None:
            result = "network"
        elif call.error_code in too_many:
            result = "429"
        elif call.error_code in server_error:
            result = "5xx"
        else:
            result = "4xx"
        results[(call.method, result)] += 1
    return results


async def test_metrics_count_a_known_sequence_exactly(
    running: Any, bot_env: dict[str, str], tg: Any, vk: Any
) -> None:
    port = free_port()
    bot_env.update(METRICS_PORT=str(port), LOG_FORMAT="json")
    bot = await running("metrics")
    anna = tg.user(501, "Анна")

    async def tg_says(text: str) -> Any:
        mark = tg.mark()
        tg.send_text(anna, text)
        return await tg.wait_message(anna.id, since=mark, timeout=20)

    menu = await tg_says("/start")  # 1 command
    tg.fail_next("sendMessage", error_code=429, retry_after=1)
    assert (await tg_says("/help")).text.startswith(t("help-intro")[:20])  # 2: 429, then ok
    tg.fail_next("sendMessage", error_code=400, description="Bad Request: message is too long")
    assert (await tg_says("привет")).text == t("error-generic")  # 3: 4xx, handler error
    tg.fail_next("sendMessage", error_code=500)
    assert (await tg_says("/menu")).text == t("error-generic")  # 4: 5xx, handler error
    tg.drop_next("sendMessage")
    assert (await tg_says("как дела")).text == t("error-generic")  # 5: network, handler error
    await tg_press(tg, anna, menu, t("menu-checklist"))  # 6: a button

    ivan = vk.user(601, "Иван")

    async def vk_says(text: str, **extra: Any) -> Any:
        mark = vk.mark()
        vk.send_text(ivan, text, **extra)
        return await vk.wait_message(ivan.id, since=mark, timeout=20)

    await vk_says("Начать", payload={"command": "start"})  # a command
    vk.fail_next("messages.send", 10)
    await vk_says("привет")  # a text: error 10 (5xx), retried, ok
    vk.fail_next("messages.send", 6)
    await vk_says("/help")  # a command: error 6 (429), retried, ok

    skip_tg = {"getUpdates"}  # one long poll is always in flight
    skip_vk = {"groups.getLongPollServer", "longpoll"}  # the long poll is vk-api's own

    def settled(found: dict[Any, float]) -> bool:
        seen_tg = by(found, "hrbot_api_calls_total", platform="telegram")
        seen_vk = by(found, "hrbot_api_calls_total", platform="vk")
        jobs = by(found, "hrbot_job_last_success_timestamp_seconds")
        return (
            Counter({k: v for k, v in seen_tg.items() if k[0] not in skip_tg})
            == fake_results(tg, skip_tg)
            and Counter(seen_vk) == fake_results(vk, skip_vk, vk=True)
            and {("backup",), ("reminders",), ("notices",), ("retention",)} <= set(jobs)
        )

    async def scrape() -> dict[Any, float]:
        status, text = await get(port, "/metrics")
        assert status == 200
        return samples(text)

    found = await until(scrape, settled)
    updates = by(found, "hrbot_updates_total")
    assert updates == {
        ("command", "telegram"): 3,
        ("text", "telegram"): 2,
        ("button", "telegram"): 1,
        ("command", "vk"): 2,
        ("text", "vk"): 1,
    }
    assert by(found, "hrbot_update_errors_total") == {("telegram",): 3}
    assert by(found, "hrbot_update_duration_seconds_count") == {("telegram",): 6, ("vk",): 3}

    tg_calls = by(found, "hrbot_api_calls_total", platform="telegram", method="sendMessage")
    assert tg_calls[("429",)] == tg_calls[("4xx",)] == tg_calls[("5xx",)] == 1
    assert tg_calls[("network",)] == 1
    assert tg_calls[("ok",)] == len(tg.calls_of("sendMessage", ok=True))
    vk_send = by(found, "hrbot_api_calls_total", platform="vk", method="messages.send")
    assert vk_send == {("ok",): 3, ("5xx",): 1, ("429",): 1}
    assert (
        set(by(found, "hrbot_api_calls_total", platform="vk"))
        == fake_results(vk, skip_vk, vk=True).keys()
    )
    assert set(fake_results(tg, skip_tg).elements()) >= {("getMe", "ok"), ("sendMessage", "ok")}

    # every paced call waited for the limiters (mostly not at all) and was measured
    tg_messages = len(tg.calls_of("sendMessage"))
    waits = by(found, "hrbot_ratelimit_wait_seconds_count", platform="telegram")
    assert sum(waits.values()) == tg_messages
    vk_calls = sum(fake_results(vk, skip_vk, vk=True).values())
    assert sum(by(found, "hrbot_ratelimit_wait_seconds_count", platform="vk").values()) == vk_calls

    assert found[("hrbot_database_size_bytes", ())] > 0
    assert by(found, "hrbot_broadcast_messages", state="pending") == {(): 0}
    assert set(by(found, "hrbot_last_poll_timestamp_seconds")) == {("telegram",), ("vk",)}

    # no personal data in labels: only the known label names, no ids, names or texts
    _, text = await get(port, "/metrics")
    values = set()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            assert set(sample.labels) <= LABELS, sample
            values |= set(sample.labels.values())
    for private in ("501", "601", "Анна", "Иван", "привет", "как дела"):
        assert not any(private in value for value in values)
    assert {"telegram", "vk", "sendMessage", "messages.send", "ok", "429"} <= values

    assert await bot.stop() == 0, bot.log
    lines = [line for line in bot.log.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
    failure = next(e for e in entries if e["message"].startswith("error while handling tg:501"))
    assert failure["level"] == "ERROR" and failure["platform"] == "telegram"
    assert failure["update"] == "text" and "TelegramBadRequest" in failure["exception"]
    assert any(e["message"] == "hr-bot stopped" for e in entries)
