"""Background work inside the bot process: deadline reminders and new-vacancy notices.

The state lives in SQLite, so the jobs survive restarts; each reminder and notice is claimed
in the database before it is sent, so none goes out twice. Each job runs on its own: one that
fails is logged and tried again at the next tick, and the others still run. `extra` jobs (the
daily backup) run after them, on the same terms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.i18n import Translator
from bot.metrics import Metrics
from bot.notify import Notifier
from bot.services import Services
from handlers.applications import reminder_screen
from handlers.vacancies import notice_screen

log = logging.getLogger(__name__)


Job = Callable[[], Awaitable[object]]


class Jobs:
    def __init__(
        self,
        services: Services,
        notifier: Notifier,
        tr: Translator,
        interval: float,
        *,
        metrics: Metrics | None = None,
        extra: Sequence[tuple[str, Job]] = (),
    ) -> None:
        self.services = services
        self.notifier = notifier
        self.tr = tr
        self.interval = interval
        self.metrics = metrics
        self.extra = list(extra)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:
                log.exception("background jobs failed; will retry")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval)

    async def tick(self) -> None:
        jobs: list[tuple[str, Job]] = [
            ("reminders", self.send_reminders),
            ("notices", self.send_notices),
            ("retention", self.retention),
        ]
        for name, job in jobs:
            if await self._run_one(name, job) and self.metrics is not None:
                self.metrics.job_succeeded(name)
        for name, job in self.extra:  # they tell the metrics themselves what succeeded
            await self._run_one(name, job)

    @staticmethod
    async def _run_one(name: str, job: Job) -> bool:
        try:
            await job()
        except Exception:
            log.exception("background job %s failed; will retry", name)
            return False
        return True

    async def retention(self) -> int:
        """Once a day (the last run is kept in the database, so restarts do not skip or
        repeat it): purge the personal data of decided applications past RETENTION_DAYS."""
        today = self.services.applications.now().date().isoformat()
        state = self.services.runtime_state
        if await state.get("retention.last_run") == today:
            return 0
        purged = await self.services.privacy.purge_expired()
        await state.set("retention.last_run", today)
        return purged

    async def send_reminders(self) -> int:
        sent = 0
        for application in await self.services.applications.due_reminders():
            if not await self.services.applications.claim_reminder(application.id):
                continue
            user = await self.services.users.get(application.user_id)
            vacancy = await self.services.vacancies.get(application.vacancy_id)
            if user is None or vacancy is None or user.is_blocked:
                continue
            screen = reminder_screen(self.tr, user.locale, application, vacancy)
            if await self.notifier.send(user, screen, f"remind:{application.id}"):
                sent += 1
        return sent

    async def send_notices(self) -> int:
        sent = 0
        for vacancy_id, user_id in await self.services.vacancies.pending_notices():
            if not await self.services.vacancies.claim_notice(vacancy_id, user_id):
                continue
            vacancy = await self.services.vacancies.get_open(vacancy_id)
            user = await self.services.users.get(user_id)
            if vacancy is None or user is None or user.is_blocked:
                continue
            screen = notice_screen(self.tr, user.locale, vacancy)
            if await self.notifier.send(user, screen, f"notice:{vacancy_id}"):
                sent += 1
        return sent
