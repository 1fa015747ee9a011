"""What every broadcast screen shares: argument parsing, audience and status labels, counts,
the audit entry, and the checks every step repeats (admin, own draft)."""

from __future__ import annotations

import html
import re

from bot.broadcast.model import Audience, Broadcast, Who
from bot.domain.vacancies import PROJECTS
from bot.i18n import Markup, Translator
from bot.ui import Button, Screen, act
from handlers.context import Context

COMPOSE = "bc.compose"
BUTTONS = "bc.buttons"
TAG = "bc.tag"
WHEN = "bc.when"
MAX_PER_PAGE = 8
TAG_RE = re.compile(r"^[\w-]{1,40}$")
WHO_CODES = {"a": Who.ALL, "c": Who.CANDIDATES, "e": Who.EMPLOYEES}
SNIPPET_LENGTH = 120


def arg(ctx: Context, index: int = 0) -> int:
    action = ctx.event.action
    value = action.int_arg(index) if action is not None else None
    return value or 0


def str_arg(ctx: Context, index: int) -> str:
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


def duration(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_label(tr: Translator, locale: str, broadcast: Broadcast) -> str:
    return tr(locale, f"bc-status-{broadcast.status.value}")


def count_lines(tr: Translator, locale: str, broadcast: Broadcast) -> list[str]:
    counts = broadcast.counts
    lines: list[str] = [
        tr(locale, "bc-count-total", count=counts.total),
        tr(locale, "bc-count-sent", count=counts.sent),
        tr(locale, "bc-count-blocked", count=counts.blocked),
        tr(locale, "bc-count-failed", count=counts.failed),
        tr(locale, "bc-count-unknown", count=counts.unknown),
    ]
    if counts.pending:
        lines.append(tr(locale, "bc-count-pending", count=counts.pending))
    return lines


def content_snippet(broadcast: Broadcast) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", "", broadcast.content.text)).strip()
    plain = " ".join(plain.split())
    return plain if len(plain) <= SNIPPET_LENGTH else plain[: SNIPPET_LENGTH - 1] + "…"


async def audit(ctx: Context, action: str, broadcast: Broadcast, details: str) -> None:
    """Record the admin's action in the audit log."""
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", action, f"broadcast {broadcast.id}", details
    )


async def own_draft(ctx: Context, broadcast_id: int) -> Broadcast | None:
    draft = await ctx.services.broadcasts.draft(broadcast_id, ctx.user.id)
    if draft is None:
        await ctx.clear_state()
        if ctx.event.is_button:
            await ctx.reply.toast(ctx.t("bc-draft-gone"), alert=True)
        else:
            await ctx.reply.send(Screen.of(ctx.t("bc-draft-gone")))
    return draft


def cancel_row(ctx: Context, broadcast_id: int = 0) -> list[Button]:
    return [Button(ctx.t("bc-btn-cancel"), act("bc.abort", broadcast_id))]
