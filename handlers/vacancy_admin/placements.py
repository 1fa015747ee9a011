"""Placement links (`p<id>` deep links) of a vacancy for each job board."""

from __future__ import annotations

from bot.domain import Platform
from bot.domain.vacancies import Vacancy
from bot.ui import Button, Screen, act
from handlers.common import refuse_non_admin
from handlers.context import Context
from handlers.vacancy_admin.common import int_arg
from handlers.vacancy_admin.draft import PLACE_STATE, leave_dialogs


async def placements_screen(ctx: Context, vacancy: Vacancy, notice: str = "") -> Screen:
    placements = await ctx.services.vacancies.placements(vacancy.id)
    lines = [notice, ""] if notice else []
    lines += [ctx.t("va-pl-title", title=vacancy.title), ctx.t("va-pl-intro"), ""]
    if not placements:
        lines.append(ctx.t("va-pl-empty"))
    for placement_id, source in placements:
        lines.append(ctx.t("va-pl-item", source=source))
        shown = False
        for platform in Platform:
            link = ctx.notifier.deep_link(platform, f"p{placement_id}")
            if link:
                lines.append(ctx.t(f"va-pl-link-{platform.value}", link=link))
                shown = True
        if not shown:
            lines.append(ctx.t("va-pl-no-links"))
    rows = [
        [Button(ctx.t("va-btn-pl-new"), act("va.pn", vacancy.id))],
        [Button(ctx.t("va-btn-card"), act("va.o", vacancy.id))],
    ]
    return Screen.of("\n".join(lines), rows)


async def show_placements(ctx: Context) -> None:
    vacancy_id = int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await leave_dialogs(ctx)
    await ctx.show(await placements_screen(ctx, vacancy))


def placement_prompt(ctx: Context, vacancy: Vacancy, problem: str = "") -> Screen:
    lines = [problem, ""] if problem else []
    lines += [ctx.t("va-pl-ask", title=vacancy.title)]
    return Screen.of("\n".join(lines), [[Button(ctx.t("va-btn-cancel"), act("va.pl", vacancy.id))]])


async def ask_placement(ctx: Context) -> None:
    vacancy_id = int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.set_state(PLACE_STATE, vacancy=vacancy.id)
    await ctx.show(placement_prompt(ctx, vacancy))


async def on_placement_text(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    vacancy_id = ctx.state.data.get("vacancy")
    service = ctx.services.vacancies
    vacancy = await service.get(vacancy_id) if isinstance(vacancy_id, int) else None
    if vacancy is None:
        await ctx.clear_state()
        await ctx.registry.stale(ctx)
        return
    source = ctx.event.text.strip()
    known = {name for _, name in await service.placements(vacancy.id)}
    existed = source.lower() in known
    placement_id = await service.add_placement(vacancy.id, source) if source else None
    if placement_id is None:
        problem = ctx.t("va-pl-bad", source=source[:40]) if source else ctx.t("va-err-empty")
        await ctx.reply.send(placement_prompt(ctx, vacancy, problem))
        return
    await ctx.clear_state()
    key = "va-pl-exists" if existed else "va-pl-created"
    notice = ctx.t(key, source=source.lower())
    await ctx.reply.send(await placements_screen(ctx, vacancy, notice=notice))
