"""Self-tests of the fake Telegram / VK servers, driven by the real client libraries."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import requests
import vk_api
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
)
from jconfig.memory import MemoryConfig
from vk_api.bot_longpoll import VkBotEventType, VkBotLongPoll
from vk_api.exceptions import ApiError
from vk_api.keyboard import VkKeyboard
from vk_api.upload import VkUpload

from tests.fakes.html_check import check_html, parse_html
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK

TOKEN = "123:ABC"
VK_TOKEN = "vk-test-token"
VK_PREFIX = "https://api.vk.ru/method/"


class _FastSession(AiohttpSession):
    """AiohttpSession without the 250 ms TLS-shutdown pause on close (plain HTTP here)."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


@pytest_asyncio.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    yield fake
    await fake.stop()


def _bot(tg: FakeTelegram, token: str = TOKEN) -> Bot:
    return Bot(token, session=_FastSession(api=TelegramAPIServer.from_base(tg.url)))


@pytest_asyncio.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    b = _bot(tg)
    yield b
    await b.session.close()


def _kb(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t, callback_data=d) for t, d in row] for row in rows
        ]
    )


# ====================================================================== Telegram


@pytest.mark.asyncio
async def test_tg_get_me_and_token_check(tg: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (123, True, "hr_test_bot", "HR Bot")
    assert me.supports_inline_queries is True
    wrong = _bot(tg, "999:WRONG")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await wrong.get_me()
    finally:
        await wrong.session.close()
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{tg.url}/bot{TOKEN}/noSuchMethod", data={"a": "1"}) as resp,
    ):
        assert resp.status == 404
        assert await resp.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
    # no Bot API method has that name: the request broke the specification on purpose
    assert [(v.method, v.kind) for v in tg.take_spec_violations()] == [
        ("noSuchMethod", "unknown_method")
    ]


@pytest.mark.asyncio
async def test_tg_send_edit_press_answer(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.user(1001, "Ann", username="ann")
    sent = await bot.send_message(
        user.id,
        "<b>Hello</b>, Ann &amp; co",
        parse_mode="HTML",
        reply_markup=_kb([("Vacancies", "menu:vac"), ("About", "menu:about")]),
    )
    assert sent.text == "Hello, Ann & co"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert sent.reply_markup is not None
    stored = tg.last(user.id)
    assert stored.message_id == sent.message_id
    assert stored.text == "<b>Hello</b>, Ann &amp; co"
    assert stored.parse_mode == "HTML"
    assert stored.button_texts() == ["Vacancies", "About"]
    assert stored.callback_data("About") == "menu:about"
    call = await tg.wait_for("sendMessage")
    assert call.params["chat_id"] == user.id
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "menu:vac"

    mark = tg.mark()
    query_id = tg.press_button(user, stored, "Vacancies")
    updates = await bot.get_updates(timeout=0)
    cq = updates[-1].callback_query
    assert cq is not None and cq.id == query_id and cq.data == "menu:vac"
    assert cq.message is not None and cq.message.message_id == sent.message_id

    await bot.edit_message_text(
        text="Pick one",
        chat_id=user.id,
        message_id=sent.message_id,
        reply_markup=_kb([("Back", "menu:back")]),
    )
    edited = await tg.wait_message(user.id, since=mark)
    assert (edited.text, edited.edits, edited.button_texts()) == ("Pick one", 1, ["Back"])
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="Pick one",
            chat_id=user.id,
            message_id=sent.message_id,
            reply_markup=_kb([("Back", "menu:back")]),
        )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="x", chat_id=user.id, message_id=999)

    assert await bot.answer_callback_query(query_id, text="Done")
    assert tg.callback_answers[query_id]["text"] == "Done"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("12345")
    assert [c.ok for c in tg.calls_of("answerCallbackQuery")] == [True, False, False]

    # editing without reply_markup removes the inline keyboard, like Telegram
    await bot.edit_message_text(text="Bye", chat_id=user.id, message_id=sent.message_id)
    assert tg.last(user.id).buttons() == []
    assert tg.last(user.id).history == ["<b>Hello</b>, Ann &amp; co", "Pick one", "Bye"]
    assert await bot.delete_message(user.id, sent.message_id)
    assert tg.messages(user.id) == []


