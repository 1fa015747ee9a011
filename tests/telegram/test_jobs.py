"""Background jobs in the bot process: deadline reminders and new-vacancy notices, sent once,
surviving restarts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform
from bot.domain.vacancies import VacancyDraft, VacancyStatus
from bot.jobs import Jobs
from bot.services.users import Profile
from tests.harness import MovableClock, telegram_running

DRAFT = VacancyDraft(
    slug="pastry",
    title="Помощник кондитера",
    project="pastry",
    city="Санкт-Петербург",
    employment="2/2",
    requirements="Аккуратность",
    duties="Крем",
    offer="Обучение",
    contacts="hr@example.com",
    hashtags=("кондитер",),
    task_text="Рецепт эклера",
    deadline_days=2,
)


async def test_reminder_a_day_before_the_deadline_once_across_restarts(
    settings: Settings, tg: Any
) -> None:
    clock = MovableClock()
    async with open_app(settings, clock=clock) as app, telegram_running(app, tg):
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        user = tg.user(901, "Вика")
        tg.send_text(user, "/start")
        await tg.wait_message(user.id)
        stored = await app.services.users.find(Platform.TELEGRAM, user.id)
        assert stored is not None
        application, _ = await app.services.applications.issue(stored.id, vacancy)
        jobs = Jobs(app.services, app.core.notifier, app.translator, interval=1)
        assert await jobs.send_reminders() == 0  # two days left
        clock.now += timedelta(days=1, hours=2)
        assert await jobs.send_reminders() == 1
        reminder = await tg.wait_message(user.id, lambda m: m.text.startswith("⏰"))
        assert "Помощник кондитера" in reminder.text
        assert reminder.button_texts() == [app.translator("ru", "task-btn-submit")]
        assert await jobs.send_reminders() == 0
    async with open_app(settings, clock=clock) as app, telegram_running(app, tg):
        jobs = Jobs(app.services, app.core.notifier, app.translator, interval=1)
        assert await jobs.send_reminders() == 0  # still not twice after a restart
    assert len([m for m in tg.messages(user.id) if m.text.startswith("⏰")]) == 1
    assert application.id == 1


async def test_subscribers_hear_about_a_new_vacancy_once(settings: Settings, tg: Any) -> None:
    async with open_app(settings) as app, telegram_running(app, tg):
        first, _ = await app.services.vacancies.save(DRAFT)
        user = tg.user(902, "Дима", language_code="en")
        tg.send_text(user, f"/start v{first.id}")
        card = await tg.wait_message(user.id)
        mark = tg.mark()
        tg.press_button(user, card, app.translator("en", "vacancy-btn-subscribe"))
        subscribe = await tg.wait_message(user.id, since=mark)
        label = next(b for b in subscribe.button_texts() if "#кондитер" in b)
        mark = tg.mark()
        tg.press_button(user, subscribe, label)
        await tg.wait_message(user.id, lambda m: "🔔 #кондитер" in m.button_texts(), since=mark)
        second, newly = await app.services.vacancies.save(
            replace(DRAFT, slug="pastry-2", title="Кондитер", status=VacancyStatus.OPEN)
        )
        assert newly
        jobs = Jobs(app.services, app.core.notifier, app.translator, interval=1)
        assert await jobs.send_notices() == 1
        notice = await tg.wait_message(user.id, lambda m: m.text.startswith("🔔"))
        assert "Кондитер" in notice.text
        assert (
            notice.callback_data(app.translator("en", "notice-btn-open")) == f"vac.o:{second.id}:0"
        )
        assert await jobs.send_notices() == 0


async def test_retention_runs_once_a_day_across_restarts(settings: Settings) -> None:
    clock = MovableClock()
    calls: list[object] = []

    def counted(app: App) -> Jobs:
        original = app.services.privacy.purge_expired

        async def counting() -> int:
            calls.append(clock.now)
            return await original()

        app.services.privacy.purge_expired = counting  # type: ignore[method-assign]
        return Jobs(app.services, app.core.notifier, app.translator, interval=1)

    async with open_app(settings, clock=clock) as app:
        jobs = counted(app)
        await jobs.retention()
        await jobs.retention()
    async with open_app(settings, clock=clock) as app:  # a restart the same day
        jobs = counted(app)
        await jobs.retention()
        clock.now += timedelta(days=1)
        await jobs.retention()
    assert len(calls) == 2


async def test_notices_and_reminders_wait_for_their_messenger_after_a_start(
    settings: Settings, tg: Any
) -> None:
    """Right after a start the jobs can run before Telegram's runtime has registered its
    messenger (it first asks Telegram who the bot is): nothing is claimed for a messenger that
    does not run yet, so nothing due at a start is lost; the next tick sends it."""
    clock = MovableClock()
    async with open_app(settings, clock=clock) as app:
        user, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 903, "Оля"))
        await app.services.vacancies.toggle_subscription(user.id, "tag", "кондитер")
        vacancy, newly = await app.services.vacancies.save(DRAFT)
        assert newly
        await app.services.applications.issue(user.id, vacancy)
        clock.now += timedelta(days=1, hours=2)
        jobs = Jobs(app.services, app.core.notifier, app.translator, interval=1)
        assert await jobs.send_notices() == 0  # no messenger yet
        assert await jobs.send_reminders() == 0
        tg.user(903, "Оля")
        async with telegram_running(app, tg):
            assert await jobs.send_notices() == 1
            assert await jobs.send_reminders() == 1
            await tg.wait_message(903, lambda m: m.text.startswith("🔔"))
            await tg.wait_message(903, lambda m: m.text.startswith("⏰"))
