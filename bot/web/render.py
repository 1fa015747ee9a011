"""Screen -> the message the page renders (see `bot/web/static/app.js`).

Texts are the same Telegram-subset HTML the messengers get, built from locale strings with
every variable escaped; the page still rebuilds them through an allow-list, so nothing a
person typed can become markup there either."""

from __future__ import annotations

from typing import Any

from bot.ui import Limits, Screen

# the page has no hard limits; these keep lists paginated as on Telegram
WEB_LIMITS = Limits(max_rows=100, max_buttons=100, max_per_row=8, max_text=4096)


def buttons(screen: Screen) -> list[list[dict[str, str]]]:
    rows = []
    for row in screen.rows:
        out = []
        for button in row:
            if button.action is not None:
                out.append({"label": button.label, "data": button.action.pack()})
            elif button.url is not None:
                out.append({"label": button.label, "url": button.url})
            # switch_inline is Telegram's inline mode: nothing to offer on the web
        if out:
            rows.append(out)
    return rows


def bot_body(screen: Screen, file: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"html": screen.text, "buttons": buttons(screen), "file": file}


def user_body(text: str = "", file: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"text": text, "file": file}


def file_info(file_id: str, name: str, kind: str, size: int) -> dict[str, Any]:
    return {"name": name, "url": f"/files/{file_id}", "kind": kind, "size": size}


def message(message_id: int, sender: str, body: dict[str, Any], at: str) -> dict[str, Any]:
    """A stored message as the page gets it."""
    return {
        "id": message_id,
        "from": sender,
        "at": at,
        "html": body.get("html", ""),
        "text": body.get("text", ""),
        "buttons": body.get("buttons", []),
        "file": body.get("file"),
    }
