"""Screen -> Telegram messages: HTML text chunks within 4096 characters and an inline keyboard."""

from __future__ import annotations

import html
from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.ui import TELEGRAM_LIMITS, Button, Screen, split_text


@lru_cache(maxsize=4096)
def button(b: Button) -> InlineKeyboardButton:
    label = html.unescape(b.label)  # labels are plain text; locale-built ones come escaped
    if b.url is not None:
        return InlineKeyboardButton(text=label, url=b.url)
    if b.switch_inline is not None:
        return InlineKeyboardButton(text=label, switch_inline_query=b.switch_inline)
    assert b.action is not None
    return InlineKeyboardButton(text=label, callback_data=b.action.pack())


def keyboard(screen: Screen) -> InlineKeyboardMarkup | None:
    return _keyboard(screen.rows) if screen.rows else None


@lru_cache(maxsize=2048)
def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """Built once per distinct keyboard (menus and lists repeat; buttons are immutable)."""
    limit = TELEGRAM_LIMITS.max_per_row
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(b) for b in row[i : i + limit]]
            for row in rows
            for i in range(0, len(row), limit)
        ]
    )


def render(screen: Screen) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The messages to send for a screen; the keyboard goes with the last chunk."""
    chunks = split_text(screen.text, TELEGRAM_LIMITS.max_text)
    markup = keyboard(screen)
    return [(chunk, markup if i == len(chunks) - 1 else None) for i, chunk in enumerate(chunks)]
