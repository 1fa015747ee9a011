"""Insights for admins: the dashboard with charts, CSV exports and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import charts
from bot.domain.interviews import FUNNEL_STAGES
from bot.services.privacy import rate
from bot.ui import Screen
from handlers.common import back_to_menu, fmt_time, users_by_platform
from handlers.context import Context
from handlers.registry import ADMINS, Registry

MAX_LINES = 12


async def stats(ctx: Context) -> None:
    insights = ctx.services.insights
    counts = await ctx.services.users.counts()
    lines = [
        ctx.t("stats-title"),
        "",
        ctx.t(
            "stats-users",
            total=counts.total,
            platforms=users_by_platform(ctx, counts),
            candidates=counts.by_role.get("candidate", 0),
            employees=counts.by_role.get("employee", 0),
            admins=counts.by_role.get("admin", 0),
            new=counts.new_this_week,
            blocked=counts.blocked,
        ),
        "",
        ctx.t("stats-funnel-title"),
    ]
    funnels = await insights.vacancy_funnels()
    for row in funnels[:MAX_LINES]:
        lines.append(
            ctx.t(
                "stats-funnel-line",
                title=row["title"],
                views=row["views"],
                issued=row["issued"],
                submitted=row["submitted"],
                accepted=row["accepted"],
                r1=rate(row["issued"], row["views"]),
                r2=rate(row["submitted"], row["issued"]),
                r3=rate(row["accepted"], row["submitted"]),
            )
        )
        lines.append(ctx.t("stats-funnel-interviews", **_later_stages(row)))
    if len(funnels) > MAX_LINES:
        lines.append(ctx.t("stats-more", count=len(funnels) - MAX_LINES))
    if not funnels:
        lines.append(ctx.t("stats-none"))
    sources = await insights.sources()
    lines += ["", ctx.t("stats-sources-title")]
    for row in sources[:MAX_LINES]:
        lines.append(ctx.t("stats-source-line", **row))
        lines.append(ctx.t("stats-funnel-interviews", **_later_stages(row)))
    if not sources:
        lines.append(ctx.t("stats-none"))
    advocacy = await insights.advocacy()
    lines += [
        "",
        ctx.t(
            "stats-advocacy",
            employees=advocacy["employees"],
            shares=advocacy["shares"],
            month=advocacy["shares_month"],
            referred=advocacy["referred"],
        ),
    ]
    standing = await ctx.services.advocacy.standing("shares", monthly=False, user_id=ctx.user.id)
    if standing.rows:
        names = await ctx.services.advocacy.names([row[0] for row in standing.rows[:3]])
        top = ", ".join(f"{names.get(row[0], '—')} ({row[1]})" for row in standing.rows[:3])
        lines.append(ctx.t("stats-top", names=top))
    broadcasts = await insights.broadcasts()
    if broadcasts:
        lines += [
            "",
            ctx.t(
                "stats-broadcasts",
                count=broadcasts.get("broadcasts", 0),
                sent=broadcasts.get("sent", 0),
                blocked=broadcasts.get("blocked", 0),
                failed=broadcasts.get("failed", 0),
            ),
        ]
    await ctx.show(Screen.of("\n".join(lines), [[back_to_menu(ctx)]]))
    await _send_charts(ctx, funnels, sources)


CHART_STAGES = tuple(stage for stage in FUNNEL_STAGES if stage != "screened_out")


def _later_stages(row: dict[str, Any]) -> dict[str, Any]:
    """The stages around the test task: screening, then the interview and the hire."""
    names = ("screened_in", "screened_out", "booked", "attended", "offer", "hired")
    return {name: row.get(name) or 0 for name in names}


async def _send_charts(
    ctx: Context, funnels: list[dict[str, object]], sources: list[dict[str, object]]
) -> None:
    import asyncio

    totals = [
        sum(count for row in funnels if isinstance(count := row[key], int)) for key in CHART_STAGES
    ]
    stages = [ctx.t(f"chart-stage-{key}") for key in CHART_STAGES]
    days = await ctx.services.insights.per_day(30)
    images = await asyncio.to_thread(
        lambda: [
            ("funnel.png", charts.funnel(ctx.t("chart-funnel"), stages, totals)),
            (
                "sources.png",
                charts.bars(
                    ctx.t("chart-sources"),
                    [str(row["source"]) for row in sources],
                    [int(row["views"]) for row in sources],  # type: ignore[call-overload]
                    ctx.t("chart-sources-axis"),
                ),
            ),
            (
                "per-day.png",
                charts.per_day(
                    ctx.t("chart-days"),
                    [day for day, _, _ in days],
                    [issued for _, issued, _ in days],
                    [submitted for _, _, submitted in days],
                    [ctx.t("chart-days-issued"), ctx.t("chart-days-submitted")],
                ),
            ),
        ]
    )
    stamp = datetime.now().strftime("%H%M%S%f")
    for name, png in images:
        await ctx.notifier.send_bytes(ctx.user, name, png, "", f"chart:{name}:{stamp}", photo=True)


async def export(ctx: Context) -> None:
    insights = ctx.services.insights
    names = await ctx.services.advocacy.names(await insights.referrers())
    columns = ctx.t("csv-applications-header") + "," + ctx.t("csv-applications-header-interviews")
    applications = await insights.applications_csv(names, columns.split(","))
    header = ctx.t("csv-funnel-header").split(",") + ctx.t("csv-funnel-header-interviews").split(
        ","
    )
    funnel = await insights.funnel_csv(header)
    stamp = datetime.now().strftime("%H%M%S%f")
    await ctx.notifier.send_bytes(
        ctx.user,
        "applications.csv",
        applications,
        ctx.t("export-caption-applications"),
        f"csv:a:{stamp}",
    )
    await ctx.notifier.send_bytes(
        ctx.user, "funnel.csv", funnel, ctx.t("export-caption-funnel"), f"csv:f:{stamp}"
    )
    await ctx.services.privacy.audit(ctx.user.id, "admin", "export", "csv", "applications, funnel")
    if ctx.event.is_button:
        await ctx.reply.toast()


async def audit(ctx: Context) -> None:
    entries = await ctx.services.privacy.audit_entries(20)
    lines = [ctx.t("audit-title", count=len(entries)), ""]
    for entry in entries:
        lines.append(
            ctx.t(
                "audit-line",
                time=fmt_time(ctx, datetime.fromisoformat(entry["created_at"])),
                actor=entry["actor"],
                action=entry["action"],
                target=entry["target"],
                details=entry["details"],
            )
        )
    if not entries:
        lines.append(ctx.t("audit-empty"))
    await ctx.show(Screen.of("\n".join(lines), [[back_to_menu(ctx)]]))


def register(r: Registry) -> None:
    r.command("stats", roles=ADMINS, description_key="cmd-stats")(stats)
    r.command("export", roles=ADMINS, description_key="cmd-export")(export)
    r.command("audit", roles=ADMINS, description_key="cmd-audit")(audit)
    r.action("in.stats", roles=ADMINS)(stats)
    r.action("in.export", roles=ADMINS)(export)
    r.action("in.audit", roles=ADMINS)(audit)
