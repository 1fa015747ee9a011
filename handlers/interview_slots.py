"""The guided dialog in which admins publish interview slots: the vacancy (or all of them),
the format, the address or link, the interviewer, the duration, then a day and several times
at once ("03.12 10:00 11:30 15:00", Moscow time), a preview that names every time refused and
why (in the past, overlapping the same interviewer), and "Publish". The dialog's answers live
in the SQLite dialog state, so a restart never loses them; buttons carry their step and are
answered as out of date when pressed at another one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.interviews import Slot, SlotDraft, SlotFormat
from bot.domain.vacancies import VacancyFilters
from bot.services.interviews import (
    MAX_DURATION,
    MAX_INTERVIEWER,
    MIN_DURATION,
    CheckedSlot,
    TimesProblem,
    parse_times,
    valid_place,
)
from bot.ui import Button, Screen, act
from handlers.common import list_capacity, refuse_non_admin
from handlers.context import Context
from handlers.interviews import format_text, send_owed_times, when
from handlers.registry import ADMINS, Registry

STATE = "iv.pub"
DURATIONS = (30, 45, 60, 90)
MAX_LABEL = 40


def _data(ctx: Context) -> dict[str, Any] | None:
    if ctx.state is None or ctx.state.name != STATE:
        return None
    return dict(ctx.state.data)


def _cancel(ctx: Context) -> Button:
    return Button(ctx.t("iv-pub-btn-cancel"), act("iv.pc"))


async def _stale(ctx: Context) -> None:
    await ctx.registry.stale(ctx)


async def start(ctx: Context) -> None:
    vacancies, _ = await ctx.services.vacancies.listing(
        VacancyFilters(), 0, list_capacity(ctx.reply.limits, reserved_rows=2)
    )
    await ctx.set_state(STATE, step="vacancy")
    rows = [
        [Button(v.title if len(v.title) <= MAX_LABEL else v.title[:39] + "…", act("iv.pv", v.id))]
        for v in vacancies
    ]
    rows.append([Button(ctx.t("iv-all-vacancies"), act("iv.pv", 0))])
    rows.append([_cancel(ctx)])
    await ctx.show(Screen.of(ctx.t("iv-pub-vacancy"), rows))


async def choose_vacancy(ctx: Context) -> None:
    data = _data(ctx)
    action = ctx.event.action
    vacancy_id = action.int_arg(0) if action is not None else None
    if data is None or data.get("step") != "vacancy" or vacancy_id is None:
        return await _stale(ctx)
    if vacancy_id and await ctx.services.vacancies.get_open(vacancy_id) is None:
        return await _stale(ctx)
    await ctx.set_state(STATE, step="format", vacancy=vacancy_id)
    await ctx.show(
        Screen.of(
            ctx.t("iv-pub-format"),
            [[Button(ctx.t(f"iv-pub-format-{f}"), act("iv.pf", f.value))] for f in SlotFormat]
            + [[_cancel(ctx)]],
        )
    )


async def choose_format(ctx: Context) -> None:
    data = _data(ctx)
    action = ctx.event.action
    raw = action.args[0] if action is not None and action.args else ""
    if data is None or data.get("step") != "format" or raw not in {f.value for f in SlotFormat}:
        return await _stale(ctx)
    data["format"] = raw
    if raw == SlotFormat.PHONE:
        data.update(step="interviewer", place="")
        await ctx.set_state(STATE, **data)
        await ctx.show(Screen.of(ctx.t("iv-pub-interviewer"), [[_cancel(ctx)]]))
        return
    data["step"] = "place"
    await ctx.set_state(STATE, **data)
    await ctx.show(Screen.of(ctx.t(f"iv-pub-place-{raw}"), [[_cancel(ctx)]]))


async def on_text(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    data = _data(ctx)
    if data is None:
        return
    text = ctx.event.text.strip()
    step = data.get("step")
    if step == "place":
        fmt = SlotFormat(str(data.get("format", "office")))
        if not valid_place(fmt, text):
            await ctx.reply.send(Screen.of(ctx.t(f"iv-pub-bad-place-{fmt}"), [[_cancel(ctx)]]))
            return
        data.update(step="interviewer", place=text)
        await ctx.set_state(STATE, **data)
        await ctx.reply.send(Screen.of(ctx.t("iv-pub-interviewer"), [[_cancel(ctx)]]))
    elif step == "interviewer":
        name = " ".join(text.split())
        if not name or len(name) > MAX_INTERVIEWER:
            await ctx.reply.send(
                Screen.of(ctx.t("iv-pub-bad-interviewer", limit=MAX_INTERVIEWER), [[_cancel(ctx)]])
            )
            return
        data.update(step="duration", interviewer=name)
        await ctx.set_state(STATE, **data)
        await ctx.reply.send(_duration_screen(ctx))
    elif step == "duration":
        if not text.isdigit() or not MIN_DURATION <= int(text) <= MAX_DURATION:
            await ctx.reply.send(_duration_screen(ctx, bad=True))
            return
        await _set_duration(ctx, data, int(text))
    elif step in ("times", "preview"):
        await _on_times(ctx, data, text)
    else:
        await ctx.reply.send(Screen.of(ctx.t("iv-pub-use-buttons"), [[_cancel(ctx)]]))


def _duration_screen(ctx: Context, bad: bool = False) -> Screen:
    key = "iv-pub-bad-duration" if bad else "iv-pub-duration"
    return Screen.of(
        ctx.t(key, low=MIN_DURATION, high=MAX_DURATION),
        [
            [Button(ctx.t("iv-minutes", minutes=m), act("iv.pd", m)) for m in DURATIONS],
            [_cancel(ctx)],
        ],
    )


async def choose_duration(ctx: Context) -> None:
    data = _data(ctx)
    action = ctx.event.action
    minutes = action.int_arg(0) if action is not None else None
    if data is None or data.get("step") != "duration" or minutes not in DURATIONS:
        return await _stale(ctx)
    await _set_duration(ctx, data, minutes)


async def _set_duration(ctx: Context, data: dict[str, Any], minutes: int) -> None:
    data.update(step="times", duration=minutes)
    await ctx.set_state(STATE, **data)
    await ctx.show(Screen.of(ctx.t("iv-pub-times"), [[_cancel(ctx)]]))


def _drafts(data: dict[str, Any], times: list[datetime]) -> list[SlotDraft]:
    vacancy_id = int(data.get("vacancy") or 0)
    return [
        SlotDraft(
            vacancy_id=vacancy_id or None,
            starts_at=moment,
            duration=int(data["duration"]),
            format=SlotFormat(str(data["format"])),
            place=str(data.get("place", "")),
            interviewer=str(data["interviewer"]),
        )
        for moment in times
    ]


async def _on_times(ctx: Context, data: dict[str, Any], text: str) -> None:
    times = parse_times(text, ctx.services.interviews.now())
    if isinstance(times, TimesProblem):
        await ctx.reply.send(Screen.of(ctx.t(f"iv-pub-times-{times}"), [[_cancel(ctx)]]))
        return
    checked = await ctx.services.interviews.check_slots(_drafts(data, times))
    good = [c for c in checked if c.problem is None]
    data.update(step="preview", times=[c.draft.starts_at.isoformat() for c in good])
    await ctx.set_state(STATE, **data)
    await ctx.reply.send(await _preview(ctx, data, checked))


async def _preview(ctx: Context, data: dict[str, Any], checked: list[CheckedSlot]) -> Screen:
    vacancy_id = int(data.get("vacancy") or 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    title = vacancy.title if vacancy else ctx.t("iv-all-vacancies")
    sample = checked[0].draft
    lines = [
        ctx.t("iv-pub-preview"),
        ctx.t("iv-line-vacancy", title=title),
        ctx.t("iv-line-duration", minutes=sample.duration),
        format_text(ctx.tr, ctx.locale, _as_slot(sample)),
        ctx.t("iv-line-interviewer", name=sample.interviewer),
        "",
    ]
    good = 0
    for item in checked:
        moment = when(ctx.tr, ctx.locale, _as_slot(item.draft))
        if item.problem is None:
            good += 1
            lines.append(ctx.t("iv-pub-ok", time=moment))
        else:
            clash = when(ctx.tr, ctx.locale, item.clash) if item.clash else ""
            lines.append(ctx.t(f"iv-pub-refused-{item.problem}", time=moment, clash=clash))
    lines += ["", ctx.t("iv-pub-again")]
    rows = []
    if good:
        rows.append([Button(ctx.t("iv-pub-btn-publish", count=good), act("iv.pp"))])
    rows.append([_cancel(ctx)])
    return Screen.of("\n".join(lines), rows)


def _as_slot(draft: SlotDraft) -> Slot:
    return Slot(
        vacancy_id=draft.vacancy_id,
        starts_at=draft.starts_at,
        duration=draft.duration,
        format=draft.format,
        place=draft.place,
        interviewer=draft.interviewer,
    )


async def publish(ctx: Context) -> None:
    data = _data(ctx)
    if data is None or data.get("step") != "preview" or not data.get("times"):
        return await _stale(ctx)
    times = [datetime.fromisoformat(str(t)) for t in data["times"]]
    ids = await ctx.services.interviews.publish(_drafts(data, times), ctx.user.id)
    await ctx.clear_state()
    await ctx.services.privacy.audit(
        ctx.user.id,
        "admin",
        "slots published",
        f"vacancy {data.get('vacancy') or 'all'}",
        str(len(ids)),
    )
    text = str(ctx.t("iv-pub-done", count=len(ids), refused=len(times) - len(ids)))
    owed = await ctx.services.interviews.owed_times() if ids else []
    if owed:
        text += "\n" + ctx.t("iv-pub-waiting", count=len(owed))
        ctx.notifier.later(
            send_owed_times(ctx.services, ctx.tr, ctx.notifier, owed), "new interview times"
        )
    await ctx.show(
        Screen.of(
            text,
            [
                [Button(ctx.t("iv-adm-btn-slots"), act("iv.sl", 0))],
                [Button(ctx.t("iv-adm-btn-back-panel"), act("iv.adm"))],
            ],
        )
    )


async def cancel(ctx: Context) -> None:
    if ctx.state is not None and ctx.state.name == STATE:
        await ctx.clear_state()
    await ctx.show(
        Screen.of(
            ctx.t("iv-pub-cancelled"), [[Button(ctx.t("iv-adm-btn-back-panel"), act("iv.adm"))]]
        )
    )


def register(r: Registry) -> None:
    r.action("iv.new", roles=ADMINS)(start)
    r.action("iv.pv", roles=ADMINS)(choose_vacancy)
    r.action("iv.pf", roles=ADMINS)(choose_format)
    r.action("iv.pd", roles=ADMINS)(choose_duration)
    r.action("iv.pp", roles=ADMINS)(publish)
    r.action("iv.pc", roles=ADMINS)(cancel)
    r.state(STATE)(on_text)
