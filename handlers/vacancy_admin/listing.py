"""Every vacancy (draft, open, closed) page by page."""

from __future__ import annotations

from bot.i18n import Markup
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, list_capacity, page_slice
from handlers.context import Context
from handlers.vacancies import place, project_name
from handlers.vacancy_admin.common import page_arg, short_label, status_mark
from handlers.vacancy_admin.draft import MAX_PER_PAGE, leave_dialogs


async def list_screen(ctx: Context, page: int) -> Screen:
    service = ctx.services.vacancies
    limits = ctx.reply.limits
    per_page = min(MAX_PER_PAGE, list_capacity(limits, reserved_rows=2))
    vacancies, total = await service.admin_listing(max(page, 0), per_page)
    page, _, pages = page_slice(total, page, per_page)
    if not vacancies and total:  # the page is past the end: show the last one
        vacancies, total = await service.admin_listing(page, per_page)
    controls = [Button(ctx.t("va-btn-new"), act("va.new"))]
    back = [back_to_menu(ctx)]
    if ctx.registry.has_action("admin"):
        back.insert(0, Button(ctx.t("va-btn-admin"), act("admin")))
    if not vacancies:
        return Screen.of(ctx.t("va-list-empty"), [controls, back])
    lines = [ctx.t("va-list-title", total=total), ctx.t("va-list-legend"), ""]
    rows: list[list[Button]] = []
    for vacancy in vacancies:
        mark = status_mark(ctx, vacancy.status)
        lines.append(
            ctx.t(
                "va-list-line",
                mark=mark,
                title=vacancy.title,
                project=Markup(project_name(ctx, vacancy.project)),
                place=Markup(place(ctx, vacancy)),
            )
        )
        rows.append([Button(short_label(f"{mark} {vacancy.title}"), act("va.o", vacancy.id, page))])
    if pages > 1:
        lines += ["", ctx.t("va-page", page=page + 1, pages=pages)]
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("va-btn-prev"), act("va", page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("va-btn-next"), act("va", page + 1)))
    used_rows = len(rows) + (1 if nav else 0)
    if limits.max_rows - used_rows >= 2:
        rows += [nav, controls, back]
    else:
        rows += [nav, [*controls, *back]]
    return Screen.of("\n".join(lines), rows)


async def show_list(ctx: Context) -> None:
    await leave_dialogs(ctx)
    await ctx.show(await list_screen(ctx, page_arg(ctx, 0)))
