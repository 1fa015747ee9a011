from __future__ import annotations

import pytest

from bot.ui import MAX_ACTION_BYTES, Action, ActionError, Button, Screen, act, split_text


def test_action_round_trip() -> None:
    action = act("vac.open", 12, "src-1")
    assert action.pack() == "vac.open:12:src-1"
    assert Action.parse(action.pack()) == action
    assert Action.parse("menu") == Action("menu", ())


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        42,
        "Menu",
        "menu:<b>",
        "x" * 65,
        "menu:" + "1" * 60,
        "menu::;drop",
        "мenu",
        "a:b c",
    ],
)
def test_malformed_action_data_is_rejected(data: object) -> None:
    assert Action.parse(data) is None


def test_action_never_exceeds_callback_limit() -> None:
    with pytest.raises(ActionError):
        act("vac.open", "a" * 40, "b" * 40).pack()
    assert len(act("x", "1" * 40).pack().encode()) <= MAX_ACTION_BYTES


def test_int_arg_accepts_only_plain_numbers() -> None:
    action = Action.parse("vac.open:12:-3:abc")
    assert action is not None
    assert action.int_arg(0) == 12
    assert action.int_arg(1) is None
    assert action.int_arg(2) is None
    assert action.int_arg(9) is None


def test_button_needs_exactly_one_target() -> None:
    with pytest.raises(ValueError):
        Button("x")
    with pytest.raises(ValueError):
        Button("x", act("menu"), url="https://example.org")


def test_screen_drops_empty_rows() -> None:
    screen = Screen.of("hi", [[Button("a", act("a"))], []])
    assert len(screen.rows) == 1
    assert [b.label for b in screen.buttons] == ["a"]


def test_split_text_keeps_short_text_whole() -> None:
    assert split_text("hello", 10) == ["hello"]


def test_split_text_cuts_at_breaks_and_balances_tags() -> None:
    text = "<b>" + " ".join(f"word{i}" for i in range(400)) + "</b>\n\n&amp; end"
    chunks = split_text(text, 500)
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk) <= 500
        assert chunk.count("<b>") == chunk.count("</b>")
        assert not chunk.endswith("&am")
    joined = " ".join(c.replace("<b>", "").replace("</b>", "") for c in chunks)
    assert "word0" in joined and "word399" in joined and "&amp; end" in joined


def test_split_text_never_cuts_an_entity() -> None:
    text = ("&lt;" * 1000)[:3999]
    for chunk in split_text(text, 100):
        assert chunk.replace("&lt;", "") in ("", "&lt"[: len(chunk.replace("&lt;", ""))])
