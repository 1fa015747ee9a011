"""Telegram side of the broadcast delivery port.

Every broadcast message waits for a slot of the broadcast limiter (`BROADCAST_RATE` per
second) and then goes through the bot's session, whose request middleware sends it in the bulk
lane (`bot.telegram.traffic`): within Telegram's bulk limit, and never ahead of a reply to
somebody talking to the bot; a 429 pauses bulk traffic for `retry_after`, not the replies.
Errors are classified for the engine:

- 429 that the middleware gave up on -> WAIT (both limiters paused for `retry_after`)
- 403 (blocked, deactivated, cannot initiate) -> BLOCKED
- 400 (chat not found, ...), 404, 413 -> FAILED
- 5xx and connection errors -> RETRY (the engine backs off a bounded number of times)
- the request timed out after it was sent (`request_timeout`), or the answer was garbled ->
  UNKNOWN: it may have been delivered, so it is never resent
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.broadcast.model import Content, MediaKind, Recipient
from bot.broadcast.ports import Delivered, MediaPayload, Outcome, OutcomeKind
from bot.domain import Platform
from bot.ratelimit import RateLimiter
from bot.telegram.messenger import TelegramMessenger
from bot.telegram.render import render
from bot.telegram.traffic import TrafficMiddleware
from bot.traffic import WindowLimiter
from bot.ui import Screen

log = logging.getLogger(__name__)
UPLOAD_TIMEOUT = 120.0
UNAUTHORIZED_PAUSE = 60.0


def bot_limiter(bot: Bot) -> WindowLimiter | None:
    """The bulk limiter of the bot's session (see `create_bot`), if it has one."""
    for middleware in bot.session.middleware:
        if isinstance(middleware, TrafficMiddleware):
            return middleware.traffic.bulk
    return None


def concurrency_for(rate: float) -> int:
    """Requests in flight needed to keep `rate` per second with answers taking up to ~0.3 s
    (more in flight would only mean more messages that may be sent twice after a crash)."""
    return max(4, min(64, round(rate * 0.3)))


def markup(content: Content) -> InlineKeyboardMarkup | None:
    if not content.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=b.label, url=b.url)] for b in content.buttons]
    )


def _file_id(message: Message) -> str:
    if message.photo:
        return message.photo[-1].file_id
    if message.document:
        return message.document.file_id
    return ""


async def _noop(chat_id: int) -> None:
    return None


class TelegramBroadcastPort:
    platform = Platform.TELEGRAM
    batch_size = 1

    def __init__(self, bot: Bot, rate: float, *, timeout: float = 10.0) -> None:
        self.bot = bot
        self.limiter = RateLimiter(rate)
        self.timeout = timeout
        self.concurrency = concurrency_for(rate)
        self._platform_limiter = bot_limiter(bot)
        self._files = TelegramMessenger(bot, _noop)

    def native_ref(self, content: Content) -> str:
        media = content.media
        return media.ref if media is not None and media.platform is Platform.TELEGRAM else ""

    async def deliver(
        self,
        content: Content,
        recipients: Sequence[Recipient],
        key: str,
        media: MediaPayload | None,
        *,
        paced: bool = True,
    ) -> Delivered:
        chat_id = recipients[0].chat_id
        if paced:
            await self.limiter.acquire()
        try:
            message = await self._send(chat_id, content, media)
        except TelegramRetryAfter as error:
            self.pause(error.retry_after)
            return Delivered([Outcome(OutcomeKind.WAIT, "429", float(error.retry_after))])
        except TelegramForbiddenError as error:
            return Delivered([Outcome(OutcomeKind.BLOCKED, error.message[:200])])
        except TelegramUnauthorizedError:
            log.error("Telegram refused the bot token; broadcasts pause")
            self.pause(UNAUTHORIZED_PAUSE)
            return Delivered([Outcome(OutcomeKind.WAIT, "401", UNAUTHORIZED_PAUSE)])
        except TelegramServerError as error:
            return Delivered([Outcome(OutcomeKind.RETRY, error.message[:200])])
        except TelegramNetworkError as error:
            if "timeout" in error.message.lower():
                return Delivered([Outcome(OutcomeKind.UNKNOWN, "timeout")])
            return Delivered([Outcome(OutcomeKind.RETRY, error.message[:200])])
        except TimeoutError:
            return Delivered([Outcome(OutcomeKind.UNKNOWN, "timeout")])
        except ClientDecodeError:
            return Delivered([Outcome(OutcomeKind.UNKNOWN, "malformed answer")])
        except TelegramBadRequest as error:
            return Delivered([Outcome(OutcomeKind.FAILED, error.message[:200])])
        except TelegramAPIError as error:  # 404, 409, 413, migrate: nothing to retry
            return Delivered([Outcome(OutcomeKind.FAILED, error.message[:200])])
        learned = _file_id(message) if media is not None and media.data is not None else ""
        return Delivered([Outcome.sent()], media_ref=learned)

    def pause(self, seconds: float) -> None:
        self.limiter.pause(seconds)
        if self._platform_limiter is not None:
            self._platform_limiter.pause(seconds)

    async def _send(self, chat_id: int, content: Content, media: MediaPayload | None) -> Message:
        keyboard = markup(content)
        if media is None:
            return await self.bot.send_message(
                chat_id,
                content.text,
                reply_markup=keyboard,
                request_timeout=self.timeout,  # type: ignore[arg-type]
            )
        source: str | BufferedInputFile
        timeout = self.timeout
        if media.data is not None:
            source = BufferedInputFile(media.data, filename=media.name or "file")
            timeout = max(timeout, UPLOAD_TIMEOUT)
        else:
            source = media.ref
        caption = content.text or None
        if media.kind is MediaKind.PHOTO:
            return await self.bot.send_photo(
                chat_id,
                source,
                caption=caption,
                reply_markup=keyboard,
                request_timeout=timeout,  # type: ignore[arg-type]
            )
        return await self.bot.send_document(
            chat_id,
            source,
            caption=caption,
            reply_markup=keyboard,
            request_timeout=timeout,  # type: ignore[arg-type]
        )

    async def download(self, ref: str, max_bytes: int) -> bytes:
        return await self._files.download(ref, max_bytes)

    async def post(self, chat_id: int, screen: Screen, key: str) -> str:
        message_id = 0
        for text, keyboard in render(screen):
            sent = await self.bot.send_message(chat_id, text, reply_markup=keyboard)
            message_id = sent.message_id
        return str(message_id) if message_id else ""

    async def edit(self, chat_id: int, handle: str, screen: Screen) -> bool:
        messages = render(screen)
        if not handle.isdigit() or len(messages) != 1:
            return False
        text, keyboard = messages[0]
        try:
            await self.bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=int(handle), reply_markup=keyboard
            )
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return True
            log.info("status message %s in %s not edited: %s", handle, chat_id, error.message)
            return False
        except TelegramForbiddenError:
            return False
        return True
