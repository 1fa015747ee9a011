"""Candidates' interviews: the invitation with free times as buttons (a page at a time),
booking with a tap (atomic: the last place goes to one candidate, the others are told at once
and shown what is left), the confirmation with a calendar file, "I'll be there", rescheduling,
cancelling (until 2 hours before), asking HR for another time, and the free times sent later
to whoever saw none or asked for another (`send_owed_times`).

The screens are built from a translator and a locale, not a context, so the jobs (reminders)
and HR's handlers (invitations, outcomes) send the same screens to the candidate's chat."""

from __future__ import annotations

import html
from datetime import timedelta

from bot.domain import User
from bot.domain.interviews import Interview, Slot, SlotFormat
from bot.domain.vacancies import Application
from bot.i18n import Markup, Translator
from bot.notify import Notifier
from bot.services import Services
from bot.services.interviews import MOSCOW, BookProblem, calendar_file
from bot.ui import Button, Limits, Screen, act
from handlers.common import back_to_menu, list_capacity, page_slice
from handlers.context import Context
from handlers.registry import Registry

NOTE_STATE = "iv.note"
MAX_NOTE = 1000
MAX_PER_PAGE = 6


def _arg(ctx: Context, index: int = 0) -> int:
    action = ctx.event.action
    value = action.int_arg(index) if action is not None else None
    return value or 0


def when(tr: Translator, locale: str, slot: Slot) -> str:
    """`чт 03.12.2026 10:00 МСК`: the weekday helps people pick a time."""
    moment = slot.starts_at.astimezone(MOSCOW)
    weekday = tr(locale, f"iv-weekday-{moment.weekday()}")
    return f"{weekday} {moment:%d.%m.%Y %H:%M} {tr(locale, 'time-zone')}"


def slot_label(tr: Translator, locale: str, slot: Slot) -> str:
    moment = slot.starts_at.astimezone(MOSCOW)
    weekday = tr(locale, f"iv-weekday-{moment.weekday()}")
    return f"{weekday} {moment:%d.%m %H:%M} · {tr(locale, f'iv-format-short-{slot.format}')}"


def format_text(tr: Translator, locale: str, slot: Slot) -> Markup:
    if slot.format is SlotFormat.OFFICE:
        return tr(locale, "iv-format-office", place=slot.place)
    if slot.format is SlotFormat.VIDEO:
        return tr(locale, "iv-format-video", place=slot.place)
    return tr(locale, "iv-format-phone")


def details(tr: Translator, locale: str, slot: Slot, title: str) -> list[str]:
    return [
        tr(locale, "iv-line-vacancy", title=title),
        tr(locale, "iv-line-when", time=when(tr, locale, slot)),
        tr(locale, "iv-line-duration", minutes=slot.duration),
        format_text(tr, locale, slot),
        tr(locale, "iv-line-interviewer", name=slot.interviewer),
    ]


async def _title(services: Services, vacancy_id: int) -> str:
    vacancy = await services.vacancies.get(vacancy_id)
    return vacancy.title if vacancy else "—"


# --- the invitation ---------------------------------------------------------------------------


async def slots_screen(
    services: Services,
    tr: Translator,
    locale: str,
    limits: Limits,
    application: Application,
    page: int,
    *,
    head: str,
    moving: Interview | None = None,
) -> Screen:
    """Free times for the application's vacancy as buttons, a page at a time; with `moving`,
    choosing one moves that booking."""
    per_page = min(MAX_PER_PAGE, list_capacity(limits, reserved_rows=2))
    slots, total = await services.interviews.free_slots(application.vacancy_id, page, per_page)
    page, _, pages = page_slice(total, page, per_page)
    if not slots and total and page > 0:
        slots, total = await services.interviews.free_slots(application.vacancy_id, page, per_page)
    if moving is not None:
        slots = [slot for slot in slots if slot.id != moving.slot.id]
    lines = [head, ""]
    rows: list[list[Button]] = []
    if not slots:
        lines.append(tr(locale, "iv-no-slots"))
        if moving is None and not total:  # new times will be sent when there are some
            await services.interviews.owe_times(application.id)
    else:
        lines.append(tr(locale, "iv-choose"))
        for slot in slots:
            action = (
                act("iv.mv", moving.id, slot.id)
                if moving is not None
                else act("iv.b", application.id, slot.id)
            )
            rows.append([Button(slot_label(tr, locale, slot), action)])
    if pages > 1:
        lines.append(tr(locale, "iv-page", page=page + 1, pages=pages))
        nav = []
        target = moving.id if moving is not None else application.id
        name = "iv.rp" if moving is not None else "iv.p"
        if page > 0:
            nav.append(Button(tr(locale, "iv-btn-prev"), act(name, target, page - 1)))
        if page < pages - 1:
            nav.append(Button(tr(locale, "iv-btn-next"), act(name, target, page + 1)))
        rows.append(nav)
    rows.append([Button(tr(locale, "iv-btn-other-time"), act("iv.ask", application.id))])
    return Screen.of("\n".join(lines), rows)


