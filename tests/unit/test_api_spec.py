"""The checks of requests against the official API specifications (tests/fakes/spec.py), and how
the stand-in servers answer and record a request that breaks them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from tests.fakes import UploadedFile, spec_guard
from tests.fakes import spec as spec_module
from tests.fakes.spec import (
    SPEC_DIR,
    VK_ALLOWED,
    SpecMissingError,
    TelegramSpec,
    Violation,
    VkSpec,
    format_violations,
    telegram_spec,
    vk_spec,
)
from tests.fakes.telegram import _CHAT_ACTIONS, FakeTelegram
from tests.fakes.vk import FakeVK

TOKEN = "123:ABC"
VK_TOKEN = "vk-test-token"


@pytest.fixture(scope="module")
def tg_spec() -> TelegramSpec:
    return telegram_spec()


@pytest.fixture(scope="module")
def vk_schema() -> VkSpec:
    return vk_spec()


def markup(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"inline_keyboard": [list(row) for row in rows]}


def button(text: str = "Go", data: str = "go") -> dict[str, Any]:
    return {"text": text, "callback_data": data}


def tg_json(spec: TelegramSpec, method: str, **params: Any) -> list[Violation]:
    return spec.check(method, params, {}, {})


def tg_form(
    spec: TelegramSpec, method: str, files: dict[str, Any] | None = None, **params: str
) -> list[Violation]:
    return spec.check(method, {}, params, files or {})


def what(violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.field, v.kind) for v in violations]


# ====================================================================== the files


def test_the_specifications_are_the_shared_copies() -> None:
    beside_the_repository = Path(__file__).resolve().parents[2].parent / "shared" / "api-spec"
    assert beside_the_repository == SPEC_DIR
    assert telegram_spec().version == "Bot API 10.1"
    assert "messages.send" in vk_spec().names


def test_a_missing_specification_fails_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SpecMissingError, match=r"nope\.json is missing.*shared/api-spec"):
        spec_module._load_json(tmp_path / "nope.json")
    # a stand-in server is not even created without its specification
    monkeypatch.setattr(spec_module, "SPEC_DIR", tmp_path / "shared" / "api-spec")
    telegram_spec.cache_clear()
    vk_spec.cache_clear()
    try:
        with pytest.raises(SpecMissingError, match=r"telegram/api\.min\.json is missing"):
            FakeTelegram(token=TOKEN)
        with pytest.raises(SpecMissingError, match=r"vk/messages/methods\.json is missing"):
            FakeVK(token=VK_TOKEN)
        FakeTelegram(token=TOKEN, check_spec=False)  # unless the checks are off
    finally:
        monkeypatch.undo()
        telegram_spec.cache_clear()
        vk_spec.cache_clear()


# ====================================================================== Telegram


def test_tg_good_requests_pass(tg_spec: TelegramSpec) -> None:
    assert not tg_json(
        tg_spec,
        "sendMessage",
        chat_id=42,
        text="<b>Меню</b> &amp; всё",
        parse_mode="HTML",
        reply_markup=markup(
            [button("Вакансии", "vac"), {"text": "Сайт", "url": "https://example.org"}],
            [{"text": "Поделиться", "switch_inline_query": ""}],
        ),
        link_preview_options={"is_disabled": True},
    )
    # the same as a form: numbers and objects as strings, booleans as true / false
    assert not tg_form(
        tg_spec,
        "sendMessage",
        chat_id="42",
        text="hi",
        disable_notification="true",
        reply_markup=json.dumps(markup([button()])),
    )
    assert not tg_json(tg_spec, "sendMessage", chat_id="@channel", text="hi")  # Integer or String
    upload = UploadedFile("document", "cv.pdf", "application/pdf", b"%PDF")
    assert not tg_form(
        tg_spec,
        "sendDocument",
        {"a1b2": upload},
        chat_id="42",
        document="attach://a1b2",
        caption="<i>CV</i>",
        parse_mode="HTML",
    )
    assert not tg_form(tg_spec, "sendDocument", {"document": upload}, chat_id="42")
    assert not tg_json(tg_spec, "sendPhoto", chat_id=42, photo="AgACAgIAAxkBAAI-file-id")
    assert not tg_json(tg_spec, "getUpdates", offset=5, timeout=25, allowed_updates=["message"])
    assert not tg_json(
        tg_spec,
        "setMyCommands",
        commands=[{"command": "start", "description": "Начать"}],
        scope={"type": "chat", "chat_id": 900},
        language_code="ru",
    )
    assert not tg_json(
        tg_spec,
        "answerInlineQuery",
        inline_query_id="7",
        results=[
            {
                "type": "article",
                "id": "v1",
                "title": "Python",
                "input_message_content": {"message_text": "<b>Py</b>", "parse_mode": "HTML"},
                "reply_markup": markup([{"text": "Open", "url": "https://t.me/bot?start=x"}]),
            }
        ],
        cache_time=0,
    )
    assert not tg_json(tg_spec, "editMessageText", inline_message_id="abc", text="x")
    assert not tg_json(tg_spec, "GETME")  # method names are case-insensitive


def test_tg_unknown_method(tg_spec: TelegramSpec) -> None:
    [violation] = tg_json(tg_spec, "sendMessages", chat_id=1, text="x")
    assert (violation.method, violation.field, violation.kind) == (
        "sendMessages",
        "",
        "unknown_method",
    )


def test_tg_unknown_fields(tg_spec: TelegramSpec) -> None:
    assert what(tg_json(tg_spec, "sendMessage", chat_id=1, text="x", colour="red")) == [
        ("colour", "unknown_field")
    ]
    nested = tg_json(
        tg_spec, "sendMessage", chat_id=1, text="x", reply_markup=markup([{**button(), "x": 1}])
    )
    assert what(nested) == [("reply_markup.inline_keyboard[0][0].x", "unknown_field")]
    stray = UploadedFile("stray", "a.txt", "text/plain", b"a")
    assert what(tg_form(tg_spec, "sendMessage", {"stray": stray}, chat_id="1", text="x")) == [
        ("stray", "unknown_field")
    ]


def test_tg_missing_required_fields(tg_spec: TelegramSpec) -> None:
    assert what(tg_json(tg_spec, "sendMessage", text="x")) == [("chat_id", "missing")]
    assert what(tg_json(tg_spec, "sendMessage", chat_id=1, text=None)) == [("text", "missing")]
    assert what(tg_json(tg_spec, "editMessageText", chat_id=1, text="x")) == [
        ("message_id", "missing")  # required unless inline_message_id is given
    ]
    assert what(tg_json(tg_spec, "setMyCommands", commands=[{"command": "start"}])) == [
        ("commands[0].description", "missing")
    ]


def test_tg_wrong_types(tg_spec: TelegramSpec) -> None:
    assert what(tg_json(tg_spec, "sendMessage", chat_id=True, text="x")) == [("chat_id", "type")]
    assert what(tg_json(tg_spec, "deleteMessage", chat_id=1, message_id="5")) == [
        ("message_id", "type")  # a JSON body keeps JSON types: "5" is no Integer
    ]
    assert what(tg_form(tg_spec, "deleteMessage", chat_id="1", message_id="5x")) == [
        ("message_id", "type")
    ]
    assert what(tg_form(tg_spec, "sendMessage", chat_id="1", text="x", protect_content="1")) == [
        ("protect_content", "type")
    ]
    assert what(
        tg_json(tg_spec, "sendMessage", chat_id=1, text="x", reply_markup=json.dumps(markup()))
    ) == [("reply_markup", "type")]  # a JSON string where the JSON body needs an object
    assert what(tg_form(tg_spec, "sendMessage", chat_id="1", text="x", reply_markup="{")) == [
        ("reply_markup", "type")
    ]
    assert what(
        tg_json(tg_spec, "sendMessage", chat_id=1, text="x", reply_markup={"inline_keyboard": [5]})
    ) == [("reply_markup.inline_keyboard[0]", "type")]
    assert what(tg_json(tg_spec, "sendMessage", chat_id=1, text="x", reply_markup=[])) == [
        ("reply_markup", "type")
    ]
    assert what(tg_json(tg_spec, "sendDocument", chat_id=1, document=7)) == [("document", "type")]
    assert what(
        tg_json(tg_spec, "setMyCommands", commands=[], scope={"type": "chat", "chat_id": []})
    ) == [("scope.chat_id", "type")]


def test_tg_enums(tg_spec: TelegramSpec) -> None:
    assert what(tg_json(tg_spec, "sendMessage", chat_id=1, text="x", parse_mode="html")) == [
        ("parse_mode", "enum")
    ]
    for mode in ("HTML", "MarkdownV2", "Markdown"):
        assert not tg_json(tg_spec, "sendMessage", chat_id=1, text="x", parse_mode=mode)
    assert what(tg_json(tg_spec, "sendChatAction", chat_id=1, action="dancing")) == [
        ("action", "enum")
    ]
    # the actions the description lists are exactly the ones the stand-in server knows
    assert tg_spec.methods["sendChatAction"].fields["action"].enum == _CHAT_ACTIONS
    assert what(tg_json(tg_spec, "getUpdates", allowed_updates=["message", "messages"])) == [
        ("allowed_updates[1]", "enum")
    ]
    bad_scope = tg_json(
        tg_spec, "setMyCommands", commands=[], scope={"type": "everyone", "chat_id": 1}
    )
    assert bad_scope and all(v.field.startswith("scope") for v in bad_scope)
    styled = markup([{**button(), "style": "danger"}], [{**button(), "style": "red"}])
    assert what(tg_json(tg_spec, "sendMessage", chat_id=1, text="x", reply_markup=styled)) == [
        ("reply_markup.inline_keyboard[1][0].style", "enum")
    ]


def test_tg_inline_button_needs_exactly_one_action(tg_spec: TelegramSpec) -> None:
    bare = markup([{"text": "label only"}])
    two = markup([{"text": "x", "callback_data": "a", "url": "https://example.org"}])
    for keyboard in (bare, two):
        [violation] = tg_json(tg_spec, "sendMessage", chat_id=1, text="x", reply_markup=keyboard)
        assert (violation.field, violation.kind) == ("reply_markup.inline_keyboard[0][0]", "rule")


def test_tg_callback_data_is_1_to_64_bytes(tg_spec: TelegramSpec) -> None:
    def send(data: str) -> list[Violation]:
        return tg_json(
            tg_spec, "sendMessage", chat_id=1, text="x", reply_markup=markup([button("b", data)])
        )

    assert not send("a" * 64)
    assert not send("я" * 32)  # 64 bytes
    [violation] = send("a" * 65)
    assert violation.field == "reply_markup.inline_keyboard[0][0].callback_data"
    assert (violation.kind, violation.reason) == ("limit", "65 bytes, must be 1-64")
    assert what(send("я" * 33)) == [("reply_markup.inline_keyboard[0][0].callback_data", "limit")]
    assert what(send("")) == [("reply_markup.inline_keyboard[0][0].callback_data", "limit")]


def test_tg_text_is_measured_after_entity_parsing(tg_spec: TelegramSpec) -> None:
    def send(text: str, **extra: Any) -> list[Violation]:
        return tg_json(tg_spec, "sendMessage", chat_id=1, text=text, **extra)

    assert not send("x" * 4096)
    [violation] = send("x" * 4097)
    assert (violation.field, violation.kind) == ("text", "limit")
    assert violation.reason == "4097 characters after entity parsing, must be 1-4096"
    # markup does not count, an entity counts as the one character it stands for
    assert not send("<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert not send("&amp;" * 4096, parse_mode="HTML")
    assert what(send("<b>" + "x" * 4097 + "</b>", parse_mode="HTML")) == [("text", "limit")]
    assert what(send("&lt;" * 4097, parse_mode="HTML")) == [("text", "limit")]
    assert what(send("<b></b>", parse_mode="HTML")) == [("text", "limit")]  # nothing to show
    assert not send("*" + "x" * 4096 + "*", parse_mode="MarkdownV2")
    assert what(send("\\." * 4097, parse_mode="MarkdownV2")) == [("text", "limit")]
    assert not send("<b>" * 3000, parse_mode="HTML")  # does not parse: the server's own answer
    edit = tg_json(
        tg_spec, "editMessageText", chat_id=1, message_id=2, text="y" * 4097, parse_mode="HTML"
    )
    assert what(edit) == [("text", "limit")]


def test_tg_caption_is_measured_after_entity_parsing(tg_spec: TelegramSpec) -> None:
    def send(caption: str) -> list[Violation]:
        return tg_json(
            tg_spec, "sendPhoto", chat_id=1, photo="file-id", caption=caption, parse_mode="HTML"
        )

    assert not send("<i>" + "c" * 1024 + "</i>")
    assert not send("")
    assert what(send("c" * 1025)) == [("caption", "limit")]
    assert what(tg_json(tg_spec, "answerCallbackQuery", callback_query_id="1", text="t" * 201)) == [
        ("text", "limit")
    ]


# ====================================================================== VK


def vk_keyboard(
    rows: int = 1,
    per_row: int = 1,
    *,
    inline: bool = True,
    payload: str = '{"a":"x"}',
    **extra: Any,
) -> str:
    board: dict[str, Any] = {
        "inline": inline,
        "buttons": [
            [
                {"action": {"type": "callback", "label": f"b{r}{c}", "payload": payload}}
                for c in range(per_row)
            ]
            for r in range(rows)
        ],
        **extra,
    }
    return json.dumps(board, ensure_ascii=False)


def send(schema: VkSpec, **params: str) -> list[Violation]:
    return schema.check(
        "messages.send",
        {"access_token": "t", "v": "5.199", "peer_id": "5", "random_id": "7", **params},
    )


def test_vk_good_requests_pass(vk_schema: VkSpec) -> None:
    assert not send(
        vk_schema,
        message="Привет",
        dont_parse_links="1",
        disable_mentions="1",
        keyboard=vk_keyboard(6, 1),
    )
    assert not send(vk_schema, message="x", keyboard=vk_keyboard(5, 2))  # 10 buttons
    regular = {
        "one_time": False,
        "buttons": [
            [{"action": {"type": "text", "label": "Старт", "payload": None}, "color": "primary"}],
            [{"action": {"type": "open_link", "link": "https://vk.com", "label": "VK"}}],
        ],
    }
    assert not send(vk_schema, message="x", keyboard=json.dumps(regular))
    assert not vk_schema.check(
        "messages.send", {"peer_ids": "1,2,3", "random_id": "1", "message": "x"}
    )
    assert not vk_schema.check(
        "messages.sendMessageEventAnswer",
        {
            "event_id": "abc",
            "user_id": "5",
            "peer_id": "5",
            "event_data": json.dumps({"type": "show_snackbar", "text": "ok"}),
        },
    )
    assert not vk_schema.check("users.get", {"user_ids": "1,durov", "fields": "screen_name"})
    assert not vk_schema.check("groups.getById", {"group_id": "club1"})
    assert not vk_schema.check("docs.getMessagesUploadServer", {"type": "doc", "peer_id": "5"})
    assert not vk_schema.check("utils.getServerTime", {})


def test_vk_unknown_method(vk_schema: VkSpec) -> None:
    [violation] = vk_schema.check("messages.sendMessage", {"peer_id": "1"})
    assert (violation.method, violation.kind) == ("messages.sendMessage", "unknown_method")


def test_vk_unknown_parameters(vk_schema: VkSpec) -> None:
    assert what(send(vk_schema, message="x", text="x")) == [("text", "unknown_field")]
    board = json.loads(vk_keyboard())
    board["buttons"][0][0]["action"]["link"] = "https://vk.com"  # not a callback button's
    assert what(send(vk_schema, message="x", keyboard=json.dumps(board))) == [
        ("keyboard.buttons[0][0].action.link", "unknown_field")
    ]
    assert what(send(vk_schema, message="x", keyboard=vk_keyboard(size="big"))) == [
        ("keyboard.size", "unknown_field")
    ]


def test_vk_missing_required_parameters(vk_schema: VkSpec) -> None:
    assert what(vk_schema.check("messages.edit", {"message": "x", "cmid": "1"})) == [
        ("peer_id", "missing")
    ]
    assert what(vk_schema.check("groups.getLongPollServer", {})) == [("group_id", "missing")]
    board = {"inline": True, "buttons": [[{"action": {"type": "callback", "payload": "{}"}}]]}
    assert what(send(vk_schema, message="x", keyboard=json.dumps(board))) == [
        ("keyboard.buttons[0][0].action.label", "missing")
    ]


def test_vk_wrong_types(vk_schema: VkSpec) -> None:
    assert what(send(vk_schema, message="x", peer_id="Ivan")) == [("peer_id", "type")]
    assert what(send(vk_schema, message="x", dont_parse_links="true")) == [
        ("dont_parse_links", "type")  # a flag is 1 or 0
    ]
    assert what(send(vk_schema, message="x", peer_ids="1,x")) == [("peer_ids[1]", "type")]
    assert what(send(vk_schema, message="x", keyboard="{broken")) == [("keyboard", "type")]
    board = json.loads(vk_keyboard())
    board["inline"] = "yes"
    assert what(send(vk_schema, message="x", keyboard=json.dumps(board))) == [
        ("keyboard.inline", "type"),
        ("keyboard.one_time", "missing"),  # not an inline keyboard for sure
    ]
    assert what(vk_schema.check("messages.edit", {"peer_id": "1", "cmid": "-1"})) == [
        ("cmid", "limit")
    ]


def test_vk_enums(vk_schema: VkSpec) -> None:
    assert what(vk_schema.check("docs.getMessagesUploadServer", {"type": "video"})) == [
        ("type", "enum")
    ]
    board = json.loads(vk_keyboard())
    board["buttons"][0][0]["action"]["type"] = "teleport"
    assert what(send(vk_schema, message="x", keyboard=json.dumps(board))) == [
        ("keyboard.buttons[0][0].action.type", "enum")
    ]
    board = json.loads(vk_keyboard())
    board["buttons"][0][0]["color"] = "purple"
    assert what(send(vk_schema, message="x", keyboard=json.dumps(board))) == [
        ("keyboard.buttons[0][0].color", "enum")
    ]


def test_vk_keyboard_sizes(vk_schema: VkSpec) -> None:
    [violation] = send(vk_schema, message="x", keyboard=vk_keyboard(7, 1))
    assert (violation.field, violation.kind) == ("keyboard.buttons", "limit")
    assert violation.reason == "at most 6 rows in an inline keyboard"
    assert what(send(vk_schema, message="x", keyboard=vk_keyboard(3, 4))) == [
        ("keyboard.buttons", "limit")  # 12 > 10 buttons
    ]
    assert what(send(vk_schema, message="x", keyboard=vk_keyboard(1, 6))) == [
        ("keyboard.buttons[0]", "limit")  # 6 > 5 in a row
    ]
    regular: dict[str, Any] = {"inline": False, "one_time": True}
    assert not send(vk_schema, message="x", keyboard=vk_keyboard(10, 4, **regular))
    assert what(send(vk_schema, message="x", keyboard=vk_keyboard(11, 1, **regular))) == [
        ("keyboard.buttons", "limit")
    ]
    assert what(send(vk_schema, message="x", keyboard=vk_keyboard(9, 5, **regular))) == [
        ("keyboard.buttons", "limit")  # 45 > 40
    ]
    long_label = json.loads(vk_keyboard())
    long_label["buttons"][0][0]["action"]["label"] = "L" * 41
    assert what(send(vk_schema, message="x", keyboard=json.dumps(long_label))) == [
        ("keyboard.buttons[0][0].action.label", "limit")
    ]


def test_vk_payload_is_at_most_255_characters(vk_schema: VkSpec) -> None:
    def payload(size: int) -> str:
        text = json.dumps({"p": ""})
        return json.dumps({"p": "x" * (size - len(text))})

    assert len(payload(255)) == 255
    assert not send(vk_schema, message="x", keyboard=vk_keyboard(payload=payload(255)))
    [violation] = send(vk_schema, message="x", keyboard=vk_keyboard(payload=payload(256)))
    assert violation.field == "keyboard.buttons[0][0].action.payload"
    assert (violation.kind, violation.reason) == ("limit", "256 characters, at most 255")
    assert what(send(vk_schema, message="x", keyboard=vk_keyboard(payload="not json"))) == [
        ("keyboard.buttons[0][0].action.payload", "type")
    ]


def test_vk_message_length(vk_schema: VkSpec) -> None:
    assert not send(vk_schema, message="я" * 9000)
    assert what(send(vk_schema, message="я" * 9001)) == [("message", "limit")]


# ---------------------------------------------------------------------- the allowed exceptions


def test_vk_allowed_exceptions_are_exactly_these() -> None:
    assert set(VK_ALLOWED) == {
        "messages.edit.conversation_message_id",
        "keyboard.one_time.inline",
        "keyboard.color.secondary",
        "execute.code",
    }
    assert all(allowance.reason for allowance in VK_ALLOWED.values())


def test_vk_edit_by_conversation_message_id(vk_schema: VkSpec) -> None:
    # not in the schema's messages.edit (only cmid), accepted as documented
    raw = json.loads((SPEC_DIR / "vk" / "messages" / "methods.json").read_text(encoding="utf-8"))
    edit = next(m for m in raw["methods"] if m["name"] == "messages.edit")
    assert "conversation_message_id" not in {p["name"] for p in edit["parameters"]}
    params = {"peer_id": "5", "conversation_message_id": "3", "message": "x"}
    assert not vk_schema.check("messages.edit", {**params, "keyboard": vk_keyboard()})
    assert what(vk_schema.check("messages.edit", {**params, "conversation_message_id": "x"})) == [
        ("conversation_message_id", "type")
    ]
    # only for messages.edit: messages.send has no such parameter
    assert what(send(vk_schema, message="x", conversation_message_id="3")) == [
        ("conversation_message_id", "unknown_field")
    ]
    # messages.edit's keyboard is checked like messages.send's
    assert what(vk_schema.check("messages.edit", {**params, "keyboard": vk_keyboard(7)})) == [
        ("keyboard.buttons", "limit")
    ]


def test_vk_inline_keyboard_without_one_time(vk_schema: VkSpec) -> None:
    assert not send(vk_schema, message="x", keyboard=vk_keyboard())
    assert not send(vk_schema, message="x", keyboard=json.dumps({"inline": True, "buttons": []}))
    # a keyboard that is not inline still needs it, as the schema says
    assert what(send(vk_schema, message="x", keyboard=vk_keyboard(inline=False))) == [
        ("keyboard.one_time", "missing")
    ]
    assert what(send(vk_schema, message="x", keyboard=json.dumps({"buttons": []}))) == [
        ("keyboard.one_time", "missing")
    ]


def test_vk_secondary_color(vk_schema: VkSpec) -> None:
    for color in ("primary", "secondary", "negative", "positive", "default"):
        board = json.loads(vk_keyboard())
        board["buttons"][0][0]["color"] = color
        assert not send(vk_schema, message="x", keyboard=json.dumps(board)), color


def test_vk_execute_code(vk_schema: VkSpec) -> None:
    assert not vk_schema.check("execute", {"code": "return 1;", "v": "5.199"})
    assert what(vk_schema.check("execute", {})) == [("code", "missing")]
    assert what(vk_schema.check("execute", {"code": "return 1;", "func_v": "2"})) == [
        ("func_v", "unknown_field")
    ]


# ====================================================================== the stand-in servers


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_tg_fake_answers_and_records_a_violation(http: aiohttp.ClientSession) -> None:
    async with FakeTelegram(token=TOKEN) as tg:
        user = tg.user(10, "Ann")
        bad = {"chat_id": user.id, "text": "hi", "reply_markup": markup([button("b", "d" * 65)])}
        async with http.post(f"{tg.url}/bot{TOKEN}/sendMessage", json=bad) as response:
            assert response.status == 400
            body = await response.json()
        assert body["description"].startswith("Bad Request: BUTTON_DATA_INVALID")
        assert "reply_markup.inline_keyboard[0][0].callback_data" in body["description"]
        assert tg.messages(user.id) == []  # refused: no effect
        call = tg.calls[-1]
        assert (call.failed, call.error_code) == (True, 400)
        form = {"chat_id": str(user.id), "text": "hi", "disable_notification": "yes"}
        async with http.post(f"{tg.url}/bot{TOKEN}/sendMessage", data=form) as response:
            assert response.status == 400
            assert "disable_notification" in (await response.json())["description"]
        async with http.post(f"{tg.url}/bot{TOKEN}/sendMessage", data=form | {"x": "1"}):
            pass
        violations = tg.take_spec_violations()
        assert [(v.call, v.field) for v in violations] == [
            (0, "reply_markup.inline_keyboard[0][0].callback_data"),
            (1, "disable_notification"),
            (2, "x"),
            (2, "disable_notification"),
        ]
        report = format_violations(violations)
        assert (
            "Telegram Bot API sendMessage.reply_markup.inline_keyboard[0][0].callback_data"
            in report
        )
        assert "'ddddd" in report and "65 bytes, must be 1-64 (call #0)" in report
        assert tg.spec_violations == []
        # a good request goes through
        async with http.post(
            f"{tg.url}/bot{TOKEN}/sendMessage", json={"chat_id": user.id, "text": "ok"}
        ) as response:
            assert response.status == 200


async def test_tg_fake_control_methods_and_switch(http: aiohttp.ClientSession) -> None:
    async with FakeTelegram(token=TOKEN) as tg:
        tg.set_handler("testReset", lambda params: True, outside_spec=True)
        tg.set_handler("testOther", lambda params: True)
        async with http.post(f"{tg.url}/bot{TOKEN}/testReset", json={"any": 1}) as response:
            assert (await response.json())["result"] is True
        async with http.post(f"{tg.url}/bot{TOKEN}/testOther", json={}) as response:
            assert response.status == 404
        assert [v.method for v in tg.take_spec_violations()] == ["testOther"]
    async with FakeTelegram(token=TOKEN, check_spec=False) as unchecked:
        user = unchecked.user(11, "Bob")
        payload = {"chat_id": user.id, "text": "hi", "colour": "red"}
        async with http.post(f"{unchecked.url}/bot{TOKEN}/sendMessage", json=payload) as response:
            assert response.status == 200
        assert unchecked.spec_violations == []


async def vk_post(
    http: aiohttp.ClientSession, vk: FakeVK, method: str, **params: str
) -> dict[str, Any]:
    data = {"access_token": VK_TOKEN, "v": "5.199", **params}
    async with http.post(f"{vk.url}/method/{method}", data=data) as response:
        body: dict[str, Any] = await response.json()
        return body


async def test_vk_fake_answers_and_records_a_violation(http: aiohttp.ClientSession) -> None:
    async with FakeVK(token=VK_TOKEN, group_id=1) as vk:
        user = vk.user(20, "Ivan")
        body = await vk_post(
            http, vk, "messages.send", peer_id="20", random_id="1", message="x", colour="red"
        )
        assert body["error"]["error_code"] == 100
        assert "colour: unknown parameter" in body["error"]["error_msg"]
        body = await vk_post(
            http,
            vk,
            "messages.send",
            peer_id="20",
            random_id="2",
            message="x",
            keyboard=vk_keyboard(7),
        )
        assert body["error"]["error_code"] == 911
        assert "keyboard.buttons: at most 6 rows" in body["error"]["error_msg"]
        assert vk.messages(user.id) == []
        # inside execute: the call fails alone, like any other failing call
        ok = json.dumps({"peer_id": 20, "random_id": 3, "message": "ok"})
        bad = json.dumps({"peer_id": 20, "random_id": 4, "message": "x", "sticker": "1"})
        code = f"return [API.messages.send({ok}), API.messages.send({bad})];"
        body = await vk_post(http, vk, "execute", code=code)
        assert body["response"][1] is False
        assert body["execute_errors"][0]["error_code"] == 100
        assert [m.text for m in vk.messages(user.id)] == ["ok"]
        assert [(v.method, v.field) for v in vk.take_spec_violations()] == [
            ("messages.send", "colour"),
            ("messages.send", "keyboard.buttons"),
            ("messages.send", "sticker"),
        ]


async def test_a_violation_left_over_fails_the_test(http: aiohttp.ClientSession) -> None:
    """What the autouse fixture of tests/conftest.py does at the end of every test."""
    with pytest.raises(pytest.fail.Exception) as failed, spec_guard() as fakes:
        async with FakeTelegram(token=TOKEN) as tg:
            payload = {"chat_id": 5, "text": "x" * 4097}
            async with http.post(f"{tg.url}/bot{TOKEN}/sendMessage", json=payload):
                pass
    assert fakes == [tg]
    message = str(failed.value)
    assert "1 request(s) to the stand-in servers broke the official API specification" in message
    assert "Telegram Bot API sendMessage.text = 'xxxxx" in message
    assert "4097 characters after entity parsing, must be 1-4096 (call #0)" in message
    with spec_guard() as fakes:  # taken: nothing left to fail on
        async with FakeVK(token=VK_TOKEN) as vk:
            await vk_post(http, vk, "no.suchMethod")
            assert [v.kind for v in vk.take_spec_violations()] == ["unknown_method"]
    assert fakes == [vk]
