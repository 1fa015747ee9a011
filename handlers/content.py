"""Employee advocacy for employees: the content library by category, ready-to-share texts with
rotating wordings and referral links, share links, "I posted it", the leaderboard, content
requests and the guidelines."""

from __future__ import annotations

from urllib.parse import quote

from bot.domain import Platform
from bot.domain.advocacy import CATEGORIES, ContentRequest, Post
from bot.events import FileKind, OutFile
from bot.i18n import Markup
from bot.services.advocacy import (
    DAILY_POINTS_CAP,
    REFERRAL_POINTS_APPLICATION,
    REFERRAL_POINTS_CANDIDATE,
    REFERRAL_POINTS_HIRE,
    referral_source,
)
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, chunk, list_capacity, page_slice
from handlers.context import Context
from handlers.registry import ALL_ROLES, STAFF, Registry
from handlers.vacancies import esc

LINK_STATE = "ct.link"
REQUEST_STATE = "ct.request"
MAX_PER_PAGE = 5


def _int(ctx: Context, index: int) -> int | None:
    action = ctx.event.action
    return action.int_arg(index) if action is not None else None


def _platform(ctx: Context) -> str:
    return ctx.user.platform.value


def category_name(ctx: Context, category: str) -> str:
    return ctx.t(f"category-{category}")


# --- categories and lists ---------------------------------------------------------------------


async def categories_screen(ctx: Context) -> Screen:
    counts = await ctx.services.advocacy.categories(_platform(ctx))
    buttons = [
        Button(
            ctx.t("content-category-button", name=category_name(ctx, c), count=counts[c]),
            act("ct.c", index, 0),
        )
        for index, c in enumerate(CATEGORIES)
    ]
    rows = [
        *chunk(buttons, 2 if ctx.reply.limits.max_buttons <= 10 else 1),
        [
            Button(ctx.t("content-btn-leaderboard"), act("ct.lb", "s", "m")),
            Button(ctx.t("content-btn-request"), act("ct.req")),
        ],
        [
            Button(ctx.t("content-btn-my-requests"), act("ct.mine")),
            Button(ctx.t("content-btn-guidelines"), act("ct.g")),
        ],
    ]
    if sum(len(row) for row in rows) >= ctx.reply.limits.max_buttons:
        rows[-1] = [Button(ctx.t("content-btn-guidelines"), act("ct.g")), back_to_menu(ctx)]
    else:
        rows.append([back_to_menu(ctx)])
    return Screen.of(ctx.t("content-title"), rows)


async def open_content(ctx: Context) -> None:
    if not ctx.user.is_employee:
        await ctx.show(Screen.of(ctx.t("content-no-access"), [[back_to_menu(ctx)]]))
        return
    await ctx.clear_state()
    await ctx.show(await categories_screen(ctx))


async def show_category(ctx: Context) -> None:
    index, page = _int(ctx, 0), _int(ctx, 1) or 0
    if index is None or index >= len(CATEGORIES):
        await ctx.registry.stale(ctx)
        return
    category = CATEGORIES[index]
    per_page = min(MAX_PER_PAGE, list_capacity(ctx.reply.limits, reserved_rows=2))
    posts, total = await ctx.services.advocacy.posts(
        category, _platform(ctx), min(page, 1000), per_page
    )
    page, _, pages = page_slice(total, page, per_page)
    back = Button(ctx.t("content-btn-categories"), act("ct"))
    if not posts:
        await ctx.show(Screen.of(ctx.t("content-empty"), [[back, back_to_menu(ctx)]]))
        return
    lines = [ctx.t("content-list-title", category=category_name(ctx, category), total=total)]
    if pages > 1:
        lines.append(ctx.t("content-page", page=page + 1, pages=pages))
    rows = [[Button(post.title[:40], act("ct.p", post.id, index, page))] for post in posts]
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("content-btn-prev"), act("ct.c", index, page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("content-btn-next"), act("ct.c", index, page + 1)))
    rows += [nav, [back, back_to_menu(ctx)]]
    await ctx.show(Screen.of("\n".join(lines), rows))


# --- a post -------------------------------------------------------------------------------------


def _referral_link(ctx: Context, post: Post, network: Platform | None = None) -> str | None:
    """The employee's referral link to the post's vacancy: opening the bot on `network` when it
    runs here (a VK share brings people to the VK community), else on the employee's own."""
    if post.vacancy_id is None:
        return None
    payload = f"v{post.vacancy_id}-{referral_source(ctx.user.id)}"
    if network is not None:
        link = ctx.notifier.deep_link(network, payload)
        if link is not None:
            return link
    return ctx.notifier.deep_link(ctx.user.platform, payload)


