"""How fast and how lean broadcasts are, against the stand-in Bot API server on 127.0.0.1.

Runs the real delivery engine, Telegram port (aiogram) and SQLite storage; the stand-in server
runs in a child process so it neither shares the CPU of the event loop nor the memory that is
measured. Prints:

1. rate: 10,000 recipients at the default BROADCAST_RATE (25/s) with the server enforcing
   30 messages/s: achieved rate / BROADCAST_RATE (target >= 0.97) and the 429s received
   (target 0). Takes ~400 s; `--quick` uses 2,000 recipients (~80 s).
2. peak: BROADCAST_RATE=1000 and the bot's platform limiter lifted: messages per second.
3. memory: a 100,000-recipient audience sent at the peak rate in a fresh process: peak RSS
   (VmHWM) and RSS while recording recipients and sending (target: flat, under 200 MB).

    .venv/bin/python bench/broadcast.py [--quick] [--only rate|peak|memory]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "123456:BENCH-token-for-the-stand-in-server"
ADMIN = 900
FIRST = 100_000_001


# --- the stand-in server, in a child process ---------------------------------------------------


async def serve() -> None:
    from tests.fakes.telegram import FakeTelegram

    tg = FakeTelegram(token=TOKEN)
    await tg.start()

    def setup(params: dict[str, Any]) -> Any:
        tg.user(ADMIN, "Admin")
        for user_id in range(FIRST, FIRST + int(params["count"])):
            tg.user(user_id, "U")
        tg.rate_limit(params.get("rate") or None)
        return True

    def stats(params: dict[str, Any]) -> Any:
        sends = [
            c
            for c in tg.calls
            if c.method == "sendMessage" and c.ok and c.params.get("chat_id", 0) >= FIRST
        ]
        return {
            "sent": len(sends),
            "first": sends[0].time if sends else 0.0,
            "last": sends[-1].time if sends else 0.0,
            "too_many_requests": tg.too_many_requests,
            "recipients": len({c.params["chat_id"] for c in sends}),
            # requests that broke the Bot API specification (tests/fakes/spec.py): never expected
            "spec_violations": [str(v) for v in tg.spec_violations[:5]],
            "spec_violation_count": len(tg.spec_violations),
        }

    # the bench's own control endpoints are no Bot API methods
    tg.set_handler("benchSetup", setup, outside_spec=True)
    tg.set_handler("benchStats", stats, outside_spec=True)
    print(tg.url, flush=True)
    await asyncio.Event().wait()


class Server:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()

    async def call(self, method: str, **params: Any) -> Any:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.url}/bot{TOKEN}/{method}", json=params) as response,
        ):
            body = await response.json()
        return body["result"]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()


# --- the bot side --------------------------------------------------------------------------------


def seed(db_path: Path, recipients: int) -> None:
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
            ((user_id, stamp, stamp) for user_id in range(FIRST, FIRST + recipients)),
        )
    conn.close()


def settings_for(workdir: Path, url: str) -> Any:
    from bot.config import Settings

    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_url=url,
        admin_ids=[ADMIN],
        database_path=workdir / "bot.sqlite3",
    )


async def prepare(workdir: Path, url: str, recipients: int) -> None:
    from bot.app import open_app

    async with open_app(settings_for(workdir, url)):
        pass  # creates and migrates the database
    seed(workdir / "bot.sqlite3", recipients)


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


async def broadcast(
    workdir: Path,
    url: str,
    rate: float,
    *,
    lift_platform_limit: bool,
    samples: list[tuple[str, float]] | None = None,
) -> float:
    """Send one broadcast to every candidate; return the seconds it took."""
    from bot.app import open_app
    from bot.broadcast.engine import BroadcastEngine
    from bot.broadcast.model import Audience, Content, Who
    from bot.domain import Platform
    from bot.telegram.broadcast import TelegramBroadcastPort
    from bot.telegram.runtime import create_bot
    from bot.telegram.traffic import TelegramTraffic
    from handlers.broadcast import BroadcastPresenter
    from storage.broadcasts import SqliteBroadcastRepository

    async with open_app(settings_for(workdir, url)) as app:
        traffic = TelegramTraffic(bulk_rate=1_000_000) if lift_platform_limit else None
        bot = create_bot(TOKEN, url, traffic)
        engine = BroadcastEngine(
            SqliteBroadcastRepository(app.db), BroadcastPresenter(app.translator), tick=0.5
        )
        engine.register(TelegramBroadcastPort(bot, rate))
        app.services.broadcasts.attach(engine, engine.wake)
        stop = asyncio.Event()
        runner = asyncio.create_task(engine.run(stop))
        service = app.services.broadcasts
        admin = await app.services.users.find(Platform.TELEGRAM, ADMIN)
        assert admin is not None
        draft = await service.create_draft(admin.id, Content("<b>Бенчмарк</b> рассылки"))
        draft = await service.set_audience(draft, Audience(Who.CANDIDATES))
        started = time.monotonic()
        assert await service.start_now(draft)
        while True:
            await asyncio.sleep(1.0)
            current = await service.get(draft.id)
            assert current is not None
            if samples is not None:
                stage = "recording" if not current.filled else f"sent {current.counts.done:,}"
                samples.append((stage, rss_mb()))
            if current.finished_at is not None:
                break
        took = time.monotonic() - started
        stop.set()
        await runner
        await bot.session.close()
        assert current.counts.sent == current.counts.total, current.counts
    return took


def check_spec(stats: dict[str, Any]) -> None:
    """Stop with the evidence if the bot broke the Bot API specification (never expected)."""
    if stats["spec_violation_count"]:
        raise RuntimeError(
            f"{stats['spec_violation_count']} requests broke the Bot API specification, e.g.:\n"
            + "\n".join(stats["spec_violations"])
        )


async def phase_rate(recipients: int) -> dict[str, Any]:
    from bot.config import Settings

    rate = Settings.model_fields["broadcast_rate"].default
    server = Server()
    try:
        await server.call("benchSetup", count=recipients, rate=30)
        with tempfile.TemporaryDirectory() as tmp:
            await prepare(Path(tmp), server.url, recipients)
            took = await broadcast(Path(tmp), server.url, rate, lift_platform_limit=False)
        stats = await server.call("benchStats")
    finally:
        server.close()
    check_spec(stats)
    achieved = (stats["sent"] - 1) / (stats["last"] - stats["first"])
    return {
        "recipients": recipients,
        "broadcast_rate": rate,
        "achieved": achieved,
        "ratio": achieved / rate,
        "too_many_requests": stats["too_many_requests"],
        "delivered": stats["recipients"],
        "seconds": took,
    }


async def phase_peak(recipients: int, rate: float = 1000) -> dict[str, Any]:
    server = Server()
    try:
        await server.call("benchSetup", count=recipients, rate=None)
        with tempfile.TemporaryDirectory() as tmp:
            await prepare(Path(tmp), server.url, recipients)
            took = await broadcast(Path(tmp), server.url, rate, lift_platform_limit=True)
        stats = await server.call("benchStats")
    finally:
        server.close()
    check_spec(stats)
    achieved = (stats["sent"] - 1) / (stats["last"] - stats["first"])
    return {
        "recipients": recipients,
        "achieved": achieved,
        "delivered": stats["recipients"],
        "seconds": took,
    }


async def memory_child(workdir: Path, url: str) -> None:
    """In a fresh process: send to the prepared audience, print RSS figures as JSON."""
    # everything the bot imports, before the baseline (aiogram alone is ~130 MB of API models)
    import bot.app
    import bot.telegram.runtime  # noqa: F401

    baseline = rss_mb()
    samples: list[tuple[str, float]] = []
    took = await broadcast(workdir, url, 1000, lift_platform_limit=True, samples=samples)
    print(
        json.dumps(
            {"baseline": baseline, "peak": rss_mb("VmHWM"), "samples": samples, "seconds": took}
        ),
        flush=True,
    )


async def phase_memory(recipients: int) -> dict[str, Any]:
    server = Server()
    try:
        await server.call("benchSetup", count=recipients, rate=None)
        with tempfile.TemporaryDirectory() as tmp:
            await prepare(Path(tmp), server.url, recipients)
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--memory-child",
                tmp,
                server.url,
                stdout=asyncio.subprocess.PIPE,
                cwd=ROOT,
            )
            raw, _ = await child.communicate()
            assert child.returncode == 0, "the measuring process failed"
            output = raw.decode()
        stats = await server.call("benchStats")
    finally:
        server.close()
    result = json.loads(output.strip().splitlines()[-1])
    result["recipients"] = recipients
    result["delivered"] = stats["recipients"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 recipients for the rate")
    parser.add_argument("--only", choices=("rate", "peak", "memory"))
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve())
        return
    if args.memory_child:
        asyncio.run(memory_child(Path(args.memory_child[0]), args.memory_child[1]))
        return
    import logging

    logging.basicConfig(level=logging.WARNING)
    rate_recipients = 2_000 if args.quick else 10_000
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    if args.only in (None, "rate"):
        print(f"\n1. rate: {rate_recipients:,} recipients, server enforcing 30 messages/s ...")
        r = asyncio.run(phase_rate(rate_recipients))
        print(
            f"   BROADCAST_RATE {r['broadcast_rate']:.0f}/s -> achieved {r['achieved']:.2f}/s, "
            f"ratio {r['ratio']:.3f} (target >= 0.97); 429s: {r['too_many_requests']}; "
            f"delivered to {r['delivered']:,}; {r['seconds']:.0f} s in all"
        )
    if args.only in (None, "peak"):
        print("\n2. peak: 10,000 recipients, BROADCAST_RATE=1000, platform limiter lifted ...")
        r = asyncio.run(phase_peak(10_000))
        print(
            f"   {r['achieved']:.0f} messages/s ({r['achieved'] / 1000:.3f} of the limit); "
            f"delivered to {r['delivered']:,}; {r['seconds']:.1f} s in all"
        )
        r = asyncio.run(phase_peak(10_000, rate=1_000_000))
        print(
            f"   headroom, no pacing at all: {r['achieved']:.0f} messages/s "
            f"(the engine, aiogram and the stand-in server sharing 2 cores)"
        )
    if args.only in (None, "memory"):
        print("\n3. memory: 100,000 recipients at the peak rate, in a fresh process ...")
        r = asyncio.run(phase_memory(100_000))
        shown = r["samples"][:: max(len(r["samples"]) // 8, 1)] + r["samples"][-1:]
        trail = ", ".join(f"{stage}: {mb:.0f} MB" for stage, mb in shown)
        print(
            f"   peak RSS (VmHWM) {r['peak']:.0f} MB (the bot's imports alone: "
            f"{r['baseline']:.0f} MB; "
            f"target < 200 MB); delivered to {r['delivered']:,} in {r['seconds']:.0f} s"
        )
        print(f"   RSS along the way: {trail}")


if __name__ == "__main__":
    main()