@pytest.mark.asyncio
async def test_tg_get_updates_offset_and_long_poll(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.user(1002, "Bob", last_name="B", language_code="en")
    update_id = tg.send_text(user, "/start ref42")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [update_id]
    msg = updates[0].message
    assert msg is not None and msg.text == "/start ref42"
    assert msg.entities is not None and msg.entities[0].type == "bot_command"
    assert msg.entities[0].length == len("/start")
    assert msg.from_user is not None and msg.from_user.language_code == "en"
    # not confirmed yet -> delivered again; confirming with offset removes it
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [update_id]
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == []
    assert tg.pending_updates == []

    # a long poll returns as soon as an update is queued
    poll = asyncio.create_task(bot.get_updates(offset=update_id + 1, timeout=30))
    await tg.wait_polling()
    second = tg.send_sticker(user)
    got = await asyncio.wait_for(poll, 5)
    assert [u.update_id for u in got] == [second]
    assert got[0].message is not None and got[0].message.sticker is not None
    await tg.wait_delivered(second)

    # allowed_updates filters (and drops) other update types
    tg.inline_query(user, "python")
    third = tg.send_text(user, "hello")
    got = await bot.get_updates(offset=second + 1, timeout=0, allowed_updates=["message"])
    assert [u.update_id for u in got] == [third]
    assert "inline_query" in tg.dropped_updates[-1]


@pytest.mark.asyncio
async def test_tg_retry_after_and_fault_injection(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.user(1003, "Cat")
    tg.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as exc_info:
        await bot.send_message(user.id, "first")
    assert exc_info.value.retry_after == 7
    await bot.send_message(user.id, "second")
    calls = tg.calls_of("sendMessage")
    assert [(c.failed, c.error_code) for c in calls] == [(True, 429), (False, None)]
    assert [m.text for m in tg.messages(user.id)] == ["second"]
    ok_call = await tg.wait_for("sendMessage", ok=True)
    assert ok_call.params["text"] == "second"

    tg.fail_next("sendMessage", 500)
    with pytest.raises(Exception, match="Internal Server Error"):
        await bot.send_message(user.id, "x")

    tg.drop_next("sendMessage")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user.id, "dropped")
    assert tg.calls[-1].dropped and tg.calls[-1].failed
    assert [m.text for m in tg.messages(user.id)] == ["second"]

    tg.drop_next("sendMessage", after_effect=True)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user.id, "delivered but answer lost")
    assert tg.calls[-1].dropped and tg.calls[-1].ok
    assert tg.last(user.id).text == "delivered but answer lost"

    # delayed answer: the effect is visible before the client gets the response
    tg.delay_next("sendMessage", 0.3)
    mark = tg.mark()
    task = asyncio.create_task(bot.send_message(user.id, "slow"))
    stored = await tg.wait_message(user.id, lambda m: m.text == "slow", since=mark)
    assert not task.done()
    assert (await task).message_id == stored.message_id

    tg.rate_limit(2)
    await bot.send_message(user.id, "r1")
    await bot.send_message(user.id, "r2")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(user.id, "r3")
    assert tg.too_many_requests == 1
    tg.rate_limit(None)


@pytest.mark.asyncio
async def test_tg_validation_errors(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.user(1004, "Dan")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(user.id, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(user.id, "Tom & Jerry", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(user.id, "<script>x</script>", parse_mode="HTML")
    await bot.send_message(user.id, "Tom & Jerry <3")  # no parse_mode: anything goes

    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "kb", reply_markup=_kb([("x", "a" * 65)]))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "kb", reply_markup=_kb([("x", "я" * 33)]))  # 66 bytes
    await bot.send_message(user.id, "kb", reply_markup=_kb([("x", "a" * 64)]))
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(
            user.id,
            "kb",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="t")]]),
        )

    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(user.id, "")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user.id, "x" * 4097)
    await bot.send_message(user.id, "<i>" + "x" * 4096 + "</i>", parse_mode="HTML")
    doc = BufferedInputFile(b"data", filename="a.txt")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(user.id, doc, caption="c" * 1025)
    # the limits above are the specification's: those requests are recorded as violations
    assert [(v.method, v.field, v.kind) for v in tg.take_spec_violations()] == [
        ("sendMessage", "reply_markup.inline_keyboard[0][0].callback_data", "limit"),
        ("sendMessage", "reply_markup.inline_keyboard[0][0].callback_data", "limit"),
        ("sendMessage", "reply_markup.inline_keyboard[0][0]", "rule"),
        ("sendMessage", "text", "missing"),  # aiogram leaves an empty text out
        ("sendMessage", "text", "limit"),
        ("sendDocument", "caption", "limit"),
    ]

    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "hi")
    tg.block(user)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(user.id, "hi")
    tg.unblock(user)
    await bot.send_message(user.id, "welcome back")