def share_buttons(ctx: Context, post: Post) -> list[Button]:
    """Employees share to their own accounts on either network, whatever messenger they use
    here: a Telegram share (with the ready text) and a VK share (VK shares a link, so a post
    without one shares the bot's link)."""
    share_text = ctx.services.advocacy.share_text(post, post.variants[0], None)
    tg_url = post.link or _referral_link(ctx, post, Platform.TELEGRAM) or ""
    vk_url = (
        post.link
        or _referral_link(ctx, post, Platform.VK)
        or ctx.notifier.deep_link(Platform.VK, "share")
        or ctx.notifier.deep_link(ctx.user.platform, "share")
        or ""
    )
    buttons = [
        Button(
            ctx.t("post-btn-share-tg"),
            url=f"https://t.me/share/url?url={quote(tg_url or share_text)}"
            + (f"&text={quote(share_text[:1000])}" if tg_url else ""),
        )
    ]
    if vk_url:
        buttons.append(
            Button(
                ctx.t("post-btn-share-vk"),
                url=f"https://vk.com/share.php?url={quote(vk_url)}&title={quote(post.title)}",
            )
        )
    return buttons


async def _visible_post(ctx: Context) -> Post | None:
    post = await ctx.services.advocacy.post(_int(ctx, 0) or 0, _platform(ctx))
    if post is None:
        await ctx.reply.toast(ctx.t("content-post-gone"), alert=True)
    return post


def post_screen(ctx: Context, post: Post, category_index: int, page: int) -> Screen:
    lines = [
        ctx.t("post-title", title=post.title),
        ctx.t("post-category", category=category_name(ctx, post.category)),
        "",
        esc(post.variants[0]),
    ]
    if len(post.variants) > 1:
        lines += ["", ctx.t("post-variants", count=len(post.variants))]
    if post.vacancy_id is not None:
        lines += ["", ctx.t("post-referral")]
    rows = [
        [Button(ctx.t("post-btn-text"), act("ct.t", post.id))],
        share_buttons(ctx, post),
        [Button(ctx.t("post-btn-posted"), act("ct.done", post.id))],
        [Button(ctx.t("post-btn-back"), act("ct.c", category_index, page)), back_to_menu(ctx)],
    ]
    return Screen.of("\n".join(lines), rows)


async def show_post(ctx: Context) -> None:
    post = await _visible_post(ctx)
    if post is None:
        return
    category_index = _int(ctx, 1) or 0
    await ctx.show(post_screen(ctx, post, category_index, _int(ctx, 2) or 0))


async def send_text(ctx: Context) -> None:
    """The text as a message ready to copy (with the media first); wordings rotate."""
    post = await _visible_post(ctx)
    if post is None:
        return
    wording = await ctx.services.advocacy.wording(post)
    text = ctx.services.advocacy.share_text(post, wording, _referral_link(ctx, post))
    if post.media_path or post.media_ref:
        platform, _, ref = post.media_ref.partition(":")
        kind = FileKind.PHOTO if post.media_kind == "photo" else FileKind.DOCUMENT
        file = OutFile(
            name=post.media_path.rsplit("/", 1)[-1] or post.slug,
            kind=kind,
            platform=Platform(platform) if post.media_ref else None,
            ref=ref,
            local_path=post.media_path,
        )
        await ctx.notifier.send_file(
            ctx.user.platform, ctx.event.chat_id, file, "", f"post:{post.id}:{ctx.event.raw_action}"
        )
    await ctx.reply.toast(ctx.t("post-text-intro"))  # the text itself stays alone, to copy
    rows = [[Button(ctx.t("post-btn-posted"), act("ct.done", post.id))]]
    if len(post.variants) > 1:
        rows.insert(0, [Button(ctx.t("post-btn-another"), act("ct.t", post.id))])
    await ctx.reply.send(Screen.of(esc(text), rows))


async def posted(ctx: Context) -> None:
    post = await _visible_post(ctx)
    if post is None:
        return
    await ctx.set_state(LINK_STATE, post=post.id)
    await ctx.reply.send(
        Screen.of(
            ctx.t("posted-prompt"), [[Button(ctx.t("posted-no-link"), act("ct.nl", post.id))]]
        )
    )


