"""What the vacancy and content imports share: reading a UTF-8 TOML file, the problem list,
top-level checks of the `[[table]]` list, hints for unknown keys and text cleaning."""

from __future__ import annotations

import difflib
import re
import textwrap
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_LABEL = "-"  # the label of problems that concern the whole file


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong with an import file.

    `vacancy` names the item (historically a vacancy; posts use it too): its slug when known,
    `#N` (1-based position in the file) otherwise, or `-` for the file as a whole; `field` is the
    dotted field name, e.g. `test_task.deadline_days`.
    """

    vacancy: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.vacancy}: {self.field}: {self.message}"


class ImportFileError(ValueError):
    """The import file was rejected; `problems` lists everything that is wrong with it."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems: list[ImportProblem] = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def file_problem(message: str) -> ImportProblem:
    return ImportProblem(FILE_LABEL, "file", message)


def unknown_key_message(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key{hint}; allowed: {', '.join(known)}"


def clean_text(value: str) -> str:
    """Strip a text; multi-line texts also lose common indentation and trailing spaces."""
    lines = textwrap.dedent(value).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def read_text(path: Path, error: type[ImportFileError]) -> str:
    """The file's text (UTF-8, a byte-order mark allowed), or `error` with one file problem."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise error([file_problem(f"file not found: {path}")]) from None
    except IsADirectoryError:
        raise error([file_problem(f"is a folder, not a file: {path}")]) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise error([file_problem(f"cannot read {path}: {reason}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"is not UTF-8 text (bad byte at offset {exc.start})"
        raise error([file_problem(message)]) from None


def tables(
    text: str, name: str, plural: str, error: type[ImportFileError]
) -> tuple[list[object], list[ImportProblem]]:
    """The `[[name]]` tables of a TOML text and the file-level problems found so far; raises
    `error` when there is nothing to check item by item."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error([file_problem(f"invalid TOML: {exc}")]) from None
    problems = [
        ImportProblem(FILE_LABEL, key, unknown_key_message(key, (name,)))
        for key in data
        if key != name
    ]
    found = data.get(name)
    if found is None:
        problems.append(file_problem(f"no {plural}: add at least one [[{name}]] table"))
        raise error(problems)
    if not isinstance(found, list):
        problems.append(ImportProblem(FILE_LABEL, name, f"must be written as [[{name}]] tables"))
        raise error(problems)
    if not found:
        problems.append(file_problem(f"no {plural}: add at least one [[{name}]] table"))
    return found, problems


SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,46}[a-z0-9]")  # 3..48 chars, used with fullmatch


class ItemChecker:
    """Validates one `[[noun]]` table, collecting problems instead of stopping at the first;
    subclasses check their own fields."""

    noun = "item"

    def __init__(
        self,
        position: int,
        table: object,
        base_dir: Path,
        first_position: dict[str, int],
    ) -> None:
        self.position = position
        self.table = table
        self.base_dir = base_dir
        self.first_position = first_position  # slug -> position of its first item, shared
        self.label = f"#{position}"
        self.problems: list[ImportProblem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(ImportProblem(self.label, field, message))

    def _slug(self, table: Mapping[str, Any]) -> str | None:
        value = table.get("slug")
        if value is None:
            self.problem("slug", "is required")
            return None
        if not isinstance(value, str):
            self.problem("slug", "must be a string")
            return None
        slug = value.strip()
        if not SLUG_RE.fullmatch(slug):
            self.problem(
                "slug",
                f"{slug!r} is not a valid slug: use 3 to 48 characters a-z, 0-9 and '-', "
                "starting and ending with a letter or digit",
            )
            return None
        first = self.first_position.get(slug)
        if first is not None:
            self.problem("slug", f"{slug!r} is already used by {self.noun} #{first}")
            return None
        self.first_position[slug] = self.position
        self.label = slug
        return slug