@pytest.mark.asyncio
async def test_tg_files_commands_inline(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.user(1005, "Eve")
    tg.send_document(user, "cv.pdf", "application/pdf", None, b"%PDF-1.4 my cv")
    [update] = await bot.get_updates(timeout=0)
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "cv.pdf",
        "application/pdf",
        14,
    )
    file = await bot.get_file(document.file_id)
    assert file.file_path is not None
    buffer = io.BytesIO()
    await bot.download_file(file.file_path, buffer)
    assert buffer.getvalue() == b"%PDF-1.4 my cv"

    tg.send_document(user, "huge.zip", "application/zip", 30 * 1024 * 1024)
    [update] = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert update.message is not None and update.message.document is not None
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file(update.message.document.file_id)

    sent = await bot.send_document(
        user.id,
        BufferedInputFile(b"a,b\n1,2\n", filename="export.csv"),
        caption="<b>CSV</b>",
        parse_mode="HTML",
    )
    assert sent.document is not None and sent.caption == "CSV"
    stored = tg.last(user.id)
    assert stored.kind == "document" and stored.caption == "<b>CSV</b>"
    assert stored.upload is not None and stored.upload.content == b"a,b\n1,2\n"
    assert stored.document is not None and stored.document["file_name"] == "export.csv"
    again = await bot.send_document(user.id, sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(user.id, "no-such-file-id")
    photo = await bot.send_photo(user.id, BufferedInputFile(b"\xff\xd8jpg", filename="p.jpg"))
    assert photo.photo
    copy = await bot.copy_message(user.id, user.id, sent.message_id)
    assert tg.last(user.id).message_id == copy.message_id
    assert tg.last(user.id).copied_from == (user.id, sent.message_id)
    assert await bot.send_chat_action(user.id, "typing")

    assert await bot.set_my_commands([BotCommand(command="start", description="Start")])
    assert await bot.set_my_commands(
        [BotCommand(command="start", description="Начать")], language_code="ru"
    )
    assert tg.my_commands[""] == [{"command": "start", "description": "Start"}]
    assert tg.my_commands["ru"][0]["description"] == "Начать"
    assert [c.command for c in await bot.get_my_commands(language_code="ru")] == ["start"]
    admin_scope = BotCommandScopeChat(chat_id=user.id)
    assert await bot.set_my_commands([BotCommand(command="stats", description="S")], admin_scope)
    assert tg.my_commands_by_scope[(f"chat:{user.id}", "")][0]["command"] == "stats"
    assert tg.my_commands[""][0]["command"] == "start"
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.set_my_commands(
            [BotCommand(command="x", description="x")], BotCommandScopeChat(chat_id=777)
        )
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])

    query_id = tg.inline_query(user, "python")
    [update] = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert update.inline_query is not None and update.inline_query.query == "python"
    result = InlineQueryResultArticle(
        id="v1",
        title="Python dev",
        input_message_content=InputTextMessageContent(message_text="<b>Python</b>"),
    )
    assert await bot.answer_inline_query(query_id, [result], cache_time=1)
    assert tg.inline_answers[query_id]["results"][0]["id"] == "v1"


