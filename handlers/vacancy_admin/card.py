"""The admin card of a vacancy: its contents, the funnel by source, status changes."""

from __future__ import annotations

from typing import Any

from bot.domain.vacancies import Vacancy, VacancyStatus
from bot.i18n import Markup
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, fmt_time
from handlers.context import Context
from handlers.vacancies import card_text, esc
from handlers.vacancy_admin.common import int_arg, page_arg, status_mark, str_arg
from handlers.vacancy_admin.draft import METRICS, STATUS_TARGETS, draft_of, leave_dialogs


def rate_text(ctx: Context, part: int, whole: int) -> Markup:
    if whole <= 0:
        return ctx.t("va-rate-none")
    return ctx.t("va-rate", percent=round(100 * part / whole))


def funnel_args(ctx: Context, metrics: dict[str, int]) -> dict[str, Any]:
    views, issued, submitted, accepted = (metrics.get(name, 0) for name in METRICS)
    return {
        "views": views,
        "issued": issued,
        "submitted": submitted,
        "accepted": accepted,
        "issued_rate": rate_text(ctx, issued, views),
        "submitted_rate": rate_text(ctx, submitted, issued),
        "accepted_rate": rate_text(ctx, accepted, submitted),
    }


def funnel_lines(ctx: Context, funnel: dict[str, dict[str, int]]) -> list[str]:
    if not funnel:
        return [ctx.t("va-funnel-empty")]
    lines: list[str] = [ctx.t("va-funnel-title")]
    ordered = sorted(funnel.items(), key=lambda item: (-item[1].get("views", 0), item[0]))
    for source, metrics in ordered:
        lines.append(ctx.t("va-funnel-line", source=source, **funnel_args(ctx, metrics)))
    if len(funnel) > 1:
        totals = {name: sum(m.get(name, 0) for m in funnel.values()) for name in METRICS}
        lines.append(ctx.t("va-funnel-total", **funnel_args(ctx, totals)))
    return lines


def task_lines(ctx: Context, draft: dict[str, Any]) -> list[str]:
    lines = []
    if draft["task_text"]:
        lines.append(f"{ctx.t('va-task-text-title')}\n{esc(draft['task_text'])}")
    if draft["task_file"]:
        name = draft["task_file_name"] or draft["task_file"].rsplit("/", 1)[-1]
        lines.append(ctx.t("va-task-file", name=name))
    return lines


def status_text(ctx: Context, status: VacancyStatus) -> Markup:
    return ctx.t(f"va-status-{status}")


async def card_screen(ctx: Context, vacancy: Vacancy, page: int = 0, notice: str = "") -> Screen:
    funnel = await ctx.services.vacancies.funnel(vacancy.id)
    lines = [notice, ""] if notice else []
    lines.append(
        ctx.t(
            "va-status-line",
            mark=status_mark(ctx, vacancy.status),
            status=status_text(ctx, vacancy.status),
        )
    )
    if vacancy.published_at is not None:
        lines.append(ctx.t("va-published-at", date=fmt_time(ctx, vacancy.published_at)))
    lines += ["", card_text(ctx, vacancy), ""]
    lines += [*task_lines(ctx, draft_of(vacancy)), ""]
    lines += funnel_lines(ctx, funnel)
    if vacancy.status is VacancyStatus.DRAFT:
        status_button = Button(ctx.t("va-btn-publish"), act("va.st", vacancy.id, "open"))
    elif vacancy.status is VacancyStatus.OPEN:
        status_button = Button(ctx.t("va-btn-close"), act("va.st", vacancy.id, "closed"))
    else:
        status_button = Button(ctx.t("va-btn-reopen"), act("va.st", vacancy.id, "open"))
    rows = [
        [Button(ctx.t("va-btn-edit"), act("va.ed", vacancy.id)), status_button],
        [Button(ctx.t("va-btn-placements"), act("va.pl", vacancy.id))],
        [
            Button(
                ctx.t("va-sq-btn-card", count=len(vacancy.screening or ())),
                act("va.sq", vacancy.id),
            )
        ],
        [Button(ctx.t("va-btn-list"), act("va", page)), back_to_menu(ctx)],
    ]
    return Screen.of("\n".join(lines), rows)


async def open_card(ctx: Context) -> None:
    vacancy_id = int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await leave_dialogs(ctx)
    await ctx.show(await card_screen(ctx, vacancy, page_arg(ctx, 1)))


async def change_status(ctx: Context) -> None:
    vacancy_id = int_arg(ctx, 0)
    wanted = str_arg(ctx, 1)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    targets = {status.value: status for status in STATUS_TARGETS}
    if vacancy is None or wanted not in targets:
        await ctx.registry.stale(ctx)
        return
    status = targets[wanted]
    if vacancy.status is status:
        await ctx.reply.toast(ctx.t("va-toast-same"))
        await ctx.reply.edit(await card_screen(ctx, vacancy))
        return
    updated = await ctx.services.vacancies.set_status(vacancy.id, status)
    if updated is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", "vacancy status", f"vacancy {vacancy.id}", status.value
    )
    if status is VacancyStatus.CLOSED:
        key = "va-toast-closed"
    elif vacancy.status is VacancyStatus.DRAFT:
        key = "va-toast-published"
    else:
        key = "va-toast-reopened"
    await ctx.reply.toast(ctx.t(key))
    await ctx.reply.edit(await card_screen(ctx, updated, notice=ctx.t(key)))
