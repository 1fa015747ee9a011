"""Vacancies from a human-editable TOML file: parse and validate, never touch the database.

The admin command `python -m bot import-vacancies PATH` calls `load_vacancies(PATH)` and upserts the
returned drafts by slug. A file with any problem is rejected whole: `VacancyImportError` lists every
problem found in every vacancy, so the admin can fix them all in one go.

File shape (see `examples/vacancies.toml` for a full sample)::

    [[vacancy]]
    slug = "online-marketer"      # a-z, 0-9 and '-', 3..48 chars, unique in the file
    title = "Интернет-маркетолог"
    project = "coffee"            # coffee | vintage | veggie | pastry | dental
    city = "Москва"               # optional, but a vacancy needs a city or remote = true
    remote = true                 # optional, default false
    employment = "..."
    requirements = \"\"\"...\"\"\"
    duties = \"\"\"...\"\"\"
    not_fit = \"\"\"...\"\"\"         # optional
    offer = \"\"\"...\"\"\"
    contacts = "..."
    hashtags = ["вакансия"]       # optional, up to 10, with or without '#'
    status = "open"               # optional: draft | open | closed

    [[vacancy.screening]]         # optional, up to 5: asked before the test task
    question = "..."
    answers = ["Да", "Нет"]       # 2..6 buttons
    knock_out = { "Нет" = "a polite reason" }   # answers that end the application, and why

    [vacancy.test_task]           # mandatory
    text = \"\"\"...\"\"\"            # text and/or file
    file = "files/task.md"        # relative to the folder of the import file
    deadline_days = 5             # 1..60
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.domain.interviews import ScreeningOption, ScreeningQuestion
from bot.domain.vacancies import PROJECTS, VacancyDraft, VacancyStatus
from bot.services.import_file import (
    ImportFileError,
    ItemChecker,
    clean_text,
    read_text,
    tables,
    unknown_key_message,
)
from bot.services.screening import MAX_QUESTIONS, question_problems

HASHTAG_RE = re.compile(r"\w{1,40}")  # unicode letters, digits, _; used with fullmatch

MAX_HASHTAGS = 10
MAX_LONG_TEXT = 3000
MAX_TITLE = 120
MIN_TITLE = 3
MAX_CONTACTS = 300
MAX_CITY = 60
MIN_DEADLINE_DAYS = 1
MAX_DEADLINE_DAYS = 60
MAX_TASK_FILE_BYTES = 20 * 1024 * 1024  # what a Telegram bot can still download
TASK_FILE_EXTENSIONS: frozenset[str] = frozenset(
    {
        "pdf",
        "doc",
        "docx",
        "odt",
        "rtf",
        "txt",
        "md",
        "xls",
        "xlsx",
        "ods",
        "ppt",
        "pptx",
        "png",
        "jpg",
        "jpeg",
        "zip",
    }
)


_VACANCY_KEYS: tuple[str, ...] = (
    "slug",
    "title",
    "project",
    "city",
    "remote",
    "employment",
    "requirements",
    "duties",
    "not_fit",
    "offer",
    "contacts",
    "hashtags",
    "status",
    "test_task",
    "screening",
)
_SCREENING_KEYS: tuple[str, ...] = ("question", "answers", "knock_out")
_TASK_KEYS: tuple[str, ...] = ("text", "file", "deadline_days")
_STATUSES: tuple[str, ...] = tuple(status.value for status in VacancyStatus)


class VacancyImportError(ImportFileError):
    """The vacancy file was rejected; `problems` lists everything that is wrong with it."""


def load_vacancies(path: Path) -> list[VacancyDraft]:
    """Read, parse and validate an import file; drafts come back in file order.

    Raises `VacancyImportError` listing every problem when anything is wrong (nothing is returned
    then). Task files are resolved against the folder of `path`.
    """
    path = Path(path)
    text = read_text(path, VacancyImportError)
    return parse_vacancies(text, base_dir=path.resolve().parent)


def parse_vacancies(text: str, base_dir: Path) -> list[VacancyDraft]:
    """Parse the TOML text of an import file; relative task files resolve against `base_dir`."""
    found, problems = tables(text, "vacancy", "vacancies", VacancyImportError)

    drafts: list[VacancyDraft] = []
    first_position: dict[str, int] = {}
    for position, table in enumerate(found, start=1):
        checker = _VacancyChecker(position, table, Path(base_dir), first_position)
        draft = checker.check()
        problems.extend(checker.problems)
        if draft is not None:
            drafts.append(draft)

    if problems:
        raise VacancyImportError(problems)
    return drafts


def normalize_hashtag(value: str) -> str | None:
    """`#Кофе` -> `кофе`; None when the tag has characters other than letters, digits and `_`."""
    tag = value.strip()
    if tag.startswith("#"):
        tag = tag[1:]
    tag = tag.lower()
    return tag if HASHTAG_RE.fullmatch(tag) else None


class _VacancyChecker(ItemChecker):
    """Validates one `[[vacancy]]` table, collecting problems instead of stopping at the first."""

    noun = "vacancy"

    def check(self) -> VacancyDraft | None:
        table = self.table
        if not isinstance(table, Mapping):
            self.problem("vacancy", "must be a [[vacancy]] table")
            return None

        slug = self._slug(table)
        for key in table:
            if key not in _VACANCY_KEYS:
                self.problem(key, unknown_key_message(key, _VACANCY_KEYS))

        title = self._text(table, "title", required=True, limit=MAX_TITLE, minimum=MIN_TITLE)
        project = self._choice(table, "project", PROJECTS, default=None)
        before = len(self.problems)
        city = self._text(table, "city", required=False, limit=MAX_CITY)
        remote = self._flag(table, "remote")
        if not city and not remote and len(self.problems) == before:
            self.problem("city", "a vacancy needs a city or remote = true (or both)")
        employment = self._text(table, "employment", required=True, limit=MAX_LONG_TEXT)
        requirements = self._text(table, "requirements", required=True, limit=MAX_LONG_TEXT)
        duties = self._text(table, "duties", required=True, limit=MAX_LONG_TEXT)
        not_fit = self._text(table, "not_fit", required=False, limit=MAX_LONG_TEXT)
        offer = self._text(table, "offer", required=True, limit=MAX_LONG_TEXT)
        contacts = self._text(table, "contacts", required=True, limit=MAX_CONTACTS)
        hashtags = self._hashtags(table)
        status = self._choice(table, "status", _STATUSES, default=VacancyStatus.OPEN.value)
        task_text, task_file, deadline_days = self._test_task(table)
        screening = self._screening(table)

        if self.problems or slug is None or project is None or status is None:
            return None
        return VacancyDraft(
            slug=slug,
            title=title,
            project=project,
            city=city,
            remote=remote,
            employment=employment,
            requirements=requirements,
            duties=duties,
            not_fit=not_fit,
            offer=offer,
            contacts=contacts,
            hashtags=hashtags,
            task_text=task_text,
            task_file=str(task_file) if task_file else "",
            task_file_name=task_file.name if task_file else "",
            deadline_days=deadline_days,
            status=VacancyStatus(status),
            screening=screening,
        )

    def _screening(self, table: Mapping[str, Any]) -> tuple[ScreeningQuestion, ...]:
        value = table.get("screening", [])
        if not isinstance(value, list):
            self.problem("screening", "must be [[vacancy.screening]] tables")
            return ()
        if len(value) > MAX_QUESTIONS:
            self.problem("screening", f"at most {MAX_QUESTIONS} questions (there are {len(value)})")
        questions: list[ScreeningQuestion] = []
        for number, item in enumerate(value, start=1):
            field = f"screening #{number}"
            if not isinstance(item, Mapping):
                self.problem(field, "must be a table with question, answers and knock_out")
                continue
            for key in item:
                if key not in _SCREENING_KEYS:
                    self.problem(f"{field}.{key}", unknown_key_message(key, _SCREENING_KEYS))
            text = item.get("question")
            answers = item.get("answers")
            knock_out = item.get("knock_out", {})
            if not isinstance(text, str):
                self.problem(f"{field}.question", "is required: the question's text")
                continue
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                self.problem(f"{field}.answers", 'must be a list of strings, e.g. ["Да", "Нет"]')
                continue
            if not isinstance(knock_out, Mapping) or not all(
                isinstance(r, str) for r in knock_out.values()
            ):
                self.problem(f"{field}.knock_out", 'must map answers to reasons: { "Нет" = "why" }')
                continue
            labels = [clean_text(a) for a in answers]
            for key in knock_out:
                if key not in answers and clean_text(key) not in labels:
                    self.problem(f"{field}.knock_out", f"{key!r} is not one of the answers")
            options = tuple(
                ScreeningOption(
                    label,
                    raw not in knock_out,
                    clean_text(str(knock_out.get(raw, ""))),
                )
                for raw, label in zip(answers, labels, strict=True)
            )
            question = ScreeningQuestion(clean_text(text), options)
            for problem in question_problems(question):
                self.problem(field, problem)
            questions.append(question)
        return tuple(questions)

    # -- fields ---------------------------------------------------------------------------------

    def _text(
        self,
        table: Mapping[str, Any],
        field: str,
        *,
        required: bool,
        limit: int,
        minimum: int = 1,
        name: str | None = None,
    ) -> str:
        name = name or field
        value = table.get(field)
        if value is None:
            if required:
                self.problem(name, "is required")
            return ""
        if not isinstance(value, str):
            self.problem(name, "must be a string")
            return ""
        text = clean_text(value)
        if not text:
            if required:
                self.problem(name, "is required and must not be empty")
            return ""
        if len(text) > limit:
            self.problem(name, f"must be at most {limit} characters (it has {len(text)})")
        elif len(text) < minimum:
            self.problem(name, f"must be at least {minimum} characters")
        return text

    def _choice(
        self,
        table: Mapping[str, Any],
        field: str,
        allowed: tuple[str, ...],
        *,
        default: str | None,
    ) -> str | None:
        value = table.get(field)
        if value is None:
            if default is None:
                self.problem(field, f"is required: one of {', '.join(allowed)}")
            return default
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            shown = value if isinstance(value, str) else type(value).__name__
            self.problem(field, f"{shown!r} is not allowed: use one of {', '.join(allowed)}")
            return None
        return value.strip().lower()

    def _flag(self, table: Mapping[str, Any], field: str) -> bool:
        value = table.get(field, False)
        if not isinstance(value, bool):
            self.problem(field, "must be true or false")
            return False
        return value

    def _hashtags(self, table: Mapping[str, Any]) -> tuple[str, ...]:
        value = table.get("hashtags", [])
        if not isinstance(value, list):
            self.problem("hashtags", 'must be a list of strings, e.g. ["вакансия", "кофе"]')
            return ()
        tags: list[str] = []
        for item in value:
            if not isinstance(item, str):
                self.problem("hashtags", f"{item!r} is not a string")
                continue
            tag = normalize_hashtag(item)
            if tag is None:
                self.problem(
                    "hashtags",
                    f"{item!r} is not a valid hashtag: use 1 to 40 letters, digits or '_'",
                )
            elif tag not in tags:
                tags.append(tag)
        if len(tags) > MAX_HASHTAGS:
            self.problem("hashtags", f"at most {MAX_HASHTAGS} hashtags (there are {len(tags)})")
        return tuple(tags)

    def _test_task(self, table: Mapping[str, Any]) -> tuple[str, Path | None, int]:
        task = table.get("test_task")
        if task is None:
            self.problem(
                "test_task", "is required: add a [vacancy.test_task] table with text and/or file"
            )
            return "", None, 0
        if not isinstance(task, Mapping):
            self.problem("test_task", "must be a [vacancy.test_task] table")
            return "", None, 0
        for key in task:
            if key not in _TASK_KEYS:
                self.problem(f"test_task.{key}", unknown_key_message(key, _TASK_KEYS))

        before = len(self.problems)
        text = self._text(task, "text", required=False, limit=MAX_LONG_TEXT, name="test_task.text")
        file = self._task_file(task.get("file"))
        if not text and file is None and len(self.problems) == before:
            self.problem("test_task", "needs text or file (or both)")
        deadline = self._deadline(task.get("deadline_days"))
        return text, file, deadline

    def _task_file(self, value: object) -> Path | None:
        field = "test_task.file"
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(field, "must be a string: a path relative to the import file's folder")
            return None
        if not value.strip():
            return None
        path = (self.base_dir / value.strip()).resolve()
        extension = path.suffix.lower().lstrip(".")
        if extension not in TASK_FILE_EXTENSIONS:
            shown = f".{extension}" if extension else "no extension"
            allowed = ", ".join(sorted(TASK_FILE_EXTENSIONS))
            self.problem(field, f"{shown} is not allowed; use one of: {allowed}")
            return None
        if not path.exists():
            self.problem(field, f"file not found: {path}")
            return None
        if not path.is_file():
            self.problem(field, f"is not a file: {path}")
            return None
        try:
            size = path.stat().st_size
        except OSError as exc:
            self.problem(field, f"cannot read {path}: {exc.strerror or type(exc).__name__}")
            return None
        if size == 0:
            self.problem(field, f"is empty: {path}")
            return None
        if size > MAX_TASK_FILE_BYTES:
            limit_mb = MAX_TASK_FILE_BYTES // (1024 * 1024)
            self.problem(field, f"is {size / 1024 / 1024:.1f} MB; the limit is {limit_mb} MB")
            return None
        return path

    def _deadline(self, value: object) -> int:
        field = "test_task.deadline_days"
        if value is None:
            self.problem(field, "is required: days the candidate has for the test task")
            return 0
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not MIN_DEADLINE_DAYS <= value <= MAX_DEADLINE_DAYS
        ):
            self.problem(
                field,
                f"must be a whole number from {MIN_DEADLINE_DAYS} to {MAX_DEADLINE_DAYS}",
            )
            return 0
        return value
