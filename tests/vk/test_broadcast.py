"""Broadcasts in VK against the stand-in VK API: up to 100 peer_ids per call, a random_id per
batch so a resend (after a crash or a lost answer) is dropped by VK, per-peer errors, rate
errors, media uploaded once per broadcast (from Telegram to VK and from VK to Telegram), and
the compose dialog within VK's keyboard limits."""

from __future__ import annotations

from typing import Any

from bot.app import App
from bot.broadcast.model import Audience, Content, LinkButton, Who
from bot.domain import Platform
from bot.vk.broadcast import VkBroadcastPort, broadcast_random_id
from bot.vk.client import VkClient
from bot.vk.render import to_plain
from storage.broadcasts import SqliteBroadcastRepository
from tests.conftest import ADMIN_TG, ADMIN_VK, VK_TOKEN
from tests.fakes.html_check import parse_html
from tests.harness import telegram_running, tg_press, vk_press, vk_running
from tests.test_broadcast_kit import (
    admin_id,
    engine_running,
    seed_users,
    start_broadcast,
    states,
    wait_finished,
)

HTML = '<b>Ярмарка вакансий</b> в субботу &amp; <a href="https://example.com/fair">программа</a>'


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


def bulk_sends(vk: Any, since: int = 0) -> list[Any]:
    """messages.send calls to recipients (the author's status messages excluded)."""
    return [
        c
        for c in vk.calls_of("messages.send", since=since)
        if ADMIN_VK not in (c.params.get("peer_ids") or [])
    ]


async def test_batches_of_100_peer_ids_and_per_peer_errors(app: App, vk: Any) -> None:
    peers = list(range(1001, 1251))
    await seed_users(app, Platform.VK, peers)
    for peer in peers:
        vk.user(peer)
    vk.block(1007)  # forbids messages from the community: error 901 for this peer only
    vk.user(ADMIN_VK, "Админ")
    author = await admin_id(app, Platform.VK, ADMIN_VK)
    content = Content(
        HTML,
        buttons=(
            LinkButton("Программа", "https://example.com/fair"),
            LinkButton("Вакансии", "https://example.com/jobs"),
        ),
    )
    async with engine_running(app, vk=vk):
        broadcast = await start_broadcast(app, content, Audience(Who.CANDIDATES), author=author)
        done = await wait_finished(app, broadcast.id)
        report = await vk.wait_message(ADMIN_VK, lambda m: m.text.startswith("✅ Рассылка"))

    calls = bulk_sends(vk)
    assert [len(c.params["peer_ids"]) for c in calls] == [100, 100, 50]
    assert len({c.params["random_id"] for c in calls}) == 3
    assert sorted(p for c in calls for p in c.params["peer_ids"]) == peers
    plain = to_plain(HTML)
    assert plain == "Ярмарка вакансий в субботу & программа (https://example.com/fair)"
    for peer in peers:
        got = vk.messages(peer)
        if peer == 1007:
            assert got == []
            continue
        assert len(got) == 1 and got[0].text == plain
        assert got[0].inline and got[0].button_labels() == ["Программа", "Вакансии"]
        assert got[0].button("Вакансии")["action"] == {
            "type": "open_link",
            "link": "https://example.com/jobs",
            "label": "Вакансии",
        }
    recorded = await states(app, broadcast.id)
    assert recorded[1007] == ("blocked", 1, "VK 901")
    assert sum(state == "sent" for state, _, _ in recorded.values()) == 249
    blocked = await app.services.users.find(Platform.VK, 1007)
    assert blocked is not None and blocked.is_blocked
    assert (done.counts.sent, done.counts.blocked) == (249, 1)
    assert t(app, "bc-count-blocked", count=1).replace("<b>", "") in report.text
    status = vk.messages(ADMIN_VK)[0]
    assert status.text.startswith("📣 Рассылка #1") and status.edits >= 1


