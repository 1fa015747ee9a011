"""Web side of the Messenger port: a message to a visitor is stored in their chat and shown on
their open pages; files are kept in the database and served to their owner by opaque id."""

from __future__ import annotations

import logging

from bot.domain import Platform
from bot.events import FileKind, OutFile
from bot.services.clock import Clock
from bot.ui import Screen
from bot.web.chat import WebChat
from bot.web.render import WEB_LIMITS, bot_body, file_info

log = logging.getLogger(__name__)
PHOTO_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}


def mime_for(name: str, kind: FileKind) -> str:
    lower = name.lower()
    for mime, suffix in PHOTO_TYPES.items():
        if lower.endswith(suffix) or (suffix == ".jpg" and lower.endswith(".jpeg")):
            return mime
    if kind is FileKind.PHOTO:
        return "image/png"
    known = {
        ".pdf": "application/pdf",
        ".json": "application/json",
        ".csv": "text/csv",
        ".ics": "text/calendar",  # opens in the calendar app instead of "unknown file"
    }
    return next((m for s, m in known.items() if lower.endswith(s)), "application/octet-stream")


class WebMessenger:
    platform = Platform.WEB
    limits = WEB_LIMITS

    def __init__(self, chat: WebChat, public_url: str, clock: Clock) -> None:
        self.chat = chat
        self.public_url = public_url.rstrip("/")
        self._clock = clock

    async def send(self, chat_id: int, screen: Screen, key: str) -> bool:
        return await self.chat.post(chat_id, "bot", bot_body(screen), key)

    async def send_file(
        self, chat_id: int, file: OutFile, data: bytes | None, caption: str, key: str
    ) -> bool:
        if data is None:  # a file that came from the web: it is kept here already
            data = await self.download(file.ref, 20 * 1024 * 1024)
        name = file.name or "file"
        mime = mime_for(name, file.kind)
        kind = "photo" if mime in PHOTO_TYPES else "document"  # images are shown inline
        file_id = await self.chat.repo.add_file(chat_id, name, mime, data, self._clock())
        if file_id is None:
            return False
        info = file_info(file_id, name, kind, len(data))
        return await self.chat.post(chat_id, "bot", bot_body(Screen.of(caption), info), key)

    async def download(self, ref: str, max_bytes: int) -> bytes:
        stored = await self.chat.repo.file(ref)
        if stored is None:
            raise FileNotFoundError("the web file is gone")
        if stored.size > max_bytes:
            raise ValueError("the file is too large")
        return stored.data

    def deep_link(self, payload: str) -> str:
        return f"{self.public_url}/?start={payload}"
