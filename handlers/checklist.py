"""The profile-hygiene checklist: one message whose buttons toggle items in place."""

from __future__ import annotations

from bot.i18n import Translator
from bot.services import Services
from bot.services.checklist import ChecklistState
from bot.ui import Button, InlineCard, Limits, Screen, act
from handlers.common import back_to_menu, page_slice
from handlers.context import Context
from handlers.registry import Registry

BAR_CELLS = 10
VACANCIES_ACTION = "vac.list"


def progress_bar(done: int, total: int) -> str:
    filled = round(BAR_CELLS * done / total) if total else 0
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def _controls(ctx: Context, state: ChecklistState, page: int) -> list[Button]:
    buttons = []
    if state.complete and ctx.registry.has_action(VACANCIES_ACTION):
        buttons.append(Button(ctx.t("checklist-btn-vacancies"), act(VACANCIES_ACTION)))
    buttons.append(Button(ctx.t("checklist-btn-reset"), act("cl.reset", page)))
    buttons.append(back_to_menu(ctx))
    return buttons


def items_per_page(limits: Limits, controls: int) -> int:
    """Each item takes a row of two buttons (toggle and "?"); navigation and controls take the
    last two rows."""
    return max(1, min(limits.max_rows - 2, (limits.max_buttons - controls - 2) // 2))


def checklist_screen(ctx: Context, state: ChecklistState, page: int) -> Screen:
    controls = _controls(ctx, state, page)
    per_page = items_per_page(ctx.reply.limits, len(controls))
    page, start, pages = page_slice(state.total, page, per_page)
    controls = _controls(ctx, state, page)
    lines = [
        ctx.t("checklist-title"),
        ctx.t("checklist-intro"),
        "",
        f"{progress_bar(state.done_count, state.total)} "
        + ctx.t("checklist-progress", done=state.done_count, total=state.total),
    ]
    if state.complete:
        lines += ["", ctx.t("checklist-complete")]
    if pages > 1:
        lines += [ctx.t("checklist-page", page=page + 1, pages=pages)]
    lines += ["", ctx.t("checklist-no-passwords")]
    rows: list[list[Button]] = []
    for item in state.items[start : start + per_page]:
        mark = ctx.t("checklist-done-mark" if item in state.done else "checklist-todo-mark")
        rows.append(
            [
                Button(
                    f"{mark} {ctx.t(f'checklist-item-{item}')}",
                    act("cl.t", item, page, int(item not in state.done)),
                ),
                Button(ctx.t("checklist-tip-button"), act("cl.tip", item, page)),
            ]
        )
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("checklist-btn-prev"), act("cl", page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("checklist-btn-next"), act("cl", page + 1)))
    rows += [nav, controls]
    return Screen.of("\n".join(lines), rows)


def tip_screen(ctx: Context, state: ChecklistState, item: str, page: int) -> Screen:
    done = item in state.done
    mark = ctx.t("checklist-done-mark" if done else "checklist-todo-mark")
    text = "\n".join(
        [
            ctx.t(f"checklist-tip-{item}"),
            "",
            f"{mark} " + ctx.t("checklist-progress", done=state.done_count, total=state.total),
        ]
    )
    toggle = ctx.t("checklist-btn-toggle-undo" if done else "checklist-btn-toggle-done")
    return Screen.of(
        text,
        [
            [Button(toggle, act("cl.tt", item, page, int(not done)))],
            [Button(ctx.t("checklist-btn-back"), act("cl", page))],
        ],
    )


def _page(ctx: Context, index: int) -> int:
    action = ctx.event.action
    value = action.int_arg(index) if action is not None else None
    return value if value is not None and value < 1000 else 0


def _item(ctx: Context) -> str:
    action = ctx.event.action
    return action.args[0] if action is not None and action.args else ""


async def open_checklist(ctx: Context) -> None:
    state = await ctx.services.checklist.state(ctx.user.id)
    page = _page(ctx, 0) if ctx.event.is_button else 0
    await ctx.show(checklist_screen(ctx, state, page))


async def toggle(ctx: Context) -> None:
    await _toggle(ctx, in_tip=False)


async def toggle_in_tip(ctx: Context) -> None:
    await _toggle(ctx, in_tip=True)


async def _toggle(ctx: Context, *, in_tip: bool) -> None:
    item, page = _item(ctx), _page(ctx, 1)
    action = ctx.event.action
    target = action.int_arg(2) if action is not None else None
    before = await ctx.services.checklist.state(ctx.user.id)
    if target in (0, 1):
        state = await ctx.services.checklist.mark(ctx.user.id, item, bool(target), before=before)
    else:  # a button from before targets were encoded
        state = await ctx.services.checklist.toggle(ctx.user.id, item, before=before)
    if state is None:  # stale or forged item id: nothing changes
        await ctx.reply.toast(ctx.t("checklist-unknown-item"))
        await ctx.reply.edit(checklist_screen(ctx, before, page))
        return
    if state.complete and not before.complete:
        await ctx.reply.toast(ctx.t("checklist-complete-short"))
        await ctx.reply.edit(checklist_screen(ctx, state, page))
        return
    await ctx.reply.toast(ctx.t("checklist-marked" if item in state.done else "checklist-unmarked"))
    if in_tip:
        await ctx.reply.edit(tip_screen(ctx, state, item, page))
    else:
        await ctx.reply.edit(checklist_screen(ctx, state, page))


async def show_tip(ctx: Context) -> None:
    item, page = _item(ctx), _page(ctx, 1)
    state = await ctx.services.checklist.state(ctx.user.id)
    if not ctx.services.checklist.knows(item):
        await ctx.reply.toast(ctx.t("checklist-unknown-item"))
        await ctx.reply.edit(checklist_screen(ctx, state, page))
        return
    await ctx.reply.edit(tip_screen(ctx, state, item, page))


async def ask_reset(ctx: Context) -> None:
    page = _page(ctx, 0)
    await ctx.reply.edit(
        Screen.of(
            ctx.t("checklist-reset-confirm"),
            [
                [
                    Button(ctx.t("checklist-reset-yes"), act("cl.reset.yes")),
                    Button(ctx.t("checklist-reset-no"), act("cl", page)),
                ]
            ],
        )
    )


async def reset(ctx: Context) -> None:
    state = await ctx.services.checklist.reset(ctx.user.id)
    await ctx.reply.toast(ctx.t("checklist-reset-done"))
    await ctx.reply.edit(checklist_screen(ctx, state, 0))


async def inline_card(tr: Translator, locale: str, services: Services) -> InlineCard:
    lines = [tr(locale, "checklist-inline-text"), ""]
    lines += [f"• {tr(locale, f'checklist-item-{item}')}" for item in services.checklist.items]
    lines += ["", tr(locale, "checklist-no-passwords")]
    return InlineCard(
        id="checklist",
        title=tr(locale, "checklist-inline-title"),
        description=tr(locale, "checklist-inline-description"),
        text="\n".join(lines),
        button_label=tr(locale, "checklist-inline-button"),
        ref="checklist",
    )


def register(r: Registry) -> None:
    r.command("checklist", description_key="cmd-checklist")(open_checklist)
    r.ref("checklist")(open_checklist)
    r.action("cl")(open_checklist)
    r.action("cl.t")(toggle)
    r.action("cl.tt")(toggle_in_tip)
    r.action("cl.tip")(show_tip)
    r.action("cl.reset")(ask_reset)
    r.action("cl.reset.yes")(reset)
    r.menu("menu-checklist", act("cl"), order=20)
    r.inline(inline_card)
