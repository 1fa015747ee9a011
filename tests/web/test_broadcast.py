"""A broadcast reaches web visitors as a message stored in their chat: shown at once on an
open page, waiting in the history for the others; delivered means stored, and the author's
report says so; a resend after a crash stores nothing twice."""

from __future__ import annotations

import base64
from pathlib import Path

from bot.app import open_app
from bot.broadcast.model import Content, LinkButton, Recipient
from bot.domain import Platform
from bot.services.clock import utcnow
from bot.web.broadcast import WebBroadcastPort
from tests.test_broadcast_kit import (
    admin_id,
    engine_running,
    seed_users,
    start_broadcast,
    wait_finished,
)
from tests.web.client import Visitor, web_running
from tests.web.test_runtime import web_settings

PNG = (  # a 1x1 image
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


async def test_a_broadcast_waits_in_every_web_chat_and_counts_as_delivered(tmp_path: Path) -> None:
    async with open_app(web_settings(tmp_path)) as app, web_running(app) as web:
        base = web.settings.web_url
        async with Visitor(base) as online, Visitor(base) as away:
            await online.open()
            await away.open()
            await away.close()
            others = await seed_users(app, Platform.WEB, range(1000, 1150))
            author = await admin_id(app, Platform.WEB, 999)
            assert web.messenger is not None
            async with engine_running(app, web=web.messenger):
                content = Content(
                    "<b>Открыт набор</b> в кофейню",
                    buttons=(LinkButton("Подробнее", "https://example.com/jobs"),),
                )
                started = await start_broadcast(app, content, author=author)
                done = await wait_finished(app, started.id)
            assert done.counts.sent == len(others) + 3 and done.counts.failed == 0  # and the author

            # shown at once on the open page, with its link button
            shown = [m for m in online.messages.values() if "Открыт набор" in m["html"]]
            if not shown:
                await online.connect()
                shown = [m for m in online.messages.values() if "Открыт набор" in m["html"]]
            assert shown and shown[-1]["buttons"] == [
                [{"label": "Подробнее", "url": "https://example.com/jobs"}]
            ]
            # waiting in the chat of the visitor who was away
            back = Visitor(base)
            back.set_cookie(away.cookie())
            async with back:
                await back.connect()
                assert any("Открыт набор" in text for text in back.texts())

            # the author's report says what delivered means here
            report = app.db.query(
                "SELECT body FROM web_messages m JOIN users u ON u.id = m.user_id "
                "WHERE u.external_id = 999 ORDER BY m.id DESC LIMIT 1"
            )
            note = str(app.translator("ru", "bc-count-web-note"))
            assert report and note in report[0][0]

            # a resend of the same batch (after a crash) stores nothing twice
            port = WebBroadcastPort(web.messenger, utcnow)
            recipients = [Recipient(1, others[0], 1000)]
            for _ in range(2):
                delivered = await port.deliver(content, recipients, f"{started.id}:x", None)
                assert [o.kind.value for o in delivered.outcomes] == ["sent"]
            count = app.db.query(
                "SELECT COUNT(*) FROM web_messages WHERE key = ?", (f"bc:{started.id}:x:1",)
            )
            assert count[0][0] == 1


async def test_a_web_admin_composes_a_broadcast_with_a_photo_for_web_visitors(
    tmp_path: Path,
) -> None:
    """The whole admin flow in the web chat: /broadcast, a photo with its caption, no link
    buttons, the audience, the preview, send now; a visitor gets the photo inline in their chat,
    and its file is one shared copy every recipient may open."""
    data = base64.b64decode(PNG)
    async with open_app(web_settings(tmp_path)) as app, web_running(app) as web:
        base = web.settings.web_url
        tr = app.translator
        assert web.messenger is not None
        async with (
            engine_running(app, web=web.messenger),
            Visitor(base) as admin,
            Visitor(base) as visitor,
        ):
            await visitor.open()
            await admin.open("?admin=admin-token-for-the-web-tests-0123456789")
            await admin.say("/broadcast")
            assert admin.last["html"] == str(tr("ru", "bc-compose-prompt"))
            await admin.send_file("vacancy.png", data)
            await admin.press(str(tr("ru", "bc-btn-skip")))
            await admin.press(str(tr("ru", "bc-btn-preview")))
            await admin.press(str(tr("ru", "bc-btn-send-now")))
            await admin.press(str(tr("ru", "bc-btn-confirm-now")))
            sent = await visitor.wait_for(lambda m: bool(m["file"]) and m["from"] == "bot")
            assert sent["file"]["kind"] == "photo" and sent["file"]["name"] == "vacancy.png"
            async with visitor.session.get(base + sent["file"]["url"]) as got:
                assert got.status == 200 and await got.read() == data
            done = await wait_finished(app, 1)  # the results are recorded after delivery
            assert done.counts.sent == done.counts.total == 2
