"""Platform-neutral screens: text (Telegram-subset HTML) plus rows of buttons, and the Action codec.

An action is a short ASCII string `name:arg1:arg2` that fits Telegram's 64-byte callback data and
a VK payload. Button data comes back from users and is untrusted: `Action.parse` returns None for
anything malformed, and handlers re-check everything the arguments point at.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAX_ACTION_BYTES = 64
_LINK_RE = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_.]{0,31}$")
_ARG_RE = re.compile(r"^[A-Za-z0-9_.\-]{0,40}$")


class ActionError(ValueError):
    """An action could not be encoded within the limits."""


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    args: tuple[str, ...] = ()

    def pack(self) -> str:
        if not _NAME_RE.match(self.name):
            raise ActionError(f"bad action name {self.name!r}")
        for arg in self.args:
            if not _ARG_RE.match(arg):
                raise ActionError(f"bad action argument {arg!r}")
        data = ":".join((self.name, *self.args))
        if len(data.encode()) > MAX_ACTION_BYTES:
            raise ActionError(f"action {data!r} is longer than {MAX_ACTION_BYTES} bytes")
        return data

    @classmethod
    def parse(cls, data: object) -> Action | None:
        """Decode untrusted button data; None when it is not a well-formed action."""
        if not isinstance(data, str) or not data or len(data.encode()) > MAX_ACTION_BYTES:
            return None
        name, *args = data.split(":")
        if not _NAME_RE.match(name) or not all(_ARG_RE.match(arg) for arg in args):
            return None
        return cls(name, tuple(args))

    def int_arg(self, index: int) -> int | None:
        """The argument at `index` as a non-negative int, or None when absent or not a number."""
        if index >= len(self.args):
            return None
        raw = self.args[index]
        if not raw.isdigit() or len(raw) > 18:
            return None
        return int(raw)


def act(name: str, *args: object) -> Action:
    return Action(name, tuple(str(arg) for arg in args))


@dataclass(frozen=True, slots=True)
class Button:
    """A button either triggers an `action` or opens a `url`; `label` is plain text."""

    label: str
    action: Action | None = None
    url: str | None = None
    switch_inline: str | None = None

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.action, self.url, self.switch_inline)) != 1:
            raise ValueError("a button needs exactly one of action, url or switch_inline")
        if self.action is not None:
            self.action.pack()  # fail at build time, not at send time


@dataclass(frozen=True, slots=True)
class Screen:
    """What the user sees: HTML text (built from locale strings only) and keyboard rows."""

    text: str
    rows: tuple[tuple[Button, ...], ...] = field(default=())

    @classmethod
    def of(cls, text: str, rows: Iterable[Sequence[Button]] = ()) -> Screen:
        return cls(text, tuple(tuple(row) for row in rows if row))

    @property
    def buttons(self) -> list[Button]:
        return [button for row in self.rows for button in row]


@dataclass(frozen=True, slots=True)
class Limits:
    """What one platform's keyboard can hold; handlers paginate lists within it."""

    max_rows: int
    max_buttons: int
    max_per_row: int
    max_text: int


TELEGRAM_LIMITS = Limits(max_rows=100, max_buttons=100, max_per_row=8, max_text=4096)
VK_LIMITS = Limits(max_rows=6, max_buttons=10, max_per_row=5, max_text=9000)


def split_text(text: str, limit: int) -> list[str]:
    """Split text into chunks of at most `limit` characters at paragraph, line or word breaks.

    Chunks never cut an HTML tag or entity in half, and tags open at a cut are closed at the end
    of the chunk and re-opened at the start of the next one.
    """
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    rest = text
    open_tags: list[tuple[str, str]] = []  # (name, full opening tag)
    while rest:
        prefix = "".join(full for _, full in open_tags)
        if len(prefix) + len(rest) <= limit:
            chunks.append(prefix + rest)
            break
        reserve = sum(len(name) + 3 for name, _ in open_tags) + 64
        cut = _safe_cut(rest, max(limit - len(prefix) - reserve, 1))
        piece, rest = rest[:cut], rest[cut:].lstrip("\n ")
        open_tags = _open_tags(open_tags, piece)
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        chunks.append(prefix + piece.rstrip() + closing)
    return [chunk for chunk in chunks if chunk.strip()]


_TAG_RE = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def _open_tags(already: list[tuple[str, str]], piece: str) -> list[tuple[str, str]]:
    stack = list(already)
    for match in _TAG_RE.finditer(piece):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
            continue
        for index in range(len(stack) - 1, -1, -1):
            if stack[index][0] == name:
                del stack[index]
                break
    return stack


def _safe_cut(text: str, budget: int) -> int:
    window = text[:budget]
    for sep in ("\n\n", "\n", " "):
        pos = window.rfind(sep)
        if pos > budget // 3:
            cut = pos + len(sep)
            break
    else:
        cut = budget
    # never cut inside a tag or an entity
    lt, gt = window.rfind("<", 0, cut), window.rfind(">", 0, cut)
    if lt > gt:
        cut = lt
    amp, semi = window.rfind("&", 0, cut), window.rfind(";", 0, cut)
    if amp > semi and cut - amp < 10:
        cut = amp
    return max(cut, 1)


@dataclass(frozen=True, slots=True)
class InlineCard:
    """A ready-to-send message offered in Telegram inline mode, with a deep link into the bot."""

    id: str
    title: str
    description: str
    text: str
    button_label: str
    ref: str


def plain_text(text: str) -> str:
    """Telegram-subset HTML -> plain text (a toast, a VK message); links keep their address.
    Texts are built as HTML with every variable escaped, so a name like "A & B" comes back as
    itself, not as "A &amp; B"."""

    def link(match: re.Match[str]) -> str:
        href, label = match.group(1), _TAG_RE.sub("", match.group(2))
        return label if html.unescape(href) == html.unescape(label) else f"{label} ({href})"

    text = _LINK_RE.sub(link, text)
    return html.unescape(_TAG_RE.sub("", text))