@pytest.mark.asyncio
async def test_tg_wait_for_timeout_is_readable(tg: FakeTelegram, bot: Bot) -> None:
    user = tg.user(1006, "Fay")
    await bot.send_message(user.id, "hello there")
    since = tg.mark()
    with pytest.raises(AssertionError) as exc_info:
        await tg.wait_for("sendMessage", since=since, timeout=0.05)
    text = str(exc_info.value)
    assert "sendMessage" in text and "hello there" in text
    with pytest.raises(AssertionError, match="hello there"):
        await tg.wait_message(user.id, since=since, timeout=0.05)
    first = await tg.wait_for("sendMessage", lambda c: c.params["text"].startswith("hello"))
    assert first.ok


def test_html_parser_offsets() -> None:
    plain, entities = parse_html('😀 <a href="https://e.x/?a=1&amp;b=2">link</a>')
    assert plain == "😀 link"
    assert entities == [
        {"type": "text_link", "offset": 3, "length": 4, "url": "https://e.x/?a=1&b=2"}
    ]
    assert check_html("<b><i>x</b></i>") is not None
    assert check_html("<pre><code class='language-py'>x</code></pre>") is None
    assert check_html("a &#60; b &lt; c") is None


# ====================================================================== VK


@pytest_asyncio.fixture
async def vk() -> AsyncIterator[FakeVK]:
    fake = FakeVK(token=VK_TOKEN, group_id=1)
    await fake.start()
    yield fake
    await fake.stop()


def _redirect_session(base: str) -> requests.Session:
    class S(requests.Session):
        def request(self, method: str | bytes, url: str | bytes, *a: Any, **kw: Any) -> Any:
            url = str(url).replace(VK_PREFIX, base)
            return super().request(method, url, *a, **kw)

    return S()


@pytest.fixture
def vk_session(vk: FakeVK) -> vk_api.VkApiGroup:
    return _group(vk, VK_TOKEN)


def _group(vk: FakeVK, token: str) -> vk_api.VkApiGroup:
    return vk_api.VkApiGroup(
        token=token,
        api_version="5.199",
        session=_redirect_session(f"{vk.url}/method/"),
        config=MemoryConfig,
    )


async def _call(session: vk_api.VkApiGroup, method: str, **values: Any) -> Any:
    return await asyncio.to_thread(session.method, method, values)


def _keyboard(rows: int, per_row: int, *, inline: bool = True, **action: Any) -> str:
    def button(r: int, c: int) -> dict[str, Any]:
        act = {"type": "callback", "label": f"b{r}{c}", "payload": json.dumps({"b": r * 10 + c})}
        act.update(action)
        return {"action": act, "color": "primary"}

    keyboard: dict[str, Any] = {
        "inline": inline,
        "buttons": [[button(r, c) for c in range(per_row)] for r in range(rows)],
    }
    if not inline:
        keyboard["one_time"] = False  # required by the schema for a keyboard that is not inline
    return json.dumps(keyboard)


@pytest.mark.asyncio
async def test_vk_send_dedup_edit(vk: FakeVK, vk_session: vk_api.VkApiGroup) -> None:
    user = vk.user(501, "Ivan", "Petrov", lang_id=0)
    kb = VkKeyboard(inline=True)
    kb.add_callback_button("Вакансии", payload={"cmd": "vacancies"})
    kb.add_button("Помощь", payload={"cmd": "help"})
    mid = await _call(
        vk_session,
        "messages.send",
        peer_id=user.id,
        message="Привет!",
        random_id=42,
        keyboard=kb.get_keyboard(),
    )
    assert isinstance(mid, int)
    again = await _call(
        vk_session, "messages.send", peer_id=user.id, message="Привет!", random_id=42
    )
    assert again == mid
    assert vk.dedup_hits == 1
    assert len(vk.messages(user.id)) == 1
    msg = vk.last(user.id)
    assert (msg.id, msg.text, msg.random_id, msg.inline) == (mid, "Привет!", 42, True)
    assert msg.button_labels() == ["Вакансии", "Помощь"]
    assert msg.payload("Вакансии") == {"cmd": "vacancies"}
    call = await vk.wait_for("messages.send")
    assert call.params["peer_id"] == user.id
    assert call.params["keyboard"]["inline"] is True

    other = vk.user(502, "Olga")
    vk.block(other)
    res = await _call(
        vk_session, "messages.send", peer_ids=f"{user.id},{other.id}", message="All", random_id=7
    )
    assert res[0]["peer_id"] == user.id and "message_id" in res[0]
    assert res[1] == {
        "peer_id": other.id,
        "error": {"code": 901, "description": "Can't send messages for users without permission"},
    }

    mark = vk.mark()
    assert (
        await _call(
            vk_session,
            "messages.edit",
            peer_id=user.id,
            conversation_message_id=msg.conversation_message_id,
            message="Изменено",
        )
        == 1
    )
    edited = await vk.wait_message(user.id, since=mark)
    assert (edited.text, edited.edits, edited.keyboard) == ("Изменено", 1, None)
    with pytest.raises(ApiError) as exc_info:
        await _call(
            vk_session, "messages.edit", peer_id=user.id, conversation_message_id=999, message="x"
        )
    assert exc_info.value.code == 100

    users = await _call(vk_session, "users.get", user_ids=f"{user.id},999")
    assert users == [
        {
            "id": 501,
            "first_name": "Ivan",
            "last_name": "Petrov",
            "can_access_closed": True,
            "is_closed": False,
        }
    ]
    group = await _call(vk_session, "groups.getById", group_id=1)
    assert group["groups"][0]["screen_name"] == "hr_test_group"


