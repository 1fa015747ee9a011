"""From the vacancy card to "hired", through the real Telegram dispatcher and VK runtime
against the stand-in servers and a real database: screening questions (passed and knocked
out), the admin's slot dialog with its refusals, HR's acceptance and the invitation, booking,
the calendar file, the reminder, the outcome; on VK the invitation and booking within VK's
keyboard limits, a place taken by someone else, reschedule and cancel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar

from bot.app import open_app
from bot.config import Settings
from bot.domain import Platform
from bot.domain.interviews import ScreeningOption, ScreeningQuestion, SlotDraft, SlotFormat
from bot.domain.vacancies import VacancyDraft
from bot.jobs import Jobs
from bot.services.interviews import MOSCOW
from bot.vk.render import to_plain
from tests.conftest import ADMIN_TG, ADMIN_VK
from tests.harness import MovableClock, telegram_running, tg_press, vk_press, vk_running

DRAFT = VacancyDraft(
    slug="marketer-test",
    title="Маркетолог <онлайн>",
    project="coffee",
    city="Москва",
    employment="ТК",
    requirements="3 года",
    duties="Маркетинг",
    offer="100 000",
    contacts="hr@example.com",
    task_text="План продвижения",
    deadline_days=7,
    screening=(
        ScreeningQuestion(
            "Готовы работать по трудовому договору?",
            (
                ScreeningOption("Да"),
                ScreeningOption("Нет, только ИП", False, "мы оформляем только по ТК & <честно>."),
            ),
        ),
    ),
)


def t(app: Any, key: str, locale: str = "ru", **args: Any) -> str:
    return str(app.translator(locale, key, **args))


async def say(tg: Any, user: Any, text: str) -> Any:
    mark = tg.mark()
    tg.send_text(user, text)
    return await tg.wait_message(user.id, since=mark)


async def test_telegram_from_the_card_to_hired(settings: Settings, tg: Any) -> None:
    clock = MovableClock()  # 23.11.2026 12:00 MSK
    async with open_app(settings, clock=clock) as app, telegram_running(app, tg):
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        admin = tg.user(ADMIN_TG, "Ольга")
        candidate = tg.user(731, "Саша")

        # the admin publishes slots through the dialog; a time in the past is refused
        panel = await say(tg, admin, "/interviews")
        assert panel.text.startswith(t(app, "iv-adm-title"))
        screen = await tg_press(tg, admin, panel, t(app, "iv-adm-btn-publish"))
        screen = await tg_press(tg, admin, screen, t(app, "iv-all-vacancies"))
        screen = await tg_press(tg, admin, screen, t(app, "iv-pub-format-office"))
        assert screen.text == t(app, "iv-pub-place-office")
        await say(tg, admin, "Москва, Покровка 1")
        duration = await say(tg, admin, "Ольга Петрова")
        screen = await tg_press(tg, admin, duration, t(app, "iv-minutes", minutes=45))
        preview = await say(tg, admin, "24.11 10:00 11:30\n23.11 08:00")
        assert "⛔" in preview.text and t(app, "iv-pub-btn-publish", count=2) in (
            preview.button_texts()
        )
        done = await tg_press(tg, admin, preview, t(app, "iv-pub-btn-publish", count=2))
        assert done.text.startswith(t(app, "iv-pub-done", count=2, refused=0).split(".")[0])
        slots, total = await app.services.interviews.upcoming_slots(0, 10)
        assert total == 2 and slots[0].starts_at.astimezone(MOSCOW).hour == 10

        # screening, then the task; the answer goes to HR with the screening answers
        card = await say(tg, candidate, f"/start v{vacancy.id}")
        question = await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))
        assert "Готовы работать" in question.text
        task = await tg_press(tg, candidate, question, "Да")
        assert task.text.startswith(t(app, "task-title", title=vacancy.title))
        consent = await tg_press(tg, candidate, task, t(app, "task-btn-submit"))
        mark = tg.mark()
        tg.press_button(candidate, consent, t(app, "consent-yes"))
        await tg.wait_message(candidate.id, lambda m: "Отправьте ответ" in m.text, since=mark)
        mark = tg.mark()
        tg.send_text(candidate, "Мой план")
        post = await tg.wait_message(admin.id, lambda m: "Мой план" in m.text, since=mark)
        assert "Готовы работать по трудовому договору? — Да" in post.text

        # HR accepts: the candidate is invited with the free times as buttons
        prompt = await tg_press(tg, admin, post, t(app, "hr-btn-accept"))
        mark = tg.mark()
        tg.press_button(admin, prompt, t(app, "hr-btn-no-comment"))
        invitation = await tg.wait_message(
            candidate.id, lambda m: m.text.startswith("🤝"), since=mark
        )
        labels = invitation.button_texts()
        assert labels[0] == "вт 24.11 10:00 · офис" and labels[-1] == t(app, "iv-btn-other-time")

        # booking: the confirmation, the calendar file, HR told
        mark = tg.mark()
        booked = await tg_press(tg, candidate, invitation, labels[0])
        assert booked.text.startswith(t(app, "iv-booked-title"))
        assert "Москва, Покровка 1" in booked.text and "Ольга Петрова" in booked.text
        assert "45" in booked.text and "МСК" in booked.text
        ics = await tg.wait_message(candidate.id, lambda m: m.kind == "document", since=mark)
        assert ics.document["file_name"] == "interview.ics"
        (event,) = icalendar.Calendar.from_ical(ics.upload.content).walk("VEVENT")
        assert event.decoded("DTSTART").astimezone(MOSCOW).hour == 10
        assert str(event["LOCATION"]) == "Москва, Покровка 1"
        hr = await tg.wait_message(admin.id, lambda m: m.text.startswith("🗓"), since=mark)
        assert "Саша" in hr.text

        # "My applications" shows the booked interview
        mine = await say(tg, candidate, "/applications")
        opened = await tg_press(tg, candidate, mine, mine.button_texts()[0])
        assert t(app, "iv-btn-my-interview") in opened.button_texts()

        # the 2-hour reminder (booked less than a day ahead: no day-before one), once
        jobs = Jobs(app.services, app.core.notifier, app.translator, 60)
        interview = (await app.services.interviews.upcoming())[0]
        clock.now = interview.slot.starts_at - timedelta(hours=1, minutes=59)
        mark = tg.mark()
        assert await jobs.send_interview_reminders() == 1
        assert await jobs.send_interview_reminders() == 0
        reminder = await tg.wait_message(candidate.id, since=mark)
        assert reminder.text.startswith(t(app, "iv-remind-2"))
        assert t(app, "iv-btn-cancel") not in reminder.button_texts()  # under 2 hours
        await tg_press(tg, candidate, reminder, t(app, "iv-btn-ok"))

        # after the time: the outcome; the candidate is told
        clock.now = interview.slot.starts_at + timedelta(hours=1)
        panel = await say(tg, admin, "/interviews")
        waiting = next(label for label in panel.button_texts() if label.startswith("⏱"))
        card = await tg_press(tg, admin, panel, waiting)
        prompt = await tg_press(tg, admin, card, t(app, "iv-outcome-btn-hired"))
        mark = tg.mark()
        tg.press_button(admin, prompt, t(app, "hr-btn-no-comment"))
        told = await tg.wait_message(candidate.id, lambda m: m.text.startswith("🎉"), since=mark)
        assert "Маркетолог &lt;онлайн&gt;" in told.text
        funnel = (await app.services.vacancies.funnel(vacancy.id))["direct"]
        assert funnel == {
            "views": 1,
            "screened_in": 1,
            "issued": 1,
            "submitted": 1,
            "accepted": 1,
            "booked": 1,
            "attended": 1,
            "offer": 1,
            "hired": 1,
        }


async def test_telegram_knock_out_is_kind_and_blocks_a_retry(settings: Settings, tg: Any) -> None:
    async with open_app(settings) as app, telegram_running(app, tg):
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        candidate = tg.user(741, "Ира")
        card = await say(tg, candidate, f"/start v{vacancy.id}")
        question = await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))
        back = await tg_press(tg, candidate, question, t(app, "screening-btn-back"))
        assert back.text.startswith("<b>")  # the way back leads to the card
        question = await tg_press(tg, candidate, back, t(app, "vacancy-btn-task"))
        out = await tg_press(tg, candidate, question, "Нет, только ИП")
        assert "мы оформляем только по ТК &amp; &lt;честно&gt;." in out.text
        assert "30" in out.text
        assert t(app, "screening-btn-other") in out.button_texts()
        assert t(app, "screening-btn-subscribe") in out.button_texts()
        card = await say(tg, candidate, f"/start v{vacancy.id}")
        again = await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))
        assert again.text.startswith(
            t(app, "screening-retry-later", title="", days=30, date="")[:20]
        )
        user = await app.services.users.find(Platform.TELEGRAM, candidate.id)
        assert user is not None
        assert await app.services.applications.find(user.id, vacancy.id) is None
        funnel = (await app.services.vacancies.funnel(vacancy.id))["direct"]
        assert funnel.get("screened_out") == 1 and "issued" not in funnel


def assert_vk_limits(message: Any) -> None:
    rows = message.buttons()
    assert len(rows) <= 6, message.button_labels()
    assert sum(len(row) for row in rows) <= 10, message.button_labels()
    assert all(len(label) <= 40 for label in message.button_labels())


async def test_vk_invitation_paged_taken_place_reschedule_and_cancel(
    settings: Settings, vk: Any
) -> None:
    clock = MovableClock()
    async with open_app(settings, clock=clock) as app, vk_running(app, vk):
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        drafts = [
            SlotDraft(
                vacancy_id=None,
                starts_at=clock.now + timedelta(days=2, hours=h),
                duration=30,
                format=SlotFormat.VIDEO,
                place="https://meet.example/room",
                interviewer="Игорь",
            )
            for h in range(12)
        ]
        ids = await app.services.interviews.publish(drafts, None)
        assert len(ids) == 12
        candidate = vk.user(7701, "Вера")
        rival = vk.user(7702, "Глеб")
        applications = []
        for person in (candidate, rival):
            mark = vk.mark()
            vk.send_text(person, "Начать")
            await vk.wait_message(person.id, since=mark)
            user = await app.services.users.find(Platform.VK, person.id)
            assert user is not None
            application, _ = await app.services.applications.issue(user.id, vacancy)
            applications.append(application)
        admin = vk.user(ADMIN_VK, "Ольга")
        mark = vk.mark()
        vk.send_text(admin, "Начать")
        await vk.wait_message(admin.id, since=mark)
        # HR invites through the button on the application (as on every HR post)
        for application in applications:
            mark = vk.mark()
            vk.send_text(admin, "/admin")
            panel = await vk.wait_message(admin.id, since=mark)
            event = vk.press(admin, panel.cmid, {"a": f"iv.inv:{application.id}"})
            await vk.wait_for(
                "messages.sendMessageEventAnswer", lambda c, e=event: c.params["event_id"] == e
            )
        invitation = await vk.wait_message(candidate.id, lambda m: "собеседование" in m.text)
        assert_vk_limits(invitation)
        rival_invitation = await vk.wait_message(rival.id, lambda m: "собеседование" in m.text)
        first_label = rival_invitation.button_labels()[0]
        # the rival takes the first time; the candidate pressing it is told and shown the rest
        await vk_press(vk, rival, rival_invitation, first_label)
        taken = await vk_press(vk, candidate, invitation, first_label)
        assert to_plain(t(app, "iv-taken-head", title=vacancy.title))[:20] in taken.text
        assert first_label not in taken.button_labels()
        assert_vk_limits(taken)
        # eleven free times do not fit one VK keyboard: they come a page at a time
        nxt = t(app, "iv-btn-next")
        first_times = taken.button_labels()[:4]  # the message is edited in place: copy now
        assert nxt in taken.button_labels()
        second_page = await vk_press(vk, candidate, taken, nxt)
        assert_vk_limits(second_page)
        assert set(second_page.button_labels()).isdisjoint(first_times)
        taken = await vk_press(vk, candidate, second_page, t(app, "iv-btn-prev"))
        title = to_plain(t(app, "iv-booked-title"))
        mark = vk.mark()
        await vk_press(vk, candidate, taken, taken.button_labels()[0])
        booked = await vk.wait_message(candidate.id, lambda m: m.text.startswith(title), since=mark)
        ics = await vk.wait_message(candidate.id, lambda m: bool(m.attachments()), since=mark)
        (event,) = icalendar.Calendar.from_ical(vk.attachment_content(ics.attachments()[0])).walk(
            "VEVENT"
        )
        assert str(event["URL"]) == "https://meet.example/room"
        assert "https://meet.example/room" in booked.text
        assert_vk_limits(booked)
        # reschedule, then cancel (more than 2 hours ahead)
        choose = await vk_press(vk, candidate, booked, t(app, "iv-btn-reschedule"))
        mark = vk.mark()
        await vk_press(vk, candidate, choose, choose.button_labels()[1])
        moved = await vk.wait_message(candidate.id, lambda m: m.text.startswith(title), since=mark)
        confirm = await vk_press(vk, candidate, moved, t(app, "iv-btn-cancel"))
        cancelled = await vk_press(vk, candidate, confirm, t(app, "iv-btn-cancel-yes"))
        assert cancelled.text == to_plain(t(app, "iv-cancelled"))
        user = await app.services.users.find(Platform.VK, candidate.id)
        assert user is not None
        history = await app.services.interviews.history(applications[0].id)
        assert [i.status.value for i in history] == ["moved", "cancelled"]
        # a forged booking of someone else's application is refused
        event = vk.press(candidate, cancelled.cmid, {"a": f"iv.b:{applications[1].id}:{ids[5]}"})
        await vk.wait_for(
            "messages.sendMessageEventAnswer", lambda c: c.params["event_id"] == event
        )
        assert await app.services.interviews.active(applications[1].id) is not None
        rival_history = await app.services.interviews.history(applications[1].id)
        assert len(rival_history) == 1


async def test_new_times_reach_the_candidates_who_waited(settings: Settings, tg: Any) -> None:
    """Invited while no time is free, or after the only place was taken, or asking for another
    time: the candidate gets the free times once there are some, once, and nobody else does."""
    clock = MovableClock()  # 23.11.2026 12:00 MSK
    async with open_app(settings, clock=clock) as app, telegram_running(app, tg):
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        admin = tg.user(ADMIN_TG, "Ольга")
        anna, boris = tg.user(761, "Аня"), tg.user(762, "Борис")
        await say(tg, admin, "/start")
        applications = {}
        for person in (anna, boris):
            await say(tg, person, "/start")
            user = await app.services.users.find(Platform.TELEGRAM, person.id)
            assert user is not None
            applications[person.id], _ = await app.services.applications.issue(user.id, vacancy)

        def owed(person: Any) -> Any:
            rows = app.db.query(
                "SELECT times_owed_after FROM interview_invites WHERE application_id = ?",
                (applications[person.id].id,),
            )
            return rows[0][0] if rows else "not invited"

        def head(person: Any) -> str:
            number = applications[person.id].id
            return t(app, "iv-new-times", title=vacancy.title, number=number)

        async def invite(person: Any) -> Any:
            mark = tg.mark()
            query = tg.press(admin, 1, f"iv.inv:{applications[person.id].id}")
            await tg.wait_for(
                "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query
            )
            hr = await tg.wait_message(admin.id, since=mark)
            assert t(app, "hr-iv-no-slots") in hr.text
            return await tg.wait_message(person.id, lambda m: m.text.startswith("🤝"), since=mark)

        # no free time: Anna is told the times will come, and they are owed to her
        invitation = await invite(anna)
        assert t(app, "iv-no-slots") in invitation.text
        assert invitation.button_texts() == [t(app, "iv-btn-other-time")]
        assert owed(anna) == 0 and owed(boris) == "not invited"

        # HR publishes a time: the confirmation says who waited, and Anna gets the time at once
        panel = await say(tg, admin, "/interviews")
        screen = await tg_press(tg, admin, panel, t(app, "iv-adm-btn-publish"))
        screen = await tg_press(tg, admin, screen, t(app, "iv-all-vacancies"))
        screen = await tg_press(tg, admin, screen, t(app, "iv-pub-format-office"))
        await say(tg, admin, "Москва, Покровка 1")
        duration = await say(tg, admin, "Ольга Петрова")
        screen = await tg_press(tg, admin, duration, t(app, "iv-minutes", minutes=45))
        preview = await say(tg, admin, "24.11 10:00")
        mark = tg.mark()
        done = await tg_press(tg, admin, preview, t(app, "iv-pub-btn-publish", count=1))
        assert t(app, "iv-pub-waiting", count=1) in done.text
        times = await tg.wait_message(anna.id, lambda m: m.text.startswith(head(anna)), since=mark)
        label = "вт 24.11 10:00 · офис"
        assert times.button_texts() == [label, t(app, "iv-btn-other-time")]
        assert owed(anna) is None
        jobs = Jobs(app.services, app.core.notifier, app.translator, 60)
        assert await jobs.send_new_times() == 0  # sent once

        # Anna books the only place; Boris, invited now, finds nothing free and waits
        booked = await tg_press(tg, anna, times, label)
        assert booked.text.startswith(t(app, "iv-booked-title"))
        invitation = await invite(boris)
        assert t(app, "iv-no-slots") in invitation.text and owed(boris) == 0
        assert await jobs.send_new_times() == 0  # nothing free: nothing sent

        # Anna cancels: the freed place goes to Boris with the next run of the jobs
        confirm = await tg_press(tg, anna, booked, t(app, "iv-btn-cancel"))
        await tg_press(tg, anna, confirm, t(app, "iv-btn-cancel-yes"))
        mark = tg.mark()
        assert await jobs.send_new_times() == 1
        times = await tg.wait_message(
            boris.id, lambda m: m.text.startswith(head(boris)), since=mark
        )
        assert times.button_texts()[0] == label
        assert await jobs.send_new_times() == 0
        assert not [m for m in tg.messages(anna.id) if m.text.startswith(head(anna))][1:]

        # Boris asks for another time: the time he was shown does not count, a new one does
        prompt = await tg_press(tg, boris, times, t(app, "iv-btn-other-time"))
        assert prompt.text == t(app, "iv-note-prompt")
        mark = tg.mark()
        sent = await say(tg, boris, "Только по вечерам")
        assert sent.text == t(app, "iv-note-sent")
        note = await tg.wait_message(admin.id, lambda m: "Только по вечерам" in m.text, since=mark)
        assert note.text.startswith(t(app, "hr-iv-note", number=applications[boris.id].id))
        assert await jobs.send_new_times() == 0 and owed(boris) is not None
        await app.services.interviews.publish(
            [
                SlotDraft(
                    vacancy_id=vacancy.id,
                    starts_at=clock.now + timedelta(days=1, hours=9),
                    duration=30,
                    format=SlotFormat.PHONE,
                    place="",
                    interviewer="Игорь",
                )
            ],
            None,
        )
        mark = tg.mark()
        assert await jobs.send_new_times() == 1
        times = await tg.wait_message(
            boris.id, lambda m: m.text.startswith(head(boris)), since=mark
        )
        assert len(times.button_texts()) == 3 and owed(boris) is None
