"""Broadcasts in Telegram through the real dispatcher, the delivery engine and the stand-in Bot
API: composing with a preview, admins only (messages and buttons), scheduling, cancelling, and
every fault the Bot API can answer with, each ending in an exact delivery state."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.app import App, open_app
from bot.broadcast.model import Audience, BroadcastStatus, Content, Who
from bot.config import Settings
from bot.domain import Platform
from storage.broadcasts import SqliteBroadcastRepository
from tests.conftest import ADMIN_TG, TG_TOKEN, make_settings
from tests.harness import MovableClock, telegram_running, tg_press
from tests.test_broadcast_kit import (
    admin_id,
    engine_running,
    open_audience,
    seed_users,
    start_broadcast,
    states,
    wait_finished,
)

TEXT = "<b>Открыт набор</b> в кофейни & кондитерскую <script>"
SAFE = "<b>Открыт набор</b> в кофейни &amp; кондитерскую &lt;script&gt;"


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


def copies(tg: Any, chat_id: int, text: str) -> list[Any]:
    return [m for m in tg.messages(chat_id) if m.text == text]


async def broadcasts_in_db(app: App) -> int:
    async with app.db.read() as conn, conn.execute("SELECT COUNT(*) FROM broadcasts") as cursor:
        row = await cursor.fetchone()
    return int(row[0])


async def test_admin_composes_previews_tests_and_sends(app: App, tg: Any) -> None:
    await seed_users(app, Platform.TELEGRAM, [11, 12, 13])
    await seed_users(app, Platform.TELEGRAM, [14], role="employee")
    await seed_users(app, Platform.TELEGRAM, [15], blocked=True)
    for user_id in (11, 12, 13, 14, 15):
        tg.user(user_id, f"U{user_id}")
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot):
        admin = tg.user(ADMIN_TG, "Ольга")
        tg.send_text(admin, "/broadcast")
        prompt = await tg.wait_message(admin.id)
        assert prompt.text == t(app, "bc-compose-prompt")

        mark = tg.mark()
        tg.send_sticker(admin)  # not something to broadcast
        refused = await tg.wait_message(admin.id, since=mark)
        assert refused.text.startswith(t(app, "bc-problem-unsupported"))

        mark = tg.mark()
        tg.send_text(admin, TEXT)
        asked = await tg.wait_message(admin.id, since=mark)
        assert asked.text.startswith(t(app, "bc-buttons-prompt", max=6).split("\n")[0])

        mark = tg.mark()
        tg.send_text(admin, "Вакансии - ftp://example.com")
        bad = await tg.wait_message(admin.id, since=mark)
        assert bad.text.startswith(t(app, "bc-buttons-url", line=1))

        mark = tg.mark()
        tg.send_text(admin, "Вакансии - https://example.com/jobs\nНаш VK - https://vk.com/club1")
        audience = await tg.wait_message(admin.id, since=mark)
        assert t(app, "bc-audience-size", count=5) in audience.text  # 3 + employee + admin
        assert "✓ " + t(app, "bc-btn-all") in audience.button_texts()

        candidates = await tg_press(tg, admin, audience, t(app, "bc-btn-candidates"))
        assert candidates.message_id == audience.message_id
        assert t(app, "bc-audience-size", count=3) in candidates.text
        english = await tg_press(tg, admin, candidates, t(app, "bc-btn-locale", language="любой"))
        assert t(app, "bc-audience-size", count=0) in english.text
        russian = await tg_press(tg, admin, english, t(app, "bc-btn-locale", language="английский"))
        any_language = await tg_press(
            tg, admin, russian, t(app, "bc-btn-locale", language="русский")
        )
        assert t(app, "bc-audience-size", count=3) in any_language.text

        # the preview is the message exactly as recipients get it, then the controls
        mark = tg.mark()
        tg.press_button(admin, any_language, t(app, "bc-btn-preview"))
        control = await tg.wait_message(
            admin.id, lambda m: m.text.startswith(t(app, "bc-preview-above")), since=mark
        )
        assert t(app, "bc-preview-summary", id=1, audience="кандидаты", count=3) in control.text
        (preview,) = copies(tg, admin.id, SAFE)
        assert preview.message_id == control.message_id - 1
        assert preview.buttons() == [
            [{"text": "Вакансии", "url": "https://example.com/jobs"}],
            [{"text": "Наш VK", "url": "https://vk.com/club1"}],
        ]

        query = tg.press_button(admin, control, t(app, "bc-btn-test"))
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query
        )
        assert answer.params["text"] == t(app, "bc-test-sent")
        assert len(copies(tg, admin.id, SAFE)) == 2
        assert await app.services.broadcasts.get(1) is not None  # still a draft: nothing sent
        assert all(not tg.messages(user_id) for user_id in (11, 12, 13, 14))

        confirm = await tg_press(tg, admin, control, t(app, "bc-btn-send-now"))
        assert confirm.text == t(app, "bc-confirm-now", id=1, count=3, audience="кандидаты")
        tg.press_button(admin, confirm, t(app, "bc-btn-confirm-now"))
        started = await tg.wait_message(
            admin.id, lambda m: m.text == t(app, "bc-started", id=1, count=3)
        )
        assert started.message_id == confirm.message_id  # the confirmation, edited in place

        done = await wait_finished(app, 1)
        report = await tg.wait_message(admin.id, lambda m: m.text.startswith("✅ Рассылка #1"))
        assert t(app, "bc-count-sent", count=3) in report.text

    assert done.status is BroadcastStatus.DONE
    assert (done.counts.total, done.counts.sent) == (3, 3)
    for user_id in (11, 12, 13):
        (got,) = tg.messages(user_id)
        assert got.text == SAFE and got.buttons() == preview.buttons()
    assert not tg.messages(14) and not tg.messages(15)  # an employee; blocked the bot
    # the progress message was edited in place and ends with the counts, without a cancel button
    status = next(m for m in tg.messages(admin.id) if m.text.startswith("📣"))
    assert status.edits >= 1
    assert t(app, "bc-count-sent", count=3) in status.text
    assert t(app, "bc-btn-cancel-broadcast") not in status.button_texts()


async def test_only_admins_may_broadcast_by_message_or_button(app: App, tg: Any) -> None:
    recipient_ids = await seed_users(app, Platform.TELEGRAM, [21, 22])
    tg.user(21)
    tg.user(22)
    author = await admin_id(app)
    service = app.services.broadcasts
    scheduled = await service.create_draft(author, Content("scheduled"))
    assert await service.schedule(scheduled, service.now() + timedelta(days=30))
    draft = await service.create_draft(author, Content("draft"))
    before = await broadcasts_in_db(app)
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot):
        mallory = tg.user(666, "Mallory")
        tg.send_text(mallory, "/broadcast")
        refused = await tg.wait_message(mallory.id)
        assert refused.text.startswith(t(app, "forbidden"))
        mark = tg.mark()
        tg.send_text(mallory, "Всем привет")
        await tg.wait_message(mallory.id, since=mark)
        mark = tg.mark()
        tg.send_text(mallory, "/broadcasts")
        listing = await tg.wait_message(mallory.id, since=mark)
        assert listing.text.startswith(t(app, "forbidden"))

        # forged buttons: every one answered "forbidden", nothing changes
        for data in (
            f"bc.go:{draft.id}",
            f"bc.xy:{scheduled.id}",
            f"bc.x:{scheduled.id}",
            f"bc.r:{scheduled.id}",
            f"bc.test:{scheduled.id}",
            f"bc.aw:{draft.id}:c",
            "bc.new",
            "bc.list:0",
        ):
            query = tg.press(mallory, 1, data)
            answer = await tg.wait_for(
                "answerCallbackQuery", lambda c, q=query: c.params["callback_query_id"] == q
            )
            assert answer.params.get("text") == t(app, "forbidden"), data

        # someone whose admin role ended in the middle of composing
        (user_db_id,) = await seed_users(app, Platform.TELEGRAM, [667])
        former = tg.user(667, "Former")
        await app.services.dialogs.set(user_db_id, "bc.compose")
        mark = tg.mark()
        tg.send_text(former, "Рассылка от бывшего админа")
        reply = await tg.wait_message(former.id, since=mark)
        assert reply.text.startswith(t(app, "forbidden"))
        assert await app.services.dialogs.get(user_db_id) is None

        # an admin's out-of-date or forged ids get "out of date", not an error
        admin = tg.user(ADMIN_TG, "Ольга")
        query = tg.press(admin, 1, "bc.xy:99999")
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query
        )
        assert answer.params.get("text") == t(app, "stale-button")

    assert await broadcasts_in_db(app) == before
    still = await service.get(scheduled.id)
    assert still is not None and still.status is BroadcastStatus.SCHEDULED
    kept = await service.get(draft.id)
    assert kept is not None and kept.status is BroadcastStatus.DRAFT
    assert kept.audience == Audience()
    assert not tg.messages(21) and not tg.messages(22) and recipient_ids


async def test_schedule_in_moscow_time_then_it_goes_out_when_due(
    settings: Settings, tg: Any
) -> None:
    clock = MovableClock()  # 23.11.2026 09:00 UTC = 12:00 in Moscow
    async with open_app(settings, clock=clock) as app:
        await seed_users(app, Platform.TELEGRAM, [31, 32])
        tg.user(31)
        tg.user(32)
        async with telegram_running(app, tg) as bot, engine_running(app, bot=bot, clock=clock):
            admin = tg.user(ADMIN_TG, "Ольга")
            tg.send_text(admin, "/broadcast")
            await tg.wait_message(admin.id)
            mark = tg.mark()
            tg.send_text(admin, "Встреча с командой в пятницу")
            asked = await tg.wait_message(admin.id, since=mark)
            audience = await tg_press(tg, admin, asked, t(app, "bc-btn-skip"))
            mark = tg.mark()
            tg.press_button(admin, audience, t(app, "bc-btn-preview"))
            control = await tg.wait_message(
                admin.id, lambda m: m.text.startswith(t(app, "bc-preview-above")), since=mark
            )
            when = await tg_press(tg, admin, control, t(app, "bc-btn-schedule"))
            assert when.text == t(app, "bc-when-prompt", example="24.11.2026 10:00")

            mark = tg.mark()
            tg.send_text(admin, "23.11.2026 11:00")  # an hour ago in Moscow
            past = await tg.wait_message(admin.id, since=mark)
            assert past.text.startswith(t(app, "bc-when-past"))
            mark = tg.mark()
            tg.send_text(admin, "завтра утром")
            unclear = await tg.wait_message(admin.id, since=mark)
            assert unclear.text.startswith(
                t(app, "bc-when-format", example="24.11.2026 10:00").split(".")[0]
            )
            mark = tg.mark()
            tg.send_text(admin, "23.11.2026 15:30")
            confirm = await tg.wait_message(admin.id, since=mark)
            assert "23.11.2026 15:30" in confirm.text
            assert t(app, "bc-btn-confirm-schedule") in confirm.button_texts()
            done = await tg_press(tg, admin, confirm, t(app, "bc-btn-confirm-schedule"))
            assert done.text.startswith("🕒 Рассылка #1 запланирована на 23.11.2026 15:30")

            scheduled = await app.services.broadcasts.get(1)
            assert scheduled is not None and scheduled.status is BroadcastStatus.SCHEDULED
            assert scheduled.scheduled_at == clock.now.replace(hour=12, minute=30)
            mark = tg.mark()
            tg.send_text(admin, "/broadcasts")
            listing = await tg.wait_message(admin.id, since=mark)
            assert "#1 · 🕒 запланирована" in listing.text
            await asyncio.sleep(0.3)  # the engine looks several times: not due yet
            assert not tg.messages(31)

            clock.now = clock.now.replace(hour=12, minute=30)
            finished = await wait_finished(app, 1)
    assert finished.status is BroadcastStatus.DONE and finished.counts.sent == 3  # admin too
    assert [m.text for m in tg.messages(31)] == ["Встреча с командой в пятницу"]
    assert [m.text for m in tg.messages(32)] == ["Встреча с командой в пятницу"]


async def test_cancel_a_running_and_a_scheduled_broadcast(app: App, tg: Any) -> None:
    await seed_users(app, Platform.TELEGRAM, range(41, 61))
    for user_id in range(41, 61):
        tg.user(user_id)
    tg.user(ADMIN_TG, "Ольга")
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot, rate=10):
        admin = tg.users[ADMIN_TG]
        running = await start_broadcast(
            app, Content("Медленная рассылка"), Audience(Who.CANDIDATES)
        )
        status = await tg.wait_message(admin.id, lambda m: m.text.startswith("📣"))
        await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] in range(41, 61), count=3)
        mark = tg.mark()
        tg.press_button(admin, status, t(app, "bc-btn-cancel-broadcast"))
        confirm = await tg.wait_message(
            admin.id, lambda m: m.text == t(app, "bc-cancel-confirm", id=running.id), since=mark
        )
        mark = tg.mark()
        query = tg.press_button(admin, confirm, t(app, "bc-btn-cancel-yes"))
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query
        )
        assert answer.params["text"] == t(app, "bc-cancelled", id=running.id)
        cancelled = await wait_finished(app, running.id)
        # the report drawn right after "Cancel" has the final counts, not lagging ones
        drawn = await tg.wait_message(
            admin.id,
            lambda m: (
                m.message_id == confirm.message_id
                and m.text.startswith(t(app, "bc-report-title", id=running.id, status="✖ отменена"))
            ),
        )
        assert t(app, "bc-count-sent", count=cancelled.counts.sent) in drawn.text
        report = await tg.wait_message(admin.id, lambda m: m.text.startswith("✖ Рассылка"))
        sent_then = len(tg.calls_of("sendMessage", ok=True))
        await asyncio.sleep(0.5)
        assert len(tg.calls_of("sendMessage", ok=True)) == sent_then  # nothing more goes out

        # a scheduled one, cancelled from its card in /broadcasts
        service = app.services.broadcasts
        later = await service.create_draft(running.author_id, Content("Позже"))
        assert await service.schedule(later, service.now() + timedelta(days=30))
        mark = tg.mark()
        tg.send_text(admin, "/broadcasts")
        listing = await tg.wait_message(admin.id, since=mark)
        card = await tg_press(tg, admin, listing, f"#{later.id} · 🕒 запланирована")
        assert card.text.startswith(
            t(app, "bc-report-title", id=later.id, status="🕒 запланирована")
        )
        mark = tg.mark()
        tg.press_button(admin, card, t(app, "bc-btn-cancel-broadcast"))
        confirm = await tg.wait_message(admin.id, since=mark)
        after = await tg_press(tg, admin, confirm, t(app, "bc-btn-cancel-yes"))
        assert after.text.startswith(t(app, "bc-report-title", id=later.id, status="✖ отменена"))
        assert t(app, "bc-btn-cancel-broadcast") not in after.button_texts()

    assert cancelled.status is BroadcastStatus.CANCELLED
    assert 3 <= cancelled.counts.sent < 20 and cancelled.counts.pending > 0
    assert t(app, "bc-count-pending", count=cancelled.counts.pending) in report.text
    received = sum(len(tg.messages(user_id)) for user_id in range(41, 61))
    assert received == cancelled.counts.sent
    gone = await service.get(later.id)
    assert gone is not None and gone.status is BroadcastStatus.CANCELLED and gone.finished_at


async def _one_recipient(app: App, tg: Any, chat_id: int, tag: str, *, known: bool = True) -> int:
    """A broadcast to one person, by an admin in VK (so no Telegram status message goes out
    and every injected fault hits the delivery)."""
    await seed_users(app, Platform.TELEGRAM, [chat_id], tags=[tag])
    if known:
        tg.user(chat_id)
    author = await admin_id(app, Platform.VK, 9000)
    broadcast = await start_broadcast(
        app, Content(f"Сообщение {tag}"), Audience(Who.TAG, tag), author=author
    )
    await wait_finished(app, broadcast.id)
    return broadcast.id


async def test_bot_api_faults_end_in_exact_states(app: App, tg: Any) -> None:
    tg.user(ADMIN_TG, "Ольга")
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot, timeout=0.5):
        # 403: the recipient blocked the bot -> blocked, and so marked for later broadcasts
        tg.user(51)
        tg.block(51)
        blocked = await _one_recipient(app, tg, 51, "f403")
        # 400 chat not found -> failed at once
        missing = await _one_recipient(app, tg, 52, "f400", known=False)
        # 500 twice, then fine -> sent on the third attempt
        tg.fail_next("sendMessage", 500, times=2)
        flaky = await _one_recipient(app, tg, 53, "f500")
        # 500 every time -> failed once the retries are spent
        tg.fail_next("sendMessage", 500, times=4)
        down = await _one_recipient(app, tg, 54, "f500x")
        # the connection drops before the request is handled -> retried, one copy
        tg.drop_next("sendMessage")
        dropped = await _one_recipient(app, tg, 55, "fdrop")
        # the request is handled but the answer comes too late -> unknown, never resent
        tg.delay_next("sendMessage", 1.5)
        late = await _one_recipient(app, tg, 56, "flate")
        await asyncio.sleep(0.4)  # longer than every retry delay

    assert (await states(app, blocked))[51] == (
        "blocked",
        1,
        "Forbidden: bot was blocked by the user",
    )
    user = await app.services.users.find(Platform.TELEGRAM, 51)
    assert user is not None and user.is_blocked
    assert (await states(app, missing))[52] == ("failed", 1, "Bad Request: chat not found")
    assert (await states(app, flaky))[53] == ("sent", 3, "")
    assert (await states(app, down))[54] == ("failed", 4, "Internal Server Error")
    assert (await states(app, dropped))[55][:2] == ("sent", 2)
    assert (await states(app, late))[56] == ("unknown", 1, "timeout")
    assert len(tg.messages(53)) == 1 and not tg.messages(54)
    assert len(tg.messages(55)) == 1
    assert len(tg.messages(56)) == 1  # it was delivered, and not sent again
    assert len([c for c in tg.calls_of("sendMessage") if c.params["chat_id"] == 56]) == 1
    final = await app.services.broadcasts.get(late)
    assert final is not None and (final.counts.unknown, final.status) == (1, BroadcastStatus.DONE)


async def test_429_pauses_all_sending_for_retry_after(app: App, tg: Any) -> None:
    await seed_users(app, Platform.TELEGRAM, range(61, 81))
    for user_id in range(61, 81):
        tg.user(user_id)
    tg.user(ADMIN_TG, "Ольга")
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot, rate=100):
        first = tg.mark()
        tg.fail_next("sendMessage", 429, retry_after=1)
        broadcast = await start_broadcast(app, Content("Флуд-контроль"), Audience(Who.CANDIDATES))
        done = await wait_finished(app, broadcast.id)
    assert done.counts.sent == 20
    flood = next(c for c in tg.calls[first:] if c.error_code == 429)
    during = [
        c
        for c in tg.calls_of("*", since=first)
        if c.method in ("sendMessage", "editMessageText")
        and flood.time + 0.05 < c.time < flood.time + 0.95
    ]
    assert during == []  # every message waited out retry_after, broadcast and others alike
    assert all(len(tg.messages(user_id)) == 1 for user_id in range(61, 81))
    recorded = await states(app, broadcast.id)
    assert {state for state, _, _ in recorded.values()} == {"sent"}
    assert all(attempts == 1 for _, attempts, _ in recorded.values())  # 429 spends no attempt


async def test_blocked_users_are_skipped_at_selection(app: App, tg: Any) -> None:
    await seed_users(app, Platform.TELEGRAM, [71, 72])
    await seed_users(app, Platform.TELEGRAM, [73], blocked=True)
    for user_id in (71, 72, 73):
        tg.user(user_id)
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot):
        broadcast = await start_broadcast(app, Content("Привет"), Audience(Who.CANDIDATES))
        done = await wait_finished(app, broadcast.id)
    assert done.counts.total == 2 and set(await states(app, broadcast.id)) == {71, 72}
    assert not tg.messages(73)
    repo = SqliteBroadcastRepository(app.db)
    assert await repo.top_errors(broadcast.id, 3) == []


async def test_a_429_that_reaches_the_engine_waits_and_spends_no_attempt(app: App, tg: Any) -> None:
    # a bot without the request middleware that normally absorbs 429s: the port sees it
    bare = Bot(TG_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.url)))
    tg.user(81)
    try:
        async with engine_running(app, bot=bare):
            tg.fail_next("sendMessage", 429, retry_after=1)
            author = await admin_id(app, Platform.VK, 9000)
            await seed_users(app, Platform.TELEGRAM, [81])
            broadcast = await start_broadcast(app, Content("Ждём"), author=author)
            await wait_finished(app, broadcast.id)
    finally:
        await bare.session.close()
    flood, sent = tg.calls_of("sendMessage")
    assert flood.error_code == 429 and sent.ok
    assert sent.time - flood.time >= 0.95
    assert (await states(app, broadcast.id))[81] == ("sent", 1, "")


async def test_sending_keeps_to_broadcast_rate(app: App, tg: Any) -> None:
    await seed_users(app, Platform.TELEGRAM, range(91, 111))
    for user_id in range(91, 111):
        tg.user(user_id)
    author = await admin_id(app, Platform.VK, 9000)
    async with telegram_running(app, tg) as bot, engine_running(app, bot=bot, rate=25):
        broadcast = await start_broadcast(
            app, Content("Ровно"), Audience(Who.CANDIDATES), author=author
        )
        await wait_finished(app, broadcast.id)
    times = sorted(c.time for c in tg.calls_of("sendMessage", ok=True))
    assert len(times) == 20
    span = times[-1] - times[0]
    assert 19 / 25 * 0.95 <= span <= 19 / 25 * 1.5


async def test_a_telegram_only_bot_names_only_telegram_on_the_audience_screen(
    tmp_path: Path, tg: Any
) -> None:
    settings = make_settings(tmp_path, vk_token=None, vk_group_id=None)
    async with open_app(settings) as app, telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        audience = await open_audience(tg, admin, TEXT, t(app, "bc-btn-skip"))
    assert t(app, "bc-audience-platform", platform="Telegram") in audience.text
    assert "VK" not in audience.text
    assert not any("Telegram" in label for label in audience.button_texts())  # no choice
