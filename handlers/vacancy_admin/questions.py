"""A vacancy's screening questions in the admin's editor: the list, a guided dialog that adds
one (the question, then its answers typed one a line with `| reason` for those that knock out,
or "yes / no" with a button and then HR's polite reason), a preview, and deleting one. The same
rules as the import file (`bot.services.screening.question_issues`), at most five questions.

The dialog's answers live in the SQLite dialog state (`va.sq`); its buttons carry the vacancy
and are checked against the state, so a button from an older prompt is answered as out of date.
Delete buttons carry a fingerprint of the question they point at, so a list that changed in the
meantime never deletes the wrong one."""

from __future__ import annotations

import zlib
from typing import Any

from bot.domain.interviews import ScreeningOption, ScreeningQuestion
from bot.domain.vacancies import Vacancy
from bot.services.import_file import clean_text
from bot.services.screening import (
    MAX_LABEL,
    MAX_OPTIONS,
    MAX_QUESTION,
    MAX_QUESTIONS,
    MAX_REASON,
    MIN_OPTIONS,
    parse_options,
    question_issues,
)
from bot.ui import Button, Screen, act
from handlers.common import chunk, refuse_non_admin
from handlers.context import Context
from handlers.registry import ADMINS, Registry
from handlers.vacancy_admin.common import int_arg, str_arg
from handlers.vacancy_admin.draft import QUESTION_STATE, leave_dialogs

_TEXT_CODES = frozenset({"empty-text", "long-text"})


def fingerprint(question: ScreeningQuestion) -> str:
    return format(zlib.crc32(question.text.encode()), "08x")


def _questions(vacancy: Vacancy) -> tuple[ScreeningQuestion, ...]:
    return vacancy.screening or ()


def question_lines(ctx: Context, number: int, question: ScreeningQuestion) -> list[str]:
    lines = [str(ctx.t("va-sq-item", number=number, text=question.text))]
    for option in question.options:
        if option.passes:
            lines.append(ctx.t("va-sq-pass", label=option.label))
        else:
            lines.append(ctx.t("va-sq-knock", label=option.label, reason=option.reason))
    return lines


def list_screen(ctx: Context, vacancy: Vacancy, notice: str = "") -> Screen:
    questions = _questions(vacancy)
    lines = [notice, ""] if notice else []
    lines += [
        ctx.t("va-sq-title", title=vacancy.title),
        ctx.t("va-sq-count", count=len(questions), max=MAX_QUESTIONS),
        "",
    ]
    if not questions:
        lines.append(ctx.t("va-sq-empty"))
    for number, question in enumerate(questions, start=1):
        lines += [*question_lines(ctx, number, question), ""]
    deletes = [
        Button(
            ctx.t("va-sq-btn-delete", number=number),
            act("va.sqd", vacancy.id, number - 1, fingerprint(question)),
        )
        for number, question in enumerate(questions, start=1)
    ]
    rows = chunk(deletes, min(MAX_QUESTIONS, ctx.reply.limits.max_per_row))
    if len(questions) < MAX_QUESTIONS:
        rows.append([Button(ctx.t("va-sq-btn-add"), act("va.sqa", vacancy.id))])
    rows.append([Button(ctx.t("va-sq-btn-back"), act("va.o", vacancy.id))])
    return Screen.of("\n".join(lines).strip(), rows)


def _cancel(ctx: Context, vacancy_id: int) -> Button:
    return Button(ctx.t("va-sq-btn-cancel"), act("va.sq", vacancy_id))


async def _vacancy(ctx: Context) -> Vacancy | None:
    vacancy_id = int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
    return vacancy


async def show_questions(ctx: Context) -> None:
    vacancy = await _vacancy(ctx)
    if vacancy is None:
        return
    await leave_dialogs(ctx)
    await ctx.show(list_screen(ctx, vacancy))


# --- deleting -------------------------------------------------------------------------------


async def _pointed(ctx: Context) -> tuple[Vacancy, int, ScreeningQuestion] | None:
    """The vacancy and the question a delete button points at, when it still does."""
    vacancy = await _vacancy(ctx)
    if vacancy is None:
        return None
    index = int_arg(ctx, 1)
    questions = _questions(vacancy)
    if index is None or index >= len(questions) or fingerprint(questions[index]) != str_arg(ctx, 2):
        await ctx.reply.toast(ctx.t("stale-button"))
        await ctx.show(list_screen(ctx, vacancy))
        return None
    return vacancy, index, questions[index]


