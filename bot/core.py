"""The neutral core both runtimes feed: user context, per-user ordering, routing, errors."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager

from bot.domain import Platform
from bot.events import Event, Reply
from bot.i18n import Translator
from bot.logs import update_context
from bot.metrics import Metrics, update_kind
from bot.notify import Notifier
from bot.services import Services
from bot.services.users import Profile
from bot.traffic import replying_to
from bot.ui import Screen
from handlers.context import Context
from handlers.registry import Registry

log = logging.getLogger(__name__)
Enrich = Callable[[Event], Awaitable[Event]]
Diagnose = Callable[[BaseException], str | None]


class KeyedLocks:
    """One lock per key, created on demand and dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)

    def __contains__(self, key: Hashable) -> bool:
        """Whether somebody holds or waits for the lock of `key`."""
        return key in self._locks


class Core:
    def __init__(
        self,
        services: Services,
        registry: Registry,
        translator: Translator,
        notifier: Notifier,
        metrics: Metrics | None = None,
        diagnose: Diagnose | None = None,
    ) -> None:
        """`diagnose(error)` names a storage problem (a full disk, a read-only database) that
        made a handler fail, or returns None (`Database.storage_fault`)."""
        self.services = services
        self.diagnose = diagnose
        self.metrics = metrics
        self.notifier = notifier
        self.registry = registry
        self.tr = translator
        self._locks = KeyedLocks()
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def busy(self, platform: Platform, user_id: int) -> bool:
        """Whether an update of this user is being handled (or waits for its turn)."""
        return (platform, user_id) in self._locks

    async def handle(self, event: Event, reply: Reply, enrich: Enrich | None = None) -> None:
        """Handle one event; a user's events run one at a time and in order, other users' in
        parallel. `enrich` (such as fetching a VK user's name) runs inside that order. What
        is sent to the event's chat meanwhile is an interactive reply (`bot.traffic`)."""
        self._active += 1
        self._idle.clear()
        kind = update_kind(event)
        started = time.perf_counter()
        failed = True
        try:
            with update_context(event.platform.name.lower(), kind):
                async with self._locks.hold((event.platform, event.user_id)):
                    with replying_to(event.platform, event.chat_id):
                        if enrich is not None:
                            event = await enrich(event)
                        failed = not await self._handle(event, reply)
        finally:
            if self.metrics is not None:
                self.metrics.update_done(
                    event.platform, kind, time.perf_counter() - started, failed
                )
            self._active -= 1
            if self._active == 0:
                self._idle.set()

    async def drain(self, seconds: float) -> bool:
        """Wait until no update is being handled (for graceful shutdown)."""
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            log.warning("shutting down with %s updates still in progress", self._active)
            return False
        return True

    async def _handle(self, event: Event, reply: Reply) -> bool:
        """Route the event; False when its handler failed (the person got an apology)."""
        user = None
        try:
            user, is_new = await self.services.users.touch(
                Profile(
                    platform=event.platform,
                    external_id=event.user_id,
                    first_name=event.first_name,
                    last_name=event.last_name,
                    username=event.username,
                    language_code=event.language_code,
                )
            )
            state = await self.services.dialogs.get(user.id)
            ctx = Context(
                event=event,
                user=user,
                reply=reply,
                services=self.services,
                tr=self.tr,
                registry=self.registry,
                notifier=self.notifier,
                state=state,
                is_new=is_new,
            )
            await self.registry.route(ctx)
        except Exception as error:
            fault = self.diagnose(error) if self.diagnose is not None else None
            if fault is not None:  # one clear line: the person is told nothing was saved
                log.error(
                    "could not handle %s: %s; the person was asked to try again later, and "
                    "the bot works again by itself once the database can be written",
                    event.describe(),
                    fault,
                )
            else:
                log.exception("error while handling %s", event.describe())
            key = "error-storage" if fault is not None else "error-generic"
            await self._apologise(reply, user.locale if user else self.tr.default, event, key)
            return False
        return True

    async def _apologise(self, reply: Reply, locale: str, event: Event, key: str) -> None:
        text = self.tr(locale, key)
        try:
            if event.is_button and not reply.answered:
                await reply.toast(text, alert=True)
            else:
                await reply.send(Screen.of(text))
        except Exception:
            log.exception("could not apologise to %s", event.describe())