@pytest.mark.asyncio
async def test_vk_errors(vk: FakeVK, vk_session: vk_api.VkApiGroup) -> None:
    user = vk.user(503, "Petr")

    async def code_of(session: vk_api.VkApiGroup, method: str, **values: Any) -> int:
        with pytest.raises(ApiError) as exc_info:
            await _call(session, method, **values)
        return int(exc_info.value.code)

    assert await code_of(_group(vk, "bad-token"), "users.get", user_ids="1") == 5
    assert await code_of(vk_session, "no.suchMethod") == 3
    assert await code_of(vk_session, "messages.send", peer_id=user.id, message="hi") == 100
    assert await code_of(vk_session, "messages.send", peer_id=user.id, random_id=1) == 100
    long_text = "x" * 9001
    assert (
        await code_of(vk_session, "messages.send", peer_id=user.id, message=long_text, random_id=2)
        == 914
    )
    assert await code_of(vk_session, "messages.send", peer_id=9999, message="x", random_id=3) == 901
    vk.fail_next("messages.send", 10)
    assert (
        await code_of(vk_session, "messages.send", peer_id=user.id, message="x", random_id=4) == 10
    )
    failed = vk.calls_of("messages.send", ok=False)[-1]
    assert (failed.error_code, failed.error_msg) == (10, "Internal server error")

    # vk_api retries error 6 by itself (after 0.5 s)
    vk.fail_next("messages.send", 6)
    await _call(vk_session, "messages.send", peer_id=user.id, message="retried", random_id=5)
    assert [c.error_code for c in vk.calls_of("messages.send")][-2:] == [6, None]
    assert vk.last(user.id).text == "retried"

    vk.drop_next("messages.send")
    with pytest.raises(requests.ConnectionError):
        await _call(vk_session, "messages.send", peer_id=user.id, message="lost", random_id=6)
    # the unknown method and the 9001 characters broke the schema on purpose
    assert [(v.method, v.field, v.kind) for v in vk.take_spec_violations()] == [
        ("no.suchMethod", "", "unknown_method"),
        ("messages.send", "message", "limit"),
    ]


