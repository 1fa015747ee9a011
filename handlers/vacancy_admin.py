"""Vacancy administration for admins: every vacancy (draft, open, closed) page by page, the admin
card with the funnel by source, status changes, a guided create / edit dialog with a preview, and
placement links (`p<id>` deep links) for each job board.

The create / edit dialog keeps the whole draft in the SQLite dialog state (`va.edit`), so a restart
never loses the answers. Every field is checked with the same limits as the import file
(`bot.services.vacancy_import`). Buttons carry the step they belong to: a button from an older
prompt is answered as out of date instead of changing the wrong field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from bot.domain import DialogState, Platform
from bot.domain.vacancies import PROJECTS, Vacancy, VacancyDraft, VacancyStatus
from bot.i18n import Markup
from bot.services.import_file import SLUG_RE
from bot.services.vacancy_import import (
    MAX_CITY,
    MAX_CONTACTS,
    MAX_DEADLINE_DAYS,
    MAX_HASHTAGS,
    MAX_LONG_TEXT,
    MAX_TITLE,
    MIN_DEADLINE_DAYS,
    MIN_TITLE,
    normalize_hashtag,
)
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, chunk, fmt_time, list_capacity, page_slice
from handlers.context import Context
from handlers.registry import ADMINS, Registry
from handlers.vacancies import card_text, esc, place, project_name

EDIT_STATE = "va.edit"
PLACE_STATE = "va.place"
MAX_PER_PAGE = 8
MAX_LABEL = 40  # VK cuts button labels at 40 characters
MAX_PAGE = 10_000
MAX_SLUG_BASE = 40  # leaves room for a "-NN" suffix within the 48 characters of a slug
METRICS: tuple[str, ...] = ("views", "issued", "submitted", "accepted")
SAVE_MODES: tuple[str, ...] = ("open", "draft", "keep")
STATUS_TARGETS: tuple[VacancyStatus, ...] = (VacancyStatus.OPEN, VacancyStatus.CLOSED)
_DAYS_RE = re.compile(r"\d{1,3}")
_TAG_SPLIT_RE = re.compile(r"[\s,;]+")
_SLUG_JUNK_RE = re.compile(r"[^a-z0-9]+")
_TRANSLIT: dict[str, str] = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
}


# --- fields of the dialog ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str  # the VacancyDraft attribute
    limit: int = 0  # max characters of a text field
    minimum: int = 1
    optional: bool = False  # may be skipped (left empty)
    single_line: bool = False


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", MAX_TITLE, MIN_TITLE, single_line=True),
    FieldSpec("project"),
    FieldSpec("city", MAX_CITY, single_line=True),
    FieldSpec("remote"),
    FieldSpec("employment", MAX_LONG_TEXT),
    FieldSpec("requirements", MAX_LONG_TEXT),
    FieldSpec("duties", MAX_LONG_TEXT),
    FieldSpec("not_fit", MAX_LONG_TEXT, optional=True),
    FieldSpec("offer", MAX_LONG_TEXT),
    FieldSpec("contacts", MAX_CONTACTS),
    FieldSpec("hashtags", optional=True),
    FieldSpec("task_text", MAX_LONG_TEXT),  # optional only while a task file is kept
    FieldSpec("deadline_days"),
)
FIELD_BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
STEP_NUMBER: dict[str, int] = {spec.name: index for index, spec in enumerate(FIELDS, start=1)}
TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "project",
    "city",
    "employment",
    "requirements",
    "duties",
    "not_fit",
    "offer",
    "contacts",
    "task_text",
    "task_file",
    "task_file_name",
)


def field_key(prefix: str, name: str) -> str:
    return f"{prefix}-{name.replace('_', '-')}"


def empty_draft() -> dict[str, Any]:
    draft: dict[str, Any] = dict.fromkeys(TEXT_FIELDS, "")
    draft.update(remote=False, hashtags=[], deadline_days=7)
    return draft


def draft_of(vacancy: Vacancy) -> dict[str, Any]:
    draft = {name: getattr(vacancy, name) for name in TEXT_FIELDS}
    draft.update(
        remote=vacancy.remote,
        hashtags=list(vacancy.hashtags),
        deadline_days=vacancy.deadline_days,
    )
    return draft


def _clean_draft(raw: object) -> dict[str, Any] | None:
    """A draft from stored dialog data, every value of the expected type; None when unusable."""
    if not isinstance(raw, dict):
        return None
    draft = empty_draft()
    for key, default in draft.items():
        value = raw.get(key, default)
        if isinstance(default, bool):
            draft[key] = value if isinstance(value, bool) else default
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
            draft[key] = value if ok else default
        elif isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(tag, str) for tag in value)
            draft[key] = list(value) if ok else []
        else:
            draft[key] = value if isinstance(value, str) else default
    return draft


def task_text_optional(draft: dict[str, Any]) -> bool:
    return bool(draft["task_file"])


def is_optional(spec: FieldSpec, draft: dict[str, Any]) -> bool:
    return spec.optional or (spec.name == "task_text" and task_text_optional(draft))


def first_missing(draft: dict[str, Any]) -> str | None:
    """The first field a vacancy cannot be saved without, or None when the draft is complete."""
    for spec in FIELDS:
        name = spec.name
        if name == "project":
            if draft["project"] not in PROJECTS:
                return name
        elif name == "city":
            if not draft["city"] and not draft["remote"]:
                return name
        elif name == "deadline_days":
            if not MIN_DEADLINE_DAYS <= draft["deadline_days"] <= MAX_DEADLINE_DAYS:
                return name
        elif name in ("remote", "hashtags"):
            continue
        elif not is_optional(spec, draft) and not draft[name]:
            return name
    return None


@dataclass(slots=True)
class Dialog:
    """The create / edit dialog: which vacancy (0 = new), the step asked now ("" = at the
    preview or the field menu), whether all steps are walked in turn, and the draft."""

    vacancy_id: int
    step: str
    walk: bool
    draft: dict[str, Any]

    @classmethod
    def load(cls, ctx: Context) -> Dialog | None:
        state = ctx.state
        if state is None or state.name != EDIT_STATE:
            return None
        data = state.data
        draft = _clean_draft(data.get("draft"))
        vacancy_id = data.get("vacancy", 0)
        if draft is None or not isinstance(vacancy_id, int) or vacancy_id < 0:
            return None
        step = data.get("step", "")
        if step not in FIELD_BY_NAME:
            step = ""
        return cls(vacancy_id, step, bool(data.get("walk")) and bool(step), draft)

    def to_data(self) -> dict[str, Any]:
        return {
            "vacancy": self.vacancy_id,
            "step": self.step,
            "walk": self.walk,
            "draft": self.draft,
        }

    def as_draft(self, slug: str, status: VacancyStatus = VacancyStatus.OPEN) -> VacancyDraft:
        d = self.draft
        return VacancyDraft(
            slug=slug,
            title=d["title"],
            project=d["project"],
            city=d["city"],
            remote=d["remote"],
            employment=d["employment"],
            requirements=d["requirements"],
            duties=d["duties"],
            not_fit=d["not_fit"],
            offer=d["offer"],
            contacts=d["contacts"],
            hashtags=tuple(d["hashtags"]),
            task_text=d["task_text"],
            task_file=d["task_file"],
            task_file_name=d["task_file_name"],
            deadline_days=d["deadline_days"],
            status=status,
        )

    def as_vacancy(self) -> Vacancy:
        """The vacancy as it would look (for the preview)."""
        return Vacancy(**asdict(self.as_draft("")), id=self.vacancy_id)


async def store(ctx: Context, dialog: Dialog) -> None:
    data = dialog.to_data()
    await ctx.set_state(EDIT_STATE, **data)
    ctx.state = DialogState(ctx.user.id, EDIT_STATE, data)


async def leave_dialogs(ctx: Context) -> None:
    """Navigating the admin screens ends an unfinished dialog of this module."""
    if ctx.state is not None and ctx.state.name in (EDIT_STATE, PLACE_STATE):
        await ctx.clear_state()


# --- slugs and parsing ---------------------------------------------------------------------------


def slugify(title: str) -> str:
    """A readable latin slug from a title: `Бариста (Казань)` -> `barista-kazan`."""
    text = "".join(_TRANSLIT.get(char, char) for char in title.lower())
    text = unicodedata.normalize("NFKD", text)
    slug = _SLUG_JUNK_RE.sub("-", text).strip("-")
    slug = slug[:MAX_SLUG_BASE].strip("-")
    if not slug:
        return "vacancy"
    if len(slug) < 3:
        slug = f"{slug}-vacancy"
    return slug if SLUG_RE.fullmatch(slug) else "vacancy"


async def unique_slug(ctx: Context, title: str) -> str:
    base = slugify(title)
    number = 1
    while True:
        slug = base if number == 1 else f"{base}-{number}"
        if await ctx.services.vacancies.get_by_slug(slug) is None:
            return slug
        number += 1


def clean_text(text: str, *, single_line: bool) -> str:
    if single_line:
        return " ".join(text.split())
    return "\n".join(line.rstrip() for line in text.strip().split("\n")).strip()


def parse_hashtags(text: str) -> tuple[list[str], str | None]:
    """(distinct tags in order, the first tag that is not valid or None)."""
    tags: list[str] = []
    for item in _TAG_SPLIT_RE.split(text.strip()):
        if not item:
            continue
        tag = normalize_hashtag(item)
        if tag is None:
            return [], item
        if tag not in tags:
            tags.append(tag)
    return tags, None


# --- small helpers -----------------------------------------------------------------------------


def _int_arg(ctx: Context, index: int) -> int | None:
    action = ctx.event.action
    return action.int_arg(index) if action is not None else None


def _str_arg(ctx: Context, index: int) -> str:
    action = ctx.event.action
    if action is None or index >= len(action.args):
        return ""
    return action.args[index]


def _page_arg(ctx: Context, index: int) -> int:
    page = _int_arg(ctx, index) if ctx.event.is_button else 0
    return min(page or 0, MAX_PAGE)


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _mark(ctx: Context, status: VacancyStatus) -> Markup:
    return ctx.t(f"va-mark-{status}")


def _cancel_button(ctx: Context) -> Button:
    return Button(ctx.t("va-btn-cancel"), act("va.cancel"))


async def _refuse_non_admin(ctx: Context) -> bool:
    """Dialog states are not role-checked by the registry: an admin who lost the role mid-way
    is refused here."""
    if ctx.user.is_admin:
        return False
    await ctx.clear_state()
    if ctx.registry.on_forbidden is not None:
        await ctx.registry.on_forbidden(ctx)
    return True


# --- the list ----------------------------------------------------------------------------------


async def list_screen(ctx: Context, page: int) -> Screen:
    service = ctx.services.vacancies
    limits = ctx.reply.limits
    per_page = min(MAX_PER_PAGE, list_capacity(limits, reserved_rows=2))
    vacancies, total = await service.admin_listing(max(page, 0), per_page)
    page, _, pages = page_slice(total, page, per_page)
    if not vacancies and total:  # the page is past the end: show the last one
        vacancies, total = await service.admin_listing(page, per_page)
    controls = [Button(ctx.t("va-btn-new"), act("va.new"))]
    back = [back_to_menu(ctx)]
    if ctx.registry.has_action("admin"):
        back.insert(0, Button(ctx.t("va-btn-admin"), act("admin")))
    if not vacancies:
        return Screen.of(ctx.t("va-list-empty"), [controls, back])
    lines = [ctx.t("va-list-title", total=total), ctx.t("va-list-legend"), ""]
    rows: list[list[Button]] = []
    for vacancy in vacancies:
        mark = _mark(ctx, vacancy.status)
        lines.append(
            ctx.t(
                "va-list-line",
                mark=mark,
                title=vacancy.title,
                project=Markup(project_name(ctx, vacancy.project)),
                place=Markup(place(ctx, vacancy)),
            )
        )
        rows.append([Button(_label(f"{mark} {vacancy.title}"), act("va.o", vacancy.id, page))])
    if pages > 1:
        lines += ["", ctx.t("va-page", page=page + 1, pages=pages)]
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("va-btn-prev"), act("va", page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("va-btn-next"), act("va", page + 1)))
    used_rows = len(rows) + (1 if nav else 0)
    if limits.max_rows - used_rows >= 2:
        rows += [nav, controls, back]
    else:
        rows += [nav, [*controls, *back]]
    return Screen.of("\n".join(lines), rows)


async def show_list(ctx: Context) -> None:
    await leave_dialogs(ctx)
    await ctx.show(await list_screen(ctx, _page_arg(ctx, 0)))


# --- the admin card ------------------------------------------------------------------------------


def _rate(ctx: Context, part: int, whole: int) -> Markup:
    if whole <= 0:
        return ctx.t("va-rate-none")
    return ctx.t("va-rate", percent=round(100 * part / whole))


def _funnel_args(ctx: Context, metrics: dict[str, int]) -> dict[str, Any]:
    views, issued, submitted, accepted = (metrics.get(name, 0) for name in METRICS)
    return {
        "views": views,
        "issued": issued,
        "submitted": submitted,
        "accepted": accepted,
        "issued_rate": _rate(ctx, issued, views),
        "submitted_rate": _rate(ctx, submitted, issued),
        "accepted_rate": _rate(ctx, accepted, submitted),
    }


def funnel_lines(ctx: Context, funnel: dict[str, dict[str, int]]) -> list[str]:
    if not funnel:
        return [ctx.t("va-funnel-empty")]
    lines = [ctx.t("va-funnel-title")]
    ordered = sorted(funnel.items(), key=lambda item: (-item[1].get("views", 0), item[0]))
    for source, metrics in ordered:
        lines.append(ctx.t("va-funnel-line", source=source, **_funnel_args(ctx, metrics)))
    if len(funnel) > 1:
        totals = {name: sum(m.get(name, 0) for m in funnel.values()) for name in METRICS}
        lines.append(ctx.t("va-funnel-total", **_funnel_args(ctx, totals)))
    return lines


def task_lines(ctx: Context, draft: dict[str, Any]) -> list[str]:
    lines = []
    if draft["task_text"]:
        lines.append(f"{ctx.t('va-task-text-title')}\n{esc(draft['task_text'])}")
    if draft["task_file"]:
        name = draft["task_file_name"] or draft["task_file"].rsplit("/", 1)[-1]
        lines.append(ctx.t("va-task-file", name=name))
    return lines


def status_text(ctx: Context, status: VacancyStatus) -> Markup:
    return ctx.t(f"va-status-{status}")


async def card_screen(ctx: Context, vacancy: Vacancy, page: int = 0, notice: str = "") -> Screen:
    funnel = await ctx.services.vacancies.funnel(vacancy.id)
    lines = [notice, ""] if notice else []
    lines.append(
        ctx.t(
            "va-status-line",
            mark=_mark(ctx, vacancy.status),
            status=status_text(ctx, vacancy.status),
        )
    )
    if vacancy.published_at is not None:
        lines.append(ctx.t("va-published-at", date=fmt_time(ctx, vacancy.published_at)))
    lines += ["", card_text(ctx, vacancy), ""]
    lines += [*task_lines(ctx, draft_of(vacancy)), ""]
    lines += funnel_lines(ctx, funnel)
    if vacancy.status is VacancyStatus.DRAFT:
        status_button = Button(ctx.t("va-btn-publish"), act("va.st", vacancy.id, "open"))
    elif vacancy.status is VacancyStatus.OPEN:
        status_button = Button(ctx.t("va-btn-close"), act("va.st", vacancy.id, "closed"))
    else:
        status_button = Button(ctx.t("va-btn-reopen"), act("va.st", vacancy.id, "open"))
    rows = [
        [Button(ctx.t("va-btn-edit"), act("va.ed", vacancy.id)), status_button],
        [Button(ctx.t("va-btn-placements"), act("va.pl", vacancy.id))],
        [Button(ctx.t("va-btn-list"), act("va", page)), back_to_menu(ctx)],
    ]
    return Screen.of("\n".join(lines), rows)


async def open_card(ctx: Context) -> None:
    vacancy_id = _int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await leave_dialogs(ctx)
    await ctx.show(await card_screen(ctx, vacancy, _page_arg(ctx, 1)))


async def change_status(ctx: Context) -> None:
    vacancy_id = _int_arg(ctx, 0)
    wanted = _str_arg(ctx, 1)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    targets = {status.value: status for status in STATUS_TARGETS}
    if vacancy is None or wanted not in targets:
        await ctx.registry.stale(ctx)
        return
    status = targets[wanted]
    if vacancy.status is status:
        await ctx.reply.toast(ctx.t("va-toast-same"))
        await ctx.reply.edit(await card_screen(ctx, vacancy))
        return
    updated = await ctx.services.vacancies.set_status(vacancy.id, status)
    if updated is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", "vacancy status", f"vacancy {vacancy.id}", status.value
    )
    if status is VacancyStatus.CLOSED:
        key = "va-toast-closed"
    elif vacancy.status is VacancyStatus.DRAFT:
        key = "va-toast-published"
    else:
        key = "va-toast-reopened"
    await ctx.reply.toast(ctx.t(key))
    await ctx.reply.edit(await card_screen(ctx, updated, notice=ctx.t(key)))


# --- the dialog: prompts -------------------------------------------------------------------------


def _head(ctx: Context, dialog: Dialog) -> Markup:
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


def _ask(ctx: Context, spec: FieldSpec, draft: dict[str, Any]) -> Markup:
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
    lines.append(_head(ctx, dialog))
    if dialog.walk:
        lines.append(ctx.t("va-step", step=STEP_NUMBER[spec.name], total=len(FIELDS)))
    lines += [
        "",
        f"<b>{ctx.t(field_key('va-field', spec.name))}</b>",
        _ask(ctx, spec, dialog.draft),
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
    last = [_cancel_button(ctx)]
    if not dialog.walk:
        last.insert(0, Button(ctx.t("va-btn-fields"), act("va.fm", 0)))
    rows.append(last)
    return Screen.of("\n".join(lines), rows)


def fields_screen(ctx: Context, dialog: Dialog, page: int, notice: str = "") -> Screen:
    limits = ctx.reply.limits
    per_page = max(1, min(len(FIELDS), limits.max_buttons - 4, (limits.max_rows - 2) * 2))
    page, start, pages = page_slice(len(FIELDS), page, per_page)
    lines = [notice, ""] if notice else []
    lines += [_head(ctx, dialog), "", ctx.t("va-fields-title")]
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
    rows += [nav, [Button(ctx.t("va-btn-preview"), act("va.pv")), _cancel_button(ctx)]]
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
    rows.append([Button(ctx.t("va-btn-edit-field"), act("va.fm", 0)), _cancel_button(ctx)])
    return Screen.of("\n".join(lines), rows)


# --- the dialog: answers -------------------------------------------------------------------------


def _length_problem(ctx: Context, spec: FieldSpec, text: str) -> Markup | None:
    if not text:
        return ctx.t("va-err-empty")
    if len(text) > spec.limit:
        return ctx.t("va-err-too-long", length=len(text), limit=spec.limit)
    if len(text) < spec.minimum:
        return ctx.t("va-err-too-short", minimum=spec.minimum)
    return None


def _match_project(ctx: Context, text: str) -> str | None:
    wanted = " ".join(text.split()).casefold()
    for project in PROJECTS:
        if wanted in (project, str(project_name(ctx, project)).casefold()):
            return project
    return None


def accept_text(ctx: Context, dialog: Dialog, text: str) -> Markup | None:
    """Put a typed answer into the draft; return the reason when it cannot be accepted."""
    spec = FIELD_BY_NAME[dialog.step]
    draft = dialog.draft
    name = spec.name
    if name == "project":
        project = _match_project(ctx, text)
        if project is None:
            return ctx.t("va-err-project")
        draft["project"] = project
        return None
    if name == "remote":
        return ctx.t("va-err-remote")
    if name == "hashtags":
        tags, bad = parse_hashtags(text)
        if bad is not None:
            return ctx.t("va-err-hashtag", tag=bad[:60])
        if not tags:
            return ctx.t("va-err-empty")
        if len(tags) > MAX_HASHTAGS:
            return ctx.t("va-err-hashtags-many", count=len(tags), max=MAX_HASHTAGS)
        draft["hashtags"] = tags
        return None
    if name == "deadline_days":
        raw = text.strip()
        days = int(raw) if _DAYS_RE.fullmatch(raw) else None
        if days is None or not MIN_DEADLINE_DAYS <= days <= MAX_DEADLINE_DAYS:
            return ctx.t("va-err-days", min=MIN_DEADLINE_DAYS, max=MAX_DEADLINE_DAYS)
        draft["deadline_days"] = days
        return None
    value = clean_text(text, single_line=spec.single_line)
    problem = _length_problem(ctx, spec, value)
    if problem is not None:
        return problem
    draft[name] = value
    return None


def next_step(dialog: Dialog) -> str:
    names = [spec.name for spec in FIELDS]
    for name in names[names.index(dialog.step) + 1 :]:
        if name == "remote" and not dialog.draft["city"] and dialog.draft["remote"]:
            continue  # "remote only" already answered it
        return name
    return ""


async def advance(ctx: Context, dialog: Dialog) -> None:
    """After an accepted answer: the next step when walking, else back to the preview."""
    dialog.step = next_step(dialog) if dialog.walk else ""
    if not dialog.step:
        dialog.walk = False
    await store(ctx, dialog)
    if dialog.step:
        await ctx.show(prompt_screen(ctx, dialog))
    else:
        await ctx.show(preview_screen(ctx, dialog))


async def on_edit_text(ctx: Context) -> None:
    if await _refuse_non_admin(ctx):
        return
    dialog = Dialog.load(ctx)
    if dialog is None:  # unreadable data from an older version: start over
        await ctx.clear_state()
        await ctx.reply.send(await list_screen(ctx, 0))
        return
    if not dialog.step:
        await ctx.reply.send(fields_screen(ctx, dialog, 0, notice=ctx.t("va-hint-use-buttons")))
        return
    if not ctx.event.text.strip() and ctx.event.attachments:
        await ctx.reply.send(prompt_screen(ctx, dialog, ctx.t("va-err-text-only")))
        return
    problem = accept_text(ctx, dialog, ctx.event.text)
    if problem is not None:
        await ctx.reply.send(prompt_screen(ctx, dialog, problem))
        return
    await advance(ctx, dialog)


async def _dialog_at(ctx: Context, step: str) -> Dialog | None:
    """The dialog when it waits for `step`; answers a stale button and returns None otherwise."""
    dialog = Dialog.load(ctx)
    if dialog is None or dialog.step != step:
        await ctx.registry.stale(ctx)
        return None
    return dialog


async def choose_project(ctx: Context) -> None:
    project = _str_arg(ctx, 0)
    dialog = await _dialog_at(ctx, "project")
    if dialog is None:
        return
    if project not in PROJECTS:
        await ctx.registry.stale(ctx)
        return
    dialog.draft["project"] = project
    await advance(ctx, dialog)


async def remote_only(ctx: Context) -> None:
    dialog = await _dialog_at(ctx, "city")
    if dialog is None:
        return
    dialog.draft.update(city="", remote=True)
    await advance(ctx, dialog)


async def choose_remote(ctx: Context) -> None:
    answer = _int_arg(ctx, 0)
    dialog = await _dialog_at(ctx, "remote")
    if dialog is None:
        return
    if answer not in (0, 1):
        await ctx.registry.stale(ctx)
        return
    if answer == 0 and not dialog.draft["city"]:
        await ctx.reply.toast(ctx.t("va-err-no-place-short"))
        await ctx.reply.edit(prompt_screen(ctx, dialog, ctx.t("va-err-no-place")))
        return
    dialog.draft["remote"] = bool(answer)
    await advance(ctx, dialog)


async def skip(ctx: Context) -> None:
    name = _str_arg(ctx, 0)
    spec = FIELD_BY_NAME.get(name)
    dialog = Dialog.load(ctx)
    if dialog is None or spec is None or dialog.step != name or not is_optional(spec, dialog.draft):
        await ctx.registry.stale(ctx)
        return
    dialog.draft[name] = [] if name == "hashtags" else ""
    await advance(ctx, dialog)


async def start_new(ctx: Context) -> None:
    dialog = Dialog(0, "title", True, empty_draft())
    await store(ctx, dialog)
    await ctx.show(prompt_screen(ctx, dialog))


async def start_edit(ctx: Context) -> None:
    vacancy_id = _int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    dialog = Dialog(vacancy.id, "", False, draft_of(vacancy))
    await store(ctx, dialog)
    await ctx.show(fields_screen(ctx, dialog, 0))


async def _dialog_not_walking(ctx: Context) -> Dialog | None:
    dialog = Dialog.load(ctx)
    if dialog is None or dialog.walk:
        await ctx.registry.stale(ctx)
        return None
    return dialog


async def show_fields(ctx: Context) -> None:
    dialog = await _dialog_not_walking(ctx)
    if dialog is None:
        return
    if dialog.step:
        dialog.step = ""
        await store(ctx, dialog)
    await ctx.show(fields_screen(ctx, dialog, _page_arg(ctx, 0)))


async def pick_field(ctx: Context) -> None:
    name = _str_arg(ctx, 0)
    dialog = await _dialog_not_walking(ctx)
    if dialog is None:
        return
    if name not in FIELD_BY_NAME:
        await ctx.registry.stale(ctx)
        return
    dialog.step = name
    await store(ctx, dialog)
    await ctx.show(prompt_screen(ctx, dialog))


async def show_preview(ctx: Context) -> None:
    dialog = await _dialog_not_walking(ctx)
    if dialog is None:
        return
    if dialog.step:
        dialog.step = ""
        await store(ctx, dialog)
    await ctx.show(preview_screen(ctx, dialog))


async def cancel(ctx: Context) -> None:
    dialog = Dialog.load(ctx)
    if dialog is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.clear_state()
    rows: list[list[Button]] = []
    if dialog.vacancy_id:
        rows.append([Button(ctx.t("va-btn-card"), act("va.o", dialog.vacancy_id))])
    rows.append([Button(ctx.t("va-btn-list"), act("va", 0)), back_to_menu(ctx)])
    await ctx.reply.toast(ctx.t("va-cancelled-short"))
    await ctx.show(Screen.of(ctx.t("va-cancelled"), rows))


async def save(ctx: Context) -> None:
    mode = _str_arg(ctx, 0)
    dialog = Dialog.load(ctx)
    if (
        dialog is None
        or dialog.step
        or mode not in SAVE_MODES
        or (mode == "keep" and not dialog.vacancy_id)
    ):
        await ctx.registry.stale(ctx)
        return
    missing = first_missing(dialog.draft)
    if missing is not None:
        dialog.step = missing
        await store(ctx, dialog)
        await ctx.reply.toast(ctx.t("va-err-missing-short"))
        await ctx.reply.edit(prompt_screen(ctx, dialog, ctx.t("va-err-missing")))
        return
    service = ctx.services.vacancies
    existing = await service.get(dialog.vacancy_id) if dialog.vacancy_id else None
    if dialog.vacancy_id and existing is None:
        await ctx.clear_state()
        await ctx.registry.stale(ctx)
        return
    keep = mode == "keep" and existing is not None
    status = existing.status if keep and existing is not None else VacancyStatus(mode)
    title = dialog.draft["title"]
    slug = existing.slug if existing is not None else await unique_slug(ctx, title)
    vacancy, newly = await service.save(dialog.as_draft(slug, status))
    await ctx.clear_state()
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", "vacancy saved", f"vacancy {vacancy.id}", vacancy.status.value
    )
    key = f"va-saved-{vacancy.status}"
    notice = ctx.t(key)
    if newly:
        notice = Markup(notice + "\n" + ctx.t("va-saved-notices"))
    await ctx.reply.toast(ctx.t(key))
    await ctx.show(await card_screen(ctx, vacancy, notice=notice))


# --- placements ----------------------------------------------------------------------------------


async def placements_screen(ctx: Context, vacancy: Vacancy, notice: str = "") -> Screen:
    placements = await ctx.services.vacancies.placements(vacancy.id)
    lines = [notice, ""] if notice else []
    lines += [ctx.t("va-pl-title", title=vacancy.title), ctx.t("va-pl-intro"), ""]
    if not placements:
        lines.append(ctx.t("va-pl-empty"))
    for placement_id, source in placements:
        lines.append(ctx.t("va-pl-item", source=source))
        shown = False
        for platform, key in ((Platform.TELEGRAM, "va-pl-link-tg"), (Platform.VK, "va-pl-link-vk")):
            link = ctx.notifier.deep_link(platform, f"p{placement_id}")
            if link:
                lines.append(ctx.t(key, link=link))
                shown = True
        if not shown:
            lines.append(ctx.t("va-pl-no-links"))
    rows = [
        [Button(ctx.t("va-btn-pl-new"), act("va.pn", vacancy.id))],
        [Button(ctx.t("va-btn-card"), act("va.o", vacancy.id))],
    ]
    return Screen.of("\n".join(lines), rows)


async def show_placements(ctx: Context) -> None:
    vacancy_id = _int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await leave_dialogs(ctx)
    await ctx.show(await placements_screen(ctx, vacancy))


def placement_prompt(ctx: Context, vacancy: Vacancy, problem: str = "") -> Screen:
    lines = [problem, ""] if problem else []
    lines += [ctx.t("va-pl-ask", title=vacancy.title)]
    return Screen.of("\n".join(lines), [[Button(ctx.t("va-btn-cancel"), act("va.pl", vacancy.id))]])


async def ask_placement(ctx: Context) -> None:
    vacancy_id = _int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.set_state(PLACE_STATE, vacancy=vacancy.id)
    await ctx.show(placement_prompt(ctx, vacancy))


async def on_placement_text(ctx: Context) -> None:
    if await _refuse_non_admin(ctx):
        return
    assert ctx.state is not None
    vacancy_id = ctx.state.data.get("vacancy")
    service = ctx.services.vacancies
    vacancy = await service.get(vacancy_id) if isinstance(vacancy_id, int) else None
    if vacancy is None:
        await ctx.clear_state()
        await ctx.registry.stale(ctx)
        return
    source = ctx.event.text.strip()
    known = {name for _, name in await service.placements(vacancy.id)}
    existed = source.lower() in known
    placement_id = await service.add_placement(vacancy.id, source) if source else None
    if placement_id is None:
        problem = ctx.t("va-pl-bad", source=source[:40]) if source else ctx.t("va-err-empty")
        await ctx.reply.send(placement_prompt(ctx, vacancy, problem))
        return
    await ctx.clear_state()
    key = "va-pl-exists" if existed else "va-pl-created"
    notice = ctx.t(key, source=source.lower())
    await ctx.reply.send(await placements_screen(ctx, vacancy, notice=notice))


def register(r: Registry) -> None:
    r.command("vacancy_admin", roles=ADMINS, description_key="cmd-vacancy-admin")(show_list)
    r.action("va", roles=ADMINS)(show_list)
    r.action("va.o", roles=ADMINS)(open_card)
    r.action("va.st", roles=ADMINS)(change_status)
    r.action("va.pl", roles=ADMINS)(show_placements)
    r.action("va.pn", roles=ADMINS)(ask_placement)
    r.action("va.new", roles=ADMINS)(start_new)
    r.action("va.ed", roles=ADMINS)(start_edit)
    r.action("va.fm", roles=ADMINS)(show_fields)
    r.action("va.f", roles=ADMINS)(pick_field)
    r.action("va.pv", roles=ADMINS)(show_preview)
    r.action("va.pj", roles=ADMINS)(choose_project)
    r.action("va.rm", roles=ADMINS)(remote_only)
    r.action("va.yn", roles=ADMINS)(choose_remote)
    r.action("va.skip", roles=ADMINS)(skip)
    r.action("va.save", roles=ADMINS)(save)
    r.action("va.cancel", roles=ADMINS)(cancel)
    r.state(EDIT_STATE)(on_edit_text)
    r.state(PLACE_STATE)(on_placement_text)