async def test_a_batch_sent_before_a_crash_is_sent_again_and_dropped_by_vk(
    app: App, vk: Any
) -> None:
    peers = list(range(2001, 2151))
    await seed_users(app, Platform.VK, peers)
    for peer in peers:
        vk.user(peer)
    repo = SqliteBroadcastRepository(app.db)
    # the previous process: recipients recorded, first batch assigned and sent, then it died
    # before storing the results
    author = await admin_id(app)  # a Telegram admin: no Telegram port here, no status message
    content = Content("Перед сбоем")
    broadcast = await start_broadcast(app, content, Audience(Who.CANDIDATES), author=author)
    while not await repo.fill_step(
        broadcast.id, broadcast.audience, (Platform.VK,), app.services.broadcasts.now()
    ):
        pass
    batch = await repo.claim_batch(broadcast.id, Platform.VK, 100)
    client = VkClient(VK_TOKEN, f"{vk.url}/method/")
    try:
        delivered = await VkBroadcastPort(client).deliver(
            content, batch, f"{broadcast.id}:{batch[0].batch}", None
        )
    finally:
        client.session.close()
    assert {o.kind.value for o in delivered.outcomes} == {"sent"}
    assert vk.dedup_hits == 0

    async with engine_running(app, vk=vk):  # the next start resumes the broadcast
        done = await wait_finished(app, broadcast.id)

    assert vk.dedup_hits == 100  # the resend of the open batch was dropped by VK
    assert all(len(vk.messages(peer)) == 1 for peer in peers)
    calls = vk.calls_of("messages.send")
    assert [len(c.params["peer_ids"]) for c in calls] == [100, 100, 50]
    assert calls[0].params["random_id"] == calls[1].params["random_id"]
    assert calls[1].params["random_id"] == broadcast_random_id(f"{broadcast.id}:{batch[0].batch}")
    assert done.counts.sent == 150


async def test_lost_answers_and_rate_errors_back_off_without_copies(app: App, vk: Any) -> None:
    peers = list(range(3001, 3121))
    await seed_users(app, Platform.VK, peers)
    for peer in peers:
        vk.user(peer)
    author = await admin_id(app)
    vk.drop_next("messages.send", after_effect=True)  # delivered, but the answer is lost
    vk.fail_next("messages.send", 6)  # too many requests per second: back off
    vk.fail_next("messages.send", 9)  # flood control: back off longer
    async with engine_running(app, vk=vk):
        broadcast = await start_broadcast(app, Content("Повтор"), Audience(), author=author)
        done = await wait_finished(app, broadcast.id)
    assert done.counts.sent == 120
    assert all(len(vk.messages(peer)) == 1 for peer in peers)
    assert vk.dedup_hits == 100
    recorded = await states(app, broadcast.id)
    # the lost answer costs the first batch a second attempt; the errors 6 and 9 that answered
    # it were waited out and retried by the client (the same random_id), spending no attempt
    assert {recorded[peer][1] for peer in peers[:100]} == {2}
    assert {recorded[peer][1] for peer in peers[100:]} == {1}
    sends = vk.calls_of("messages.send")
    assert [(c.dropped, c.error_code) for c in sends] == [
        (True, None),
        (False, 6),
        (False, 9),
        (False, None),
        (False, None),
    ]
    assert len({c.params["random_id"] for c in sends[:4]}) == 1
    assert sends[2].time - sends[1].time >= 0.4  # backed off
    assert sends[3].time - sends[2].time >= 0.9  # and longer the second time


