"""Screening questions before the test task: their rules (shared by the import file and the
chat editor), a candidate's run through them, knock-outs and the 30-day retry window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.interviews import Screening, ScreeningAnswer, ScreeningOption, ScreeningQuestion
from bot.domain.vacancies import Vacancy
from bot.services.clock import Clock, utcnow

MAX_QUESTIONS = 5
MIN_OPTIONS = 2
MAX_OPTIONS = 6
MAX_QUESTION = 300
MAX_LABEL = 40  # VK cuts button labels at 40 characters
MAX_REASON = 500
RETRY_DAYS = 30


class ScreeningRepository(Protocol):
    async def add(
        self,
        user_id: int,
        vacancy_id: int,
        passed: bool,
        answers: tuple[ScreeningAnswer, ...],
        reason: str,
        now: datetime,
    ) -> Screening: ...

    async def latest(self, user_id: int, vacancy_id: int) -> Screening | None: ...

    async def latest_passed(self, user_id: int, vacancy_id: int) -> Screening | None: ...

    async def purge(self, before: datetime) -> int: ...


class FunnelCounter(Protocol):
    async def touch(self, user_id: int, vacancy_id: int, source: str, now: datetime) -> str: ...

    async def count(self, vacancy_id: int, source: str, metric: str) -> None: ...


# what each issue code says in the import file's report (the chat has locale strings for them)
_ENGLISH = {
    "empty-text": "the question text is empty",
    "long-text": "the question is longer than {max} characters",
    "options-count": "needs {min} to {max} answers (it has {count})",
    "same-labels": "two answers have the same text",
    "empty-label": "an answer has no text",
    "long-label": "answer {label!r}… is longer than {max} characters",
    "reason-needed": "answer {label!r} knocks out and needs a reason",
    "long-reason": "the reason of {label!r} is longer than {max}",
    "none-passes": "at least one answer must pass",
}


def question_issues(question: ScreeningQuestion) -> list[tuple[str, dict[str, str | int]]]:
    """What is wrong with one question, as (code, arguments) pairs (empty when it is fine):
    the one set of rules for the import file and the chat editor."""
    issues: list[tuple[str, dict[str, str | int]]] = []
    if not question.text.strip():
        issues.append(("empty-text", {}))
    elif len(question.text) > MAX_QUESTION:
        issues.append(("long-text", {"max": MAX_QUESTION}))
    count = len(question.options)
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        issues.append(("options-count", {"min": MIN_OPTIONS, "max": MAX_OPTIONS, "count": count}))
    labels = [option.label.strip().lower() for option in question.options]
    if len(set(labels)) != len(labels):
        issues.append(("same-labels", {}))
    for option in question.options:
        if not option.label.strip():
            issues.append(("empty-label", {}))
        elif len(option.label) > MAX_LABEL:
            issues.append(("long-label", {"label": option.label[:20], "max": MAX_LABEL}))
        if not option.passes and not option.reason.strip():
            issues.append(("reason-needed", {"label": option.label}))
        if len(option.reason) > MAX_REASON:
            issues.append(("long-reason", {"label": option.label, "max": MAX_REASON}))
    if question.options and not any(option.passes for option in question.options):
        issues.append(("none-passes", {}))
    return issues


def question_problems(question: ScreeningQuestion) -> list[str]:
    """What is wrong with one question, as short English phrases (empty when it is fine)."""
    return [_ENGLISH[code].format(**args) for code, args in question_issues(question)]


def parse_options(text: str) -> tuple[ScreeningOption, ...]:
    """Answers typed in the chat, one a line: `Yes` passes, `No | reason` knocks out with
    the reason."""
    options: list[ScreeningOption] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•").strip()
        if not line:
            continue
        label, sep, reason = line.partition("|")
        options.append(ScreeningOption(" ".join(label.split()), not sep, reason.strip()))
    return tuple(options)


@dataclass(frozen=True, slots=True)
class Step:
    """Where a candidate is: the next question to ask (None when all passed), or the option
    that knocked them out."""

    next_question: int | None
    knocked_out: ScreeningOption | None = None


def step(questions: tuple[ScreeningQuestion, ...], answers: tuple[int, ...]) -> Step | None:
    """Check answers given so far (option indexes); None when they do not fit the questions
    (a forged or out-of-date button)."""
    if len(answers) > len(questions):
        return None
    for index, chosen in enumerate(answers):
        options = questions[index].options
        if not 0 <= chosen < len(options):
            return None
        if not options[chosen].passes:
            if index != len(answers) - 1:
                return None  # nobody answers on after a knock-out
            return Step(None, options[chosen])
    return Step(len(answers) if len(answers) < len(questions) else None)


class ScreeningService:
    def __init__(
        self, repo: ScreeningRepository, funnel: FunnelCounter, clock: Clock = utcnow
    ) -> None:
        self._repo = repo
        self._funnel = funnel
        self._clock = clock

    async def retry_after(self, user_id: int, vacancy_id: int) -> datetime | None:
        """When the candidate may try the vacancy again after a knock-out; None when now."""
        last = await self._repo.latest(user_id, vacancy_id)
        if last is None or last.passed:
            return None
        until = last.created_at + timedelta(days=RETRY_DAYS)
        return until if until > self._clock() else None

    async def passed(self, user_id: int, vacancy_id: int) -> Screening | None:
        return await self._repo.latest_passed(user_id, vacancy_id)

    async def finish(
        self, user_id: int, vacancy: Vacancy, answers: tuple[int, ...]
    ) -> Screening | None:
        """Store a finished run (all passed, or knocked out at the last answer) and count it
        in the funnel; None when the answers do not fit or the run is not finished."""
        questions = vacancy.screening or ()
        where = step(questions, answers)
        if where is None or where.next_question is not None:
            return None
        shown = tuple(
            ScreeningAnswer(
                questions[i].text, questions[i].options[c].label, questions[i].options[c].passes
            )
            for i, c in enumerate(answers)
        )
        passed = where.knocked_out is None
        reason = where.knocked_out.reason if where.knocked_out else ""
        now = self._clock()
        screening = await self._repo.add(user_id, vacancy.id, passed, shown, reason, now)
        source = await self._funnel.touch(user_id, vacancy.id, "direct", now)
        await self._funnel.count(vacancy.id, source, "screened_in" if passed else "screened_out")
        return screening

    async def purge(self, retention_days: int) -> int:
        days = max(retention_days, RETRY_DAYS)
        return await self._repo.purge(self._clock() - timedelta(days=days))
