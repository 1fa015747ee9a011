"""Test-task applications: issuing the task, consent, answers (with the file rules), late marks,
replacement before review, HR decisions, extensions and reminders."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.domain.vacancies import AnswerKind, Application, ApplicationStatus, OwedAnswer, Vacancy
from bot.services.clock import Clock, utcnow

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ANSWER_TEXT = 4000
EXTENSION_DAYS = 3
REMIND_BEFORE = timedelta(days=1)
CONSENT_KIND = "personal-data"
CONSENT_VERSION = "2026-11-23"
ALLOWED_EXTENSIONS = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "odt",
        "rtf",
        "txt",
        "md",
        "xls",
        "xlsx",
        "ods",
        "csv",
        "ppt",
        "pptx",
        "odp",
        "png",
        "jpg",
        "jpeg",
        "webp",
        "zip",
        "rar",
        "7z",
    ]
)
_LINK_RE = re.compile(r"^https?://[^\s<>\"']{3,2000}$", re.IGNORECASE)


class FileProblem(StrEnum):
    TOO_BIG = "too-big"
    BAD_TYPE = "bad-type"


class SubmitProblem(StrEnum):
    NOT_YOURS = "not-yours"
    DECIDED = "decided"
    EMPTY = "empty"
    TOO_LONG = "too-long"


class ApplicationRepository(Protocol):
    async def get(self, application_id: int) -> Application | None: ...

    async def find(self, user_id: int, vacancy_id: int) -> Application | None: ...

    async def list_for_user(self, user_id: int, limit: int = 50) -> list[Application]: ...

    async def issue(
        self, user_id: int, vacancy_id: int, source: str, now: datetime, deadline: datetime
    ) -> tuple[Application, bool]: ...

    async def add_answer(
        self,
        application_id: int,
        *,
        kind: AnswerKind,
        text: str,
        file_ref: str,
        file_name: str,
        mime_type: str,
        size: int | None,
        late: bool,
        now: datetime,
    ) -> Application | None: ...

    async def mark_answer(
        self, answer_id: int, *, receipt: bool = False, hr: bool = False
    ) -> None: ...

    async def last_answer_id(self) -> int: ...

    async def owed_answers(self, after: int, up_to: int, limit: int = 100) -> list[OwedAnswer]: ...

    async def decide(
        self,
        application_id: int,
        reviewer_id: int,
        status: ApplicationStatus,
        comment: str,
        now: datetime,
    ) -> tuple[Application | None, bool]: ...

    async def set_extension(
        self, application_id: int, state: str, expect: tuple[str, ...], deadline: datetime | None
    ) -> Application | None: ...

    async def due_reminders(
        self, until: datetime, now: datetime, limit: int = 100
    ) -> list[Application]: ...

    async def mark_reminded(self, application_id: int) -> bool: ...

    async def consent(self, user_id: int, kind: str) -> tuple[str, datetime] | None: ...

    async def add_consent(
        self, user_id: int, kind: str, version: str, text_sha256: str, now: datetime
    ) -> None: ...

    async def touch(self, user_id: int, vacancy_id: int, source: str, now: datetime) -> str: ...

    async def count(self, vacancy_id: int, source: str, metric: str) -> None: ...


@dataclass(frozen=True, slots=True)
class AnswerInput:
    kind: AnswerKind
    text: str = ""
    file_ref: str = ""
    file_name: str = ""
    mime_type: str = ""
    size: int | None = None


def classify_text(text: str) -> AnswerKind:
    return AnswerKind.LINK if _LINK_RE.match(text.strip()) else AnswerKind.TEXT


def check_document(file_name: str, mime_type: str, size: int | None) -> FileProblem | None:
    """The allow-list for submitted files: office, PDF, images and archives up to 20 MB."""
    if size is not None and size > MAX_FILE_BYTES:
        return FileProblem.TOO_BIG
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in ALLOWED_EXTENSIONS:
        return FileProblem.BAD_TYPE
    if mime_type and mime_type.split("/")[0] in ("video", "audio"):
        return FileProblem.BAD_TYPE
    return None


def consent_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ApplicationService:
    def __init__(self, repo: ApplicationRepository, clock: Clock = utcnow) -> None:
        self._repo = repo
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    async def get(self, application_id: int) -> Application | None:
        return await self._repo.get(application_id)

    async def get_own(self, application_id: int, user_id: int) -> Application | None:
        """The application when it belongs to this user; None for anyone else's id."""
        application = await self._repo.get(application_id)
        return application if application is not None and application.user_id == user_id else None

    async def find(self, user_id: int, vacancy_id: int) -> Application | None:
        return await self._repo.find(user_id, vacancy_id)

    async def mine(self, user_id: int) -> list[Application]:
        return await self._repo.list_for_user(user_id)

    async def issue(self, user_id: int, vacancy: Vacancy) -> tuple[Application, bool]:
        """Send the task once: the clock starts at the first request and is never restarted."""
        now = self._clock()
        source = await self._repo.touch(user_id, vacancy.id, "direct", now)
        application, created = await self._repo.issue(
            user_id, vacancy.id, source, now, now + timedelta(days=vacancy.deadline_days)
        )
        if created:
            await self._repo.count(vacancy.id, application.source, "issued")
        return application, created

    async def has_consent(self, user_id: int) -> bool:
        return await self._repo.consent(user_id, CONSENT_KIND) is not None

    async def give_consent(
        self,
        user_id: int,
        shown_text: str,
        *,
        kind: str = CONSENT_KIND,
        version: str = CONSENT_VERSION,
    ) -> None:
        """Keep proof of consent: the time, the user and the exact version of the text shown."""
        await self._repo.add_consent(
            user_id, kind, version, consent_fingerprint(shown_text), self._clock()
        )

    async def submit(
        self, application_id: int, user_id: int, answer: AnswerInput
    ) -> Application | SubmitProblem:
        application = await self.get_own(application_id, user_id)
        if application is None:
            return SubmitProblem.NOT_YOURS
        if application.decided:
            return SubmitProblem.DECIDED
        if not answer.text.strip() and not answer.file_ref:
            return SubmitProblem.EMPTY
        if len(answer.text) > MAX_ANSWER_TEXT:
            return SubmitProblem.TOO_LONG
        now = self._clock()
        updated = await self._repo.add_answer(
            application_id,
            kind=answer.kind,
            text=answer.text.strip(),
            file_ref=answer.file_ref,
            file_name=answer.file_name[:200],
            mime_type=answer.mime_type[:100],
            size=answer.size,
            late=now > application.deadline_at,
            now=now,
        )
        if updated is None:
            return SubmitProblem.DECIDED
        if application.status is ApplicationStatus.ISSUED:
            await self._repo.count(application.vacancy_id, application.source, "submitted")
        return updated

    async def receipt_sent(self, answer_id: int) -> None:
        await self._repo.mark_answer(answer_id, receipt=True)

    async def hr_posted(self, answer_id: int) -> None:
        await self._repo.mark_answer(answer_id, hr=True)

    async def last_answer_id(self) -> int:
        return await self._repo.last_answer_id()

    async def owed(self, after: int, up_to: int) -> list[OwedAnswer]:
        """Answers after id `after` up to `up_to` (stored before this process started) whose
        receipt or post to HR was never sent: the process that stored them died first."""
        return await self._repo.owed_answers(after, up_to)

    async def decide(
        self, application_id: int, reviewer_id: int, accept: bool, comment: str
    ) -> tuple[Application | None, bool]:
        status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.REJECTED
        application, decided = await self._repo.decide(
            application_id, reviewer_id, status, comment.strip()[:1000], self._clock()
        )
        if decided and accept and application is not None:
            await self._repo.count(application.vacancy_id, application.source, "accepted")
        return application, decided

    async def request_extension(self, application_id: int, user_id: int) -> Application | None:
        application = await self.get_own(application_id, user_id)
        if application is None:
            return None
        return await self._repo.set_extension(application_id, "requested", ("",), None)

    async def answer_extension(self, application_id: int, grant: bool) -> Application | None:
        if not grant:
            return await self._repo.set_extension(application_id, "refused", ("requested",), None)
        application = await self._repo.get(application_id)
        if application is None:
            return None
        base = max(self._clock(), application.deadline_at)
        return await self._repo.set_extension(
            application_id, "granted", ("requested",), base + timedelta(days=EXTENSION_DAYS)
        )

    async def due_reminders(self) -> list[Application]:
        now = self._clock()
        return await self._repo.due_reminders(now + REMIND_BEFORE, now)

    async def claim_reminder(self, application_id: int) -> bool:
        return await self._repo.mark_reminded(application_id)
