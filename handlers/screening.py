"""Screening questions before the test task: one message edited in place, a question at a
time, with a way back. The answers so far travel in the button data (`scr:<vacancy>:<digits>`,
one option index a question), so nothing is half-stored; the data is untrusted and checked
against the vacancy's questions on every press. A knock-out is told kindly with HR's reason,
other vacancies and a subscription are offered, and the same vacancy stays closed to the
candidate for 30 days."""

from __future__ import annotations

import re
import zlib

from bot.domain.vacancies import Vacancy
from bot.services.screening import RETRY_DAYS, step
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, fmt_time
from handlers.context import Context
from handlers.registry import Registry

_ANSWERS_RE = re.compile(r"^[0-9]{0,5}$")


def version(vacancy: Vacancy) -> str:
    """A short fingerprint of the vacancy's questions, carried by every answer button: a press
    on a button drawn before HR changed the questions must not answer a different question."""
    text = "\x1f".join(
        f"{q.text}\x1e" + "\x1e".join(f"{o.label}:{int(o.passes)}" for o in q.options)
        for q in vacancy.screening or ()
    )
    return format(zlib.crc32(text.encode()), "x")


def question_screen(ctx: Context, vacancy: Vacancy, answers: str) -> Screen:
    questions = vacancy.screening or ()
    index = len(answers)
    question = questions[index]
    lines = [
        ctx.t("screening-title", title=vacancy.title),
        "",
        ctx.t("screening-progress", number=index + 1, total=len(questions)),
        f"<b>{ctx.t('screening-question', text=question.text)}</b>",
    ]
    if index == 0:
        lines = [*lines[:1], ctx.t("screening-intro"), *lines[1:]]
    options = [
        Button(option.label, act("scr", vacancy.id, answers + str(number), version(vacancy)))
        for number, option in enumerate(question.options)
    ]
    per_row = 2 if len(options) > 3 or ctx.reply.limits.max_rows < 8 else 1
    rows = [options[i : i + per_row] for i in range(0, len(options), per_row)]
    back = (
        act("scr", vacancy.id, answers[:-1], version(vacancy))
        if answers
        else act("vac.o", vacancy.id, 0)
    )
    rows.append([Button(ctx.t("screening-btn-back"), back)])
    return Screen.of("\n".join(lines), rows)


def blocked_screen(ctx: Context, vacancy: Vacancy, until_text: str) -> Screen:
    return Screen.of(
        ctx.t("screening-retry-later", title=vacancy.title, days=RETRY_DAYS, date=until_text),
        [
            [Button(ctx.t("screening-btn-other"), act("vac.list", 0))],
            [Button(ctx.t("screening-btn-subscribe"), act("vac.sub", vacancy.id))],
            [back_to_menu(ctx)],
        ],
    )


async def start(ctx: Context, vacancy: Vacancy) -> bool:
    """Before the task: True when the screening took over (questions asked, or the candidate
    may not retry yet); False when the task can be issued (no questions, or passed before)."""
    if not vacancy.screening:
        return False
    until = await ctx.services.screening.retry_after(ctx.user.id, vacancy.id)
    if until is not None:
        await ctx.show(blocked_screen(ctx, vacancy, fmt_time(ctx, until)))
        return True
    if await ctx.services.screening.passed(ctx.user.id, vacancy.id) is not None:
        return False
    await ctx.show(question_screen(ctx, vacancy, ""))
    return True


async def on_answer(ctx: Context) -> None:
    from handlers.applications import issue_and_send

    action = ctx.event.action
    vacancy_id = action.int_arg(0) if action is not None else None
    answers = action.args[1] if action is not None and len(action.args) > 1 else None
    vacancy = await ctx.services.vacancies.get_open(vacancy_id or 0)
    if vacancy is None or answers is None or not _ANSWERS_RE.match(answers):
        await ctx.registry.stale(ctx)
        return
    if await ctx.services.applications.find(ctx.user.id, vacancy.id) is not None:
        await issue_and_send(ctx, vacancy)  # answered before: the task as it was issued
        return
    until = await ctx.services.screening.retry_after(ctx.user.id, vacancy.id)
    if until is not None:
        await ctx.show(blocked_screen(ctx, vacancy, fmt_time(ctx, until)))
        return
    questions = vacancy.screening or ()
    if not questions:  # none (any more): the button is out of date
        await ctx.registry.stale(ctx)
        return
    drawn_for = action.args[2] if action is not None and len(action.args) > 2 else None
    if drawn_for is not None and drawn_for != version(vacancy):
        # HR changed the questions since this button was drawn: start them again
        await ctx.reply.toast(ctx.t("screening-changed"), alert=True)
        await ctx.show(question_screen(ctx, vacancy, ""))
        return
    where = step(questions, tuple(int(c) for c in answers))
    if where is None or not questions:
        await ctx.registry.stale(ctx)
        return
    if where.knocked_out is None and where.next_question is not None:
        await ctx.show(question_screen(ctx, vacancy, answers))
        return
    screening = await ctx.services.screening.finish(
        ctx.user.id, vacancy, tuple(int(c) for c in answers)
    )
    if screening is None:
        await ctx.registry.stale(ctx)
        return
    if screening.passed:
        await ctx.reply.toast(ctx.t("screening-passed"))
        await issue_and_send(ctx, vacancy)
        return
    until = await ctx.services.screening.retry_after(ctx.user.id, vacancy.id)
    text = "\n\n".join(
        [
            ctx.t("screening-knocked-out", title=vacancy.title),
            ctx.t("screening-reason", reason=screening.reason),
            ctx.t(
                "screening-knocked-out-retry",
                days=RETRY_DAYS,
                date=fmt_time(ctx, until) if until else "—",
            ),
            ctx.t("screening-knocked-out-offer"),
        ]
    )
    await ctx.show(
        Screen.of(
            text,
            [
                [Button(ctx.t("screening-btn-other"), act("vac.list", 0))],
                [Button(ctx.t("screening-btn-subscribe"), act("vac.sub", vacancy.id))],
                [back_to_menu(ctx)],
            ],
        )
    )


def register(r: Registry) -> None:
    r.action("scr")(on_answer)
