"""Every request to the stand-in servers, checked against the official API specifications.

The specifications are the machine-readable copies in ``shared/api-spec/`` next to this
repository (``/work/shared/api-spec`` seen from ``/work/main``; CI puts a copy of ``shared/``
beside its fresh clone): the Telegram Bot API (``telegram/api.min.json``) and the VK API schema
(``vk/<section>/methods.json`` and ``objects.json``).  They are read, never copied or edited.

:class:`TelegramSpec` and :class:`VkSpec` answer one question for a request: which
violations (:class:`Violation`) does it commit?  The method must exist, every parameter must
be known, the required ones present, every value of the stated type (recursively for objects
such as ``reply_markup`` or the VK ``keyboard``), enumerations respected, and the limits the
specifications state kept: Telegram's lengths in characters or bytes given in the field
descriptions (texts and captions measured after entity parsing), VK's ``maxLength`` /
``minimum`` / ``maxItems`` and the keyboard limits of the VK documentation.

Values arrive as the servers decode them: a form field is a string (an Integer is a digit
string, an object or array a JSON string), a JSON body keeps JSON types (an Integer must be a
number, an object an object).  Nested JSON is always checked with JSON types.

The VK schema lags the VK documentation in a few places; :data:`VK_ALLOWED` lists exactly the
cases accepted on the strength of the documentation, each with its reason.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tests.fakes.html_check import HtmlParseError, parse_html

__all__ = [
    "SPEC_DIR",
    "VK_ALLOWED",
    "SpecMissingError",
    "TelegramSpec",
    "Violation",
    "VkSpec",
    "format_violations",
    "telegram_spec",
    "vk_spec",
]

#: ``shared/api-spec`` beside the repository: /work/shared/api-spec seen from /work/main.
SPEC_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "api-spec"

TELEGRAM = "Telegram Bot API"
VK = "VK API"


class SpecMissingError(RuntimeError):
    """The specification files are not where the checks expect them."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a request breaks the specification.

    ``field`` is a path into the request (``reply_markup.inline_keyboard[0][1].callback_data``),
    empty when the method itself is unknown.  ``kind`` is one of ``unknown_method``,
    ``unknown_field``, ``missing``, ``type``, ``enum``, ``limit``, ``rule``.  ``call`` is the
    index of the offending request in the fake's ``calls``, when a fake recorded it.
    """

    api: str
    method: str
    field: str
    value: Any
    reason: str
    kind: str
    call: int | None = None

    @property
    def short_value(self) -> str:
        return _short(self.value)

    def __str__(self) -> str:
        where = f"{self.method}.{self.field}" if self.field else self.method
        call = f" (call #{self.call})" if self.call is not None else ""
        return f"{self.api} {where} = {self.short_value}: {self.reason}{call}"


def format_violations(violations: Iterable[Violation]) -> str:
    return "\n".join(f"  {v}" for v in violations)


def _short(value: Any, width: int = 100) -> str:
    text = repr(value)
    if len(text) <= width:
        return text
    size = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return text[: width - 3] + "..." + size


def _load_json(path: Path) -> Any:
    if not path.is_file():
        raise SpecMissingError(
            f"the official API specification {path} is missing: the stand-in servers check every "
            f"request against {SPEC_DIR} (shared/api-spec beside the repository; see its "
            "README.md). Put a copy of shared/ next to the clone."
        )
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


_INT_RE = re.compile(r"-?\d+")


def _is_json_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_json_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# ====================================================================== Telegram

#: Telegram's "formatting options" section (not in the machine-readable file) names these.
PARSE_MODES = frozenset({"HTML", "MarkdownV2", "Markdown"})

_LENGTH_RE = re.compile(r"\b(\d+)-(\d+) (characters|bytes)\b")
_CONST_RE = re.compile(r"\bmust be ([a-z_]+)$")
_ENUM_TRIGGER_RE = re.compile(
    r"(?:[Mm]ust be one of|[Mm]ust be either|[Cc]urrently,? (?:it )?can be(?: one of)?|"
    r"[Cc]urrently,? (?:must be )?one of|\b[Oo]ne of)\s*(?=\")"
)
_SENTENCE_END_RE = re.compile(r"\.(?:\s|$)")
_QUOTED_RE = re.compile(r'"([^"]*)"')
_CHOOSE_ONE_RE = re.compile(r"Choose one, depending on what the user is about to receive: (.*)")
_ACTION_WORD_RE = re.compile(r"\b([a-z]+(?:_[a-z]+)*) (?:for|or) ")
_REQUIRED_UNLESS_RE = re.compile(r"^Required if (\w+) (?:is|are) not specified")
_EXACTLY_OTHER_RE = re.compile(r"(Exactly|At most) one of the fields other than (.+?) must be used")
_EXACTLY_NAMED_RE = re.compile(r"Exactly one of the fields (\w+) or (\w+) must be used")
_EXACTLY_OPTIONAL_RE = re.compile(r"must use exactly one of the optional fields")
_STRING_INSTEAD_RE = re.compile(r"String can be used instead of this object")
_SEE_UPDATE_RE = re.compile(r"See Update for a complete list of available update types")


@dataclass(frozen=True, slots=True)
class _TgField:
    name: str
    types: tuple[str, ...]
    required: bool
    enum: frozenset[str] | None = None
    item_enum: frozenset[str] | None = None
    #: (lowest, highest, "characters" | "bytes")
    length: tuple[int, int, str] | None = None
    #: the sibling whose value says how to parse this text before measuring it
    parse_mode_field: str | None = None
    required_unless: str | None = None


@dataclass(frozen=True, slots=True)
class _TgObject:
    name: str
    fields: dict[str, _TgField]
    subtypes: tuple[str, ...] = ()
    #: (fields, exactly): exactly / at most one of these fields may be used
    one_of: tuple[frozenset[str], bool] | None = None
    string_ok: bool = False
    required: frozenset[str] = frozenset()


def _quoted_enum(description: str) -> frozenset[str] | None:
    match = _ENUM_TRIGGER_RE.search(description)
    if match is None:
        return None
    rest = description[match.end() :]
    end = _SENTENCE_END_RE.search(rest)
    values = _QUOTED_RE.findall(rest[: end.start()] if end else rest)
    return frozenset(values) or None


def _tg_field(raw: Mapping[str, Any], siblings: set[str], update_types: frozenset[str]) -> _TgField:
    name = str(raw["name"])
    description = str(raw.get("description") or "")
    types = tuple(str(t) for t in raw["types"])
    enum: frozenset[str] | None = None
    item_enum: frozenset[str] | None = None
    if name == "parse_mode" or name.endswith("_parse_mode"):
        enum = PARSE_MODES
    elif types == ("String",):
        const = _CONST_RE.search(description)
        enum = frozenset({const.group(1)}) if const is not None else _quoted_enum(description)
        choose = _CHOOSE_ONE_RE.search(description)
        if choose is not None:
            enum = frozenset(_ACTION_WORD_RE.findall(choose.group(1) + " "))
    elif types == ("Array of String",) and _SEE_UPDATE_RE.search(description):
        item_enum = update_types
    length: tuple[int, int, str] | None = None
    limit = _LENGTH_RE.search(description)
    if limit is not None and "String" in types:
        length = (int(limit.group(1)), int(limit.group(2)), limit.group(3))
    parse_mode_field: str | None = None
    sibling = "quote_parse_mode" if name == "quote" else "parse_mode"
    if (
        length is not None
        and length[2] == "characters"
        and sibling in siblings
        and (
            name in {"text", "caption", "message_text", "quote"} or "after entities" in description
        )
    ):
        parse_mode_field = sibling
    unless = _REQUIRED_UNLESS_RE.search(description)
    return _TgField(
        name=name,
        types=types,
        required=bool(raw.get("required")),
        enum=enum,
        item_enum=item_enum,
        length=length,
        parse_mode_field=parse_mode_field,
        required_unless=unless.group(1) if unless and unless.group(1) in siblings else None,
    )


def _tg_object(raw: Mapping[str, Any], update_types: frozenset[str]) -> _TgObject:
    raw_fields = list(raw.get("fields") or [])
    names = {str(f["name"]) for f in raw_fields}
    fields = {str(f["name"]): _tg_field(f, names, update_types) for f in raw_fields}
    description = " ".join(str(s) for s in raw.get("description") or [])
    one_of: tuple[frozenset[str], bool] | None = None
    other = _EXACTLY_OTHER_RE.search(description)
    named = _EXACTLY_NAMED_RE.search(description)
    if other is not None:
        excluded = {n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", other.group(2))}
        one_of = (frozenset(names - excluded), other.group(1) == "Exactly")
    elif named is not None:
        one_of = (frozenset({named.group(1), named.group(2)}), True)
    elif _EXACTLY_OPTIONAL_RE.search(description):
        one_of = (frozenset(n for n, f in fields.items() if not f.required), True)
    return _TgObject(
        name=str(raw["name"]),
        fields=fields,
        subtypes=tuple(str(s) for s in raw.get("subtypes") or ()),
        one_of=one_of,
        string_ok=bool(_STRING_INSTEAD_RE.search(description)),
        required=frozenset(n for n, f in fields.items() if f.required),
    )


_HTML_TAG_RE = re.compile(r"<[^>]*>")


def _markdown_plain(text: str, *, v2: bool) -> str:
    """The visible text of a Markdown / MarkdownV2 message, near enough to measure it: link
    targets, markers and escaping backslashes do not count."""
    text = re.sub(r"!?\[((?:[^\]\\]|\\.)*)\]\((?:[^)\\]|\\.)*\)", r"\1", text)
    text = re.sub(r"```[^\n`]*\n?", "", text)
    if v2:
        return re.sub(r"\\(.)|\|\||__|[*_~`]|^>|\n>", lambda m: m.group(1) or "", text)
    return re.sub(r"\\(.)|[*_`]", lambda m: m.group(1) or "", text)


def visible_text(text: str, parse_mode: Any) -> str | None:
    """What Telegram shows of ``text`` under ``parse_mode`` (None when it does not parse: the
    stand-in server answers that itself with "can't parse entities")."""
    if parse_mode == "HTML":
        try:
            return parse_html(text, strict_ampersand=False)[0]
        except HtmlParseError:
            return None
    if parse_mode in ("MarkdownV2", "Markdown"):
        return _markdown_plain(text, v2=parse_mode == "MarkdownV2")
    return text


class _TgRun:
    """The state of one check: where violations go and what the request carried."""

    def __init__(self, spec: TelegramSpec, method: str, files: Mapping[str, Any]) -> None:
        self.spec = spec
        self.method = method
        self.files = files
        self.violations: list[Violation] = []

    def add(self, path: str, value: Any, reason: str, kind: str) -> None:
        self.violations.append(Violation(TELEGRAM, self.method, path, value, reason, kind))


class TelegramSpec:
    """The Telegram Bot API specification (``telegram/api.min.json``)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version = str(data.get("version") or "")
        raw_types: Mapping[str, Any] = data["types"]
        update = raw_types.get("Update") or {}
        update_types = frozenset(
            str(f["name"]) for f in update.get("fields") or [] if f["name"] != "update_id"
        )
        self.types = {name: _tg_object(raw, update_types) for name, raw in raw_types.items()}
        self.methods = {
            name: _tg_object(raw, update_types) for name, raw in data["methods"].items()
        }
        self._by_lower = {name.lower(): name for name in self.methods}

    def method_name(self, method: str) -> str | None:
        """The specification's spelling of ``method`` (method names are case-insensitive)."""
        return self._by_lower.get(method.lower())

    def check(
        self,
        method: str,
        json_params: Mapping[str, Any],
        form_params: Mapping[str, str],
        files: Mapping[str, Any],
    ) -> list[Violation]:
        """Violations of one request: ``json_params`` came as a JSON body (JSON types),
        ``form_params`` as query or form fields (strings), ``files`` as multipart file parts
        (referenced as ``attach://<name>`` or named after the parameter)."""
        name = self.method_name(method)
        if name is None:
            return [Violation(TELEGRAM, method, "", None, "no such method", "unknown_method")]
        run = _TgRun(self, name, files)
        spec = self.methods[name]
        values: dict[str, tuple[Any, bool]] = {}
        for key, value in form_params.items():
            values[key] = (value, True)
        for key, value in json_params.items():
            values[key] = (value, False)
        attached = {
            v[len("attach://") :]
            for v, form in values.values()
            if isinstance(v, str) and v.startswith("attach://")
        }
        for key, upload in files.items():
            if key in attached:
                continue
            if key in spec.fields:
                values.setdefault(key, (upload, True))
            else:
                run.add(
                    key,
                    upload,
                    "unknown parameter (a file part nothing refers to)",
                    "unknown_field",
                )
        self._fields(run, spec, values, "")
        return run.violations

    # ------------------------------------------------------------------ objects

    def _fields(
        self, run: _TgRun, spec: _TgObject, values: Mapping[str, tuple[Any, bool]], prefix: str
    ) -> None:
        # a JSON null counts as absent (aiogram leaves unset fields out, Telegram ignores nulls)
        present = {k for k, (v, _) in values.items() if v is not None}
        for key in values:
            if key not in spec.fields:
                run.add(
                    f"{prefix}{key}",
                    values[key][0],
                    f"unknown field of {spec.name}",
                    "unknown_field",
                )
        for name, fspec in spec.fields.items():
            path = f"{prefix}{name}"
            if name not in present:
                if fspec.required or (
                    fspec.required_unless is not None and fspec.required_unless not in present
                ):
                    run.add(path, None, f"required field of {spec.name} is missing", "missing")
                continue
            value, form = values[name]
            self._value(run, fspec.types, value, form, path, fspec)
            if fspec.length is not None and isinstance(value, str):
                self._length(run, fspec, value, values, path)
        if spec.one_of is not None:
            group, exactly = spec.one_of
            used = sorted(group & present)
            if len(used) > 1 or (exactly and not used):
                wanted = "exactly" if exactly else "at most"
                run.add(
                    prefix.rstrip(".") or "(request)",
                    used,
                    f"{wanted} one of {sorted(group)} must be used in {spec.name}",
                    "rule",
                )

    def _length(
        self,
        run: _TgRun,
        fspec: _TgField,
        value: str,
        values: Mapping[str, tuple[Any, bool]],
        path: str,
    ) -> None:
        assert fspec.length is not None
        low, high, unit = fspec.length
        if unit == "bytes":
            size = len(value.encode("utf-8"))
        else:
            text: str | None = value
            if fspec.parse_mode_field is not None:
                mode = values.get(fspec.parse_mode_field, (None, False))[0]
                # parsing never lengthens a text: skip it when the raw text is short enough
                # and surely shows something (HTML: some text outside the tags)
                if len(value) <= high and (
                    low == 0 or (mode == "HTML" and _HTML_TAG_RE.sub("", value) != "")
                ):
                    return
                text = visible_text(value, mode)
            if text is None:
                return
            size = len(text)
        if not low <= size <= high:
            parsed = " after entity parsing" if fspec.parse_mode_field else ""
            run.add(path, value, f"{size} {unit}{parsed}, must be {low}-{high}", "limit")

    def _object(self, run: _TgRun, name: str, value: Any, path: str) -> None:
        spec = self.types[name]
        if spec.subtypes:
            self._union(run, spec.subtypes, value, False, path, None)
            return
        if not isinstance(value, dict):
            if spec.string_ok and isinstance(value, str):
                return
            run.add(path, value, f"must be a {name} object", "type")
            return
        if not spec.fields:  # a placeholder such as CallbackGame
            return
        self._fields(run, spec, {k: (v, False) for k, v in value.items()}, f"{path}.")

    # ------------------------------------------------------------------ values

    def _value(
        self,
        run: _TgRun,
        types: tuple[str, ...],
        value: Any,
        form: bool,
        path: str,
        fspec: _TgField | None,
    ) -> None:
        if len(types) == 1:
            self._one(run, types[0], value, form, path, fspec)
        else:
            self._union(run, types, value, form, path, fspec)

    def _union(
        self,
        run: _TgRun,
        types: tuple[str, ...],
        value: Any,
        form: bool,
        path: str,
        fspec: _TgField | None,
    ) -> None:
        """The value must be one of ``types``: clean under one of them, else the violations
        of the likeliest one (an object type whose required fields are all there)."""
        best: list[Violation] | None = None
        best_score = -1
        for kind in types:
            trial = _TgRun(self, run.method, run.files)
            self._one(trial, kind, value, form, path, fspec)
            if not trial.violations:
                return
            score = self._fit(kind, value, form)
            if best is None or score > best_score:
                best, best_score = trial.violations, score
        if best_score <= 0:
            run.add(path, value, f"must be {' or '.join(types)}", "type")
        elif best is not None:
            run.violations.extend(best)

    def _fit(self, kind: str, value: Any, form: bool) -> int:
        """How well ``value`` looks like ``kind``: 0 not at all, 1 the right shape, 2 the
        right shape with every required field (and a matching constant type field)."""
        if form and isinstance(value, str) and kind not in ("String", "InputFile"):
            try:
                value = json.loads(value)
            except ValueError:
                return 0
        spec = self.types.get(kind)
        if spec is None:
            return 0
        if spec.subtypes:
            return max((self._fit(s, value, False) for s in spec.subtypes), default=0)
        if not isinstance(value, dict):
            return 0
        if not spec.required <= value.keys():
            return 1
        kind_field = spec.fields.get("type")
        if kind_field is not None and kind_field.enum is not None:
            return 2 if value.get("type") in kind_field.enum else 1
        return 2

    def _one(
        self, run: _TgRun, kind: str, value: Any, form: bool, path: str, fspec: _TgField | None
    ) -> None:
        if kind.startswith("Array of "):
            if form:
                if not isinstance(value, str):
                    run.add(path, value, f"must be a JSON-serialized {kind}", "type")
                    return
                try:
                    value = json.loads(value)
                except ValueError:
                    run.add(path, value, f"must be a JSON-serialized {kind}", "type")
                    return
            if not isinstance(value, list):
                run.add(path, value, f"must be an {kind}", "type")
                return
            inner = kind[len("Array of ") :]
            item_enum = fspec.item_enum if fspec is not None else None
            for index, item in enumerate(value):
                item_path = f"{path}[{index}]"
                if item is None:
                    run.add(item_path, item, f"must be {inner}", "type")
                    continue
                self._one(run, inner, item, False, item_path, None)
                if item_enum is not None and isinstance(item, str) and item not in item_enum:
                    run.add(item_path, item, f"must be one of {sorted(item_enum)}", "enum")
            return
        if kind == "Integer":
            ok = _is_json_int(value) or (
                form and isinstance(value, str) and bool(_INT_RE.fullmatch(value))
            )
        elif kind == "Float":
            ok = _is_json_number(value) or (form and isinstance(value, str) and _is_float(value))
        elif kind == "Boolean":
            ok = isinstance(value, bool) or (form and value in ("true", "false"))
        elif kind == "String":
            ok = isinstance(value, str)
            if ok and fspec is not None and fspec.enum is not None and value not in fspec.enum:
                run.add(path, value, f"must be one of {sorted(fspec.enum)}", "enum")
        elif kind == "InputFile":
            ok = any(value is upload for upload in run.files.values()) or (
                form
                and isinstance(value, str)
                and value.startswith("attach://")
                and value[len("attach://") :] in run.files
            )
        elif kind in self.types:
            if form:
                if not isinstance(value, str):
                    run.add(path, value, f"must be a JSON-serialized {kind}", "type")
                    return
                try:
                    value = json.loads(value)
                except ValueError:
                    run.add(path, value, f"must be a JSON-serialized {kind}", "type")
                    return
            self._object(run, kind, value, path)
            return
        else:  # pragma: no cover - the specification names a type it does not define
            run.add(path, value, f"the specification has no type {kind}", "type")
            return
        if not ok:
            how = " (a form field: its string form)" if form else ""
            run.add(path, value, f"must be {kind}{how}", "type")


