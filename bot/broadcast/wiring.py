"""Build the broadcast engine for a running bot: one delivery port per messenger runtime."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.broadcast.engine import BroadcastEngine
from bot.services.clock import utcnow
from handlers.broadcast import BroadcastPresenter
from storage.broadcasts import SqliteBroadcastRepository

if TYPE_CHECKING:
    from bot.app import App


def build_broadcast_engine(app: App, runtimes: Iterable[object]) -> BroadcastEngine:
    """The engine with a port for each runtime (sharing its connection and rate limiter),
    attached to the broadcast service so previews go through it and changes wake it."""
    settings = app.settings
    engine = BroadcastEngine(
        SqliteBroadcastRepository(app.db),
        BroadcastPresenter(app.translator, web=settings.web_active),
        progress_every=settings.broadcast_progress_interval,
    )
    from bot.telegram.broadcast import TelegramBroadcastPort
    from bot.telegram.runtime import TelegramRuntime
    from bot.vk.broadcast import VkBroadcastPort
    from bot.vk.runtime import VkRuntime
    from bot.web.broadcast import WebBroadcastPort
    from bot.web.runtime import WebRuntime

    for runtime in runtimes:
        if isinstance(runtime, TelegramRuntime):
            engine.register(
                TelegramBroadcastPort(
                    runtime.bot, settings.broadcast_rate, timeout=settings.broadcast_timeout
                )
            )
        elif isinstance(runtime, VkRuntime):
            engine.register(VkBroadcastPort(runtime.client))
        elif isinstance(runtime, WebRuntime) and runtime.messenger is not None:
            engine.register(WebBroadcastPort(runtime.messenger, utcnow))
    app.services.broadcasts.attach(engine, engine.wake)
    return engine
