"""Broadcasts for admins: `/broadcast` composes one (the message, optional link buttons, the
audience with its size, a preview exactly as recipients see it, a test copy, then send now or
schedule in Moscow time); `/broadcasts` lists scheduled and past ones with a report and a
cancel button. The progress and report screens the engine shows the author live here too.

Every `bc.*` action is admins-only in the registry; dialog states are not role-checked there,
so each state handler checks again, and every action re-loads the broadcast it points to.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from bot.broadcast.model import Audience, Broadcast, BroadcastStatus, MediaKind, Who
from bot.domain import Platform
from bot.domain.vacancies import PROJECTS
from bot.i18n import Markup, Translator
from bot.services.broadcasts import (
    MAX_BUTTONS,
    MAX_LABEL,
    MOSCOW,
    ButtonProblem,
    ComposeProblem,
    TimeProblem,
    build_content,
    parse_buttons,
    parse_when,
)
from bot.ui import Button, Screen, act
from handlers.common import fmt_time_in, list_capacity, page_slice
from handlers.context import Context
from handlers.registry import ADMINS, Registry

COMPOSE = "bc.compose"
BUTTONS = "bc.buttons"
TAG = "bc.tag"
WHEN = "bc.when"
MAX_PER_PAGE = 8
_TAG_RE = re.compile(r"^[\w-]{1,40}$")
_WHO_CODES = {"a": Who.ALL, "c": Who.CANDIDATES, "e": Who.EMPLOYEES}
_SNIPPET = 120


# --- shared pieces ------------------------------------------------------------------------------


def _arg(ctx: Context, index: int = 0) -> int:
    action = ctx.event.action
    value = action.int_arg(index) if action is not None else None
    return value or 0


def _str_arg(ctx: Context, index: int) -> str:
    action = ctx.event.action
    return action.args[index] if action is not None and index < len(action.args) else ""


def describe_audience(tr: Translator, locale: str, audience: Audience) -> str:
    if audience.who is Who.PROJECT:
        project = tr(locale, f"project-{audience.value}") if audience.value in PROJECTS else ""
        who = tr(locale, "bc-who-project", project=Markup(project or html.escape(audience.value)))
    elif audience.who is Who.TAG:
        who = tr(locale, "bc-who-tag", tag=audience.value)
    else:
        who = tr(locale, f"bc-who-{audience.who.value}")
    parts = [who]
    if audience.platform is not None:
        parts.append(tr(locale, f"bc-platform-{audience.platform.value}"))
    if audience.locale:
        parts.append(tr(locale, f"bc-locale-{audience.locale}"))
    return ", ".join(parts)


def _duration(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _status(tr: Translator, locale: str, broadcast: Broadcast) -> str:
    return tr(locale, f"bc-status-{broadcast.status.value}")


def count_lines(tr: Translator, locale: str, broadcast: Broadcast) -> list[str]:
    counts = broadcast.counts
    lines = [
        tr(locale, "bc-count-total", count=counts.total),
        tr(locale, "bc-count-sent", count=counts.sent),
        tr(locale, "bc-count-blocked", count=counts.blocked),
        tr(locale, "bc-count-failed", count=counts.failed),
        tr(locale, "bc-count-unknown", count=counts.unknown),
    ]
    if counts.pending:
        lines.append(tr(locale, "bc-count-pending", count=counts.pending))
    return lines


def _snippet(broadcast: Broadcast) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", "", broadcast.content.text)).strip()
    plain = " ".join(plain.split())
    return plain if len(plain) <= _SNIPPET else plain[: _SNIPPET - 1] + "…"


class BroadcastPresenter:
    """The screens the delivery engine shows the author (in the author's language)."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr

    def progress(self, broadcast: Broadcast, rate: float | None, eta: float | None) -> Screen:
        tr, locale, counts = self.tr, broadcast.author_locale, broadcast.counts
        lines = [
            tr(locale, "bc-progress-title", id=broadcast.id, status=_status(tr, locale, broadcast))
        ]
        if broadcast.status is BroadcastStatus.CANCELLED:
            lines.append(tr(locale, "bc-progress-stopping"))
        if not broadcast.filled:
            lines.append(tr(locale, "bc-progress-preparing"))
        else:
            percent = int(counts.done * 100 / counts.total) if counts.total else 100
            lines.append(
                tr(
                    locale,
                    "bc-progress-done",
                    done=counts.done,
                    total=counts.total,
                    percent=percent,
                )
            )
            lines.append(
                tr(
                    locale,
                    "bc-progress-detail",
                    sent=counts.sent,
                    blocked=counts.blocked,
                    failed=counts.failed,
                    unknown=counts.unknown,
                )
            )
            if rate is not None:
                lines.append(
                    tr(
                        locale,
                        "bc-progress-rate",
                        rate=f"{rate:.1f}",
                        eta=_duration(eta) if eta is not None else "—",
                    )
                )
        rows = [[Button(tr(locale, "bc-btn-report"), act("bc.r", broadcast.id))]]
        if broadcast.status is BroadcastStatus.RUNNING:
            rows.insert(
                0, [Button(tr(locale, "bc-btn-cancel-broadcast"), act("bc.x", broadcast.id))]
            )
        return Screen.of("\n".join(lines), rows)

    def final(self, broadcast: Broadcast) -> Screen:
        tr, locale = self.tr, broadcast.author_locale
        lines = [
            tr(locale, "bc-progress-title", id=broadcast.id, status=_status(tr, locale, broadcast))
        ]
        lines += count_lines(tr, locale, broadcast)
        return Screen.of(
            "\n".join(lines), [[Button(tr(locale, "bc-btn-report"), act("bc.r", broadcast.id))]]
        )

    def report(self, broadcast: Broadcast) -> Screen:
        tr, locale = self.tr, broadcast.author_locale
        if broadcast.status is BroadcastStatus.CANCELLED:
            head = tr(locale, "bc-report-cancelled", id=broadcast.id)
        else:
            took = 0.0
            if broadcast.started_at and broadcast.finished_at:
                took = (broadcast.finished_at - broadcast.started_at).total_seconds()
            head = tr(locale, "bc-report-done", id=broadcast.id, duration=_duration(took))
        lines = [head, "", *count_lines(tr, locale, broadcast)]
        return Screen.of(
            "\n".join(lines), [[Button(tr(locale, "bc-btn-report"), act("bc.r", broadcast.id))]]
        )


async def _audit(ctx: Context, action: str, broadcast: Broadcast, details: str) -> None:
    """Record the admin's action in the audit log."""
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", action, f"broadcast {broadcast.id}", details
    )