async def ask_delete(ctx: Context) -> None:
    pointed = await _pointed(ctx)
    if pointed is None:
        return
    vacancy, index, question = pointed
    await ctx.show(
        Screen.of(
            ctx.t("va-sq-ask-delete", number=index + 1, text=question.text),
            [
                [
                    Button(
                        ctx.t("va-sq-btn-delete-yes"),
                        act("va.sqx", vacancy.id, index, fingerprint(question)),
                    ),
                    _cancel(ctx, vacancy.id),
                ]
            ],
        )
    )


async def delete(ctx: Context) -> None:
    pointed = await _pointed(ctx)
    if pointed is None:
        return
    vacancy, index, question = pointed
    rest = tuple(q for i, q in enumerate(_questions(vacancy)) if i != index)
    updated = await ctx.services.vacancies.set_screening(vacancy.id, rest)
    if updated is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", "screening question deleted", f"vacancy {vacancy.id}", question.text
    )
    await ctx.reply.toast(ctx.t("va-sq-deleted"))
    await ctx.show(list_screen(ctx, updated, notice=ctx.t("va-sq-deleted")))


# --- adding: the dialog ---------------------------------------------------------------------


def _data(ctx: Context) -> dict[str, Any] | None:
    if ctx.state is None or ctx.state.name != QUESTION_STATE:
        return None
    return dict(ctx.state.data)


def _draft(data: dict[str, Any]) -> ScreeningQuestion:
    options = tuple(
        ScreeningOption(str(label), bool(passes), str(reason))
        for label, passes, reason in data.get("options", [])
    )
    return ScreeningQuestion(str(data.get("text", "")), options)


def _problems(ctx: Context, issues: list[tuple[str, dict[str, str | int]]]) -> str:
    lines = [str(ctx.t("va-sq-problems"))]
    lines += [str(ctx.t(f"va-sq-err-{code}", **args)) for code, args in issues]
    return "\n".join(lines)


def _prompt(ctx: Context, data: dict[str, Any], problem: str = "") -> Screen:
    vacancy_id = int(data["vacancy"])
    head = [problem, ""] if problem else []
    step = data.get("step")
    cancel = [_cancel(ctx, vacancy_id)]
    if step == "text":
        return Screen.of("\n".join([*head, ctx.t("va-sq-ask-text", max=MAX_QUESTION)]), [cancel])
    if step == "options":
        yes, no = ctx.t("va-sq-yes"), ctx.t("va-sq-no")
        text = ctx.t(
            "va-sq-ask-options",
            text=data["text"],
            min=MIN_OPTIONS,
            max=MAX_OPTIONS,
            label=MAX_LABEL,
        )
        shortcuts = [
            [Button(ctx.t(f"va-sq-btn-{key}", yes=yes, no=no), act("va.sqy", vacancy_id, flag))]
            for key, flag in (("yes-passes", 1), ("no-passes", 0))
        ]
        return Screen.of("\n".join([*head, text]), [*shortcuts, cancel])
    question = _draft(data)
    if step == "reason":
        knocking = next(option for option in question.options if not option.passes)
        text = ctx.t("va-sq-ask-reason", text=question.text, label=knocking.label, max=MAX_REASON)
        return Screen.of("\n".join([*head, text]), [cancel])
    lines = [*head, ctx.t("va-sq-preview", text=question.text)]
    lines += question_lines(ctx, 1, question)[1:]
    lines += ["", ctx.t("va-sq-preview-hint")]
    return Screen.of(
        "\n".join(lines),
        [[Button(ctx.t("va-sq-btn-save"), act("va.sqs", vacancy_id)), *cancel]],
    )


async def start_add(ctx: Context) -> None:
    vacancy = await _vacancy(ctx)
    if vacancy is None:
        return
    if len(_questions(vacancy)) >= MAX_QUESTIONS:
        await ctx.reply.toast(ctx.t("va-sq-max", max=MAX_QUESTIONS), alert=True)
        await ctx.show(list_screen(ctx, vacancy))
        return
    data = {"vacancy": vacancy.id, "step": "text"}
    await ctx.set_state(QUESTION_STATE, **data)
    await ctx.show(_prompt(ctx, data))


