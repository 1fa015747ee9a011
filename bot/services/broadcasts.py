"""Broadcasts: compose (content, link buttons, audience), preview, send now or schedule, list,
report and cancel. Delivery itself is the engine's work (`bot/broadcast/`); this service only
records intentions and asks the engine to look (`wake`).

The admin's message becomes safe Telegram-subset HTML: the formatting tags Telegram knows
(<b>, <i>, <u>, <s>, <code>, <pre>, <blockquote>, <tg-spoiler>, <a href="https://...">) are
kept when they are well formed and properly nested; everything else is shown literally.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from bot.broadcast.model import (
    Audience,
    Broadcast,
    BroadcastStatus,
    Content,
    LinkButton,
    Media,
    MediaKind,
    Who,
)
from bot.domain import Platform
from bot.services.clock import Clock, utcnow

MAX_TEXT = 4096  # Telegram's limit for a message, in UTF-16 units after parsing
MAX_CAPTION = 1024  # Telegram's limit for a media caption
MAX_BUTTONS = 6  # one per row within VK's inline keyboard (6 rows)
MAX_LABEL = 40  # VK's limit for a button label
MAX_URL = 1024
MAX_FILE = 20 * 1024 * 1024  # what a bot may download to pass a file to the other messenger
MOSCOW = timezone(timedelta(hours=3))
MAX_AHEAD = timedelta(days=366)

_SIMPLE_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "tg-spoiler"}
)
# a tag; quoted attribute values may hold < and > (the messenger's rendering leaves them as is)
_TAG_RE = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s(?:[^<>"']|"[^"]*"|'[^']*')*)?>""")
_HREF_RE = re.compile(r"""^\s+href\s*=\s*(?:"([^"]*)"|'([^']*)')\s*$""", re.IGNORECASE)
_SPOILER_RE = re.compile(r"""^\s+class\s*=\s*(?:"tg-spoiler"|'tg-spoiler')\s*$""", re.IGNORECASE)
_BLOCKQUOTE_RE = re.compile(r"^\s+expandable\s*$", re.IGNORECASE)
# a code block's language: Telegram's class="language-x", or aiogram's language="language-x"
_LANGUAGE_RE = re.compile(
    r"""^\s+(?:class|language)\s*=\s*"""
    r"""(?:"language-([\w+#.-]{1,32})"|'language-([\w+#.-]{1,32})')\s*$""",
    re.IGNORECASE | re.ASCII,
)
# in the messenger's rendering, a < or > outside a tag, or a & that starts no entity
_STRAY_RE = re.compile(r"[<>]|&(?![a-zA-Z]+;|#[0-9]+;|#[xX][0-9a-fA-F]+;)")
_BUTTON_RE = re.compile(r"^(.+?)\s+(?:-|—|–|\|)\s+(\S+)$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


class ComposeProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too-long"
    CAPTION_TOO_LONG = "caption-too-long"
    UNSUPPORTED = "unsupported"
    FILE_TOO_BIG = "file-too-big"


class ButtonProblem(StrEnum):
    FORMAT = "format"
    LABEL = "label"
    URL = "url"
    TOO_MANY = "too-many"


class TimeProblem(StrEnum):
    FORMAT = "format"
    PAST = "past"
    TOO_FAR = "too-far"


# --- content ----------------------------------------------------------------------------------


def _valid_url(url: str) -> bool:
    if len(url) > MAX_URL or any(c.isspace() for c in url) or '"' in url or "<" in url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _opening(name: str, attrs: str) -> str | None:
    """The normalised opening tag, or None when it is not one Telegram accepts."""
    if name == "code" and attrs.strip():
        match = _LANGUAGE_RE.match(attrs)
        return f'<code class="language-{match.group(1) or match.group(2)}">' if match else None
    if name in _SIMPLE_TAGS:
        return f"<{name}>" if not attrs.strip() else None
    if name == "blockquote":
        if not attrs.strip():
            return "<blockquote>"
        return "<blockquote expandable>" if _BLOCKQUOTE_RE.match(attrs) else None
    if name == "a":
        match = _HREF_RE.match(attrs)
        if match is None:
            return None
        url = html.unescape(match.group(1) if match.group(1) is not None else match.group(2))
        return f'<a href="{html.escape(url)}">' if _valid_url(url) else None
    if name == "span" and _SPOILER_RE.match(attrs):
        return '<span class="tg-spoiler">'
    return None


def sanitize_html(text: str, *, escaped: bool = False) -> str:
    """The admin's text as safe HTML: known tags kept when well formed and nested, the rest
    shown literally (escaped). `escaped` text (the messenger's own rendering of formatting)
    already has its plain parts escaped, and its tags are formatting, not typed text: one a bot
    cannot send (a custom emoji, a mention link) is dropped and its text kept."""
    tokens: list[tuple[str, str, str | None]] = []  # (kind, raw, normalised) kind: text|open|close
    position = 0
    for match in _TAG_RE.finditer(text):
        if match.start() > position:
            tokens.append(("text", text[position : match.start()], None))
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3) or ""
        if closing:
            known = name in _SIMPLE_TAGS or name in ("a", "span", "blockquote")
            normal = f"</{name}>" if known and not attrs.strip() else None
            tokens.append(("close", match.group(0), normal))
        else:
            tokens.append(("open", match.group(0), _opening(name, attrs)))
        position = match.end()
    if position < len(text):
        tokens.append(("text", text[position:], None))
    valid = [False] * len(tokens)
    stack: list[tuple[int, str]] = []
    for index, (kind, _raw, normal) in enumerate(tokens):
        if normal is None:
            continue
        name = re.match(r"</?([a-z0-9-]+)", normal)
        assert name is not None
        if kind == "open":
            stack.append((index, name.group(1)))
        elif stack and stack[-1][1] == name.group(1):
            opened, _ = stack.pop()
            valid[opened] = valid[index] = True
    out = []
    for index, (kind, raw, normal) in enumerate(tokens):
        if valid[index] and normal is not None:
            out.append(normal)
        elif escaped and kind == "text":
            out.append(_STRAY_RE.sub(lambda stray: html.escape(stray.group(0)), raw))
        elif not escaped:
            out.append(html.escape(raw, quote=False))
    return "".join(out)