async def invitation_screen(
    services: Services, tr: Translator, locale: str, limits: Limits, application: Application
) -> Screen:
    title = await _title(services, application.vacancy_id)
    head = tr(locale, "iv-invitation", title=title, number=application.id)
    return await slots_screen(services, tr, locale, limits, application, 0, head=head)


async def send_invitation(
    services: Services,
    tr: Translator,
    notifier: Notifier,
    candidate: User,
    application: Application,
    key: str,
    head_key: str = "iv-invitation",
) -> bool:
    messenger = notifier.messenger(candidate.platform)
    if messenger is None:
        return False
    title = await _title(services, application.vacancy_id)
    head = tr(candidate.locale, head_key, title=title, number=application.id)
    screen = await slots_screen(
        services, tr, candidate.locale, messenger.limits, application, 0, head=head
    )
    return await notifier.send(candidate, screen, key)


async def send_owed_times(
    services: Services, tr: Translator, notifier: Notifier, owed: list[int] | None = None
) -> int:
    """Candidates invited while no time was free (or who asked for another one) get the free
    times once there are some: right after HR publishes slots, and at every tick of the
    background jobs (a place freed by a cancellation, a restart). Each is claimed in the
    database before it is sent, so it goes out once. `owed`: the applications, when the
    caller has just read them (`InterviewService.owed_times`)."""
    sent = 0
    interviews = services.interviews
    stamp = f"{interviews.now():%Y%m%d%H%M}"
    for application_id in await interviews.owed_times() if owed is None else owed:
        application = await services.applications.get(application_id)
        user = await services.users.get(application.user_id) if application else None
        if user is not None and notifier.messenger(user.platform) is None:
            continue  # its messenger does not run yet (just started): the next tick
        if not await interviews.claim_times(application_id):
            continue  # sent by the other caller meanwhile
        if application is None or user is None or user.is_blocked:
            continue
        if await interviews.can_book(application) is not None:
            continue  # booked, decided or closed meanwhile
        key = f"iv-times:{application_id}:{stamp}"
        if await send_invitation(services, tr, notifier, user, application, key, "iv-new-times"):
            sent += 1
    return sent


async def _slots(
    ctx: Context, application: Application, page: int, head: str, moving: Interview | None = None
) -> Screen:
    """The free times for the person behind the current update, in their language and within
    their messenger's keyboard limits."""
    return await slots_screen(
        ctx.services,
        ctx.tr,
        ctx.locale,
        ctx.reply.limits,
        application,
        page,
        head=head,
        moving=moving,
    )


async def show_page(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx, 0), ctx.user.id)
    if application is None or not await ctx.services.interviews.invited(application.id):
        await ctx.registry.stale(ctx)
        return
    active = await ctx.services.interviews.active(application.id)
    if active is not None:
        await ctx.show(await booking_screen(ctx.services, ctx.tr, ctx.locale, active))
        return
    title = await _title(ctx.services, application.vacancy_id)
    head = ctx.t("iv-invitation", title=title, number=application.id)
    await ctx.show(await _slots(ctx, application, min(_arg(ctx, 1), 1000), head))


# --- booking ----------------------------------------------------------------------------------


