"""Telegram inline mode: typing @bot in any chat offers ready-made cards with a deep link."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultUnion,
    InputTextMessageContent,
)

from bot.core import Core

CACHE_SECONDS = 300


async def answer_inline(query: InlineQuery, bot: Bot, core: Core) -> None:
    me = await bot.me()
    locale = core.tr.resolve_locale(query.from_user.language_code)
    results: list[InlineQueryResultUnion] = []
    for provider in core.registry.inline_providers:
        card = await provider(core.tr, locale, core.services)
        link = f"https://t.me/{me.username}?start={card.ref}"
        results.append(
            InlineQueryResultArticle(
                id=f"{card.id}-{locale}",
                title=card.title,
                description=card.description,
                input_message_content=InputTextMessageContent(
                    message_text=card.text, parse_mode="HTML"
                ),
                reply_markup=InlineKeyboardMarkup(
                    inline_keyboard=[[InlineKeyboardButton(text=card.button_label, url=link)]]
                ),
            )
        )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)
