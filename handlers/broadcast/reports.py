"""`/broadcasts`: the list of scheduled and past broadcasts, a report for each, and cancelling."""

from __future__ import annotations

import html

from bot.broadcast.model import Broadcast, BroadcastStatus
from bot.i18n import Markup
from bot.ui import Button, Screen, act
from handlers.broadcast.common import (
    MAX_PER_PAGE,
    arg,
    audit,
    content_snippet,
    count_lines,
    describe_audience,
    status_label,
)
from handlers.common import fmt_time_in, list_capacity, page_slice
from handlers.context import Context


def _when(ctx: Context, broadcast: Broadcast) -> str:
    moment = broadcast.started_at or broadcast.scheduled_at or broadcast.created_at
    return fmt_time_in(ctx.tr, ctx.locale, moment)


async def show_list(ctx: Context) -> None:
    page = arg(ctx) if ctx.event.is_button else 0
    per_page = min(MAX_PER_PAGE, list_capacity(ctx.reply.limits, reserved_rows=2))
    service = ctx.services.broadcasts
    items, total = await service.listing(min(page, 100_000), per_page)
    page, _, pages = page_slice(total, page, per_page)
    if not items and total and page > 0:
        items, total = await service.listing(page, per_page)
    new_row = [Button(ctx.t("bc-btn-new"), act("bc.new"))]
    if not items:
        await ctx.show(Screen.of(ctx.t("bc-list-empty"), [new_row]))
        return
    lines = [ctx.t("bc-list-title", total=total), ""]
    rows: list[list[Button]] = []
    for broadcast in items:
        status = status_label(ctx.tr, ctx.locale, broadcast)
        lines.append(
            ctx.t(
                "bc-list-line",
                id=broadcast.id,
                status=Markup(status),
                when=_when(ctx, broadcast),
                sent=broadcast.counts.sent,
                total=broadcast.counts.total,
            )
        )
        label = ctx.t("bc-list-button", id=broadcast.id, status=Markup(status))
        rows.append([Button(html.unescape(label), act("bc.r", broadcast.id))])
    if pages > 1:
        lines += ["", ctx.t("bc-list-page", page=page + 1, pages=pages)]
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("bc-btn-prev"), act("bc.list", page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("bc-btn-next"), act("bc.list", page + 1)))
    rows += [nav, new_row]
    await ctx.show(Screen.of("\n".join(lines), rows))


async def report_screen(ctx: Context, broadcast: Broadcast) -> Screen:
    tr, locale = ctx.tr, ctx.locale
    lines: list[str] = [
        ctx.t(
            "bc-report-title", id=broadcast.id, status=Markup(status_label(tr, locale, broadcast))
        ),
        ctx.t(
            "bc-report-audience",
            audience=Markup(describe_audience(tr, locale, broadcast.audience)),
        ),
    ]
    extras = []
    media = broadcast.content.media
    if media is not None:
        extras.append(ctx.t(f"bc-report-media-{media.kind.value}"))
    if broadcast.content.buttons:
        extras.append(ctx.t("bc-report-buttons", count=len(broadcast.content.buttons)))
    snippet = content_snippet(broadcast)
    text = html.escape(snippet, quote=False) if snippet else ""
    if extras:
        text = ", ".join(filter(None, [text, *extras]))
    lines.append(ctx.t("bc-report-content", text=Markup(text)))
    lines.append("")
    lines.append(ctx.t("bc-report-created", when=fmt_time_in(tr, locale, broadcast.created_at)))
    if broadcast.scheduled_at:
        lines.append(
            ctx.t("bc-report-scheduled", when=fmt_time_in(tr, locale, broadcast.scheduled_at))
        )
    if broadcast.started_at:
        lines.append(ctx.t("bc-report-started", when=fmt_time_in(tr, locale, broadcast.started_at)))
    if broadcast.finished_at:
        lines.append(
            ctx.t("bc-report-finished", when=fmt_time_in(tr, locale, broadcast.finished_at))
        )
    if broadcast.status is not BroadcastStatus.SCHEDULED:
        lines.append("")
        lines += count_lines(tr, locale, broadcast)
        errors = await ctx.services.broadcasts.top_errors(broadcast.id)
        if errors:
            described = "; ".join(f"{error} × {count}" for error, count in errors)
            lines.append(ctx.t("bc-report-errors", errors=described))
    rows = [[Button(ctx.t("bc-btn-refresh"), act("bc.r", broadcast.id))]]
    if broadcast.active:
        rows.append([Button(ctx.t("bc-btn-cancel-broadcast"), act("bc.x", broadcast.id))])
    rows.append(
        [
            Button(ctx.t("bc-btn-copy"), act("bc.test", broadcast.id)),
            Button(ctx.t("bc-btn-list"), act("bc.list", 0)),
        ]
    )
    return Screen.of("\n".join(lines), rows)


async def show_report(ctx: Context) -> None:
    broadcast = await ctx.services.broadcasts.get(arg(ctx))
    if broadcast is None or broadcast.status is BroadcastStatus.DRAFT:
        await ctx.registry.stale(ctx)
        return
    await ctx.show(await report_screen(ctx, broadcast))


async def confirm_cancel(ctx: Context) -> None:
    broadcast = await ctx.services.broadcasts.get(arg(ctx))
    if broadcast is None or broadcast.status is BroadcastStatus.DRAFT:
        await ctx.registry.stale(ctx)
        return
    if not broadcast.active:
        await ctx.reply.toast(ctx.t("bc-cancel-too-late", id=broadcast.id), alert=True)
        return
    await ctx.reply.toast()
    # a new message: the progress message this may come from is edited by the engine
    await ctx.reply.send(
        Screen.of(
            ctx.t("bc-cancel-confirm", id=broadcast.id),
            [
                [
                    Button(ctx.t("bc-btn-cancel-yes"), act("bc.xy", broadcast.id)),
                    Button(ctx.t("bc-btn-cancel-no"), act("bc.r", broadcast.id)),
                ]
            ],
        )
    )


async def cancel(ctx: Context) -> None:
    broadcast_id = arg(ctx)
    broadcast = await ctx.services.broadcasts.get(broadcast_id)
    if broadcast is None or broadcast.status is BroadcastStatus.DRAFT:
        await ctx.registry.stale(ctx)
        return
    if await ctx.services.broadcasts.cancel(broadcast_id):
        await audit(ctx, "broadcast cancelled", broadcast, f"was {broadcast.status.value}")
        await ctx.reply.toast(ctx.t("bc-cancelled", id=broadcast_id))
    else:
        await ctx.reply.toast(ctx.t("bc-cancel-too-late", id=broadcast_id), alert=True)
    broadcast = await ctx.services.broadcasts.get(broadcast_id)
    assert broadcast is not None
    await ctx.show(await report_screen(ctx, broadcast))
