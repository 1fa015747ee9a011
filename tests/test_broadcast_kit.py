"""Helpers for the broadcast tests (this module holds no tests): seed users straight into
SQLite, run the delivery engine against the stand-in servers, wait for a broadcast to end."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot

from bot.app import App
from bot.broadcast.engine import BroadcastEngine
from bot.broadcast.model import Audience, Broadcast, Content
from bot.domain import Platform
from bot.services.clock import Clock, utcnow
from bot.telegram.broadcast import TelegramBroadcastPort
from bot.vk.broadcast import VkBroadcastPort
from bot.vk.client import VkClient
from bot.web.broadcast import WebBroadcastPort
from bot.web.messenger import WebMessenger
from handlers.broadcast import BroadcastPresenter
from storage.broadcasts import SqliteBroadcastRepository

FAST_RETRIES = (0.05, 0.1, 0.2)


async def seed_users(
    app: App,
    platform: Platform,
    ids: Iterable[int],
    *,
    role: str = "candidate",
    locale: str = "ru",
    blocked: bool = False,
    tags: Sequence[str] = (),
    projects: Sequence[str] = (),
) -> list[int]:
    """Insert users (and their subscriptions); return their database ids."""
    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    db_ids = []
    async with app.db.transaction() as conn:
        for external_id in ids:
            cursor = await conn.execute(
                "INSERT INTO users (platform, external_id, locale, role, first_name, "
                "first_seen, last_seen, is_blocked) VALUES (?, ?, ?, ?, 'User', ?, ?, ?) "
                "RETURNING id",
                (platform.value, external_id, locale, role, stamp, stamp, int(blocked)),
            )
            row = await cursor.fetchone()
            await cursor.close()
            assert row is not None
            db_ids.append(int(row[0]))
            for kind, values in (("tag", tags), ("project", projects)):
                for value in values:
                    await conn.execute(
                        "INSERT INTO subscriptions (user_id, kind, value, created_at) "
                        "VALUES (?, ?, ?, ?)",
                        (row[0], kind, value, stamp),
                    )
    return db_ids


async def admin_id(app: App, platform: Platform = Platform.TELEGRAM, external_id: int = 900) -> int:
    user = await app.services.users.find(platform, external_id)
    if user is not None:
        return user.id
    (user_id,) = await seed_users(app, platform, [external_id], role="admin")
    return user_id


async def start_broadcast(
    app: App, content: Content, audience: Audience | None = None, *, author: int | None = None
) -> Broadcast:
    service = app.services.broadcasts
    draft = await service.create_draft(author or await admin_id(app), content)
    draft = await service.set_audience(draft, audience or Audience())
    assert await service.start_now(draft)
    started = await service.get(draft.id)
    assert started is not None
    return started


@contextlib.asynccontextmanager
async def engine_running(
    app: App,
    *,
    bot: Bot | None = None,
    vk: Any = None,
    vk_client: VkClient | None = None,
    rate: float = 1000.0,
    timeout: float = 5.0,
    retry_delays: Sequence[float] = FAST_RETRIES,
    progress_every: float = 0.2,
    clock: Clock = utcnow,
    web: WebMessenger | None = None,
) -> AsyncIterator[BroadcastEngine]:
    """The engine with a Telegram port over `bot`, a VK port over `vk_client` (or a new
    client of the stand-in `vk`) and a web port over `web`, attached to the app's broadcast
    service and running."""
    engine = BroadcastEngine(
        SqliteBroadcastRepository(app.db),
        BroadcastPresenter(app.translator, web=web is not None),
        clock=clock,
        tick=0.1,
        progress_every=progress_every,
        retry_delays=retry_delays,
    )
    own_client = None
    if bot is not None:
        engine.register(TelegramBroadcastPort(bot, rate, timeout=timeout))
    if vk_client is None and vk is not None:
        vk_client = own_client = VkClient("vk-test-token", f"{vk.url}/method/")
    if vk_client is not None:
        engine.register(VkBroadcastPort(vk_client))
    if web is not None:
        engine.register(WebBroadcastPort(web, clock))
    app.services.broadcasts.attach(engine, engine.wake)
    stop = asyncio.Event()
    task = asyncio.create_task(engine.run(stop))
    try:
        yield engine
    finally:
        stop.set()
        await task
        if own_client is not None:
            own_client.session.close()


async def wait_finished(app: App, broadcast_id: int, timeout: float = 15.0) -> Broadcast:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        broadcast = await app.services.broadcasts.get(broadcast_id)
        assert broadcast is not None
        if broadcast.finished_at is not None:
            return broadcast
        if loop.time() > deadline:
            raise AssertionError(f"broadcast {broadcast_id} did not finish: {broadcast}")
        await asyncio.sleep(0.02)


async def states(app: App, broadcast_id: int) -> dict[int, tuple[str, int, str]]:
    """chat id -> (state, attempts, error) of every recipient."""
    repo = SqliteBroadcastRepository(app.db)
    return {
        chat: (state, attempts, error)
        for _, _, chat, state, attempts, error in await repo.deliveries(broadcast_id)
    }


async def open_audience(tg: Any, admin: Any, text: str, skip_label: str) -> Any:
    """An admin's `/broadcast` with `text` and no buttons, up to the audience screen."""
    from tests.harness import tg_press

    tg.send_text(admin, "/broadcast")
    await tg.wait_message(admin.id)
    mark = tg.mark()
    tg.send_text(admin, text)
    asked = await tg.wait_message(admin.id, since=mark)
    return await tg_press(tg, admin, asked, skip_label)
