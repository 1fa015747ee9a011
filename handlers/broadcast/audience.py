"""Choosing a broadcast's audience: who, project or tag, messenger, language, with its size."""

from __future__ import annotations

from bot.broadcast.model import Audience, Broadcast, Who
from bot.domain import Platform
from bot.domain.vacancies import PROJECTS
from bot.i18n import Markup
from bot.ui import Button, Screen, act
from handlers.broadcast.common import (
    TAG,
    TAG_RE,
    WHO_CODES,
    arg,
    describe_audience,
    own_draft,
    str_arg,
)
from handlers.common import refuse_non_admin
from handlers.context import Context


async def audience_screen(ctx: Context, draft: Broadcast) -> Screen:
    service = ctx.services.broadcasts
    audience = service.normalise(draft.audience)
    size = await service.audience_size(audience)
    running = service.platforms
    if audience.platform is not None:
        platform = ctx.t(f"bc-platform-{audience.platform.value}")
    elif len(running) == 1:  # only the messenger that runs, not "Telegram and VK"
        platform = ctx.t(f"bc-platform-{running[0].value}")
    else:  # the messengers that run, named
        platform = Markup(", ".join(ctx.t(f"bc-platform-{each.value}") for each in running))
    locale = ctx.t(f"bc-locale-{audience.locale}") if audience.locale else ctx.t("bc-locale-any")
    lines = [
        ctx.t("bc-audience-title", id=draft.id),
        "",
        ctx.t(
            "bc-audience-who",
            who=Markup(
                describe_audience(ctx.tr, ctx.locale, Audience(audience.who, audience.value))
            ),
        ),
        ctx.t("bc-audience-platform", platform=platform),
        ctx.t("bc-audience-locale", language=locale),
        "",
        ctx.t("bc-audience-size", count=size),
    ]

    def mark(selected: bool, label: str) -> str:
        return ("✓ " if selected else "") + label

    who = audience.who
    bid = draft.id
    rows = [
        [
            Button(mark(who is Who.ALL, ctx.t("bc-btn-all")), act("bc.aw", bid, "a")),
            Button(mark(who is Who.CANDIDATES, ctx.t("bc-btn-candidates")), act("bc.aw", bid, "c")),
            Button(mark(who is Who.EMPLOYEES, ctx.t("bc-btn-employees")), act("bc.aw", bid, "e")),
        ],
        [
            Button(mark(who is Who.PROJECT, ctx.t("bc-btn-project")), act("bc.ap", bid)),
            Button(mark(who is Who.TAG, ctx.t("bc-btn-tag")), act("bc.at", bid)),
        ],
    ]
    toggles = []
    if len(service.platforms) > 1:
        toggles.append(Button(ctx.t("bc-btn-platform", platform=platform), act("bc.apl", bid)))
    if len(service.locales) > 1:
        toggles.append(Button(ctx.t("bc-btn-locale", language=locale), act("bc.al", bid)))
    rows.append(toggles)
    rows.append(
        [
            Button(ctx.t("bc-btn-preview"), act("bc.pv", bid)),
            Button(ctx.t("bc-btn-cancel"), act("bc.abort", bid)),
        ]
    )
    return Screen.of("\n".join(lines), rows)


async def _update_audience(ctx: Context, draft: Broadcast, audience: Audience) -> None:
    draft = await ctx.services.broadcasts.set_audience(draft, audience)
    await ctx.clear_state()
    await ctx.show(await audience_screen(ctx, draft))


async def show_audience(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.show(await audience_screen(ctx, draft))


async def set_who(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    who = WHO_CODES.get(str_arg(ctx, 1))
    if who is None:
        await ctx.registry.stale(ctx)
        return
    audience = draft.audience
    await _update_audience(ctx, draft, Audience(who, "", audience.platform, audience.locale))


async def choose_project(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    rows = [
        [Button(ctx.t(f"project-{project}"), act("bc.aps", draft.id, project))]
        for project in PROJECTS
    ]
    rows.append([Button(ctx.t("bc-btn-back"), act("bc.aud", draft.id))])
    await ctx.show(Screen.of(ctx.t("bc-project-choose"), rows[: ctx.reply.limits.max_rows]))


async def set_project(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    project = str_arg(ctx, 1)
    if project not in PROJECTS:
        await ctx.registry.stale(ctx)
        return
    audience = draft.audience
    await _update_audience(
        ctx, draft, Audience(Who.PROJECT, project, audience.platform, audience.locale)
    )


async def ask_tag(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    await ctx.set_state(TAG, id=draft.id)
    await ctx.show(await _tag_prompt(ctx, draft.id))


async def _tag_prompt(ctx: Context, broadcast_id: int, problem: str = "") -> Screen:
    lines = [problem, ""] if problem else []
    lines.append(ctx.t("bc-tag-prompt"))
    popular = await ctx.services.broadcasts.top_tags(8)
    if popular:
        lines.append(ctx.t("bc-tag-popular", tags=", ".join("#" + tag for tag in popular)))
    return Screen.of(
        "\n".join(lines), [[Button(ctx.t("bc-btn-back"), act("bc.aud", broadcast_id))]]
    )


async def on_tag(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    draft = await own_draft(ctx, int(ctx.state.data.get("id", 0)))
    if draft is None:
        return
    tag = ctx.event.text.strip().lstrip("#").strip().lower()
    if not TAG_RE.match(tag):
        await ctx.reply.send(await _tag_prompt(ctx, draft.id, ctx.t("bc-tag-bad")))
        return
    audience = draft.audience
    await _update_audience(ctx, draft, Audience(Who.TAG, tag, audience.platform, audience.locale))


async def cycle_platform(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    options: list[Platform | None] = [None, *ctx.services.broadcasts.platforms]
    current = draft.audience.platform
    following = options[(options.index(current) + 1) % len(options)] if current in options else None
    audience = draft.audience
    await _update_audience(
        ctx, draft, Audience(audience.who, audience.value, following, audience.locale)
    )


async def cycle_locale(ctx: Context) -> None:
    draft = await own_draft(ctx, arg(ctx))
    if draft is None:
        return
    options = ["", *ctx.services.broadcasts.locales]
    current = draft.audience.locale
    following = options[(options.index(current) + 1) % len(options)] if current in options else ""
    audience = draft.audience
    await _update_audience(
        ctx, draft, Audience(audience.who, audience.value, audience.platform, following)
    )
