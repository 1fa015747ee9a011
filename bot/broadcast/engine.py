"""The broadcast worker inside the bot process.

A broadcast is a persistent job. When it starts (now, or when its scheduled time comes) its
recipients are recorded in the delivery table in batches (`fill_step`), then one worker per
platform sends to the pending ones through that platform's delivery port:

- Telegram (`batch_size` 1): up to `concurrency` requests in flight, paced by the port's
  limiter; each result is committed as soon as the database is free (group commit), so after
  a crash only the requests that were in flight can be sent again.
- VK (`batch_size` 100): recipients are assigned to a batch in the database *before* the batch
  is sent, and the batch's key (so its `random_id`) derives from the broadcast and the batch;
  after a crash the open batches are sent again exactly as they were and VK drops the copies.

Transient errors are retried with backoff a bounded number of times (`retry_delays`); flood
control pauses the port's limiter and costs no attempt. The author's status message is edited
every `progress_every` seconds, and a report follows at the end. Cancelling stops sending
(requests in flight finish); stopping the process leaves the job running, and the next start
resumes it with the pending recipients.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import Protocol

from bot.broadcast.model import (
    Audience,
    Broadcast,
    BroadcastStatus,
    DeliveryResult,
    DeliveryState,
    Recipient,
)
from bot.broadcast.ports import DeliveryPort, MediaPayload, Outcome, OutcomeKind
from bot.domain import Platform
from bot.services.clock import Clock, utcnow
from bot.ui import Screen

log = logging.getLogger(__name__)

MAX_MEDIA = 20 * 1024 * 1024
PAGE = 500  # pending recipients read per query
_FINAL = {
    OutcomeKind.SENT: DeliveryState.SENT,
    OutcomeKind.BLOCKED: DeliveryState.BLOCKED,
    OutcomeKind.FAILED: DeliveryState.FAILED,
    OutcomeKind.UNKNOWN: DeliveryState.UNKNOWN,
}


class BroadcastStore(Protocol):
    async def get(self, broadcast_id: int) -> Broadcast | None: ...

    async def unfinished(self) -> list[int]: ...

    async def start_due(self, now: datetime) -> list[int]: ...

    async def status(self, broadcast_id: int) -> BroadcastStatus | None: ...

    async def finish(self, broadcast_id: int, now: datetime) -> bool: ...

    async def set_status_message(self, broadcast_id: int, handle: str) -> None: ...

    async def cache_media(self, broadcast_id: int, platform: Platform, ref: str) -> None: ...

    async def fill_step(
        self, broadcast_id: int, audience: Audience, platforms: Sequence[Platform], now: datetime
    ) -> bool: ...

    async def has_pending(self, broadcast_id: int, platform: Platform) -> bool: ...

    async def pending(
        self, broadcast_id: int, platform: Platform, after: int, limit: int
    ) -> list[Recipient]: ...

    async def open_batches(
        self, broadcast_id: int, platform: Platform, limit: int
    ) -> list[Recipient]: ...

    async def claim_batch(
        self, broadcast_id: int, platform: Platform, size: int
    ) -> list[Recipient]: ...

    async def record(
        self, broadcast_id: int, results: Sequence[DeliveryResult], now: datetime
    ) -> None: ...

    async def fail_pending(
        self, broadcast_id: int, platform: Platform, error: str, now: datetime
    ) -> int: ...


class Presenter(Protocol):
    """Screens for the author: progress (with a cancel button), the final state of the status
    message, and the report that follows."""

    def progress(self, broadcast: Broadcast, rate: float | None, eta: float | None) -> Screen: ...

    def final(self, broadcast: Broadcast) -> Screen: ...

    def report(self, broadcast: Broadcast) -> Screen: ...


class MediaUnavailable(Exception):
    pass


@dataclass(eq=False)
class _Run:
    broadcast_id: int
    task: asyncio.Task[None] | None = None
    halted: bool = False  # stop sending: cancelled, or the process is stopping
    stopping: bool = False  # the process is stopping: leave the job running
    media_data: bytes | None = None
    refs: dict[Platform, str] = field(default_factory=dict)
    media_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class _Writer:
    """Group commit of delivery results: whatever has arrived while the previous write ran
    goes into the next transaction. `put` returns a future that is done once the result is
    recorded, and a delivery holds its slot until then, so the messages sent but not recorded
    (those a crash would send again) are never more than the slots. When results cannot be
    recorded (a full disk, a read-only database), the writer tries again and again, and the
    sending waits for it."""

    def __init__(self, store: BroadcastStore, broadcast_id: int, clock: Clock) -> None:
        self._store = store
        self._id = broadcast_id
        self._clock = clock
        self._items: list[tuple[DeliveryResult, asyncio.Future[None]]] = []
        self._event = asyncio.Event()
        self._closed = False
        self._task = asyncio.create_task(self._loop(), name=f"broadcast-{broadcast_id}-writer")

    def put(self, result: DeliveryResult) -> asyncio.Future[None]:
        recorded: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._items.append((result, recorded))
        self._event.set()
        return recorded

    async def _loop(self) -> None:
        while True:
            await self._event.wait()
            self._event.clear()
            await self._flush()
            if self._closed and not self._items:
                return

    async def _flush(self) -> None:
        failures = 0
        while self._items:
            items, self._items = self._items, []
            try:
                await self._store.record(self._id, [result for result, _ in items], self._clock())
            except Exception as error:
                failures += 1
                if failures == 1:
                    log.exception("broadcast %s: could not record %s results", self._id, len(items))
                else:
                    log.warning(
                        "broadcast %s: still cannot record %s results (%s: %s); sending waits",
                        self._id,
                        len(items),
                        type(error).__name__,
                        error,
                    )
                self._items[:0] = items
                if self._closed and failures >= 5:  # stopping: they stay pending
                    self._release()
                    return
                await asyncio.sleep(min(0.5 * failures, 5.0))
                continue
            failures = 0
            for _, recorded in items:
                if not recorded.done():
                    recorded.set_result(None)

    def _release(self) -> None:
        items, self._items = self._items, []
        for _, recorded in items:
            if not recorded.done():
                recorded.set_result(None)

    async def close(self) -> None:
        self._closed = True
        self._event.set()
        try:
            await asyncio.shield(self._task)
        finally:
            if self._task.done():
                self._release()


class BroadcastEngine:
    def __init__(
        self,
        store: BroadcastStore,
        presenter: Presenter,
        *,
        clock: Clock = utcnow,
        tick: float = 5.0,
        progress_every: float = 3.0,
        retry_delays: Sequence[float] = (1.0, 3.0, 9.0),
        max_waits: int = 10,
        shutdown_grace: float = 15.0,
    ) -> None:
        self.store = store
        self.presenter = presenter
        self.clock = clock
        self.tick_seconds = tick
        self.progress_every = progress_every
        self.retry_delays = tuple(retry_delays)
        self.max_waits = max_waits
        self.shutdown_grace = shutdown_grace
        self.ports: dict[Platform, DeliveryPort] = {}
        self._runs: dict[int, _Run] = {}
        self._wake = asyncio.Event()

    # --- wiring -------------------------------------------------------------------------------

    def register(self, port: DeliveryPort) -> None:
        self.ports[port.platform] = port

    @property
    def platforms(self) -> tuple[Platform, ...]:
        return tuple(p for p in Platform if p in self.ports)

    def wake(self) -> None:
        """Look at the broadcasts now (one was started, scheduled or cancelled)."""
        self._wake.set()

    @property
    def active(self) -> list[int]:
        return sorted(self._runs)

    async def settle(self, broadcast_id: int, seconds: float) -> None:
        """Stop a broadcast that was cancelled and wait until what was in flight is answered
        and counted (the run records every result before it ends)."""
        run = self._runs.get(broadcast_id)
        if run is None or run.task is None:
            return
        run.halted = True
        await asyncio.wait({run.task}, timeout=seconds)

    # --- the loop -------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self._wake.clear()  # a wake-up during the tick makes the next one come at once
            try:
                await self.tick()
            except Exception:
                log.exception("broadcasts: tick failed; will retry")
            waker = asyncio.create_task(self._wake.wait())
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait(
                {waker, stopper}, timeout=self.tick_seconds, return_when=asyncio.FIRST_COMPLETED
            )
            waker.cancel()
            stopper.cancel()
        await self.shutdown()

    async def shutdown(self) -> None:
        """Stop sending; requests in flight finish and their results are stored."""
        runs = list(self._runs.values())
        for run in runs:
            run.halted = run.stopping = True
        tasks = [run.task for run in runs if run.task is not None]
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=self.shutdown_grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)

    async def tick(self) -> None:
        """Start the broadcasts that are due, resume the unfinished ones, notice cancels."""
        await self.store.start_due(self.clock())
        for broadcast_id in await self.store.unfinished():
            run = self._runs.get(broadcast_id)
            if run is None:
                run = _Run(broadcast_id)
                self._runs[broadcast_id] = run
                run.task = asyncio.create_task(self._run_job(run), name=f"broadcast-{broadcast_id}")
            elif await self.store.status(broadcast_id) is BroadcastStatus.CANCELLED:
                run.halted = True

    # --- one broadcast ---------------------------------------------------------------------------

    async def _run_job(self, run: _Run) -> None:
        try:
            job = await self.store.get(run.broadcast_id)
            if job is None:
                return
            if job.status is BroadcastStatus.RUNNING and not job.filled:
                await self._fill(run, job)
                job = await self.store.get(run.broadcast_id)
                assert job is not None
            if run.stopping:
                return
            log.info(
                "broadcast %s %s: %s recipients, %s pending",
                job.id,
                job.status,
                job.counts.total,
                job.counts.pending,
            )
            await self._ensure_status_message(job)
            if job.status is BroadcastStatus.RUNNING and job.filled and not run.halted:
                await self._send(run, job)
            if run.stopping:
                return
            if await self.store.finish(run.broadcast_id, self.clock()):
                done = await self.store.get(run.broadcast_id)
                assert done is not None
                log.info(
                    "broadcast %s %s: %s sent, %s blocked, %s failed, %s unknown of %s",
                    done.id,
                    done.status,
                    done.counts.sent,
                    done.counts.blocked,
                    done.counts.failed,
                    done.counts.unknown,
                    done.counts.total,
                )
                await self._edit_status(done, self.presenter.final(done))
                await self._post(done, self.presenter.report(done), f"bc{done.id}:report")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("broadcast %s: the worker failed; it will be resumed", run.broadcast_id)
        finally:
            self._runs.pop(run.broadcast_id, None)

    async def _fill(self, run: _Run, job: Broadcast) -> None:
        while not run.halted:
            done = await self.store.fill_step(job.id, job.audience, self.platforms, self.clock())
            if done:
                return
            await asyncio.sleep(0)  # let updates in between

    async def _send(self, run: _Run, job: Broadcast) -> None:
        workers = []
        for platform in Platform:
            if not await self.store.has_pending(job.id, platform):
                continue
            port = self.ports.get(platform)
            if port is None:
                await self.store.fail_pending(job.id, platform, "not configured", self.clock())
                continue
            workers.append(asyncio.create_task(self._work(run, job, port)))
        reporter = asyncio.create_task(self._report_progress(run))
        try:
            await asyncio.gather(*workers)
        finally:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
            for worker in workers:
                worker.cancel()

    async def _work(self, run: _Run, job: Broadcast, port: DeliveryPort) -> None:
        media = await self._media_with_retries(run, job, port)
        if media is False:
            await self.store.fail_pending(job.id, port.platform, "media unavailable", self.clock())
            return
        assert not isinstance(media, bool)
        writer = _Writer(self.store, job.id, self.clock)
        try:
            if port.batch_size > 1:
                await self._work_batches(run, job, port, media, writer)
            else:
                await self._work_single(run, job, port, media, writer)
        finally:
            await writer.close()

    async def _work_single(
        self,
        run: _Run,
        job: Broadcast,
        port: DeliveryPort,
        media: MediaPayload | None,
        writer: _Writer,
    ) -> None:
        limit = asyncio.Semaphore(max(port.concurrency, 1))
        tasks: set[asyncio.Task[str]] = set()

        def done(task: asyncio.Task[str]) -> None:
            tasks.discard(task)
            limit.release()

        after = 0
        try:
            while not run.halted:
                rows = await self.store.pending(job.id, port.platform, after, PAGE)
                if not rows:
                    break
                for recipient in rows:
                    if run.halted:
                        break
                    after = recipient.delivery_id
                    if media is not None and media.data is not None:
                        # the media must be uploaded once: one at a time until we have its ref
                        learned = await self._deliver(run, job, port, [recipient], media, writer)
                        if learned:
                            media = MediaPayload(media.kind, media.name, ref=learned)
                        continue
                    await limit.acquire()
                    if run.halted:
                        limit.release()
                        break
                    task = asyncio.create_task(
                        self._deliver(run, job, port, [recipient], media, writer)
                    )
                    tasks.add(task)
                    task.add_done_callback(done)
            if tasks:
                await asyncio.wait(set(tasks))
        finally:
            for task in list(tasks):
                task.cancel()
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _work_batches(
        self,
        run: _Run,
        job: Broadcast,
        port: DeliveryPort,
        media: MediaPayload | None,
        writer: _Writer,
    ) -> None:
        # batches left open by a crash go again exactly as they were (same recipients, same key)
        reopened = await self.store.open_batches(job.id, port.platform, 100 * port.batch_size)
        for _, group in groupby(reopened, key=lambda r: r.batch):
            if run.halted:
                return
            learned = await self._deliver(run, job, port, list(group), media, writer)
            if learned and media is not None:
                media = MediaPayload(media.kind, media.name, ref=learned)
        while not run.halted:
            batch = await self.store.claim_batch(job.id, port.platform, port.batch_size)
            if not batch:
                return
            learned = await self._deliver(run, job, port, batch, media, writer)
            if learned and media is not None:
                media = MediaPayload(media.kind, media.name, ref=learned)

    async def _deliver(
        self,
        run: _Run,
        job: Broadcast,
        port: DeliveryPort,
        recipients: list[Recipient],
        media: MediaPayload | None,
        writer: _Writer,
    ) -> str:
        """Deliver to one request's recipients with bounded retries; queue the final states.
        Returns a media reference learned by uploading, if any."""
        first = recipients[0]
        key = f"{job.id}:{first.batch or first.delivery_id}"
        attempts = {r.delivery_id: 0 for r in recipients}
        waits = 0
        learned = ""
        todo = recipients
        recorded: list[asyncio.Future[None]] = []
        while todo:
            try:
                delivered = await port.deliver(job.content, todo, key, media)
                outcomes = delivered.outcomes
                if delivered.media_ref and media is not None:
                    learned = delivered.media_ref
                    media = MediaPayload(media.kind, media.name, ref=learned)
                    await self._learn(run, job, port.platform, learned)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.exception("broadcast %s: delivery port failed", job.id)
                outcomes = [Outcome(OutcomeKind.RETRY, type(error).__name__)] * len(todo)
            again: list[Recipient] = []
            flood = False
            for recipient, outcome in zip(todo, outcomes, strict=True):
                if outcome.kind is OutcomeKind.WAIT and waits < self.max_waits:
                    again.append(recipient)
                    flood = True
                    continue
                attempts[recipient.delivery_id] += 1
                state = _FINAL.get(outcome.kind)
                if state is None:  # RETRY, or flood control too many times
                    if attempts[recipient.delivery_id] <= len(self.retry_delays):
                        again.append(recipient)
                        continue
                    state = DeliveryState.FAILED
                recorded.append(
                    writer.put(
                        DeliveryResult(
                            recipient.delivery_id,
                            recipient.user_id,
                            state,
                            attempts[recipient.delivery_id],
                            outcome.error,
                        )
                    )
                )
            if not again or run.halted:
                break  # when halted, the rest stay pending and are resumed later
            if flood:
                waits += 1
                await asyncio.sleep(0)  # the port paused its limiter: the next send waits
            else:
                tries = max(attempts[r.delivery_id] for r in again)
                await asyncio.sleep(self.retry_delays[min(tries, len(self.retry_delays)) - 1])
            if run.halted:
                break
            todo = again
        if recorded:  # the slot is free once the results are recorded, not merely sent
            await asyncio.gather(*recorded)
        return learned

    # --- media -----------------------------------------------------------------------------------

    async def _media_with_retries(
        self, run: _Run, job: Broadcast, port: DeliveryPort
    ) -> MediaPayload | bool | None:
        for attempt in range(len(self.retry_delays) + 1):
            try:
                return await self._media(run, job, port)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("broadcast %s: media not available (%s)", job.id, type(error).__name__)
                if attempt < len(self.retry_delays) and not run.halted:
                    await asyncio.sleep(self.retry_delays[attempt])
        return False

    async def _media(self, run: _Run, job: Broadcast, port: DeliveryPort) -> MediaPayload | None:
        media = job.content.media
        if media is None:
            return None
        ref = (
            run.refs.get(port.platform)
            or job.content.cached_ref(port.platform)
            or port.native_ref(job.content)
        )
        if ref:
            return MediaPayload(media.kind, media.name, ref=ref)
        async with run.media_lock:
            if run.media_data is None:
                source = self.ports.get(media.platform)
                if source is None:
                    raise MediaUnavailable(media.platform)
                run.media_data = await source.download(media.ref, MAX_MEDIA)
        return MediaPayload(media.kind, media.name, data=run.media_data)

    async def _learn(self, run: _Run, job: Broadcast, platform: Platform, ref: str) -> None:
        if run.refs.get(platform) == ref:
            return
        run.refs[platform] = ref
        await self.store.cache_media(job.id, platform, ref)

    async def send_copy(self, broadcast: Broadcast, platform: Platform, chat_id: int) -> bool:
        """Deliver the broadcast to one chat exactly as recipients get it (preview, test copy);
        not paced by the broadcast limiter, never recorded as a delivery."""
        port = self.ports.get(platform)
        if port is None:
            return False
        run = self._runs.get(broadcast.id) or _Run(broadcast.id)
        try:
            media = await self._media(run, broadcast, port)
            delivered = await port.deliver(
                broadcast.content,
                [Recipient(0, 0, chat_id)],
                f"copy:{broadcast.id}:{secrets.token_hex(6)}",
                media,
                paced=False,
            )
        except Exception:
            log.exception("broadcast %s: could not send a copy", broadcast.id)
            return False
        if delivered.media_ref:
            await self._learn(run, broadcast, platform, delivered.media_ref)
        return delivered.outcomes[0].kind is OutcomeKind.SENT

    # --- the author's status message ------------------------------------------------------------

    async def _ensure_status_message(self, job: Broadcast) -> None:
        if job.status_message:
            return
        handle = await self._post(
            job, self.presenter.progress(job, None, None), f"bc{job.id}:status"
        )
        if handle:
            await self.store.set_status_message(job.id, handle)

    async def _post(self, job: Broadcast, screen: Screen, key: str) -> str:
        port = self.ports.get(job.author_platform)
        if port is None:
            return ""
        try:
            return await port.post(job.author_chat, screen, key)
        except Exception:
            log.exception("broadcast %s: could not post to the author", job.id)
            return ""

    async def _edit_status(self, job: Broadcast, screen: Screen) -> None:
        port = self.ports.get(job.author_platform)
        if port is None or not job.status_message:
            return
        try:
            await port.edit(job.author_chat, job.status_message, screen)
        except Exception:
            log.exception("broadcast %s: could not update the status message", job.id)

    async def _report_progress(self, run: _Run) -> None:
        samples: deque[tuple[float, int]] = deque()
        shown = None
        first = True
        while True:
            if not first:
                await asyncio.sleep(self.progress_every)
            first = False
            job = await self.store.get(run.broadcast_id)
            if job is None:
                return
            now = time.monotonic()
            samples.append((now, job.counts.done))
            while len(samples) > 2 and now - samples[0][0] > 20:
                samples.popleft()
            rate = eta = None
            if len(samples) >= 2 and samples[-1][0] > samples[0][0]:
                rate = (samples[-1][1] - samples[0][1]) / (samples[-1][0] - samples[0][0])
                if rate > 0:
                    eta = job.counts.pending / rate
            if (job.counts, job.status) != shown:
                shown = (job.counts, job.status)
                await self._edit_status(job, self.presenter.progress(job, rate, eta))