def _is_float(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


@functools.cache
def telegram_spec() -> TelegramSpec:
    """The Telegram specification, read once per process."""
    return TelegramSpec(_load_json(SPEC_DIR / "telegram" / "api.min.json"))


# ====================================================================== VK

#: Parameters of every VK request, not listed per method ("request parameters" of the docs).
VK_COMMON_PARAMS = frozenset({"access_token", "v"})

#: VK's inline / regular keyboard limits and per-row, payload and label limits (VK bots
#: documentation, "Keyboards"; the schema has none of them).
VK_INLINE_KEYBOARD = (6, 10)
VK_REGULAR_KEYBOARD = (10, 40)
VK_BUTTONS_PER_ROW = 5
VK_PAYLOAD_LENGTH = 255
VK_LABEL_LENGTH = 40


@dataclass(frozen=True, slots=True)
class VkAllowance:
    """A place where the VK schema lags its documentation, accepted on the documentation's word."""

    where: str
    reason: str


#: Exactly the cases the checks accept although the schema (API 5.199, vk-api-schema
#: 0efe478) says otherwise; each is implemented where its key is used below.
VK_ALLOWED: dict[str, VkAllowance] = {
    "messages.edit.conversation_message_id": VkAllowance(
        "messages.edit: parameter conversation_message_id",
        "the schema lists only `cmid`, but the documented `conversation_message_id` (the id a "
        "community bot gets in message_event) is still accepted by messages.edit",
    ),
    "keyboard.one_time.inline": VkAllowance(
        "messages_keyboard.one_time (required in the schema) left out of an inline keyboard",
        "the documentation says one_time does not apply to inline keyboards (they never hide), "
        "so an inline keyboard need not carry it",
    ),
    "keyboard.color.secondary": VkAllowance(
        'messages_keyboard_button.color "secondary"',
        'the schema still has the old name "default"; the documentation lists primary, '
        "secondary, negative and positive, and vk-api's VkKeyboardColor.SECONDARY sends it",
    ),
    "execute.code": VkAllowance(
        "execute: parameter code",
        "the schema gives execute no parameters at all; the documentation's only (required) "
        "parameter is `code`, the VKScript to run",
    ),
}

#: Documented parameters the schema lacks: method -> name -> parameter schema.
_VK_EXTRA_PARAMS: dict[str, dict[str, dict[str, Any]]] = {
    # VK_ALLOWED["messages.edit.conversation_message_id"]
    "messages.edit": {
        "conversation_message_id": {"type": "integer", "format": "int32", "minimum": 0}
    },
    # VK_ALLOWED["execute.code"]
    "execute": {"code": {"type": "string", "required": True}},
}
#: Parameters checked with a definition the schema gives them only elsewhere: messages.edit
#: takes the same keyboard as messages.send (a tightening, not an allowance).
_VK_PARAM_REFS = {
    ("messages.edit", "keyboard"): "../messages/objects.json#/definitions/messages_keyboard"
}
_REF_RE = re.compile(r"(?:\.\./(\w+)/objects\.json)?#/definitions/(\w+)")
_KEYBOARD_REF = "messages/messages_keyboard"
_BUTTON_REF = "messages/messages_keyboard_button"

_INT32 = 2**31


@dataclass
class _VkRun:
    method: str
    violations: list[Violation] = field(default_factory=list)

    def add(self, path: str, value: Any, reason: str, kind: str) -> None:
        self.violations.append(Violation(VK, self.method, path, value, reason, kind))


class VkSpec:
    """The VK API schema: every ``vk/*/methods.json`` and the ``objects.json`` definitions."""

    def __init__(
        self, methods: Iterable[Mapping[str, Any]], definitions: Mapping[str, Mapping[str, Any]]
    ) -> None:
        self.methods: dict[str, dict[str, dict[str, Any]]] = {}
        self.names: dict[str, str] = {}
        for raw in methods:
            name = str(raw["name"])
            params = {str(p["name"]): dict(p) for p in raw.get("parameters") or []}
            for extra, schema in _VK_EXTRA_PARAMS.get(name, {}).items():
                params.setdefault(extra, {"name": extra, **schema})
            for (method, param), ref in _VK_PARAM_REFS.items():
                if method == name and param in params:
                    params[param] = {**params[param], "$ref": ref}
            self.methods[name.lower()] = params
            self.names[name.lower()] = name
        #: "section/definition" -> schema
        self.definitions = dict(definitions)
        self._ref_keys: dict[str, str] = {}
        self._enums: dict[int, tuple[list[Any], frozenset[str]]] = {}

    def method_name(self, method: str) -> str | None:
        return self.names.get(method.lower())

    def check(self, method: str, params: Mapping[str, str]) -> list[Violation]:
        """Violations of one request whose parameters are ``params`` (form strings)."""
        name = self.method_name(method)
        if name is None:
            return [Violation(VK, method, "", None, "no such method", "unknown_method")]
        run = _VkRun(name)
        spec = self.methods[name.lower()]
        for key, value in params.items():
            if key in VK_COMMON_PARAMS:
                continue
            param = spec.get(key)
            if param is None:
                run.add(key, value, "unknown parameter", "unknown_field")
                continue
            self._param(run, param, value, key)
        for key, param in spec.items():
            if param.get("required") and params.get(key) in (None, ""):
                run.add(key, params.get(key), "required parameter is missing", "missing")
        return run.violations

    # ------------------------------------------------------------------ parameters (strings)

    def _param(self, run: _VkRun, param: Mapping[str, Any], value: str, path: str) -> None:
        kinds = param.get("type", "string")
        kinds = list(kinds) if isinstance(kinds, list) else [kinds]
        trials: list[list[Violation]] = []
        for kind in kinds:
            trial = _VkRun(run.method)
            self._param_as(trial, kind, param, value, path)
            if not trial.violations:
                return
            trials.append(trial.violations)
        if len(trials) == 1:
            run.violations.extend(trials[0])
        else:
            run.add(path, value, f"must be {' or '.join(map(str, kinds))}", "type")

    def _param_as(
        self, run: _VkRun, kind: str, param: Mapping[str, Any], value: str, path: str
    ) -> None:
        if kind == "array":
            items = [] if value == "" else value.split(",")
            max_items = param.get("maxItems")
            if isinstance(max_items, int) and len(items) > max_items:
                run.add(path, value, f"{len(items)} items, at most {max_items}", "limit")
            min_items = param.get("minItems")
            if isinstance(min_items, int) and len(items) < min_items:
                run.add(path, value, f"{len(items)} items, at least {min_items}", "limit")
            item_schema = param.get("items") or {}
            for index, item in enumerate(items):
                self._param(run, item_schema, item.strip(), f"{path}[{index}]")
            return
        if kind == "integer":
            if not _INT_RE.fullmatch(value):
                run.add(path, value, "must be an integer", "type")
                return
            self._number_limits(run, param, int(value), value, path)
        elif kind == "number":
            if not _is_float(value):
                run.add(path, value, "must be a number", "type")
                return
            self._number_limits(run, param, float(value), value, path)
        elif kind == "boolean":
            if value not in ("0", "1"):
                run.add(path, value, "must be a flag, 1 or 0", "type")
                return
        elif kind == "string":
            ref = param.get("$ref")
            if isinstance(ref, str):
                target = self._resolve(ref)
                if target is not None and target.get("type", "object") != "string":
                    try:
                        decoded = json.loads(value)
                    except ValueError:
                        run.add(path, value, "must be a JSON-serialized object", "type")
                        return
                    self._schema(run, target, decoded, path, self._ref_key(ref))
                    if ref.endswith("/messages_keyboard"):
                        self._keyboard_limits(run, decoded, path)
                    return
                if target is not None:
                    self._string_limits(run, target, value, path)
                    self._enum(run, target, value, path)
            self._string_limits(run, param, value, path)
        else:  # pragma: no cover - a type the schema does not use for parameters
            run.add(path, value, f"the schema's type {kind!r} is not understood", "type")
            return
        self._enum(run, param, value, path)

    def _number_limits(
        self, run: _VkRun, schema: Mapping[str, Any], number: float, value: Any, path: str
    ) -> None:
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        if isinstance(minimum, int | float) and number < minimum:
            run.add(path, value, f"must be at least {minimum}", "limit")
        if isinstance(maximum, int | float) and number > maximum:
            run.add(path, value, f"must be at most {maximum}", "limit")
        if schema.get("format") == "int32" and not -_INT32 <= number < _INT32:
            run.add(path, value, "must fit in 32 bits (int32)", "limit")

    def _string_limits(self, run: _VkRun, schema: Mapping[str, Any], value: str, path: str) -> None:
        max_length, min_length = schema.get("maxLength"), schema.get("minLength")
        if isinstance(max_length, int) and len(value) > max_length:
            run.add(path, value, f"{len(value)} characters, at most {max_length}", "limit")
        if isinstance(min_length, int) and len(value) < min_length:
            run.add(path, value, f"{len(value)} characters, at least {min_length}", "limit")

    def _enum(self, run: _VkRun, schema: Mapping[str, Any], value: Any, path: str) -> None:
        enum = schema.get("enum")
        if not isinstance(enum, list):
            return
        known = self._enums.get(id(enum))
        if known is None or known[0] is not enum:
            known = self._enums[id(enum)] = (enum, frozenset(str(e) for e in enum))
        if str(value) not in known[1]:
            run.add(path, value, f"must be one of {[str(e) for e in enum]}", "enum")

    # ------------------------------------------------------------------ objects (JSON)

    def _resolve(self, ref: str) -> Mapping[str, Any] | None:
        return self.definitions.get(self._ref_key(ref))

    def _ref_key(self, ref: str) -> str:
        key = self._ref_keys.get(ref)
        if key is None:
            match = _REF_RE.fullmatch(ref)
            key = f"{match.group(1) or 'messages'}/{match.group(2)}" if match else ref
            self._ref_keys[ref] = key
        return key

    def _schema(
        self, run: _VkRun, schema: Mapping[str, Any], value: Any, path: str, ref: str = ""
    ) -> None:
        """Check a decoded JSON value against a schema fragment of objects.json."""
        if "$ref" in schema:
            key = self._ref_key(str(schema["$ref"]))
            target = self.definitions.get(key)
            if target is not None:
                self._schema(run, target, value, path, key)
            return
        if "oneOf" in schema or "allOf" in schema:
            self._composite(run, schema, value, path, ref)
            return
        kind = schema.get("type")
        if kind == "object" or (kind is None and "properties" in schema):
            self._json_object(run, schema, value, path, ref)
            return
        if kind == "array":
            if not isinstance(value, list):
                run.add(path, value, "must be an array", "type")
                return
            for index, item in enumerate(value):
                self._schema(run, schema.get("items") or {}, item, f"{path}[{index}]")
            return
        if kind == "string":
            if not isinstance(value, str):
                run.add(path, value, "must be a string", "type")
                return
            self._string_limits(run, schema, value, path)
        elif kind == "integer":
            if not _is_json_int(value):
                run.add(path, value, "must be an integer", "type")
                return
            self._number_limits(run, schema, value, value, path)
        elif kind == "number":
            if not _is_json_number(value):
                run.add(path, value, "must be a number", "type")
                return
            self._number_limits(run, schema, value, value, path)
        elif kind == "boolean" and not isinstance(value, bool):
            run.add(path, value, "must be a boolean (true or false)", "type")
            return
        self._enum(run, schema, value, path)

    def _composite(
        self, run: _VkRun, schema: Mapping[str, Any], value: Any, path: str, ref: str
    ) -> None:
        if "allOf" in schema:
            merged: dict[str, Any] = {"type": "object", "properties": {}}
            for part in schema["allOf"]:
                part = self._resolve(part["$ref"]) if "$ref" in part else part
                if part is not None:
                    merged["properties"].update(part.get("properties") or {})
            self._json_object(run, merged, value, path, ref)
            return
        discriminator = schema.get("discriminator") or {}
        prop = discriminator.get("propertyName")
        mapping = discriminator.get("mapping") or {}
        if prop and isinstance(value, dict):
            target = mapping.get(value.get(prop))
            if target is None:
                run.add(
                    f"{path}.{prop}", value.get(prop), f"must be one of {sorted(mapping)}", "enum"
                )
                return
            self._schema(run, {"$ref": target}, value, path)
            return
        trials: list[list[Violation]] = []
        for option in schema["oneOf"]:
            trial = _VkRun(run.method)
            self._schema(trial, option, value, path)
            if not trial.violations:
                return
            trials.append(trial.violations)
        if trials:
            fewest: list[Violation] = min(trials, key=len)
            run.violations.extend(fewest)

    def _json_object(
        self, run: _VkRun, schema: Mapping[str, Any], value: Any, path: str, ref: str
    ) -> None:
        if not isinstance(value, dict):
            run.add(path, value, "must be a JSON object", "type")
            return
        properties: Mapping[str, Any] = schema.get("properties") or {}
        required = (
            set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
        )
        for key, item in value.items():
            prop = properties.get(key)
            if prop is None:
                run.add(f"{path}.{key}", item, "unknown field", "unknown_field")
                continue
            if item is None:  # vk-api sends `"payload": null` for a button without one
                continue
            if ref == _BUTTON_REF and key == "color" and item == "secondary":
                continue  # VK_ALLOWED["keyboard.color.secondary"]
            self._schema(run, prop, item, f"{path}.{key}")
        for key, prop in properties.items():
            if value.get(key) is not None:
                continue
            if not (prop.get("required") is True or key in required):
                continue
            if ref == _KEYBOARD_REF and key == "one_time" and value.get("inline") is True:
                continue  # VK_ALLOWED["keyboard.one_time.inline"]
            run.add(f"{path}.{key}", None, "required field is missing", "missing")

    # ------------------------------------------------------------------ keyboard limits

    def _keyboard_limits(self, run: _VkRun, keyboard: Any, path: str) -> None:
        """The keyboard limits of the VK documentation (not in the schema)."""
        if not isinstance(keyboard, dict) or not isinstance(keyboard.get("buttons"), list):
            return
        rows = keyboard["buttons"]
        inline = keyboard.get("inline") is True
        max_rows, max_buttons = VK_INLINE_KEYBOARD if inline else VK_REGULAR_KEYBOARD
        kind = "an inline" if inline else "a"
        if len(rows) > max_rows:
            run.add(
                f"{path}.buttons",
                f"{len(rows)} rows",
                f"at most {max_rows} rows in {kind} keyboard",
                "limit",
            )
        total = sum(len(row) for row in rows if isinstance(row, list))
        if total > max_buttons:
            run.add(
                f"{path}.buttons",
                f"{total} buttons",
                f"at most {max_buttons} buttons in {kind} keyboard",
                "limit",
            )
        for r, row in enumerate(rows):
            if not isinstance(row, list):
                continue
            if len(row) > VK_BUTTONS_PER_ROW:
                run.add(
                    f"{path}.buttons[{r}]",
                    f"{len(row)} buttons",
                    f"at most {VK_BUTTONS_PER_ROW} buttons in a row",
                    "limit",
                )
            for c, button in enumerate(row):
                action = button.get("action") if isinstance(button, dict) else None
                if not isinstance(action, dict):
                    continue
                where = f"{path}.buttons[{r}][{c}].action"
                payload = action.get("payload")
                if isinstance(payload, str):
                    if len(payload) > VK_PAYLOAD_LENGTH:
                        run.add(
                            f"{where}.payload",
                            payload,
                            f"{len(payload)} characters, at most {VK_PAYLOAD_LENGTH}",
                            "limit",
                        )
                    try:
                        json.loads(payload)
                    except ValueError:
                        run.add(f"{where}.payload", payload, "must be a JSON string", "type")
                label = action.get("label")
                if isinstance(label, str) and not 1 <= len(label) <= VK_LABEL_LENGTH:
                    run.add(
                        f"{where}.label",
                        label,
                        f"{len(label)} characters, must be 1-{VK_LABEL_LENGTH}",
                        "limit",
                    )


@functools.cache
def vk_spec() -> VkSpec:
    """The VK schema, read once per process."""
    root = SPEC_DIR / "vk"
    if not root.is_dir():
        _load_json(root / "messages" / "methods.json")  # raises SpecMissingError
    methods: list[Mapping[str, Any]] = []
    for path in sorted(root.glob("*/methods.json")):
        methods.extend(_load_json(path)["methods"])
    definitions: dict[str, Mapping[str, Any]] = {}
    for path in sorted(root.glob("*/objects.json")):
        for name, schema in _load_json(path)["definitions"].items():
            definitions[f"{path.parent.name}/{name}"] = schema
    if not methods:
        _load_json(root / "messages" / "methods.json")
    return VkSpec(methods, definitions)


def with_call(violations: Iterable[Violation], index: int) -> list[Violation]:
    return [replace(v, call=index) for v in violations]
