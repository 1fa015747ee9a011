"""HR review flows in Telegram: a question relayed to the candidate and the reply back, an
extension requested and granted, and an HR group chat where only admins may act."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform
from bot.domain.vacancies import VacancyDraft
from tests.conftest import ADMIN_TG, make_settings
from tests.harness import MovableClock, telegram_running, tg_press

DRAFT = VacancyDraft(
    slug="dental-admin",
    title="Администратор клиники",
    project="dental",
    city="Москва",
    employment="5/2",
    requirements="Вежливость",
    duties="Запись пациентов",
    offer="Оформление по ТК",
    contacts="hr@example.com",
    task_text="Ответьте на звонок недовольного пациента",
    deadline_days=1,
)


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


async def apply(app: App, tg: Any, candidate: Any, answer: str) -> Any:
    """The candidate opens the vacancy, gets the task, consents and answers; returns the
    receipt."""
    vacancy = await app.services.vacancies.get_by_slug(DRAFT.slug)
    assert vacancy is not None
    mark = tg.mark()
    tg.send_text(candidate, f"/start v{vacancy.id}")
    card = await tg.wait_message(candidate.id, since=mark)
    if t(app, "vacancy-btn-task") in card.button_texts():
        task = await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))
        consent = await tg_press(tg, candidate, task, t(app, "task-btn-submit"))
    else:  # the task was issued before: go through the application screen
        mine = await tg_press(tg, candidate, card, t(app, "vacancy-btn-application"))
        consent = await tg_press(tg, candidate, mine, t(app, "application-btn-submit"))
    mark = tg.mark()
    tg.press_button(candidate, consent, t(app, "consent-yes"))
    await tg.wait_message(candidate.id, lambda m: "Отправьте ответ" in m.text, since=mark)
    mark = tg.mark()
    tg.send_text(candidate, answer)
    return await tg.wait_message(candidate.id, since=mark)


async def test_question_goes_to_the_candidate_and_the_reply_comes_back(app: App, tg: Any) -> None:
    await app.services.vacancies.save(DRAFT)
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        candidate = tg.user(721, "Саша")
        await apply(app, tg, candidate, "Я бы извинился и предложил время")
        post = await tg.wait_message(admin.id)
        prompt = await tg_press(tg, admin, post, t(app, "hr-btn-ask"))
        assert prompt.text.startswith("Напишите вопрос")
        mark = tg.mark()
        tg.send_text(admin, "А если пациент <кричит>?")
        question = await tg.wait_message(
            candidate.id, lambda m: m.text.startswith("❓"), since=mark
        )
        assert "&lt;кричит&gt;" in question.text
        sent = await tg.wait_message(admin.id, since=mark)
        assert sent.text == t(app, "hr-question-sent")
        reply_prompt = await tg_press(tg, candidate, question, t(app, "question-btn-reply"))
        assert reply_prompt.text == t(app, "question-reply-prompt")
        mark = tg.mark()
        tg.send_text(candidate, "Сохраню спокойствие")
        relayed = await tg.wait_message(admin.id, lambda m: m.text.startswith("💬"), since=mark)
        assert "Сохраню спокойствие" in relayed.text
        thanks = await tg.wait_message(candidate.id, since=mark)
        assert thanks.text == t(app, "question-reply-sent")
        assert t(app, "hr-btn-accept") in relayed.button_texts()


async def test_late_answer_extension_request_and_grant(settings: Settings, tg: Any) -> None:
    clock = MovableClock()
    async with open_app(settings, clock=clock) as app, telegram_running(app, tg):
        await app.services.vacancies.save(DRAFT)
        admin = tg.user(ADMIN_TG, "Ольга")
        candidate = tg.user(722, "Лена")
        vacancy = await app.services.vacancies.get_by_slug(DRAFT.slug)
        assert vacancy is not None
        tg.send_text(candidate, f"/start v{vacancy.id}")
        card = await tg.wait_message(candidate.id)
        await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))
        clock.now += timedelta(days=2)  # the deadline has passed
        receipt = await apply(app, tg, candidate, "Поздний ответ")
        assert t(app, "receipt-late") in receipt.text
        post = await tg.wait_message(admin.id, lambda m: "⚠️" in m.text)
        assert post is not None
        mark = tg.mark()
        tg.press_button(candidate, receipt, t(app, "application-btn-extension"))
        request = await tg.wait_message(admin.id, lambda m: m.text.startswith("⏳"), since=mark)
        grant = next(b for b in request.button_texts() if b.startswith("✅"))
        data = request.callback_data(grant)
        mark = tg.mark()
        tg.press(admin, request.message_id, data)
        told = await tg.wait_message(candidate.id, lambda m: m.text.startswith("⏳"), since=mark)
        assert "Администратор клиники" in told.text
        # a second press (another admin, an old copy) is answered, nothing changes
        query = tg.press(admin, request.message_id, data)
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query
        )
        assert answer.params["text"] == t(app, "hr-extension-handled")
        user = await app.services.users.find(Platform.TELEGRAM, candidate.id)
        assert user is not None
        application = await app.services.applications.find(user.id, vacancy.id)
        assert application is not None and application.extension == "granted"
        assert application.deadline_at == clock.now + timedelta(days=3)


async def test_hr_group_chat_gets_posts_and_only_admins_act(tmp_path: Any, tg: Any) -> None:
    settings = make_settings(tmp_path, hr_chat_id=-100777)
    async with open_app(settings) as app, telegram_running(app, tg):
        await app.services.vacancies.save(DRAFT)
        tg.add_chat(-100777, chat_type="supergroup", title="HR")
        admin = tg.user(ADMIN_TG, "Ольга")
        tg.send_text(admin, "/start")  # the admin has a private chat with the bot
        await tg.wait_message(admin.id)
        intruder = tg.user(723, "Посторонний")
        candidate = tg.user(724, "Кирилл")
        await apply(app, tg, candidate, "Мой ответ")
        post = await tg.wait_message(-100777)
        assert "Мой ответ" in post.text
        query = tg.press(
            intruder, post.message_id, post.callback_data(t(app, "hr-btn-accept")), chat_id=-100777
        )
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query
        )
        assert answer.params["text"] == t(app, "forbidden")
        mark = tg.mark()
        tg.press(
            admin, post.message_id, post.callback_data(t(app, "hr-btn-reject")), chat_id=-100777
        )
        prompt = await tg.wait_message(admin.id, since=mark)  # the comment is asked privately
        assert prompt.text.startswith("Отклик")
        mark = tg.mark()
        tg.press_button(admin, prompt, t(app, "hr-btn-no-comment"))
        await tg.wait_message(candidate.id, lambda m: m.text.startswith("Спасибо"), since=mark)


async def test_a_toast_naming_a_person_shows_their_name_as_typed(app: App, tg: Any) -> None:
    """Found by the long property run: a decider named "Ольга & Co" was shown in the "already
    decided" toast as "Ольга &amp; Co". Toasts are built as HTML like every text and the
    runtimes show them as plain text."""
    await app.services.vacancies.save(DRAFT)
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга & Co")
        candidate = tg.user(722, "Саша")
        await apply(app, tg, candidate, "Мой ответ")
        post = await tg.wait_message(
            admin.id, lambda m: t(app, "hr-btn-accept") in m.button_texts()
        )
        await tg_press(tg, admin, post, t(app, "hr-btn-accept"))
        mark = tg.mark()
        tg.send_text(admin, "-")
        await tg.wait_message(candidate.id, lambda m: m.text.startswith("🎉"), since=mark)
        mark = tg.mark()
        query = tg.press_button(admin, post, t(app, "hr-btn-reject"))
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query, since=mark
        )
        assert "Ольга & Co" in answer.params["text"] and "&amp;" not in answer.params["text"]
