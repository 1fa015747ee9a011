"""VK Bots Long Poll events (API 5.199) -> neutral Event."""

from __future__ import annotations

import json
from typing import Any

from bot.commands import parse_command
from bot.domain import Platform
from bot.events import Attachment, AttachmentKind, Event, EventKind
from bot.ui import Action

START_WORDS = frozenset({"начать", "start"})  # the text of VK's "Start" button
LANG_IDS = {0: "ru", 3: "en"}
MAX_TEXT = 8192


def _payload(raw: object) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str) and raw:
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def _attachment(item: dict[str, Any]) -> Attachment:
    kind = item.get("type")
    body = item.get(kind, {}) if isinstance(kind, str) else {}
    if kind == "doc":
        ext = str(body.get("ext", ""))
        title = str(body.get("title", ""))
        return Attachment(
            AttachmentKind.DOCUMENT,
            file_id=str(body.get("url", "")),
            file_name=title if title.lower().endswith("." + ext.lower()) else f"{title}.{ext}",
            size=body.get("size"),
        )
    if kind == "photo":
        sizes = body.get("sizes") or [{}]
        return Attachment(AttachmentKind.PHOTO, file_id=str(sizes[-1].get("url", "")))
    if kind == "sticker":
        return Attachment(AttachmentKind.STICKER)
    return Attachment(AttachmentKind.OTHER)


def from_message_new(obj: dict[str, Any]) -> Event | None:
    message = obj.get("message") or {}
    from_id, peer_id = message.get("from_id"), message.get("peer_id")
    if not isinstance(from_id, int) or from_id <= 0 or not isinstance(peer_id, int):
        return None  # communities and bots
    if peer_id != from_id:
        return None  # group chats are out of scope
    text = str(message.get("text") or "")[:MAX_TEXT]
    payload = _payload(message.get("payload"))
    command, args = parse_command(text, None)
    if payload.get("command") == "start" or text.strip().lower() in START_WORDS:
        command, args = "start", ""
    client = obj.get("client_info") or {}
    ref = message.get("ref")
    return Event(
        platform=Platform.VK,
        kind=EventKind.MESSAGE,
        user_id=from_id,
        chat_id=peer_id,
        language_code=LANG_IDS.get(client.get("lang_id", -1)),
        text=text,
        command=command,
        args=args,
        attachments=tuple(_attachment(a) for a in message.get("attachments") or ()),
        ref=str(ref)[:64] if ref else None,
        ref_source=str(message.get("ref_source"))[:64] if message.get("ref_source") else None,
    )


def from_message_event(obj: dict[str, Any]) -> Event | None:
    user_id, peer_id = obj.get("user_id"), obj.get("peer_id")
    if not isinstance(user_id, int) or not isinstance(peer_id, int):
        return None
    raw = _payload(obj.get("payload")).get("a")
    return Event(
        platform=Platform.VK,
        kind=EventKind.BUTTON,
        user_id=user_id,
        chat_id=peer_id,
        action=Action.parse(raw),
        raw_action=str(raw) if raw is not None else None,
    )
