"""Vacancies, applications (a candidate's test-task attempt), answers, placements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain.interviews import ScreeningQuestion

PROJECTS: tuple[str, ...] = ("coffee", "vintage", "veggie", "pastry", "dental")


class VacancyStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class VacancyDraft:
    """Everything an admin writes about a vacancy (from an import file or the chat dialog)."""

    slug: str  # stable id, [a-z0-9-], unique: re-importing updates the vacancy with this slug
    title: str
    project: str  # one of PROJECTS
    city: str = ""  # empty when remote only
    remote: bool = False
    employment: str = ""  # employment terms: contract, schedule, hours
    requirements: str = ""
    duties: str = ""
    not_fit: str = ""  # who does not fit
    offer: str = ""
    contacts: str = ""
    hashtags: tuple[str, ...] = ()  # lower-case, without '#'
    task_text: str = ""
    task_file: str = ""  # path of the task file (import) or a stored file reference
    task_file_name: str = ""
    deadline_days: int = 7
    status: VacancyStatus = VacancyStatus.OPEN
    # asked before the test task (up to 5); None in a draft: keep the vacancy's questions as
    # they are (the chat editor changes them on their own screen)
    screening: tuple[ScreeningQuestion, ...] | None = None


@dataclass(frozen=True, slots=True)
class Vacancy(VacancyDraft):
    id: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    published_at: datetime | None = None


class ApplicationStatus(StrEnum):
    ISSUED = "issued"  # the test task was sent, the clock runs
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class AnswerKind(StrEnum):
    TEXT = "text"
    LINK = "link"
    DOCUMENT = "document"
    PHOTO = "photo"


@dataclass(frozen=True, slots=True)
class Answer:
    id: int
    application_id: int
    kind: AnswerKind
    text: str
    file_ref: str  # platform file reference (Telegram file_id / VK doc URL); never logged
    file_name: str
    mime_type: str
    size: int | None
    created_at: datetime
    late: bool


@dataclass(frozen=True, slots=True)
class OwedAnswer:
    """A stored answer whose receipt (to the candidate) or post (to HR) was never sent: the
    process died in between. The next start sends them."""

    answer_id: int
    application_id: int
    receipt: bool
    hr: bool


@dataclass(frozen=True, slots=True)
class Application:
    id: int
    vacancy_id: int
    user_id: int
    status: ApplicationStatus
    issued_at: datetime
    deadline_at: datetime
    submitted_at: datetime | None
    late: bool
    source: str  # placement / referral that brought the candidate to this vacancy first
    reviewer_id: int | None
    decided_at: datetime | None
    comment: str
    extension: str  # "" | "requested" | "granted" | "refused"
    reminded: bool
    answers: tuple[Answer, ...] = field(default=())

    @property
    def decided(self) -> bool:
        return self.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class VacancyFilters:
    """A candidate's current filters for the vacancy list (empty = no filter)."""

    project: str = ""
    city: str = ""
    remote: bool = False
    tag: str = ""
    query: str = ""

    @property
    def active(self) -> bool:
        return bool(self.project or self.city or self.remote or self.tag or self.query)
