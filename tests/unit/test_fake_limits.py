"""Self-tests of the stand-in servers' platform limits (Telegram's flood limits, VK's
per-request limit), VK ``execute`` and the call observers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import requests
import vk_api
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from jconfig.memory import MemoryConfig
from vk_api.requests_pool import VkRequestsPool

from tests.fakes import Call
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import ExecuteCompileError, FakeVK, parse_execute

TOKEN = "123:ABC"
VK_TOKEN = "vk-test-token"
VK_PREFIX = "https://api.vk.ru/method/"


@pytest_asyncio.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    yield fake
    await fake.stop()


@pytest_asyncio.fixture
async def vk() -> AsyncIterator[FakeVK]:
    fake = FakeVK(token=VK_TOKEN, group_id=1)
    await fake.start()
    yield fake
    await fake.stop()


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def tg_call(
    http: aiohttp.ClientSession, tg: FakeTelegram, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{tg.url}/bot{TOKEN}/{method}", json=params) as response:
        return response.status, await response.json()


async def send(
    http: aiohttp.ClientSession, tg: FakeTelegram, chat_id: int, text: str = "hi"
) -> tuple[int, dict[str, Any]]:
    return await tg_call(http, tg, "sendMessage", chat_id=chat_id, text=text)


def too_many(retry_after: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


# ====================================================================== Telegram limits


async def test_tg_chat_burst_then_429_with_retry_after(
    tg: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    user = tg.user(2001, "Ann")
    tg.send_text(user, "/start")  # talking to the bot: not bulk
    tg.enforce_limits()
    for n in range(3):
        status, body = await send(http, tg, user.id, f"m{n}")
        assert (status, body["ok"]) == (200, True)
    status, body = await send(http, tg, user.id, "one too many")
    assert (status, body) == (429, too_many(1))
    refused = tg.calls[-1]
    assert (refused.method, refused.failed, refused.error_code) == ("sendMessage", True, 429)
    assert [m.text for m in tg.messages(user.id)] == ["m0", "m1", "m2"]  # no effect
    assert tg.too_many_requests == 1
    assert tg.too_many_by_scope == {"chat": 1, "group": 0, "bulk": 0}

    # edits, answers and chat actions are not messages: never limited
    first = tg.messages(user.id)[0]
    status, _ = await tg_call(
        http, tg, "editMessageText", chat_id=user.id, message_id=first.message_id, text="edited"
    )
    assert status == 200
    query = tg.press(user, first.message_id, "x")
    status, _ = await tg_call(http, tg, "answerCallbackQuery", callback_query_id=query)
    assert status == 200
    status, _ = await tg_call(http, tg, "sendChatAction", chat_id=user.id, action="typing")
    assert status == 200
    # another private chat has its own bucket
    other = tg.user(2002, "Bob")
    tg.send_text(other, "hello")
    assert (await send(http, tg, other.id))[0] == 200

    # a slower refill makes the wait longer; calling enforce_limits again refills everything
    tg.enforce_limits(chat_burst=1, chat_rate=0.4)
    assert (await send(http, tg, user.id))[0] == 200
    assert await send(http, tg, user.id) == (429, too_many(3))  # 1 / 0.4 = 2.5 s -> 3
    # other send* methods count too
    for method, params in (
        ("sendDocument", {"document": "x"}),
        ("copyMessage", {"from_chat_id": user.id, "message_id": 1}),
    ):
        status, body = await tg_call(http, tg, method, chat_id=user.id, **params)
        assert (status, body["parameters"]["retry_after"]) == (429, 3)
    assert tg.too_many_by_scope["chat"] == 4


async def test_tg_bucket_refills(tg: FakeTelegram, http: aiohttp.ClientSession) -> None:
    user = tg.user(2003, "Cat")
    tg.send_text(user, "hi")
    tg.enforce_limits(chat_burst=1, chat_rate=50.0)  # a token every 20 ms
    assert (await send(http, tg, user.id))[0] == 200
    assert (await send(http, tg, user.id))[0] == 429
    await asyncio.sleep(0.03)
    assert (await send(http, tg, user.id))[0] == 200


async def test_tg_refused_or_failed_messages_use_no_allowance(
    tg: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    user = tg.user(2004, "Dan")
    tg.send_text(user, "hi")
    tg.enforce_limits(chat_burst=1, chat_rate=0.01)
    status, _ = await tg_call(
        http, tg, "sendMessage", chat_id=user.id, text="<b>broken", parse_mode="HTML"
    )
    assert status == 400
    status, _ = await tg_call(http, tg, "sendMessage", chat_id=user.id, text="")
    assert status == 400
    assert [v.field for v in tg.take_spec_violations()] == ["text"]  # 1-4096 characters
    status, _ = await tg_call(http, tg, "sendMessage", chat_id=999999, text="nobody")
    assert status == 400
    assert (await send(http, tg, user.id))[0] == 200  # the one message of the burst
    assert (await send(http, tg, user.id))[0] == 429
    assert tg.too_many_requests == 1


async def test_tg_group_limit(tg: FakeTelegram, http: aiohttp.ClientSession) -> None:
    group, other_group = -1001, -1002
    tg.add_chat(group, "supergroup", "Team")
    tg.add_chat(other_group, "group", "Other")
    member = tg.user(2005, "Eve")
    tg.send_text(member, "hi all", chat_id=group)
    tg.send_text(member, "hi all", chat_id=other_group)
    tg.enforce_limits()
    for _ in range(20):
        assert (await send(http, tg, group))[0] == 200
    status, body = await send(http, tg, group)
    assert status == 429
    assert 59 <= body["parameters"]["retry_after"] <= 60
    assert tg.too_many_by_scope == {"chat": 0, "group": 1, "bulk": 0}
    assert (await send(http, tg, other_group))[0] == 200  # per group
    assert (await send(http, tg, member.id))[0] == 200  # private chats have their own limit
    tg.enforce_limits(group_per_minute=2)
    assert [(await send(http, tg, group))[0] for _ in range(3)] == [200, 200, 429]


async def test_tg_bulk_versus_people_talking_to_the_bot(
    tg: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    silent = [tg.user(3000 + n, "Silent") for n in range(6)]
    talking = tg.user(3100, "Talker")
    pressing = tg.user(3101, "Presser")
    asking = tg.user(3102, "Inline")
    tg.send_text(talking, "hello")
    tg.press(pressing, 1, "data")
    tg.inline_query(asking, "python")
    tg.enforce_limits(bulk_per_second=5)
    for user in silent[:5]:
        assert (await send(http, tg, user.id))[0] == 200
    status, body = await send(http, tg, silent[5].id)
    assert (status, body) == (429, too_many(1))
    assert tg.too_many_by_scope == {"chat": 0, "group": 0, "bulk": 1}
    # replies to people who talk to the bot are not bulk, even while bulk is full
    for user in (talking, pressing, asking):
        assert (await send(http, tg, user.id))[0] == 200
    # once a silent user writes, messages to them are replies too
    tg.send_text(silent[5], "now I talk")
    assert (await send(http, tg, silent[5].id))[0] == 200
    # activity older than active_window does not count
    tg.enforce_limits(bulk_per_second=1, active_window=0.0)
    assert (await send(http, tg, talking.id))[0] == 200
    assert (await send(http, tg, pressing.id))[0] == 429
    assert tg.too_many_by_scope["bulk"] == 2


async def test_tg_limits_are_opt_in_and_rate_limit_still_works(
    tg: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    user = tg.user(2006, "Fay")
    for _ in range(5):  # no limits by default
        assert (await send(http, tg, user.id))[0] == 200
    tg.enforce_limits()
    tg.enforce_limits(False)
    for _ in range(5):
        assert (await send(http, tg, user.id))[0] == 200
    tg.rate_limit(2)
    assert [(await send(http, tg, user.id))[0] for _ in range(3)] == [200, 200, 429]
    assert tg.too_many_requests == 1
    assert tg.too_many_by_scope == {"chat": 0, "group": 0, "bulk": 0}
    tg.enforce_limits()
    tg.clear_faults()  # switches both off
    assert [(await send(http, tg, user.id))[0] for _ in range(4)] == [200] * 4


async def test_tg_limits_with_aiogram(tg: FakeTelegram) -> None:
    user = tg.user(2007, "Gus")
    tg.send_text(user, "hi")
    tg.enforce_limits(chat_burst=1, chat_rate=0.5)
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.url)))
    try:
        await bot.send_message(user.id, "first")
        with pytest.raises(TelegramRetryAfter) as exc_info:
            await bot.send_message(user.id, "second")
        assert exc_info.value.retry_after == 2
    finally:
        await bot.session.close()


# ====================================================================== VK execute


async def vk_call(
    http: aiohttp.ClientSession, vk: FakeVK, method: str, **params: Any
) -> dict[str, Any]:
    data = {"access_token": VK_TOKEN, "v": "5.199", **{k: str(v) for k, v in params.items()}}
    async with http.post(f"{vk.url}/method/{method}", data=data) as response:
        assert response.status == 200
        body: dict[str, Any] = await response.json()
        return body


def api(method: str, params: dict[str, Any]) -> str:
    return f"API.{method}({json.dumps(params, ensure_ascii=False)})"


def keyboard(label: str) -> str:
    return json.dumps(
        {
            "inline": True,
            "buttons": [[{"action": {"type": "callback", "label": label, "payload": '{"a":"x"}'}}]],
        },
        ensure_ascii=False,
    )


async def screen(http: aiohttp.ClientSession, vk: FakeVK, peer: int) -> int:
    """The bot shows a message; returns its conversation_message_id."""
    body = await vk_call(
        http,
        vk,
        "messages.send",
        peer_id=peer,
        message="Меню",
        random_id=peer,
        keyboard=keyboard("Чек-лист"),
    )
    assert "response" in body, body
    return vk.last(peer).conversation_message_id


async def test_vk_execute_answers_and_edits_in_one_request(
    vk: FakeVK, http: aiohttp.ClientSession
) -> None:
    user = vk.user(701, "Ivan")
    cmid = await screen(http, vk, user.id)
    event_id = vk.press(user, cmid, {"a": "cl"})
    mark = vk.mark()
    code = (
        "return ["
        + api(
            "messages.sendMessageEventAnswer",
            {
                "event_id": event_id,
                "user_id": user.id,
                "peer_id": user.id,
                "event_data": json.dumps({"type": "show_snackbar", "text": "Готово"}),
            },
        )
        + ", "
        + api(
            "messages.edit",
            {
                "peer_id": user.id,
                "conversation_message_id": cmid,
                "message": "Чек-лист",
                "keyboard": keyboard("Назад"),
                "dont_parse_links": 1,
            },
        )
        + "];"
    )
    assert await vk_call(http, vk, "execute", code=code) == {"response": [1, 1]}
    assert vk.event_answers[event_id]["event_data"] == {"type": "show_snackbar", "text": "Готово"}
    edited = vk.last(user.id)
    assert (edited.text, edited.edits, edited.button_labels()) == ("Чек-лист", 1, ["Назад"])
    assert [(c.method, c.via_execute, c.ok) for c in vk.calls[mark:]] == [
        ("execute", False, True),
        ("messages.sendMessageEventAnswer", True, True),
        ("messages.edit", True, True),
    ]
    inner = await vk.wait_for("messages.edit", since=mark)
    assert inner.params["conversation_message_id"] == cmid and inner.params["dont_parse_links"] == 1
    assert inner.params["keyboard"]["buttons"][0][0]["action"]["label"] == "Назад"
    assert vk.calls[mark].result == [1, 1]

    # a single call: `return API.x.y({...});` gives its value, not a list
    body = await vk_call(http, vk, "execute", code=f"return {api('users.get', {'user_ids': 701})};")
    assert body["response"][0]["first_name"] == "Ivan"
    body = await vk_call(http, vk, "execute", code="  return API.utils.getServerTime()  ")
    assert isinstance(body["response"], int)
    assert await vk_call(http, vk, "execute", code="return [];") == {"response": []}


async def test_vk_execute_inner_failures(vk: FakeVK, http: aiohttp.ClientSession) -> None:
    user = vk.user(702, "Olga")
    cmid = await screen(http, vk, user.id)
    event_id = vk.press(user, cmid, {"a": "cl"})
    answer = api(
        "messages.sendMessageEventAnswer",
        {"event_id": event_id, "user_id": user.id, "peer_id": user.id},
    )
    edit = api(
        "messages.edit",
        {"peer_id": user.id, "conversation_message_id": cmid, "message": "new"},
    )
    vk.fail_next("messages.edit", 10)
    body = await vk_call(http, vk, "execute", code=f"return [{answer}, {edit}];")
    assert body == {
        "response": [1, False],
        "execute_errors": [
            {"method": "messages.edit", "error_code": 10, "error_msg": "Internal server error"}
        ],
    }
    assert vk.last(user.id).edits == 0  # the failed call had no effect
    assert event_id in vk.event_answers
    failed = vk.calls_of("messages.edit", ok=False)[-1]
    assert (failed.via_execute, failed.error_code) == (True, 10)

    # validation is the same as for a direct call; later calls still run
    bad_keyboard = api(
        "messages.edit",
        {"peer_id": user.id, "conversation_message_id": cmid, "message": "x", "keyboard": "{"},
    )
    body = await vk_call(
        http, vk, "execute", code=f"return [{bad_keyboard}, API.no.suchMethod({{}}), {edit}];"
    )
    assert body["response"] == [False, False, 1]
    assert [(e["method"], e["error_code"]) for e in body["execute_errors"]] == [
        ("messages.edit", 911),
        ("no.suchMethod", 3),
    ]
    assert vk.last(user.id).text == "new"
    assert [(v.method, v.field) for v in vk.take_spec_violations()] == [
        ("messages.edit", "keyboard"),
        ("no.suchMethod", ""),
    ]
    # the event was answered already: a second answer fails like a direct one would
    body = await vk_call(http, vk, "execute", code=f"return {answer};")
    assert body["response"] is False and body["execute_errors"][0]["error_code"] == 100

    # a fault queued for execute itself fails the whole request
    vk.fail_next("execute", 10)
    body = await vk_call(http, vk, "execute", code=f"return [{edit}];")
    assert body["error"]["error_code"] == 10


async def test_vk_execute_drop_and_delay(vk: FakeVK, http: aiohttp.ClientSession) -> None:
    user = vk.user(703, "Petr")
    cmid = await screen(http, vk, user.id)
    edit = api(
        "messages.edit", {"peer_id": user.id, "conversation_message_id": cmid, "message": "e1"}
    )
    vk.drop_next("messages.edit")
    with pytest.raises(aiohttp.ClientError):
        await vk_call(http, vk, "execute", code=f"return [{edit}];")
    assert vk.last(user.id).edits == 0
    dropped = vk.calls_of("messages.edit")[-1]
    assert dropped.dropped and dropped.failed and dropped.via_execute
    assert vk.calls_of("execute")[-1].dropped

    vk.drop_next("messages.edit", after_effect=True)
    with pytest.raises(aiohttp.ClientError):
        await vk_call(http, vk, "execute", code=f"return [{edit}];")
    assert vk.last(user.id).text == "e1"  # delivered, answer lost

    vk.delay_next("messages.edit", 0.2)
    edit2 = edit.replace("e1", "e2")
    task = asyncio.create_task(vk_call(http, vk, "execute", code=f"return [{edit2}];"))
    await vk.wait_message(user.id, lambda m: m.text == "e2")
    assert not task.done()
    assert await task == {"response": [1]}


@pytest.mark.parametrize(
    "code",
    [
        "return 1;",
        "API.users.get({});",
        "var a = API.users.get({}); return a;",
        "return API.users.get({'user_ids': 1});",
        'return API.users.get({"user_ids": 1}); return 2;',
        "return API.users.get([1]);",
        'return API.users.get("x");',
        'return API.users.get({"a": NaN});',
        "return [API.users.get({}) API.users.get({})];",
        "return [API.users.get({}),];",
        "return API.users({});",
        "returnAPI.users.get({});",
        'return API.users.get({"a": 1}, {"b": 2});',
    ],
)
async def test_vk_execute_rejects_other_code(
    vk: FakeVK, http: aiohttp.ClientSession, code: str
) -> None:
    body = await vk_call(http, vk, "execute", code=code)
    assert body["error"]["error_code"] == 12
    assert body["error"]["error_msg"] == "Unable to compile code"
    assert vk.calls[-1].detail  # says what was wrong
    assert [c.method for c in vk.calls] == ["execute"]  # nothing ran


async def test_vk_execute_limits_and_missing_code(vk: FakeVK, http: aiohttp.ClientSession) -> None:
    body = await vk_call(http, vk, "execute")
    assert body["error"]["error_code"] == 100
    assert [(v.field, v.kind) for v in vk.take_spec_violations()] == [("code", "missing")]
    code = "return [" + ",".join(["API.utils.getServerTime()"] * 26) + "];"
    body = await vk_call(http, vk, "execute", code=code)
    assert body["error"]["error_code"] == 13
    code = "return [" + ",".join(["API.utils.getServerTime()"] * 25) + "];"
    assert len((await vk_call(http, vk, "execute", code=code))["response"]) == 25


def test_parse_execute() -> None:
    program = parse_execute(
        'return [API.messages.edit({"peer_id": 1, "keyboard": "{\\"inline\\":true}", '
        '"dont_parse_links": true, "peer_ids": [1, 2], "x": null, "o": {"k": "в"}})];'
    )
    assert program.is_list
    assert program.calls == [
        (
            "messages.edit",
            {
                "peer_id": "1",
                "keyboard": '{"inline":true}',
                "dont_parse_links": "1",
                "peer_ids": "1,2",
                "o": '{"k": "в"}',
            },
        )
    ]
    assert not parse_execute("return API.users.get();").is_list
    with pytest.raises(ExecuteCompileError):
        parse_execute("return API.users.get({})  x")


async def test_vk_rate_limit_counts_requests_not_inner_calls(
    vk: FakeVK, http: aiohttp.ClientSession
) -> None:
    vk.user(704, "Rita")
    lp_server = (await vk_call(http, vk, "groups.getLongPollServer", group_id=1))["response"]
    vk.rate_limit(2)
    three = "return [" + ",".join(["API.utils.getServerTime()"] * 3) + "];"
    assert len((await vk_call(http, vk, "execute", code=three))["response"]) == 3
    assert "response" in await vk_call(http, vk, "users.get", user_ids=704)
    body = await vk_call(http, vk, "execute", code=three)
    assert body["error"]["error_code"] == 6
    assert vk.too_many_requests == 1
    assert len([c for c in vk.calls if c.via_execute]) == 3  # the refused execute ran nothing

    # long poll, uploads and downloads are not API requests: they never count
    vk.rate_limit(1)
    params = {"act": "a_check", "key": lp_server["key"], "ts": lp_server["ts"], "wait": "0"}
    for _ in range(3):
        async with http.get(lp_server["server"], params=params) as response:
            assert "updates" in await response.json()
    for _ in range(2):
        form = aiohttp.FormData()
        form.add_field("file", b"data", filename="a.txt")
        async with http.post(f"{vk.url}/upload/doc", data=form) as response:
            assert "file" in await response.json()
    assert "response" in await vk_call(http, vk, "utils.getServerTime")
    # ... but every API request does, unknown methods included
    assert (await vk_call(http, vk, "no.suchMethod"))["error"]["error_code"] == 6
    assert vk.too_many_requests == 2
    assert [v.kind for v in vk.take_spec_violations()] == ["unknown_method"]


async def test_vk_execute_through_vk_api_requests_pool(vk: FakeVK) -> None:
    """vk_api's own pool (``return [API.a.b({...}),...];``) reads the fake's answers."""
    user = vk.user(705, "Sasha")

    class Routed(requests.Session):
        def request(self, method: str | bytes, url: str | bytes, *a: Any, **kw: Any) -> Any:
            return super().request(
                method, str(url).replace(VK_PREFIX, f"{vk.url}/method/"), *a, **kw
            )

    session = vk_api.VkApiGroup(
        token=VK_TOKEN, api_version="5.199", session=Routed(), config=MemoryConfig
    )

    def run_pool() -> tuple[Any, Any, Any]:
        with VkRequestsPool(session) as pool:
            users = pool.method("users.get", {"user_ids": user.id})
            sent = pool.method(
                "messages.send", {"peer_id": user.id, "message": "hi", "random_id": 5}
            )
            bad = pool.method("messages.send", {"peer_id": user.id, "random_id": 6})
        return users, sent, bad

    users, sent, bad = await asyncio.to_thread(run_pool)
    assert users.result[0]["first_name"] == "Sasha"
    assert sent.result == vk.last(user.id).id
    assert not bad.ok and bad.error["error_code"] == 100
    assert len(vk.calls_of("execute")) == 1


# ====================================================================== observers


async def test_observers_see_every_finished_call_once(
    tg: FakeTelegram, vk: FakeVK, http: aiohttp.ClientSession
) -> None:
    seen: list[Call] = []

    def broken(call: Call) -> None:
        raise RuntimeError("an observer's bug does not break the server")

    tg.observe(broken)
    remove = tg.observe(seen.append)
    user = tg.user(2100, "Obs")
    tg.send_text(user, "hi")
    tg.enforce_limits(chat_burst=1)
    await tg_call(http, tg, "sendMessage", chat_id=user.id, text="")  # 400
    assert [v.field for v in tg.take_spec_violations()] == ["text"]
    await send(http, tg, user.id)
    await send(http, tg, user.id)  # 429
    tg.drop_next("getMe")
    with pytest.raises(aiohttp.ClientError):
        await tg_call(http, tg, "getMe")
    assert [(c.method, c.ok, c.error_code, c.done) for c in seen] == [
        ("sendMessage", False, 400, True),
        ("sendMessage", True, None, True),
        ("sendMessage", False, 429, True),
        ("getMe", False, None, True),
    ]
    assert seen == [c for c in tg.calls]
    remove()
    await send(http, tg, 424242)
    assert len(seen) == 4

    vk_seen: list[tuple[str, bool]] = []
    vk.observe(lambda c: vk_seen.append((c.method, c.via_execute)))
    vk.user(706, "Vera")
    await vk_call(
        http, vk, "execute", code="return [API.utils.getServerTime(), API.users.get({})];"
    )
    assert vk_seen == [
        ("utils.getServerTime", True),
        ("users.get", True),
        ("execute", False),
    ]
