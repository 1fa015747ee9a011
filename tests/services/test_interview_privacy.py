"""Screening answers and interviews under the privacy rules, against the real services and
SQLite (and /deletedata through the real Telegram dispatcher): erasure takes them all, the
retention purge takes them with the application, waits while an interview is pending or its
outcome is recent, and never shortens the 30-day retry window of a knock-out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform, User
from bot.domain.interviews import (
    Interview,
    Outcome,
    ScreeningOption,
    ScreeningQuestion,
    SlotDraft,
    SlotFormat,
)
from bot.domain.vacancies import Vacancy, VacancyDraft
from bot.services.applications import AnswerInput, classify_text
from bot.services.interviews import BookProblem
from bot.services.users import Profile
from tests.harness import MovableClock, telegram_running, tg_press

DRAFT = VacancyDraft(
    slug="pastry",
    title="Кондитер",
    project="pastry",
    city="Казань",
    deadline_days=5,
    task_text="Рецепт",
    requirements="-",
    duties="-",
    offer="-",
    contacts="-",
    screening=(
        ScreeningQuestion(
            "Есть медкнижка?",
            (ScreeningOption("Да"), ScreeningOption("Нет", False, "без неё нельзя")),
        ),
    ),
)
COMMENT = "Секретный комментарий о кандидате"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def world(settings: Settings, clock: MovableClock) -> AsyncIterator[tuple[App, Vacancy]]:
    async with open_app(settings, clock=clock) as app:
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        yield app, vacancy


async def person(app: App, number: int, platform: Platform = Platform.VK) -> User:
    user, _ = await app.services.users.touch(Profile(platform, number, f"К{number}"))
    return user


async def through_interview(
    app: App, clock: MovableClock, vacancy: Vacancy, user: User, hours: float, admin: User
) -> tuple[int, Interview]:
    """Screened in, answered, accepted, invited and booked `hours` ahead."""
    assert await app.services.screening.finish(user.id, vacancy, (0,)) is not None
    application, _ = await app.services.applications.issue(user.id, vacancy)
    await app.services.applications.give_consent(user.id, "согласие")
    await app.services.applications.submit(
        application.id, user.id, AnswerInput(classify_text("ответ"), text="ответ")
    )
    await app.services.applications.decide(application.id, admin.id, True, "")
    (slot_id,) = await app.services.interviews.publish(
        [
            SlotDraft(
                None, clock.now + timedelta(hours=hours), 30, SlotFormat.PHONE, "", f"И{user.id}"
            )
        ],
        None,
    )
    assert await app.services.interviews.invite(application, admin.id)
    interview = await app.services.interviews.book(application, slot_id)
    assert not isinstance(interview, BookProblem)
    return application.id, interview


def count(app: App, table: str, column: str, value: int) -> int:
    rows = app.db.query(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (value,))
    return int(rows[0][0])


async def test_deletedata_erases_screening_answers_and_interviews(
    world: tuple[App, Vacancy], clock: MovableClock, tg: Any
) -> None:
    app, vacancy = world
    admin = await person(app, 900)
    async with telegram_running(app, tg):
        candidate = tg.user(771, "Лена")
        mark = tg.mark()
        tg.send_text(candidate, "/start")
        await tg.wait_message(candidate.id, since=mark)
        user = await app.services.users.find(Platform.TELEGRAM, candidate.id)
        assert user is not None
        application_id, interview = await through_interview(app, clock, vacancy, user, 48, admin)
        clock.now += timedelta(hours=49)
        await app.services.interviews.set_outcome(interview, Outcome.CAME, COMMENT, "direct")
        # a later knock-out for another vacancy is kept too, until the erasure
        other, _ = await app.services.vacancies.save(
            VacancyDraft(**{**_fields(DRAFT), "slug": "other"})
        )
        assert await app.services.screening.finish(user.id, other, (1,)) is not None

        mark = tg.mark()
        tg.send_text(candidate, "/mydata")
        export = await tg.wait_message(candidate.id, lambda m: m.kind == "document", since=mark)
        data = json.loads(export.upload.content)
        assert len(data["screening_answers"]) == 2 and len(data["interviews"]) == 1
        assert data["interviews"][0]["comment"] == COMMENT

        assert count(app, "screenings", "user_id", user.id) == 2
        assert count(app, "interviews", "user_id", user.id) == 1
        assert count(app, "interview_invites", "application_id", application_id) == 1
        mark = tg.mark()
        tg.send_text(candidate, "/deletedata")
        confirm = await tg.wait_message(candidate.id, since=mark)
        done = await tg_press(tg, candidate, confirm, str(app.translator("ru", "deletedata-yes")))
        assert done.text == str(app.translator("ru", "deletedata-done"))
        await app.core.drain(5)
    assert await app.services.users.find(Platform.TELEGRAM, candidate.id) is None
    assert count(app, "screenings", "user_id", user.id) == 0
    assert count(app, "interviews", "user_id", user.id) == 0
    assert count(app, "interview_invites", "application_id", application_id) == 0
    rows = app.db.query("SELECT COUNT(*) FROM interviews WHERE comment = ?", (COMMENT,))
    assert rows[0][0] == 0
    # the slot (HR's, no personal data) stays, free again; the funnel's counters stay
    assert count(app, "interview_slots", "id", interview.slot.id) == 1
    funnel = (await app.services.vacancies.funnel(vacancy.id))["direct"]
    assert funnel["booked"] == 1 and funnel["attended"] == 1


def _fields(draft: VacancyDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in draft.__dataclass_fields__}


async def test_retention_purge_takes_them_and_waits_for_a_pending_interview(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    admin = await person(app, 900)
    pending_user, done_user = await person(app, 1), await person(app, 2)
    # both accepted today; one interview in 40 days (still pending when the term is over),
    # one tomorrow (its outcome recorded the day after)
    pending_app, pending = await through_interview(app, clock, vacancy, pending_user, 960, admin)
    done_app, done = await through_interview(app, clock, vacancy, done_user, 24, admin)
    clock.now += timedelta(days=2)
    assert await app.services.interviews.set_outcome(done, Outcome.REJECTED, COMMENT, "direct")

    # 31 days on: the accepted applications are past the 30-day term, but the outcome is
    # only 29 days old and the other interview is still ahead: both wait
    clock.now += timedelta(days=29)
    assert await app.services.privacy.purge_expired() == 0
    assert count(app, "interviews", "user_id", done_user.id) == 1
    assert count(app, "screenings", "user_id", pending_user.id) == 1

    # once the outcome is older than the term, it goes with its screening and interview
    clock.now += timedelta(days=2)
    assert await app.services.privacy.purge_expired() == 1
    assert await app.services.applications.get(done_app) is None
    assert count(app, "interviews", "user_id", done_user.id) == 0
    assert count(app, "interview_invites", "application_id", done_app) == 0
    assert count(app, "screenings", "user_id", done_user.id) == 0
    # the pending interview keeps everything until its own outcome is old enough
    assert await app.services.applications.get(pending_app) is not None
    assert count(app, "interviews", "user_id", pending_user.id) == 1
    assert count(app, "screenings", "user_id", pending_user.id) == 1
    clock.now = pending.slot.starts_at + timedelta(hours=1)
    assert await app.services.interviews.set_outcome(pending, Outcome.NO_SHOW, "", "direct")
    clock.now += timedelta(days=31)
    assert await app.services.privacy.purge_expired() == 1
    assert count(app, "interviews", "user_id", pending_user.id) == 0
    assert count(app, "screenings", "user_id", pending_user.id) == 0
    entries = await app.services.privacy.audit_entries()
    assert entries[0]["action"] == "retention purge"


async def test_a_short_retention_term_keeps_a_knock_out_for_its_30_day_window(
    settings: Settings, clock: MovableClock
) -> None:
    async with open_app(settings.model_copy(update={"retention_days": 7}), clock=clock) as app:
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        user = await person(app, 3)
        assert await app.services.screening.finish(user.id, vacancy, (1,)) is not None
        clock.now += timedelta(days=8)
        await app.services.privacy.purge_expired()
        # purged after 7 days, the knock-out would let the candidate retry at once
        assert count(app, "screenings", "user_id", user.id) == 1
        assert await app.services.screening.retry_after(user.id, vacancy.id) is not None
        clock.now += timedelta(days=23)
        await app.services.privacy.purge_expired()
        assert count(app, "screenings", "user_id", user.id) == 0
        assert await app.services.screening.retry_after(user.id, vacancy.id) is None
