"""Random input to the web chat over its real transport (hypothesis): frames that are not JSON,
JSON of any shape, texts of up to 10,000 characters of any Unicode, commands with odd
arguments, button presses with real, garbled and another visitor's data and message ids, and
uploads that are not the visitor's. After every frame: the server said `done` (or closed a
frame it could not read with a polite error), the generic apology never appeared, and the
other visitor's chat, files and application are exactly as they were."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import App, open_app
from bot.web.runtime import WebRuntime
from tests.web.client import Visitor, web_running
from tests.web.test_runtime import DRAFT, PDF, web_settings

COMMANDS = [
    "start",
    "menu",
    "vacancies",
    "applications",
    "checklist",
    "help",
    "language",
    "mydata",
    "deletedata",
    "privacy",
    "content",
    "admin",
    "stats",
    "join",
    "nosuch",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[App, WebRuntime, Visitor]]:
    """The app and the runtime, and a bystander with a chat, a file and an application."""
    async with open_app(web_settings(tmp_path)) as app, web_running(app) as web:
        await app.services.vacancies.save(DRAFT)
        async with Visitor(web.settings.web_url) as bystander:
            await bystander.open("?start=v1")
            tr = app.translator
            for key in ("vacancy-btn-task", "task-btn-submit", "consent-yes"):
                await bystander.press(str(tr("ru", key)))
            await bystander.send_file("answer.pdf", PDF)
            await bystander.say("/vacancies")
            assert app.db.query("SELECT status FROM applications")[0][0] == "submitted"
            yield app, web, bystander


def snapshot(app: App) -> list[Any]:
    """Everything of the bystander (the first visitor, users.id 1)."""
    return [
        [tuple(r) for r in app.db.query(sql, (1,))]
        for sql in (
            "SELECT id, sender, body FROM web_messages WHERE user_id = ? ORDER BY id",
            "SELECT id, name, size FROM web_files WHERE user_id = ? ORDER BY id",
            "SELECT a.id, a.status, u.locale FROM applications a JOIN users u ON u.id = a.user_id "
            "WHERE u.id = ?",
            "SELECT role, locale, is_blocked FROM users WHERE id = ?",
        )
    ]


def frames(bystander: Visitor) -> st.SearchStrategy[object]:
    theirs = sorted(bystander.messages)
    their_data = [
        b["data"]
        for m in bystander.messages.values()
        for r in m["buttons"]
        for b in r
        if "data" in b
    ]
    their_files = [
        m["file"]["url"].rsplit("/", 1)[-1] for m in bystander.messages.values() if m["file"]
    ]
    message_ids = st.sampled_from(theirs) | st.integers(-(2**63), 2**63) | JSON
    data = st.sampled_from(their_data or ["menu"]) | st.text(max_size=80) | JSON
    text = st.text(max_size=10_000) | st.builds(
        lambda c, a: f"/{c} {a}", st.sampled_from(COMMANDS), st.text(max_size=60)
    )
    return st.one_of(
        st.builds(  # another visitor's real button on their own message
            lambda d, m: {"t": "button", "data": d, "message_id": m},
            st.sampled_from(their_data or ["menu"]),
            st.sampled_from(theirs),
        ),
        st.builds(lambda t: {"t": "text", "text": t}, text),
        st.builds(lambda d, m: {"t": "button", "data": d, "message_id": m}, data, message_ids),
        st.builds(
            lambda u: {"t": "file", "upload": u},
            st.sampled_from(their_files or ["x" * 20]) | st.text(max_size=40) | JSON,
        ),
        st.dictionaries(st.sampled_from(["t", "text", "data", "ref", "upload"]), JSON),
        JSON,
        st.text(max_size=200).map(lambda raw: ("raw", raw)),
    )


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_random_frames_are_answered_and_touch_nobody_else(
    world: tuple[App, WebRuntime, Visitor], data: st.DataObject
) -> None:
    app, web, bystander = world
    before = snapshot(app)
    apology = str(app.translator("ru", "error-generic"))
    async with Visitor(web.settings.web_url) as fuzzer:
        await fuzzer.open()
        for _ in range(data.draw(st.integers(1, 8), label="frames")):
            frame = data.draw(frames(bystander), label="frame")
            assert fuzzer.ws is not None
            if isinstance(frame, tuple):  # not JSON at all
                await fuzzer.ws.send_str(frame[1])
                fuzzer._ref += 1
                reply = await fuzzer.send({"t": "text", "text": "/menu"})
            else:
                reply = await fuzzer.send(frame if isinstance(frame, dict) else {"t": frame})
            assert all(apology not in json.dumps(f, ensure_ascii=False) for f in reply)
        assert all(apology not in text for text in fuzzer.texts())
        assert not fuzzer.ws.closed
    assert snapshot(app) == before
