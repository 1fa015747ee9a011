"""How fast the core handles updates, and whether that depends on the number of users.

Feeds neutral events (a /start, a checklist tap) through the real Core, registry, services and
SQLite storage with a recording reply (no network), first with a small database and then with
100,000 users. Prints updates per second for each; per-update work should not grow with the
database.

    .venv/bin/python bench/dispatch.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import open_app
from bot.config import Settings
from bot.domain import Platform
from bot.events import Event, EventKind
from bot.ui import TELEGRAM_LIMITS, Action, Screen

UPDATES = 2000


class NullReply:
    limits = TELEGRAM_LIMITS

    def __init__(self) -> None:
        self._answered = False
        self.sent = 0

    @property
    def answered(self) -> bool:
        return self._answered

    async def send(self, screen: Screen) -> None:
        self.sent += 1

    async def edit(self, screen: Screen) -> None:
        self.sent += 1

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        self._answered = True


async def seed(db_path: Path, users: int) -> None:
    import sqlite3

    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO users (platform, external_id, locale, first_seen, last_seen) "
            "VALUES ('tg', ?, 'ru', ?, ?)",
            ((1_000_000 + i, stamp, stamp) for i in range(users)),
        )
    conn.close()


async def measure(users: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        settings = Settings(_env_file=None, bot_token="1:x", database_path=path)  # type: ignore[call-arg]
        async with open_app(settings):
            pass  # create and migrate
        await seed(path, users)
        async with open_app(settings) as app:
            events = []
            for i in range(UPDATES):
                uid = 10 + i % 200
                if i % 2:
                    events.append(
                        Event(
                            Platform.TELEGRAM,
                            EventKind.MESSAGE,
                            uid,
                            uid,
                            first_name="U",
                            text="/start",
                            command="start",
                        )
                    )
                else:
                    events.append(
                        Event(
                            Platform.TELEGRAM,
                            EventKind.BUTTON,
                            uid,
                            uid,
                            first_name="U",
                            action=Action("cl.t", ("avatar", "0")),
                            raw_action="cl.t:avatar:0",
                        )
                    )
            started = time.perf_counter()
            await asyncio.gather(*(app.core.handle(e, NullReply()) for e in events))
            elapsed = time.perf_counter() - started
    return UPDATES / elapsed


async def main() -> None:
    for users in (100, 100_000):
        rate = await measure(users)
        print(f"users in database: {users:>7}   updates handled per second: {rate:8.0f}")


if __name__ == "__main__":
    asyncio.run(main())
