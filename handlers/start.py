"""Welcome, main menu, help, language choice and the answers to anything not understood."""

from __future__ import annotations

from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, menu_screen
from handlers.context import Context
from handlers.registry import Registry

LANGUAGES = ("ru", "en")


async def start(ctx: Context) -> None:
    ref = ctx.event.ref
    if ref:
        handler = ctx.registry.ref_handler(ref)
        if handler is not None:
            await handler(ctx)
            return
    name = ctx.user.first_name or ctx.t("default-name")
    text = ctx.t("welcome", name=name) + "\n\n" + ctx.t(f"welcome-role-{ctx.user.role}")
    await ctx.reply.send(menu_screen(ctx, text))


async def show_menu(ctx: Context) -> None:
    if ctx.event.is_button:
        await ctx.clear_state()
        await ctx.reply.edit(menu_screen(ctx))
    else:
        await ctx.reply.send(menu_screen(ctx))


def help_screen(ctx: Context) -> Screen:
    lines = [
        ctx.t("help-intro"),
        "",
        ctx.t(f"help-role-{ctx.user.role}"),
        "",
        ctx.t("help-commands"),
    ]
    for spec in ctx.registry.commands_for(ctx.user.role):
        assert spec.description_key is not None
        lines.append(f"/{spec.name} — {ctx.t(spec.description_key)}")
    lines += ["", ctx.t("help-privacy")]
    return Screen.of("\n".join(lines), [[back_to_menu(ctx)]])


async def show_help(ctx: Context) -> None:
    await ctx.show(help_screen(ctx))


def language_screen(ctx: Context) -> Screen:
    buttons = [
        Button(
            ("✓ " if code == ctx.locale else "") + ctx.t(f"lang-name-{code}"), act("lang.set", code)
        )
        for code in LANGUAGES
    ]
    return Screen.of(ctx.t("lang-choose"), [buttons, [back_to_menu(ctx)]])


async def language(ctx: Context) -> None:
    wanted = ctx.event.args.strip().lower()
    if wanted:
        await _switch(ctx, wanted)
        return
    await ctx.show(language_screen(ctx))


async def set_language(ctx: Context) -> None:
    code = ctx.event.action.args[0] if ctx.event.action and ctx.event.action.args else ""
    await _switch(ctx, code)


async def _switch(ctx: Context, code: str) -> None:
    if code not in LANGUAGES or not await ctx.services.users.set_locale(ctx.user, code):
        await _answer(ctx, language_screen(ctx), notice=ctx.t("lang-unknown"), problem=True)
        return
    user = await ctx.services.users.get(ctx.user.id)
    if user is not None:
        ctx.user = user
    await _answer(ctx, menu_screen(ctx, ctx.t("lang-changed")), notice=ctx.t("lang-changed-short"))


async def _answer(ctx: Context, screen: Screen, *, notice: str, problem: bool = False) -> None:
    """A button gets the notice as a toast; typed input gets it in the text when it explains
    a problem."""
    if ctx.event.is_button:
        await ctx.reply.toast(notice)
        await ctx.reply.edit(screen)
    elif problem:
        await ctx.reply.send(Screen.of(notice + "\n\n" + screen.text, screen.rows))
    else:
        await ctx.reply.send(screen)


async def unknown(ctx: Context) -> None:
    key = "unknown-command" if ctx.event.command is not None else "unknown-input"
    await ctx.reply.send(menu_screen(ctx, ctx.t(key)))


async def stale(ctx: Context) -> None:
    await ctx.reply.toast(ctx.t("stale-button"))
    await ctx.reply.send(menu_screen(ctx, ctx.t("stale-button-long")))


async def forbidden(ctx: Context) -> None:
    if ctx.event.is_button:
        await ctx.reply.toast(ctx.t("forbidden"), alert=True)
    else:
        await ctx.reply.send(menu_screen(ctx, ctx.t("forbidden")))


def register(r: Registry) -> None:
    r.command("start", description_key="cmd-start")(start)
    r.command("menu", description_key="cmd-menu")(show_menu)
    r.command("help", description_key="cmd-help")(show_help)
    r.command("language", description_key="cmd-language")(language)
    r.action("menu")(show_menu)
    r.action("help")(show_help)
    r.action("lang")(language)
    r.action("lang.set")(set_language)
    r.menu("menu-help", act("help"), order=90)
    r.menu("menu-language", act("lang"), order=91)
    r.on_unknown = unknown
    r.on_stale = stale
    r.on_forbidden = forbidden