async def booking_screen(
    services: Services, tr: Translator, locale: str, interview: Interview, head_key: str = ""
) -> Screen:
    title = await _title(services, interview.vacancy_id)
    lines: list[str] = [tr(locale, head_key)] if head_key else []
    lines.append(tr(locale, "iv-booked-title" if interview.active else "iv-past-title"))
    lines += details(tr, locale, interview.slot, title)
    if interview.confirmed:
        lines.append(tr(locale, "iv-confirmed"))
    rows: list[list[Button]] = []
    if interview.active:
        starts = interview.slot.starts_at
        now = services.interviews.now()
        if not interview.confirmed:
            rows.append([Button(tr(locale, "iv-btn-ok"), act("iv.ok", interview.id))])
        row = [Button(tr(locale, "iv-btn-reschedule"), act("iv.rp", interview.id, 0))]
        if starts - now > timedelta(hours=2):
            row.append(Button(tr(locale, "iv-btn-cancel"), act("iv.cx", interview.id)))
        else:
            lines.append(tr(locale, "iv-cancel-closed"))
        rows.append(row)
    rows.append(
        [Button(tr(locale, "menu-applications"), act("app.open", interview.application_id))]
    )
    return Screen.of("\n".join(lines), rows)


def _ics(tr: Translator, locale: str, interview: Interview, title: str) -> bytes:
    slot = interview.slot
    location = slot.place if slot.format is not SlotFormat.PHONE else tr(locale, "iv-ics-phone")
    description = "\n".join(
        html.unescape(line)
        for line in (
            tr(locale, "iv-line-interviewer", name=slot.interviewer),
            tr(locale, "iv-line-duration", minutes=slot.duration),
        )
    )
    return calendar_file(
        interview,
        html.unescape(tr(locale, "iv-ics-summary", title=title)),
        description,
        location,
        "hr-bot",
    )


async def send_confirmation(
    services: Services,
    tr: Translator,
    notifier: Notifier,
    candidate: User,
    interview: Interview,
    head_key: str,
) -> None:
    """The booking's calendar file to the candidate's chat (the confirmation screen itself is
    the edited message)."""
    title = await _title(services, interview.vacancy_id)
    data = _ics(tr, candidate.locale, interview, title)
    await notifier.send_bytes(
        candidate,
        "interview.ics",
        data,
        tr(candidate.locale, "iv-ics-caption"),
        f"ics:{interview.id}",
    )
    await tell_hr(services, tr, notifier, candidate, interview, head_key)


async def tell_hr(
    services: Services,
    tr: Translator,
    notifier: Notifier,
    candidate: User,
    interview: Interview,
    head_key: str,
) -> None:
    from handlers.review import candidate_link

    title = await _title(services, interview.vacancy_id)

    def build(locale: str) -> Screen:
        lines = [
            tr(locale, head_key, number=interview.application_id),
            tr(locale, "hr-candidate", candidate=Markup(candidate_link(candidate))),
            *details(tr, locale, interview.slot, title),
        ]
        return Screen.of(
            "\n".join(lines), [[Button(tr(locale, "iv-btn-open"), act("iv.o", interview.id))]]
        )

    await notifier.to_hr(build, f"{head_key}:{interview.id}")


async def _problem(ctx: Context, problem: BookProblem, application: Application) -> None:
    if problem is BookProblem.TAKEN:
        await ctx.reply.toast(ctx.t("iv-taken"), alert=True)
        title = await _title(ctx.services, application.vacancy_id)
        head = ctx.t("iv-taken-head", title=title)
        await ctx.reply.edit(await _slots(ctx, application, 0, head))
        return
    if problem is BookProblem.ALREADY:
        active = await ctx.services.interviews.active(application.id)
        await ctx.reply.toast(ctx.t("iv-already"), alert=True)
        if active is not None:
            await ctx.reply.edit(await booking_screen(ctx.services, ctx.tr, ctx.locale, active))
        return
    await ctx.reply.toast(ctx.t(f"iv-problem-{problem}"), alert=True)


