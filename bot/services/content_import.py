"""The employees' content library from a human-editable TOML file: parse and validate only.

The admin command `python -m bot import-content PATH` calls `load_posts(PATH)` and upserts the
returned drafts by slug. The rules are the vacancy import's (`bot.services.vacancy_import`): a file
with any problem is rejected whole, and `ContentImportError` lists every problem found in every
post, so the admin can fix them all in one go. Problems are `ImportProblem`s whose `vacancy` field
names the post: its slug when usable, `#N` (1-based position in the file) otherwise, `-` for the
whole file.

File shape (see `examples/content.toml` for a full sample)::

    [[post]]
    slug = "coffee-latte-art-masterclass"  # a-z, 0-9 and '-', 3..48 chars, unique in the file
    category = "culture"          # announcements | products | expertise | recruiting | culture
    title = "Мастер-класс по латте-арту"   # 3..120 chars
    variants = [                  # 1..5 different wordings of the caption, 20..1500 chars each
      \"\"\"...\"\"\",
      \"\"\"...\"\"\",
    ]
    media = "media/latte.png"     # optional: png, jpg, jpeg, webp (photo) or pdf (document),
                                  # relative to the folder of the import file, up to 10 MB
    link = "https://example.com"  # optional, http or https
    platforms = ["tg", "vk"]      # optional, default both
    valid_from = 2026-11-01       # optional TOML date or date-time; dates start at 00:00 UTC,
    valid_until = 2027-03-01      # date-times without an offset are read as UTC
    vacancy = "barista-moscow"    # optional, recruiting posts only: the vacancy's slug

Variants are plain text: no HTML. Hashtags inside them are allowed but not needed: the bot adds
the company hashtag when an employee shares the post. Whether a named vacancy exists is checked
by the import command against the database, not here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.domain.advocacy import CATEGORIES, PLATFORMS, PostDraft
from bot.services.import_file import (
    SLUG_RE,
    ImportFileError,
    ImportProblem,
    ItemChecker,
    clean_text,
    read_text,
    tables,
    unknown_key_message,
)
from bot.services.vacancy_import import MAX_TITLE, MIN_TITLE

__all__ = [
    "MAX_MEDIA_BYTES",
    "MAX_VARIANT",
    "MAX_VARIANTS",
    "MEDIA_KINDS",
    "MIN_VARIANT",
    "ContentImportError",
    "ImportProblem",
    "load_posts",
    "parse_posts",
]

RECRUITING = "recruiting"
MIN_VARIANTS = 1
MAX_VARIANTS = 5
MIN_VARIANT = 20
MAX_VARIANT = 1500
MAX_LINK = 500
MAX_MEDIA_BYTES = 10 * 1024 * 1024
MEDIA_KINDS: Mapping[str, str] = {
    "png": "photo",
    "jpg": "photo",
    "jpeg": "photo",
    "webp": "photo",
    "pdf": "document",
}

_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")
_POST_KEYS: tuple[str, ...] = (
    "slug",
    "category",
    "title",
    "variants",
    "media",
    "link",
    "platforms",
    "valid_from",
    "valid_until",
    "vacancy",
)
_DATE_HINT = "e.g. 2026-11-01 or 2026-11-01T09:00:00+03:00, without quotes"


class ContentImportError(ImportFileError):
    """The content file was rejected; `problems` lists everything that is wrong with it."""


def load_posts(path: Path) -> list[PostDraft]:
    """Read, parse and validate a content file; drafts come back in file order.

    Raises `ContentImportError` listing every problem when anything is wrong (nothing is returned
    then). Media files are resolved against the folder of `path`.
    """
    path = Path(path)
    text = read_text(path, ContentImportError)
    return parse_posts(text, base_dir=path.resolve().parent)


def parse_posts(text: str, base_dir: Path) -> list[PostDraft]:
    """Parse the TOML text of a content file; relative media paths resolve against `base_dir`."""
    found, problems = tables(text, "post", "posts", ContentImportError)

    drafts: list[PostDraft] = []
    first_position: dict[str, int] = {}
    base = Path(base_dir)
    for position, table in enumerate(found, start=1):
        checker = _PostChecker(position, table, base, first_position)
        draft = checker.check()
        problems.extend(checker.problems)
        if draft is not None:
            drafts.append(draft)

    if problems:
        raise ContentImportError(problems)
    return drafts


class _PostChecker(ItemChecker):
    """Validates one `[[post]]` table, collecting problems instead of stopping at the first."""

    noun = "post"

    def check(self) -> PostDraft | None:
        table = self.table
        if not isinstance(table, Mapping):
            self.problem("post", "must be a [[post]] table")
            return None

        slug = self._slug(table)
        for key in table:
            if key not in _POST_KEYS:
                self.problem(key, unknown_key_message(key, _POST_KEYS))

        category = self._category(table)
        title = self._title(table)
        variants = self._variants(table)
        media, media_kind = self._media(table.get("media"))
        link = self._link(table.get("link"))
        platforms = self._platforms(table)
        valid_from = self._moment(table, "valid_from")
        valid_until = self._moment(table, "valid_until")
        if valid_from is not None and valid_until is not None and valid_until <= valid_from:
            self.problem(
                "valid_until",
                f"must be after valid_from ({valid_from.isoformat()}); "
                f"it is {valid_until.isoformat()}",
            )
        vacancy = self._vacancy(table.get("vacancy"), category)

        if self.problems or slug is None or category is None:
            return None
        return PostDraft(
            slug=slug,
            category=category,
            title=title,
            variants=variants,
            media_path=str(media) if media else "",
            media_kind=media_kind,
            link=link,
            platforms=platforms,
            valid_from=valid_from,
            valid_until=valid_until,
            vacancy_slug=vacancy,
        )

    # -- fields ---------------------------------------------------------------------------------

    def _category(self, table: Mapping[str, Any]) -> str | None:
        value = table.get("category")
        if value is None:
            self.problem("category", f"is required: one of {', '.join(CATEGORIES)}")
            return None
        if not isinstance(value, str) or value.strip().lower() not in CATEGORIES:
            shown = value if isinstance(value, str) else type(value).__name__
            self.problem(
                "category", f"{shown!r} is not allowed: use one of {', '.join(CATEGORIES)}"
            )
            return None
        return value.strip().lower()

    def _title(self, table: Mapping[str, Any]) -> str:
        value = table.get("title")
        if value is None:
            self.problem("title", "is required")
            return ""
        if not isinstance(value, str):
            self.problem("title", "must be a string")
            return ""
        title = " ".join(value.split())  # a title is one line
        if not title:
            self.problem("title", "is required and must not be empty")
        elif len(title) > MAX_TITLE:
            self.problem("title", f"must be at most {MAX_TITLE} characters (it has {len(title)})")
        elif len(title) < MIN_TITLE:
            self.problem("title", f"must be at least {MIN_TITLE} characters")
        return title

    def _variants(self, table: Mapping[str, Any]) -> tuple[str, ...]:
        value = table.get("variants")
        if value is None:
            self.problem("variants", "is required: a list of 1 to 5 wordings of the post")
            return ()
        if isinstance(value, str):
            self.problem("variants", 'must be a list of texts, e.g. ["""...""", """..."""]')
            return ()
        if not isinstance(value, list):
            self.problem("variants", "must be a list of texts")
            return ()
        if not MIN_VARIANTS <= len(value) <= MAX_VARIANTS:
            self.problem(
                "variants",
                f"must have {MIN_VARIANTS} to {MAX_VARIANTS} wordings (there are {len(value)})",
            )
            if not value:
                return ()
        variants: list[str] = []
        seen: dict[str, int] = {}
        for number, item in enumerate(value, start=1):
            field = f"variants[{number}]"
            if not isinstance(item, str):
                self.problem(field, "must be a string")
                continue
            text = clean_text(item)
            if len(text) < MIN_VARIANT:
                self.problem(
                    field, f"must be at least {MIN_VARIANT} characters (it has {len(text)})"
                )
            elif len(text) > MAX_VARIANT:
                self.problem(
                    field, f"must be at most {MAX_VARIANT} characters (it has {len(text)})"
                )
            tag = _HTML_TAG_RE.search(text)
            if tag:
                self.problem(
                    field, f"must be plain text: HTML such as {tag.group(0)!r} is shown as is"
                )
            if text in seen:
                self.problem(
                    field, f"repeats variant {seen[text]}: colleagues need different texts"
                )
            else:
                seen[text] = number
            variants.append(text)
        return tuple(variants)

    def _media(self, value: object) -> tuple[Path | None, str]:
        field = "media"
        if value is None:
            return None, ""
        if not isinstance(value, str):
            self.problem(field, "must be a string: a path relative to the import file's folder")
            return None, ""
        if not value.strip():
            return None, ""
        path = (self.base_dir / value.strip()).resolve()
        extension = path.suffix.lower().lstrip(".")
        kind = MEDIA_KINDS.get(extension)
        if kind is None:
            shown = f".{extension}" if extension else "no extension"
            allowed = ", ".join(MEDIA_KINDS)
            self.problem(field, f"{shown} is not allowed; use one of: {allowed}")
            return None, ""
        if not path.exists():
            self.problem(field, f"file not found: {path}")
            return None, ""
        if not path.is_file():
            self.problem(field, f"is not a file: {path}")
            return None, ""
        try:
            size = path.stat().st_size
        except OSError as exc:
            self.problem(field, f"cannot read {path}: {exc.strerror or type(exc).__name__}")
            return None, ""
        if size == 0:
            self.problem(field, f"is empty: {path}")
            return None, ""
        if size > MAX_MEDIA_BYTES:
            limit_mb = MAX_MEDIA_BYTES // (1024 * 1024)
            self.problem(field, f"is {size / 1024 / 1024:.1f} MB; the limit is {limit_mb} MB")
            return None, ""
        return path, kind

    def _link(self, value: object) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem("link", "must be a string: an http or https address")
            return ""
        link = value.strip()
        if not link:
            return ""
        try:
            parts = urlsplit(link)
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
            or any(char.isspace() for char in link)
        ):
            self.problem("link", f"{link!r} is not an http(s) address like https://example.com/…")
            return ""
        if len(link) > MAX_LINK:
            self.problem("link", f"must be at most {MAX_LINK} characters (it has {len(link)})")
            return ""
        return link

    def _platforms(self, table: Mapping[str, Any]) -> tuple[str, ...]:
        value = table.get("platforms")
        if value is None:
            return PLATFORMS
        if not isinstance(value, list):
            self.problem(
                "platforms", f'must be a list, e.g. ["tg", "vk"]; allowed: {", ".join(PLATFORMS)}'
            )
            return PLATFORMS
        chosen: set[str] = set()
        for item in value:
            name = item.strip().lower() if isinstance(item, str) else None
            if name not in PLATFORMS:
                self.problem("platforms", f"{item!r} is not allowed: use {', '.join(PLATFORMS)}")
            else:
                chosen.add(name)
        if not value:
            self.problem("platforms", f"must name at least one of {', '.join(PLATFORMS)}")
        return tuple(platform for platform in PLATFORMS if platform in chosen)

    def _moment(self, table: Mapping[str, Any], field: str) -> datetime | None:
        value = table.get(field)
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=UTC)
            return value.astimezone(UTC)
        if isinstance(value, date):
            return datetime.combine(value, time.min, tzinfo=UTC)
        if isinstance(value, time):
            self.problem(field, f"needs a date, not only a time of day: {_DATE_HINT}")
        elif isinstance(value, str):
            self.problem(field, f"{value!r} is text: write a TOML date, {_DATE_HINT}")
        else:
            self.problem(field, f"must be a TOML date or date-time, {_DATE_HINT}")
        return None

    def _vacancy(self, value: object, category: str | None) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem("vacancy", "must be a string: the slug of a vacancy")
            return ""
        slug = value.strip()
        if not SLUG_RE.fullmatch(slug):
            self.problem("vacancy", f"{slug!r} is not a valid vacancy slug")
            return ""
        if category is not None and category != RECRUITING:
            self.problem(
                "vacancy",
                f"only recruiting posts can name a vacancy; this post's category is {category!r}",
            )
            return ""
        return slug
