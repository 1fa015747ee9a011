"""Translator over Fluent `.ftl` files in `locales/<lang>/`.

Locale texts are trusted HTML (Telegram's subset); every variable passed in is HTML-escaped, so a
user named `<b>A & B</b>` is shown literally and never breaks the markup.
"""

from __future__ import annotations

import html
import logging
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax.ast import Junk

log = logging.getLogger(__name__)
RECENT_TEXTS = 4096


class Markup(str):
    """A string that is already safe HTML (built from locale texts); it is not escaped again."""

    __slots__ = ()


def _escape(value: Any) -> Any:
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, bool):
        return html.escape(str(value))
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return html.escape(str(value), quote=False)


class Translator:
    def __init__(
        self, bundles: Mapping[str, FluentBundle], keys: Mapping[str, set[str]], default: str
    ):
        if default not in bundles:
            raise ValueError(f"no locale files for the default locale {default!r}")
        self._bundles = dict(bundles)
        self._keys = {lang: frozenset(ids) for lang, ids in keys.items()}
        self.default = default
        self._static: dict[tuple[str, str], Markup] = {}  # texts without variables
        self._recent: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()

    @classmethod
    def load(cls, default: str = "ru", directory: Path | None = None) -> Translator:
        root: Traversable = directory if directory is not None else resources.files("locales")
        bundles: dict[str, FluentBundle] = {}
        keys: dict[str, set[str]] = {}
        for lang_dir in sorted(root.iterdir(), key=lambda p: p.name):
            if not lang_dir.is_dir() or lang_dir.name.startswith(("_", ".")):
                continue
            bundle = FluentBundle([lang_dir.name], use_isolating=False)
            ids: set[str] = set()
            for ftl in sorted(lang_dir.iterdir(), key=lambda p: p.name):
                if not ftl.name.endswith(".ftl"):
                    continue
                resource = FluentResource(ftl.read_text(encoding="utf-8"))
                junk = [entry for entry in resource.body if isinstance(entry, Junk)]
                if junk:  # what the parser could not read
                    raise ValueError(
                        f"{lang_dir.name}/{ftl.name}: cannot parse {junk[0].content!r}"
                    )
                ids.update(entry.id.name for entry in resource.body if hasattr(entry, "id"))
                bundle.add_resource(resource)
            bundles[lang_dir.name] = bundle
            keys[lang_dir.name] = ids
        return cls(bundles, keys, default)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(sorted(self._bundles))

    def keys(self, locale: str) -> frozenset[str]:
        return self._keys.get(locale, frozenset())

    def has(self, locale: str, key: str) -> bool:
        return key in self.keys(locale)

    def resolve_locale(self, code: str | None) -> str:
        """Map a client language code (`en-US`, `ru`, None) to a supported locale."""
        if code:
            base = code.replace("_", "-").split("-")[0].lower()
            if base in self._bundles:
                return base
        return self.default

    def __call__(self, locale: str, key: str, **args: Any) -> Markup:
        if args:
            return self._format_cached(locale, key, args)
        text = self._static.get((locale, key))
        if text is None:
            text = self._format(locale, key, args)
            if len(self._static) < 100_000:  # keys are few; unknown locales are not
                self._static[(locale, key)] = text
        return text

    def _format_cached(self, locale: str, key: str, args: dict[str, Any]) -> Markup:
        """Texts with variables repeat too (progress counts, titles): the last few thousand
        are kept, keyed by their arguments (and whether each is already markup)."""
        try:
            cache_key = (
                locale,
                key,
                tuple((name, value, type(value)) for name, value in args.items()),
            )
            hash(cache_key)
        except TypeError:  # an unhashable argument: format it every time
            return self._format(locale, key, args)
        text = self._recent.get(cache_key)
        if text is None:
            text = self._format(locale, key, args)
            self._recent[cache_key] = text
            if len(self._recent) > RECENT_TEXTS:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(cache_key)
        return text

    def _format(self, locale: str, key: str, args: dict[str, Any]) -> Markup:
        for lang in (locale, self.default):
            bundle = self._bundles.get(lang)
            if bundle is None or not bundle.has_message(key):
                continue
            message = bundle.get_message(key)
            if message.value is None:
                continue
            text, errors = bundle.format_pattern(
                message.value, {name: _escape(value) for name, value in args.items()}
            )
            for error in errors:
                log.warning("locale %s key %s: %s", lang, key, error)
            return Markup(text)
        log.warning("missing locale key %s (%s)", key, locale)
        return Markup(html.escape(key))
