from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import Markup, Translator

LOCALES = Path(__file__).resolve().parents[2] / "locales"
_VAR_RE = re.compile(r"\{\s*\$([a-zA-Z0-9_-]+)")


def _messages(lang: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for ftl in sorted((LOCALES / lang).glob("*.ftl")):
        current = None
        for line in ftl.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s?(.*)$", line)
            if match:
                current = match.group(1)
                messages[current] = match.group(2)
            elif current and line.startswith((" ", "\t")):
                messages[current] += "\n" + line
            elif not line.strip() or line.startswith("#"):
                current = None
    return messages


def test_ru_and_en_have_the_same_keys() -> None:
    tr = Translator.load()
    assert set(tr.locales) == {"ru", "en"}
    assert tr.keys("ru") == tr.keys("en")
    assert len(tr.keys("ru")) > 20


def test_ru_and_en_use_the_same_variables() -> None:
    ru, en = _messages("ru"), _messages("en")
    assert ru.keys() == en.keys()
    for key in ru:
        assert set(_VAR_RE.findall(ru[key])) == set(_VAR_RE.findall(en[key])), key


def test_every_variable_is_html_escaped() -> None:
    tr = Translator.load()
    text = tr("en", "welcome", name="<b>A & B</b>")
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in text
    assert "<b>A" not in text


def test_markup_is_not_escaped_twice() -> None:
    tr = Translator.load()
    assert "<i>x</i>" in tr("en", "welcome", name=Markup("<i>x</i>"))


def test_missing_key_falls_back_to_default_then_to_the_key() -> None:
    tr = Translator.load("ru")
    assert tr("de", "menu-help") == tr("ru", "menu-help")
    assert tr("en", "no-such-key") == "no-such-key"


@pytest.mark.parametrize(
    ("code", "expected"), [("en-US", "en"), ("en", "en"), ("ru", "ru"), ("de", "ru"), (None, "ru")]
)
def test_resolve_locale(code: str | None, expected: str) -> None:
    assert Translator.load("ru").resolve_locale(code) == expected


def test_locale_texts_are_valid_telegram_html() -> None:
    allowed = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}
    for lang in ("ru", "en"):
        for key, text in _messages(lang).items():
            for tag in re.findall(r"</?([a-zA-Z-]+)", text):
                assert tag in allowed, (lang, key, tag)
            assert text.count("<b>") == text.count("</b>"), (lang, key)


def test_a_locale_file_that_does_not_parse_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "main.ftl").write_text("hello = Привет\nbroken = { $\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape("ru/main.ftl: cannot parse")):
        Translator.load("ru", tmp_path)
