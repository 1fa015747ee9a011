"""Interviews in the admin panel: today's and upcoming bookings, those waiting for an outcome,
the interview card with the outcome buttons (came / did not come / offer / hired / rejected,
with an optional comment; the candidate is told in their language, and after a no-show offered
one rebooking), HR's "Invite to interview", and the list of slots with cancelling."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.interviews import Interview, Outcome
from bot.domain.vacancies import Application
from bot.i18n import Markup
from bot.services.interviews import MOSCOW
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, list_capacity, page_slice, refuse_non_admin, send_private
from handlers.context import Context
from handlers.interviews import details, send_invitation, slot_label, when
from handlers.registry import ADMINS, Registry

COMMENT_STATE = "iv.cm"
MAX_LABEL = 40


def _arg(ctx: Context, index: int = 0) -> int:
    action = ctx.event.action
    value = action.int_arg(index) if action is not None else None
    return value or 0


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


async def _who(ctx: Context, interview: Interview) -> tuple[str, str]:
    user = await ctx.services.users.get(interview.user_id)
    vacancy = await ctx.services.vacancies.get(interview.vacancy_id)
    name = (user.full_name if user else "") or "—"
    return name, vacancy.title if vacancy else "—"


async def panel(ctx: Context) -> None:
    interviews = ctx.services.interviews
    now = interviews.now()
    upcoming = await interviews.upcoming(limit=15)
    waiting = await interviews.awaiting_outcome(limit=6)
    today = now.astimezone(MOSCOW).date()
    lines = [ctx.t("iv-adm-title"), ""]
    todays = [i for i in upcoming if i.slot.starts_at.astimezone(MOSCOW).date() == today]
    later = [i for i in upcoming if i not in todays]
    for key, group in (("iv-adm-today", todays), ("iv-adm-upcoming", later)):
        lines.append(ctx.t(key))
        if not group:
            lines.append(ctx.t("iv-adm-none"))
        for interview in group:
            name, title = await _who(ctx, interview)
            lines.append(
                ctx.t(
                    "iv-adm-line",
                    time=when(ctx.tr, ctx.locale, interview.slot),
                    name=name,
                    title=title,
                )
            )
        lines.append("")
    rows: list[list[Button]] = []
    capacity = list_capacity(ctx.reply.limits, reserved_rows=3)
    if waiting:
        lines.append(ctx.t("iv-adm-waiting", count=len(waiting)))
        for interview in waiting[:capacity]:
            name, _ = await _who(ctx, interview)
            label = f"⏱ {interview.slot.starts_at.astimezone(MOSCOW):%d.%m %H:%M} {name}"
            rows.append([Button(_short(label), act("iv.o", interview.id))])
    rows.append(
        [
            Button(ctx.t("iv-adm-btn-publish"), act("iv.new")),
            Button(ctx.t("iv-adm-btn-slots"), act("iv.sl", 0)),
        ]
    )
    rows.append([Button(ctx.t("iv-adm-btn-upcoming"), act("iv.ul"))])
    rows.append([Button(ctx.t("iv-adm-btn-back"), act("admin")), back_to_menu(ctx)])
    await ctx.show(Screen.of("\n".join(lines).strip(), rows))


async def upcoming_list(ctx: Context) -> None:
    """The upcoming bookings as buttons (to open one and see or change it)."""
    upcoming = await ctx.services.interviews.upcoming(limit=30)
    capacity = list_capacity(ctx.reply.limits, reserved_rows=1)
    rows: list[list[Button]] = []
    for interview in upcoming[:capacity]:
        name, _ = await _who(ctx, interview)
        label = f"{interview.slot.starts_at.astimezone(MOSCOW):%d.%m %H:%M} {name}"
        rows.append([Button(_short(label), act("iv.o", interview.id))])
    rows.append([Button(ctx.t("iv-adm-btn-back-panel"), act("iv.adm"))])
    key = "iv-adm-upcoming" if upcoming else "iv-adm-none"
    await ctx.show(Screen.of(ctx.t(key), rows))


# --- an interview and its outcome ---------------------------------------------------------------


async def card(ctx: Context, interview: Interview, notice: str = "") -> Screen:
    name, title = await _who(ctx, interview)
    lines = [notice, ""] if notice else []
    lines.append(ctx.t("iv-adm-card", number=interview.application_id, name=name))
    lines += details(ctx.tr, ctx.locale, interview.slot, title)
    lines.append(ctx.t(f"iv-adm-status-{interview.status}"))
    if interview.outcome:
        lines.append(ctx.t("iv-adm-outcome", outcome=ctx.t(f"iv-outcome-{interview.outcome}")))
    if interview.comment:
        lines.append(ctx.t("iv-adm-comment", comment=interview.comment))
    rows: list[list[Button]] = []
    if ctx.services.interviews.outcome_due(interview):
        buttons = [
            Button(ctx.t(f"iv-outcome-btn-{o}"), act("iv.oc", interview.id, o.value))
            for o in Outcome
        ]
        rows += [buttons[:2], buttons[2:4], buttons[4:]]
    elif interview.active:
        lines.append(ctx.t("iv-adm-outcome-later"))
    rows.append([Button(ctx.t("iv-adm-btn-back-panel"), act("iv.adm"))])
    return Screen.of("\n".join(lines), rows)


async def open_card(ctx: Context) -> None:
    interview = await ctx.services.interviews.get(_arg(ctx))
    if interview is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.show(await card(ctx, interview))


async def choose_outcome(ctx: Context) -> None:
    interview = await ctx.services.interviews.get(_arg(ctx))
    action = ctx.event.action
    raw = action.args[1] if action is not None and len(action.args) > 1 else ""
    if interview is None or raw not in {o.value for o in Outcome}:
        await ctx.registry.stale(ctx)
        return
    if not ctx.services.interviews.outcome_due(interview):
        await ctx.reply.toast(ctx.t("iv-adm-outcome-later"), alert=True)
        return
    await ctx.reply.toast()
    await ctx.set_state(COMMENT_STATE, interview=interview.id, outcome=raw)
    prompt = Screen.of(
        ctx.t("iv-adm-comment-prompt", outcome=ctx.t(f"iv-outcome-{raw}")),
        [
            [
                Button(ctx.t("hr-btn-no-comment"), act("iv.nc")),
                Button(ctx.t("hr-btn-cancel"), act("iv.o", interview.id)),
            ]
        ],
    )
    if not await send_private(ctx, prompt):
        await ctx.clear_state()
        await finish_outcome(ctx, interview.id, Outcome(raw), "")


async def on_comment(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    comment = ctx.event.text.strip()
    if not comment:
        await ctx.reply.send(
            Screen.of(ctx.t("answer-empty"), [[Button(ctx.t("hr-btn-no-comment"), act("iv.nc"))]])
        )
        return
    await _finish_from_state(ctx, ctx.state.data, comment)


async def no_comment(ctx: Context) -> None:
    state = ctx.state
    if state is None or state.name != COMMENT_STATE:
        await ctx.registry.stale(ctx)
        return
    await _finish_from_state(ctx, state.data, "")


async def _finish_from_state(ctx: Context, data: Mapping[str, Any], comment: str) -> None:
    """Record the outcome the comment prompt was opened for; the stored dialog data is checked
    like button data (a state written by an older version may name what is gone)."""
    await ctx.clear_state()
    raw, interview_id = str(data.get("outcome", "")), data.get("interview")
    if raw not in {o.value for o in Outcome} or not isinstance(interview_id, int):
        await ctx.registry.stale(ctx)
        return
    await finish_outcome(ctx, interview_id, Outcome(raw), comment)


async def finish_outcome(ctx: Context, interview_id: int, outcome: Outcome, comment: str) -> None:
    interview = await ctx.services.interviews.get(interview_id)
    application = (
        await ctx.services.applications.get(interview.application_id) if interview else None
    )
    if interview is None or application is None:
        await ctx.registry.stale(ctx)
        return
    updated = await ctx.services.interviews.set_outcome(
        interview, outcome, comment, application.source
    )
    if updated is None:
        await ctx.reply.send(Screen.of(ctx.t("iv-adm-outcome-later"), [[back_to_menu(ctx)]]))
        return
    notice = ctx.t("iv-adm-outcome-saved", outcome=ctx.t(f"iv-outcome-{outcome.value}"))
    await ctx.reply.send(await card(ctx, updated, notice))
    await ctx.services.privacy.audit(
        ctx.user.id,
        "admin",
        "interview outcome",
        f"application {application.id}",
        outcome.value + (" with a comment" if comment else ""),
    )
    await tell_candidate(ctx, updated, application, outcome)


async def tell_candidate(
    ctx: Context, interview: Interview, application: Application, outcome: Outcome
) -> None:
    candidate = await ctx.services.users.get(application.user_id)
    if candidate is None or candidate.is_blocked:
        return
    locale = candidate.locale
    vacancy = await ctx.services.vacancies.get(application.vacancy_id)
    title = vacancy.title if vacancy else ""
    key = f"iv-outcome-{outcome.value}:{interview.id}"
    if outcome is Outcome.NO_SHOW and await ctx.services.interviews.can_book(application) is None:
        await send_invitation(
            ctx.services, ctx.tr, ctx.notifier, candidate, application, key, "iv-no-show"
        )
        return
    lines = [ctx.tr(locale, f"iv-told-{outcome.value}", title=title)]
    if interview.comment:
        lines.append(ctx.tr(locale, "candidate-comment", comment=interview.comment))
    rows = [[Button(ctx.tr(locale, "menu-applications"), act("app.open", application.id))]]
    await ctx.notifier.send(candidate, Screen.of("\n\n".join(lines), rows), key)


# --- inviting -----------------------------------------------------------------------------------


async def invite_application(ctx: Context, application: Application) -> bool:
    """Invite the candidate of an application and send them the free times."""
    candidate = await ctx.services.users.get(application.user_id)
    if candidate is None:
        return False
    await ctx.services.interviews.invite(application, ctx.user.id)
    if await ctx.services.interviews.active(application.id) is not None:
        return True
    return await send_invitation(
        ctx.services,
        ctx.tr,
        ctx.notifier,
        candidate,
        application,
        f"iv-invite:{application.id}:{ctx.services.interviews.now():%s}",
    )


async def invite(ctx: Context) -> None:
    application = await ctx.services.applications.get(_arg(ctx))
    if application is None:
        await ctx.registry.stale(ctx)
        return
    sent = await invite_application(ctx, application)
    _, total = await ctx.services.interviews.free_slots(application.vacancy_id, 0, 1)
    key = "hr-iv-invited" if sent else "hr-iv-invite-failed"
    text = str(ctx.t(key, number=application.id))
    if not total:
        text += "\n" + ctx.t("hr-iv-no-slots")
    await ctx.reply.toast(ctx.t(key, number=application.id), alert=not sent or not total)
    await send_private(
        ctx,
        Screen.of(
            text, [[Button(ctx.t("iv-adm-btn-publish"), act("iv.new"))], [back_to_menu(ctx)]]
        ),
    )


# --- slots --------------------------------------------------------------------------------------


async def slots_list(ctx: Context) -> None:
    per_page = list_capacity(ctx.reply.limits, reserved_rows=2)
    page = min(_arg(ctx), 1000)
    slots, total = await ctx.services.interviews.upcoming_slots(page, per_page)
    page, _, pages = page_slice(total, page, per_page)
    lines = [ctx.t("iv-slots-title", total=total)]
    rows: list[list[Button]] = []
    for slot in slots:
        mark = "✅ " if slot.free == 0 else ""
        rows.append(
            [Button(_short(mark + slot_label(ctx.tr, ctx.locale, slot)), act("iv.so", slot.id))]
        )
    if not slots:
        lines.append(ctx.t("iv-slots-none"))
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("iv-btn-prev"), act("iv.sl", page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("iv-btn-next"), act("iv.sl", page + 1)))
    rows.append(nav)
    rows.append([Button(ctx.t("iv-adm-btn-back-panel"), act("iv.adm"))])
    await ctx.show(Screen.of("\n".join(lines), rows))


async def slot_card(ctx: Context) -> None:
    slot = await ctx.services.interviews.slot(_arg(ctx))
    if slot is None:
        await ctx.registry.stale(ctx)
        return
    if slot.vacancy_id is None:
        title: Markup | str = ctx.t("iv-all-vacancies")
    else:
        vacancy = await ctx.services.vacancies.get(slot.vacancy_id)
        title = vacancy.title if vacancy else "—"
    lines = [ctx.t("iv-slot-title"), *details(ctx.tr, ctx.locale, slot, title)]
    lines.append(ctx.t("iv-slot-booked", booked=slot.booked, capacity=slot.capacity))
    rows = []
    if slot.cancelled:
        lines.append(ctx.t("iv-slot-cancelled"))
    else:
        rows.append([Button(ctx.t("iv-slot-btn-cancel"), act("iv.sx", slot.id))])
    rows.append([Button(ctx.t("iv-adm-btn-slots"), act("iv.sl", 0))])
    await ctx.show(Screen.of("\n".join(lines), rows))


async def cancel_slot(ctx: Context) -> None:
    slot_id = _arg(ctx)
    cancelled, dropped = await ctx.services.interviews.cancel_slot(slot_id)
    if not cancelled:
        await ctx.reply.toast(ctx.t("iv-slot-cancelled"), alert=True)
        return
    told = 0
    for interview in dropped:
        application = await ctx.services.applications.get(interview.application_id)
        candidate = await ctx.services.users.get(interview.user_id)
        if application is None or candidate is None or candidate.is_blocked:
            continue
        told += await send_invitation(
            ctx.services,
            ctx.tr,
            ctx.notifier,
            candidate,
            application,
            f"iv-dropped:{interview.id}",
            "iv-slot-dropped",
        )
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", "slot cancelled", f"slot {slot_id}", f"{len(dropped)} bookings"
    )
    await ctx.reply.toast(ctx.t("iv-slot-cancelled-toast", count=told))
    await slots_list(ctx)


def register(r: Registry) -> None:
    r.action("iv.adm", roles=ADMINS)(panel)
    r.command("interviews", roles=ADMINS, description_key="cmd-interviews")(panel)
    r.action("iv.ul", roles=ADMINS)(upcoming_list)
    r.action("iv.o", roles=ADMINS)(open_card)
    r.action("iv.oc", roles=ADMINS)(choose_outcome)
    r.action("iv.nc", roles=ADMINS)(no_comment)
    r.state(COMMENT_STATE)(on_comment)
    r.action("iv.inv", roles=ADMINS)(invite)
    r.action("iv.sl", roles=ADMINS)(slots_list)
    r.action("iv.so", roles=ADMINS)(slot_card)
    r.action("iv.sx", roles=ADMINS)(cancel_slot)