async def book(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx, 0), ctx.user.id)
    if application is None:
        await ctx.registry.stale(ctx)
        return
    result = await ctx.services.interviews.book(application, _arg(ctx, 1))
    if isinstance(result, BookProblem):
        await _problem(ctx, result, application)
        return
    await ctx.reply.toast(ctx.t("iv-booked-toast"))
    await ctx.reply.edit(await booking_screen(ctx.services, ctx.tr, ctx.locale, result))
    await send_confirmation(ctx.services, ctx.tr, ctx.notifier, ctx.user, result, "hr-iv-booked")


async def _own_interview(ctx: Context) -> Interview | None:
    interview = await ctx.services.interviews.get_own(_arg(ctx, 0), ctx.user.id)
    if interview is None:
        await ctx.registry.stale(ctx)
    return interview


async def show(ctx: Context) -> None:
    interview = await _own_interview(ctx)
    if interview is not None:
        await ctx.show(await booking_screen(ctx.services, ctx.tr, ctx.locale, interview))


async def confirm(ctx: Context) -> None:
    interview = await _own_interview(ctx)
    if interview is None:
        return
    if not interview.active:
        await ctx.reply.toast(ctx.t("iv-not-active"), alert=True)
    else:
        await ctx.services.interviews.confirm(interview)
        await ctx.reply.toast(ctx.t("iv-confirmed-toast"))
        interview = await ctx.services.interviews.get(interview.id) or interview
    await ctx.reply.edit(await booking_screen(ctx.services, ctx.tr, ctx.locale, interview))


async def reschedule_page(ctx: Context) -> None:
    interview = await _own_interview(ctx)
    if interview is None:
        return
    application = await ctx.services.applications.get_own(interview.application_id, ctx.user.id)
    if application is None or not interview.active:
        await ctx.reply.toast(ctx.t("iv-not-active"), alert=True)
        return
    head = ctx.t("iv-reschedule-head", time=when(ctx.tr, ctx.locale, interview.slot))
    await ctx.reply.edit(
        await _slots(ctx, application, min(_arg(ctx, 1), 1000), head, moving=interview)
    )


async def move(ctx: Context) -> None:
    interview = await _own_interview(ctx)
    if interview is None:
        return
    application = await ctx.services.applications.get_own(interview.application_id, ctx.user.id)
    if application is None or not interview.active:
        await ctx.reply.toast(ctx.t("iv-not-active"), alert=True)
        return
    result = await ctx.services.interviews.book(application, _arg(ctx, 1), replace=interview)
    if isinstance(result, BookProblem):
        await _problem(ctx, result, application)
        return
    await ctx.reply.toast(ctx.t("iv-moved-toast"))
    await ctx.reply.edit(await booking_screen(ctx.services, ctx.tr, ctx.locale, result))
    await send_confirmation(ctx.services, ctx.tr, ctx.notifier, ctx.user, result, "hr-iv-moved")


async def ask_cancel(ctx: Context) -> None:
    interview = await _own_interview(ctx)
    if interview is None:
        return
    if not ctx.services.interviews.may_cancel(interview):
        await ctx.reply.toast(ctx.t("iv-cancel-closed"), alert=True)
        return
    await ctx.reply.edit(
        Screen.of(
            ctx.t("iv-cancel-question", time=when(ctx.tr, ctx.locale, interview.slot)),
            [
                [
                    Button(ctx.t("iv-btn-cancel-yes"), act("iv.cy", interview.id)),
                    Button(ctx.t("iv-btn-cancel-no"), act("iv.sh", interview.id)),
                ]
            ],
        )
    )


async def cancel(ctx: Context) -> None:
    interview = await _own_interview(ctx)
    if interview is None:
        return
    problem = await ctx.services.interviews.cancel(interview)
    if problem is not None:
        key = "iv-cancel-closed" if problem is BookProblem.TOO_LATE else "iv-not-active"
        await ctx.reply.toast(ctx.t(key), alert=True)
        return
    await ctx.reply.edit(
        Screen.of(
            ctx.t("iv-cancelled"),
            [
                [Button(ctx.t("iv-btn-choose-again"), act("iv.p", interview.application_id, 0))],
                [back_to_menu(ctx)],
            ],
        )
    )
    await tell_hr(ctx.services, ctx.tr, ctx.notifier, ctx.user, interview, "hr-iv-cancelled")


