"""aiogram Message / CallbackQuery -> neutral Event."""

from __future__ import annotations

import re

from aiogram.types import CallbackQuery, Message

from bot.commands import parse_command
from bot.domain import Platform
from bot.events import Attachment, AttachmentKind, Event, EventKind
from bot.ui import Action

_REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_TEXT = 8192


def _attachments(message: Message) -> tuple[Attachment, ...]:
    if message.document:
        doc = message.document
        return (
            Attachment(
                AttachmentKind.DOCUMENT,
                file_id=doc.file_id,
                file_name=doc.file_name or "",
                mime_type=doc.mime_type or "",
                size=doc.file_size,
            ),
        )
    if message.photo:
        photo = message.photo[-1]
        return (Attachment(AttachmentKind.PHOTO, file_id=photo.file_id, size=photo.file_size),)
    if message.sticker:
        return (Attachment(AttachmentKind.STICKER, file_id=message.sticker.file_id),)
    if message.text is None and message.caption is None:
        return (Attachment(AttachmentKind.OTHER),)
    return ()


def from_message(message: Message, bot_username: str | None) -> Event | None:
    user = message.from_user
    if user is None or user.is_bot:
        return None
    text = (message.text or message.caption or "")[:MAX_TEXT]
    command, args = parse_command(message.text or "", bot_username)
    ref = args if command == "start" and _REF_RE.match(args) else None
    formatted = any(
        entity.type not in ("bot_command", "url", "mention", "hashtag", "email", "phone_number")
        for entity in (message.entities or message.caption_entities or ())
    )
    return Event(
        platform=Platform.TELEGRAM,
        kind=EventKind.MESSAGE,
        user_id=user.id,
        chat_id=message.chat.id,
        first_name=user.first_name or "",
        last_name=user.last_name or "",
        username=user.username or "",
        language_code=user.language_code,
        text=text,
        command=command,
        args=args,
        attachments=_attachments(message),
        ref=ref,
        html=(message.html_text[:MAX_TEXT] if formatted else None),
    )


def from_callback(query: CallbackQuery) -> Event:
    user = query.from_user
    chat_id = query.message.chat.id if query.message is not None else user.id
    return Event(
        platform=Platform.TELEGRAM,
        kind=EventKind.BUTTON,
        user_id=user.id,
        chat_id=chat_id,
        first_name=user.first_name or "",
        last_name=user.last_name or "",
        username=user.username or "",
        language_code=user.language_code,
        action=Action.parse(query.data),
        raw_action=query.data,
    )
