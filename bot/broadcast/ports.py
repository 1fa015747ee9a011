"""What the delivery engine needs from a messenger: a delivery port per platform.

`bot/telegram/broadcast.py` and `bot/vk/broadcast.py` implement it; the engine talks only to
these ports and to the repository, so it knows neither aiogram nor vk_api.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.broadcast.model import Content, MediaKind, Recipient
from bot.domain import Platform
from bot.ui import Screen


class OutcomeKind(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"  # permanent for this recipient
    UNKNOWN = "unknown"  # timed out after being sent: maybe delivered; never resent
    RETRY = "retry"  # transient (server or connection error): retry with backoff, bounded
    WAIT = "wait"  # flood control: the port paused its limiter; try again, no attempt spent


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: OutcomeKind
    error: str = ""
    wait: float = 0.0

    @classmethod
    def sent(cls) -> Outcome:
        return cls(OutcomeKind.SENT)


@dataclass(frozen=True, slots=True)
class MediaPayload:
    """The media to attach on one platform: a reference valid there, or the bytes to upload
    (then the port reports the reference it got, and the engine caches it)."""

    kind: MediaKind
    name: str
    ref: str = ""
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class Delivered:
    outcomes: list[Outcome]  # one per recipient, in order
    media_ref: str = ""  # a reference learned by uploading `MediaPayload.data`


class DeliveryPort(Protocol):
    platform: Platform
    batch_size: int  # recipients per request (Telegram 1, VK up to 100 peer_ids)
    concurrency: int  # requests in flight at once

    def native_ref(self, content: Content) -> str:
        """The media reference usable here without an upload ("" when an upload is needed)."""
        ...

    async def deliver(
        self,
        content: Content,
        recipients: Sequence[Recipient],
        key: str,
        media: MediaPayload | None,
        *,
        paced: bool = True,
    ) -> Delivered:
        """Send the broadcast to `recipients` (at most `batch_size`). `key` is the same for
        the same recipients every time (a resend after a crash), so platforms that can
        deduplicate do. `paced` sends through the broadcast rate limiter."""
        ...

    async def download(self, ref: str, max_bytes: int) -> bytes:
        """Fetch media the admin sent on this platform (for an upload to the other one)."""
        ...

    async def post(self, chat_id: int, screen: Screen, key: str) -> str:
        """Post a status message; return a handle for `edit` ("" when it failed)."""
        ...

    async def edit(self, chat_id: int, handle: str, screen: Screen) -> bool:
        """Replace a status message posted with `post`."""
        ...