async def _refuse_non_admin(ctx: Context) -> bool:
    """For dialog states (the registry checks roles of commands and actions only)."""
    if ctx.user.is_admin:
        return False
    await ctx.clear_state()
    if ctx.registry.on_forbidden is not None:
        await ctx.registry.on_forbidden(ctx)
    return True


async def _own_draft(ctx: Context, broadcast_id: int) -> Broadcast | None:
    draft = await ctx.services.broadcasts.draft(broadcast_id, ctx.user.id)
    if draft is None:
        await ctx.clear_state()
        if ctx.event.is_button:
            await ctx.reply.toast(ctx.t("bc-draft-gone"), alert=True)
        else:
            await ctx.reply.send(Screen.of(ctx.t("bc-draft-gone")))
    return draft


# --- composing ----------------------------------------------------------------------------------


def _cancel_row(ctx: Context, broadcast_id: int = 0) -> list[Button]:
    return [Button(ctx.t("bc-btn-cancel"), act("bc.abort", broadcast_id))]


async def new(ctx: Context) -> None:
    await ctx.services.broadcasts.discard_drafts(ctx.user.id)
    await ctx.set_state(COMPOSE)
    await ctx.show(Screen.of(ctx.t("bc-compose-prompt"), [_cancel_row(ctx)]))


async def abort(ctx: Context) -> None:
    await ctx.clear_state()
    await ctx.services.broadcasts.discard_drafts(ctx.user.id)
    await ctx.reply.toast()
    await ctx.show(Screen.of(ctx.t("bc-aborted")))


async def on_message(ctx: Context) -> None:
    if await _refuse_non_admin(ctx):
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
                [_cancel_row(ctx)],
            )
        )
        return
    draft = await ctx.services.broadcasts.create_draft(ctx.user.id, content)
    await ctx.set_state(BUTTONS, id=draft.id)
    await ctx.reply.send(_buttons_prompt(ctx, draft.id))


