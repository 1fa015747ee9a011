"""Broadcasts: what an admin sends (content), to whom (audience), and how each recipient fared.

Plain dataclasses shared by the service, the repository, the delivery engine and the handlers;
nothing here knows a messenger or SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain import Platform


class BroadcastStatus(StrEnum):
    DRAFT = "draft"  # being composed
    SCHEDULED = "scheduled"  # waits for scheduled_at
    RUNNING = "running"  # recipients recorded (or being recorded) and being sent to
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    BLOCKED = "blocked"  # the recipient blocked the bot or forbids messages
    FAILED = "failed"  # a permanent error (chat not found, ...), or retries ran out
    UNKNOWN = "unknown"  # the request timed out after it was sent: maybe delivered, never resent


class MediaKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


class Who(StrEnum):
    ALL = "all"
    CANDIDATES = "candidates"
    EMPLOYEES = "employees"  # employees and admins
    PROJECT = "project"  # subscribers of a project
    TAG = "tag"  # subscribers of a hashtag


@dataclass(frozen=True, slots=True)
class LinkButton:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Media:
    """A photo or document as the admin sent it: a reference valid on `platform`."""

    kind: MediaKind
    platform: Platform
    ref: str  # Telegram file_id / VK URL; never logged
    name: str = ""


@dataclass(frozen=True, slots=True)
class Content:
    text: str  # safe Telegram-subset HTML (may be empty when there is media)
    media: Media | None = None
    buttons: tuple[LinkButton, ...] = ()
    # per platform, the media reference obtained by the first upload there (VK attachment
    # string, Telegram file_id when the media came from VK): the upload happens once
    cached: dict[str, str] = field(default_factory=dict)

    def cached_ref(self, platform: Platform) -> str:
        return self.cached.get(platform.value, "")

    def buttons_json(self) -> str:
        return json.dumps([[b.label, b.url] for b in self.buttons], ensure_ascii=False)

    @staticmethod
    def parse_buttons(raw: str) -> tuple[LinkButton, ...]:
        try:
            items = json.loads(raw or "[]")
        except ValueError:
            return ()
        return tuple(
            LinkButton(str(item[0]), str(item[1]))
            for item in items
            if isinstance(item, list) and len(item) == 2
        )


@dataclass(frozen=True, slots=True)
class Audience:
    who: Who = Who.ALL
    value: str = ""  # the project or hashtag for Who.PROJECT / Who.TAG
    platform: Platform | None = None  # None: every platform
    locale: str = ""  # "": every language

    def to_json(self) -> str:
        data: dict[str, Any] = {"who": self.who.value}
        if self.value:
            data["value"] = self.value
        if self.platform is not None:
            data["platform"] = self.platform.value
        if self.locale:
            data["locale"] = self.locale
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Audience:
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        try:
            who = Who(data.get("who", "all"))
        except ValueError:
            who = Who.ALL
        try:
            platform = Platform(data["platform"]) if data.get("platform") else None
        except ValueError:
            platform = None
        return cls(
            who=who,
            value=str(data.get("value", "")),
            platform=platform,
            locale=str(data.get("locale", "")),
        )


@dataclass(frozen=True, slots=True)
class Counts:
    total: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    unknown: int = 0

    @property
    def done(self) -> int:
        return self.sent + self.blocked + self.failed + self.unknown

    @property
    def pending(self) -> int:
        return max(self.total - self.done, 0)


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: int
    author_id: int
    author_platform: Platform
    author_chat: int  # the author's messenger id (their private chat)
    author_locale: str
    status: BroadcastStatus
    content: Content
    audience: Audience
    created_at: datetime
    scheduled_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    filled: bool = False  # every recipient is recorded in the delivery table
    counts: Counts = field(default_factory=Counts)
    status_message: str = ""  # the progress message in the author's chat (platform handle)

    @property
    def active(self) -> bool:
        return self.status in (BroadcastStatus.SCHEDULED, BroadcastStatus.RUNNING)


@dataclass(frozen=True, slots=True)
class Recipient:
    delivery_id: int
    user_id: int
    chat_id: int  # the messenger's id of the recipient's private chat
    batch: int = 0  # VK: the batch this recipient was (or is being) sent in


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    delivery_id: int
    user_id: int
    state: DeliveryState
    attempts: int
    error: str = ""