async def _record(ctx: Context, post_id: int, link: str) -> None:
    await ctx.clear_state()
    post = await ctx.services.advocacy.post(post_id, _platform(ctx))
    if post is None:
        await ctx.reply.send(Screen.of(ctx.t("content-post-gone"), [[back_to_menu(ctx)]]))
        return
    points = await ctx.services.advocacy.record_share(post, ctx.user.id, link)
    key = "posted-thanks" if points else "posted-capped"
    await ctx.show(
        Screen.of(
            ctx.t(key, points=points),
            [[Button(ctx.t("content-btn-leaderboard"), act("ct.lb", "s", "m")), back_to_menu(ctx)]],
        )
    )


async def _still_employee(ctx: Context) -> bool:
    """Dialog states are not role-checked by the registry: a revoked employee stops here."""
    if ctx.user.is_employee:
        return True
    await ctx.clear_state()
    await open_content(ctx)
    return False


async def on_link(ctx: Context) -> None:
    assert ctx.state is not None
    if not await _still_employee(ctx):
        return
    link = ctx.event.text.strip()
    if not link.lower().startswith(("http://", "https://")) or " " in link or len(link) > 500:
        post_id = int(ctx.state.data.get("post", 0))
        await ctx.reply.send(
            Screen.of(
                ctx.t("posted-bad-link"),
                [[Button(ctx.t("posted-no-link"), act("ct.nl", post_id))]],
            )
        )
        return
    await _record(ctx, int(ctx.state.data.get("post", 0)), link)


async def no_link(ctx: Context) -> None:
    state = ctx.state
    post_id = _int(ctx, 0) or 0
    if state is None or state.name != LINK_STATE or int(state.data.get("post", 0)) != post_id:
        await ctx.registry.stale(ctx)
        return
    await _record(ctx, post_id, "")


# --- the leaderboard ----------------------------------------------------------------------------


async def leaderboard(ctx: Context) -> None:
    action = ctx.event.action
    kind = action.args[0] if action and action.args else "s"
    period = action.args[1] if action and len(action.args) > 1 else "m"
    if kind not in ("s", "r") or period not in ("m", "a"):
        await ctx.registry.stale(ctx)
        return
    service = ctx.services.advocacy
    standing = await service.standing(
        "shares" if kind == "s" else "referrals", period == "m", ctx.user.id
    )
    ids = [row[0] for row in standing.rows]
    if standing.own_row is not None:
        ids.append(standing.own_row[0])
    names = await service.names(ids)
    lines = [
        ctx.t(
            "leaderboard-title",
            period=ctx.t("leaderboard-month" if period == "m" else "leaderboard-all"),
            kind=ctx.t("leaderboard-shares" if kind == "s" else "leaderboard-referrals"),
        ),
        "",
    ]
    row_key = "leaderboard-row-shares" if kind == "s" else "leaderboard-row-referral-points"
    for place, (user_id, points, *counts) in enumerate(standing.rows, 1):
        values = (
            {"shares": counts[0]}
            if kind == "s"
            else {"candidates": counts[0], "applications": counts[1], "hires": counts[2]}
        )
        line = ctx.t(row_key, place=place, name=names.get(user_id, "—"), points=points, **values)
        lines.append(f"<b>{line}</b>" if user_id == ctx.user.id else line)
    if not standing.rows:
        lines.append(ctx.t("leaderboard-empty"))
    lines.append("")
    if standing.own_place is not None:
        lines.append(ctx.t("leaderboard-you", place=standing.own_place))
    else:
        lines.append(ctx.t("leaderboard-you-none"))
    if kind == "s":
        lines.append(ctx.t("leaderboard-cap", cap=DAILY_POINTS_CAP))
    else:
        lines.append(
            ctx.t(
                "leaderboard-referral-legend",
                candidate=REFERRAL_POINTS_CANDIDATE,
                application=REFERRAL_POINTS_APPLICATION,
                hire=REFERRAL_POINTS_HIRE,
            )
        )
    mark = "• "
    rows = [
        [
            Button(
                (mark if period == "m" else "") + ctx.t("leaderboard-btn-month"),
                act("ct.lb", kind, "m"),
            ),
            Button(
                (mark if period == "a" else "") + ctx.t("leaderboard-btn-all"),
                act("ct.lb", kind, "a"),
            ),
        ],
        [
            Button(
                (mark if kind == "s" else "") + ctx.t("leaderboard-btn-shares"),
                act("ct.lb", "s", period),
            ),
            Button(
                (mark if kind == "r" else "") + ctx.t("leaderboard-btn-referrals"),
                act("ct.lb", "r", period),
            ),
        ],
        [Button(ctx.t("content-btn-categories"), act("ct")), back_to_menu(ctx)],
    ]
    await ctx.show(Screen.of("\n".join(lines), rows))


