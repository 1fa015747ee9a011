"""VK side of the broadcast delivery port.

One `messages.send` carries up to 100 `peer_ids` and one `random_id` derived from the
broadcast and the batch (the engine persists which recipients form a batch before sending
it), so a resend after a crash is dropped by VK. Calls go through the community's VkClient:
its limiter paces every VK request (replies and broadcasts together) and errors 6 / 9 / 10
pause it and are retried a bounded number of times there; what still fails comes back to the
engine as RETRY, safe to repeat thanks to the random_id. Per-peer errors 901 / 902 (and 7)
mean the person does not accept messages: BLOCKED. Media is uploaded once per broadcast and
its attachment string is cached by the engine.
"""

from __future__ import annotations

import asyncio
import json
import logging
import zlib
from collections.abc import Sequence
from typing import Any

import requests
from vk_api.exceptions import ApiError

from bot.broadcast.model import Content, MediaKind, Recipient
from bot.broadcast.ports import Delivered, MediaPayload, Outcome, OutcomeKind
from bot.domain import Platform
from bot.ui import Button, Screen
from bot.vk.client import BLOCKED_CODES, RETRY_CODES, VkClient, VkTransportError
from bot.vk.messenger import VkMessenger
from bot.vk.render import keyboard_json, keyboards, render, to_plain

log = logging.getLogger(__name__)
MAX_PEERS = 100


def broadcast_random_id(key: str) -> int:
    """Same broadcast and batch -> same random_id (VK deduplicates per peer and random_id)."""
    return zlib.crc32(f"broadcast:{key}".encode()) & 0x7FFFFFFF


def link_keyboard(content: Content) -> str | None:
    if not content.buttons:
        return None
    screen = Screen.of("", [[Button(b.label, url=b.url)] for b in content.buttons])
    boards = keyboards(screen)
    return keyboard_json(boards[0]) if boards else None


async def _noop(peer_id: int) -> None:
    return None


class VkBroadcastPort:
    platform = Platform.VK
    batch_size = MAX_PEERS
    concurrency = 1

    def __init__(self, client: VkClient) -> None:
        self.client = client
        self._files = VkMessenger(client, _noop, "")

    def native_ref(self, content: Content) -> str:
        return ""  # a VK URL is not an attachment: media is uploaded once, then cached

    async def deliver(
        self,
        content: Content,
        recipients: Sequence[Recipient],
        key: str,
        media: MediaPayload | None,
        *,
        paced: bool = True,
    ) -> Delivered:
        peers = [r.chat_id for r in recipients]
        learned = ""
        attachment = media.ref if media is not None else ""
        if media is not None and not attachment and media.data is not None:
            try:
                attachment = learned = await self._upload(peers[0], media)
            except (ApiError, VkTransportError, OSError, TimeoutError, KeyError, ValueError) as e:
                log.warning("VK broadcast upload failed (%s)", type(e).__name__)
                return Delivered([Outcome(OutcomeKind.RETRY, "upload failed")] * len(peers))
        params: dict[str, Any] = {
            "peer_ids": ",".join(str(p) for p in peers),
            "random_id": broadcast_random_id(key),
            "message": to_plain(content.text),
            "dont_parse_links": 1,
            "disable_mentions": 1,
        }
        board = link_keyboard(content)
        if board is not None:
            params["keyboard"] = board
        if attachment:
            params["attachment"] = attachment
        try:
            result = await self.client.call("messages.send", **params)
        except ApiError as error:
            if error.code in RETRY_CODES:
                return Delivered([Outcome(OutcomeKind.RETRY, f"VK {error.code}")] * len(peers))
            single_blocked = error.code in BLOCKED_CODES and len(peers) == 1
            kind = OutcomeKind.BLOCKED if single_blocked else OutcomeKind.FAILED
            return Delivered([Outcome(kind, f"VK {error.code}")] * len(peers), learned)
        except (VkTransportError, OSError, TimeoutError) as error:
            outcome = Outcome(OutcomeKind.RETRY, type(error).__name__)
            return Delivered([outcome] * len(peers), learned)
        return Delivered(self._outcomes(peers, result), learned)

    @staticmethod
    def _outcomes(peers: list[int], result: Any) -> list[Outcome]:
        by_peer: dict[int, Any] = {}
        if isinstance(result, list):
            for item in result:
                if isinstance(item, dict) and isinstance(item.get("peer_id"), int):
                    by_peer[item["peer_id"]] = item
        elif len(peers) == 1 and isinstance(result, int):
            by_peer[peers[0]] = {"message_id": result}
        outcomes = []
        for peer in peers:
            item = by_peer.get(peer)
            if item is None:  # no word on this peer: resending is harmless (random_id)
                outcomes.append(Outcome(OutcomeKind.RETRY, "no result"))
                continue
            error = item.get("error")
            if not error:
                outcomes.append(Outcome.sent())
                continue
            code = error.get("code") if isinstance(error, dict) else None
            if code in BLOCKED_CODES:
                outcomes.append(Outcome(OutcomeKind.BLOCKED, f"VK {code}"))
            elif code in RETRY_CODES:
                outcomes.append(Outcome(OutcomeKind.RETRY, f"VK {code}"))
            else:
                outcomes.append(Outcome(OutcomeKind.FAILED, f"VK {code}"))
        return outcomes

    async def _upload(self, peer_id: int, media: MediaPayload) -> str:
        assert media.data is not None
        name = media.name or ("photo.jpg" if media.kind is MediaKind.PHOTO else "file")
        if media.kind is MediaKind.PHOTO:
            server = await self.client.call("photos.getMessagesUploadServer", peer_id=peer_id)
            uploaded = await self._post(server["upload_url"], "photo", name, media.data)
            saved = await self.client.call(
                "photos.saveMessagesPhoto",
                photo=uploaded["photo"],
                server=uploaded["server"],
                hash=uploaded["hash"],
            )
            photo = saved[0]
            ref = f"photo{photo['owner_id']}_{photo['id']}"
            return f"{ref}_{photo['access_key']}" if photo.get("access_key") else ref
        server = await self.client.call("docs.getMessagesUploadServer", type="doc", peer_id=peer_id)
        uploaded = await self._post(server["upload_url"], "file", name, media.data)
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
        return await self._files.download(ref, max_bytes)

    async def post(self, chat_id: int, screen: Screen, key: str) -> str:
        handle = ""
        for seq, (text, board) in enumerate(render(screen, "⬇"), start=1):
            params: dict[str, Any] = {
                "peer_ids": str(chat_id),
                "random_id": broadcast_random_id(f"{key}:{seq}"),
                "message": text,
                "dont_parse_links": 1,
                "disable_mentions": 1,
            }
            if board is not None:
                params["keyboard"] = board
            result = await self.client.call("messages.send", **params)
            if isinstance(result, list) and result and result[0].get("conversation_message_id"):
                handle = str(result[0]["conversation_message_id"])
        return handle

    async def edit(self, chat_id: int, handle: str, screen: Screen) -> bool:
        messages = render(screen, "⬇")
        if not handle.isdigit() or len(messages) != 1:
            return False
        text, board = messages[0]
        try:
            await self.client.call(
                "messages.edit",
                peer_id=chat_id,
                conversation_message_id=int(handle),
                message=text,
                dont_parse_links=1,
                keyboard=board or json.dumps({"inline": True, "buttons": []}),
            )
        except ApiError as error:
            log.info("VK status message not edited (%s)", error.code)
            return False
        return True
