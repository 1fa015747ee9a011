"""Hypothesis strategies for what people send: texts of arbitrary Unicode up to 10,000
characters, commands with odd arguments, attachments with random names, types and sizes, button
data (real, stale, truncated, garbled, forged, other people's), VK payloads as arbitrary JSON.

Strategies are built once (module constants, or once per `Strategies`) and reused: what depends on
the example (the buttons shown so far, a text to format) is drawn as a plan from a fixed strategy
and applied in plain Python, which keeps drawing cheap next to handling the event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from bot.services.applications import ALLOWED_EXTENSIONS
from tests.property.checks import MARKUP_RE
from tests.property.world import BOT_USERNAME, Entity, FileSpec, Person

# --- texts ----------------------------------------------------------------------------------------

UNICODE = st.characters(codec="utf-8")  # anything a messenger can carry (NUL too; no surrogates)
TRICKY = (
    "<>&\"'/\\;:#@_-.,!?*`~|[](){}%$^"
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # direction marks
    "\x00\x01\x1b\x7f\n\r\t \u00a0\u2028\u2029"
    "😀👩‍💻🇷🇺🏳️‍🌈̶̷"  # emoji, joiners, flags, combining marks
    "ЁёЙйЪъ漢字ﷺ\U0010ffff\U0001d54f"
)
tricky_char = st.sampled_from(TRICKY) | UNICODE
HTML_BITS = [
    "<b>",
    "</b>",
    "<i>x</i>",
    '<a href="https://e.com">l</a>',
    "<a href='javascript:x'>",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&",
    "<",
    ">",
    "&#0;",
    "&#x110000;",
    "&nbsp;",
    "<tg-spoiler>",
    '<span class="tg-spoiler">s</span>',
    '<pre><code class="language-py">',
    "</code></pre>",
    "<script>alert(1)</script>",
    "<b><i>",
    "</b></i>",
    "<blockquote expandable>",
    '<tg-emoji emoji-id="1">👍</tg-emoji>',
    "<br>",
    "<!--",
    "-->",
    "<<>>",
    "</",
    "<u",
]
WORDS = [
    "кофе",
    "маркетолог",
    "бариста",
    "Казань",
    "удалённо",
    "smm",
    "повар",
    "dental",
    "#кофе",
    "latte_art",
    "я",
    "Начать",
    "start",
    " начать ",
    "START",
    "да",
    "нет",
    "0",
    "3",
    "14",
    "-1",
    "99999999999999999999",
    "Бариста-универсал",
]
USEFUL = [
    "https://example.com/my-answer",
    "http://x",
    "https://t.me/c/1/2",
    "https://vk.com/wall-1_2",
    "ftp://old.example.com",
    "25.12.2026 10:00",
    "01.01.2027 09:30",
    "10:00",
    "23:59",
    "31.02.2027 25:61",
    "24.11.2026 09:00",
    "23.11.2025 10:00",
    "Сайт - https://example.com",
    "Сайт - javascript:alert(1)",
    "A — https://e.com\nB | https://f.com",
    "Ссылка — https://e.com/" + "x" * 1100,
    "\n".join(f"Кнопка {n} - https://e.com/{n}" for n in range(8)),
    "Иван, SMM",
    "Иван Петров, Кофейни, лишнее",
    ", ",
    "ABCD-EFGH",
    "abcd efgh",
    "2222-2222",
]
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
tricky_text = st.text(tricky_char, max_size=300)
html_text = st.lists(st.sampled_from(HTML_BITS) | tricky_text | words, max_size=25).map("".join)
long_text = st.builds(
    lambda unit, times: (unit * times)[:10_000],
    st.text(tricky_char, min_size=1, max_size=40) | st.sampled_from(HTML_BITS + WORDS),
    st.integers(1, 10_000),
)
any_text = st.one_of(
    words,
    st.sampled_from(USEFUL),
    tricky_text,
    html_text,
    long_text,
    st.text(UNICODE, max_size=10_000),
)
maybe_text = st.none() | any_text


def safe_name(text: str) -> bool:
    """Profile names may hold < & > but not ready-made markup: a toast that shows markup then
    shows it because the bot escaped something, not because the person typed it."""
    return bool(text.strip()) and MARKUP_RE.search(text) is None


names = st.text(tricky_char, min_size=1, max_size=64).filter(safe_name)
language_codes = st.sampled_from(
    ["ru", "en", None, "de", "pt-br", "EN", "zz", "ru_RU", "", "x" * 9]
)

# --- formatting entities (Telegram) --------------------------------------------------------------

ENTITY_TYPES = [
    "bold",
    "italic",
    "underline",
    "strikethrough",
    "spoiler",
    "code",
    "pre",
    "text_link",
    "url",
    "hashtag",
    "mention",
    "blockquote",
    "expandable_blockquote",
    "custom_emoji",
]
entity_plan = st.lists(
    st.tuples(
        st.floats(0, 1),  # where it starts, as a share of the text
        st.floats(0, 1),  # how much of the rest it covers
        st.sampled_from(ENTITY_TYPES),
        st.sampled_from(["", "https://e.com/?a=1&b=<2>", "http://x.y", "python", 'a"b<c>']),
        st.sampled_from([None, "bold", "italic", "underline"]),  # a second one on the same range
    ),
    max_size=4,
)


def entities(
    text: str, plan: list[tuple[float, float, str, str, str | None]]
) -> tuple[Entity, ...]:
    """Formatting as Telegram sends it: ranges that do not cross (one may wrap the same range)."""
    found: list[Entity] = []
    position = 0
    for start_share, length_share, kind, extra, twin in plan:
        start = position + int((len(text) - position) * start_share)
        end = start + int((len(text) - start) * length_share)
        if end <= start:
            continue
        found.append(Entity(kind, start, end, extra))
        if twin is not None:
            found.append(Entity(twin, start, end))
        position = end
    return tuple(found)


# --- attachments ---------------------------------------------------------------------------------

FILE_KINDS = ["document", "photo", "sticker", "voice", "video", "location", "contact", "audio"]
MIME_TYPES = [
    "application/pdf",
    "image/jpeg",
    "video/mp4",
    "audio/mpeg",
    "application/octet-stream",
    "text/plain",
    "",
    "application/x-msdownload",
]
EXTENSIONS = [*sorted(ALLOWED_EXTENSIONS), "exe", "PDF", "", "tar.gz", "mp4"]


def _file(
    kind: str, ext: str, stem: str, shape: int, size: int | None, mime: str | None
) -> FileSpec:
    name = [None, f"{stem}.{ext}", stem, f".{ext}", f"{stem}.{ext}.exe"][shape]
    return FileSpec(kind, name, ext, mime, size)


attachments = st.builds(
    _file,
    st.sampled_from(FILE_KINDS),
    st.sampled_from(EXTENSIONS),
    st.text(tricky_char, max_size=60),
    st.integers(0, 4),
    st.sampled_from([None, 0, 1, 20 * 1024 * 1024, 20 * 1024 * 1024 + 1, 2**40])
    | st.integers(0, 60 * 1024 * 1024),
    st.sampled_from([None, *MIME_TYPES]) | st.text(tricky_char, max_size=30),
)

# --- button data ----------------------------------------------------------------------------------

ARG_VALUES = ["0", "1", "2", "-1", "999999999", "10" * 9, "9" * 18, "9" * 19, "", "x", "a.b", "_"]
# the edges of what `Action.int_arg` takes (at most 18 digits) and a little beyond
NUMBERS = ["0", "1", "2147483648", "9" * 18, "1" + "0" * 17, "253402300800", "9" * 19, "007"]
arg_value = st.sampled_from(ARG_VALUES) | st.from_regex(r"[A-Za-z0-9_.\-]{0,40}", fullmatch=True)
GARBLINGS = [
    "arg",
    "number",
    "number",
    "number",
    "add",
    "drop",
    "rename",
    "char",
    "truncate",
    "swap",
]


@dataclass(frozen=True, slots=True)
class Garbling:
    how: str
    where: int  # which argument, or which character
    value: str  # a new argument
    number: str  # a new number, for a numeric argument
    char: str  # a character to insert
    name: str  # another action's name


def garble(data: str, g: Garbling) -> str:
    """Real data, damaged the way old clients, forgers and bugs do."""
    name, *args = data.split(":")
    numeric = [i for i, arg in enumerate(args) if arg.isdigit()]
    if g.how == "arg" and args:
        args[g.where % len(args)] = g.value
    elif g.how == "number" and numeric:  # ids, pages, times: the edges of what int_arg takes
        args[numeric[g.where % len(numeric)]] = g.number
    elif g.how == "add":
        args.append(g.value)
    elif g.how == "drop" and args:
        args.pop()
    elif g.how == "rename":
        name = g.name
    elif g.how == "char":
        position = g.where % (len(data) + 1)
        return data[:position] + g.char + data[position:]
    elif g.how == "truncate":
        return data[: g.where % max(len(data), 1)]
    elif g.how == "swap" and len(args) > 1:
        args = args[::-1]
    return ":".join((name, *args))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
junk_data = st.text(tricky_char, max_size=80) | st.none()


@dataclass(frozen=True, slots=True)
class Origin:
    """Where pressed data came from (kept in the step for the failure report)."""

    kind: str
    data: Any


#: how often each origin of pressed data is drawn (where it applies)
PRESS_WEIGHTS = {
    "latest": 10,  # a button of the screen the person looks at
    "own": 4,  # any button shown to them before, the newest first
    "truncated": 1,
    "garbled-latest": 2,  # a button on the screen, its data damaged
    "garbled": 1,
    "others": 1,  # a button shown to somebody else (forwarded, guessed)
    "garbled-others": 1,
    "forged": 1,
    "junk": 1,
}
NEEDS = {
    "latest": "latest",
    "garbled-latest": "latest",
    "own": "own",
    "truncated": "own",
    "garbled": "own",
    "others": "others",
    "garbled-others": "others",
}


@lru_cache(maxsize=8)
def press_kinds(latest: bool, own: bool, others: bool) -> st.SearchStrategy[str]:
    have = {"latest": latest, "own": own, "others": others}
    usable = [
        k for k, n in PRESS_WEIGHTS.items() if have.get(NEEDS.get(k, ""), True) for _ in range(n)
    ]
    return st.sampled_from(usable)


@lru_cache(maxsize=256)
def index(size: int) -> st.SearchStrategy[int]:
    """An index into a list of `size` (shrinks to the first: the newest)."""
    return st.integers(0, size - 1)


VK_SHAPES = ["ours"] * 12 + ["string", "any", "a-any"]
vk_shape = st.sampled_from(VK_SHAPES)
vk_strings = st.integers(0, 4)
vk_extra = st.dictionaries(st.text(max_size=5), json_values, max_size=3)


def vk_payload(
    data: object, how: str, pick: int = 0, value: Any = None, extra: Any = None
) -> object:
    """What a VK callback button press carries: our {"a": data}, or any JSON at all."""
    if how == "ours":
        return {"a": data}
    if how == "string":
        texts = [json.dumps({"a": str(data)}), json.dumps(str(data))[:-1], "{", "", "null"]
        return texts[pick]
    if how == "a-any":
        return {**(extra or {}), "a": value}
    return value


vk_message_payloads = (
    st.none()
    | st.sampled_from(['{"command":"start"}', '{"command":"other"}', "{", '"start"', "[]"])
    | json_values.map(lambda v: json.dumps(v, ensure_ascii=False))
    | st.text(tricky_char, max_size=40)
)

# --- whole steps ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Say:
    text: str | None
    entities: tuple[Entity, ...] = ()
    attachment: FileSpec | None = None
    payload: str | None = None  # VK message payload
    ref: str | None = None  # VK deep link
    ref_source: str | None = None


@dataclass(frozen=True, slots=True)
class Press:
    origin: Origin
    payload: object  # VK: the event payload; Telegram: the callback data
    where: str = "private"  # Telegram: private chat, a group chat, an inline-mode message


@dataclass(frozen=True, slots=True)
class Tick:
    seconds: int


@dataclass(frozen=True, slots=True)
class Step:
    actor: Person
    action: Say | Press | Tick
    first_name: str | None = None  # the person renamed themselves
    language_code: str | None = None
    new_language: bool = False


#: what a step is, with its weight: mostly button presses (the way people move in the bot)
STEP_KINDS = ["press"] * 11 + ["text"] * 4 + ["command"] * 3 + ["file"] * 1 + ["tick"] * 1
step_kind = st.sampled_from(STEP_KINDS)
TICKS = [60, 3600, 20 * 3600, 86400, 3 * 86400, 8 * 86400, 31 * 86400, 400 * 86400]
ticks = st.sampled_from(TICKS)
somebody_else = st.integers(0, 4)  # 4: the event comes from somebody else
one_in_ten = st.integers(0, 9)
one_in_six = st.integers(0, 5)
where = st.sampled_from(["private"] * 8 + ["group", "inline"])
ref_sources = st.none() | tricky_text


class Strategies:
    """The strategies that depend on the template (its ids, invite codes) and the registry."""

    def __init__(
        self,
        commands: list[str],
        action_names: list[str],
        ids: dict[str, list[int]],
        codes: list[str],
        people: list[Person],
    ) -> None:
        vacancy = st.sampled_from(ids["vacancies"]) | st.integers(0, 10**12)
        user = st.sampled_from(ids["users"]) | st.integers(0, 10**6)
        code = codes[0] if codes else "ABCD-EFGH"
        self.deep_link = (
            st.builds(
                lambda v, u, shape: [
                    f"v{v}",
                    f"v{v}-share",
                    f"v{v}-ref_{u}",
                    f"v{v}-hh_ru",
                    f"p{v}",
                    "checklist",
                    f"inv_{code}",
                    "inv_",
                    "v",
                    "p",
                ][shape],
                vacancy,
                user,
                st.integers(0, 9),
            )
            | st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)
            | st.text(tricky_char, max_size=80)
        )
        known = st.sampled_from(commands)
        name = st.one_of(  # mostly commands the bot knows
            known,
            known,
            known,
            known,
            known.map(str.upper),
            st.from_regex(r"[a-z_0-9]{1,40}", fullmatch=True),
            st.text(tricky_char, min_size=1, max_size=20),
        )
        mention = st.sampled_from(
            ["", "", "", f"@{BOT_USERNAME}", "@other_bot", f"@{BOT_USERNAME.upper()}"]
        )
        args = st.one_of(  # mostly none
            st.just(""),
            st.just(""),
            st.just(""),
            self.deep_link,
            st.sampled_from([*codes, "en", "ru", "EN", "de", "ABCD-EFGH"]),
            any_text,
        )
        self.command = st.builds(
            lambda n, m, sep, a: f"/{n}{m}" + (sep + a if a else ""),
            name,
            mention,
            st.sampled_from([" ", "  ", "\n", "\t"]),
            args,
        )
        self.text = any_text | st.sampled_from(codes or ["ABCD-EFGH"])
        self.others = {who: st.sampled_from([p for p in people if p != who]) for who in people}
        self.garbling = st.builds(
            Garbling,
            st.sampled_from(GARBLINGS),
            st.integers(0, 200),
            arg_value,
            st.sampled_from(NUMBERS),
            tricky_char,
            st.sampled_from(action_names),
        )
        self.forged = st.builds(
            lambda n, a: ":".join((n, *a)),
            st.sampled_from(action_names) | st.from_regex(r"[a-z][a-z0-9_.]{0,31}", fullmatch=True),
            st.lists(arg_value, max_size=4),
        )
