"""VK runtime: long poll -> asyncio queue -> Event -> core, with throttling and bounded
concurrency; names of new users come from users.get (cached, and looked up together: one
request for everybody who wrote at the same moment)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from vk_api.exceptions import ApiError

from bot.config import Settings
from bot.core import Core
from bot.domain import Platform
from bot.events import Event
from bot.i18n import Translator
from bot.throttle import Throttle
from bot.traffic import Lane, replying_to
from bot.ui import Screen
from bot.vk.client import VkClient, VkTransportError
from bot.vk.convert import from_message_event, from_message_new
from bot.vk.longpoll import LongPollThread
from bot.vk.messenger import VkMessenger
from bot.vk.reply import VkReply

log = logging.getLogger(__name__)
NAME_CACHE = 10_000
NAME_BATCH = 1000  # users.get takes up to 1000 ids
NAME_GATHER = 0.005  # seconds to gather lookups into one request


class VkRuntime:
    def __init__(
        self, settings: Settings, core: Core, tr: Translator, *, longpoll_wait: int = 25
    ) -> None:
        assert settings.vk_token is not None and settings.vk_group_id is not None
        self.core = core
        self.tr = tr
        self.group_id = settings.vk_group_id
        self.client = VkClient(
            settings.vk_token.get_secret_value(), settings.vk_api_url, metrics=core.metrics
        )
        self.throttle = Throttle(settings.throttle_rate, settings.throttle_burst)
        self._limit = asyncio.Semaphore(settings.max_concurrent_updates)
        self._queue: asyncio.Queue[tuple[list[dict[str, Any]], str]] = asyncio.Queue()
        self._saved: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._names: OrderedDict[int, tuple[str, str]] = OrderedDict()
        self._wanted: dict[int, asyncio.Future[tuple[str, str] | None]] = {}
        self._lookup: asyncio.Task[None] | None = None
        self._longpoll_wait = longpoll_wait
        self.screen_name = ""
        self._more_text = tr(tr.default, "more-buttons")

    async def run(self, stop: asyncio.Event) -> None:
        info = await self.client.call("groups.getById", group_id=self.group_id)
        groups = info.get("groups", info) if isinstance(info, dict) else info
        self.screen_name = groups[0].get("screen_name", "") if groups else ""
        self.messenger = VkMessenger(
            self.client,
            self._on_blocked,
            self._more_text,
            self.screen_name or f"club{self.group_id}",
        )
        self.core.notifier.register(self.messenger)
        log.info("VK: running for community %s", self.screen_name or self.group_id)
        state = self.core.services.runtime_state
        thread = LongPollThread(
            self.client,
            self.group_id,
            asyncio.get_running_loop(),
            lambda batch, ts: self._queue.put_nowait((batch, ts)),
            start_ts=await state.get(self._ts_key),
            wait=self._longpoll_wait,
            on_poll=self._polled,
        )
        thread.start()
        try:
            while not stop.is_set():
                getter = asyncio.create_task(self._queue.get())
                stopper = asyncio.create_task(stop.wait())
                done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()
                if getter not in done:
                    getter.cancel()
                    break
                batch, ts = getter.result()
                started = []
                for raw in batch:
                    await self._limit.acquire()
                    task = asyncio.create_task(self._process(raw))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                    started.append(task)
                self._saved = asyncio.create_task(self._save_position(started, ts, self._saved))
        finally:
            thread.stop()
            if self._tasks:
                await asyncio.wait(self._tasks, timeout=10)
            if self._saved is not None:
                await asyncio.wait({self._saved}, timeout=5)

    def _polled(self) -> None:  # in the long-poll thread
        if self.core.metrics is not None:
            self.core.metrics.polled(Platform.VK)

    @property
    def _ts_key(self) -> str:
        return f"vk.{self.group_id}.longpoll_ts"

    async def _save_position(
        self, tasks: list[asyncio.Task[None]], ts: str, previous: asyncio.Task[None] | None
    ) -> None:
        """Remember the long-poll position once a batch is handled (in order), so a restart
        resumes after it; a replay after a crash is harmless because replies carry a
        random_id derived from the update, which VK deduplicates."""
        if tasks:
            await asyncio.wait(tasks)
        if previous is not None:
            with contextlib.suppress(Exception):  # a failed save must not stop later ones
                await previous
        try:
            await self.core.services.runtime_state.set(self._ts_key, ts)
        except Exception:
            log.exception("VK: could not save the long-poll position")

    async def _process(self, raw: dict[str, Any]) -> None:
        try:
            await self._dispatch(raw)
        except Exception:
            log.exception("VK: error while handling a %s event", raw.get("type"))
        finally:
            self._limit.release()

    async def _dispatch(self, raw: dict[str, Any]) -> None:
        kind, obj = raw.get("type"), raw.get("object") or {}
        if kind == "message_new":
            event = from_message_new(obj)
            key = f"m{(obj.get('message') or {}).get('conversation_message_id')}"
            extra: dict[str, Any] = {}
        elif kind == "message_event":
            event = from_message_event(obj)
            key = f"e{obj.get('event_id')}"
            extra = {
                "event_id": obj.get("event_id"),
                "user_id": obj.get("user_id"),
                "conversation_message_id": obj.get("conversation_message_id"),
            }
        elif kind in ("message_allow", "message_deny"):
            user_id = obj.get("user_id")
            if isinstance(user_id, int) and not isinstance(user_id, bool):
                await self.core.services.users.set_blocked(
                    Platform.VK, user_id, kind == "message_deny"
                )
            return
        else:
            return
        if event is None:
            return
        reply = VkReply(self.messenger, event.chat_id, key=key, more_text=self._more_text, **extra)
        with replying_to(Platform.VK, event.chat_id):
            allowed, warn = self.throttle.check(
                ("vk", event.user_id), busy=self.core.busy(Platform.VK, event.user_id)
            )
            if not allowed:
                text = self.tr(self.tr.resolve_locale(event.language_code), "too-many-requests")
                if event.is_button:
                    await reply.toast(text if warn else "")
                    await reply.flush()
                elif warn:
                    await reply.send(Screen.of(text))
                return
            await self.core.handle(event, reply, enrich=self._with_name)
            await reply.toast()  # a press nobody answered is answered silently
            await reply.flush()

    async def _with_name(self, event: Event) -> Event:
        names = self._names.get(event.user_id)
        if names is None:
            names = await self._look_up(event.user_id)
        else:
            self._names.move_to_end(event.user_id)
        if names is None:
            return event
        return replace(event, first_name=names[0], last_name=names[1])

    async def _look_up(self, user_id: int) -> tuple[str, str] | None:
        """The user's names; lookups made at the same moment share one users.get."""
        future = self._wanted.get(user_id)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._wanted[user_id] = future
        if self._lookup is None:
            self._lookup = asyncio.create_task(self._look_up_wanted())
        return await asyncio.shield(future)

    async def _look_up_wanted(self) -> None:
        await asyncio.sleep(NAME_GATHER)
        wanted, self._wanted, self._lookup = self._wanted, {}, None
        ids = list(wanted)
        try:
            for start in range(0, len(ids), NAME_BATCH):
                chunk = ids[start : start + NAME_BATCH]
                try:
                    people = await self.client.call_in(
                        Lane.INTERACTIVE, "users.get", {"user_ids": ",".join(map(str, chunk))}
                    )
                except (ApiError, VkTransportError, OSError, TimeoutError) as error:
                    log.info("VK users.get failed (%s)", type(error).__name__)
                    continue
                for person in people if isinstance(people, list) else []:
                    if isinstance(person, dict) and person.get("id") in wanted:
                        names = (
                            str(person.get("first_name", "")),
                            str(person.get("last_name", "")),
                        )
                        self._names[person["id"]] = names
                        if len(self._names) > NAME_CACHE:
                            self._names.popitem(last=False)
                        if not wanted[person["id"]].done():
                            wanted[person["id"]].set_result(names)
        finally:
            for future in wanted.values():
                if not future.done():
                    future.set_result(None)

    async def _on_blocked(self, peer_id: int) -> None:
        await self.core.services.users.mark_blocked(Platform.VK, peer_id)

    async def close(self) -> None:
        self.client.session.close()