# --- requests and guidelines ------------------------------------------------------------------


async def ask_request(ctx: Context) -> None:
    await ctx.set_state(REQUEST_STATE)
    await ctx.reply.send(
        Screen.of(ctx.t("request-prompt"), [[Button(ctx.t("answer-cancel"), act("ct"))]])
    )


async def on_request(ctx: Context) -> None:
    if not await _still_employee(ctx):
        return
    text = ctx.event.text.strip()
    if not text or len(text) > 1500:
        key = "request-empty" if not text else "request-too-long"
        await ctx.reply.send(Screen.of(ctx.t(key), [[Button(ctx.t("answer-cancel"), act("ct"))]]))
        return
    request = await ctx.services.advocacy.request_content(ctx.user.id, text)
    await ctx.clear_state()
    assert request is not None
    await ctx.reply.send(
        Screen.of(
            ctx.t("request-sent", number=request.id),
            [[Button(ctx.t("content-btn-my-requests"), act("ct.mine")), back_to_menu(ctx)]],
        )
    )
    await post_request(ctx, request)


async def my_requests(ctx: Context) -> None:
    requests = await ctx.services.advocacy.my_requests(ctx.user.id)
    lines = [ctx.t("requests-title"), ""]
    for request in requests:
        line: str = ctx.t(
            "request-line",
            number=request.id,
            status=ctx.t(f"request-status-{request.status}"),
            text=request.text[:80],
        )
        if request.reason:
            line += " (" + ctx.t("request-reason", reason=request.reason) + ")"
        lines.append(line)
    if not requests:
        lines.append(ctx.t("requests-empty"))
    await ctx.show(
        Screen.of(
            "\n".join(lines),
            [[Button(ctx.t("content-btn-request"), act("ct.req")), back_to_menu(ctx)]],
        )
    )


async def guidelines(ctx: Context) -> None:
    await ctx.show(
        Screen.of(
            ctx.t("guidelines-text"),
            [[Button(ctx.t("content-btn-categories"), act("ct")), back_to_menu(ctx)]],
        )
    )


async def post_request(ctx: Context, request: ContentRequest) -> None:
    """Send an employee's content request to HR with take / fulfil / decline buttons."""
    names = await ctx.services.advocacy.names([request.user_id])

    def build(locale: str) -> Screen:
        t = ctx.tr
        return Screen.of(
            t(
                locale,
                "request-hr",
                number=request.id,
                name=names.get(request.user_id, "—"),
                text=request.text,
            ),
            [
                [
                    Button(t(locale, "request-btn-take"), act("tm.rq.t", request.id)),
                    Button(t(locale, "request-btn-fulfil"), act("tm.np", request.id)),
                ],
                [Button(t(locale, "request-btn-decline"), act("tm.rq.d", request.id))],
            ],
        )

    await ctx.notifier.to_hr(build, f"content-request:{request.id}")


def notify_text(ctx: Context, locale: str, post: Post) -> Markup:
    return Markup(ctx.tr(locale, "post-title", title=post.title) + "\n\n" + esc(post.variants[0]))


def register(r: Registry) -> None:
    r.command("content", roles=ALL_ROLES, description_key="cmd-content")(open_content)
    r.menu("menu-content", act("ct"), roles=STAFF, order=30)
    r.action("ct", roles=STAFF)(open_content)
    r.action("ct.c", roles=STAFF)(show_category)
    r.action("ct.p", roles=STAFF)(show_post)
    r.action("ct.t", roles=STAFF)(send_text)
    r.action("ct.done", roles=STAFF)(posted)
    r.action("ct.nl", roles=STAFF)(no_link)
    r.state(LINK_STATE)(on_link)
    r.action("ct.lb", roles=STAFF)(leaderboard)
    r.action("ct.req", roles=STAFF)(ask_request)
    r.state(REQUEST_STATE)(on_request)
    r.action("ct.mine", roles=STAFF)(my_requests)
    r.action("ct.g", roles=STAFF)(guidelines)
