"""Web side of the broadcast delivery port: a broadcast reaches a web visitor as a message
stored in their chat (shown at once on their open pages, or when they come back), so it is
delivered when stored. Up to 100 recipients go in one transaction; a key per recipient makes
a resend after a crash store nothing twice. Media is stored once, for every recipient."""

from __future__ import annotations

from collections.abc import Sequence

from bot.broadcast.model import Content, MediaKind, Recipient
from bot.broadcast.ports import Delivered, MediaPayload, Outcome, OutcomeKind
from bot.domain import Platform
from bot.events import FileKind
from bot.services.clock import Clock
from bot.ui import Button, Screen
from bot.web.chat import WebChat
from bot.web.messenger import PHOTO_TYPES, WebMessenger, mime_for
from bot.web.render import bot_body, file_info

BATCH = 100


class WebBroadcastPort:
    platform = Platform.WEB
    batch_size = BATCH
    concurrency = 1

    def __init__(self, messenger: WebMessenger, clock: Clock) -> None:
        self._messenger = messenger
        self._chat: WebChat = messenger.chat
        self._clock = clock
        self._files: dict[str, tuple[str, int]] = {}  # ref -> (name, size)

    def native_ref(self, content: Content) -> str:
        return ""  # media is stored once as a shared file (the admin's own copy is private)

    async def deliver(
        self,
        content: Content,
        recipients: Sequence[Recipient],
        key: str,
        media: MediaPayload | None,
        *,
        paced: bool = True,
    ) -> Delivered:
        learned = ""
        info = None
        if media is not None:
            ref = media.ref
            if not ref and media.data is not None:
                name = media.name or ("photo.jpg" if media.kind is MediaKind.PHOTO else "file")
                kind = FileKind.PHOTO if media.kind is MediaKind.PHOTO else FileKind.DOCUMENT
                ref = learned = await self._chat.repo.add_shared_file(
                    name, mime_for(name, kind), media.data, self._clock()
                )
                self._files[ref] = (name, len(media.data))
            if ref not in self._files:
                stored = await self._chat.repo.file(ref)
                if stored is None:
                    return Delivered([Outcome(OutcomeKind.RETRY, "media gone")] * len(recipients))
                self._files[ref] = (stored.name, stored.size)
            name, size = self._files[ref]
            # shown inline when it is an image (a photo sent on the web comes as a file)
            photo = mime_for(name, FileKind.DOCUMENT) in PHOTO_TYPES or (
                media.kind is MediaKind.PHOTO and mime_for(name, FileKind.PHOTO) in PHOTO_TYPES
            )
            info = file_info(ref, name, "photo" if photo else "document", size)
        screen = Screen.of(content.text, [[Button(b.label, url=b.url)] for b in content.buttons])
        body = bot_body(screen, info)
        posted = await self._chat.post_many(
            [(r.chat_id, "bot", body, f"bc:{key}:{r.delivery_id}") for r in recipients]
        )
        outcomes = [
            Outcome.sent() if ok else Outcome(OutcomeKind.FAILED, "no web chat") for ok in posted
        ]
        return Delivered(outcomes, learned)

    async def download(self, ref: str, max_bytes: int) -> bytes:
        return await self._messenger.download(ref, max_bytes)

    async def post(self, chat_id: int, screen: Screen, key: str) -> str:
        message_id = await self._chat.post_id(chat_id, bot_body(screen))
        return str(message_id) if message_id is not None else ""

    async def edit(self, chat_id: int, handle: str, screen: Screen) -> bool:
        if not handle.isdigit():
            return False
        return await self._chat.edit(chat_id, int(handle), bot_body(screen))