@pytest.mark.asyncio
async def test_vk_keyboard_limits(vk: FakeVK, vk_session: vk_api.VkApiGroup) -> None:
    user = vk.user(504, "Vera")
    random_ids = iter(range(100, 200))

    async def send(keyboard: str) -> int | None:
        try:
            await _call(
                vk_session,
                "messages.send",
                peer_id=user.id,
                message="kb",
                random_id=next(random_ids),
                keyboard=keyboard,
            )
        except ApiError as exc:
            return int(exc.code)
        return None

    assert await send(_keyboard(5, 2)) is None  # 10 buttons inline: max
    assert await send(_keyboard(6, 1)) is None
    assert await send(_keyboard(7, 1)) == 911  # > 6 rows inline
    assert await send(_keyboard(3, 4)) == 911  # > 10 buttons inline
    assert await send(_keyboard(1, 6)) == 911  # > 5 per row
    assert await send(_keyboard(8, 5, inline=False, type="text")) is None  # 40 regular
    assert await send(_keyboard(9, 5, inline=False, type="text")) == 911  # 45 > 40
    assert await send(_keyboard(11, 1, inline=False, type="text")) == 911  # > 10 rows
    assert await send(_keyboard(1, 1, label="L" * 41)) == 911
    assert await send(_keyboard(1, 1, payload=json.dumps({"p": "x" * 250}))) == 911
    assert await send(_keyboard(1, 1, payload="not json")) == 911
    assert await send("{broken json") == 911
    assert vk.calls[-1].detail is not None
    # each refused keyboard broke the schema or the documented limits on purpose
    assert [v.field for v in vk.take_spec_violations()] == [
        "keyboard.buttons",  # 7 rows
        "keyboard.buttons",  # 12 buttons
        "keyboard.buttons[0]",  # 6 in a row
        "keyboard.buttons",  # 45 buttons
        "keyboard.buttons",  # 11 rows
        "keyboard.buttons[0][0].action.label",
        "keyboard.buttons[0][0].action.payload",
        "keyboard.buttons[0][0].action.payload",
        "keyboard",
    ]


@pytest.mark.asyncio
async def test_vk_long_poll(vk: FakeVK, vk_session: vk_api.VkApiGroup) -> None:
    user = vk.user(505, "Gleb", lang_id=3)
    vk.send_text(user, "early bird")  # queued before the bot connects: not lost
    longpoll = await asyncio.to_thread(VkBotLongPoll, vk_session, 1, 5)

    [event] = await asyncio.to_thread(longpoll.check)
    assert event.type == VkBotEventType.MESSAGE_NEW
    assert event.message.text == "early bird" and event.from_user
    assert event.client_info["lang_id"] == 3

    # a waiting long poll returns as soon as an event is queued
    poll = asyncio.create_task(asyncio.to_thread(longpoll.check))
    await vk.wait_polling()
    cmid = vk.send_text(user, "/start", payload={"command": "start"}, ref="site", ref_source="hh")
    [event] = await asyncio.wait_for(poll, 5)
    assert event.message.conversation_message_id == cmid
    assert json.loads(event.message.payload) == {"command": "start"}
    assert (event.message.ref, event.message.ref_source) == ("site", "hh")

    event_id = vk.press(user, 77, {"cmd": "apply", "id": 3})
    [event] = await asyncio.to_thread(longpoll.check)
    assert event.type == VkBotEventType.MESSAGE_EVENT
    assert event.object.payload == {"cmd": "apply", "id": 3}
    assert event.object.event_id == event_id and event.object.conversation_message_id == 77
    answer = {"type": "show_snackbar", "text": "Готово"}
    assert (
        await _call(
            vk_session,
            "messages.sendMessageEventAnswer",
            event_id=event_id,
            user_id=user.id,
            peer_id=user.id,
            event_data=json.dumps(answer),
        )
        == 1
    )
    assert vk.event_answers[event_id]["event_data"] == answer
    with pytest.raises(ApiError):
        await _call(
            vk_session,
            "messages.sendMessageEventAnswer",
            event_id=event_id,
            user_id=user.id,
            peer_id=user.id,
        )

    # failed: 2 -> vk_api fetches a new key and keeps its ts: nothing is lost
    mark = vk.mark()
    vk.fail_longpoll(2)
    vk.send_text(user, "after key expiry")
    assert await asyncio.to_thread(longpoll.check) == []
    await vk.wait_for("groups.getLongPollServer", since=mark)
    [event] = await asyncio.to_thread(longpoll.check)
    assert event.message.text == "after key expiry"

    # failed: 1 and 3 are survived as well
    vk.fail_longpoll(1)
    assert await asyncio.to_thread(longpoll.check) == []
    vk.fail_longpoll(3)
    assert await asyncio.to_thread(longpoll.check) == []
    vk.send_text(user, "still here")
    [event] = await asyncio.to_thread(longpoll.check)
    assert event.message.text == "still here"

    vk.drop_longpoll_next()
    with pytest.raises(requests.ConnectionError):
        await asyncio.to_thread(longpoll.check)
    await vk.wait_delivered()


