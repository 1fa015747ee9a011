"""Vacancies and test tasks in Telegram, end to end through the real dispatcher and polling
against the stand-in Bot API: browse, filter, search, deep link with a source, task, consent,
answer files, receipt, HR review, notification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.admin_cli import import_vacancies
from bot.app import App
from bot.domain import Platform
from bot.domain.vacancies import ApplicationStatus
from tests.conftest import ADMIN_TG
from tests.harness import telegram_running, tg_press

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "vacancies.toml"


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


@pytest.fixture
async def imported(app: App) -> App:
    assert await import_vacancies(app.settings, EXAMPLES) == 0
    return app


async def test_browse_with_paging_filters_and_search(imported: App, tg: Any) -> None:
    app = imported
    async with telegram_running(app, tg):
        user = tg.user(701, "Ира")
        tg.send_text(user, "/vacancies")
        first = await tg.wait_message(user.id)
        assert t(app, "vacancies-title", total=9) in first.text
        assert t(app, "vacancies-page", page=1, pages=2) in first.text
        assert len([b for b in first.button_texts() if b not in _controls(app)]) == 5
        second = await tg_press(tg, user, first, t(app, "vacancies-btn-next"))
        assert second.message_id == first.message_id
        assert t(app, "vacancies-page", page=2, pages=2) in second.text

        filters = await tg_press(tg, user, second, t(app, "vacancies-btn-filters"))
        dental = await tg_press(tg, user, filters, t(app, "project-dental"))
        assert t(app, "vacancies-title", total=2) in dental.text
        assert "Стоматология" in dental.text
        reset = await tg_press(tg, user, dental, t(app, "vacancies-btn-reset"))
        assert t(app, "vacancies-title", total=9) in reset.text

        filters = await tg_press(tg, user, reset, t(app, "vacancies-btn-filters"))
        prompt = await tg_press(tg, user, filters, t(app, "filters-search"))
        assert prompt.text == t(app, "filters-search-prompt")
        mark = tg.mark()
        tg.send_text(user, "маркетолог")
        found = await tg.wait_message(user.id, since=mark)
        assert t(app, "vacancies-title", total=1) in found.text
        assert "маркетолог" in found.text.lower()

        mark = tg.mark()
        tg.send_text(user, "/vacancies")
        await tg.wait_message(user.id, since=mark)
        filters = await tg_press(tg, user, tg.last(user.id), t(app, "vacancies-btn-filters"))
        prompt = await tg_press(tg, user, filters, t(app, "filters-search"))
        mark = tg.mark()
        tg.send_text(user, "астронавт")
        empty = await tg.wait_message(user.id, since=mark)
        assert empty.text == t(app, "vacancies-empty-filtered")
        assert t(app, "vacancies-btn-reset") in empty.button_texts()


def _controls(app: App) -> set[str]:
    return {
        t(app, key)
        for key in (
            "vacancies-btn-prev",
            "vacancies-btn-next",
            "vacancies-btn-filters",
            "vacancies-btn-reset",
            "btn-menu",
        )
    }


async def test_from_deep_link_to_accepted_answer(imported: App, tg: Any) -> None:
    app = imported
    marketer = await app.services.vacancies.get_by_slug("online-marketer")
    assert marketer is not None
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга", username="olga_hr")
        candidate = tg.user(702, "Пётр", last_name="<script>", username="petr")

        # a card opened from a placement's deep link: every section, escaped
        tg.send_text(candidate, f"/start v{marketer.id}-tg_marketing_jobs")
        card = await tg.wait_message(candidate.id)
        assert card.text.startswith(f"<b>{marketer.title}</b>")
        for key in ("vacancy-requirements", "vacancy-duties", "vacancy-not-fit", "vacancy-offer"):
            assert t(app, key) in card.text
        assert "#маркетолог" in card.text
        funnel = await app.services.vacancies.funnel(marketer.id)
        assert funnel == {"tg_marketing_jobs": {"views": 1}}

        # screening questions first, one message edited in place, then the task with its file;
        # the deadline is stated as a date
        question = await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))
        assert t(app, "screening-progress", number=1, total=3) in question.text
        for answer in ("Да, по трудовому договору", "3–5 лет"):
            question = await tg_press(tg, candidate, question, answer)
            assert question.message_id == card.message_id
        task = await tg_press(tg, candidate, question, "B1–B2")
        assert task.text.startswith(t(app, "task-title", title=marketer.title))
        assert "⏳" in task.text
        brief = await tg.wait_message(candidate.id, lambda m: m.kind == "document")
        assert brief.document["file_name"] == "marketer-brief.md"
        me = await app.services.users.find(Platform.TELEGRAM, candidate.id)
        assert me is not None
        application = await app.services.applications.find(me.id, marketer.id)
        assert application is not None and application.source == "tg_marketing_jobs"

        # consent comes first, separately
        consent = await tg_press(tg, candidate, task, t(app, "task-btn-submit"))
        assert consent.text.startswith(t(app, "consent-title"))
        assert t(app, "consent-yes") in consent.button_texts()
        mark = tg.mark()
        tg.press_button(candidate, consent, t(app, "consent-yes"))
        prompt = await tg.wait_message(
            candidate.id, lambda m: "Отправьте ответ" in m.text, since=mark
        )
        assert prompt.button_texts() == [t(app, "answer-cancel")]

        # wrong type and oversized files are refused and change nothing
        for name, mime, size, key in [
            ("setup.exe", "application/x-msdownload", 1000, "answer-bad-type"),
            ("huge.pdf", "application/pdf", 25 * 1024 * 1024, "answer-too-big"),
        ]:
            mark = tg.mark()
            tg.send_document(candidate, name, mime, file_size=size)
            refused = await tg.wait_message(candidate.id, since=mark)
            assert refused.text == t(app, key)
        assert (await app.services.applications.get(application.id)).answers == ()  # type: ignore[union-attr]

        # a real answer: a PDF -> a receipt with the number
        mark = tg.mark()
        tg.send_document(candidate, "answer.pdf", "application/pdf", content=b"%PDF-1.4 answer")
        receipt = await tg.wait_message(candidate.id, since=mark)
        assert receipt.text.startswith(
            t(app, "receipt-title", number=application.id, time="").split(",")[0]
        )
        stored = await app.services.applications.get(application.id)
        assert stored is not None and stored.status is ApplicationStatus.SUBMITTED
        assert stored.answers[0].file_name == "answer.pdf"

        # HR gets the file and the post with decision buttons
        hr_file = await tg.wait_message(admin.id, lambda m: m.kind == "document")
        assert hr_file.file_id == stored.answers[0].file_ref
        post = await tg.wait_message(admin.id, lambda m: m.kind == "text")
        assert f"№ {application.id}" in post.text
        assert "&lt;script&gt;" in post.text and "@petr" in post.text
        assert "tg_marketing_jobs" in post.text and marketer.title in post.text
        assert post.button_texts() == [
            t(app, "hr-btn-accept"),
            t(app, "hr-btn-reject"),
            t(app, "hr-btn-ask"),
            t(app, "hr-iv-btn-invite"),
        ]
        # with the candidate's screening answers
        assert t(app, "hr-screening-title") in post.text and "3–5 лет" in post.text

        # the candidate cannot act as HR, nor touch another id
        for data in (f"hr.acc:{application.id}", "app.submit:999", "app.open:999"):
            query = tg.press(candidate, receipt.message_id, data)
            await tg.wait_for(
                "answerCallbackQuery", lambda c, q=query: c.params["callback_query_id"] == q
            )

        # HR accepts with a comment; the candidate is told in their language
        comment_prompt = await tg_press(tg, admin, post, t(app, "hr-btn-accept"))
        assert comment_prompt.text.startswith(f"Отклик № {application.id}")
        mark = tg.mark()
        tg.send_text(admin, "Сильное решение, ждём на интервью")
        done = await tg.wait_message(admin.id, since=mark)
        assert done.text.startswith("Готово")
        verdict = await tg.wait_message(candidate.id, lambda m: m.text.startswith("🎉"), since=mark)
        assert "Сильное решение, ждём на интервью" in verdict.text

        # pressing again says who decided
        mark = tg.mark()
        query = tg.press_button(admin, post, t(app, "hr-btn-reject"))
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query, since=mark
        )
        assert "Ольга" in answer.params["text"] and "принят" in answer.params["text"]
    final = await app.services.applications.get(application.id)
    assert final is not None and final.status is ApplicationStatus.ACCEPTED
    assert final.comment == "Сильное решение, ждём на интервью"
    funnel = await app.services.vacancies.funnel(marketer.id)
    assert funnel["tg_marketing_jobs"] == {
        "views": 1,
        "screened_in": 1,
        "issued": 1,
        "submitted": 1,
        "accepted": 1,
    }


async def test_my_applications_lists_status_and_comment(imported: App, tg: Any) -> None:
    app = imported
    barista = await app.services.vacancies.get_by_slug("barista-moscow")
    assert barista is not None
    async with telegram_running(app, tg):
        user = tg.user(703, "Оля")
        tg.send_text(user, "/applications")
        empty = await tg.wait_message(user.id)
        assert empty.text == t(app, "mine-empty")
        tg.send_text(user, f"/start v{barista.id}")
        card = await tg.wait_message(user.id, lambda m: m.text.startswith("<b>"))
        await tg_press(tg, user, card, t(app, "vacancy-btn-task"))
        mark = tg.mark()
        tg.send_text(user, "/applications")
        mine = await tg.wait_message(user.id, since=mark)
    assert t(app, "status-issued") in mine.text and barista.title in mine.text
