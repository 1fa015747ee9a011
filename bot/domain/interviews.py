"""Screening questions and answers, interview slots, bookings and their outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

FUNNEL_STAGES: tuple[str, ...] = (
    "views",
    "screened_in",
    "screened_out",
    "issued",
    "submitted",
    "accepted",
    "booked",
    "attended",
    "offer",
    "hired",
)


@dataclass(frozen=True, slots=True)
class ScreeningOption:
    label: str
    passes: bool = True
    reason: str = ""  # HR's polite reason, shown when this answer knocks the candidate out


@dataclass(frozen=True, slots=True)
class ScreeningQuestion:
    text: str
    options: tuple[ScreeningOption, ...]


@dataclass(frozen=True, slots=True)
class ScreeningAnswer:
    question: str
    answer: str
    passes: bool


@dataclass(frozen=True, slots=True)
class Screening:
    """One run of a candidate through a vacancy's questions (the texts as they were shown)."""

    id: int
    user_id: int
    vacancy_id: int
    passed: bool
    answers: tuple[ScreeningAnswer, ...]
    reason: str
    created_at: datetime


class SlotFormat(StrEnum):
    OFFICE = "office"
    VIDEO = "video"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class SlotDraft:
    """A slot an admin is about to publish."""

    vacancy_id: int | None  # None: for every vacancy
    starts_at: datetime
    duration: int  # minutes
    format: SlotFormat
    place: str  # the office address or the video link; empty for a phone call
    interviewer: str
    capacity: int = 1

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration)


@dataclass(frozen=True, slots=True)
class Slot(SlotDraft):
    id: int = 0
    booked: int = 0  # active bookings
    cancelled: bool = False

    @property
    def free(self) -> int:
        return 0 if self.cancelled else max(self.capacity - self.booked, 0)


class InterviewStatus(StrEnum):
    BOOKED = "booked"
    MOVED = "moved"
    CANCELLED = "cancelled"
    DROPPED = "dropped"  # the slot was cancelled by HR
    DONE = "done"


class Outcome(StrEnum):
    CAME = "came"
    NO_SHOW = "no_show"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"


# how far an outcome carries the candidate down the funnel (attended, offer, hired)
OUTCOME_LEVEL: dict[str, int] = {
    "": 0,
    "no_show": 0,
    "came": 1,
    "rejected": 1,
    "offer": 2,
    "hired": 3,
}
LEVEL_METRICS: tuple[str, ...] = ("attended", "offer", "hired")


@dataclass(frozen=True, slots=True)
class Interview:
    id: int
    application_id: int
    slot: Slot
    user_id: int
    vacancy_id: int  # the application's vacancy
    status: InterviewStatus
    outcome: str  # "" or an Outcome value
    comment: str
    confirmed: bool
    reminded_24: bool
    reminded_2: bool
    created_at: datetime
    updated_at: datetime

    @property
    def active(self) -> bool:
        return self.status is InterviewStatus.BOOKED
