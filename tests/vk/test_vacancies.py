"""Vacancies and test tasks in VK, end to end through the real VK runtime against the stand-in
VK API, with HR reviewing from Telegram: files cross platforms, notifications reach VK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.admin_cli import import_vacancies
from bot.app import App
from bot.domain import Platform
from bot.domain.vacancies import ApplicationStatus
from bot.vk.render import to_plain
from tests.conftest import ADMIN_TG, ADMIN_VK
from tests.harness import telegram_running, vk_press, vk_running

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "vacancies.toml"


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


def plain(app: App, key: str, **args: Any) -> str:
    return to_plain(t(app, key, **args))


@pytest.fixture
async def imported(app: App) -> App:
    assert await import_vacancies(app.settings, EXAMPLES) == 0
    return app


async def test_vk_list_stays_within_keyboard_limits(imported: App, vk: Any) -> None:
    app = imported
    async with vk_running(app, vk):
        user = vk.user(801, "Маша")
        vk.send_text(user, "/vacancies")
        page = await vk.wait_message(user.id)
        seen = 0
        while True:
            assert len(page.buttons()) <= 6 and sum(map(len, page.buttons())) <= 10
            seen += len(page.buttons()) - 2
            if t(app, "vacancies-btn-next") not in page.button_labels():
                break
            page = await vk_press(vk, user, page, t(app, "vacancies-btn-next"))
        assert seen == 9
        filters = await vk_press(vk, user, page, t(app, "vacancies-btn-filters"))
        assert len(filters.buttons()) <= 6 and sum(map(len, filters.buttons())) <= 10
        coffee = await vk_press(vk, user, filters, t(app, "project-coffee"))
        assert plain(app, "vacancies-title", total=4) in coffee.text


async def test_vk_candidate_submits_a_document_and_telegram_hr_decides(
    imported: App, vk: Any, tg: Any
) -> None:
    app = imported
    cook = await app.services.vacancies.get_by_slug("veggie-cook")
    assert cook is not None
    async with telegram_running(app, tg), vk_running(app, vk):
        admin = tg.user(ADMIN_TG, "Ольга")
        vk.user(ADMIN_VK, "Админ ВК")
        candidate = vk.user(802, "Ильдар", "Хасанов")

        # the deep link of a placement arrives as ref / ref_source on the first message
        vk.send_text(
            candidate,
            "Начать",
            payload={"command": "start"},
            ref=f"v{cook.id}",
            ref_source="kazan_jobs",
        )
        card = await vk.wait_message(candidate.id)
        assert card.text.startswith(cook.title)
        assert sum(map(len, card.buttons())) <= 10
        task = await vk_press(vk, candidate, card, t(app, "vacancy-btn-task"))
        assert task.text.startswith(plain(app, "task-title", title=cook.title))
        consent = await vk_press(vk, candidate, task, t(app, "task-btn-submit"))
        assert consent.text.startswith(plain(app, "consent-title"))
        mark = vk.mark()
        vk.press_button(candidate, consent, t(app, "consent-yes"))
        await vk.wait_message(candidate.id, lambda m: "Отправьте ответ" in m.text, since=mark)

        mark = vk.mark()
        vk.send_doc(candidate, "malware", "exe", size=2048)
        refused = await vk.wait_message(candidate.id, since=mark)
        assert refused.text == plain(app, "answer-bad-type")

        mark = vk.mark()
        vk.send_doc(candidate, "Меню на неделю", "docx", content=b"PK\x03\x04 docx bytes")
        receipt = await vk.wait_message(candidate.id, since=mark)
        assert receipt.text.startswith("✅ Ответ получен.")

        # HR: the file travels from VK to Telegram as a real upload, then the post
        hr_file = await tg.wait_message(admin.id, lambda m: m.kind == "document")
        assert hr_file.upload is not None
        assert hr_file.upload.content == b"PK\x03\x04 docx bytes"
        assert hr_file.upload.filename == "Меню на неделю.docx"
        post = await tg.wait_message(admin.id, lambda m: m.kind == "text")
        assert "kazan_jobs" in post.text and 'href="https://vk.com/id802"' in post.text
        # the VK admin got the post too, with the file uploaded to VK
        vk_post = await vk.wait_message(ADMIN_VK, lambda m: "Ильдар" in m.text)
        assert t(app, "hr-btn-accept") in vk_post.button_labels()
        await vk.wait_for("docs.save")

        # Telegram HR rejects without a comment; the VK candidate is told in VK
        mark = tg.mark()
        tg.press_button(admin, post, t(app, "hr-btn-reject"))
        prompt = await tg.wait_message(admin.id, lambda m: m.text.startswith("Отклик"), since=mark)
        vk_mark = vk.mark()
        tg.press_button(admin, prompt, t(app, "hr-btn-no-comment"))
        verdict = await vk.wait_message(candidate.id, since=vk_mark)
        assert verdict.text.startswith("Спасибо за ответ")

        # the VK admin pressing later learns who decided
        mark = vk.mark()
        event_id = vk.press_button(vk.users[ADMIN_VK], vk_post, t(app, "hr-btn-accept"))
        answer = await vk.wait_for(
            "messages.sendMessageEventAnswer", lambda c: c.params["event_id"] == event_id
        )
        assert "Ольга" in answer.params["event_data"]["text"]
    user = await app.services.users.find(Platform.VK, candidate.id)
    assert user is not None
    application = await app.services.applications.find(user.id, cook.id)
    assert application is not None and application.status is ApplicationStatus.REJECTED
    assert application.source == "kazan_jobs"


async def test_vk_forged_application_ids_change_nothing(imported: App, vk: Any) -> None:
    app = imported
    async with vk_running(app, vk):
        user = vk.user(803, "Лиса")
        vk.send_text(user, "/start")
        await vk.wait_message(user.id)
        for payload in (
            {"a": "app.submit:1"},
            {"a": "app.open:77"},
            {"a": "hr.acc:1"},
            {"a": "app.cy:5"},
        ):
            event_id = vk.press(user, 1, payload)
            await vk.wait_for(
                "messages.sendMessageEventAnswer", lambda c, e=event_id: c.params["event_id"] == e
            )
        await app.core.drain(5)
    async with app.db.read() as conn:
        async with conn.execute("SELECT COUNT(*) FROM applications") as cursor:
            assert (await cursor.fetchone())[0] == 0
        async with conn.execute("SELECT COUNT(*) FROM consents") as cursor:
            assert (await cursor.fetchone())[0] == 0
