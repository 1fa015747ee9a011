"""Screens several handlers share: the main menu and list pagination."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from bot.domain import UserCounts
from bot.i18n import Markup, Translator
from bot.ui import Button, Limits, Screen, act
from handlers.context import Context


def chunk(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def menu_rows(ctx: Context) -> list[list[Button]]:
    """The main menu for the user's role: only features that exist, two per row."""
    limits = ctx.reply.limits
    rows: tuple[tuple[Button, ...], ...] = ctx.registry.built(
        ("menu", ctx.locale, ctx.user.role, limits), lambda: _menu_rows(ctx, limits)
    )
    return [list(row) for row in rows]


def _menu_rows(ctx: Context, limits: Limits) -> tuple[tuple[Button, ...], ...]:
    buttons = [
        Button(ctx.t(entry.label_key), entry.action)
        for entry in ctx.registry.menu_for(ctx.user.role)
    ]
    per_row = 2 if len(buttons) > limits.max_rows else 1
    return tuple(tuple(row) for row in chunk(buttons[: limits.max_buttons], per_row))


def menu_screen(ctx: Context, text: str | None = None) -> Screen:
    intro = text if text is not None else ctx.t("menu-title")
    return Screen.of(intro, menu_rows(ctx))


def users_by_platform(ctx: Context, counts: UserCounts) -> Markup:
    """ "Telegram: 5, VK: 3" for the channels that run (not a channel that is off)."""
    return Markup(
        ", ".join(
            ctx.t("users-on-platform", platform=ctx.t(f"bc-platform-{platform.value}"), count=n)
            for platform in ctx.services.broadcasts.platforms
            for n in [counts.by_platform.get(platform.value, 0)]
        )
    )


def back_to_menu(ctx: Context) -> Button:
    button: Button = ctx.registry.built(
        ("btn-menu", ctx.locale), lambda: Button(ctx.t("btn-menu"), act("menu"))
    )
    return button


def page_slice(total: int, page: int, per_page: int) -> tuple[int, int, int]:
    """Clamp `page` into range; return (page, start, pages)."""
    pages = max(1, -(-total // per_page))
    page = min(max(page, 0), pages - 1)
    return page, page * per_page, pages


def list_capacity(limits: Limits, reserved_rows: int) -> int:
    """How many one-per-row items fit under `reserved_rows` rows of controls."""
    return max(1, min(limits.max_rows - reserved_rows, limits.max_buttons - reserved_rows * 2))


MOSCOW = timezone(timedelta(hours=3))


def fmt_time_in(tr: Translator, locale: str, moment: datetime) -> str:
    """Dates are shown in Moscow time, where the company works."""
    return f"{moment.astimezone(MOSCOW):%d.%m.%Y %H:%M} {tr(locale, 'time-zone')}"


def fmt_time(ctx: Context, moment: datetime) -> str:
    return fmt_time_in(ctx.tr, ctx.locale, moment)


async def send_private(ctx: Context, screen: Screen) -> bool:
    """Dialogs with an admin happen in their private chat, even when the button was pressed in
    a group (the HR chat); False when the bot cannot write to them there."""
    if ctx.event.chat_id == ctx.user.external_id:
        await ctx.reply.send(screen)
        return True
    return await ctx.notifier.send(ctx.user, screen, f"private:{time.time_ns()}")


async def refuse_non_admin(ctx: Context) -> bool:
    """For dialog states, which the registry does not role-check (it checks commands and
    actions): an admin who lost the role mid-way is refused here."""
    if ctx.user.is_admin:
        return False
    await ctx.clear_state()
    if ctx.registry.on_forbidden is not None:
        await ctx.registry.on_forbidden(ctx)
    return True
