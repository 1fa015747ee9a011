"""Privacy and insights in the chat: /privacy, /mydata, /deletedata for everyone; /stats,
/export and /audit for admins only (messages and buttons)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.app import App
from bot.domain import Platform
from bot.domain.vacancies import VacancyDraft
from tests.conftest import ADMIN_TG
from tests.harness import telegram_running, tg_press, vk_running

DRAFT = VacancyDraft(
    slug="vintage",
    title="Продавец винтажа",
    project="vintage",
    city="Москва",
    deadline_days=5,
    task_text="Опишите вещь",
    requirements="-",
    duties="-",
    offer="-",
    contacts="-",
)


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


async def test_privacy_notice_mydata_and_deletedata(app: App, tg: Any) -> None:
    vacancy, _ = await app.services.vacancies.save(DRAFT)
    async with telegram_running(app, tg):
        user = tg.user(761, "Алиса", username="alice_v")
        tg.send_text(user, "/privacy")
        notice = await tg.wait_message(user.id)
        assert notice.text == t(app, "privacy-notice", days=30)
        mark = tg.mark()
        tg.send_text(user, f"/start v{vacancy.id}")
        card = await tg.wait_message(user.id, since=mark)
        await tg_press(tg, user, card, t(app, "vacancy-btn-task"))

        mark = tg.mark()
        tg.send_text(user, "/mydata")
        document = await tg.wait_message(user.id, lambda m: m.kind == "document", since=mark)
        assert document.document["file_name"] == "my-data.json"
        data = json.loads(document.upload.content)
        assert data["profile"][0]["username"] == "alice_v"
        assert data["applications"][0]["vacancy"] == "Продавец винтажа"

        mark = tg.mark()
        tg.send_text(user, "/deletedata")
        confirm = await tg.wait_message(user.id, since=mark)
        kept = await tg_press(tg, user, confirm, t(app, "deletedata-no"))
        assert kept.text == t(app, "deletedata-kept")
        assert await app.services.users.find(Platform.TELEGRAM, user.id) is not None
        mark = tg.mark()
        tg.send_text(user, "/deletedata")
        confirm = await tg.wait_message(user.id, since=mark)
        done = await tg_press(tg, user, confirm, t(app, "deletedata-yes"))
        assert done.text == t(app, "deletedata-done")
        await app.core.drain(5)
    assert await app.services.users.find(Platform.TELEGRAM, user.id) is None
    async with app.db.read() as conn, conn.execute("SELECT COUNT(*) FROM applications") as cur:
        assert (await cur.fetchone())[0] == 0


async def test_admin_stats_charts_export_and_audit(app: App, tg: Any) -> None:
    vacancy, _ = await app.services.vacancies.save(DRAFT)
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        candidate = tg.user(762, "Боря")
        tg.send_text(candidate, f"/start v{vacancy.id}-vk_moscow")
        card = await tg.wait_message(candidate.id)
        await tg_press(tg, candidate, card, t(app, "vacancy-btn-task"))

        tg.send_text(admin, "/stats")
        dashboard = await tg.wait_message(admin.id, lambda m: m.kind == "text")
        assert "Продавец винтажа: 1 → 1 (100%) → 0 (0%) → 0 (0%)" in dashboard.text
        assert "vk_moscow: 1, 1, 0, 0 / 0" in dashboard.text
        await tg.wait_for("sendPhoto", count=3)
        photos = [m for m in tg.messages(admin.id) if m.kind == "photo"]
        assert len(photos) == 3 and all(p.upload.content[:4] == b"\x89PNG" for p in photos)

        mark = tg.mark()
        tg.send_text(admin, "/export")
        await tg.wait_for("sendDocument", count=2, since=mark)
        files = {m.document["file_name"]: m for m in tg.messages(admin.id) if m.kind == "document"}
        rows = list(
            csv.reader(io.StringIO(files["applications.csv"].upload.content.decode("utf-8-sig")))
        )
        assert rows[1][1] == "Продавец винтажа" and rows[1][4] == "vk_moscow"
        assert "funnel.csv" in files

        mark = tg.mark()
        tg.send_text(admin, "/audit")
        log = await tg.wait_message(admin.id, since=mark)
        assert "export" in log.text


async def test_non_admins_are_refused_insights(app: App, tg: Any, vk: Any) -> None:
    async with telegram_running(app, tg), vk_running(app, vk):
        user = tg.user(763, "Нет")
        for command in ("/stats", "/export", "/audit"):
            mark = tg.mark()
            tg.send_text(user, command)
            refused = await tg.wait_message(user.id, since=mark)
            assert refused.text.startswith(t(app, "forbidden"))
        for data in ("in.stats", "in.export", "in.audit"):
            query = tg.press(user, 1, data)
            answer = await tg.wait_for(
                "answerCallbackQuery", lambda c, q=query: c.params["callback_query_id"] == q
            )
            assert answer.params["text"] == t(app, "forbidden")
        vk_user = vk.user(764, "ВКНет")
        event = vk.press(vk_user, 1, {"a": "in.export"})
        answer = await vk.wait_for(
            "messages.sendMessageEventAnswer", lambda c: c.params["event_id"] == event
        )
        assert answer.params["event_data"]["text"] == t(app, "forbidden")
    assert tg.calls_of("sendDocument") == [] and tg.calls_of("sendPhoto") == []