async def test_telegram_photo_is_uploaded_to_vk_once(app: App, tg: Any, vk: Any) -> None:
    vk_peers = list(range(4001, 4151))
    await seed_users(app, Platform.VK, vk_peers)
    for peer in vk_peers:
        vk.user(peer)
    await seed_users(app, Platform.TELEGRAM, [41, 42])
    tg.user(41)
    tg.user(42)
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot, vk=vk):
        admin = tg.user(ADMIN_TG, "Ольга")
        tg.send_text(admin, "/broadcast")
        await tg.wait_message(admin.id)
        mark = tg.mark()
        tg.send_photo(admin, caption="<i>Новая кофейня</i> открыта", content=b"\xff\xd8\xffjpeg")
        asked = await tg.wait_message(admin.id, since=mark)
        audience = await tg_press(tg, admin, asked, t(app, "bc-btn-skip"))
        candidates = await tg_press(tg, admin, audience, t(app, "bc-btn-candidates"))
        assert t(app, "bc-audience-size", count=152) in candidates.text
        mark = tg.mark()
        tg.press_button(admin, candidates, t(app, "bc-btn-preview"))
        control = await tg.wait_message(
            admin.id, lambda m: m.text.startswith(t(app, "bc-preview-above")), since=mark
        )
        preview = tg.message(admin.id, control.message_id - 1)
        assert preview.kind == "photo" and preview.caption == "<i>Новая кофейня</i> открыта"
        confirm = await tg_press(tg, admin, control, t(app, "bc-btn-send-now"))
        tg.press_button(admin, confirm, t(app, "bc-btn-confirm-now"))
        done = await wait_finished(app, 1)

    assert done.counts.sent == 152
    for chat in (41, 42):
        (got,) = tg.messages(chat)
        assert got.kind == "photo" and got.file_id == preview.file_id
    assert vk.uploads == 1
    assert len(vk.calls_of("photos.getMessagesUploadServer")) == 1
    sends = vk.calls_of("messages.send")
    attachments = {c.params["attachment"] for c in sends}
    assert len(sends) == 2 and len(attachments) == 1
    (attachment,) = attachments
    assert vk.attachment_content(attachment) == b"\xff\xd8\xffjpeg"
    for peer in vk_peers:
        (got,) = vk.messages(peer)
        assert got.attachments() == [attachment] and got.text == "Новая кофейня открыта"
    stored = await app.services.broadcasts.get(1)
    assert stored is not None and stored.content.cached_ref(Platform.VK) == attachment


async def test_vk_admin_composes_within_keyboard_limits_and_reaches_telegram(
    app: App, tg: Any, vk: Any
) -> None:
    await seed_users(app, Platform.TELEGRAM, [51, 52, 53])
    for chat in (51, 52, 53):
        tg.user(chat)
    await seed_users(app, Platform.VK, [5001, 5002])
    vk.user(5001)
    vk.user(5002)
    async with (
        telegram_running(app, tg) as bot,
        vk_running(app, vk) as handle,
        engine_running(app, bot=bot, vk_client=handle.runtime.client),
    ):
        admin = vk.user(ADMIN_VK, "Админ")
        vk.send_text(admin, "/broadcast")
        prompt = await vk.wait_message(admin.id)
        assert prompt.text.startswith("Новая рассылка")
        mark = vk.mark()
        vk.send_doc(
            admin, title="program.pdf", ext="pdf", content=b"%PDF-1.4 fair", text="Программа"
        )
        asked = await vk.wait_message(admin.id, since=mark)
        audience = await vk_press(vk, admin, asked, t(app, "bc-btn-skip"))
        for screen in (audience,):
            assert len(screen.buttons()) <= 6 and sum(map(len, screen.buttons())) <= 10
        projects = await vk_press(vk, admin, audience, t(app, "bc-btn-project"))
        assert len(projects.buttons()) <= 6
        back = await vk_press(vk, admin, projects, t(app, "bc-btn-back"))
        mark = vk.mark()
        vk.press_button(admin, back, t(app, "bc-btn-preview"))
        control = await vk.wait_message(admin.id, lambda m: m.text.startswith("⬆"), since=mark)
        assert len(control.buttons()) <= 6 and sum(map(len, control.buttons())) <= 10
        (preview,) = [m for m in vk.messages(admin.id) if m.attachments()]
        assert preview.text == "Программа"
        confirm = await vk_press(vk, admin, control, t(app, "bc-btn-send-now"))
        vk.press_button(admin, confirm, t(app, "bc-btn-confirm-now"))
        done = await wait_finished(app, 1)
        await vk.wait_message(admin.id, lambda m: m.text.startswith("✅ Рассылка #1"))

    assert done.counts.sent == 6  # three in Telegram, two in VK, and the admin
    uploads = [c for c in tg.calls_of("sendDocument") if not isinstance(c.params["document"], str)]
    assert len(uploads) == 1  # uploaded to Telegram once; then by file_id
    for chat in (51, 52, 53):
        (got,) = tg.messages(chat)
        assert got.kind == "document" and got.caption == "Программа"
        assert tg.file_content(got.file_id) == b"%PDF-1.4 fair"
    assert vk.uploads == 1  # for the preview; recipients got the cached attachment
    for peer in (5001, 5002):
        (got,) = vk.messages(peer)
        assert got.attachments() == preview.attachments()
    parse_html(HTML, strict_ampersand=True)
