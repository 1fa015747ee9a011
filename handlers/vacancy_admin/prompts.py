"""The create / edit dialog's screens: the prompt for a field, the list of fields, the preview."""

from __future__ import annotations

from typing import Any

from bot.domain.vacancies import PROJECTS
from bot.i18n import Markup
from bot.services.vacancy_import import (
    MAX_DEADLINE_DAYS,
    MAX_HASHTAGS,
    MIN_DEADLINE_DAYS,
)
from bot.ui import Button, Screen, act
from handlers.common import chunk, page_slice
from handlers.context import Context
from handlers.vacancies import card_text, project_name
from handlers.vacancy_admin.card import task_lines
from handlers.vacancy_admin.common import cancel_button
from handlers.vacancy_admin.draft import (
    FIELD_BY_NAME,
    FIELDS,
    STEP_NUMBER,
    Dialog,
    FieldSpec,
    field_key,
    is_optional,
    task_text_optional,
)


def dialog_head(ctx: Context, dialog: Dialog) -> Markup:
    if dialog.vacancy_id:
        return ctx.t("va-edit-title", title=dialog.draft["title"])
    return ctx.t("va-new-title")


def shown_value(ctx: Context, name: str, draft: dict[str, Any]) -> Markup:
    value = draft[name]
    if name == "project":
        shown: str = Markup(project_name(ctx, value)) if value else ""
    elif name == "remote":
        shown = ctx.t("va-yes" if value else "va-no")
    elif name == "hashtags":
        shown = " ".join("#" + tag for tag in value)
    elif name == "deadline_days":
        shown = str(value)
    else:
        shown = value
    if shown == "":
        return ctx.t("va-current-empty")
    return ctx.t("va-current", value=shown)


def ask_text(ctx: Context, spec: FieldSpec, draft: dict[str, Any]) -> Markup:
    key = field_key("va-ask", spec.name)
    if spec.name == "task_text" and task_text_optional(draft):
        name = draft["task_file_name"] or draft["task_file"].rsplit("/", 1)[-1]
        return ctx.t("va-ask-task-text-with-file", max=spec.limit, name=name)
    if spec.name == "hashtags":
        return ctx.t(key, count=MAX_HASHTAGS)
    if spec.name == "deadline_days":
        return ctx.t(key, min=MIN_DEADLINE_DAYS, max=MAX_DEADLINE_DAYS)
    if spec.name == "title":
        return ctx.t(key, min=spec.minimum, max=spec.limit)
    return ctx.t(key, max=spec.limit)


def prompt_screen(ctx: Context, dialog: Dialog, problem: str = "") -> Screen:
    spec = FIELD_BY_NAME[dialog.step]
    lines = [problem, ""] if problem else []
    lines.append(dialog_head(ctx, dialog))
    if dialog.walk:
        lines.append(ctx.t("va-step", step=STEP_NUMBER[spec.name], total=len(FIELDS)))
    lines += [
        "",
        f"<b>{ctx.t(field_key('va-field', spec.name))}</b>",
        ask_text(ctx, spec, dialog.draft),
    ]
    if not dialog.walk:
        lines += ["", shown_value(ctx, spec.name, dialog.draft)]
    rows: list[list[Button]] = []
    if spec.name == "project":
        choices = [Button(project_name(ctx, p), act("va.pj", p)) for p in PROJECTS]
        rows += chunk(choices, 2)
    elif spec.name == "city":
        rows.append([Button(ctx.t("va-btn-remote-only"), act("va.rm"))])
    elif spec.name == "remote":
        rows.append(
            [
                Button(ctx.t("va-btn-yes"), act("va.yn", 1)),
                Button(ctx.t("va-btn-no"), act("va.yn", 0)),
            ]
        )
    if is_optional(spec, dialog.draft):
        rows.append([Button(ctx.t("va-btn-skip"), act("va.skip", spec.name))])
    last = [cancel_button(ctx)]
    if not dialog.walk:
        last.insert(0, Button(ctx.t("va-btn-fields"), act("va.fm", 0)))
    rows.append(last)
    return Screen.of("\n".join(lines), rows)


def fields_screen(ctx: Context, dialog: Dialog, page: int, notice: str = "") -> Screen:
    limits = ctx.reply.limits
    per_page = max(1, min(len(FIELDS), limits.max_buttons - 4, (limits.max_rows - 2) * 2))
    page, start, pages = page_slice(len(FIELDS), page, per_page)
    lines = [notice, ""] if notice else []
    lines += [dialog_head(ctx, dialog), "", ctx.t("va-fields-title")]
    if pages > 1:
        lines.append(ctx.t("va-page", page=page + 1, pages=pages))
    buttons = [
        Button(ctx.t(field_key("va-field", spec.name)), act("va.f", spec.name))
        for spec in FIELDS[start : start + per_page]
    ]
    rows = chunk(buttons, 2)
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("va-btn-prev"), act("va.fm", page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("va-btn-next"), act("va.fm", page + 1)))
    rows += [nav, [Button(ctx.t("va-btn-preview"), act("va.pv")), cancel_button(ctx)]]
    return Screen.of("\n".join(lines), rows)


def preview_screen(ctx: Context, dialog: Dialog, notice: str = "") -> Screen:
    lines = [notice, ""] if notice else []
    lines += [ctx.t("va-preview-title"), "", card_text(ctx, dialog.as_vacancy())]
    task = task_lines(ctx, dialog.draft)
    if task:
        lines += ["", *task]
    lines += ["", ctx.t("va-preview-question")]
    rows = [
        [
            Button(ctx.t("va-btn-save-open"), act("va.save", "open")),
            Button(ctx.t("va-btn-save-draft"), act("va.save", "draft")),
        ]
    ]
    if dialog.vacancy_id:
        rows.append([Button(ctx.t("va-btn-save-keep"), act("va.save", "keep"))])
    rows.append([Button(ctx.t("va-btn-edit-field"), act("va.fm", 0)), cancel_button(ctx)])
    return Screen.of("\n".join(lines), rows)
