"""Neutral events (what a person did) and the Reply port (how handlers answer).

Runtimes turn a Telegram Update or a VK long-poll event into an `Event`, and implement `Reply`
for their messenger. Handlers see nothing else of the platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from bot.domain import Platform
from bot.ui import Action, Limits, Screen


class EventKind(StrEnum):
    MESSAGE = "message"
    BUTTON = "button"


class AttachmentKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"
    STICKER = "sticker"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Attachment:
    kind: AttachmentKind
    file_id: str = ""
    file_name: str = ""
    mime_type: str = ""
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    platform: Platform
    kind: EventKind
    user_id: int  # the messenger's id of the person
    chat_id: int
    first_name: str = ""
    last_name: str = ""
    username: str = ""
    language_code: str | None = None
    text: str = ""
    command: str | None = None  # lower-case, without the slash
    args: str = ""
    action: Action | None = None  # parsed button data; None when missing or malformed
    raw_action: str | None = None  # button data as it came, for logs
    attachments: tuple[Attachment, ...] = field(default=())
    ref: str | None = None  # deep-link payload: Telegram /start <ref>, VK ?ref=
    ref_source: str | None = None
    html: str | None = None  # the text with the sender's formatting as HTML, when it had any

    @property
    def is_button(self) -> bool:
        return self.kind is EventKind.BUTTON

    def describe(self) -> str:
        """A short description for logs: never message texts or file URLs."""
        if self.is_button:
            return f"{self.platform}:{self.user_id} button {self.raw_action!r:.70}"
        if self.command:
            return f"{self.platform}:{self.user_id} /{self.command:.32}"
        kinds = ",".join(a.kind for a in self.attachments) or "text"
        return f"{self.platform}:{self.user_id} message ({kinds})"


class Reply(Protocol):
    """How a handler answers the person behind the current event."""

    limits: Limits

    @property
    def answered(self) -> bool:
        """Whether the button press behind this event has been answered."""
        ...

    async def send(self, screen: Screen) -> None:
        """Send a new message (split if long)."""

    async def edit(self, screen: Screen) -> None:
        """Replace the message whose button was pressed; send a new one when there is none."""

    async def toast(self, text: str = "", *, alert: bool = False) -> None:
        """Answer the button press with a short notice (or silently with no text)."""


class FileKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"


@dataclass(frozen=True, slots=True)
class OutFile:
    """A file to send: a local file, or a reference valid on the platform it came from."""

    name: str
    kind: FileKind = FileKind.DOCUMENT
    platform: Platform | None = None  # where `ref` is valid; None for a local file
    ref: str = ""  # Telegram file_id / VK document URL (never logged)
    local_path: str = ""


class Messenger(Protocol):
    """Outbound messages to any chat of one platform (notifications, files, deep links)."""

    platform: Platform
    limits: Limits

    async def send(self, chat_id: int, screen: Screen, key: str) -> bool:
        """Send a screen; `key` makes the send idempotent where the platform allows. False
        when the chat cannot receive messages (blocked, unknown)."""
        ...

    async def send_file(
        self, chat_id: int, file: OutFile, data: bytes | None, caption: str, key: str
    ) -> bool:
        """Send a file: by reference when `data` is None, else upload `data`."""
        ...

    async def download(self, ref: str, max_bytes: int) -> bytes:
        """Fetch a file that a user sent on this platform."""
        ...

    def deep_link(self, payload: str) -> str:
        """A link that opens the bot with `payload` (Telegram ?start=, VK ?ref=)."""
        ...
