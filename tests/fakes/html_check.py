"""Telegram ``parse_mode=HTML`` parser, strict enough to catch what Telegram rejects.

:func:`parse_html` turns Telegram-flavoured HTML into the visible text plus a list of
message entities (offsets/lengths in UTF-16 code units, as Telegram reports them) and
raises :class:`HtmlParseError` with a Telegram-like description for malformed input:
unknown tags, unclosed or misnested tags, a bare ``<`` and (by default) a ``&`` that
does not start one of ``&lt; &gt; &amp; &quot; &#NN; &#xHH;``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HtmlParseError", "check_html", "parse_html", "utf16_len"]

#: Supported tags and the entity type each one produces.
_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_TEXT_RUN = re.compile(r"[^<&]+")
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_ATTR = re.compile(
    r"""\s+([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""",
)
_TAG_CLOSE = re.compile(r"\s*/?>")
_ENTITY = re.compile(r"&(?:([a-zA-Z]+)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,7}));")


class HtmlParseError(ValueError):
    """Malformed HTML; ``str(err)`` is the part after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    start: int
    byte_offset: int
    attrs: dict[str, str] = field(default_factory=dict)
    language: str | None = None


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(match: re.Match[str]) -> str | None:
    name, dec, hexa = match.group(1), match.group(2), match.group(3)
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    code = int(dec) if dec is not None else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _unescape_attr(value: str) -> str:
    def repl(m: re.Match[str]) -> str:
        decoded = _decode_entity(m)
        return m.group(0) if decoded is None else decoded

    return _ENTITY.sub(repl, value)


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML; return ``(plain_text, entities)`` or raise HtmlParseError.

    With ``strict_ampersand=False`` a ``&`` that does not start a supported entity is
    kept literally (this is what the real Bot API does); the default rejects it.
    """
    out: list[str] = []
    pos = 0  # UTF-16 offset in the output
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(text)

    def emit(chunk: str) -> None:
        nonlocal pos
        out.append(chunk)
        pos += utf16_len(chunk)

    while i < n:
        run = _TEXT_RUN.match(text, i)
        if run is not None:
            emit(run.group(0))
            i = run.end()
            continue
        ch = text[i]
        offset = _byte_offset(text, i)
        if ch == "&":
            m = _ENTITY.match(text, i)
            decoded = _decode_entity(m) if m is not None else None
            if m is not None and decoded is not None:
                emit(decoded)
                i = m.end()
                continue
            if strict_ampersand:
                raise HtmlParseError(
                    f"Unsupported HTML entity or bare '&' at byte offset {offset}; "
                    "use &amp;, &lt;, &gt;, &quot; or &#NN;"
                )
            emit("&")
            i += 1
            continue
        # ch == "<"
        if text.startswith("</", i):
            m_end = _END_TAG.match(text, i)
            if m_end is None:
                raise HtmlParseError(f"Unclosed end tag at byte offset {offset}")
            name = m_end.group(1).lower()
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {offset}")
            top = stack.pop()
            if top.tag != name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {offset}, expected "</{top.tag}>", '
                    f'found "</{name}>"'
                )
            _close(top, stack, pos, entities)
            i = m_end.end()
            continue
        m_name = _TAG_NAME.match(text, i + 1)
        if m_name is None:
            raise HtmlParseError(f'Unsupported start tag "" at byte offset {offset}')
        name = m_name.group(0).lower()
        if name not in _TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        j = m_name.end()
        attrs: dict[str, str] = {}
        while True:
            m_attr = _ATTR.match(text, j)
            if m_attr is None:
                break
            raw = next((g for g in m_attr.group(2, 3, 4) if g is not None), "")
            attrs[m_attr.group(1).lower()] = _unescape_attr(raw)
            j = m_attr.end()
        m_close = _TAG_CLOSE.match(text, j)
        if m_close is None:
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Unsupported start tag "span" at byte offset {offset}')
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            raise HtmlParseError(
                f'Custom emoji entity must have "emoji-id" attribute at byte offset {offset}'
            )
        if (
            name in {"code", "pre"}
            and stack
            and stack[-1].tag in {"code", "pre"}
            and not (name == "code" and stack[-1].tag == "pre")
        ):
            raise HtmlParseError(
                f'Tag "{name}" can\'t be nested in "{stack[-1].tag}" at byte offset {offset}'
            )
        opened = _Open(tag=name, start=pos, byte_offset=offset, attrs=attrs)
        stack.append(opened)
        i = m_close.end()

    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close(top: _Open, stack: list[_Open], pos: int, entities: list[dict[str, Any]]) -> None:
    length = pos - top.start
    kind = _TAGS[top.tag]
    if top.tag == "code":
        cls = top.attrs.get("class", "")
        if stack and stack[-1].tag == "pre" and cls.startswith("language-"):
            stack[-1].language = cls[len("language-") :]
            return
    if length <= 0:
        return
    entity: dict[str, Any] = {"type": kind, "offset": top.start, "length": length}
    if top.tag == "a":
        href = top.attrs.get("href")
        if not href:
            return
        entity["url"] = href
    elif top.tag == "pre" and top.language:
        entity["language"] = top.language
    elif top.tag == "blockquote" and "expandable" in top.attrs:
        entity["type"] = "expandable_blockquote"
    elif top.tag == "tg-emoji":
        entity["custom_emoji_id"] = top.attrs["emoji-id"]
    entities.append(entity)


def check_html(text: str, *, strict_ampersand: bool = True) -> str | None:
    """Return the Telegram error description for ``text`` or None when it is valid."""
    try:
        parse_html(text, strict_ampersand=strict_ampersand)
    except HtmlParseError as exc:
        return f"Bad Request: can't parse entities: {exc}"
    return None
