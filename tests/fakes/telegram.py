"""A fake Telegram Bot API server (aiohttp, 127.0.0.1, random port) for tests.

Point aiogram at it with ``AiohttpSession(api=TelegramAPIServer.from_base(tg.url))``
(or ``TELEGRAM_API_URL=tg.url``).  The fake speaks the wire format of aiogram's
``AiohttpSession``: POSTed url-encoded or multipart form fields, JSON-encoded complex
fields, ``{"ok": ..., "result"/"error_code"/"description"}`` answers whose HTTP status
equals the error code.  Every request is first checked against the official Bot API
specification (:mod:`tests.fakes.spec`): a violation is answered 400 (404 for an unknown method)
and recorded in ``spec_violations``, which fails the test (tests/conftest.py).
See :class:`FakeTelegram` for the test-facing API.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import json
import math
import mimetypes
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes import Call, FakeApiError, FakeServerBase, Fault, UploadedFile, _safe
from tests.fakes.html_check import HtmlParseError, parse_html, utf16_len
from tests.fakes.spec import Violation, telegram_spec

__all__ = ["FakeTelegram", "FakeUser", "SentMessage", "StoredFile"]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_TEXT = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024

#: Methods counted by :meth:`FakeTelegram.rate_limit` (lower-case).
RATE_LIMITED_METHODS = frozenset(
    {"sendmessage", "senddocument", "sendphoto", "copymessage", "sendsticker", "sendmediagroup"}
)
#: ``send*`` methods that send no message (:meth:`FakeTelegram.enforce_limits` ignores them).
_NOT_MESSAGES = frozenset({"sendchataction"})
#: Update kinds that show the user is talking to the bot (they end "bulk" for their chat).
_ACTIVE_UPDATES = frozenset(
    {"message", "edited_message", "callback_query", "inline_query", "chosen_inline_result"}
)
#: Window of the group-chat limit, in seconds.
GROUP_WINDOW = 60.0
#: Window of the bulk limit, in seconds.
BULK_WINDOW = 1.0
#: Scopes of :meth:`FakeTelegram.enforce_limits`, as keys of ``too_many_by_scope``.
LIMIT_SCOPES = ("chat", "group", "bulk")

#: Form fields that always stay strings (never decoded as int/bool/JSON).
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "file_id",
        "url",
        "query",
        "next_offset",
        "switch_pm_text",
        "switch_pm_parameter",
        "action",
        "secret_token",
        "ip_address",
        "language_code",
        "photo",
        "document",
        "sticker",
        "title",
        "name",
        "description",
        "short_description",
        "message_effect_id",
        "business_connection_id",
        "emoji",
        "first_name",
        "last_name",
        "username",
    }
)

_INT_RE = re.compile(r"-?\d{1,19}")
_URL_RE = re.compile(r"^(https?|tg)://[^\s]+$")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")

_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

Handler = Callable[[Call, dict[str, Any], dict[str, UploadedFile]], Awaitable[Any]]
CustomHandler = Callable[[dict[str, Any]], Any]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


@dataclass
class FakeUser:
    """A simulated Telegram user; their private chat id equals ``id``."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "ru"

    @property
    def chat_id(self) -> int:
        return self.id

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class StoredFile:
    """A file known to the fake (sent by a user or uploaded/referenced by the bot)."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_size: int
    file_name: str | None = None
    mime_type: str | None = None
    url: str | None = None

    def document_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data

    def photo_json(self) -> list[dict[str, Any]]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": f"{self.file_unique_id}s",
                "width": 90,
                "height": 68,
                "file_size": min(self.file_size, 1500),
            },
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": 800,
                "height": 600,
                "file_size": self.file_size,
            },
        ]


@dataclass
class SentMessage:
    """Current state of one message sent by the bot."""

    message_id: int
    chat_id: int
    kind: str  # "text" | "document" | "photo" | "sticker"
    text: str | None  # text or caption exactly as sent (HTML markup included)
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    plain_text: str | None  # visible text after entity parsing
    entities: list[dict[str, Any]]
    date: int
    created_call: int
    updated_call: int
    params: dict[str, Any] = field(default_factory=dict)
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    sticker: dict[str, Any] | None = None
    upload: UploadedFile | None = None
    file_id: str | None = None
    copied_from: tuple[int, int] | None = None
    edits: int = 0
    edit_date: int | None = None
    deleted: bool = False
    history: list[str | None] = field(default_factory=list)

    @property
    def caption(self) -> str | None:
        return self.text if self.kind != "text" else None

    @property
    def inline_markup(self) -> dict[str, Any] | None:
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup
        return None

    def buttons(self) -> list[list[dict[str, Any]]]:
        """Rows of the inline keyboard ([] when there is none)."""
        markup = self.inline_markup
        return [list(row) for row in markup["inline_keyboard"]] if markup else []

    def button_texts(self) -> list[str]:
        """Labels of all inline keyboard buttons, row by row."""
        return [str(b.get("text", "")) for row in self.buttons() for b in row]

    def keyboard_texts(self) -> list[str]:
        """Labels of a reply (non-inline) keyboard sent with the message."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [b if isinstance(b, str) else str(b.get("text", "")) for row in rows for b in row]

    def button(self, text: str) -> dict[str, Any]:
        """The inline button labelled exactly ``text`` (AssertionError if absent)."""
        for row in self.buttons():
            for b in row:
                if b.get("text") == text:
                    return b
        raise AssertionError(
            f"no inline button {text!r} in message {self.message_id} of chat {self.chat_id}; "
            f"buttons: {self.button_texts()!r}"
        )

    def callback_data(self, text: str) -> str:
        """callback_data of the inline button labelled ``text``."""
        b = self.button(text)
        if "callback_data" not in b:
            raise AssertionError(f"button {text!r} has no callback_data: {b!r}")
        return str(b["callback_data"])


@dataclass
class _RawBody:
    content: bytes
    content_type: str


@dataclass(frozen=True)
class _Limits:
    chat_burst: int
    chat_rate: float
    group_per_minute: int
    bulk_per_second: int
    active_window: float


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class _Taken:
    """What one message took from the limits (given back if the call then fails)."""

    chat_id: int
    stamp: float
    bucket: _Bucket | None = None
    group: deque[float] | None = None
    bulk: bool = False


