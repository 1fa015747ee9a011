"""A broadcast's preview, test copy, and sending it now or at a scheduled time (Moscow time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.broadcast.model import Broadcast, BroadcastStatus
from bot.i18n import Markup
from bot.services.broadcasts import (
    MOSCOW,
    TimeProblem,
    parse_when,
)
from bot.ui import Button, Screen, act
from handlers.broadcast.common import WHEN, arg, audit, describe_audience, own_draft
from handlers.common import fmt_time_in, refuse_non_admin
from handlers.context import Context


async def _control_screen(ctx: Context, draft: Broadcast, *, failed: bool = False) -> Screen:
    size = await ctx.services.broadcasts.audience_size(draft.audience)
    lines = [ctx.t("bc-preview-failed" if failed else "bc-preview-above"), ""]
    lines.append(
        ctx.t(
            "bc-preview-summary",
            id=draft.id,
            audience=Markup(describe_audience(ctx.tr, ctx.locale, draft.audience)),
            count=size,
        )
    )
    bid = draft.id
    rows = [
        [Button(ctx.t("bc-btn-test"), act("bc.test", bid))],
        [
            Button(ctx.t("bc-btn-send-now"), act("bc.now", bid)),
            Button(ctx.t("bc-btn-schedule"), act("bc.sch", bid)),
        ],
        [
            Button(ctx.t("bc-btn-audience"), act("bc.aud", bid)),
            Button(ctx.t("bc-btn-cancel"), act("bc.abort", bid)),
        ],
    ]
    return Screen.of("\n".join(lines), rows)


async def preview(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.reply.toast()
    sent = await ctx.services.broadcasts.send_copy(draft, ctx.user.platform, ctx.event.chat_id)
    await ctx.reply.send(await _control_screen(ctx, draft, failed=not sent))


async def back_to_control(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.show(await _control_screen(ctx, draft))


async def test_copy(ctx: Context) -> None:
    broadcast = await ctx.services.broadcasts.get(arg(ctx))
    if broadcast is None or (
        broadcast.status is BroadcastStatus.DRAFT and broadcast.author_id != ctx.user.id
    ):
        await ctx.registry.stale(ctx)
        return
    sent = await ctx.services.broadcasts.send_copy(broadcast, ctx.user.platform, ctx.event.chat_id)
    await ctx.reply.toast(ctx.t("bc-test-sent" if sent else "bc-test-failed"), alert=not sent)


async def confirm_now(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    size = await ctx.services.broadcasts.audience_size(draft.audience)
    if size == 0:
        await ctx.reply.toast(ctx.t("bc-nobody"), alert=True)
        return
    text = ctx.t(
        "bc-confirm-now",
        id=draft.id,
        count=size,
        audience=Markup(describe_audience(ctx.tr, ctx.locale, draft.audience)),
    )
    rows = [
        [
            Button(ctx.t("bc-btn-confirm-now"), act("bc.go", draft.id)),
            Button(ctx.t("bc-btn-back"), act("bc.pvb", draft.id)),
        ]
    ]
    await ctx.show(Screen.of(text, rows))


async def send_now(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    size = await ctx.services.broadcasts.audience_size(draft.audience)
    if size == 0:
        await ctx.reply.toast(ctx.t("bc-nobody"), alert=True)
        return
    if not await ctx.services.broadcasts.start_now(draft):
        await ctx.registry.stale(ctx)
        return
    await audit(ctx, "broadcast", draft, f"sent now to {size}")
    await ctx.reply.toast()
    await ctx.show(Screen.of(ctx.t("bc-started", id=draft.id, count=size)))


def _example(ctx: Context) -> str:
    tomorrow = ctx.services.broadcasts.now().astimezone(MOSCOW) + timedelta(days=1)
    return tomorrow.replace(hour=10, minute=0).strftime("%d.%m.%Y %H:%M")


async def ask_when(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    await ctx.set_state(WHEN, id=draft.id)
    await ctx.show(
        Screen.of(
            ctx.t("bc-when-prompt", example=_example(ctx)),
            [[Button(ctx.t("bc-btn-back"), act("bc.pvb", draft.id))]],
        )
    )


async def on_when(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    draft = await own_draft(ctx, int(ctx.state.data.get("id", 0)))
    if draft is None:
        return
    when = parse_when(ctx.event.text, ctx.services.broadcasts.now())
    back = [[Button(ctx.t("bc-btn-back"), act("bc.pvb", draft.id))]]
    if isinstance(when, TimeProblem):
        key = {
            TimeProblem.FORMAT: "bc-when-format",
            TimeProblem.PAST: "bc-when-past",
            TimeProblem.TOO_FAR: "bc-when-too-far",
        }[when]
        text: str = ctx.t(key, example=_example(ctx))
        if when is not TimeProblem.FORMAT:
            text += "\n\n" + ctx.t("bc-when-prompt", example=_example(ctx))
        await ctx.reply.send(Screen.of(text, back))
        return
    await ctx.clear_state()
    size = await ctx.services.broadcasts.audience_size(draft.audience)
    text = ctx.t(
        "bc-confirm-schedule",
        id=draft.id,
        when=fmt_time_in(ctx.tr, ctx.locale, when),
        count=size,
        audience=Markup(describe_audience(ctx.tr, ctx.locale, draft.audience)),
    )
    stamp = int(when.timestamp())
    rows = [
        [
            Button(ctx.t("bc-btn-confirm-schedule"), act("bc.sgo", draft.id, stamp)),
            Button(ctx.t("bc-btn-back"), act("bc.pvb", draft.id)),
        ]
    ]
    await ctx.reply.send(Screen.of(text, rows))


def _moment(stamp: int) -> datetime | None:
    """The time a confirm button carries; None for 0 or a number no date has (forged data)."""
    try:
        return datetime.fromtimestamp(stamp, UTC) if stamp else None
    except (OverflowError, OSError, ValueError):
        return None


async def schedule(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    when = _moment(arg(ctx, 1))
    result = await ctx.services.broadcasts.schedule(draft, when) if when else TimeProblem.FORMAT
    if isinstance(result, TimeProblem):
        await ctx.reply.toast(ctx.t("bc-when-past"), alert=True)
        await ask_when(ctx)
        return
    if not result:
        await ctx.registry.stale(ctx)
        return
    assert when is not None
    await audit(ctx, "broadcast", draft, f"scheduled for {when.isoformat()}")
    await ctx.reply.toast()
    await ctx.show(
        Screen.of(
            ctx.t("bc-scheduled", id=draft.id, when=fmt_time_in(ctx.tr, ctx.locale, when)),
            [[Button(ctx.t("bc-btn-list"), act("bc.list", 0))]],
        )
    )