@pytest.mark.asyncio
async def test_vk_uploads_and_downloads(vk: FakeVK, vk_session: vk_api.VkApiGroup) -> None:
    user = vk.user(506, "Dina")
    upload = VkUpload(vk_session)
    saved = await asyncio.to_thread(
        upload.document_message, io.BytesIO(b"a;b\n1;2\n"), "report.csv", None, user.id
    )
    doc = saved["doc"]
    attachment = f"doc{doc['owner_id']}_{doc['id']}"
    photos = await asyncio.to_thread(upload.photo_messages, io.BytesIO(b"\xff\xd8img"), user.id)
    photo_attachment = f"photo{photos[0]['owner_id']}_{photos[0]['id']}"
    await _call(
        vk_session,
        "messages.send",
        peer_id=user.id,
        attachment=f"{attachment},{photo_attachment}",
        random_id=1,
    )
    assert vk.uploads == 2
    assert vk.last(user.id).attachments() == [attachment, photo_attachment]
    assert vk.attachment_content(attachment) == b"a;b\n1;2\n"
    assert vk.attachment_content(photo_attachment) == b"\xff\xd8img"

    vk.send_doc(user, "cv.pdf", "pdf", None, b"%PDF my cv")
    longpoll = await asyncio.to_thread(VkBotLongPoll, vk_session, 1, 5)
    [event] = await asyncio.to_thread(longpoll.check)
    sent_doc = event.message.attachments[0]["doc"]
    assert (sent_doc["title"], sent_doc["ext"], sent_doc["size"]) == ("cv.pdf", "pdf", 10)
    response = await asyncio.to_thread(requests.get, sent_doc["url"], timeout=5)
    assert response.content == b"%PDF my cv"


@pytest.mark.asyncio
async def test_vk_wait_helpers(vk: FakeVK, vk_session: vk_api.VkApiGroup) -> None:
    user = vk.user(507, "Nina")
    kb = VkKeyboard(one_time=False)
    kb.add_button("Старт", payload={"cmd": "start"})
    since = vk.mark()
    task = asyncio.create_task(
        _call(
            vk_session,
            "messages.send",
            peer_id=user.id,
            message="menu",
            random_id=9,
            keyboard=kb.get_keyboard(),
        )
    )
    msg = await vk.wait_message(user.id, lambda m: m.text == "menu", since=since)
    await task
    assert msg.button_labels() == ["Старт"]
    cmid = vk.send_button(user, "Старт")
    event = vk.events[-1]["object"]["message"]
    assert (event["conversation_message_id"], event["text"]) == (cmid, "Старт")
    assert json.loads(event["payload"]) == {"cmd": "start"}
    check: Callable[[Any], bool] = lambda c: c.params.get("message") == "nope"  # noqa: E731
    with pytest.raises(AssertionError, match=r"messages\.send"):
        await vk.wait_for("messages.send", check, timeout=0.05)


@pytest.mark.asyncio
async def test_tg_with_aiogram_dispatcher_polling(tg: FakeTelegram) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Меню", reply_markup=_kb([("Вакансии", "vac")]))

    @dp.callback_query(F.data == "vac")
    async def vacancies(callback: CallbackQuery) -> None:
        assert isinstance(callback.message, Message)
        await callback.message.edit_text("Список вакансий")
        await callback.answer("ok")

    bot = _bot(tg)
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=30))
    try:
        user = tg.user(1100, "Poll")
        await tg.wait_polling()
        since = tg.mark()
        tg.send_text(user, "/start")
        menu = await tg.wait_message(user.id, since=since)
        assert menu.button_texts() == ["Вакансии"]
        since = tg.mark()
        query_id = tg.press_button(user, menu, "Вакансии")
        await tg.wait_for("answerCallbackQuery", since=since)
        assert tg.last(user.id).text == "Список вакансий"
        assert tg.callback_answers[query_id]["text"] == "ok"
    finally:
        await dp.stop_polling()
        await polling