class FakeTelegram(FakeServerBase):
    """In-process fake of the Telegram Bot API.

    Test-facing attributes: ``calls``, ``callback_answers``, ``inline_answers``,
    ``my_commands``, ``files``, ``updates``, ``dropped_updates``, ``too_many_requests``,
    ``too_many_by_scope`` (see :meth:`enforce_limits`), ``spec_violations`` (see
    :meth:`take_spec_violations`).
    """

    kind = "FakeTelegram"

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        bot_first_name: str = "HR Bot",
        bot_username: str = "hr_test_bot",
        strict_ampersand: bool = True,
        check_spec: bool = True,
    ) -> None:
        """``check_spec=False`` stops checking requests against the Bot API specification
        (tests.fakes.spec); it is on by default, and a violation is answered 400 (404 for an
        unknown method) and recorded in ``spec_violations``."""
        super().__init__(check_spec=check_spec)
        if check_spec:
            telegram_spec()  # read once per process; a missing specification fails loudly here
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 1
        self.bot_first_name = bot_first_name
        self.bot_username = bot_username
        self.strict_ampersand = strict_ampersand
        #: query id -> params of answerCallbackQuery
        self.callback_answers: dict[str, dict[str, Any]] = {}
        #: inline query id -> params of answerInlineQuery (``results`` decoded)
        self.inline_answers: dict[str, dict[str, Any]] = {}
        #: language_code ("" = none) -> commands of the last setMyCommands with default scope
        self.my_commands: dict[str, list[dict[str, Any]]] = {}
        #: (scope type, e.g. "default" or "chat:900", language_code) -> commands
        self.my_commands_by_scope: dict[tuple[str, str], list[dict[str, Any]]] = {}
        #: file_id -> file
        self.files: dict[str, StoredFile] = {}
        #: every update ever enqueued, in order
        self.updates: list[dict[str, Any]] = []
        #: updates discarded because of getUpdates' allowed_updates / drop_pending_updates
        self.dropped_updates: list[dict[str, Any]] = []
        self.webhook_url: str = ""
        self.users: dict[int, FakeUser] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._blocked: set[int] = set()
        self._bot_msgs: dict[int, list[SentMessage]] = {}
        self._user_msgs: dict[tuple[int, int], dict[str, Any]] = {}
        self._deleted_user_msgs: set[tuple[int, int]] = set()
        self._msg_counters: dict[int, int] = {}
        self._pending: list[dict[str, Any]] = []
        self._delivered: set[int] = set()
        self._allowed_updates: list[str] | None = None
        self._update_ids = itertools.count(100001)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._file_counter = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._open_inline: set[str] = set()
        self._poll_generation = 0
        self._polling_now = 0
        #: 429s answered by :meth:`enforce_limits`, by the scope that refused: chat/group/bulk
        self.too_many_by_scope: dict[str, int] = dict.fromkeys(LIMIT_SCOPES, 0)
        self._limits: _Limits | None = None
        self._buckets: dict[int, _Bucket] = {}
        self._group_windows: dict[int, deque[float]] = {}
        self._bulk_window: deque[float] = deque()
        #: chat id / user id -> monotonic time of their latest update to the bot
        self._last_active: dict[int, float] = {}
        self._handlers: dict[str, tuple[str, Handler]] = {}
        #: methods added by :meth:`set_handler` with ``outside_spec=True`` (lower-case)
        self._outside_spec: set[str] = set()
        for name, handler in {
            "getMe": self._m_get_me,
            "logOut": self._m_true,
            "close": self._m_true,
            "deleteWebhook": self._m_delete_webhook,
            "setWebhook": self._m_set_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "getUpdates": self._m_get_updates,
            "sendMessage": self._m_send_message,
            "editMessageText": self._m_edit_message_text,
            "editMessageCaption": self._m_edit_message_caption,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "deleteMessage": self._m_delete_message,
            "answerCallbackQuery": self._m_answer_callback_query,
            "answerInlineQuery": self._m_answer_inline_query,
            "setMyCommands": self._m_set_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "setMyDescription": self._m_true,
            "setMyShortDescription": self._m_true,
            "setMyName": self._m_true,
            "setChatMenuButton": self._m_true,
            "sendChatAction": self._m_send_chat_action,
            "sendDocument": self._m_send_document,
            "sendPhoto": self._m_send_photo,
            "copyMessage": self._m_copy_message,
            "getFile": self._m_get_file,
        }.items():
            self._handlers[name.lower()] = (name, handler)

    # ================================================================== server

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        return app

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, UploadedFile], dict[str, Any], dict[str, str]]:
        """(params decoded for the handlers, file parts, the JSON body's fields as sent, the
        query and form fields as sent)."""
        raw: dict[str, str] = dict(request.query)
        typed: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise ValueError("JSON body must be an object")
                typed.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = UploadedFile(
                            field_name=key,
                            filename=value.filename,
                            content_type=value.content_type,
                            content=value.file.read(),
                        )
                    elif isinstance(value, str):
                        raw[key] = value
                    else:
                        raw[key] = bytes(value).decode("utf-8", "replace")
        params: dict[str, Any] = {key: _decode_field(key, value) for key, value in raw.items()}
        params.update(typed)
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                ref = value[len("attach://") :]
                if ref in files:
                    params[key] = files[ref]
        for key, upload in files.items():
            if key not in params and not any(v is upload for v in params.values()):
                params[key] = upload
        return params, files, typed, raw

    def _error(self, call: Call, exc: FakeApiError) -> web.Response:
        self._finish_error(call, exc.code, exc.description, exc.detail)
        body: dict[str, Any] = {
            "ok": False,
            "error_code": exc.code,
            "description": exc.description,
        }
        if exc.retry_after is not None:
            body["parameters"] = {"retry_after": exc.retry_after}
        status = exc.code if 400 <= exc.code <= 599 else 400
        return web.json_response(body, status=status, dumps=_dumps)

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        name = request.match_info["method"]
        bad_body: str | None = None
        sent_json: dict[str, Any] = {}
        sent_form: dict[str, str] = {}
        try:
            params, files, sent_json, sent_form = await self._read_params(request)
        except ValueError as exc:
            params, files, bad_body = {}, {}, str(exc)
        entry = self._handlers.get(name.lower())
        call = self._record(entry[0] if entry else name, params)
        if token != self.token:
            return self._error(call, FakeApiError(401, "Unauthorized"))
        if bad_body is not None:
            return self._error(call, FakeApiError(400, f"Bad Request: {bad_body}"))
        if self.check_spec and name.lower() not in self._outside_spec:
            violations = telegram_spec().check(name, sent_json, sent_form, files)
            if violations:
                self._record_violations(call, violations)
                return self._error(call, _spec_error(violations[0]))
        if entry is None:
            return self._error(call, FakeApiError(404, "Not Found: method not found"))
        return await self._run(request, call, entry[1], params, files)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        path = request.match_info["path"]
        call = self._record("downloadFile", {"file_path": path})
        if token != self.token:
            return self._error(call, FakeApiError(401, "Unauthorized"))
        return await self._run(request, call, self._download, {"file_path": path}, {})

    async def _run(
        self,
        request: web.Request,
        call: Call,
        handler: Handler,
        params: dict[str, Any],
        files: dict[str, UploadedFile],
    ) -> web.StreamResponse:
        fault = self._take_fault(call.method)
        if fault is not None and fault.kind == "drop" and not fault.after_effect:
            return self._drop(request, call)
        if fault is not None and fault.kind == "fail":
            return self._error(
                call,
                FakeApiError(
                    fault.error_code, fault.description or "", retry_after=fault.retry_after
                ),
            )
        method = self._norm(call.method)
        if method in RATE_LIMITED_METHODS and self._rate_limited():
            return self._error(
                call, FakeApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            )
        taken: _Taken | None = None
        if self._limits is not None and self._is_message_method(method):
            outcome = self._take_limits(self._limits, params)
            if isinstance(outcome, FakeApiError):
                return self._error(call, outcome)
            taken = outcome
        try:
            result = await handler(call, params, files)
        except FakeApiError as exc:
            if taken is not None:
                self._give_back(taken)
            return self._error(call, exc)
        if isinstance(result, _RawBody):
            self._finish_ok(call, {"size": len(result.content)})
        else:
            self._finish_ok(call, result)
        if fault is not None and fault.kind == "drop":
            return self._drop(request, call)
        if fault is not None and fault.kind == "delay":
            call.delayed = fault.seconds
            await self._pause(fault.seconds)
        if isinstance(result, _RawBody):
            return web.Response(body=result.content, content_type=result.content_type)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    # ================================================================== faults

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" = any) with an error.

        429 gets ``parameters.retry_after`` (default 1 s: aiogram needs an int >= 1).
        """
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
        fault = Fault(
            kind="fail", error_code=error_code, description=description, retry_after=retry_after
        )
        self._queue_fault(method, fault, times)

    def clear_faults(self) -> None:
        """Forget every queued fault and switch rate limiting (and :meth:`enforce_limits`) off."""
        super().clear_faults()
        self.enforce_limits(False)

    def enforce_limits(
        self,
        enabled: bool = True,
        *,
        chat_burst: int = 3,
        chat_rate: float = 1.0,
        group_per_minute: int = 20,
        bulk_per_second: int = 30,
        active_window: float = 60.0,
    ) -> None:
        """Refuse messages beyond Telegram's flood limits with 429 (off by default).

        Messages are the ``send*`` methods (sendMessage, sendDocument, sendPhoto,
        copyMessage, ...; not sendChatAction), edits and answers are never limited.

        * per private chat (chat id > 0): a token bucket of ``chat_burst`` messages refilled
          at ``chat_rate`` per second;
        * per group chat (chat id < 0): at most ``group_per_minute`` in any sliding 60 s;
        * bulk: a message to a chat whose user has sent no update (message, callback
          query, inline query, ...) in the last ``active_window`` seconds is bulk; bulk
          messages are limited to ``bulk_per_second`` in any sliding 1 s window.

        A refused message has no effect and is answered ``429 Too Many Requests: retry
        after N`` with ``parameters.retry_after = N`` (whole seconds until it would be
        allowed, at least 1).  It is counted in ``too_many_requests`` and in
        ``too_many_by_scope["chat" | "group" | "bulk"]`` (when several limits refuse it,
        the one that makes it wait longest).  A message the fake rejects for another
        reason (chat not found, bad HTML, ...) uses up no allowance.  Calling this again
        starts with full allowances; ``enforce_limits(False)`` switches it off.
        """
        with self._lock:
            self._limits = (
                _Limits(chat_burst, chat_rate, group_per_minute, bulk_per_second, active_window)
                if enabled
                else None
            )
            self._buckets.clear()
            self._group_windows.clear()
            self._bulk_window.clear()

    @staticmethod
    def _is_message_method(method: str) -> bool:
        return method in RATE_LIMITED_METHODS or (
            method.startswith("send") and method not in _NOT_MESSAGES
        )

    def _limit_chat(self, p: dict[str, Any]) -> int | None:
        raw = p.get("chat_id")
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and _INT_RE.fullmatch(raw):
            return int(raw)
        if isinstance(raw, str) and raw.startswith("@"):
            return next((u.id for u in self.users.values() if u.username == raw[1:]), None)
        return None  # the handler answers "chat not found"

    def _take_limits(self, limits: _Limits, p: dict[str, Any]) -> _Taken | FakeApiError:
        """Check every limit for one message; take from them all or refuse with 429."""
        with self._lock:
            return self._take_limits_locked(limits, p)

    def _take_limits_locked(self, limits: _Limits, p: dict[str, Any]) -> _Taken | FakeApiError:
        chat_id = self._limit_chat(p)
        if chat_id is None:
            return _Taken(0, 0.0)
        now = time.monotonic()
        waits: dict[str, float] = {}
        taken = _Taken(chat_id, now)
        if chat_id > 0:
            bucket = self._buckets.get(chat_id)
            if bucket is None:
                bucket = self._buckets[chat_id] = _Bucket(float(limits.chat_burst), now)
            else:
                bucket.tokens = min(
                    float(limits.chat_burst),
                    bucket.tokens + (now - bucket.stamp) * limits.chat_rate,
                )
                bucket.stamp = now
            if bucket.tokens < 1.0:
                waits["chat"] = (
                    (1.0 - bucket.tokens) / limits.chat_rate if limits.chat_rate > 0 else 1e9
                )
            taken.bucket = bucket
        else:
            window = self._group_windows.setdefault(chat_id, deque())
            while window and window[0] <= now - GROUP_WINDOW:
                window.popleft()
            if len(window) >= limits.group_per_minute:
                waits["group"] = (window[0] + GROUP_WINDOW - now) if window else GROUP_WINDOW
            taken.group = window
        seen = self._last_active.get(chat_id)
        if seen is None or now - seen > limits.active_window:
            bulk = self._bulk_window
            while bulk and bulk[0] <= now - BULK_WINDOW:
                bulk.popleft()
            if len(bulk) >= limits.bulk_per_second:
                waits["bulk"] = (bulk[0] + BULK_WINDOW - now) if bulk else BULK_WINDOW
            taken.bulk = True
        if waits:
            scope = max(waits, key=lambda key: waits[key])
            retry_after = max(1, math.ceil(waits[scope] - 1e-9))
            self.too_many_requests += 1
            self.too_many_by_scope[scope] += 1
            return FakeApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        if taken.bucket is not None:
            taken.bucket.tokens -= 1.0
        if taken.group is not None:
            taken.group.append(now)
        if taken.bulk:
            self._bulk_window.append(now)
        return taken

    def _give_back(self, taken: _Taken) -> None:
        """Undo :meth:`_take_limits` for a message that then failed (no effect, no cost)."""
        with self._lock:
            self._give_back_locked(taken)

    def _give_back_locked(self, taken: _Taken) -> None:
        limits = self._limits
        if taken.bucket is not None and limits is not None:
            taken.bucket.tokens = min(float(limits.chat_burst), taken.bucket.tokens + 1.0)
        for window, used in ((taken.group, True), (self._bulk_window, taken.bulk)):
            if window is not None and used:
                with contextlib.suppress(ValueError):
                    window.remove(taken.stamp)

    def set_handler(
        self, method: str, handler: CustomHandler, *, outside_spec: bool = False
    ) -> None:
        """Add/override a Bot API method: ``handler(params)`` returns the result (or an
        awaitable of it) or raises :class:`tests.fakes.FakeApiError`.

        Its requests are checked against the Bot API specification like any other, unless
        ``outside_spec=True``: for a test's own control endpoints that are no Bot API method."""

        async def wrapped(
            call: Call, params: dict[str, Any], files: dict[str, UploadedFile]
        ) -> Any:
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
            return result

        self._handlers[method.lower()] = (method, wrapped)
        if outside_spec:
            self._outside_spec.add(method.lower())
        else:
            self._outside_spec.discard(method.lower())

    # ================================================================== simulated users

    def user(
        self,
        id: int,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
    ) -> FakeUser:
        """Create (or update) a user and their private chat (chat id == user id)."""
        user = FakeUser(
            id=id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.users[id] = user
        chat: dict[str, Any] = {"id": id, "type": "private", "first_name": first_name}
        if last_name:
            chat["last_name"] = last_name
        if username:
            chat["username"] = username
        self._chats[id] = chat
        return user

    def add_chat(self, chat_id: int, chat_type: str = "group", title: str = "Test group") -> None:
        """Register a non-private chat the bot may send to (and users may write in)."""
        self._chats[chat_id] = {"id": chat_id, "type": chat_type, "title": title}

    def block(self, user: FakeUser | int, *, with_update: bool = False) -> None:
        """The user blocks the bot: later sends/edits to their chat answer 403.

        ``with_update=True`` also enqueues the ``my_chat_member`` (kicked) update.
        """
        uid = _uid(user)
        self._blocked.add(uid)
        if with_update:
            self._enqueue(
                {"my_chat_member": self._member_update(uid, "member", "kicked")},
            )

    def unblock(self, user: FakeUser | int, *, with_update: bool = False) -> None:
        uid = _uid(user)
        self._blocked.discard(uid)
        if with_update:
            self._enqueue({"my_chat_member": self._member_update(uid, "kicked", "member")})

    def send_text(self, user: FakeUser, text: str, *, chat_id: int | None = None) -> int:
        """User writes ``text``; "/cmd ..." gets a bot_command entity. Returns update_id."""
        msg = self._user_message(user, chat_id)
        msg["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._enqueue({"message": msg})

    def send_sticker(self, user: FakeUser, emoji: str = "👍") -> int:
        """User sends a sticker. Returns update_id."""
        msg = self._user_message(user, None)
        n = next(self._file_counter)
        msg["sticker"] = {
            "file_id": f"CAACAgIAAxkBAAI{n:06d}",
            "file_unique_id": f"AgAD{n:06d}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._enqueue({"message": msg})

    def send_document(
        self,
        user: FakeUser,
        file_name: str = "resume.pdf",
        mime_type: str | None = "application/pdf",
        file_size: int | None = None,
        content: bytes = b"%PDF-1.4\n% fake resume\n",
        caption: str | None = None,
    ) -> int:
        """User sends a document (downloadable via getFile + /file/...). Returns update_id.

        ``file_size`` is what Telegram reports (defaults to ``len(content)``); it may be
        larger than ``content`` to test size limits without allocating memory.
        """
        stored = self._register_file(
            "documents", content, file_name=file_name, mime_type=mime_type, size=file_size
        )
        msg = self._user_message(user, None)
        msg["document"] = stored.document_json()
        if caption:
            msg["caption"] = caption
        return self._enqueue({"message": msg})

    def send_photo(
        self,
        user: FakeUser,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
    ) -> int:
        """User sends a photo. Returns update_id."""
        stored = self._register_file("photos", content, mime_type="image/jpeg", ext="jpg")
        msg = self._user_message(user, None)
        msg["photo"] = stored.photo_json()
        if caption:
            msg["caption"] = caption
        return self._enqueue({"message": msg})

    def press(
        self,
        user: FakeUser,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        inaccessible: bool = False,
    ) -> str:
        """User presses an inline button: enqueue a callback_query. Returns its id.

        The attached message is the stored bot message ``message_id`` of the chat (the
        user's private chat by default) or a minimal bot message if there is none, so
        tests can forge ``data``.  ``inaccessible=True`` sends an InaccessibleMessage.
        """
        cid = user.id if chat_id is None else chat_id
        query_id = str(next(self._query_ids))
        sm = self._find_bot_message(cid, message_id)
        if inaccessible:
            message: dict[str, Any] = {
                "chat": self._chat_json(cid),
                "message_id": message_id,
                "date": 0,
            }
        elif sm is not None:
            message = self._message_json(sm)
        else:
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat_json(cid),
                "from": self.bot_user,
                "text": "",
            }
        self._open_callbacks.add(query_id)
        self._enqueue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_json(),
                    "message": message,
                    "chat_instance": str(-(abs(hash((self.bot_id, cid))) % 10**18)),
                    "data": data,
                }
            }
        )
        return query_id

    def press_button(
        self, user: FakeUser, message: SentMessage | int, text: str, *, chat_id: int | None = None
    ) -> str:
        """Press the inline button labelled ``text`` of a bot message. Returns query id."""
        sm = message
        if isinstance(sm, int):
            sm = self.message(user.id if chat_id is None else chat_id, sm)
        return self.press(user, sm.message_id, sm.callback_data(text), chat_id=sm.chat_id)

    def inline_query(self, user: FakeUser, query: str, offset: str = "") -> str:
        """User types ``@bot query``: enqueue an inline_query. Returns its id."""
        query_id = str(next(self._query_ids))
        self._open_inline.add(query_id)
        self._enqueue(
            {
                "inline_query": {
                    "id": query_id,
                    "from": user.to_json(),
                    "query": query,
                    "offset": offset,
                    "chat_type": "sender",
                }
            }
        )
        return query_id

    def raw_update(self, update: dict[str, Any]) -> int:
        """Enqueue an arbitrary update (``update_id`` is assigned when missing)."""
        return self._enqueue(dict(update))

    # ================================================================== inspection

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._pending)

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[SentMessage]:
        """Current state of every bot message in the chat, oldest first."""
        return [m for m in self._bot_msgs.get(chat_id, []) if include_deleted or not m.deleted]

    def last(self, chat_id: int) -> SentMessage:
        """The newest (non-deleted) bot message in the chat; AssertionError if none."""
        msgs = self.messages(chat_id)
        if not msgs:
            raise AssertionError(
                f"no bot messages in chat {chat_id}.\nRecent calls:\n{self.format_calls()}"
            )
        return msgs[-1]

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """The bot message ``message_id`` of the chat (deleted ones too)."""
        sm = self._find_bot_message(chat_id, message_id, include_deleted=True)
        if sm is None:
            raise AssertionError(f"no bot message {message_id} in chat {chat_id}")
        return sm

    def file_content(self, file_id: str) -> bytes:
        return self.files[file_id].content

    def is_blocked(self, user: FakeUser | int) -> bool:
        return _uid(user) in self._blocked

    async def wait_message(
        self,
        chat_id: int,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 10.0,
        since: int | None = None,
    ) -> SentMessage:
        """Wait for a bot message in the chat created or edited by a call at index >=
        ``since`` (``tg.mark()``; default 0 = any) that satisfies ``predicate``.

        Returns the earliest-changed match (current state).
        """
        start = since or 0

        def check() -> SentMessage | None:
            found = [
                m
                for m in self._bot_msgs.get(chat_id, [])
                if not m.deleted
                and m.updated_call >= start
                and (predicate is None or _safe(predicate, m))
            ]
            return min(found, key=lambda m: m.updated_call) if found else None

        result = await self._wait_until(check, timeout)
        if result is None:
            existing = "\n".join(
                f"  [{m.message_id}] (call #{m.updated_call}) {m.text!r} buttons={m.button_texts()}"
                for m in self.messages(chat_id)[-10:]
            )
            raise AssertionError(
                f"FakeTelegram: timed out after {timeout}s waiting for a message in chat "
                f"{chat_id} (since call #{start}).\nMessages in chat:\n{existing or '  (none)'}"
                f"\nRecent calls:\n{self.format_calls()}"
            )
        return result

    async def wait_polling(self, timeout: float = 10.0) -> None:
        """Wait until a getUpdates long poll is in progress (the bot is listening)."""
        ok = await self._wait_until(lambda: True if self._polling_now > 0 else None, timeout)
        if ok is None:
            raise AssertionError(
                f"FakeTelegram: nobody is polling getUpdates after {timeout}s.\n"
                f"Recent calls:\n{self.format_calls()}"
            )

    async def wait_delivered(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until getUpdates has handed update ``update_id`` to the bot."""
        ok = await self._wait_until(lambda: True if update_id in self._delivered else None, timeout)
        if ok is None:
            raise AssertionError(
                f"FakeTelegram: update {update_id} not delivered after {timeout}s.\n"
                f"Recent calls:\n{self.format_calls()}"
            )

    # ================================================================== internals

    def _next_message_id(self, chat_id: int) -> int:
        n = self._msg_counters.get(chat_id, 0) + 1
        self._msg_counters[chat_id] = n
        return n

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        return dict(self._chats.get(chat_id) or {"id": chat_id, "type": "private"})

    def _user_message(self, user: FakeUser, chat_id: int | None) -> dict[str, Any]:
        if user.id not in self.users:
            self.users[user.id] = user
        cid = user.id if chat_id is None else chat_id
        if cid not in self._chats:
            if cid == user.id:
                self.user(user.id, user.first_name, user.last_name, user.username)
            else:
                self.add_chat(cid)
        mid = self._next_message_id(cid)
        msg: dict[str, Any] = {
            "message_id": mid,
            "date": int(time.time()),
            "chat": self._chat_json(cid),
            "from": user.to_json(),
        }
        self._user_msgs[(cid, mid)] = msg
        return msg

    def _member_update(self, uid: int, old: str, new: str) -> dict[str, Any]:
        user = self.users.get(uid)
        who = user.to_json() if user else {"id": uid, "is_bot": False, "first_name": "User"}
        new_member: dict[str, Any] = {"status": new, "user": self.bot_user}
        if new == "kicked":
            new_member["until_date"] = 0
        old_member: dict[str, Any] = {"status": old, "user": self.bot_user}
        if old == "kicked":
            old_member["until_date"] = 0
        return {
            "chat": self._chat_json(uid),
            "from": who,
            "date": int(time.time()),
            "old_chat_member": old_member,
            "new_chat_member": new_member,
        }

    def _enqueue(self, update: dict[str, Any]) -> int:
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        now = time.monotonic()
        for key, value in update.items():
            if key != "update_id" and isinstance(value, dict):
                chat = value.get("chat") or (value.get("message") or {}).get("chat")
                if isinstance(chat, dict) and "id" in chat and chat["id"] not in self._chats:
                    self._chats[chat["id"]] = dict(chat)
                if key in _ACTIVE_UPDATES:
                    who = value.get("from")
                    for item in (who, chat):
                        if isinstance(item, dict) and isinstance(item.get("id"), int):
                            self._last_active[item["id"]] = now
        self.updates.append(update)
        self._pending.append(update)
        self._notify()
        return int(update["update_id"])

    def _register_file(
        self,
        folder: str,
        content: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: int | None = None,
        ext: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        n = next(self._file_counter)
        prefix = {"documents": "BQACAgIAAxkBAAI", "photos": "AgACAgIAAxkBAAI"}.get(
            folder, "CQACAgIAAxkBAAI"
        )
        if ext is None:
            ext = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"{prefix}{n:06d}{secrets.token_hex(6)}",
            file_unique_id=f"AgAD{n:06d}",
            file_path=f"{folder}/file_{n}.{ext}",
            content=content,
            file_size=len(content) if size is None else size,
            file_name=file_name,
            mime_type=mime_type,
            url=url,
        )
        self.files[stored.file_id] = stored
        return stored

    def _find_bot_message(
        self, chat_id: int, message_id: int, *, include_deleted: bool = False
    ) -> SentMessage | None:
        for m in self._bot_msgs.get(chat_id, []):
            if m.message_id == message_id and (include_deleted or not m.deleted):
                return m
        return None

    def _message_json(self, sm: SentMessage) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": sm.message_id,
            "from": self.bot_user,
            "chat": self._chat_json(sm.chat_id),
            "date": sm.date,
        }
        if sm.edit_date is not None:
            msg["edit_date"] = sm.edit_date
        text_key, ent_key = (
            ("text", "entities") if sm.kind == "text" else ("caption", "caption_entities")
        )
        if sm.plain_text:
            msg[text_key] = sm.plain_text
            if sm.entities:
                msg[ent_key] = sm.entities
        if sm.document is not None:
            msg["document"] = sm.document
        if sm.photo is not None:
            msg["photo"] = sm.photo
        if sm.sticker is not None:
            msg["sticker"] = sm.sticker
        if sm.inline_markup is not None:
            msg["reply_markup"] = sm.inline_markup
        return msg

    def _chat(self, p: dict[str, Any], key: str = "chat_id", *, check_blocked: bool = True) -> int:
        raw = p.get(key)
        if raw is None or raw == "":
            raise FakeApiError(400, f"Bad Request: {key} is empty")
        chat_id: int | None = None
        if isinstance(raw, str) and raw.startswith("@"):
            chat_id = next((u.id for u in self.users.values() if u.username == raw[1:]), None)
        elif isinstance(raw, int) and not isinstance(raw, bool):
            chat_id = raw
        elif isinstance(raw, str) and _INT_RE.fullmatch(raw):
            chat_id = int(raw)
        if chat_id is None or chat_id not in self._chats:
            raise FakeApiError(400, "Bad Request: chat not found")
        if check_blocked and chat_id in self._blocked:
            raise FakeApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    @staticmethod
    def _int(p: dict[str, Any], key: str, missing: str) -> int:
        value = p.get(key)
        if isinstance(value, bool) or value is None:
            raise FakeApiError(400, missing)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise FakeApiError(400, missing) from None

    def _format(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool
    ) -> tuple[str, list[dict[str, Any]]]:
        text = "" if text is None else str(text)
        if isinstance(parse_mode, str) and parse_mode.lower() == "html":
            try:
                plain, ents = parse_html(text, strict_ampersand=self.strict_ampersand)
            except HtmlParseError as exc:
                raise FakeApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        else:
            plain = text
            ents = list(entities) if isinstance(entities, list) else []
        if caption:
            if len(plain) > MAX_CAPTION_LENGTH:
                raise FakeApiError(400, "Bad Request: message caption is too long")
        else:
            if not plain.strip():
                raise FakeApiError(400, "Bad Request: message text is empty")
            if len(plain) > MAX_TEXT_LENGTH:
                raise FakeApiError(400, "Bad Request: message is too long")
        return plain, ents

    def _validate_markup(self, markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
        if markup is None or markup == "":
            return None
        bad_json = "Bad Request: can't parse reply keyboard markup JSON object"
        if not isinstance(markup, dict):
            raise FakeApiError(400, bad_json)
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise FakeApiError(
                    400,
                    'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup '
                    "must be an Array of Arrays",
                )
            total = 0
            for row in rows:
                for button in row:
                    total += 1
                    _validate_inline_button(button)
            if total > 100:
                raise FakeApiError(400, "Bad Request: reply markup is too long")
            return markup
        if inline_only:
            raise FakeApiError(400, "Bad Request: inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise FakeApiError(
                    400,
                    'Bad Request: field "keyboard" of the ReplyKeyboardMarkup '
                    "must be an Array of Arrays",
                )
            for row in rows:
                for button in row:
                    label = button if isinstance(button, str) else (button or {}).get("text")
                    if not isinstance(label, str) or not label:
                        raise FakeApiError(400, "Bad Request: keyboard button text is empty")
            return markup
        if "remove_keyboard" in markup or "force_reply" in markup:
            return markup
        raise FakeApiError(400, bad_json)

    def _store(
        self,
        call: Call,
        chat_id: int,
        kind: str,
        params: dict[str, Any],
        *,
        text: str | None,
        plain: str | None,
        entities: list[dict[str, Any]],
        markup: dict[str, Any] | None,
        **extra: Any,
    ) -> SentMessage:
        sm = SentMessage(
            message_id=self._next_message_id(chat_id),
            chat_id=chat_id,
            kind=kind,
            text=text,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            plain_text=plain,
            entities=entities,
            date=int(time.time()),
            created_call=call.index,
            updated_call=call.index,
            params=params,
            history=[text],
            **extra,
        )
        self._bot_msgs.setdefault(chat_id, []).append(sm)
        return sm

    def _input_file(
        self, p: dict[str, Any], key: str, folder: str
    ) -> tuple[StoredFile, UploadedFile | None]:
        value = p.get(key)
        if isinstance(value, UploadedFile):
            if not value.content:
                raise FakeApiError(400, "Bad Request: file must be non-empty")
            if value.size > MAX_UPLOAD_BYTES:
                raise FakeApiError(413, "Request Entity Too Large")
            mime = value.content_type
            if not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(value.filename)[0] or mime
            stored = self._register_file(
                folder,
                value.content,
                file_name=value.filename,
                mime_type=mime,
                ext="jpg" if folder == "photos" else None,
            )
            return stored, value
        if isinstance(value, str) and value:
            if value in self.files:
                return self.files[value], None
            if re.match(r"^https?://", value):
                name = value.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "file"
                stored = self._register_file(
                    folder,
                    b"",
                    file_name=name,
                    mime_type=mimetypes.guess_type(name)[0],
                    url=value,
                )
                return stored, None
            raise FakeApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        raise FakeApiError(400, f"Bad Request: there is no {key} in the request")

    def _select_updates(self, offset: int, limit: int) -> list[dict[str, Any]]:
        allowed = self._allowed_updates
        if allowed:
            keep: list[dict[str, Any]] = []
            for update in self._pending:
                kind = next((k for k in update if k != "update_id"), "")
                (keep if kind in allowed else self.dropped_updates).append(update)
            self._pending = keep
        return [u for u in self._pending if u["update_id"] >= offset][:limit]

    # ================================================================== methods

    async def _m_true(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        return True

    async def _m_get_me(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_delete_webhook(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        self.webhook_url = ""
        if p.get("drop_pending_updates") is True:
            self.dropped_updates.extend(self._pending)
            self._pending = []
        return True

    async def _m_set_webhook(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        url = str(p.get("url") or "")
        if url and not url.startswith("https://"):
            raise FakeApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self.webhook_url = url
        return True

    async def _m_get_webhook_info(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _m_get_updates(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        if self.webhook_url:
            raise FakeApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = max(1, min(int(p.get("limit") or 100), 100))
        timeout = max(0.0, float(p.get("timeout") or 0))
        if "allowed_updates" in p and isinstance(p["allowed_updates"], list):
            self._allowed_updates = list(p["allowed_updates"]) or None
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._polling_now += 1
        self._notify()
        conflict: list[dict[str, Any]] = []

        def check() -> list[dict[str, Any]] | None:
            if generation != self._poll_generation:
                return conflict
            if self._closing:
                return []
            return self._select_updates(offset, limit) or None

        try:
            found = await self._wait_until(check, timeout)
        finally:
            self._polling_now -= 1
        if found is conflict:
            raise FakeApiError(409, _DEFAULT_DESCRIPTIONS[409])
        result = found or self._select_updates(offset, limit)
        self._delivered.update(u["update_id"] for u in result)
        return result

    async def _m_send_message(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        chat_id = self._chat(p)
        plain, ents = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        markup = self._validate_markup(p.get("reply_markup"))
        sm = self._store(
            call, chat_id, "text", p, text=p.get("text"), plain=plain, entities=ents, markup=markup
        )
        return self._message_json(sm)

    async def _m_send_document(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        chat_id = self._chat(p)
        plain, ents = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        markup = self._validate_markup(p.get("reply_markup"))
        stored, upload = self._input_file(p, "document", "documents")
        sm = self._store(
            call,
            chat_id,
            "document",
            p,
            text=p.get("caption"),
            plain=plain,
            entities=ents,
            markup=markup,
            document=stored.document_json(),
            upload=upload,
            file_id=stored.file_id,
        )
        return self._message_json(sm)

    async def _m_send_photo(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        chat_id = self._chat(p)
        plain, ents = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        markup = self._validate_markup(p.get("reply_markup"))
        stored, upload = self._input_file(p, "photo", "photos")
        sm = self._store(
            call,
            chat_id,
            "photo",
            p,
            text=p.get("caption"),
            plain=plain,
            entities=ents,
            markup=markup,
            photo=stored.photo_json(),
            upload=upload,
            file_id=stored.file_id,
        )
        return self._message_json(sm)

    async def _m_copy_message(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        chat_id = self._chat(p)
        from_chat = self._chat(p, "from_chat_id", check_blocked=False)
        mid = self._int(p, "message_id", "Bad Request: message to copy not found")
        src_bot = self._find_bot_message(from_chat, mid)
        src_user = None
        if (from_chat, mid) not in self._deleted_user_msgs:
            src_user = self._user_msgs.get((from_chat, mid))
        if src_bot is None and src_user is None:
            raise FakeApiError(400, "Bad Request: message to copy not found")
        extra: dict[str, Any] = {"copied_from": (from_chat, mid)}
        if src_bot is not None:
            kind, plain, ents = src_bot.kind, src_bot.plain_text, list(src_bot.entities)
            for key in ("document", "photo", "sticker", "file_id"):
                extra[key] = getattr(src_bot, key)
        else:
            assert src_user is not None
            if "text" in src_user:
                kind, plain = "text", src_user["text"]
                ents = list(src_user.get("entities", []))
            else:
                kind = next((k for k in ("document", "photo", "sticker") if k in src_user), "text")
                plain = src_user.get("caption")
                ents = list(src_user.get("caption_entities", []))
                if kind in {"document", "photo", "sticker"}:
                    extra[kind] = src_user[kind]
        if kind != "text" and "caption" in p:
            plain, ents = self._format(
                p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
            )
        markup = self._validate_markup(p.get("reply_markup"))
        sm = self._store(
            call, chat_id, kind, p, text=plain, plain=plain, entities=ents, markup=markup, **extra
        )
        return {"message_id": sm.message_id}

    def _editable(self, p: dict[str, Any]) -> SentMessage:
        chat_id = self._chat(p)
        mid = self._int(p, "message_id", "Bad Request: message to edit not found")
        sm = self._find_bot_message(chat_id, mid)
        if sm is None:
            if (chat_id, mid) in self._user_msgs and (chat_id, mid) not in self._deleted_user_msgs:
                raise FakeApiError(400, "Bad Request: message can't be edited")
            raise FakeApiError(400, "Bad Request: message to edit not found")
        return sm

    def _apply_edit(
        self,
        call: Call,
        sm: SentMessage,
        *,
        text: str | None,
        parse_mode: Any,
        plain: str | None,
        entities: list[dict[str, Any]],
        markup: dict[str, Any] | None,
    ) -> Any:
        if plain == sm.plain_text and entities == sm.entities and markup == sm.inline_markup:
            raise FakeApiError(400, _NOT_MODIFIED)
        sm.text = text
        sm.parse_mode = parse_mode
        sm.plain_text = plain
        sm.entities = entities
        sm.reply_markup = markup
        sm.edits += 1
        sm.edit_date = int(time.time())
        sm.updated_call = call.index
        sm.history.append(text)
        return self._message_json(sm)

    async def _m_edit_message_text(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        plain, ents = self._format(
            p.get("text"), p.get("parse_mode"), p.get("entities"), caption=False
        )
        markup = self._validate_markup(p.get("reply_markup"), inline_only=True)
        if p.get("inline_message_id"):
            return True
        sm = self._editable(p)
        if sm.kind != "text":
            raise FakeApiError(400, "Bad Request: there is no text in the message to edit")
        return self._apply_edit(
            call,
            sm,
            text=p.get("text"),
            parse_mode=p.get("parse_mode"),
            plain=plain,
            entities=ents,
            markup=markup,
        )

    async def _m_edit_message_caption(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        plain, ents = self._format(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        markup = self._validate_markup(p.get("reply_markup"), inline_only=True)
        if p.get("inline_message_id"):
            return True
        sm = self._editable(p)
        if sm.kind == "text":
            raise FakeApiError(400, "Bad Request: there is no caption in the message to edit")
        return self._apply_edit(
            call,
            sm,
            text=p.get("caption"),
            parse_mode=p.get("parse_mode"),
            plain=plain,
            entities=ents,
            markup=markup,
        )

    async def _m_edit_message_reply_markup(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        markup = self._validate_markup(p.get("reply_markup"), inline_only=True)
        if p.get("inline_message_id"):
            return True
        sm = self._editable(p)
        if markup == sm.inline_markup:
            raise FakeApiError(400, _NOT_MODIFIED)
        sm.reply_markup = markup
        sm.edits += 1
        sm.edit_date = int(time.time())
        sm.updated_call = call.index
        return self._message_json(sm)

    async def _m_delete_message(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        chat_id = self._chat(p, check_blocked=False)
        mid = self._int(p, "message_id", "Bad Request: message to delete not found")
        sm = self._find_bot_message(chat_id, mid)
        if sm is not None:
            sm.deleted = True
            sm.updated_call = call.index
            return True
        key = (chat_id, mid)
        if key in self._user_msgs and key not in self._deleted_user_msgs:
            self._deleted_user_msgs.add(key)
            return True
        raise FakeApiError(400, "Bad Request: message to delete not found")

    async def _m_answer_callback_query(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        query_id = str(p.get("callback_query_id") or "")
        if query_id not in self._open_callbacks:
            raise FakeApiError(400, _QUERY_TOO_OLD)
        text = p.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_TEXT:
            raise FakeApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_callbacks.discard(query_id)
        self.callback_answers[query_id] = p
        return True

    async def _m_answer_inline_query(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        query_id = str(p.get("inline_query_id") or "")
        if query_id not in self._open_inline:
            raise FakeApiError(400, _QUERY_TOO_OLD)
        results = p.get("results")
        if not isinstance(results, list):
            raise FakeApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > 50:
            raise FakeApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or "type" not in result or "id" not in result:
                raise FakeApiError(400, "Bad Request: can't parse inline query result")
            rid = str(result["id"])
            if not 1 <= len(rid.encode()) <= 64:
                raise FakeApiError(400, "Bad Request: RESULT_ID_INVALID")
            if rid in seen:
                raise FakeApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
            seen.add(rid)
            if result["type"] == "article" and not result.get("title"):
                raise FakeApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            self._validate_markup(result.get("reply_markup"), inline_only=True)
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._format(
                    content.get("message_text"),
                    content.get("parse_mode"),
                    content.get("entities"),
                    caption=False,
                )
        self._open_inline.discard(query_id)
        self.inline_answers[query_id] = p
        return True

    @staticmethod
    def _scope_key(p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope")
        scope_type = scope.get("type", "default") if isinstance(scope, dict) else "default"
        if isinstance(scope, dict) and "chat_id" in scope:
            scope_type = f"{scope_type}:{scope['chat_id']}"
        return scope_type, str(p.get("language_code") or "")

    async def _m_set_my_commands(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise FakeApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise FakeApiError(400, "Bad Request: too many commands")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.fullmatch(str(cmd.get("command"))):
                raise FakeApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            description = cmd.get("description")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise FakeApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = p.get("scope")
        if isinstance(scope, dict) and "chat_id" in scope:
            self._chat(scope, check_blocked=False)
        key = self._scope_key(p)
        self.my_commands_by_scope[key] = commands
        if key[0] == "default":
            self.my_commands[key[1]] = commands
        return True

    async def _m_get_my_commands(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        return self.my_commands_by_scope.get(self._scope_key(p), [])

    async def _m_delete_my_commands(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        key = self._scope_key(p)
        self.my_commands_by_scope.pop(key, None)
        if key[0] == "default":
            self.my_commands.pop(key[1], None)
        return True

    async def _m_send_chat_action(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        self._chat(p)
        if p.get("action") not in _CHAT_ACTIONS:
            raise FakeApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _m_get_file(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        stored = self.files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise FakeApiError(400, "Bad Request: invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            raise FakeApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def _download(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        path = p["file_path"]
        stored = next((s for s in self.files.values() if s.file_path == path), None)
        if stored is None:
            raise FakeApiError(404, "Not Found")
        return _RawBody(stored.content, stored.mime_type or "application/octet-stream")


def _uid(user: FakeUser | int) -> int:
    return user if isinstance(user, int) else user.id


def _spec_error(violation: Violation) -> FakeApiError:
    """How the Bot API answers a request that breaks its specification: Telegram's own words
    where the fake knows them, with the field and the reason added."""
    detail = str(violation)
    if violation.kind == "unknown_method":
        return FakeApiError(404, "Not Found: method not found", detail=detail)
    name = violation.field.rsplit(".", 1)[-1]
    known = None
    if violation.kind == "limit":
        if name == "callback_data":
            known = "BUTTON_DATA_INVALID"
        elif name in {"text", "message_text"} and violation.method != "answerCallbackQuery":
            empty = violation.reason.startswith("0 ")
            known = "message text is empty" if empty else "message is too long"
        elif name == "caption":
            known = "message caption is too long"
        elif violation.method == "answerCallbackQuery" and name == "text":
            known = "MESSAGE_TOO_LONG"
    elif violation.kind == "missing" and violation.field == "text":
        known = "message text is empty"
    elif violation.kind == "rule" and "inline_keyboard[" in violation.field and not violation.value:
        known = (
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    where = violation.field or violation.method
    if known is not None:
        return FakeApiError(
            400, f"Bad Request: {known} ({where}: {violation.reason})", detail=detail
        )
    return FakeApiError(400, f"Bad Request: {where}: {violation.reason}", detail=detail)


def _decode_field(key: str, value: str) -> Any:
    if key in _STRING_FIELDS:
        return value
    if value in ("true", "false"):
        return value == "true"
    if _INT_RE.fullmatch(value):
        return int(value)
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise FakeApiError(
            400,
            'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String',
        )
    if not button["text"]:
        raise FakeApiError(400, "Bad Request: can't parse inline keyboard button: Text is empty")
    if not any(k in button for k in _INLINE_BUTTON_ACTIONS):
        raise FakeApiError(
            400,
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise FakeApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _URL_RE.match(url):
            raise FakeApiError(
                400, f"Bad Request: inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
            )
