"""Employee advocacy for admins: invites (a Telegram deep link, a VK link or code), the list of
employees with revoke, content requests (take, fulfil with a post, decline with a reason) and
posts added from the chat. Joining with an invite is open to everyone."""

from __future__ import annotations

import re
import time

from bot.domain import Platform
from bot.domain.advocacy import CATEGORIES, ContentRequest, PostDraft
from bot.events import AttachmentKind
from bot.i18n import Markup
from bot.services.advocacy import InviteProblem
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, fmt_time, list_capacity, page_slice, send_private
from handlers.content import category_name
from handlers.context import Context
from handlers.registry import ADMINS, Registry
from handlers.vacancies import esc

INVITE_STATE = "tm.invite"
JOIN_STATE = "tm.join"
POST_STATE = "tm.post"
DECLINE_STATE = "tm.decline"
MAX_POST_TEXT = 1500


async def _still_admin(ctx: Context) -> bool:
    """Dialog states are not role-checked by the registry: an admin removed mid-dialog stops."""
    if ctx.user.is_admin:
        return True
    await ctx.clear_state()
    await ctx.registry.stale(ctx)
    return False


def _int(ctx: Context, index: int = 0) -> int | None:
    action = ctx.event.action
    return action.int_arg(index) if action is not None else None


# --- the team screen, invites ---------------------------------------------------------------


async def team(ctx: Context) -> None:
    await ctx.clear_state()
    _, total = await ctx.services.advocacy.employees(0, 1)
    await ctx.show(
        Screen.of(
            ctx.t("team-title", count=total),
            [
                [Button(ctx.t("team-btn-invite"), act("tm.inv"))],
                [Button(ctx.t("team-btn-list"), act("tm.emp", 0))],
                [Button(ctx.t("team-btn-newpost"), act("tm.np", 0))],
                [back_to_menu(ctx)],
            ],
        )
    )


async def ask_invite(ctx: Context) -> None:
    await ctx.set_state(INVITE_STATE)
    await ctx.reply.send(
        Screen.of(
            ctx.t("invite-prompt"),
            [
                [
                    Button(ctx.t("invite-skip"), act("tm.inv.skip")),
                    Button(ctx.t("hr-btn-cancel"), act("hr.cancel")),
                ]
            ],
        )
    )


async def _create_invite(ctx: Context, name: str, team_name: str) -> None:
    await ctx.clear_state()
    invite = await ctx.services.advocacy.create_invite(ctx.user.id, name, team_name)
    await ctx.services.privacy.audit(ctx.user.id, "admin", "invite", f"invite {invite.id}")
    payload = f"inv_{invite.code}"
    missing = ctx.t("invite-no-link")
    tg_link = ctx.notifier.deep_link(Platform.TELEGRAM, payload)
    vk_link = ctx.notifier.deep_link(Platform.VK, payload)
    web_link = ctx.notifier.deep_link(Platform.WEB, payload)
    await ctx.reply.send(
        Screen.of(
            ctx.t(
                "invite-created",
                expires=fmt_time(ctx, invite.expires_at),
                tg_link=tg_link or missing,
                vk_link=vk_link or missing,
                web_link=web_link or missing,
                code=invite.code,
            ),
            [[Button(ctx.t("admin-btn-team"), act("tm")), back_to_menu(ctx)]],
        )
    )


async def on_invite_text(ctx: Context) -> None:
    if not await _still_admin(ctx):
        return
    name, _, team_name = ctx.event.text.partition(",")
    await _create_invite(ctx, name[:80], team_name[:80])


async def skip_invite_name(ctx: Context) -> None:
    await _create_invite(ctx, "", "")


async def _redeem(ctx: Context, code: str) -> None:
    await ctx.clear_state()
    problem = await ctx.services.advocacy.redeem(code, ctx.user.id)
    if problem is not None:
        key = {
            InviteProblem.UNKNOWN: "invite-unknown",
            InviteProblem.USED: "invite-used",
            InviteProblem.EXPIRED: "invite-expired",
        }[problem]
        await ctx.reply.send(Screen.of(ctx.t(key), [[back_to_menu(ctx)]]))
        return
    user = await ctx.services.users.get(ctx.user.id)
    if user is not None:
        ctx.user = user
    from handlers.common import menu_screen

    await ctx.reply.send(menu_screen(ctx, ctx.t("invite-welcome")))


async def join_by_link(ctx: Context) -> None:
    await _redeem(ctx, (ctx.event.ref or "")[4:])


async def join_command(ctx: Context) -> None:
    if ctx.event.args.strip():
        await _redeem(ctx, ctx.event.args)
        return
    await ctx.set_state(JOIN_STATE)
    await ctx.reply.send(Screen.of(ctx.t("join-prompt"), [[back_to_menu(ctx)]]))


async def on_join_text(ctx: Context) -> None:
    await _redeem(ctx, ctx.event.text)


