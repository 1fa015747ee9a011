"""The web chat over its real transport: the real aiohttp runtime on 127.0.0.1, a real HTTP
client with a cookie jar and a real WebSocket, the real core and handlers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform, Role
from bot.domain.vacancies import ApplicationStatus, VacancyDraft
from tests.conftest import make_settings
from tests.web.client import Visitor, web_running

ADMIN_TOKEN = "admin-token-for-the-web-tests-0123456789"
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
    deadline_days=3,
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def web_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": None,
        "vk_token": None,
        "vk_group_id": None,
        "admin_ids": [],
        "vk_admin_ids": [],
        "web_enabled": True,
        "web_admin_token": ADMIN_TOKEN,
    }
    values.update(overrides)
    return make_settings(tmp_path, **values)


@pytest.fixture
async def web_app(tmp_path: Path) -> AsyncIterator[App]:
    async with open_app(web_settings(tmp_path)) as app:
        yield app


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return str(app.translator(locale, key, **args))


async def test_a_candidate_applies_and_an_admin_accepts_over_the_real_transport(
    web_app: App,
) -> None:
    app = web_app
    await app.services.vacancies.save(DRAFT)
    vacancy = await app.services.vacancies.get_by_slug(DRAFT.slug)
    assert vacancy is not None
    async with web_running(app) as web:
        base = web.settings.web_url
        async with Visitor(base) as candidate, Visitor(base) as admin:
            # the first visit greets by itself, in the browser's language
            await candidate.open()
            assert candidate.hello["locale"] == "ru" and not candidate.hello["user"]["admin"]
            assert any(c["command"] == "vacancies" for c in candidate.hello["commands"])
            greeting = candidate.last
            assert greeting["from"] == "bot" and t(app, "menu-checklist") in candidate.labels()

            # the checklist ticks in place: the same message is edited, no new one
            await candidate.press(t(app, "menu-checklist"))
            checklist = candidate.last
            count = len(candidate.messages)
            item = t(app, "checklist-item-avatar")
            frames = await candidate.press(item, checklist["id"])
            if not any(f["t"] == "edit" for f in frames):  # the item's tip, then mark it
                await candidate.press(t(app, "checklist-btn-toggle-done"))
            assert len(candidate.messages) == count
            assert t(app, "checklist-progress", done=1, total=8) in candidate.last["html"]
            marks = app.db.query("SELECT item FROM checklist_marks")
            assert [row[0] for row in marks] == ["avatar"]

            # a deep link opens the card with its source; the task needs consent
            await candidate.open(f"?start=v{vacancy.id}-site")
            assert DRAFT.title in candidate.last["html"]
            await candidate.press(t(app, "vacancy-btn-task"))
            await candidate.press(t(app, "task-btn-submit"))
            await candidate.press(t(app, "consent-yes"))
            assert "Отправьте ответ" in candidate.last["html"]

            # the admin signs in with the token (the redirect takes it out of the URL)
            page = await admin.get(f"/?admin={ADMIN_TOKEN}", allow_redirects=False)
            assert page.status == 303 and page.headers["Location"] == "/"
            await admin.open()
            assert admin.hello["user"]["admin"]

            # a PDF answer: the upload, the file in the candidate's chat, the receipt
            frames = await candidate.send_file("ответ <b>.pdf", PDF)
            mine = [f["message"] for f in frames if f["t"] == "message" and f["message"]["file"]]
            assert mine and mine[0]["from"] == "user" and mine[0]["file"]["name"].endswith(".pdf")
            assert "<" not in mine[0]["file"]["name"]
            receipt = candidate.last
            listed = (await app.services.applications.mine(await _user_id(app, candidate)))[0]
            application = await app.services.applications.get(listed.id)  # with the answers
            assert application is not None and application.status is ApplicationStatus.SUBMITTED
            assert application.source == "site"
            assert receipt["html"].startswith(f"✅ <b>Ответ получен.</b> Отклик № {application.id}")
            answer = application.answers[-1]
            assert answer.file_ref and answer.file_name.endswith(".pdf")

            # HR (the web admin) gets the file and the post with the decision buttons
            await admin.connect()
            files = [m for m in admin.messages.values() if m["file"]]
            assert files, admin.texts()
            download = await admin.get(files[-1]["file"]["url"])
            assert download.status == 200
            post = next(m for m in admin.messages.values() if f"№ {application.id}" in m["html"])
            assert t(app, "hr-btn-accept") in admin.labels(post)
            # the candidate cannot download the admin's copy, nor act as HR
            assert (await candidate.get(files[-1]["file"]["url"])).status == 404
            await candidate.send(
                {"t": "button", "data": f"hr.acc:{application.id}", "message_id": receipt["id"]}
            )
            unchanged = await app.services.applications.get(application.id)
            assert unchanged is not None and unchanged.status is ApplicationStatus.SUBMITTED

            await admin.press(t(app, "hr-btn-accept"), post["id"])
            await admin.say("Сильное решение")
            decided = await app.services.applications.get(application.id)
            assert decided is not None and decided.status is ApplicationStatus.ACCEPTED

            # the candidate sees the decision after a reload
            await candidate.connect()
            assert any("Сильное решение" in text for text in candidate.texts())


async def _user_id(app: App, visitor: Visitor) -> int:
    for user_id in range(1, 50):
        user = await app.services.users.get(user_id)
        if user is not None and user.platform is Platform.WEB and user.role is not Role.ADMIN:
            return user.id
    raise AssertionError("no web candidate")


async def test_history_survives_a_reload_and_mydata_and_deletedata_cover_it(
    web_app: App,
) -> None:
    async with web_running(web_app) as web, Visitor(web.settings.web_url) as visitor:
        await visitor.open()
        await visitor.say("Привет, <script>alert(1)</script>")
        before = visitor.texts()
        await visitor.connect()  # a reload: the same chat, from storage
        assert visitor.texts() == before
        assert "Привет, <script>alert(1)</script>" in before  # kept as text, never as markup

        await visitor.say("/mydata")
        export = next(m for m in visitor.messages.values() if m["file"] and m["from"] == "bot")
        data = json.loads(await _body(visitor, export["file"]["url"]))
        texts = [json.loads(row["body"]).get("text") for row in data["web_chat"]]
        assert "Привет, <script>alert(1)</script>" in texts

        await visitor.say("/deletedata")
        await visitor.press(t(web_app, "deletedata-yes"))
        assert await web_app.services.users.find(Platform.WEB, int(visitor_id(visitor))) is None
        await visitor.connect()
        assert "Привет, <script>alert(1)</script>" not in visitor.texts()


def visitor_id(visitor: Visitor) -> str:
    return visitor.cookie().split(".")[0]


async def _body(visitor: Visitor, url: str) -> bytes:
    async with visitor.session.get(visitor.base + url) as response:
        assert response.status == 200
        return await response.read()


async def test_bad_input_is_refused_politely_and_changes_nothing(web_app: App) -> None:
    async with web_running(web_app) as web:
        base = web.settings.web_url
        async with Visitor(base) as visitor:
            await visitor.open()
            # every response carries the strict policy
            page = await visitor.get("/")
            assert "script-src 'self'" in page.headers["Content-Security-Policy"]
            assert page.headers["X-Content-Type-Options"] == "nosniff"
            cookie = page.headers.get("Set-Cookie", "")
            assert cookie == "" or "HttpOnly" in cookie

            # another site's page may not open the socket, nor upload
            with pytest.raises(Exception, match="403"):
                await visitor.session.ws_connect(
                    base.replace("http", "ws") + "/ws", headers={"Origin": "https://evil.example"}
                )
            # a page without a session cookie is told so, and closed with 4401 (no retrying)
            async with aiohttp.ClientSession() as bare:
                ws = await bare.ws_connect(base.replace("http", "ws") + "/ws", origin=base)
                frame = await ws.receive_json(timeout=5)
                assert frame["t"] == "error" and "cookie" in frame["text"]
                closed = await ws.receive(timeout=5)
                assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4401
            form_blocked = await visitor.session.post(
                base + "/upload", data={"x": "y"}, headers={"Origin": "https://evil.example"}
            )
            assert form_blocked.status == 403

            # garbage frames, forged buttons and unknown commands get polite answers
            frames = await visitor.send({"t": "nonsense"})
            assert frames and frames[0]["t"] == "error"
            before = len(visitor.messages)
            await visitor.send({"t": "button", "data": "hr.acc:1", "message_id": 1})
            await visitor.send({"t": "button", "data": "x" * 500, "message_id": 10**6})
            assert any(toast["text"] for toast in visitor.toasts)
            await visitor.say("/nosuchcommand")
            assert len(visitor.messages) >= before

            # wrong file types and oversized files are refused before they are kept
            wrong = await visitor.upload("virus.exe", b"MZ")
            assert wrong.status == 415
            assert "PDF" in (await wrong.json())["error"]
            huge = await visitor.upload("big.pdf", b"0" * (20 * 1024 * 1024 + 1))
            assert huge.status == 413
            rows = web_app.db.query("SELECT COUNT(*) FROM web_files")
            assert rows[0][0] == 0

            # a forged cookie is a new visitor, not someone else
            forged = Visitor(base)
            forged.set_cookie(f"{visitor_id(visitor)}." + "A" * 43)
            async with forged:
                await forged.open()
                issued = [c.value for c in forged.session.cookie_jar if c.key == "hrbot_session"]
                assert any(not value.startswith(f"{visitor_id(visitor)}.") for value in issued)
                assert len(forged.texts()) == 1  # a greeting of its own, nothing of the other

            # the admin link with a wrong token does nothing
            await visitor.get("/?admin=wrong", allow_redirects=True)
            await visitor.connect()
            assert not visitor.hello["user"]["admin"]