def visible_length(safe_html: str) -> int:
    """Length of the text a recipient sees, in UTF-16 units as Telegram counts."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", safe_html))
    return len(plain.encode("utf-16-le")) // 2


def build_content(
    text: str,
    *,
    platform: Platform,
    kind: str | None = None,
    ref: str = "",
    name: str = "",
    size: int | None = None,
    formatted: bool = False,
) -> Content | ComposeProblem:
    """Content from the admin's message: text, or a photo / document (`kind`) with a caption.
    `formatted` text is the messenger's HTML rendering of the admin's formatting."""
    safe = sanitize_html(text.strip(), escaped=formatted)
    if kind is None:
        if not safe.strip():
            return ComposeProblem.EMPTY
        if visible_length(safe) > MAX_TEXT:
            return ComposeProblem.TOO_LONG
        return Content(text=safe)
    if kind not in (MediaKind.PHOTO.value, MediaKind.DOCUMENT.value) or not ref:
        return ComposeProblem.UNSUPPORTED
    if size is not None and size > MAX_FILE:
        return ComposeProblem.FILE_TOO_BIG
    if visible_length(safe) > MAX_CAPTION:
        return ComposeProblem.CAPTION_TOO_LONG
    media = Media(kind=MediaKind(kind), platform=platform, ref=ref, name=name[:128])
    return Content(text=safe, media=media)


def parse_buttons(text: str) -> tuple[LinkButton, ...] | tuple[ButtonProblem, int]:
    """Lines `Title - https://...` -> link buttons; or (problem, 1-based line number)."""
    buttons: list[LinkButton] = []
    line_no = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        line_no += 1
        match = _BUTTON_RE.match(line)
        if match is None:
            return ButtonProblem.FORMAT, line_no
        label, url = match.group(1).strip(), match.group(2).strip()
        if not 1 <= len(label) <= MAX_LABEL:
            return ButtonProblem.LABEL, line_no
        if not _valid_url(url):
            return ButtonProblem.URL, line_no
        buttons.append(LinkButton(label, url))
    if not buttons:
        return ButtonProblem.FORMAT, 1
    if len(buttons) > MAX_BUTTONS:
        return ButtonProblem.TOO_MANY, MAX_BUTTONS + 1
    return tuple(buttons)


def parse_when(text: str, now: datetime) -> datetime | TimeProblem:
    """A Moscow date and time typed by the admin -> an aware UTC moment in the future.

    Accepts `DD.MM.YYYY HH:MM`, `DD.MM.YY HH:MM`, `DD.MM HH:MM` (the next such day),
    `YYYY-MM-DD HH:MM` and `HH:MM` (today, or tomorrow once the time has passed)."""
    value = " ".join(text.replace(",", " ").split())
    local_now = now.astimezone(MOSCOW)
    moment: datetime | None = None
    for pattern in ("%d.%m.%Y %H:%M", "%d.%m.%y %H:%M", "%Y-%m-%d %H:%M"):
        try:
            moment = datetime.strptime(value, pattern).replace(tzinfo=MOSCOW)
            break
        except ValueError:
            continue
    if moment is None:
        try:
            partial = datetime.strptime(f"{value} {local_now.year}", "%d.%m %H:%M %Y")
        except ValueError:
            partial = None
        if partial is not None:
            moment = partial.replace(tzinfo=MOSCOW)
            if moment <= local_now:
                moment = moment.replace(year=moment.year + 1)
    if moment is None:
        match = _TIME_RE.match(value)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            return TimeProblem.FORMAT
        moment = local_now.replace(
            hour=int(match.group(1)), minute=int(match.group(2)), second=0, microsecond=0
        )
        if moment <= local_now:
            moment += timedelta(days=1)
    if moment <= now:
        return TimeProblem.PAST
    if moment - now > MAX_AHEAD:
        return TimeProblem.TOO_FAR
    return moment.astimezone(now.tzinfo or MOSCOW)


# --- ports ---------------------------------------------------------------------------------------


class BroadcastRepository(Protocol):
    async def create(self, author_id: int, content: Content, now: datetime) -> int: ...

    async def get(self, broadcast_id: int) -> Broadcast | None: ...

    async def discard_drafts(self, author_id: int) -> None: ...

    async def set_buttons(self, broadcast_id: int, buttons: tuple[LinkButton, ...]) -> None: ...

    async def set_audience(self, broadcast_id: int, audience: Audience) -> None: ...

    async def count_audience(self, audience: Audience, platforms: Collection[Platform]) -> int: ...

    async def start(self, broadcast_id: int, now: datetime) -> bool:
        """draft -> running."""
        ...

    async def schedule(self, broadcast_id: int, when: datetime, now: datetime) -> bool:
        """draft -> scheduled."""
        ...

    async def cancel(self, broadcast_id: int, now: datetime) -> bool: ...

    async def listing(self, offset: int, limit: int) -> tuple[list[Broadcast], int]: ...

    async def top_errors(self, broadcast_id: int, limit: int) -> list[tuple[str, int]]: ...

    async def top_tags(self, limit: int) -> list[str]: ...


class CopySender(Protocol):
    async def send_copy(self, broadcast: Broadcast, platform: Platform, chat_id: int) -> bool:
        """Deliver the broadcast to one chat exactly as recipients get it (preview, test)."""
        ...

    async def settle(self, broadcast_id: int, seconds: float) -> None:
        """Stop sending a cancelled broadcast and wait (at most `seconds`) until the
        messages in flight are answered and counted."""
        ...


# --- the service -------------------------------------------------------------------------------


SETTLE_SECONDS = 5.0


class BroadcastService:
    def __init__(
        self,
        repo: BroadcastRepository,
        *,
        platforms: Collection[Platform],
        locales: Collection[str],
        clock: Clock = utcnow,
    ) -> None:
        self._repo = repo
        self._clock = clock
        self.platforms = tuple(p for p in Platform if p in set(platforms))
        self.locales = tuple(locales)
        self._sender: CopySender | None = None
        self._wake: Callable[[], None] = lambda: None

    def attach(self, sender: CopySender, wake: Callable[[], None]) -> None:
        """Connect the delivery engine: previews go through it, and it is woken on changes."""
        self._sender = sender
        self._wake = wake

    def now(self) -> datetime:
        return self._clock()

    async def create_draft(self, author_id: int, content: Content) -> Broadcast:
        await self._repo.discard_drafts(author_id)
        broadcast_id = await self._repo.create(author_id, content, self._clock())
        broadcast = await self._repo.get(broadcast_id)
        assert broadcast is not None
        return broadcast

    async def discard_drafts(self, author_id: int) -> None:
        await self._repo.discard_drafts(author_id)

    async def get(self, broadcast_id: int) -> Broadcast | None:
        return await self._repo.get(broadcast_id)

    async def draft(self, broadcast_id: int, author_id: int) -> Broadcast | None:
        """The author's own draft, or None (someone else's, started, or gone)."""
        broadcast = await self._repo.get(broadcast_id)
        if (
            broadcast is None
            or broadcast.author_id != author_id
            or broadcast.status is not BroadcastStatus.DRAFT
        ):
            return None
        return broadcast

    async def set_buttons(self, broadcast: Broadcast, buttons: tuple[LinkButton, ...]) -> None:
        await self._repo.set_buttons(broadcast.id, buttons)

    async def set_audience(self, broadcast: Broadcast, audience: Audience) -> Broadcast:
        audience = self.normalise(audience)
        await self._repo.set_audience(broadcast.id, audience)
        return replace(broadcast, audience=audience)

    def normalise(self, audience: Audience) -> Audience:
        platform = audience.platform if audience.platform in self.platforms else None
        locale = audience.locale if audience.locale in self.locales else ""
        value = audience.value if audience.who in (Who.PROJECT, Who.TAG) else ""
        return Audience(who=audience.who, value=value, platform=platform, locale=locale)

    async def audience_size(self, audience: Audience) -> int:
        """Recipients right now (people who blocked the bot are not counted)."""
        return await self._repo.count_audience(audience, self.platforms)

    async def send_copy(self, broadcast: Broadcast, platform: Platform, chat_id: int) -> bool:
        if self._sender is None:
            return False
        return await self._sender.send_copy(broadcast, platform, chat_id)

    async def start_now(self, broadcast: Broadcast) -> bool:
        started = await self._repo.start(broadcast.id, self._clock())
        if started:
            self._wake()
        return started

    async def schedule(self, broadcast: Broadcast, when: datetime) -> bool | TimeProblem:
        now = self._clock()
        if when <= now:
            return TimeProblem.PAST
        if when - now > MAX_AHEAD:
            return TimeProblem.TOO_FAR
        scheduled = await self._repo.schedule(broadcast.id, when, now)
        if scheduled:
            self._wake()
        return scheduled

    async def cancel(self, broadcast_id: int) -> bool:
        """Cancel a scheduled or running broadcast (what was sent stays sent)."""
        cancelled = await self._repo.cancel(broadcast_id, self._clock())
        if cancelled:
            self._wake()
            if self._sender is not None:  # so a report drawn next shows the final counts
                await self._sender.settle(broadcast_id, SETTLE_SECONDS)
        return cancelled

    async def listing(self, page: int, per_page: int) -> tuple[list[Broadcast], int]:
        """Scheduled, running and past broadcasts, newest first (drafts are not listed)."""
        return await self._repo.listing(max(page, 0) * per_page, per_page)

    async def top_errors(self, broadcast_id: int, limit: int = 3) -> list[tuple[str, int]]:
        return await self._repo.top_errors(broadcast_id, limit)

    async def top_tags(self, limit: int = 8) -> list[str]:
        return await self._repo.top_tags(limit)
