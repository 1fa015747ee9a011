"""The Telegram runtime as a whole: webhook mode, errors, long texts, logs without secrets."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app import App
from bot.logs import RedactingFilter
from bot.telegram.messenger import TelegramMessenger
from bot.telegram.render import render
from bot.telegram.reply import TelegramReply
from bot.telegram.runtime import TelegramRuntime, create_bot
from bot.ui import Button, Screen, act
from tests.conftest import TG_TOKEN
from tests.harness import telegram_running


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_checks_the_secret(app: App, tg: Any) -> None:
    port = free_port()
    settings = app.settings.model_copy(
        update={
            "telegram_api_url": tg.url,
            "webhook_url": "https://bot.example.org/tg/hook",
            "webhook_host": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": SecretStr("s3cret-value"),
        }
    )
    runtime = TelegramRuntime(settings, app.core, app.translator)
    stop = asyncio.Event()
    task = asyncio.create_task(runtime.run(stop))
    try:
        call = await tg.wait_for("setWebhook")
        assert call.params["url"] == "https://bot.example.org/tg/hook"
        assert call.params["secret_token"] == "s3cret-value"
        user = tg.user(401, "Web")
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": user.id, "type": "private"},
                "from": user.to_json(),
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        url = f"http://127.0.0.1:{port}/tg/hook"
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update) as response:
                assert response.status == 401  # no secret header: refused
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-value"}
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 200
        message = await tg.wait_message(user.id)
        assert "Web" in message.text
        assert tg.calls_of("getUpdates") == []
    finally:
        stop.set()
        await task
        await runtime.close()


async def test_a_failing_handler_logs_context_and_apologises(
    app: App, tg: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(user_id: int) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(app.services.checklist, "state", broken)
    async with telegram_running(app, tg):
        user = tg.user(402, "Err")
        tg.send_text(user, "/checklist")
        message = await tg.wait_message(user.id)
        query = tg.press(user, message.message_id, "cl")
        answer = await tg.wait_for("answerCallbackQuery")
    assert message.text == app.translator("ru", "error-generic")
    assert answer.params["callback_query_id"] == query
    assert answer.params["text"] == app.translator("ru", "error-generic")
    assert "tg:402 /checklist" in caplog.text and "database on fire" in caplog.text


def test_long_screens_are_split_within_4096_with_the_keyboard_last() -> None:
    text = "\n".join(f"<b>Строка {i}</b> — &lt;текст&gt;" for i in range(600))
    messages = render(Screen.of(text, [[Button("ok", act("menu"))]]))
    assert len(messages) > 1
    assert all(len(chunk) <= 4096 for chunk, _ in messages)
    assert [markup is not None for _, markup in messages] == [False] * (len(messages) - 1) + [True]


async def test_long_screens_arrive_as_valid_messages(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        tg.user(403, "Long")
        bot = create_bot(TG_TOKEN, tg.url)

        async def never(_: int) -> None:
            raise AssertionError

        reply = TelegramReply(TelegramMessenger(bot, never), 403)
        await reply.send(Screen.of("<i>слово</i> " * 1500, [[Button("ok", act("menu"))]]))
        await bot.session.close()
    messages = tg.messages(403)
    assert len(messages) >= 3 and all(m.parse_mode == "HTML" for m in messages)
    assert messages[-1].button_texts() == ["ok"]


def test_redaction_removes_tokens_and_file_urls() -> None:
    redactor = RedactingFilter([TG_TOKEN, "vk1.a.secret"])
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "GET https://api.telegram.org/file/bot%s/documents/cv.pdf with %s and access_token=%s",
        (TG_TOKEN, "vk1.a.secret", "vk1.a.secret"),
        None,
    )
    redactor.filter(record)
    text = record.getMessage()
    assert TG_TOKEN not in text and "vk1.a.secret" not in text and "cv.pdf" not in text


async def test_messages_use_link_preview_options_not_the_deprecated_field(
    app: App, tg: Any
) -> None:
    async with telegram_running(app, tg):
        user = tg.user(404, "Links")
        tg.send_text(user, "/help")
        await tg.wait_message(user.id)
    sent = tg.calls_of("sendMessage")[-1].params
    assert sent["link_preview_options"] == {"is_disabled": True}
    assert "disable_web_page_preview" not in sent


async def test_unread_answers_are_not_parsed_but_errors_still_raise(tg: Any) -> None:
    from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter

    user = tg.user(405, "Lean")
    bot = create_bot(TG_TOKEN, tg.url)
    try:
        sent = await bot.send_message(user.id, "<b>first</b>")  # a send is parsed as usual
        assert sent.message_id and sent.text == "first"
        edited = await bot.edit_message_text("second", chat_id=user.id, message_id=sent.message_id)
        assert edited is True  # nobody reads it: no Message is built
        assert tg.messages(user.id)[-1].text == "second"
        tg.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
        with pytest.raises(TelegramBadRequest, match="not found"):
            await bot.edit_message_text("third", chat_id=user.id, message_id=sent.message_id)
        tg.fail_next("answerCallbackQuery", 429, retry_after=300)
        with pytest.raises(TelegramRetryAfter):  # beyond the middleware's max wait: raised
            await bot.answer_callback_query("1")
    finally:
        await bot.session.close()


async def test_replies_never_wait_behind_paused_bulk_traffic(app: App, tg: Any) -> None:
    """Bulk traffic is paused for a minute (as after a 429 on a broadcast): the person talking
    to the bot is still answered at once, while a message to anybody else waits."""
    from bot.domain import Platform
    from bot.telegram.broadcast import bot_limiter

    async with telegram_running(app, tg) as bot:
        bulk = bot_limiter(bot)
        assert bulk is not None
        bulk.pause(60)
        user, other = tg.user(406, "Asking"), tg.user(407, "Other")
        tg.send_text(user, "/help")
        answer = await tg.wait_message(user.id)  # within the default 10 s: not behind bulk
        assert answer.text.startswith(app.translator("ru", "help-intro")[:10])
        notice = asyncio.create_task(
            app.core.notifier.send_chat(Platform.TELEGRAM, other.id, Screen.of("notice"), "n1")
        )
        await asyncio.sleep(0.3)
        assert not notice.done() and tg.messages(other.id) == []  # bulk waits its turn
        notice.cancel()


async def test_a_429_on_a_reply_pauses_that_chat_only_and_is_counted(app: App, tg: Any) -> None:
    from bot.telegram.traffic import TrafficMiddleware

    async with telegram_running(app, tg) as bot:
        traffic = next(
            m.traffic for m in bot.session.middleware if isinstance(m, TrafficMiddleware)
        )
        user = tg.user(408, "Flood")
        tg.fail_next("sendMessage", 429, retry_after=1)
        tg.send_text(user, "/help")
        await tg.wait_message(user.id, timeout=15)  # sent again after retry_after
    assert traffic.stats.too_many == {"chat": 1}
    assert [c.ok for c in tg.calls_of("sendMessage")] == [False, True]