# --- another time -----------------------------------------------------------------------------


async def ask_other_time(ctx: Context) -> None:
    application = await ctx.services.applications.get_own(_arg(ctx, 0), ctx.user.id)
    if application is None or not await ctx.services.interviews.invited(application.id):
        await ctx.registry.stale(ctx)
        return
    await ctx.set_state(NOTE_STATE, application=application.id)
    await ctx.reply.edit(
        Screen.of(
            ctx.t("iv-note-prompt"),
            [[Button(ctx.t("iv-btn-note-cancel"), act("iv.p", application.id, 0))]],
        )
    )


async def on_note(ctx: Context) -> None:
    from handlers.review import candidate_link

    assert ctx.state is not None
    application = await ctx.services.applications.get_own(
        int(ctx.state.data.get("application", 0)), ctx.user.id
    )
    note = ctx.event.text.strip()
    if application is None:
        await ctx.clear_state()
        await ctx.registry.stale(ctx)
        return
    if not note or len(note) > MAX_NOTE:
        await ctx.reply.send(
            Screen.of(
                ctx.t("iv-note-empty" if not note else "iv-note-long", limit=MAX_NOTE),
                [[Button(ctx.t("iv-btn-note-cancel"), act("iv.p", application.id, 0))]],
            )
        )
        return
    await ctx.clear_state()
    title = await _title(ctx.services, application.vacancy_id)
    candidate = ctx.user

    def build(locale: str) -> Screen:
        return Screen.of(
            "\n".join(
                [
                    ctx.tr(locale, "hr-iv-note", number=application.id),
                    ctx.tr(locale, "hr-candidate", candidate=Markup(candidate_link(candidate))),
                    ctx.tr(locale, "hr-vacancy", title=title),
                    ctx.tr(locale, "hr-iv-note-text", text=note),
                ]
            ),
            [
                [Button(ctx.tr(locale, "iv-adm-btn-publish"), act("iv.new"))],
                [Button(ctx.tr(locale, "hr-iv-btn-send-again"), act("iv.inv", application.id))],
            ],
        )

    await ctx.services.interviews.owe_times(application.id, newer_only=True)
    await ctx.notifier.to_hr(build, f"iv-note:{application.id}:{hash(note) & 0xFFFFFF}")
    await ctx.reply.send(Screen.of(ctx.t("iv-note-sent"), [[back_to_menu(ctx)]]))


# --- "My applications" ------------------------------------------------------------------------


async def application_lines(
    ctx: Context, application: Application
) -> tuple[list[str], list[Button]]:
    """The interview stage of an application for its screen: lines and a button."""
    lines: list[str] = []
    buttons: list[Button] = []
    history = await ctx.services.interviews.history(application.id)
    active = next((i for i in history if i.active), None)
    if active is not None:
        lines.append(ctx.t("iv-stage-booked", time=when(ctx.tr, ctx.locale, active.slot)))
        buttons.append(Button(ctx.t("iv-btn-my-interview"), act("iv.sh", active.id)))
    elif history and history[-1].outcome:
        lines.append(ctx.t(f"iv-stage-{history[-1].outcome}"))
    if (
        active is None
        and await ctx.services.interviews.invited(application.id)
        and await ctx.services.interviews.can_book(application) is None
    ):
        lines.append(ctx.t("iv-stage-invited"))
        buttons.append(Button(ctx.t("iv-btn-choose"), act("iv.p", application.id, 0)))
    return lines, buttons


def register(r: Registry) -> None:
    r.action("iv.p")(show_page)
    r.action("iv.b")(book)
    r.action("iv.sh")(show)
    r.action("iv.ok")(confirm)
    r.action("iv.rp")(reschedule_page)
    r.action("iv.mv")(move)
    r.action("iv.cx")(ask_cancel)
    r.action("iv.cy")(cancel)
    r.action("iv.ask")(ask_other_time)
    r.state(NOTE_STATE)(on_note)