async def _dialog_at(ctx: Context, step: str) -> dict[str, Any] | None:
    """The dialog when it waits for `step` on the button's vacancy; a stale answer otherwise."""
    data = _data(ctx)
    if data is None or data.get("step") != step or data.get("vacancy") != int_arg(ctx, 0):
        await ctx.registry.stale(ctx)
        return None
    return data


async def yes_no(ctx: Context) -> None:
    data = await _dialog_at(ctx, "options")
    if data is None:
        return
    yes_passes = int_arg(ctx, 1)
    if yes_passes not in (0, 1):
        await ctx.registry.stale(ctx)
        return
    data["options"] = [
        [str(ctx.t("va-sq-yes")), yes_passes == 1, ""],
        [str(ctx.t("va-sq-no")), yes_passes == 0, ""],
    ]
    data["step"] = "reason"
    await ctx.set_state(QUESTION_STATE, **data)
    await ctx.show(_prompt(ctx, data))


async def on_text(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    data = _data(ctx)
    if data is None:
        return
    step = data.get("step")
    text = ctx.event.text
    if step == "text":
        data["text"] = clean_text(" ".join(text.split()))
        issues = [i for i in question_issues(_draft(data)) if i[0] in _TEXT_CODES]
        if issues:
            await ctx.reply.send(_prompt(ctx, data, _problems(ctx, issues)))
            return
        data["step"] = "options"
    elif step == "options":
        question = ScreeningQuestion(str(data["text"]), parse_options(text))
        issues = question_issues(question)
        if issues:
            await ctx.reply.send(_prompt(ctx, data, _problems(ctx, issues)))
            return
        data["options"] = [[o.label, o.passes, o.reason] for o in question.options]
        data["step"] = "preview"
    elif step == "reason":
        reason = clean_text(text)
        data["options"] = [
            [label, passes, "" if passes else reason] for label, passes, _ in data["options"]
        ]
        issues = question_issues(_draft(data))
        if issues:
            await ctx.reply.send(_prompt(ctx, data, _problems(ctx, issues)))
            return
        data["step"] = "preview"
    else:
        await ctx.reply.send(_prompt(ctx, data, str(ctx.t("va-sq-use-buttons"))))
        return
    await ctx.set_state(QUESTION_STATE, **data)
    await ctx.reply.send(_prompt(ctx, data))


async def save(ctx: Context) -> None:
    data = await _dialog_at(ctx, "preview")
    if data is None:
        return
    vacancy = await ctx.services.vacancies.get(int(data["vacancy"]))
    if vacancy is None:
        await ctx.clear_state()
        await ctx.registry.stale(ctx)
        return
    questions = _questions(vacancy)
    question = _draft(data)
    if len(questions) >= MAX_QUESTIONS:  # another admin filled them up meanwhile
        await ctx.clear_state()
        await ctx.reply.toast(ctx.t("va-sq-max", max=MAX_QUESTIONS), alert=True)
        await ctx.show(list_screen(ctx, vacancy, notice=ctx.t("va-sq-max", max=MAX_QUESTIONS)))
        return
    issues = question_issues(question)
    if issues:  # a state from an older version: never store what the rules refuse
        await ctx.set_state(QUESTION_STATE, vacancy=vacancy.id, step="text")
        await ctx.show(_prompt(ctx, _data(ctx) or {}, _problems(ctx, issues)))
        return
    updated = await ctx.services.vacancies.set_screening(vacancy.id, (*questions, question))
    await ctx.clear_state()
    if updated is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", "screening question added", f"vacancy {vacancy.id}", question.text
    )
    await ctx.reply.toast(ctx.t("va-sq-saved"))
    await ctx.show(list_screen(ctx, updated, notice=ctx.t("va-sq-saved")))


def register(r: Registry) -> None:
    r.action("va.sq", roles=ADMINS)(show_questions)
    r.action("va.sqd", roles=ADMINS)(ask_delete)
    r.action("va.sqx", roles=ADMINS)(delete)
    r.action("va.sqa", roles=ADMINS)(start_add)
    r.action("va.sqy", roles=ADMINS)(yes_no)
    r.action("va.sqs", roles=ADMINS)(save)
    r.state(QUESTION_STATE)(on_text)
