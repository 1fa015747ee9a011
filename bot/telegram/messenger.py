"""Telegram side of the Messenger port: messages and files to any chat, downloads, deep links."""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import BufferedInputFile, FSInputFile

from bot.domain import Platform
from bot.events import FileKind, OutFile
from bot.telegram.render import render
from bot.ui import TELEGRAM_LIMITS, Screen

log = logging.getLogger(__name__)
OnBlocked = Callable[[int], Awaitable[None]]
MAX_CAPTION = 1024


class FileTooLarge(Exception):
    pass


class TelegramMessenger:
    platform = Platform.TELEGRAM
    limits = TELEGRAM_LIMITS

    def __init__(self, bot: Bot, on_blocked: OnBlocked, username: str = "") -> None:
        self.bot = bot
        self.username = username
        self._on_blocked = on_blocked

    async def send(self, chat_id: int, screen: Screen, key: str = "") -> bool:
        try:
            for text, markup in render(screen):
                await self.bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramForbiddenError:
            log.info("chat %s blocked the bot", chat_id)
            if chat_id > 0:
                await self._on_blocked(chat_id)
            return False
        except TelegramBadRequest as error:
            if "chat not found" not in error.message:
                raise
            log.info("chat %s not found", chat_id)
            return False
        return True

    async def send_file(
        self, chat_id: int, file: OutFile, data: bytes | None, caption: str, key: str = ""
    ) -> bool:
        source: str | BufferedInputFile | FSInputFile
        if data is not None:
            source = BufferedInputFile(data, filename=file.name or "file")
        else:
            source = file.ref
        try:
            if file.kind is FileKind.PHOTO:
                await self.bot.send_photo(chat_id, source, caption=caption[:MAX_CAPTION] or None)
            else:
                await self.bot.send_document(chat_id, source, caption=caption[:MAX_CAPTION] or None)
        except TelegramForbiddenError:
            if chat_id > 0:
                await self._on_blocked(chat_id)
            return False
        return True

    async def download(self, ref: str, max_bytes: int) -> bytes:
        info = await self.bot.get_file(ref)
        if info.file_size is not None and info.file_size > max_bytes:
            raise FileTooLarge(ref)
        buffer = io.BytesIO()
        assert info.file_path is not None
        await self.bot.download_file(info.file_path, buffer)
        return buffer.getvalue()

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.username}?start={payload}"
