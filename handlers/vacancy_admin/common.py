"""What every vacancy-admin screen shares: button arguments, labels, the cancel button and
the admin check for dialog states."""

from __future__ import annotations

from bot.domain.vacancies import VacancyStatus
from bot.i18n import Markup
from bot.ui import Button, act
from handlers.context import Context
from handlers.vacancy_admin.draft import MAX_LABEL, MAX_PAGE


def int_arg(ctx: Context, index: int) -> int | None:
    action = ctx.event.action
    return action.int_arg(index) if action is not None else None


def str_arg(ctx: Context, index: int) -> str:
    action = ctx.event.action
    if action is None or index >= len(action.args):
        return ""
    return action.args[index]


def page_arg(ctx: Context, index: int) -> int:
    page = int_arg(ctx, index) if ctx.event.is_button else 0
    return min(page or 0, MAX_PAGE)


def short_label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def status_mark(ctx: Context, status: VacancyStatus) -> Markup:
    return ctx.t(f"va-mark-{status}")


def cancel_button(ctx: Context) -> Button:
    return Button(ctx.t("va-btn-cancel"), act("va.cancel"))
