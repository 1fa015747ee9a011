"""VK side of the Messenger port: messages with deterministic random_id, document and photo
uploads, downloads of users' files, vk.me deep links."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import requests
from vk_api.exceptions import ApiError

from bot.domain import Platform
from bot.events import FileKind, OutFile
from bot.ui import VK_LIMITS, Screen
from bot.vk.client import BLOCKED_CODES, VkClient, VkTransportError
from bot.vk.render import render, to_plain

log = logging.getLogger(__name__)
OnBlocked = Callable[[int], Awaitable[None]]


def random_id(peer_id: int, key: str, seq: int) -> int:
    """Same (peer, purpose, n-th message) -> same id, so VK drops a resend after a crash."""
    return zlib.crc32(f"{peer_id}:{key}:{seq}".encode()) & 0x7FFFFFFF


class VkMessenger:
    platform = Platform.VK
    limits = VK_LIMITS

    def __init__(
        self, client: VkClient, on_blocked: OnBlocked, more_text: str, screen_name: str = ""
    ) -> None:
        self.client = client
        self.screen_name = screen_name
        self._on_blocked = on_blocked
        self._more_text = more_text

    async def _send(self, peer_id: int, key: str, seq: int, **params: Any) -> None:
        await self.client.call(
            "messages.send",
            peer_id=peer_id,
            random_id=random_id(peer_id, key, seq),
            dont_parse_links=1,
            disable_mentions=1,
            **params,
        )

    async def send(self, chat_id: int, screen: Screen, key: str) -> bool:
        try:
            for seq, (text, keyboard) in enumerate(render(screen, self._more_text), start=1):
                extra = {"keyboard": keyboard} if keyboard is not None else {}
                await self._send(chat_id, key, seq, message=text, **extra)
        except ApiError as error:
            if error.code not in BLOCKED_CODES:
                raise
            log.info("VK user %s does not accept messages (%s)", chat_id, error.code)
            await self._on_blocked(chat_id)
            return False
        return True

    async def send_file(
        self, chat_id: int, file: OutFile, data: bytes | None, caption: str, key: str
    ) -> bool:
        if data is None:  # a VK document URL: fetch it and upload it for this peer
            data = await self.download(file.ref, 20 * 1024 * 1024)
        try:
            attachment = await self._upload(chat_id, file, data)
            await self._send(chat_id, key, 1, message=to_plain(caption), attachment=attachment)
        except ApiError as error:
            if error.code not in BLOCKED_CODES:
                raise
            await self._on_blocked(chat_id)
            return False
        return True

    async def _upload(self, peer_id: int, file: OutFile, data: bytes) -> str:
        name = file.name or "file"
        if file.kind is FileKind.PHOTO:
            server = await self.client.call("photos.getMessagesUploadServer", peer_id=peer_id)
            uploaded = await self._post(server["upload_url"], "photo", name, data)
            saved = await self.client.call(
                "photos.saveMessagesPhoto",
                photo=uploaded["photo"],
                server=uploaded["server"],
                hash=uploaded["hash"],
            )
            return f"photo{saved[0]['owner_id']}_{saved[0]['id']}"
        server = await self.client.call("docs.getMessagesUploadServer", type="doc", peer_id=peer_id)
        uploaded = await self._post(server["upload_url"], "file", name, data)
        saved = await self.client.call("docs.save", file=uploaded["file"], title=name)
        doc = saved["doc"] if isinstance(saved, dict) else saved[0]
        return f"doc{doc['owner_id']}_{doc['id']}"

    async def _post(self, url: str, field: str, name: str, data: bytes) -> dict[str, Any]:
        def post() -> dict[str, Any]:
            try:
                response = self.client.session.post(url, files={field: (name, data)})
                response.raise_for_status()
                return dict(response.json())
            except (requests.RequestException, ValueError) as error:
                raise VkTransportError(f"VK upload: {type(error).__name__}") from None

        return await asyncio.wait_for(asyncio.to_thread(post), self.client.timeout + 30)

    async def download(self, ref: str, max_bytes: int) -> bytes:
        def fetch() -> bytes:
            try:
                with self.client.session.get(ref, stream=True) as response:
                    response.raise_for_status()
                    data = response.raw.read(max_bytes + 1, decode_content=True)
            except requests.RequestException as error:  # its text would carry the private URL
                raise VkTransportError(f"VK download: {type(error).__name__}") from None
            if len(data) > max_bytes:
                raise ValueError("the file is too large")
            return bytes(data)

        return await asyncio.wait_for(asyncio.to_thread(fetch), self.client.timeout + 60)

    def deep_link(self, payload: str) -> str:
        return f"https://vk.me/{self.screen_name}?ref={payload}"
