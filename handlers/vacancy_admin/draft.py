"""The vacancy draft an admin edits in the chat: its fields and their rules, the dialog state
that keeps it across restarts, slugs, and parsing of typed values."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from bot.domain import DialogState
from bot.domain.vacancies import PROJECTS, Vacancy, VacancyDraft, VacancyStatus
from bot.services.import_file import SLUG_RE
from bot.services.vacancy_import import (
    MAX_CITY,
    MAX_CONTACTS,
    MAX_DEADLINE_DAYS,
    MAX_LONG_TEXT,
    MAX_TITLE,
    MIN_DEADLINE_DAYS,
    MIN_TITLE,
    normalize_hashtag,
)
from handlers.context import Context

EDIT_STATE = "va.edit"
PLACE_STATE = "va.place"
QUESTION_STATE = "va.sq"  # adding a screening question (handlers.vacancy_admin.questions)
MAX_PER_PAGE = 8
MAX_LABEL = 40  # VK cuts button labels at 40 characters
MAX_PAGE = 10_000
MAX_SLUG_BASE = 40  # leaves room for a "-NN" suffix within the 48 characters of a slug
METRICS: tuple[str, ...] = ("views", "issued", "submitted", "accepted")
SAVE_MODES: tuple[str, ...] = ("open", "draft", "keep")
STATUS_TARGETS: tuple[VacancyStatus, ...] = (VacancyStatus.OPEN, VacancyStatus.CLOSED)
DAYS_RE = re.compile(r"\d{1,3}")
TAG_SPLIT_RE = re.compile(r"[\s,;]+")
SLUG_JUNK_RE = re.compile(r"[^a-z0-9]+")
TRANSLIT: dict[str, str] = {
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


def clean_draft(raw: object) -> dict[str, Any] | None:
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
        draft = clean_draft(data.get("draft"))
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
    if ctx.state is not None and ctx.state.name in (EDIT_STATE, PLACE_STATE, QUESTION_STATE):
        await ctx.clear_state()


def slugify(title: str) -> str:
    """A readable latin slug from a title: `Бариста (Казань)` -> `barista-kazan`."""
    text = "".join(TRANSLIT.get(char, char) for char in title.lower())
    text = unicodedata.normalize("NFKD", text)
    slug = SLUG_JUNK_RE.sub("-", text).strip("-")
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
    for item in TAG_SPLIT_RE.split(text.strip()):
        if not item:
            continue
        tag = normalize_hashtag(item)
        if tag is None:
            return [], item
        if tag not in tags:
            tags.append(tag)
    return tags, None