# --- employees --------------------------------------------------------------------------------


async def employees(ctx: Context) -> None:
    await _employees_page(ctx, min(_int(ctx) or 0, 1000))


async def _employees_page(ctx: Context, page: int) -> None:
    per_page = list_capacity(ctx.reply.limits, reserved_rows=2)
    rows_data, total = await ctx.services.advocacy.employees(page, min(per_page, 8))
    page, _, pages = page_slice(total, page, min(per_page, 8))
    lines = [ctx.t("employees-title", total=total), ""]
    rows: list[list[Button]] = []
    for user_id, name, team_name in rows_data:
        suffix = f", {esc(team_name)}" if team_name else ""
        lines.append(ctx.t("employees-line", name=name, team=Markup(suffix)))
        rows.append([Button(ctx.t("employees-revoke", name=name[:30]), act("tm.rv", user_id))])
    if not rows_data:
        lines.append(ctx.t("employees-empty"))
    nav = []
    if page > 0:
        nav.append(Button("‹", act("tm.emp", page - 1)))
    if page < pages - 1:
        nav.append(Button("›", act("tm.emp", page + 1)))
    rows += [nav, [Button(ctx.t("admin-btn-team"), act("tm")), back_to_menu(ctx)]]
    await ctx.show(Screen.of("\n".join(lines), rows))


async def confirm_revoke(ctx: Context) -> None:
    user_id = _int(ctx) or 0
    names = await ctx.services.advocacy.names([user_id])
    if user_id not in names:
        await ctx.registry.stale(ctx)
        return
    await ctx.reply.edit(
        Screen.of(
            ctx.t("revoke-confirm", name=names[user_id]),
            [
                [
                    Button(ctx.t("revoke-yes"), act("tm.rv.yes", user_id)),
                    Button(ctx.t("revoke-no"), act("tm.emp", 0)),
                ]
            ],
        )
    )


async def revoke(ctx: Context) -> None:
    user_id = _int(ctx) or 0
    if not await ctx.services.advocacy.revoke(user_id):
        await ctx.reply.toast(ctx.t("revoke-missing"), alert=True)
        return
    await ctx.reply.toast(ctx.t("revoke-done"))
    await ctx.services.privacy.audit(ctx.user.id, "admin", "revoke", "employee access")
    await ctx.services.dialogs.clear(user_id)  # a dialog begun as an employee ends here
    employee = await ctx.services.users.get(user_id)
    if employee is not None:
        await ctx.notifier.send(
            employee,
            Screen.of(ctx.tr(employee.locale, "revoke-notice")),
            f"revoked:{user_id}:{int(time.time())}",
        )
    await _employees_page(ctx, 0)


# --- content requests -----------------------------------------------------------------------


async def _tell_employee(ctx: Context, request: ContentRequest, screen_for: object) -> None:
    employee = await ctx.services.users.get(request.user_id)
    if employee is None:
        return
    assert callable(screen_for)
    await ctx.notifier.send(
        employee, screen_for(employee.locale), f"request:{request.id}:{request.status}"
    )


async def take_request(ctx: Context) -> None:
    request = await ctx.services.advocacy.take(_int(ctx) or 0, ctx.user.id)
    if request is None:
        await ctx.reply.toast(ctx.t("request-handled"), alert=True)
        return
    await ctx.reply.toast(ctx.t("request-taken", number=request.id))
    await _tell_employee(
        ctx,
        request,
        lambda locale: Screen.of(ctx.tr(locale, "request-taken-notice", number=request.id)),
    )


async def ask_decline(ctx: Context) -> None:
    request = await ctx.services.advocacy.request(_int(ctx) or 0)
    if request is None or request.status.value in ("fulfilled", "declined"):
        await ctx.reply.toast(ctx.t("request-handled"), alert=True)
        return
    await ctx.reply.toast()
    await ctx.set_state(DECLINE_STATE, request=request.id)
    prompt = Screen.of(
        ctx.t("request-decline-prompt", number=request.id),
        [[Button(ctx.t("hr-btn-cancel"), act("hr.cancel"))]],
    )
    await send_private(ctx, prompt)


async def on_decline_reason(ctx: Context) -> None:
    assert ctx.state is not None
    if not await _still_admin(ctx):
        return
    reason = ctx.event.text.strip()
    if not reason:
        await ctx.reply.send(Screen.of(ctx.t("answer-empty")))
        return
    request = await ctx.services.advocacy.decline(
        int(ctx.state.data.get("request", 0)), ctx.user.id, reason
    )
    await ctx.clear_state()
    if request is None:
        await ctx.reply.send(Screen.of(ctx.t("request-handled"), [[back_to_menu(ctx)]]))
        return
    await ctx.reply.send(
        Screen.of(ctx.t("request-declined", number=request.id), [[back_to_menu(ctx)]])
    )
    await _tell_employee(
        ctx,
        request,
        lambda locale: Screen.of(
            ctx.tr(locale, "request-declined-notice", number=request.id, reason=request.reason)
        ),
    )


