"""Background work inside the bot process: deadline reminders and new-vacancy notices, and
once after a start what answers stored before it still owe (`resume`).

The state lives in SQLite, so the jobs survive restarts; each reminder and notice is claimed
in the database before it is sent, so none goes out twice. Each job runs on its own: one that
fails is logged and tried again at the next tick, and the others still run. `extra` jobs (the
daily backup) run after them, on the same terms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence

from bot.domain import Platform
from bot.i18n import Translator
from bot.metrics import Metrics
from bot.notify import Notifier
from bot.services import Services
from handlers.applications import receipt_screen, reminder_screen
from handlers.interviews import booking_screen, send_owed_times
from handlers.review import post_answer
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
            ("interview reminders", self.send_interview_reminders),
            ("notices", self.send_notices),
            ("new interview times", self.send_new_times),
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

    async def resume(self, up_to: int, platforms: Iterable[Platform], stop: asyncio.Event) -> None:
        """Once after a start: answers stored before it (ids up to `up_to`) whose receipt or
        post to HR the process that stored them did not send, because it died first, get them
        now, once the messengers run: the receipts first (each to its own chat, quick), then
        the posts to HR (paced by the admins' chats). Each is marked when sent, so it goes out
        once more at most (twice only if this process too dies between sending and marking).
        When the bot stops first, the rest is left for the next start."""
        if not await self.services.applications.owed(0, up_to):
            return
        ready = asyncio.create_task(self.notifier.wait_for(platforms))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({ready, stopping}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        stopping.cancel()
        log.info("sending the receipts and posts to HR that answers stored before the start owe")
        try:
            receipts = await self.resume_answers(up_to, stop, receipts=True)
            posts = await self.resume_answers(up_to, stop, receipts=False)
        except Exception:
            log.exception("could not send what answers stored before the start owe")
            return
        if receipts or posts:
            log.info(
                "after the restart: sent %s receipts and %s posts to HR that answers stored "
                "before it still owed",
                receipts,
                posts,
            )

    async def resume_answers(self, up_to: int, stop: asyncio.Event, *, receipts: bool) -> int:
        """Send the owed receipts (or posts to HR) of answers up to id `up_to`; return how
        many went out."""
        applications = self.services.applications
        after = sent = 0
        while not stop.is_set() and (owed := await applications.owed(after, up_to)):
            for item in owed:
                after = item.answer_id
                if stop.is_set():
                    break
                if not (item.receipt if receipts else item.hr):
                    continue
                application = await applications.get(item.application_id)
                if application is None:
                    continue
                user = await self.services.users.get(application.user_id)
                answer = next((a for a in application.answers if a.id == item.answer_id), None)
                if user is None or answer is None:
                    continue
                if receipts:
                    if not user.is_blocked:
                        screen = receipt_screen(self.tr, user.locale, application, answer)
                        sent += await self.notifier.send(user, screen, f"receipt:{answer.id}")
                    await applications.receipt_sent(answer.id)
                else:
                    await post_answer(
                        self.services, self.tr, self.notifier, user, application, answer
                    )
                    await applications.hr_posted(answer.id)
                    sent += 1
        return sent

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
            user = await self.services.users.get(application.user_id)
            if user is not None and self.notifier.messenger(user.platform) is None:
                continue  # its messenger does not run yet (just started): the next tick
            if not await self.services.applications.claim_reminder(application.id):
                continue
            vacancy = await self.services.vacancies.get(application.vacancy_id)
            if user is None or vacancy is None or user.is_blocked:
                continue
            screen = reminder_screen(self.tr, user.locale, application, vacancy)
            if await self.notifier.send(user, screen, f"remind:{application.id}"):
                sent += 1
        return sent

    async def send_interview_reminders(self) -> int:
        """A day and two hours before an interview, each claimed in the database before it is
        sent, so it goes out once also across restarts."""
        sent = 0
        interviews = self.services.interviews
        for kind, interview in await interviews.due_reminders():
            user = await self.services.users.get(interview.user_id)
            if user is not None and self.notifier.messenger(user.platform) is None:
                continue  # its messenger does not run yet (just started): the next tick
            if not await interviews.claim_reminder(interview.id, kind):
                continue
            if user is None or user.is_blocked:
                continue
            screen = await booking_screen(
                self.services, self.tr, user.locale, interview, f"iv-remind-{kind}"
            )
            if await self.notifier.send(user, screen, f"iv-remind-{kind}:{interview.id}"):
                sent += 1
        return sent

    async def send_new_times(self) -> int:
        return await send_owed_times(self.services, self.tr, self.notifier)

    async def send_notices(self) -> int:
        sent = 0
        for vacancy_id, user_id in await self.services.vacancies.pending_notices():
            user = await self.services.users.get(user_id)
            if user is not None and self.notifier.messenger(user.platform) is None:
                continue  # its messenger does not run yet (just started): the next tick
            if not await self.services.vacancies.claim_notice(vacancy_id, user_id):
                continue
            vacancy = await self.services.vacancies.get_open(vacancy_id)
            if vacancy is None or user is None or user.is_blocked:
                continue
            screen = notice_screen(self.tr, user.locale, vacancy)
            if await self.notifier.send(user, screen, f"notice:{vacancy_id}"):
                sent += 1
        return sent
