"""Screening and interviews against the real services and SQLite: knock-outs and the retry
window, slot checks, atomic booking under a race, reminders with a movable clock and across a
restart, outcomes in the funnel, and the calendar file parsed back."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform, User
from bot.domain.interviews import (
    Outcome,
    ScreeningOption,
    ScreeningQuestion,
    SlotDraft,
    SlotFormat,
)
from bot.domain.vacancies import Application, Vacancy, VacancyDraft
from bot.services.interviews import (
    MOSCOW,
    BookProblem,
    SlotProblem,
    TimesProblem,
    calendar_file,
    level_metrics,
    parse_times,
)
from bot.services.screening import parse_options, question_problems, step
from bot.services.users import Profile
from tests.harness import MovableClock

QUESTIONS = (
    ScreeningQuestion(
        "Готовы работать по трудовому договору?",
        (
            ScreeningOption("Да"),
            ScreeningOption("Нет, только ИП", False, "Мы оформляем только по трудовому договору."),
        ),
    ),
    ScreeningQuestion(
        "Опыт в маркетинге?",
        (
            ScreeningOption("Меньше года", False, "Нужен опыт от трёх лет."),
            ScreeningOption("1-3 года", False, "Нужен опыт от трёх лет."),
            ScreeningOption("Больше трёх лет"),
        ),
    ),
)
DRAFT = VacancyDraft(
    slug="marketer",
    title="Маркетолог",
    project="coffee",
    city="Москва",
    employment="ТК",
    requirements="3 года",
    duties="Маркетинг",
    offer="100 000",
    contacts="hr@example.com",
    task_text="План продвижения",
    deadline_days=7,
    screening=QUESTIONS,
)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def world(settings: Settings, clock: MovableClock) -> AsyncIterator[tuple[App, Vacancy]]:
    async with open_app(settings, clock=clock) as app:
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        yield app, vacancy


async def candidate(app: App, number: int) -> User:
    user, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, number, f"К{number}"))
    return user


async def invited(app: App, vacancy: Vacancy, user: User) -> Application:
    application, _ = await app.services.applications.issue(user.id, vacancy)
    assert await app.services.interviews.invite(application, None)
    return application


def slot(clock: MovableClock, hours: float, who: str = "Ольга", minutes: int = 45) -> SlotDraft:
    return SlotDraft(
        vacancy_id=None,
        starts_at=clock.now + timedelta(hours=hours),
        duration=minutes,
        format=SlotFormat.OFFICE,
        place="Москва, ул. Покровка, 1",
        interviewer=who,
    )


# --- screening --------------------------------------------------------------------------------


def test_steps_follow_the_answers_and_refuse_forged_ones() -> None:
    assert step(QUESTIONS, ()) is not None and step(QUESTIONS, ()).next_question == 0  # type: ignore[union-attr]
    assert step(QUESTIONS, (0,)).next_question == 1  # type: ignore[union-attr]
    done = step(QUESTIONS, (0, 2))
    assert done is not None and done.next_question is None and done.knocked_out is None
    out = step(QUESTIONS, (1,))
    assert out is not None and out.knocked_out is not None
    assert out.knocked_out.reason.startswith("Мы оформляем")
    assert step(QUESTIONS, (1, 2)) is None  # nobody answers on after a knock-out
    assert step(QUESTIONS, (0, 7)) is None
    assert step(QUESTIONS, (0, 2, 0)) is None


def test_question_rules_and_typed_options() -> None:
    options = parse_options("Да\nНет | Мы берём только по трудовому договору\n")
    assert options == (
        ScreeningOption("Да"),
        ScreeningOption("Нет", False, "Мы берём только по трудовому договору"),
    )
    assert question_problems(ScreeningQuestion("Вопрос?", options)) == []
    assert question_problems(ScreeningQuestion("Вопрос?", options[:1]))
    no_reason = (ScreeningOption("Да"), ScreeningOption("Нет", False, ""))
    assert any("reason" in p for p in question_problems(ScreeningQuestion("В?", no_reason)))
    all_out = (ScreeningOption("А", False, "x"), ScreeningOption("Б", False, "y"))
    assert any("pass" in p for p in question_problems(ScreeningQuestion("В?", all_out)))


async def test_knock_out_is_stored_counted_and_blocks_a_retry_for_30_days(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    user = await candidate(app, 1)
    assert await app.services.screening.finish(user.id, vacancy, (0,)) is None  # not finished
    result = await app.services.screening.finish(user.id, vacancy, (0, 1))
    assert result is not None and not result.passed
    assert result.reason == "Нужен опыт от трёх лет."
    assert [a.answer for a in result.answers] == ["Да", "1-3 года"]
    until = await app.services.screening.retry_after(user.id, vacancy.id)
    assert until == clock.now + timedelta(days=30)
    clock.now += timedelta(days=29, hours=23)
    assert await app.services.screening.retry_after(user.id, vacancy.id) == until
    clock.now += timedelta(hours=2)
    assert await app.services.screening.retry_after(user.id, vacancy.id) is None
    passed = await app.services.screening.finish(user.id, vacancy, (0, 2))
    assert passed is not None and passed.passed
    assert await app.services.screening.passed(user.id, vacancy.id) == passed
    funnel = await app.services.vacancies.funnel(vacancy.id)
    assert funnel["direct"]["screened_out"] == 1 and funnel["direct"]["screened_in"] == 1


# --- slots ------------------------------------------------------------------------------------


def test_parse_times_reads_a_day_and_several_times_in_moscow_time() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    times = parse_times("03.12 10:00 11:30 15:00\n4.12 9.30", now)
    assert isinstance(times, list)
    assert times[0] == datetime(2026, 12, 3, 10, 0, tzinfo=MOSCOW)
    assert times[0].astimezone(UTC).hour == 7
    assert len(times) == 4 and times[-1] == datetime(2026, 12, 4, 9, 30, tzinfo=MOSCOW)
    assert parse_times("01.01 10:00", now) == [datetime(2027, 1, 1, 10, 0, tzinfo=MOSCOW)]
    assert parse_times("32.12 10:00", now) is TimesProblem.BAD_DATE
    assert parse_times("03.12 25:00", now) is TimesProblem.BAD_TIME
    assert parse_times("03.12", now) is TimesProblem.NO_TIMES
    assert parse_times("", now) is TimesProblem.EMPTY


async def test_past_and_overlapping_slots_are_refused_with_the_reason(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, _ = world
    interviews = app.services.interviews
    assert len(await interviews.publish([slot(clock, 24)], None)) == 1
    checked = await interviews.check_slots(
        [
            slot(clock, -1),  # in the past
            slot(clock, 24.5),  # overlaps the published 24:00-24:45 of Ольга
            slot(clock, 24.5, who="Игорь"),  # another interviewer: fine
            slot(clock, 48),
            slot(clock, 48.25),  # overlaps the one above in the same list
            slot(clock, 48.75),  # starts when it ends: fine
        ]
    )
    assert [c.problem for c in checked] == [
        SlotProblem.PAST,
        SlotProblem.OVERLAP,
        None,
        None,
        SlotProblem.OVERLAP_HERE,
        None,
    ]
    assert checked[1].clash is not None and checked[1].clash.interviewer == "Ольга"


# --- booking ----------------------------------------------------------------------------------


async def test_many_candidates_racing_for_the_last_place_exactly_one_wins(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    (slot_id,) = await app.services.interviews.publish([slot(clock, 30)], None)
    applications = [await invited(app, vacancy, await candidate(app, n)) for n in range(20)]
    results = await asyncio.gather(
        *(app.services.interviews.book(a, slot_id) for a in applications)
    )
    won = [r for r in results if not isinstance(r, BookProblem)]
    assert len(won) == 1
    assert results.count(BookProblem.TAKEN) == 19
    assert (await app.services.interviews.slot(slot_id)).free == 0  # type: ignore[union-attr]
    free, total = await app.services.interviews.free_slots(vacancy.id, 0, 5)
    assert (free, total) == ([], 0)
    funnel = await app.services.vacancies.funnel(vacancy.id)
    assert funnel["direct"]["booked"] == 1


async def test_booking_needs_an_invitation_and_moves_on_reschedule(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    first, second = await app.services.interviews.publish([slot(clock, 30), slot(clock, 50)], None)
    user = await candidate(app, 1)
    application, _ = await app.services.applications.issue(user.id, vacancy)
    assert await app.services.interviews.book(application, first) is BookProblem.NOT_INVITED
    await app.services.interviews.invite(application, None)
    booked = await app.services.interviews.book(application, first)
    assert not isinstance(booked, BookProblem)
    assert await app.services.interviews.book(application, second) is BookProblem.ALREADY
    moved = await app.services.interviews.book(application, second, replace=booked)
    assert not isinstance(moved, BookProblem) and moved.slot.id == second
    assert (await app.services.interviews.slot(first)).free == 1  # type: ignore[union-attr]
    # cancelling is allowed until 2 hours before
    clock.now = moved.slot.starts_at - timedelta(hours=1)
    assert await app.services.interviews.cancel(moved) is BookProblem.TOO_LATE
    clock.now = moved.slot.starts_at - timedelta(hours=3)
    assert await app.services.interviews.cancel(moved) is None
    assert await app.services.interviews.active(application.id) is None


async def test_reminders_go_24_and_2_hours_before_once_each_also_across_a_restart(
    settings: Settings, clock: MovableClock
) -> None:
    async with open_app(settings, clock=clock) as app:
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        (slot_id,) = await app.services.interviews.publish([slot(clock, 72)], None)
        application = await invited(app, vacancy, await candidate(app, 1))
        booked = await app.services.interviews.book(application, slot_id)
        assert not isinstance(booked, BookProblem)
        starts = booked.slot.starts_at
        assert await app.services.interviews.due_reminders() == []
        clock.now = starts - timedelta(hours=24, minutes=1)
        assert await app.services.interviews.due_reminders() == []
        clock.now = starts - timedelta(hours=23, minutes=59)
        due = await app.services.interviews.due_reminders()
        assert [(kind, i.id) for kind, i in due] == [("24", booked.id)]
        assert await app.services.interviews.claim_reminder(booked.id, "24")
        assert not await app.services.interviews.claim_reminder(booked.id, "24")
    async with open_app(settings, clock=clock) as app:  # a restart
        assert await app.services.interviews.due_reminders() == []
        clock.now = starts - timedelta(hours=2, minutes=1)
        assert await app.services.interviews.due_reminders() == []
        clock.now = starts - timedelta(hours=1, minutes=59)
        due = await app.services.interviews.due_reminders()
        assert [(kind, i.id) for kind, i in due] == [("2", booked.id)]
        assert await app.services.interviews.claim_reminder(booked.id, "2")
    async with open_app(settings, clock=clock) as app:
        assert await app.services.interviews.due_reminders() == []


async def test_a_booking_made_the_day_before_gets_only_the_2_hour_reminder(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    (slot_id,) = await app.services.interviews.publish([slot(clock, 10)], None)
    application = await invited(app, vacancy, await candidate(app, 1))
    booked = await app.services.interviews.book(application, slot_id)
    assert not isinstance(booked, BookProblem)
    clock.now += timedelta(hours=8, minutes=30)
    assert [kind for kind, _ in await app.services.interviews.due_reminders()] == ["2"]


async def test_outcomes_move_the_funnel_once_and_a_no_show_may_rebook_once(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    interviews = app.services.interviews
    slots = await interviews.publish([slot(clock, 30), slot(clock, 60), slot(clock, 90)], None)
    application = await invited(app, vacancy, await candidate(app, 1))
    booked = await interviews.book(application, slots[0])
    assert not isinstance(booked, BookProblem)
    assert await interviews.set_outcome(booked, Outcome.CAME, "", "direct") is None  # too early
    clock.now += timedelta(hours=31)
    no_show = await interviews.set_outcome(booked, Outcome.NO_SHOW, "", "direct")
    assert no_show is not None
    again = await interviews.book(application, slots[1])
    assert not isinstance(again, BookProblem)
    clock.now += timedelta(hours=30)
    came = await interviews.set_outcome(again, Outcome.CAME, "", "direct")
    assert came is not None
    await interviews.set_outcome(came, Outcome.OFFER, "", "direct")
    await interviews.set_outcome(came, Outcome.HIRED, "Выходит 1-го", "direct")
    funnel = (await app.services.vacancies.funnel(vacancy.id))["direct"]
    assert (funnel["booked"], funnel["attended"], funnel["offer"], funnel["hired"]) == (1, 1, 1, 1)
    assert await interviews.book(application, slots[2]) is BookProblem.CLOSED
    assert level_metrics("", "hired") == ["attended", "offer", "hired"]
    assert level_metrics("offer", "rejected") == []


async def test_the_calendar_file_parses_back_with_icalendar(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    draft = replace(slot(clock, 30), format=SlotFormat.VIDEO, place="https://meet.example/abc")
    (slot_id,) = await app.services.interviews.publish([draft], None)
    application = await invited(app, vacancy, await candidate(app, 1))
    booked = await app.services.interviews.book(application, slot_id)
    assert not isinstance(booked, BookProblem)
    data = calendar_file(
        booked, "Собеседование: Маркетолог", "Ведёт Ольга", "https://meet.example/abc", "hr-bot"
    )
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Собеседование: Маркетолог"
    assert event.decoded("DTSTART") == booked.slot.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert str(event["URL"]) == "https://meet.example/abc"
    assert str(event["UID"]).startswith(f"interview-{booked.id}-")
    assert data.count(b"\r\n") > 5  # CRLF line endings, as RFC 5545 asks


# --- the applications export ------------------------------------------------------------------


async def test_applications_csv_has_the_screening_outcome_and_the_interview_stages(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    app, vacancy = world
    interviews = app.services.interviews
    slots = await interviews.publish([slot(clock, 30), slot(clock, 60), slot(clock, 90)], None)
    hired, no_show, waiting = [await candidate(app, n) for n in (1, 2, 3)]
    for user in (hired, no_show):
        assert await app.services.screening.finish(user.id, vacancy, (0, 2)) is not None
    # the third answered before the questions existed: no screening, a booking, no outcome yet
    applications = [await invited(app, vacancy, user) for user in (hired, no_show, waiting)]
    booked = [await interviews.book(a, s) for a, s in zip(applications, slots, strict=True)]
    assert not any(isinstance(b, BookProblem) for b in booked)
    clock.now += timedelta(hours=100)
    first, second, _ = booked
    assert not isinstance(first, BookProblem) and not isinstance(second, BookProblem)
    offered = await interviews.set_outcome(first, Outcome.OFFER, "", "direct")
    assert offered is not None
    assert await interviews.set_outcome(offered, Outcome.HIRED, "", "direct") is not None
    assert await interviews.set_outcome(second, Outcome.NO_SHOW, "", "direct") is not None

    header = [
        *app.translator("en", "csv-applications-header").split(","),
        *app.translator("en", "csv-applications-header-interviews").split(","),
    ]
    data = await app.services.insights.applications_csv({}, header)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == header and len(header) == 15
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    stages = ["Screening", "Interview at (UTC)", "Interview outcome", "Attended", "Offer", "Hired"]

    def columns(application: Application) -> list[str]:
        return [by_id[str(application.id)][name] for name in stages]

    starts = [(await interviews.slot(s)) for s in slots]
    times = [s.starts_at.isoformat() if s else "" for s in starts]
    assert columns(applications[0]) == ["passed", times[0], "hired", "yes", "yes", "yes"]
    assert columns(applications[1]) == ["passed", times[1], "no_show", "no", "", ""]
    assert columns(applications[2]) == ["", times[2], "", "", "", ""]
    # a later knock-out of the same candidate for the same vacancy: the latest run counts
    assert await app.services.screening.finish(waiting.id, vacancy, (1,)) is not None
    data = await app.services.insights.applications_csv({}, header)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[3][9] == "knocked out"


async def test_times_typed_in_moscow_time_compare_right_against_the_utc_clock(
    world: tuple[App, Vacancy], clock: MovableClock
) -> None:
    """The chat's slots come in Moscow time (+03:00) while the clock runs in UTC; stored as
    they came, text comparisons were three hours off (the 2-hour reminder an hour after the
    start, the outcome buttons three hours late)."""
    app, vacancy = world
    interviews = app.services.interviews
    moment = (clock.now + timedelta(days=1)).astimezone(MOSCOW)  # 24.11 12:00 MSK
    (slot_id,) = await interviews.publish([replace(slot(clock, 0), starts_at=moment)], None)
    application = await invited(app, vacancy, await candidate(app, 1))
    booked = await interviews.book(application, slot_id)
    assert not isinstance(booked, BookProblem)
    clock.now = moment.astimezone(UTC) - timedelta(hours=2, minutes=-1)
    assert [kind for kind, _ in await interviews.due_reminders()] == ["2"]
    clock.now = moment.astimezone(UTC) - timedelta(minutes=1)
    assert await interviews.awaiting_outcome() == []
    assert [i.id for i in await interviews.upcoming()] == [booked.id]
    clock.now = moment.astimezone(UTC) + timedelta(minutes=1)
    assert [i.id for i in await interviews.awaiting_outcome()] == [booked.id]
    assert await interviews.upcoming() == []