# --- posts from the chat (new, or fulfilling a request) ------------------------------------------


async def ask_post(ctx: Context) -> None:
    request_id = _int(ctx) or 0
    if request_id:
        request = await ctx.services.advocacy.request(request_id)
        if request is None or request.status.value in ("fulfilled", "declined"):
            await ctx.reply.toast(ctx.t("request-handled"), alert=True)
            return
    if ctx.event.is_button:
        await ctx.reply.toast()
    await ctx.set_state(POST_STATE, request=request_id)
    prompt = Screen.of(
        ctx.t("newpost-prompt"), [[Button(ctx.t("hr-btn-cancel"), act("hr.cancel"))]]
    )
    await send_private(ctx, prompt)


async def newpost_command(ctx: Context) -> None:
    await ask_post(ctx)


async def on_post(ctx: Context) -> None:
    assert ctx.state is not None
    if not await _still_admin(ctx):
        return
    text = ctx.event.text.strip()
    if not text:
        await ctx.reply.send(Screen.of(ctx.t("newpost-empty")))
        return
    if len(text) > MAX_POST_TEXT:
        await ctx.reply.send(Screen.of(ctx.t("newpost-too-long")))
        return
    media_ref = media_kind = ""
    if ctx.event.attachments:
        item = ctx.event.attachments[0]
        if item.kind in (AttachmentKind.PHOTO, AttachmentKind.DOCUMENT) and item.file_id:
            media_ref = f"{ctx.user.platform.value}:{item.file_id}"
            media_kind = "photo" if item.kind is AttachmentKind.PHOTO else "document"
    await ctx.set_state(
        POST_STATE,
        request=int(ctx.state.data.get("request", 0)),
        text=text,
        media_ref=media_ref,
        media_kind=media_kind,
    )
    await ctx.reply.send(
        Screen.of(
            ctx.t("newpost-category"),
            [[Button(category_name(ctx, c), act("tm.cat", i))] for i, c in enumerate(CATEGORIES)],
        )
    )


async def choose_category(ctx: Context) -> None:
    state, index = ctx.state, _int(ctx)
    if state is None or state.name != POST_STATE or "text" not in state.data:
        await ctx.registry.stale(ctx)
        return
    if index is None or index >= len(CATEGORIES):
        await ctx.registry.stale(ctx)
        return
    text = str(state.data["text"])
    title = re.sub(r"\s+", " ", text.split("\n", 1)[0]).strip()[:60] or "—"
    draft = PostDraft(
        slug=f"chat-{ctx.user.id}-{int(time.time() * 1000)}",
        category=CATEGORIES[index],
        title=title,
        variants=(text,),
        media_ref=str(state.data.get("media_ref", "")),
        media_kind=str(state.data.get("media_kind", "")),
    )
    post = await ctx.services.advocacy.save_post(draft)
    await ctx.clear_state()
    await ctx.reply.edit(
        Screen.of(
            ctx.t("newpost-saved", title=post.title, category=category_name(ctx, post.category)),
            [[Button(ctx.t("admin-btn-team"), act("tm")), back_to_menu(ctx)]],
        )
    )
    request_id = int(state.data.get("request", 0))
    if request_id:
        request = await ctx.services.advocacy.fulfil(request_id, ctx.user.id, post.id)
        if request is not None:
            await _tell_employee(
                ctx,
                request,
                lambda locale: Screen.of(
                    ctx.tr(locale, "request-fulfilled-notice", number=request.id)
                    + "\n\n"
                    + ctx.tr(locale, "post-title", title=post.title),
                    [[Button(post.title[:40], act("ct.p", post.id, index, 0))]],
                ),
            )


def register(r: Registry) -> None:
    r.action("tm", roles=ADMINS)(team)
    r.action("tm.inv", roles=ADMINS)(ask_invite)
    r.action("tm.inv.skip", roles=ADMINS)(skip_invite_name)
    r.state(INVITE_STATE)(on_invite_text)
    r.ref("inv")(join_by_link)
    r.command("join", description_key="cmd-join")(join_command)
    r.state(JOIN_STATE)(on_join_text)
    r.action("tm.emp", roles=ADMINS)(employees)
    r.action("tm.rv", roles=ADMINS)(confirm_revoke)
    r.action("tm.rv.yes", roles=ADMINS)(revoke)
    r.action("tm.rq.t", roles=ADMINS)(take_request)
    r.action("tm.rq.d", roles=ADMINS)(ask_decline)
    r.state(DECLINE_STATE)(on_decline_reason)
    r.action("tm.np", roles=ADMINS)(ask_post)
    r.command("newpost", roles=ADMINS, description_key="cmd-newpost")(newpost_command)
    r.state(POST_STATE)(on_post)
    r.action("tm.cat", roles=ADMINS)(choose_category)
