"""Screening and the interview on the web chat over its real transport: a web candidate answers
the screening questions, gets the task, answers, is invited when HR (the web admin) accepts,
books a time with a tap and downloads interview.ics, which parses back with icalendar."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from bot.app import App, open_app
from bot.domain import Platform, Role
from bot.domain.interviews import ScreeningOption, ScreeningQuestion, SlotDraft, SlotFormat
from bot.domain.vacancies import ApplicationStatus
from bot.services.interviews import MOSCOW
from tests.web.client import Visitor, web_running
from tests.web.test_runtime import ADMIN_TOKEN, DRAFT, web_settings

SCREENED = replace(
    DRAFT,
    slug="dental-admin-screened",
    screening=(
        ScreeningQuestion(
            "Готовы работать по трудовому договору?",
            (ScreeningOption("Да"), ScreeningOption("Нет", False, "мы оформляем только по ТК.")),
        ),
        ScreeningQuestion(
            "Опыт работы с пациентами?",
            (
                ScreeningOption("Больше года"),
                ScreeningOption("Меньше года"),
                ScreeningOption("Нет опыта", False, "нужен опыт от года."),
            ),
        ),
    ),
)


@pytest.fixture
async def web_app(tmp_path: Path) -> AsyncIterator[App]:
    async with open_app(web_settings(tmp_path)) as app:
        yield app


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return str(app.translator(locale, key, **args))


async def web_candidate(app: App) -> int:
    rows = app.db.query(
        "SELECT id FROM users WHERE platform = ? AND role != ? ORDER BY id",
        (Platform.WEB.value, Role.ADMIN.value),
    )
    assert rows, "no web candidate"
    return int(rows[-1][0])


async def test_a_web_candidate_is_screened_invited_books_and_downloads_the_calendar(
    web_app: App,
) -> None:
    app = web_app
    vacancy, _ = await app.services.vacancies.save(SCREENED)
    day = (datetime.now(MOSCOW) + timedelta(days=3)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    await app.services.interviews.publish(
        [
            SlotDraft(
                vacancy_id=vacancy.id,
                starts_at=(day + timedelta(hours=h)).astimezone(UTC),
                duration=40,
                format=SlotFormat.OFFICE,
                place="Москва, Тверская 7 <офис>",
                interviewer="Анна",
            )
            for h in (0, 2)
        ],
        None,
    )
    async with web_running(app) as web:
        base = web.settings.web_url
        async with Visitor(base) as candidate, Visitor(base) as admin:
            await candidate.open(f"?start=v{vacancy.id}-site")
            assert SCREENED.title in candidate.last["html"]

            # the screening: one message edited in place, a question at a time
            await candidate.press(t(app, "vacancy-btn-task"))
            question = candidate.last
            assert "Готовы работать по трудовому договору?" in question["html"]
            count = len(candidate.messages)
            await candidate.press("Да", question["id"])
            assert len(candidate.messages) == count
            assert "Опыт работы с пациентами?" in candidate.messages[question["id"]]["html"]
            await candidate.press("Больше года", question["id"])
            assert any(toast["text"] == t(app, "screening-passed") for toast in candidate.toasts), (
                candidate.toasts
            )
            assert any(t(app, "task-btn-submit") in candidate.labels(m) for m in _all(candidate))
            user_id = await web_candidate(app)
            screening = await app.services.screening.passed(user_id, vacancy.id)
            assert screening is not None and [a.answer for a in screening.answers] == [
                "Да",
                "Больше года",
            ]

            # the answer as text; HR (the web admin) sees it with the screening answers
            await candidate.press(t(app, "task-btn-submit"))
            await candidate.press(t(app, "consent-yes"))
            page = await admin.get(f"/?admin={ADMIN_TOKEN}", allow_redirects=False)
            assert page.status == 303
            await admin.open()
            await candidate.say("Позвоню пациенту и извинюсь")
            # (the post to HR goes out in the background: the admin's open page gets it)
            post = await admin.wait_for(lambda m: "Позвоню пациенту" in (m["html"] or ""))
            assert "Готовы работать по трудовому договору? — Да" in post["html"]
            await admin.press(t(app, "hr-btn-accept"), post["id"])
            await admin.press(t(app, "hr-btn-no-comment"))
            (application,) = await app.services.applications.mine(user_id)
            assert application.status is ApplicationStatus.ACCEPTED

            # the invitation reaches the open page with the free times as buttons
            await candidate.connect()
            invitation = next(
                m
                for m in sorted(candidate.messages.values(), key=lambda m: -m["id"])
                if m["html"].startswith("🤝")
            )
            labels = candidate.labels(invitation)
            first = f"{_weekday(app, day)} {day:%d.%m} 11:00 · офис"
            assert labels[0] == first, labels
            assert labels[-1] == t(app, "iv-btn-other-time")

            # a tap books it: the confirmation in place, then the calendar file
            frames = await candidate.press(first, invitation["id"])
            booked = candidate.messages[invitation["id"]]
            assert booked["html"].startswith(t(app, "iv-booked-title"))
            assert "Москва, Тверская 7 &lt;офис&gt;" in booked["html"]
            assert "Анна" in booked["html"] and "МСК" in booked["html"]
            files = [
                f["message"]
                for f in frames
                if f["t"] == "message" and f["message"]["file"] is not None
            ]
            assert [f["file"]["name"] for f in files] == ["interview.ics"], frames
            assert files[0]["html"] == t(app, "iv-ics-caption")
            url = files[0]["file"]["url"]
            async with candidate.session.get(base + url) as response:
                assert response.status == 200
                assert response.headers["Content-Type"].startswith("text/calendar")
                assert "attachment" in response.headers["Content-Disposition"]
                assert "interview.ics" in response.headers["Content-Disposition"]
                body = await response.read()
            (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
            start = event.decoded("DTSTART")
            assert start.astimezone(MOSCOW) == day
            assert event.decoded("DTEND") - start == timedelta(minutes=40)
            assert str(event["LOCATION"]) == "Москва, Тверская 7 <офис>"
            assert SCREENED.title in str(event["SUMMARY"])
            # the file is the candidate's: the admin's browser cannot fetch it
            assert (await admin.get(url)).status == 404

            # HR is told of the booking; the booking is stored
            await admin.wait_for(lambda m: m["html"].startswith("🗓"))
            interview = await app.services.interviews.active(application.id)
            assert interview is not None and interview.slot.starts_at.astimezone(MOSCOW) == day
            funnel = (await app.services.vacancies.funnel(vacancy.id))["site"]
            assert funnel["screened_in"] == 1 and funnel["booked"] == 1


def _all(visitor: Visitor) -> list[dict[str, Any]]:
    return sorted(visitor.messages.values(), key=lambda m: m["id"])


def _weekday(app: App, day: datetime) -> str:
    return t(app, f"iv-weekday-{day.weekday()}")


async def test_an_answer_button_drawn_before_the_questions_changed_starts_them_again(
    web_app: App,
) -> None:
    app = web_app
    vacancy, _ = await app.services.vacancies.save(SCREENED)
    async with web_running(app) as web, Visitor(web.settings.web_url) as candidate:
        await candidate.open(f"?start=v{vacancy.id}")
        await candidate.press(t(app, "vacancy-btn-task"))
        await candidate.press("Да")  # question 1 of 2
        second = candidate.last
        assert "Опыт работы с пациентами?" in second["html"]

        # HR swaps the second question's answers: "Меньше года" now knocks out
        changed = replace(
            SCREENED,
            screening=(
                SCREENED.screening[0],
                ScreeningQuestion(
                    "Опыт работы с пациентами?",
                    (
                        ScreeningOption("Больше года"),
                        ScreeningOption("Меньше года", False, "нужен опыт от года."),
                    ),
                ),
            ),
        )
        await app.services.vacancies.save(changed)
        await candidate.press("Меньше года", second["id"])  # drawn for the old questions
        assert any(
            toast["alert"] and toast["text"] == t(app, "screening-changed")
            for toast in candidate.toasts
        )
        assert t(app, "screening-progress", number=1, total=2) in candidate.last["html"]
        rows = app.db.query("SELECT COUNT(*) FROM screenings")
        assert rows[0][0] == 0  # nothing was decided on the old buttons


async def test_a_forged_answer_button_for_a_vacancy_without_questions_is_out_of_date(
    web_app: App,
) -> None:
    """Found by the long property run: `scr:<vacancy>:0:<anything>` for a vacancy that asks no
    questions crashed the handler (the generic apology) instead of saying the button is old."""
    app = web_app
    vacancy, _ = await app.services.vacancies.save(DRAFT)  # no screening questions
    async with web_running(app) as web, Visitor(web.settings.web_url) as candidate:
        await candidate.open()
        for data in (f"scr:{vacancy.id}:0:1", f"scr:{vacancy.id}:0"):
            await candidate.send({"t": "button", "data": data, "message_id": candidate.last["id"]})
        texts = [toast["text"] for toast in candidate.toasts]
        assert texts and all(text == t(app, "stale-button") for text in texts), texts
        assert t(app, "error-generic") not in " ".join(candidate.texts())
