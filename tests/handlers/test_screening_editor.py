"""Screening questions in the admin's vacancy editor, through the real Telegram dispatcher and VK
runtime against the stand-in servers and a real database: the list, the guided dialog (yes / no
with a reason, answers typed one a line), the import file's rules with their reasons, the limit
of five, deleting, out-of-date and forged buttons, non-admins; a candidate is then asked what the
admin wrote."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.app import App
from bot.domain import Platform
from bot.domain.interviews import ScreeningOption, ScreeningQuestion
from bot.domain.vacancies import VacancyDraft
from bot.vk.render import to_plain
from tests.conftest import ADMIN_TG, ADMIN_VK
from tests.harness import telegram_running, tg_press, vk_press, vk_running

DRAFT = VacancyDraft(
    slug="marketer",
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
)


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return str(app.translator(locale, key, **args))


async def say(tg: Any, user: Any, text: str) -> Any:
    mark = tg.mark()
    tg.send_text(user, text)
    return await tg.wait_message(user.id, since=mark)


async def forge(tg: Any, user: Any, message_id: int, data: str) -> dict[str, Any]:
    query = tg.press(user, message_id, data)
    await tg.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query)
    answer: dict[str, Any] = tg.callback_answers[query]
    return answer


def assert_vk_limits(message: Any) -> None:
    rows = message.buttons()
    assert len(rows) <= 6, message.button_labels()
    assert sum(len(row) for row in rows) <= 10, message.button_labels()
    assert all(len(row) <= 5 for row in rows), message.button_labels()
    assert all(len(label) <= 40 for label in message.button_labels())


def question(number: int) -> ScreeningQuestion:
    return ScreeningQuestion(
        f"Вопрос номер {number}?", (ScreeningOption("Да"), ScreeningOption("Нет", False, "увы"))
    )


async def test_telegram_admin_adds_lists_and_deletes_questions(app: App, tg: Any) -> None:
    vacancy, _ = await app.services.vacancies.save(DRAFT)
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        await say(tg, admin, "/start")
        listing = await say(tg, admin, "/vacancy_admin")
        card = await tg_press(tg, admin, listing, "🟢 Маркетолог <онлайн>")
        screen = await tg_press(tg, admin, card, t(app, "va-sq-btn-card", count=0))
        assert t(app, "va-sq-empty") in screen.text
        assert "Маркетолог &lt;онлайн&gt;" in screen.text

        # yes / no with a button, then HR's polite reason
        prompt = await tg_press(tg, admin, screen, t(app, "va-sq-btn-add"))
        assert prompt.text.startswith("<b>")
        too_long = await say(tg, admin, "Вопрос " * 60)
        assert t(app, "va-sq-err-long-text", max=300) in too_long.text
        options = await say(tg, admin, "Готовы работать по трудовому договору <ТК>?")
        assert "по трудовому договору &lt;ТК&gt;?" in options.text
        yes_passes = t(app, "va-sq-btn-yes-passes", yes=t(app, "va-sq-yes"), no=t(app, "va-sq-no"))
        reason = await tg_press(tg, admin, options, yes_passes)
        assert "«Нет»" in reason.text
        preview = await say(tg, admin, "мы оформляем только по ТК & <честно>")
        assert "⛔ Нет — мы оформляем только по ТК &amp; &lt;честно&gt;" in preview.text
        assert "✅ Да" in preview.text
        screen = await tg_press(tg, admin, preview, t(app, "va-sq-btn-save"))
        assert screen.text.startswith(t(app, "va-sq-saved"))
        assert t(app, "va-sq-count", count=1, max=5) in screen.text
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and stored.screening == (
            ScreeningQuestion(
                "Готовы работать по трудовому договору <ТК>?",
                (
                    ScreeningOption("Да"),
                    ScreeningOption("Нет", False, "мы оформляем только по ТК & <честно>"),
                ),
            ),
        )

        # answers typed one a line, checked with the import file's rules
        prompt = await tg_press(tg, admin, screen, t(app, "va-sq-btn-add"))
        await say(tg, admin, "Сколько лет опыта?")
        refused = await say(tg, admin, "Меньше года | нужен опыт от трёх лет")
        assert t(app, "va-sq-err-options-count", min=2, max=6, count=1) in refused.text
        assert t(app, "va-sq-err-none-passes") in refused.text
        refused = await say(tg, admin, "Больше трёх\nМеньше трёх |\nбольше трёх")
        assert t(app, "va-sq-err-same-labels") in refused.text
        assert t(app, "va-sq-err-reason-needed", label="Меньше трёх") in refused.text
        refused = await say(tg, admin, "Да\n" + "Н" * 41 + " | нет")
        assert t(app, "va-sq-err-long-label", label="Н" * 20, max=40) in refused.text
        preview = await say(tg, admin, "Больше трёх лет\n- Меньше трёх | нужен опыт от трёх лет")
        screen = await tg_press(tg, admin, preview, t(app, "va-sq-btn-save"))
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and stored.screening is not None
        assert stored.screening[1] == ScreeningQuestion(
            "Сколько лет опыта?",
            (
                ScreeningOption("Больше трёх лет"),
                ScreeningOption("Меньше трёх", False, "нужен опыт от трёх лет"),
            ),
        )

        # the candidate is asked what the admin wrote, in that order
        candidate = tg.user(901, "Саша")
        card = await say(tg, candidate, f"/start v{vacancy.id}")
        asked = await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))
        assert "по трудовому договору &lt;ТК&gt;?" in asked.text
        asked = await tg_press(tg, candidate, asked, "Да")
        assert "Сколько лет опыта?" in asked.text
        out = await tg_press(tg, candidate, asked, "Меньше трёх")
        assert "нужен опыт от трёх лет" in out.text

        # deleting: a confirmation, then the list without it
        delete = t(app, "va-sq-btn-delete", number=1)
        confirm = await tg_press(tg, admin, screen, delete)
        assert "по трудовому договору" in confirm.text
        screen = await tg_press(tg, admin, confirm, t(app, "va-sq-btn-delete-yes"))
        assert screen.text.startswith(t(app, "va-sq-deleted"))
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and stored.screening is not None
        assert [q.text for q in stored.screening] == ["Сколько лет опыта?"]
        # the confirmation pressed again points at a question that is gone: nothing deleted
        answer = await forge(tg, admin, confirm.message_id, f"va.sqx:{vacancy.id}:0:00000000")
        assert answer.get("text") == t(app, "stale-button")
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and len(stored.screening or ()) == 1
        entries = await app.services.privacy.audit_entries()
        actions = [entry["action"] for entry in entries]
        assert "screening question added" in actions and "screening question deleted" in actions


async def test_telegram_limits_stale_buttons_and_non_admins(app: App, tg: Any) -> None:
    vacancy, _ = await app.services.vacancies.save(DRAFT)
    await app.services.vacancies.set_screening(vacancy.id, tuple(question(n) for n in range(5)))
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        await say(tg, admin, "/start")
        listing = await say(tg, admin, "/vacancy_admin")
        card = await tg_press(tg, admin, listing, "🟢 Маркетолог <онлайн>")
        screen = await tg_press(tg, admin, card, t(app, "va-sq-btn-card", count=5))
        assert t(app, "va-sq-btn-add") not in screen.button_texts()  # five is the most
        answer = await forge(tg, admin, screen.message_id, f"va.sqa:{vacancy.id}")
        assert answer.get("text") == t(app, "va-sq-max", max=5) and answer.get("show_alert")

        # buttons of the dialog outside it, or at another step, or of another vacancy
        for data in [
            f"va.sqy:{vacancy.id}:1",
            f"va.sqs:{vacancy.id}",
            "va.sq:999",
            "va.sqa:999",
            f"va.sqd:{vacancy.id}:7:00000000",
        ]:
            answer = await forge(tg, admin, screen.message_id, data)
            assert answer.get("text") == t(app, "stale-button"), data
        await app.services.vacancies.set_screening(vacancy.id, (question(1),))
        mark = tg.mark()
        tg.press(admin, screen.message_id, f"va.sq:{vacancy.id}")
        screen = await tg.wait_message(admin.id, since=mark)
        prompt = await tg_press(tg, admin, screen, t(app, "va-sq-btn-add"))
        other, _ = await app.services.vacancies.save(replace(DRAFT, slug="other"))
        for data in [f"va.sqy:{vacancy.id}:1", f"va.sqs:{vacancy.id}", f"va.sqy:{other.id}:1"]:
            answer = await forge(tg, admin, prompt.message_id, data)
            assert answer.get("text") == t(app, "stale-button"), data
        await say(tg, admin, "Есть опыт?")
        answer = await forge(tg, admin, prompt.message_id, f"va.sqy:{other.id}:1")
        assert answer.get("text") == t(app, "stale-button")
        answer = await forge(tg, admin, prompt.message_id, f"va.sqy:{vacancy.id}:7")
        assert answer.get("text") == t(app, "stale-button")
        # "cancel" leaves the dialog and stores nothing
        mark = tg.mark()
        tg.press(admin, prompt.message_id, f"va.sq:{vacancy.id}")
        head = t(app, "va-sq-count", count=1, max=5)
        await tg.wait_message(admin.id, lambda m: head in m.text, since=mark)
        assert await app.services.dialogs.get(1) is None
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and stored.screening == (question(1),)

        # a candidate may not open the editor, nor add through a forged button
        candidate = tg.user(902, "Ира")
        await say(tg, candidate, "/start")
        for data in [f"va.sq:{vacancy.id}", f"va.sqa:{vacancy.id}", f"va.sqx:{vacancy.id}:0:x"]:
            await forge(tg, candidate, screen.message_id, data)
        user = await app.services.users.find(Platform.TELEGRAM, candidate.id)
        assert user is not None and await app.services.dialogs.get(user.id) is None
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and stored.screening == (question(1),)


async def test_vk_admin_edits_questions_within_keyboard_limits(app: App, vk: Any) -> None:
    vacancy, _ = await app.services.vacancies.save(DRAFT)
    await app.services.vacancies.set_screening(vacancy.id, tuple(question(n) for n in range(4)))
    async with vk_running(app, vk):
        admin = vk.user(ADMIN_VK, "Ольга")
        mark = vk.mark()
        vk.send_text(admin, "/vacancy_admin")
        listing = await vk.wait_message(admin.id, since=mark)
        card = await vk_press(vk, admin, listing, "🟢 Маркетолог <онлайн>")
        assert_vk_limits(card)
        screen = await vk_press(vk, admin, card, t(app, "va-sq-btn-card", count=4))
        assert_vk_limits(screen)
        assert "<b>" not in screen.text and "Вопрос номер 3?" in screen.text

        prompt = await vk_press(vk, admin, screen, t(app, "va-sq-btn-add"))
        assert_vk_limits(prompt)
        mark = vk.mark()
        vk.send_text(admin, "Есть медицинская книжка?")
        options = await vk.wait_message(admin.id, since=mark)
        assert_vk_limits(options)
        no_passes = t(app, "va-sq-btn-no-passes", yes=t(app, "va-sq-yes"), no=t(app, "va-sq-no"))
        reason = await vk_press(vk, admin, options, no_passes)
        assert "«Да»" in reason.text
        mark = vk.mark()
        vk.send_text(admin, "   ")  # an empty reason is refused with the rule
        refused = await vk.wait_message(admin.id, since=mark)
        assert to_plain(t(app, "va-sq-err-reason-needed", label="Да")) in refused.text
        mark = vk.mark()
        vk.send_text(admin, "без неё работать с едой нельзя")
        preview = await vk.wait_message(admin.id, since=mark)
        assert_vk_limits(preview)
        screen = await vk_press(vk, admin, preview, t(app, "va-sq-btn-save"))
        assert_vk_limits(screen)  # five delete buttons, no "add", the way back
        assert t(app, "va-sq-btn-add") not in screen.button_labels()
        assert t(app, "va-sq-btn-delete", number=5) in screen.button_labels()
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and stored.screening is not None
        assert stored.screening[-1] == ScreeningQuestion(
            "Есть медицинская книжка?",
            (
                ScreeningOption("Да", False, "без неё работать с едой нельзя"),
                ScreeningOption("Нет"),
            ),
        )
        confirm = await vk_press(vk, admin, screen, t(app, "va-sq-btn-delete", number=2))
        assert_vk_limits(confirm)
        screen = await vk_press(vk, admin, confirm, t(app, "va-sq-btn-delete-yes"))
        assert_vk_limits(screen)
        stored = await app.services.vacancies.get(vacancy.id)
        assert stored is not None and [q.text for q in stored.screening or ()] == [
            "Вопрос номер 0?",
            "Вопрос номер 2?",
            "Вопрос номер 3?",
            "Есть медицинская книжка?",
        ]
        back = await vk_press(vk, admin, screen, t(app, "va-sq-btn-back"))
        assert t(app, "va-sq-btn-card", count=4) in back.button_labels()
