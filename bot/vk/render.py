"""Screen -> VK messages: plain text (VK has no HTML) within 9000 characters and inline
keyboards within VK's limits (6 rows, 10 buttons, 5 per row); extra buttons go to follow-up
messages instead of failing."""

from __future__ import annotations

import html
import json

from bot.ui import VK_LIMITS, Button, Screen, plain_text, split_text

MAX_LABEL = 40


to_plain = plain_text  # VK messages are plain text


def _label(text: str) -> str:
    text = html.unescape(text)  # labels are plain text; locale-built ones come escaped
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _button(b: Button) -> dict[str, object] | None:
    if b.url is not None:
        return {"action": {"type": "open_link", "link": b.url, "label": _label(b.label)}}
    if b.action is not None:
        payload = json.dumps({"a": b.action.pack()}, separators=(",", ":"))
        return {"action": {"type": "callback", "label": _label(b.label), "payload": payload}}
    return None  # Telegram-only buttons (inline mode) have no VK counterpart


def keyboards(screen: Screen) -> list[list[list[dict[str, object]]]]:
    """Rows of VK buttons packed into as few inline keyboards as the limits allow."""
    rows: list[list[dict[str, object]]] = []
    for row in screen.rows:
        buttons = [vk for b in row if (vk := _button(b)) is not None]
        rows.extend(
            buttons[i : i + VK_LIMITS.max_per_row]
            for i in range(0, len(buttons), VK_LIMITS.max_per_row)
        )
    boards: list[list[list[dict[str, object]]]] = []
    current: list[list[dict[str, object]]] = []
    count = 0
    for line in rows:
        if current and (
            len(current) == VK_LIMITS.max_rows or count + len(line) > VK_LIMITS.max_buttons
        ):
            boards.append(current)
            current, count = [], 0
        current.append(line)
        count += len(line)
    if current:
        boards.append(current)
    return boards


def keyboard_json(rows: list[list[dict[str, object]]]) -> str:
    return json.dumps({"inline": True, "buttons": rows}, ensure_ascii=False, separators=(",", ":"))


def render(screen: Screen, more_text: str) -> list[tuple[str, str | None]]:
    """(text, keyboard JSON) messages for a screen; the first keyboard goes with the last text
    chunk, further keyboards follow with `more_text`."""
    chunks = [to_plain(chunk) for chunk in split_text(screen.text, VK_LIMITS.max_text)]
    chunks = [chunk for chunk in chunks if chunk.strip()] or [more_text]
    boards = keyboards(screen)
    messages: list[tuple[str, str | None]] = [(chunk, None) for chunk in chunks]
    if boards:
        messages[-1] = (messages[-1][0], keyboard_json(boards[0]))
        messages += [(more_text, keyboard_json(board)) for board in boards[1:]]
    return messages
