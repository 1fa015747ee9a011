"""Composing a broadcast: the message (text, photo or document), then optional link buttons."""

from __future__ import annotations

from bot.broadcast.model import MediaKind
from bot.services.broadcasts import (
    MAX_BUTTONS,
    MAX_LABEL,
    ButtonProblem,
    ComposeProblem,
    build_content,
    parse_buttons,
)
from bot.ui import Button, Screen, act
from handlers.broadcast.audience import audience_screen
from handlers.broadcast.common import BUTTONS, COMPOSE, arg, cancel_row, own_draft
from handlers.common import refuse_non_admin
from handlers.context import Context


async def new(ctx: Context) -> None:
    await ctx.services.broadcasts.discard_drafts(ctx.user.id)
    await ctx.set_state(COMPOSE)
    await ctx.show(Screen.of(ctx.t("bc-compose-prompt"), [cancel_row(ctx)]))


async def abort(ctx: Context) -> None:
    await ctx.clear_state()
    await ctx.services.broadcasts.discard_drafts(ctx.user.id)
    await ctx.reply.toast()
    await ctx.show(Screen.of(ctx.t("bc-aborted")))


async def on_message(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    event = ctx.event
    kind: str | None = None
    ref = name = ""
    size = None
    if event.attachments:
        item = event.attachments[0]
        kind = {"photo": MediaKind.PHOTO.value, "document": MediaKind.DOCUMENT.value}.get(
            item.kind.value, "other"
        )
        ref, size = item.file_id, item.size
        name = item.file_name or ("photo.jpg" if kind == MediaKind.PHOTO.value else "file")
    content = build_content(
        event.html or event.text,
        platform=ctx.user.platform,
        kind=kind,
        ref=ref,
        name=name,
        size=size,
        formatted=event.html is not None,
    )
    if isinstance(content, ComposeProblem):
        await ctx.reply.send(
            Screen.of(
                ctx.t(f"bc-problem-{content.value}") + "\n\n" + ctx.t("bc-compose-prompt"),
                [cancel_row(ctx)],
            )
        )
        return
    draft = await ctx.services.broadcasts.create_draft(ctx.user.id, content)
    await ctx.set_state(BUTTONS, id=draft.id)
    await ctx.reply.send(_buttons_prompt(ctx, draft.id))


def _buttons_prompt(ctx: Context, broadcast_id: int, problem: str = "") -> Screen:
    text: str = ctx.t("bc-buttons-prompt", max=MAX_BUTTONS)
    if problem:
        text = problem + "\n\n" + text
    return Screen.of(
        text,
        [
            [
                Button(ctx.t("bc-btn-skip"), act("bc.skip", broadcast_id)),
                Button(ctx.t("bc-btn-cancel"), act("bc.abort", broadcast_id)),
            ]
        ],
    )


async def on_buttons(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    draft = await own_draft(ctx, int(ctx.state.data.get("id", 0)))
    if draft is None:
        return
    parsed = parse_buttons(ctx.event.text)
    if parsed and isinstance(parsed[0], ButtonProblem):
        problem, line = parsed
        assert isinstance(problem, ButtonProblem)
        message = ctx.t(
            f"bc-buttons-{problem.value}",
            line=line,
            max=MAX_LABEL if problem is ButtonProblem.LABEL else MAX_BUTTONS,
        )
        await ctx.reply.send(_buttons_prompt(ctx, draft.id, message))
        return
    await ctx.services.broadcasts.set_buttons(draft, parsed)
    await ctx.clear_state()
    await ctx.reply.send(await audience_screen(ctx, draft))


async def skip_buttons(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.show(await audience_screen(ctx, draft))