def _buttons_prompt(ctx: Context, broadcast_id: int, problem: str = "") -> Screen:
    text = ctx.t("bc-buttons-prompt", max=MAX_BUTTONS)
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
    if await _refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    draft = await _own_draft(ctx, int(ctx.state.data.get("id", 0)))
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
    await ctx.services.broadcasts.set_buttons(draft, parsed)  # type: ignore[arg-type]
    await ctx.clear_state()
    await ctx.reply.send(await audience_screen(ctx, draft))


async def skip_buttons(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.show(await audience_screen(ctx, draft))


# --- audience -----------------------------------------------------------------------------------


async def audience_screen(ctx: Context, draft: Broadcast) -> Screen:
    service = ctx.services.broadcasts
    audience = service.normalise(draft.audience)
    size = await service.audience_size(audience)
    platform = (
        ctx.t(f"bc-platform-{audience.platform.value}")
        if audience.platform
        else ctx.t("bc-platform-any")
    )
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
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.show(await audience_screen(ctx, draft))


async def set_who(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    who = _WHO_CODES.get(_str_arg(ctx, 1))
    if who is None:
        await ctx.registry.stale(ctx)
        return
    audience = draft.audience
    await _update_audience(ctx, draft, Audience(who, "", audience.platform, audience.locale))


async def choose_project(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    rows = [
        [Button(ctx.t(f"project-{project}"), act("bc.aps", draft.id, project))]
        for project in PROJECTS
    ]
    rows.append([Button(ctx.t("bc-btn-back"), act("bc.aud", draft.id))])
    await ctx.show(Screen.of(ctx.t("bc-project-choose"), rows[: ctx.reply.limits.max_rows]))


async def set_project(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    project = _str_arg(ctx, 1)
    if project not in PROJECTS:
        await ctx.registry.stale(ctx)
        return
    audience = draft.audience
    await _update_audience(
        ctx, draft, Audience(Who.PROJECT, project, audience.platform, audience.locale)
    )


async def ask_tag(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
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
    if await _refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    draft = await _own_draft(ctx, int(ctx.state.data.get("id", 0)))
    if draft is None:
        return
    tag = ctx.event.text.strip().lstrip("#").strip().lower()
    if not _TAG_RE.match(tag):
        await ctx.reply.send(await _tag_prompt(ctx, draft.id, ctx.t("bc-tag-bad")))
        return
    audience = draft.audience
    await _update_audience(ctx, draft, Audience(Who.TAG, tag, audience.platform, audience.locale))


async def cycle_platform(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
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
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    options = ["", *ctx.services.broadcasts.locales]
    current = draft.audience.locale
    following = options[(options.index(current) + 1) % len(options)] if current in options else ""
    audience = draft.audience
    await _update_audience(
        ctx, draft, Audience(audience.who, audience.value, audience.platform, following)
    )


# --- preview, test copy, send -------------------------------------------------------------------


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
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.reply.toast()
    sent = await ctx.services.broadcasts.send_copy(draft, ctx.user.platform, ctx.event.chat_id)
    await ctx.reply.send(await _control_screen(ctx, draft, failed=not sent))


async def back_to_control(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    await ctx.clear_state()
    await ctx.show(await _control_screen(ctx, draft))


async def test_copy(ctx: Context) -> None:
    broadcast = await ctx.services.broadcasts.get(_arg(ctx))
    if broadcast is None or (
        broadcast.status is BroadcastStatus.DRAFT and broadcast.author_id != ctx.user.id
    ):
        await ctx.registry.stale(ctx)
        return
    sent = await ctx.services.broadcasts.send_copy(broadcast, ctx.user.platform, ctx.event.chat_id)
    await ctx.reply.toast(ctx.t("bc-test-sent" if sent else "bc-test-failed"), alert=not sent)


async def confirm_now(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
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
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    size = await ctx.services.broadcasts.audience_size(draft.audience)
    if size == 0:
        await ctx.reply.toast(ctx.t("bc-nobody"), alert=True)
        return
    if not await ctx.services.broadcasts.start_now(draft):
        await ctx.registry.stale(ctx)
        return
    await _audit(ctx, "broadcast", draft, f"sent now to {size}")
    await ctx.reply.toast()
    await ctx.show(Screen.of(ctx.t("bc-started", id=draft.id, count=size)))


def _example(ctx: Context) -> str:
    tomorrow = ctx.services.broadcasts.now().astimezone(MOSCOW) + timedelta(days=1)
    return tomorrow.replace(hour=10, minute=0).strftime("%d.%m.%Y %H:%M")


async def ask_when(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
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
    if await _refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    draft = await _own_draft(ctx, int(ctx.state.data.get("id", 0)))
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
        text = ctx.t(key, example=_example(ctx))
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


async def schedule(ctx: Context) -> None:
    draft = await _own_draft(ctx, _arg(ctx))
    if draft is None:
        return
    stamp = _arg(ctx, 1)
    when = datetime.fromtimestamp(stamp, UTC) if stamp else None
    result = await ctx.services.broadcasts.schedule(draft, when) if when else TimeProblem.FORMAT
    if isinstance(result, TimeProblem):
        await ctx.reply.toast(ctx.t("bc-when-past"), alert=True)
        await ask_when(ctx)
        return
    if not result:
        await ctx.registry.stale(ctx)
        return
    assert when is not None
    await _audit(ctx, "broadcast", draft, f"scheduled for {when.isoformat()}")
    await ctx.reply.toast()
    await ctx.show(
        Screen.of(
            ctx.t("bc-scheduled", id=draft.id, when=fmt_time_in(ctx.tr, ctx.locale, when)),
            [[Button(ctx.t("bc-btn-list"), act("bc.list", 0))]],
        )
    )


# --- list, report, cancel -------------------------------------------------------------------------


def _when(ctx: Context, broadcast: Broadcast) -> str:
    moment = broadcast.started_at or broadcast.scheduled_at or broadcast.created_at
    return fmt_time_in(ctx.tr, ctx.locale, moment)


async def show_list(ctx: Context) -> None:
    page = _arg(ctx) if ctx.event.is_button else 0
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
        status = _status(ctx.tr, ctx.locale, broadcast)
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
    lines = [
        ctx.t("bc-report-title", id=broadcast.id, status=Markup(_status(tr, locale, broadcast))),
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
    snippet = _snippet(broadcast)
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
    broadcast = await ctx.services.broadcasts.get(_arg(ctx))
    if broadcast is None or broadcast.status is BroadcastStatus.DRAFT:
        await ctx.registry.stale(ctx)
        return
    await ctx.show(await report_screen(ctx, broadcast))


async def confirm_cancel(ctx: Context) -> None:
    broadcast = await ctx.services.broadcasts.get(_arg(ctx))
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
    broadcast_id = _arg(ctx)
    broadcast = await ctx.services.broadcasts.get(broadcast_id)
    if broadcast is None or broadcast.status is BroadcastStatus.DRAFT:
        await ctx.registry.stale(ctx)
        return
    if await ctx.services.broadcasts.cancel(broadcast_id):
        await _audit(ctx, "broadcast cancelled", broadcast, f"was {broadcast.status.value}")
        await ctx.reply.toast(ctx.t("bc-cancelled", id=broadcast_id))
    else:
        await ctx.reply.toast(ctx.t("bc-cancel-too-late", id=broadcast_id), alert=True)
    broadcast = await ctx.services.broadcasts.get(broadcast_id)
    assert broadcast is not None
    await ctx.show(await report_screen(ctx, broadcast))


def register(r: Registry) -> None:
    r.command("broadcast", roles=ADMINS, description_key="cmd-broadcast")(new)
    r.command("broadcasts", roles=ADMINS, description_key="cmd-broadcasts")(show_list)
    r.state(COMPOSE)(on_message)
    r.state(BUTTONS)(on_buttons)
    r.state(TAG)(on_tag)
    r.state(WHEN)(on_when)
    for name, handler in {
        "bc.new": new,
        "bc.abort": abort,
        "bc.skip": skip_buttons,
        "bc.aud": show_audience,
        "bc.aw": set_who,
        "bc.ap": choose_project,
        "bc.aps": set_project,
        "bc.at": ask_tag,
        "bc.apl": cycle_platform,
        "bc.al": cycle_locale,
        "bc.pv": preview,
        "bc.pvb": back_to_control,
        "bc.test": test_copy,
        "bc.now": confirm_now,
        "bc.go": send_now,
        "bc.sch": ask_when,
        "bc.sgo": schedule,
        "bc.list": show_list,
        "bc.r": show_report,
        "bc.x": confirm_cancel,
        "bc.xy": cancel,
    }.items():
        r.action(name, roles=ADMINS)(handler)
