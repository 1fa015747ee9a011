"""Interviews: slots HR publishes (checked for the past and for overlaps of one interviewer),
invitations, atomic booking, rescheduling and cancelling, reminders 24 and 2 hours before,
outcomes and the funnel stages they reach, and the calendar file of a booking."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Protocol

from bot.domain.interviews import (
    LEVEL_METRICS,
    OUTCOME_LEVEL,
    Interview,
    InterviewStatus,
    Outcome,
    Slot,
    SlotDraft,
    SlotFormat,
)
from bot.domain.vacancies import Application, ApplicationStatus
from bot.services.clock import Clock, utcnow

MOSCOW = timezone(timedelta(hours=3), "MSK")
REMIND_EARLY = timedelta(hours=24)
REMIND_LATE = timedelta(hours=2)
CANCEL_UNTIL = timedelta(hours=2)  # a booking can be cancelled until 2 hours before
MIN_LEAD = timedelta(minutes=30)  # slots starting sooner are not offered
MAX_AHEAD_DAYS = 180
MIN_DURATION = 10
MAX_DURATION = 240
MAX_INTERVIEWER = 80
MAX_PLACE = 300
MAX_SLOTS_AT_ONCE = 20
MAX_COMMENT = 1000
_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?$")
_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_LINK_RE = re.compile(r"^https?://[^\s<>\"']{3,290}$", re.IGNORECASE)


class TimesProblem(StrEnum):
    EMPTY = "empty"
    BAD_DATE = "bad-date"
    BAD_TIME = "bad-time"
    NO_TIMES = "no-times"
    TOO_MANY = "too-many"
    TOO_FAR = "too-far"


class SlotProblem(StrEnum):
    PAST = "past"
    OVERLAP = "overlap"  # with a published slot of the same interviewer
    OVERLAP_HERE = "overlap-here"  # with another time in the same list


class BookProblem(StrEnum):
    NOT_INVITED = "not-invited"
    TAKEN = "taken"  # the place went to somebody else, or the slot is gone
    ALREADY = "already"  # an active booking exists: reschedule it instead
    CLOSED = "closed"  # an outcome was recorded (a no-show has one rebooking)
    TOO_LATE = "too-late"  # cancelling less than 2 hours before


@dataclass(frozen=True, slots=True)
class CheckedSlot:
    draft: SlotDraft
    problem: SlotProblem | None = None
    clash: Slot | None = None


class InterviewRepository(Protocol):
    async def add_slots(
        self, drafts: list[SlotDraft], created_by: int | None, now: datetime
    ) -> list[int]: ...

    async def slot(self, slot_id: int) -> Slot | None: ...

    async def overlapping(
        self, interviewer: str, starts: datetime, ends: datetime
    ) -> list[Slot]: ...

    async def free_slots(
        self, vacancy_id: int, after: datetime, offset: int, limit: int
    ) -> tuple[list[Slot], int]: ...

    async def upcoming_slots(
        self, after: datetime, offset: int, limit: int
    ) -> tuple[list[Slot], int]: ...

    async def cancel_slot(self, slot_id: int, now: datetime) -> tuple[bool, list[Interview]]: ...

    async def invite(self, application_id: int, invited_by: int | None, now: datetime) -> bool: ...

    async def invitation(self, application_id: int) -> tuple[datetime, int] | None: ...

    async def use_rebooking(self, application_id: int) -> bool: ...

    async def owe_times(self, application_id: int, *, newer_only: bool) -> None: ...

    async def owed_times(self, after: datetime, limit: int) -> list[int]: ...

    async def claim_times(self, application_id: int) -> bool: ...

    async def book(
        self,
        application_id: int,
        user_id: int,
        slot_id: int,
        vacancy_id: int,
        after: datetime,
        now: datetime,
        *,
        replace: int | None,
        skip_24: bool,
        skip_2: bool,
    ) -> Interview | None: ...

    async def get(self, interview_id: int) -> Interview | None: ...

    async def for_application(self, application_id: int) -> list[Interview]: ...

    async def set_status(
        self, interview_id: int, status: InterviewStatus, expect: InterviewStatus, now: datetime
    ) -> bool: ...

    async def confirm(self, interview_id: int) -> bool: ...

    async def set_outcome(
        self, interview_id: int, outcome: str, comment: str, now: datetime
    ) -> tuple[Interview | None, str]: ...

    async def due_reminders(
        self, column: str, until: datetime, after: datetime, limit: int = 100
    ) -> list[Interview]: ...

    async def claim_reminder(self, interview_id: int, column: str) -> bool: ...

    async def between(
        self, start: datetime, end: datetime, *, done: bool, limit: int
    ) -> list[Interview]: ...

    async def awaiting_outcome(self, before: datetime, limit: int) -> list[Interview]: ...


class FunnelCounter(Protocol):
    async def count(self, vacancy_id: int, source: str, metric: str) -> None: ...


def parse_times(text: str, now: datetime) -> list[datetime] | TimesProblem:
    """`03.12 10:00 11:30 15:00` (one day a line, several lines allowed) -> start times in
    Moscow time, as aware datetimes. A date without a year is the next such day from today."""
    today = now.astimezone(MOSCOW).date()
    found: list[datetime] = []
    lines = [line.split() for line in text.replace(",", " ").splitlines() if line.strip()]
    if not lines:
        return TimesProblem.EMPTY
    for words in lines:
        match = _DATE_RE.match(words[0])
        if match is None:
            return TimesProblem.BAD_DATE
        day_n, month_n, year_raw = int(match.group(1)), int(match.group(2)), match.group(3)
        try:
            if year_raw:
                year = int(year_raw) + (2000 if len(year_raw) == 2 else 0)
                day = date(year, month_n, day_n)
            else:
                day = date(today.year, month_n, day_n)
                if day < today:
                    day = date(today.year + 1, month_n, day_n)
        except ValueError:
            return TimesProblem.BAD_DATE
        if not words[1:]:
            return TimesProblem.NO_TIMES
        for word in words[1:]:
            time_match = _TIME_RE.match(word)
            if time_match is None:
                return TimesProblem.BAD_TIME
            hour, minute = int(time_match.group(1)), int(time_match.group(2))
            if hour > 23 or minute > 59:
                return TimesProblem.BAD_TIME
            found.append(datetime(day.year, day.month, day.day, hour, minute, tzinfo=MOSCOW))
    if len(found) > MAX_SLOTS_AT_ONCE:
        return TimesProblem.TOO_MANY
    if any(moment - now > timedelta(days=MAX_AHEAD_DAYS) for moment in found):
        return TimesProblem.TOO_FAR
    return sorted(set(found))


def valid_place(format: SlotFormat, place: str) -> bool:
    if format is SlotFormat.VIDEO:
        return bool(_LINK_RE.match(place.strip()))
    if format is SlotFormat.OFFICE:
        return 3 <= len(place.strip()) <= MAX_PLACE
    return len(place) <= MAX_PLACE


def level_metrics(before: str, after: str) -> list[str]:
    """The funnel stages an outcome reaches for the first time (attended, offer, hired)."""
    low, high = OUTCOME_LEVEL.get(before, 0), OUTCOME_LEVEL.get(after, 0)
    return [LEVEL_METRICS[level - 1] for level in range(low + 1, high + 1)]


class InterviewService:
    def __init__(
        self, repo: InterviewRepository, funnel: FunnelCounter, clock: Clock = utcnow
    ) -> None:
        self._repo = repo
        self._funnel = funnel
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    # --- slots ------------------------------------------------------------------------------
    async def check_slots(self, drafts: list[SlotDraft]) -> list[CheckedSlot]:
        """Each draft with the reason it cannot be published (in the past, overlapping a
        published slot or another time in the list for the same interviewer), or none."""
        now = self._clock()
        checked: list[CheckedSlot] = []
        accepted: list[SlotDraft] = []
        for draft in drafts:
            if draft.starts_at <= now:
                checked.append(CheckedSlot(draft, SlotProblem.PAST))
                continue
            clash = await self._repo.overlapping(draft.interviewer, draft.starts_at, draft.ends_at)
            if clash:
                checked.append(CheckedSlot(draft, SlotProblem.OVERLAP, clash[0]))
                continue
            if any(
                other.starts_at < draft.ends_at and draft.starts_at < other.ends_at
                for other in accepted
            ):
                checked.append(CheckedSlot(draft, SlotProblem.OVERLAP_HERE))
                continue
            accepted.append(draft)
            checked.append(CheckedSlot(draft))
        return checked

    async def publish(self, drafts: list[SlotDraft], created_by: int | None) -> list[int]:
        """Publish the drafts that pass the checks (checked again: time went on)."""
        good = [c.draft for c in await self.check_slots(drafts) if c.problem is None]
        if not good:
            return []
        return await self._repo.add_slots(good, created_by, self._clock())

    async def slot(self, slot_id: int) -> Slot | None:
        return await self._repo.slot(slot_id)

    async def free_slots(self, vacancy_id: int, page: int, per_page: int) -> tuple[list[Slot], int]:
        return await self._repo.free_slots(
            vacancy_id, self._clock() + MIN_LEAD, page * per_page, per_page
        )

    async def upcoming_slots(self, page: int, per_page: int) -> tuple[list[Slot], int]:
        return await self._repo.upcoming_slots(self._clock(), page * per_page, per_page)

    async def cancel_slot(self, slot_id: int) -> tuple[bool, list[Interview]]:
        return await self._repo.cancel_slot(slot_id, self._clock())

    # --- invitations and bookings ------------------------------------------------------------
    async def invite(self, application: Application, invited_by: int | None) -> bool:
        """Invite the candidate of an application; False when they were invited before."""
        return await self._repo.invite(application.id, invited_by, self._clock())

    async def owe_times(self, application_id: int, *, newer_only: bool = False) -> None:
        """The candidate saw no free time: send them the free times once there are some (see
        `owed_times`); `newer_only`: they asked for another time, so only times published
        after now count."""
        await self._repo.owe_times(application_id, newer_only=newer_only)

    async def owed_times(self, limit: int = 100) -> list[int]:
        """Applications owed times that have a free place to book now."""
        return await self._repo.owed_times(self._clock() + MIN_LEAD, limit)

    async def claim_times(self, application_id: int) -> bool:
        """Take the owed times of an application to send them; False when already taken."""
        return await self._repo.claim_times(application_id)

    async def invited(self, application_id: int) -> bool:
        return await self._repo.invitation(application_id) is not None

    async def active(self, application_id: int) -> Interview | None:
        for interview in await self._repo.for_application(application_id):
            if interview.active:
                return interview
        return None

    async def history(self, application_id: int) -> list[Interview]:
        return await self._repo.for_application(application_id)

    async def can_book(self, application: Application) -> BookProblem | None:
        """Whether the candidate may book a new interview for this application now."""
        invitation = await self._repo.invitation(application.id)
        if invitation is None or application.status is ApplicationStatus.REJECTED:
            return BookProblem.NOT_INVITED
        history = await self._repo.for_application(application.id)
        if any(i.active for i in history):
            return BookProblem.ALREADY
        outcomes = [i.outcome for i in history if i.status is InterviewStatus.DONE]
        if outcomes and (outcomes[-1] != Outcome.NO_SHOW or invitation[1] >= 1):
            return BookProblem.CLOSED
        return None

    async def book(
        self, application: Application, slot_id: int, *, replace: Interview | None = None
    ) -> Interview | BookProblem:
        """Book a place (or move `replace` to it). Atomic: of several candidates taking the
        last place at once exactly one gets it; the others get TAKEN."""
        if replace is None:
            problem = await self.can_book(application)
            if problem is not None:
                return problem
        elif not replace.active or replace.application_id != application.id:
            return BookProblem.TAKEN
        now = self._clock()
        slot = await self._repo.slot(slot_id)
        if slot is None:
            return BookProblem.TAKEN
        lead = slot.starts_at - now
        history = await self._repo.for_application(application.id)
        no_show = any(i.outcome == Outcome.NO_SHOW for i in history)
        interview = await self._repo.book(
            application.id,
            application.user_id,
            slot_id,
            application.vacancy_id,
            now + MIN_LEAD,
            now,
            replace=replace.id if replace is not None else None,
            skip_24=lead <= REMIND_EARLY,
            skip_2=lead <= REMIND_LATE,
        )
        if interview is None:
            return BookProblem.TAKEN
        if replace is None:
            if no_show:
                await self._repo.use_rebooking(application.id)
            if not history:  # the first booking of the application
                await self._funnel.count(application.vacancy_id, application.source, "booked")
        return interview

    async def get(self, interview_id: int) -> Interview | None:
        return await self._repo.get(interview_id)

    async def get_own(self, interview_id: int, user_id: int) -> Interview | None:
        interview = await self._repo.get(interview_id)
        return interview if interview is not None and interview.user_id == user_id else None

    async def confirm(self, interview: Interview) -> bool:
        return await self._repo.confirm(interview.id)

    def may_cancel(self, interview: Interview) -> bool:
        return interview.active and interview.slot.starts_at - self._clock() > CANCEL_UNTIL

    async def cancel(self, interview: Interview) -> BookProblem | None:
        if not self.may_cancel(interview):
            return BookProblem.TOO_LATE if interview.active else BookProblem.TAKEN
        ok = await self._repo.set_status(
            interview.id, InterviewStatus.CANCELLED, InterviewStatus.BOOKED, self._clock()
        )
        return None if ok else BookProblem.TAKEN

    # --- outcomes ---------------------------------------------------------------------------
    def outcome_due(self, interview: Interview) -> bool:
        """Outcomes are recorded once the interview's time has come."""
        return (
            interview.status
            in (
                InterviewStatus.BOOKED,
                InterviewStatus.DONE,
            )
            and interview.slot.starts_at <= self._clock()
        )

    async def set_outcome(
        self, interview: Interview, outcome: Outcome, comment: str, source: str
    ) -> Interview | None:
        if not self.outcome_due(interview):
            return None
        updated, before = await self._repo.set_outcome(
            interview.id, outcome.value, comment.strip()[:MAX_COMMENT], self._clock()
        )
        if updated is None:
            return None
        for metric in level_metrics(before, outcome.value):
            await self._funnel.count(updated.vacancy_id, source, metric)
        return updated

    # --- lists and reminders ----------------------------------------------------------------
    async def upcoming(self, limit: int = 20) -> list[Interview]:
        now = self._clock()
        return await self._repo.between(now, now + timedelta(days=60), done=False, limit=limit)

    async def awaiting_outcome(self, limit: int = 10) -> list[Interview]:
        return await self._repo.awaiting_outcome(self._clock(), limit)

    async def due_reminders(self) -> list[tuple[str, Interview]]:
        """(kind, booking): "24" a day before, "2" two hours before; a day-before reminder
        whose time passed while the bot was down is not sent late (the 2-hour one goes)."""
        now = self._clock()
        early = await self._repo.due_reminders("reminded_24", now + REMIND_EARLY, now + REMIND_LATE)
        late = await self._repo.due_reminders("reminded_2", now + REMIND_LATE, now)
        return [("24", i) for i in early] + [("2", i) for i in late]

    async def claim_reminder(self, interview_id: int, kind: str) -> bool:
        column = "reminded_24" if kind == "24" else "reminded_2"
        return await self._repo.claim_reminder(interview_id, column)


def calendar_file(
    interview: Interview, summary: str, description: str, location: str, organizer: str
) -> bytes:
    """The booking as an RFC 5545 calendar (interview.ics) that Google Calendar, Outlook and
    Apple Calendar open: one VEVENT in UTC with a stable UID, so a re-sent file updates the
    same entry. icalendar is imported here, not at the top: it is needed only when somebody
    books, and the process starts faster without it."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//hr-bot//interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"interview-{interview.id}-{uuid.uuid5(uuid.NAMESPACE_URL, organizer)}")
    event.add("dtstamp", interview.updated_at.astimezone(UTC))
    event.add("dtstart", interview.slot.starts_at.astimezone(UTC))
    event.add("dtend", interview.slot.ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    if interview.slot.format is SlotFormat.VIDEO and interview.slot.place:
        event.add("url", interview.slot.place.strip())
    event.add("status", "CONFIRMED")
    event.add("sequence", 0)
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
