from __future__ import annotations

import json

from bot.ui import Button, Screen, act
from bot.vk.convert import from_message_event, from_message_new
from bot.vk.messenger import random_id
from bot.vk.render import render, to_plain


def test_html_becomes_plain_text() -> None:
    html = '<b>Hi</b> &lt;b&gt;A &amp; B&lt;/b&gt; <a href="https://x.org">site</a>'
    assert to_plain(html) == "Hi <b>A & B</b> site (https://x.org)"


def test_keyboard_within_vk_limits_paginates_into_more_messages() -> None:
    rows = [[Button(f"item {i}", act("x", i))] for i in range(14)]
    messages = render(Screen.of("<b>List</b>", rows), "More:")
    assert messages[0][0] == "List"
    assert len(messages) == 3
    total = 0
    for _, keyboard in messages:
        assert keyboard is not None
        board = json.loads(keyboard)
        assert board["inline"] is True
        assert len(board["buttons"]) <= 6
        count = sum(len(row) for row in board["buttons"])
        assert count <= 10
        total += count
        for row in board["buttons"]:
            for button in row:
                payload = json.loads(button["action"]["payload"])
                assert payload["a"].startswith("x:")
    assert total == 14
    assert [m[0] for m in messages[1:]] == ["More:", "More:"]


def test_long_labels_and_wide_rows_are_cut_to_fit() -> None:
    row = [Button("x" * 60, act("x", i)) for i in range(7)]
    messages = render(Screen.of("t", [row]), "More:")
    board = json.loads(messages[0][1])  # type: ignore[arg-type]
    assert all(len(r) <= 5 for r in board["buttons"])
    assert all(len(b["action"]["label"]) <= 40 for r in board["buttons"] for b in r)


def test_long_text_is_split_below_9000() -> None:
    messages = render(Screen.of("word " * 5000, [[Button("ok", act("menu"))]]), "More:")
    assert len(messages) >= 3
    assert all(len(text) <= 9000 for text, _ in messages)
    assert messages[-1][1] is not None and all(k is None for _, k in messages[:-1])


def test_random_id_is_deterministic_and_distinct() -> None:
    assert random_id(5, "m10", 1) == random_id(5, "m10", 1)
    ids = {random_id(5, "m10", n) for n in range(1, 50)} | {random_id(6, "m10", 1)}
    assert len(ids) == 50
    assert all(0 <= i < 2**31 for i in ids)


def test_message_new_start_button_ref_and_language() -> None:
    event = from_message_new(
        {
            "message": {
                "from_id": 7,
                "peer_id": 7,
                "text": "Начать",
                "payload": '{"command":"start"}',
                "ref": "vac_12",
                "ref_source": "kazan_jobs",
                "conversation_message_id": 1,
            },
            "client_info": {"lang_id": 3},
        }
    )
    assert event is not None
    assert event.command == "start" and event.ref == "vac_12" and event.ref_source == "kazan_jobs"
    assert event.language_code == "en"


def test_message_new_ignores_group_chats_and_communities() -> None:
    assert from_message_new({"message": {"from_id": -1, "peer_id": -1, "text": "x"}}) is None
    assert from_message_new({"message": {"from_id": 1, "peer_id": 2000000001, "text": "x"}}) is None


def test_message_event_with_forged_payload_has_no_action() -> None:
    for payload in ({"a": "menu:<script>"}, {"a": 5}, "not json", {"b": "menu"}):
        event = from_message_event(
            {"user_id": 1, "peer_id": 1, "event_id": "e", "payload": payload}
        )
        assert event is not None and event.is_button and event.action is None


def test_button_labels_are_plain_text_on_both_platforms() -> None:
    from bot.i18n import Markup
    from bot.telegram.render import keyboard

    screen = Screen.of("x", [[Button(Markup("✖ Tom &amp; Jerry"), act("tm.rv", 5))]])
    board = json.loads(render(screen, "More:")[0][1])  # type: ignore[arg-type]
    assert board["buttons"][0][0]["action"]["label"] == "✖ Tom & Jerry"
    markup = keyboard(screen)
    assert markup is not None and markup.inline_keyboard[0][0].text == "✖ Tom & Jerry"
