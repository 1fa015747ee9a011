"""What every outgoing screen, toast and file must satisfy, on each messenger.

Screens are rendered with the real renderers (`bot.telegram.render`, `bot.vk.render`) and the
result is checked against what the platforms accept: Telegram's HTML parser
(`tests.fakes.html_check`) and limits, VK's keyboard and message limits. Each check returns a
list of problems (empty when all is well) so one event can report everything it broke.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from bot.broadcast.model import Broadcast
from bot.domain import Platform
from bot.telegram.render import render as tg_render
from bot.ui import TELEGRAM_LIMITS, VK_LIMITS, Screen, plain_text, split_text
from bot.vk.render import MAX_LABEL as VK_MAX_LABEL
from bot.vk.render import render as vk_render
from bot.vk.render import to_plain
from tests.fakes.html_check import check_html, parse_html

TG_MAX_CALLBACK_BYTES = 64
TG_MAX_BUTTONS = 100
TG_MAX_CAPTION = 1024
VK_MAX_PAYLOAD = 255
_URL_SCHEMES = ("http://", "https://", "tg://")

#: Markup Telegram understands, as tags or entities: never to be seen as text in a plain-text
#: place (a toast, a VK message) unless the person typed it so.
MARKUP_RE = re.compile(
    r"</?(?:b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|span|blockquote|tg-emoji|tg-time)"
    r"(?:\s[^<>]*)?>"
    r"|&(?:amp|lt|gt|quot|#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7});"
)


def _short(text: str, limit: int = 160) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def telegram_problems(screen: Screen) -> list[str]:
    """Would Telegram accept every message the screen becomes?"""
    problems: list[str] = []
    for text, markup in tg_render(screen):
        error = check_html(text)
        if error is not None:
            problems.append(f"Telegram refuses the text ({error}): {_short(text)}")
            continue
        plain, _ = parse_html(text)
        if not plain.strip():
            problems.append(f"Telegram refuses an empty text: {_short(text)}")
        if len(plain) > TELEGRAM_LIMITS.max_text:
            problems.append(f"Telegram text of {len(plain)} characters > 4096: {_short(plain)}")
        if markup is None:
            continue
        rows = markup.inline_keyboard
        total = sum(len(row) for row in rows)
        if total > TG_MAX_BUTTONS:
            problems.append(f"Telegram keyboard of {total} buttons > {TG_MAX_BUTTONS}")
        for row in rows:
            if len(row) > TELEGRAM_LIMITS.max_per_row:
                problems.append(f"Telegram keyboard row of {len(row)} buttons")
            for button in row:
                if not button.text:
                    problems.append("Telegram button without a label")
                data = button.callback_data
                if data is not None and not 1 <= len(data.encode()) <= TG_MAX_CALLBACK_BYTES:
                    problems.append(f"Telegram callback data of {len(data.encode())} bytes")
                if button.url is not None and not button.url.startswith(_URL_SCHEMES):
                    problems.append(f"Telegram button URL {_short(button.url)}")
    return problems


def _markup_left(html_chunk: str, plain: str) -> list[str]:
    """Markup (tags, entities) in the VK text beyond what the visible text itself has."""
    try:
        visible, _ = parse_html(html_chunk)
    except ValueError:
        return []  # reported by the HTML check
    left = Counter(MARKUP_RE.findall(plain)) - Counter(MARKUP_RE.findall(visible))
    return sorted(left)


def vk_problems(screen: Screen, more_text: str) -> list[str]:
    """Would VK accept every message the screen becomes, with no HTML left in the text?"""
    problems: list[str] = []
    for chunk in split_text(screen.text, VK_LIMITS.max_text):
        error = check_html(chunk)
        if error is not None:
            problems.append(f"VK text made from invalid HTML ({error}): {_short(chunk)}")
            continue
        left = _markup_left(chunk, to_plain(chunk))
        if left:
            problems.append(f"VK text keeps HTML {left}: {_short(to_plain(chunk))}")
    for text, keyboard in vk_render(screen, more_text):
        if not text.strip():
            problems.append("VK refuses an empty message")
        if len(text) > VK_LIMITS.max_text:
            problems.append(f"VK message of {len(text)} characters > {VK_LIMITS.max_text}")
        if keyboard is not None:
            problems += _vk_keyboard_problems(keyboard)
    return problems


def _vk_keyboard_problems(raw: str) -> list[str]:
    problems: list[str] = []
    keyboard = json.loads(raw)
    rows = keyboard.get("buttons", [])
    if not keyboard.get("inline"):
        problems.append("VK keyboard is not inline")
    if len(rows) > VK_LIMITS.max_rows:
        problems.append(f"VK inline keyboard of {len(rows)} rows > {VK_LIMITS.max_rows}")
    total = sum(len(row) for row in rows)
    if total > VK_LIMITS.max_buttons:
        problems.append(f"VK inline keyboard of {total} buttons > {VK_LIMITS.max_buttons}")
    for row in rows:
        if not row or len(row) > VK_LIMITS.max_per_row:
            problems.append(f"VK keyboard row of {len(row)} buttons")
        for button in row:
            action = button.get("action", {})
            label = action.get("label")
            if not isinstance(label, str) or not 1 <= len(label) <= VK_MAX_LABEL:
                problems.append(f"VK button label {_short(str(label))}")
            payload = action.get("payload")
            if payload is not None:
                if len(payload) > VK_MAX_PAYLOAD:
                    problems.append(f"VK payload of {len(payload)} characters > 255")
                json.loads(payload)
            if action.get("type") == "open_link" and not str(action.get("link")).startswith(
                ("http://", "https://")
            ):
                problems.append(f"VK link button to {_short(str(action.get('link')))}")
    return problems


def screen_problems(platform: Platform, screen: Screen, more_text: str) -> list[str]:
    if platform is Platform.TELEGRAM:
        return telegram_problems(screen)
    return vk_problems(screen, more_text)


def toast_problems(text: str) -> list[str]:
    """A toast is built as HTML like every text, and the runtimes show it as plain text (a
    Telegram callback answer, a VK snackbar, a web toast: `bot.ui.plain_text`): the HTML must
    be valid, and what is shown must carry no markup beyond what the visible text has."""
    error = check_html(text)
    if error is not None:
        return [f"toast is not valid HTML ({error}): {_short(text)}"]
    left = _markup_left(text, plain_text(text))
    return [f"toast shows HTML {left}: {_short(text)}"] if left else []


def caption_problems(platform: Platform, caption: str) -> list[str]:
    if not caption:
        return []
    if platform is Platform.VK:
        plain = to_plain(caption)
        left = _markup_left(caption, plain)
        return [f"VK caption keeps HTML {left}"] if left else []
    cut = caption[:TG_MAX_CAPTION]
    error = check_html(cut)
    if error is not None:
        return [f"Telegram refuses the caption ({error}): {_short(cut)}"]
    return []


def broadcast_problems(broadcast: Broadcast, typed: str | None = None) -> list[str]:
    """The content recipients would get: valid HTML within Telegram's limits, and (when the text
    the admin typed is known) the formatting applied, not shown as tags."""
    text = broadcast.content.text
    error = check_html(text)
    if error is not None:
        return [f"broadcast text Telegram refuses ({error}): {_short(text)}"]
    plain, _ = parse_html(text)
    if typed is not None:
        left = Counter(MARKUP_RE.findall(plain)) - Counter(MARKUP_RE.findall(typed))
        if left:
            return [f"broadcast shows formatting as tags {sorted(left)}: {_short(plain)}"]
    limit = TG_MAX_CAPTION if broadcast.content.media is not None else TELEGRAM_LIMITS.max_text
    if len(plain) > limit:
        return [f"broadcast text of {len(plain)} characters > {limit}"]
    if broadcast.content.media is None and not plain.strip():
        return ["broadcast without text"]
    return []
