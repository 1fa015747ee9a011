"""A fake VK API (community token) + Bots Long Poll server for tests.

``vk_api`` posts url-encoded forms to ``https://api.vk.ru/method/{name}``; redirect them
to ``f"{vk.url}/method/"`` (e.g. with a ``requests.Session`` whose ``request()`` rewrites
the prefix).  ``groups.getLongPollServer`` hands out ``f"{vk.url}/lp"`` as the long poll
server, so ``VkBotLongPoll`` talks to the fake without further changes.  Answers are
``{"response": ...}`` or ``{"error": {...}}`` with HTTP 200, like VK.  Every API call (those
inside ``execute`` too) is checked against the official VK API schema (:mod:`tests.fakes.spec`):
a violation is answered with a VK error naming the parameter and recorded in
``spec_violations``, which fails the test (tests/conftest.py).
See :class:`FakeVK` for the test-facing API.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from tests.fakes import Call, FakeApiError, FakeServerBase, Fault, UploadedFile, _safe
from tests.fakes.spec import Violation, vk_spec

__all__ = [
    "ExecuteCompileError",
    "ExecuteProgram",
    "FakeVK",
    "FakeVkUser",
    "VkDoc",
    "VkMessage",
    "parse_execute",
]

API_VERSION = "5.199"
MAX_MESSAGE_LENGTH = 9000
MAX_PEER_IDS = 100
MAX_PAYLOAD_LENGTH = 255
MAX_LABEL_LENGTH = 40
MAX_BUTTONS_PER_ROW = 5
MAX_SNACKBAR_TEXT = 90
#: (rows, buttons in total) limits for inline / regular keyboards
INLINE_LIMITS = (6, 10)
REGULAR_LIMITS = (10, 40)
CHAT_PEER_START = 2_000_000_000

BUTTON_ACTIONS = [
    "text",
    "vkpay",
    "open_app",
    "location",
    "open_link",
    "callback",
    "intent_subscribe",
    "intent_unsubscribe",
]
_COLORS = frozenset({"primary", "secondary", "negative", "positive"})

_MISSING = "One of the parameters specified was missing or invalid"
_NO_PERMISSION = "Can't send messages for users without permission"
_KEYBOARD_INVALID = "Keyboard format is invalid"

_DEFAULT_ERRORS = {
    1: "Unknown error occurred",
    3: "Unknown method passed",
    5: "User authorization failed: invalid access_token",
    6: "Too many requests per second",
    9: "Flood control",
    10: "Internal server error",
    15: "Access denied",
    29: "Rate limit reached",
    100: _MISSING,
    901: _NO_PERMISSION,
    902: "Can't send messages to this user due to their privacy settings",
    911: _KEYBOARD_INVALID,
    914: "Message is too long",
}

#: Params decoded to int in :attr:`Call.params` when they look like integers.
_INT_FIELDS = frozenset(
    {
        "peer_id",
        "user_id",
        "random_id",
        "conversation_message_id",
        "message_id",
        "group_id",
        "owner_id",
        "album_id",
        "server",
        "dont_parse_links",
        "disable_mentions",
        "cmid",
        "wait",
        "ts",
        "delete_for_all",
    }
)
#: Params decoded from JSON in :attr:`Call.params`.
_JSON_FIELDS = frozenset({"keyboard", "event_data", "template", "content_source", "forward"})
_INT_RE = re.compile(r"-?\d{1,19}")
_ATTACHMENT_RE = re.compile(r"^[a-z_]+-?\d+_\d+(_[A-Za-z0-9]+)?$")

_DOC_TYPES = {
    **dict.fromkeys(("txt", "pdf", "doc", "docx", "rtf", "odt", "xls", "xlsx", "csv"), 1),
    **dict.fromkeys(("zip", "rar", "7z", "tar", "gz"), 2),
    "gif": 3,
    **dict.fromkeys(("jpg", "jpeg", "png", "bmp", "webp"), 4),
    **dict.fromkeys(("mp3", "ogg", "wav", "m4a"), 5),
    **dict.fromkeys(("mp4", "avi", "mov", "mkv"), 6),
    **dict.fromkeys(("epub", "fb2", "djvu"), 7),
}

Handler = Callable[[Call, dict[str, Any], dict[str, UploadedFile]], Awaitable[Any]]
CustomHandler = Callable[[dict[str, Any]], Any]
LongPollFault = Literal[1, 2, 3, "drop"]


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


@dataclass
class FakeVkUser:
    """A simulated VK user; their dialog's peer_id equals ``id``."""

    id: int
    first_name: str
    last_name: str = ""
    lang_id: int = 0

    @property
    def peer_id(self) -> int:
        return self.id

    def to_json(self, fields: set[str] | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "can_access_closed": True,
            "is_closed": False,
        }
        for name in fields or ():
            if name in {"screen_name", "domain"}:
                data[name] = f"id{self.id}"
        return data


@dataclass
class VkDoc:
    """A document or photo known to the fake (sent by a user or uploaded by the bot)."""

    kind: str  # "doc" | "photo"
    id: int
    owner_id: int
    title: str
    ext: str
    size: int
    content: bytes
    url: str
    access_key: str

    @property
    def attachment(self) -> str:
        """Attachment string as used in messages.send, e.g. ``doc-1_5``."""
        return f"{self.kind}{self.owner_id}_{self.id}"


@dataclass
class VkMessage:
    """Current state of one message sent by the bot."""

    id: int
    conversation_message_id: int
    peer_id: int
    text: str
    keyboard: dict[str, Any] | None
    attachment: str | None
    random_id: int
    date: int
    created_call: int
    updated_call: int
    params: dict[str, Any] = field(default_factory=dict)
    edits: int = 0
    deleted: bool = False
    history: list[str] = field(default_factory=list)

    @property
    def message_id(self) -> int:
        return self.id

    @property
    def cmid(self) -> int:
        return self.conversation_message_id

    @property
    def inline(self) -> bool:
        return bool(self.keyboard and self.keyboard.get("inline"))

    def attachments(self) -> list[str]:
        return [a for a in (self.attachment or "").split(",") if a]

    def buttons(self) -> list[list[dict[str, Any]]]:
        """Keyboard rows (each button is ``{"action": {...}, "color": ...}``)."""
        if not self.keyboard:
            return []
        return [list(row) for row in self.keyboard.get("buttons", [])]

    def button_labels(self) -> list[str]:
        return [str(b.get("action", {}).get("label", "")) for row in self.buttons() for b in row]

    def button(self, label: str) -> dict[str, Any]:
        """The button labelled exactly ``label`` (AssertionError if absent)."""
        for row in self.buttons():
            for b in row:
                if b.get("action", {}).get("label") == label:
                    return b
        raise AssertionError(
            f"no button {label!r} in message cmid={self.conversation_message_id} of peer "
            f"{self.peer_id}; buttons: {self.button_labels()!r}"
        )

    def payload(self, label: str) -> dict[str, Any]:
        """Decoded payload of the button labelled ``label`` ({} when it has none)."""
        raw = self.button(label).get("action", {}).get("payload")
        if raw in (None, ""):
            return {}
        value = json.loads(raw) if isinstance(raw, str) else raw
        return value if isinstance(value, dict) else {"value": value}


class FakeVK(FakeServerBase):
    """In-process fake of the VK API for a community token plus Bots Long Poll.

    Test-facing attributes: ``calls``, ``event_answers``, ``users``, ``docs``,
    ``uploads``, ``dedup_hits``, ``too_many_requests``, ``events``, ``spec_violations`` (see
    :meth:`take_spec_violations`).

    ``execute`` understands the code a bot generates to batch calls,
    ``return [API.a.b({...}), ...];`` (see :meth:`_execute`); the calls it runs are
    recorded in ``calls`` like direct ones, with ``via_execute=True``.
    """

    kind = "FakeVK"

    def __init__(
        self,
        token: str = "vk-test-token",
        group_id: int = 1,
        group_screen_name: str = "hr_test_group",
        group_name: str = "HR Test Group",
        check_spec: bool = True,
    ) -> None:
        """``check_spec=False`` stops checking requests against the VK API schema
        (tests.fakes.spec); it is on by default, and a violation is answered with a VK error
        (100, or 911 / 914 / 3 where VK has its own) and recorded in ``spec_violations``."""
        super().__init__(check_spec=check_spec)
        if check_spec:
            vk_spec()  # read once per process; a missing specification fails loudly here
        self.token = token
        self.group_id = group_id
        self.group_screen_name = group_screen_name
        self.group_name = group_name
        #: event_id -> params of messages.sendMessageEventAnswer (event_data decoded)
        self.event_answers: dict[str, dict[str, Any]] = {}
        self.users: dict[int, FakeVkUser] = {}
        #: attachment string ("doc123_4", "photo-1_7") -> file
        self.docs: dict[str, VkDoc] = {}
        #: number of files received by the upload endpoints
        self.uploads: int = 0
        #: number of messages.send deliveries answered from the random_id dedup table
        self.dedup_hits: int = 0
        #: every long poll event ever queued, in order
        self.events: list[dict[str, Any]] = []
        self._chats: set[int] = set()
        self._blocked: set[int] = set()
        self._bot_msgs: dict[int, list[VkMessage]] = {}
        self._user_msgs: dict[tuple[int, int], dict[str, Any]] = {}
        self._random_ids: dict[tuple[int, int], VkMessage] = {}
        self._ids = itertools.count(1)
        self._cmids: dict[int, int] = {}
        self._doc_ids = itertools.count(1001)
        self._open_events: dict[str, tuple[int, int]] = {}
        self._used_events: set[str] = set()
        self._pending_uploads: dict[str, UploadedFile] = {}
        self._lp_keys: set[str] = set()
        self._lp_faults: deque[LongPollFault] = deque()
        self._ts_base = 1
        self._delivered_ts = self._ts_base
        self._polling_now = 0
        self._handlers: dict[str, tuple[str, Handler]] = {}
        #: methods added by :meth:`set_handler` with ``outside_spec=True`` (lower-case)
        self._outside_spec: set[str] = set()
        for name, handler in {
            "groups.getLongPollServer": self._m_get_long_poll_server,
            "groups.getById": self._m_groups_get_by_id,
            "groups.setLongPollSettings": self._m_one,
            "groups.getOnlineStatus": self._m_online_status,
            "users.get": self._m_users_get,
            "messages.send": self._m_send,
            "messages.edit": self._m_edit,
            "messages.delete": self._m_delete,
            "messages.sendMessageEventAnswer": self._m_event_answer,
            "messages.setActivity": self._m_one,
            "messages.markAsRead": self._m_one,
            "docs.getMessagesUploadServer": self._m_doc_upload_server,
            "docs.getUploadServer": self._m_doc_upload_server,
            "docs.getWallUploadServer": self._m_doc_upload_server,
            "docs.save": self._m_docs_save,
            "photos.getMessagesUploadServer": self._m_photo_upload_server,
            "photos.saveMessagesPhoto": self._m_save_messages_photo,
            "utils.getServerTime": self._m_server_time,
        }.items():
            self._handlers[name.lower()] = (name, handler)

    # ================================================================== server

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=220 * 1024 * 1024)
        app.router.add_route("*", "/method/{name}", self._handle_method)
        app.router.add_route("*", "/lp", self._handle_longpoll)
        app.router.add_post("/upload/{kind}", self._handle_upload)
        app.router.add_get("/doc/{ref}", self._handle_download)
        app.router.add_get("/photo/{ref}", self._handle_download)
        return app

    @staticmethod
    async def _read_params(
        request: web.Request,
    ) -> tuple[dict[str, str], dict[str, UploadedFile]]:
        raw: dict[str, str] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.method == "POST" and request.can_read_body:
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
        return raw, files

    def _error(self, call: Call, exc: FakeApiError) -> web.Response:
        self._finish_error(call, exc.code, exc.description, exc.detail)
        request_params = [
            {"key": "method", "value": call.method},
            {"key": "oauth", "value": "1"},
        ]
        for key, value in call.params.items():
            if key != "access_token":
                request_params.append({"key": key, "value": _to_str(value)})
        body = {
            "error": {
                "error_code": exc.code,
                "error_msg": exc.description,
                "request_params": request_params,
            }
        }
        return web.json_response(body, dumps=_dumps)

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        raw, files = await self._read_params(request)
        entry = self._handlers.get(name.lower())
        builtin_execute = entry is None and name.lower() == "execute"
        call = self._record(
            "execute" if builtin_execute else entry[0] if entry else name, _decode_params(raw)
        )
        if raw.get("access_token") != self.token:
            return self._error(call, FakeApiError(5, _DEFAULT_ERRORS[5]))
        violations = self._spec_check(call, name, raw)
        # the community token's limit: every request counts once (an execute too, however
        # many calls it makes); long poll, uploads and downloads are other routes
        if self._rate_limited():
            return self._error(call, FakeApiError(6, _DEFAULT_ERRORS[6]))
        if entry is None and not builtin_execute:
            return self._error(
                call,
                _spec_error(violations[0]) if violations else FakeApiError(3, _DEFAULT_ERRORS[3]),
            )
        if not raw.get("v"):
            return self._error(call, FakeApiError(8, "Invalid request: v is required"))
        if violations:
            return self._error(call, _spec_error(violations[0]))
        fault = self._take_fault(call.method)
        if fault is not None and fault.kind == "drop" and not fault.after_effect:
            return self._drop(request, call)
        if fault is not None and fault.kind == "fail":
            return self._error(call, FakeApiError(fault.error_code, fault.description or ""))
        if entry is None:
            return await self._execute(request, call, fault)
        try:
            result = await entry[1](call, call.params, files)
        except FakeApiError as exc:
            return self._error(call, exc)
        self._finish_ok(call, result)
        if fault is not None and fault.kind == "drop":
            return self._drop(request, call)
        if fault is not None and fault.kind == "delay":
            call.delayed = fault.seconds
            await self._pause(fault.seconds)
        return web.json_response({"response": result}, dumps=_dumps)

    # ================================================================== execute

    async def _execute(
        self, request: web.Request, call: Call, fault: Fault | None
    ) -> web.StreamResponse:
        """``execute``: run the API calls of ``code`` in order, each like a direct call
        (same handlers, validation and queued faults, each recorded in :attr:`calls` with
        ``via_execute=True``), and answer ``{"response": ..., "execute_errors": [...]}``.

        Only ``return API.a.b({...});`` and ``return [API.a.b({...}), ...];`` are
        understood (each argument one JSON object); anything else is error 12.  A failed
        call gives ``false`` in its place and an ``execute_errors`` entry.  A queued drop
        for an inner call loses the whole answer (before or after its effect).
        """
        code = call.params.get("code")
        if not isinstance(code, str) or not code.strip():
            return self._error(call, FakeApiError(100, f"{_MISSING}: code is undefined"))
        try:
            program = parse_execute(code)
        except ExecuteCompileError as exc:
            return self._error(call, FakeApiError(12, "Unable to compile code", detail=str(exc)))
        if len(program.calls) > MAX_EXECUTE_CALLS:
            return self._error(
                call,
                FakeApiError(
                    13,
                    "Runtime error occurred during code invocation: Too many API calls",
                    detail=f"{len(program.calls)} calls > {MAX_EXECUTE_CALLS}",
                ),
            )
        results: list[Any] = []
        errors: list[dict[str, Any]] = []
        delay = fault.seconds if fault is not None and fault.kind == "delay" else 0.0
        drop_answer = fault is not None and fault.kind == "drop"
        for method, args in program.calls:
            entry = self._handlers.get(method.lower())
            inner = self._record(entry[0] if entry else method, _decode_params(args))
            inner.via_execute = True
            violations = self._spec_check(inner, method, args)
            error: FakeApiError | None = _spec_error(violations[0]) if violations else None
            inner_fault = (
                self._take_fault(inner.method) if entry is not None and error is None else None
            )
            if error is None and (entry is None or method.lower() == "execute"):
                error = FakeApiError(3, _DEFAULT_ERRORS[3])
            elif inner_fault is not None and inner_fault.kind == "drop":
                if not inner_fault.after_effect:
                    inner.dropped = inner.failed = inner.done = True
                    inner.description = "connection dropped"
                    self._notify()
                    self._finished(inner)
                    return self._drop(request, call)
                drop_answer = True
            elif inner_fault is not None and inner_fault.kind == "fail":
                error = FakeApiError(inner_fault.error_code, inner_fault.description or "")
            if error is None and entry is not None:
                try:
                    result = await entry[1](inner, inner.params, {})
                except FakeApiError as exc:
                    error = exc
            if error is not None:
                self._finish_error(inner, error.code, error.description, error.detail)
                results.append(False)
                errors.append(
                    {
                        "method": inner.method,
                        "error_code": error.code,
                        "error_msg": error.description,
                    }
                )
                continue
            if inner_fault is not None and inner_fault.kind == "drop":
                inner.dropped = True
            if inner_fault is not None and inner_fault.kind == "delay":
                inner.delayed = inner_fault.seconds
                delay = max(delay, inner_fault.seconds)
            self._finish_ok(inner, result)
            results.append(result)
        response: Any = results if program.is_list else results[0]
        self._finish_ok(call, response)
        if drop_answer:
            return self._drop(request, call)
        if delay:
            call.delayed = delay
            await self._pause(delay)
        body: dict[str, Any] = {"response": response}
        if errors:
            body["execute_errors"] = errors
        return web.json_response(body, dumps=_dumps)

    def _spec_check(self, call: Call, method: str, raw: dict[str, str]) -> list[Violation]:
        """Check one call against the VK API schema; record what it breaks."""
        if not self.check_spec or method.lower() in self._outside_spec:
            return []
        violations = vk_spec().check(method, raw)
        if violations:
            self._record_violations(call, violations)
        return violations

    # ================================================================== faults

    def fail_next(
        self, method: str, error_code: int, error_msg: str | None = None, times: int = 1
    ) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" = any) with VK error
        ``error_code`` (e.g. 6 too many rps, 9 flood control, 10 internal, 901).

        Note: vk_api itself retries error 6 after 0.5 s."""
        msg = error_msg or _DEFAULT_ERRORS.get(error_code, f"Error {error_code}")
        self._queue_fault(method, Fault(kind="fail", error_code=error_code, description=msg), times)

    def rate_limit(self, per_second: float | None) -> None:
        """Answer error 6 to API requests beyond ``per_second`` in any 1 s window (a
        community token's limit).  Every request to ``/method/...`` with the right token
        counts once, whatever its outcome; an ``execute`` is one request however many calls
        it runs.  Long poll, uploads and downloads never count."""
        super().rate_limit(per_second)

    def fail_longpoll(self, code: Literal[1, 2, 3]) -> None:
        """The next (or the currently waiting) a_check answers ``{"failed": code}``.

        1: ``{"failed": 1, "ts": <the requested ts>}`` (no event is lost);
        2: every issued key becomes invalid until getLongPollServer is called again;
        3: like 2 (key and ts lost; the new ts from getLongPollServer loses nothing).
        """
        self._lp_faults.append(code)
        self._notify()

    def drop_longpoll_next(self) -> None:
        """Close the connection of the next (or the currently waiting) a_check once."""
        self._lp_faults.append("drop")
        self._notify()

    def set_handler(
        self, method: str, handler: CustomHandler, *, outside_spec: bool = False
    ) -> None:
        """Add/override an API method: ``handler(params)`` returns the ``response`` value
        (or an awaitable of it) or raises :class:`tests.fakes.FakeApiError`.

        Its calls are checked against the VK API schema like any other, unless
        ``outside_spec=True``: for a test's own control endpoints that are no VK method."""

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
        last_name: str = "",
        lang_id: int = 0,
    ) -> FakeVkUser:
        """Create (or update) a user who has allowed messages from the community."""
        user = FakeVkUser(id=id, first_name=first_name, last_name=last_name, lang_id=lang_id)
        self.users[id] = user
        return user

    def add_chat(self, peer_id: int) -> None:
        """Register a group chat peer (>= 2000000000) the bot may send to."""
        self._chats.add(peer_id)

    def block(self, user: FakeVkUser | int, *, with_event: bool = False) -> None:
        """The user forbids messages: later sends to them fail with error 901.

        ``with_event=True`` also queues a ``message_deny`` event."""
        uid = _uid(user)
        self._blocked.add(uid)
        if with_event:
            self._push_event("message_deny", {"user_id": uid})

    def unblock(self, user: FakeVkUser | int, *, with_event: bool = False) -> None:
        uid = _uid(user)
        self._blocked.discard(uid)
        if with_event:
            self._push_event("message_allow", {"user_id": uid, "key": ""})

    def client_info(self, user: FakeVkUser) -> dict[str, Any]:
        return {
            "button_actions": list(BUTTON_ACTIONS),
            "keyboard": True,
            "inline_keyboard": True,
            "carousel": True,
            "lang_id": user.lang_id,
        }

    def send_text(
        self,
        user: FakeVkUser,
        text: str,
        payload: dict[str, Any] | None = None,
        ref: str | None = None,
        ref_source: str | None = None,
        *,
        attachments: list[dict[str, Any]] | None = None,
    ) -> int:
        """User writes ``text`` (message_new). Returns its conversation_message_id."""
        msg = self._user_message(user, text)
        if payload is not None:
            msg["payload"] = json.dumps(payload, ensure_ascii=False)
        if ref is not None:
            msg["ref"] = ref
        if ref_source is not None:
            msg["ref_source"] = ref_source
        if attachments:
            msg["attachments"] = attachments
        self._push_event("message_new", {"message": msg, "client_info": self.client_info(user)})
        return int(msg["conversation_message_id"])

    def send_doc(
        self,
        user: FakeVkUser,
        title: str = "resume.pdf",
        ext: str = "pdf",
        size: int | None = None,
        content: bytes = b"%PDF-1.4\n% fake resume\n",
        text: str = "",
    ) -> int:
        """User sends a document (downloadable from ``doc["url"]``). Returns cmid.

        ``size`` is what VK reports (defaults to ``len(content)``)."""
        doc = self._new_doc("doc", user.id, title, ext, content, size)
        attachment = {
            "type": "doc",
            "doc": {
                "id": doc.id,
                "owner_id": doc.owner_id,
                "title": doc.title,
                "size": doc.size,
                "ext": doc.ext,
                "date": int(time.time()),
                "type": _DOC_TYPES.get(ext.lower(), 8),
                "url": doc.url,
                "access_key": doc.access_key,
            },
        }
        return self.send_text(user, text, attachments=[attachment])

    def send_photo(
        self, user: FakeVkUser, text: str = "", content: bytes = b"\xff\xd8\xff\xe0fake-jpeg"
    ) -> int:
        """User sends a photo. Returns cmid."""
        doc = self._new_doc("photo", user.id, "photo.jpg", "jpg", content, None)
        attachment = {
            "type": "photo",
            "photo": {
                "id": doc.id,
                "owner_id": doc.owner_id,
                "album_id": -3,
                "date": int(time.time()),
                "access_key": doc.access_key,
                "text": "",
                "has_tags": False,
                "sizes": [
                    {"type": "s", "url": doc.url, "width": 75, "height": 56},
                    {"type": "x", "url": doc.url, "width": 604, "height": 453},
                ],
            },
        }
        return self.send_text(user, text, attachments=[attachment])

    def press(
        self,
        user: FakeVkUser,
        conversation_message_id: int,
        payload: dict[str, Any] | None,
        *,
        peer_id: int | None = None,
    ) -> str:
        """User presses a callback button (message_event). Returns the event_id.

        Works for any cmid/payload, so tests can forge presses."""
        peer = user.id if peer_id is None else peer_id
        event_id = secrets.token_hex(6)
        self._open_events[event_id] = (user.id, peer)
        self._push_event(
            "message_event",
            {
                "user_id": user.id,
                "peer_id": peer,
                "event_id": event_id,
                "payload": payload if payload is not None else {},
                "conversation_message_id": conversation_message_id,
            },
        )
        return event_id

    def press_button(self, user: FakeVkUser, message: VkMessage | None, label: str) -> str:
        """Press the *callback* button ``label`` of a bot message (default: the newest
        message to the user having such a button). Returns the event_id."""
        msg = self._message_with_button(user, message, label)
        button = msg.button(label)
        if button.get("action", {}).get("type") != "callback":
            raise AssertionError(f"button {label!r} is not a callback button: {button!r}")
        return self.press(
            user, msg.conversation_message_id, msg.payload(label), peer_id=msg.peer_id
        )

    def send_button(self, user: FakeVkUser, label: str, message: VkMessage | None = None) -> int:
        """Tap the *text* button ``label`` (message_new with its label and payload), as a
        VK client does. Default message: the newest one to the user having the button.
        Returns the cmid of the user's message."""
        msg = self._message_with_button(user, message, label)
        button = msg.button(label)
        if button.get("action", {}).get("type") != "text":
            raise AssertionError(f"button {label!r} is not a text button: {button!r}")
        return self.send_text(user, label, payload=msg.payload(label) or None)

    def raw_event(self, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Queue an arbitrary Bots Long Poll event; returns it."""
        return self._push_event(event_type, obj)

    # ================================================================== inspection

    def messages(self, peer_id: int, *, include_deleted: bool = False) -> list[VkMessage]:
        """Current state of every bot message to the peer, oldest first."""
        return [m for m in self._bot_msgs.get(peer_id, []) if include_deleted or not m.deleted]

    def last(self, peer_id: int) -> VkMessage:
        msgs = self.messages(peer_id)
        if not msgs:
            raise AssertionError(
                f"no bot messages to peer {peer_id}.\nRecent calls:\n{self.format_calls()}"
            )
        return msgs[-1]

    def message(self, peer_id: int, conversation_message_id: int) -> VkMessage:
        for m in self._bot_msgs.get(peer_id, []):
            if m.conversation_message_id == conversation_message_id:
                return m
        raise AssertionError(f"no bot message cmid={conversation_message_id} to peer {peer_id}")

    def is_blocked(self, user: FakeVkUser | int) -> bool:
        return _uid(user) in self._blocked

    def attachment_content(self, attachment: str) -> bytes:
        """Bytes of an uploaded/sent doc or photo, by attachment string (access key ok)."""
        key = "_".join(attachment.split("_")[:2])
        return self.docs[key].content

    @property
    def undelivered_events(self) -> list[dict[str, Any]]:
        return self.events[self._delivered_ts - self._ts_base :]

    async def wait_message(
        self,
        peer_id: int,
        predicate: Callable[[VkMessage], bool] | None = None,
        timeout: float = 10.0,
        since: int | None = None,
    ) -> VkMessage:
        """Wait for a bot message to the peer created or edited by a call at index >=
        ``since`` (``vk.mark()``; default 0 = any) that satisfies ``predicate``.

        Returns the earliest-changed match (current state)."""
        start = since or 0

        def check() -> VkMessage | None:
            found = [
                m
                for m in self._bot_msgs.get(peer_id, [])
                if not m.deleted
                and m.updated_call >= start
                and (predicate is None or _safe(predicate, m))
            ]
            return min(found, key=lambda m: m.updated_call) if found else None

        result = await self._wait_until(check, timeout)
        if result is None:
            existing = "\n".join(
                f"  [cmid {m.conversation_message_id}] (call #{m.updated_call}) {m.text!r} "
                f"buttons={m.button_labels()}"
                for m in self.messages(peer_id)[-10:]
            )
            raise AssertionError(
                f"FakeVK: timed out after {timeout}s waiting for a message to peer {peer_id} "
                f"(since call #{start}).\nMessages:\n{existing or '  (none)'}"
                f"\nRecent calls:\n{self.format_calls()}"
            )
        return result

    async def wait_polling(self, timeout: float = 10.0) -> None:
        """Wait until a long poll a_check is in progress (the bot is listening)."""
        ok = await self._wait_until(lambda: True if self._polling_now > 0 else None, timeout)
        if ok is None:
            raise AssertionError(
                f"FakeVK: nobody is long-polling after {timeout}s.\n"
                f"Recent calls:\n{self.format_calls()}"
            )

    async def wait_delivered(self, timeout: float = 10.0) -> None:
        """Wait until every queued event has been handed out by a long poll."""
        ok = await self._wait_until(lambda: True if not self.undelivered_events else None, timeout)
        if ok is None:
            raise AssertionError(
                f"FakeVK: {len(self.undelivered_events)} event(s) not delivered after "
                f"{timeout}s.\nRecent calls:\n{self.format_calls()}"
            )

    # ================================================================== internals

    def _next_cmid(self, peer_id: int) -> int:
        n = self._cmids.get(peer_id, 0) + 1
        self._cmids[peer_id] = n
        return n

    def _user_message(self, user: FakeVkUser, text: str) -> dict[str, Any]:
        if user.id not in self.users:
            self.users[user.id] = user
        cmid = self._next_cmid(user.id)
        msg: dict[str, Any] = {
            "date": int(time.time()),
            "from_id": user.id,
            "id": next(self._ids),
            "out": 0,
            "version": len(self.events) + 1,
            "attachments": [],
            "conversation_message_id": cmid,
            "fwd_messages": [],
            "important": False,
            "is_hidden": False,
            "peer_id": user.id,
            "random_id": 0,
            "text": text,
        }
        self._user_msgs[(user.id, cmid)] = msg
        return msg

    def _push_event(self, type_: str, obj: dict[str, Any]) -> dict[str, Any]:
        event = {
            "group_id": self.group_id,
            "type": type_,
            "event_id": secrets.token_hex(20),
            "v": API_VERSION,
            "object": obj,
        }
        self.events.append(event)
        self._notify()
        return event

    def _new_doc(
        self, kind: str, owner_id: int, title: str, ext: str, content: bytes, size: int | None
    ) -> VkDoc:
        doc_id = next(self._doc_ids)
        ref = f"{owner_id}_{doc_id}"
        access_key = secrets.token_hex(9)
        route = "doc" if kind == "doc" else "photo"
        doc = VkDoc(
            kind=kind,
            id=doc_id,
            owner_id=owner_id,
            title=title,
            ext=ext,
            size=len(content) if size is None else size,
            content=content,
            url=f"{self.url}/{route}/{ref}?dl={access_key}",
            access_key=access_key,
        )
        self.docs[f"{kind}{ref}"] = doc
        return doc

    def _message_with_button(
        self, user: FakeVkUser, message: VkMessage | None, label: str
    ) -> VkMessage:
        if message is not None:
            return message
        for msg in reversed(self.messages(user.id)):
            if label in msg.button_labels():
                return msg
        raise AssertionError(f"no bot message to {user.id} has a button {label!r}")

    def _peer_ok(self, peer: int) -> bool:
        if peer in self._blocked:
            return False
        return peer in self.users or peer in self._chats

    @staticmethod
    def _int_param(p: dict[str, Any], key: str, *, required: bool = True) -> int | None:
        value = p.get(key)
        if value is None or value == "":
            if required:
                raise FakeApiError(100, f"{_MISSING}: {key} is a required parameter")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise FakeApiError(100, f"{_MISSING}: {key} not integer")

    def _validate_text(self, p: dict[str, Any]) -> tuple[str, str | None]:
        message = str(p.get("message") or "")
        attachment = str(p.get("attachment") or "") or None
        if len(message) > MAX_MESSAGE_LENGTH:
            raise FakeApiError(914, "Message is too long")
        if not message.strip() and not attachment and not p.get("sticker_id"):
            raise FakeApiError(100, f"{_MISSING}: message is empty or invalid")
        if attachment:
            for item in attachment.split(","):
                if not _ATTACHMENT_RE.match(item.strip()):
                    raise FakeApiError(100, f"{_MISSING}: attachment is invalid")
        return message, attachment

    # ================================================================== methods

    async def _m_one(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        return 1

    async def _m_server_time(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        return int(time.time())

    async def _m_online_status(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        return {"status": "online"}

    async def _m_get_long_poll_server(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        group_id = self._int_param(p, "group_id")
        if group_id != self.group_id:
            raise FakeApiError(15, "Access denied: no access to this group")
        key = secrets.token_hex(20)
        self._lp_keys.add(key)
        return {"key": key, "server": f"{self.url}/lp", "ts": str(self._delivered_ts)}

    async def _m_groups_get_by_id(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        return {
            "groups": [
                {
                    "id": self.group_id,
                    "name": self.group_name,
                    "screen_name": self.group_screen_name,
                    "is_closed": 0,
                    "type": "group",
                }
            ],
            "profiles": [],
        }

    async def _m_users_get(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        raw_ids = p.get("user_ids", p.get("user_id", ""))
        fields = {x.strip() for x in str(p.get("fields") or "").split(",") if x.strip()}
        result = []
        for raw_part in str(raw_ids).split(","):
            part = raw_part.strip()
            if part.startswith("id") and part[2:].isdigit():
                part = part[2:]
            if _INT_RE.fullmatch(part) and int(part) in self.users:
                result.append(self.users[int(part)].to_json(fields))
        return result

    async def _m_send(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        random_id = self._int_param(p, "random_id")
        assert random_id is not None
        multi = "peer_ids" in p
        peers: list[int]
        if multi:
            parts = [x.strip() for x in str(p["peer_ids"]).split(",") if x.strip()]
            if not parts or not all(_INT_RE.fullmatch(x) for x in parts):
                raise FakeApiError(100, f"{_MISSING}: peer_ids is invalid")
            peers = [int(x) for x in parts]
            if len(peers) > MAX_PEER_IDS:
                raise FakeApiError(100, f"{_MISSING}: too many peer_ids")
            p["peer_ids"] = peers
        else:
            peer = self._int_param(p, "peer_id", required=False)
            if peer is None:
                peer = self._int_param(p, "user_id", required=False)
            if peer is None:
                raise FakeApiError(
                    100,
                    f"{_MISSING}: you should specify peer_id, user_id, domain, chat_id "
                    "or user_ids param",
                )
            peers = [peer]
        message, attachment = self._validate_text(p)
        keyboard = _validate_keyboard(p.get("keyboard"))
        results: list[dict[str, Any]] = []
        for peer in peers:
            if not self._peer_ok(peer):
                if not multi:
                    raise FakeApiError(901, _NO_PERMISSION)
                results.append(
                    {"peer_id": peer, "error": {"code": 901, "description": _NO_PERMISSION}}
                )
                continue
            existing = self._random_ids.get((peer, random_id)) if random_id else None
            if existing is not None:
                self.dedup_hits += 1
                vm = existing
            else:
                vm = VkMessage(
                    id=next(self._ids),
                    conversation_message_id=self._next_cmid(peer),
                    peer_id=peer,
                    text=message,
                    keyboard=keyboard,
                    attachment=attachment,
                    random_id=random_id,
                    date=int(time.time()),
                    created_call=call.index,
                    updated_call=call.index,
                    params=p,
                    history=[message],
                )
                self._bot_msgs.setdefault(peer, []).append(vm)
                if random_id:
                    self._random_ids[(peer, random_id)] = vm
            results.append(
                {
                    "peer_id": peer,
                    "message_id": vm.id,
                    "conversation_message_id": vm.conversation_message_id,
                }
            )
        if multi:
            return results
        return results[0]["message_id"]

    def _find_for_edit(self, p: dict[str, Any]) -> VkMessage:
        peer = self._int_param(p, "peer_id")
        assert peer is not None
        cmid = self._int_param(p, "conversation_message_id", required=False)
        mid = self._int_param(p, "message_id", required=False)
        if cmid is None and mid is None:
            raise FakeApiError(
                100, f"{_MISSING}: message_id or conversation_message_id is required"
            )
        for m in self._bot_msgs.get(peer, []):
            if m.deleted:
                continue
            if (cmid is not None and m.conversation_message_id == cmid) or (
                mid is not None and m.id == mid
            ):
                return m
        raise FakeApiError(100, f"{_MISSING}: message_id is invalid")

    async def _m_edit(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        vm = self._find_for_edit(p)
        if not self._peer_ok(vm.peer_id):
            raise FakeApiError(901, _NO_PERMISSION)
        message, attachment = self._validate_text(p)
        keyboard = _validate_keyboard(p.get("keyboard"))
        vm.text = message
        vm.attachment = attachment
        vm.keyboard = keyboard
        vm.edits += 1
        vm.updated_call = call.index
        vm.history.append(message)
        return 1

    async def _m_delete(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        peer = self._int_param(p, "peer_id", required=False)
        result: dict[str, int] = {}
        for key, attr in (("cmids", "conversation_message_id"), ("message_ids", "id")):
            for part in str(p.get(key) or "").split(","):
                if not _INT_RE.fullmatch(part.strip()):
                    continue
                wanted = int(part)
                found = 0
                for msgs in self._bot_msgs.values():
                    for m in msgs:
                        if peer is not None and m.peer_id != peer:
                            continue
                        if getattr(m, attr) == wanted and not m.deleted:
                            m.deleted = True
                            m.updated_call = call.index
                            found = 1
                result[str(wanted)] = found
        if not result:
            raise FakeApiError(100, f"{_MISSING}: message_ids or cmids is required")
        return result

    async def _m_event_answer(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        event_id = str(p.get("event_id") or "")
        owner = self._open_events.get(event_id)
        if owner is None or event_id in self._used_events:
            raise FakeApiError(100, f"{_MISSING}: event_id is invalid")
        user_id = self._int_param(p, "user_id")
        peer_id = self._int_param(p, "peer_id")
        if (user_id, peer_id) != owner:
            raise FakeApiError(100, f"{_MISSING}: user_id or peer_id does not match the event")
        data = p.get("event_data")
        if data not in (None, ""):
            if not isinstance(data, dict):
                raise FakeApiError(100, f"{_MISSING}: event_data is invalid JSON")
            kind = data.get("type")
            if kind not in {"show_snackbar", "open_link", "open_app"}:
                raise FakeApiError(100, f"{_MISSING}: event_data.type is invalid")
            text = data.get("text")
            if kind == "show_snackbar" and (
                not isinstance(text, str) or not 1 <= len(text) <= MAX_SNACKBAR_TEXT
            ):
                raise FakeApiError(100, f"{_MISSING}: event_data.text is invalid")
            if kind == "open_link" and not str(data.get("link") or "").startswith("http"):
                raise FakeApiError(100, f"{_MISSING}: event_data.link is invalid")
        self._used_events.add(event_id)
        self.event_answers[event_id] = p
        return 1

    async def _m_doc_upload_server(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        return {"upload_url": f"{self.url}/upload/doc"}

    async def _m_photo_upload_server(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        return {
            "upload_url": f"{self.url}/upload/photo",
            "album_id": -3,
            "user_id": 0,
            "group_id": self.group_id,
        }

    async def _m_docs_save(self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        token = str(p.get("file") or "")
        upload = self._pending_uploads.pop(token, None)
        if upload is None:
            raise FakeApiError(100, f"{_MISSING}: file is invalid")
        title = str(p.get("title") or upload.filename or "file")
        ext = title.rsplit(".", 1)[-1].lower() if "." in title else "bin"
        doc = self._new_doc("doc", -self.group_id, title, ext, upload.content, None)
        return {
            "type": "doc",
            "doc": {
                "id": doc.id,
                "owner_id": doc.owner_id,
                "title": doc.title,
                "size": doc.size,
                "ext": doc.ext,
                "date": int(time.time()),
                "type": _DOC_TYPES.get(ext, 8),
                "url": doc.url,
            },
        }

    async def _m_save_messages_photo(
        self, call: Call, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        try:
            items = json.loads(str(p.get("photo") or ""))
            token = str(items[0]["photo"])
        except (ValueError, LookupError, TypeError):
            raise FakeApiError(100, f"{_MISSING}: photo is invalid") from None
        if str(p.get("hash") or "") != _upload_hash(token):
            raise FakeApiError(121, "Invalid hash")
        upload = self._pending_uploads.pop(token, None)
        if upload is None:
            raise FakeApiError(100, f"{_MISSING}: photo is invalid")
        doc = self._new_doc("photo", -self.group_id, upload.filename, "jpg", upload.content, None)
        return [
            {
                "id": doc.id,
                "album_id": -3,
                "owner_id": doc.owner_id,
                "access_key": doc.access_key,
                "date": int(time.time()),
                "text": "",
                "has_tags": False,
                "sizes": [{"type": "x", "url": doc.url, "width": 604, "height": 453}],
            }
        ]

    # ================================================================== raw routes

    async def _handle_upload(self, request: web.Request) -> web.StreamResponse:
        kind = request.match_info["kind"]
        raw, files = await self._read_params(request)
        call = self._record(f"upload.{kind}", {**raw, "files": list(files.values())})
        fault = self._take_fault(call.method)
        if fault is not None and fault.kind == "drop":
            return self._drop(request, call)
        if fault is not None and fault.kind == "fail":
            self._finish_error(call, fault.error_code, fault.description or "")
            return web.json_response({"error": fault.description or "upload failed"})
        upload = files.get("file") or files.get("photo") or next(iter(files.values()), None)
        if upload is None or kind not in {"doc", "photo"}:
            self._finish_error(call, 0, "no_file")
            return web.json_response(
                {"error": "no_file", "error_descr": "No file was uploaded"}, dumps=_dumps
            )
        self.uploads += 1
        token = secrets.token_hex(16)
        self._pending_uploads[token] = upload
        if kind == "doc":
            result: dict[str, Any] = {"file": token}
        else:
            result = {
                "server": 1,
                "photo": json.dumps([{"photo": token, "sizes": [], "kid": "k"}]),
                "hash": _upload_hash(token),
            }
        self._finish_ok(call, result)
        if fault is not None and fault.kind == "delay":
            await self._pause(fault.seconds)
        return web.json_response(result, dumps=_dumps)

    async def _handle_download(self, request: web.Request) -> web.StreamResponse:
        ref = request.match_info["ref"]
        kind = "doc" if request.path.startswith("/doc/") else "photo"
        call = self._record("download", {"ref": f"{kind}{ref}"})
        fault = self._take_fault(call.method)
        if fault is not None and fault.kind == "drop":
            return self._drop(request, call)
        doc = self.docs.get(f"{kind}{ref.split('.', 1)[0]}")
        if fault is not None and fault.kind == "fail":
            self._finish_error(call, fault.error_code, fault.description or "")
            return web.Response(status=fault.error_code if fault.error_code >= 400 else 500)
        if doc is None or request.query.get("dl") != doc.access_key:
            self._finish_error(call, 404, "Not Found")
            return web.Response(status=404, text="Not Found")
        self._finish_ok(call, {"size": len(doc.content)})
        return web.Response(body=doc.content, content_type="application/octet-stream")

    async def _handle_longpoll(self, request: web.Request) -> web.StreamResponse:
        raw, _files = await self._read_params(request)
        call = self._record("longpoll", _decode_params(raw))
        fault = self._take_fault("longpoll")
        if fault is not None and fault.kind == "drop":
            return self._drop(request, call)
        if fault is not None and fault.kind == "fail":
            self._lp_faults.appendleft(_as_lp_fault(fault.error_code))
        key = raw.get("key", "")
        if key not in self._lp_keys:
            return self._lp_answer(call, {"failed": 2})
        ts_raw = raw.get("ts", "")
        if not _INT_RE.fullmatch(ts_raw):
            return self._lp_answer(call, {"failed": 1, "ts": str(self._delivered_ts)})
        ts = max(int(ts_raw), self._ts_base)
        try:
            wait = max(0.0, min(float(raw.get("wait") or 25), 90.0))
        except ValueError:
            wait = 25.0
        self._polling_now += 1
        self._notify()
        fault_marker: list[dict[str, Any]] = []

        def check() -> list[dict[str, Any]] | None:
            if self._lp_faults:
                return fault_marker
            if self._closing:
                return []
            return self.events[ts - self._ts_base :] or None

        try:
            found = await self._wait_until(check, wait)
        finally:
            self._polling_now -= 1
        if found is fault_marker:
            lp_fault = self._lp_faults.popleft()
            if lp_fault == "drop":
                return self._drop(request, call)
            if lp_fault == 1:
                return self._lp_answer(call, {"failed": 1, "ts": str(ts)})
            self._lp_keys.clear()
            return self._lp_answer(call, {"failed": lp_fault})
        updates = found or []
        new_ts = ts + len(updates)
        self._delivered_ts = max(self._delivered_ts, new_ts)
        return self._lp_answer(call, {"ts": str(new_ts), "updates": updates})

    def _lp_answer(self, call: Call, body: dict[str, Any]) -> web.Response:
        if "failed" in body:
            call.result = body
            self._finish_error(call, int(body["failed"]), f"failed {body['failed']}")
        else:
            self._finish_ok(call, body)
        return web.json_response(body, dumps=_dumps)


def _uid(user: FakeVkUser | int) -> int:
    return user if isinstance(user, int) else user.id


# ====================================================================== execute code

#: VK runs at most this many API calls in one execute.
MAX_EXECUTE_CALLS = 25
_EXEC_CALL_RE = re.compile(r"API\.([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)")
_WS_RE = re.compile(r"\s*")


class ExecuteCompileError(ValueError):
    """``code`` is not of the form :func:`parse_execute` understands (VK error 12)."""


@dataclass(frozen=True)
class ExecuteProgram:
    """What an ``execute`` code runs: ``(method, raw params)`` in order, and whether it
    returns a list (``return [...]``) or one value."""

    calls: list[tuple[str, dict[str, str]]]
    is_list: bool


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)


def parse_execute(code: str) -> ExecuteProgram:
    """Parse ``return API.a.b({...});`` or ``return [API.a.b({...}), ...];`` strictly.

    Each argument is one JSON object (or nothing: ``API.a.b()``); its values become the
    call's form fields as VK would pass them: strings as they are, numbers as digits,
    booleans as 1/0, arrays of scalars comma-joined, objects as JSON, nulls left out.
    Raises :class:`ExecuteCompileError` for anything else.
    """
    pos = _skip(code, 0)
    if not code.startswith("return", pos):
        raise ExecuteCompileError(f"expected 'return' at {pos}")
    pos += len("return")
    if pos < len(code) and (code[pos].isalnum() or code[pos] == "_"):
        raise ExecuteCompileError(f"expected 'return' at {pos - len('return')}")
    pos = _skip(code, pos)
    calls: list[tuple[str, dict[str, str]]] = []
    is_list = code.startswith("[", pos)
    if is_list:
        pos = _skip(code, pos + 1)
        if code.startswith("]", pos):
            pos += 1
        else:
            while True:
                pos = _parse_call(code, pos, calls)
                pos = _skip(code, pos)
                if code.startswith(",", pos):
                    pos = _skip(code, pos + 1)
                    continue
                if code.startswith("]", pos):
                    pos += 1
                    break
                raise ExecuteCompileError(f"expected ',' or ']' at {pos}")
    else:
        pos = _parse_call(code, pos, calls)
    pos = _skip(code, pos)
    if code.startswith(";", pos):
        pos = _skip(code, pos + 1)
    if pos != len(code):
        raise ExecuteCompileError(f"unexpected {code[pos : pos + 20]!r} at {pos}")
    return ExecuteProgram(calls, is_list)


def _skip(code: str, pos: int) -> int:
    match = _WS_RE.match(code, pos)
    return match.end() if match else pos


def _parse_call(code: str, pos: int, calls: list[tuple[str, dict[str, str]]]) -> int:
    match = _EXEC_CALL_RE.match(code, pos)
    if match is None:
        raise ExecuteCompileError(f"expected API.section.method at {pos}")
    method = f"{match.group(1)}.{match.group(2)}"
    pos = _skip(code, match.end())
    if not code.startswith("(", pos):
        raise ExecuteCompileError(f"expected '(' after {method} at {pos}")
    pos = _skip(code, pos + 1)
    args: dict[str, str] = {}
    if not code.startswith(")", pos):
        try:
            value, pos = _JSON.raw_decode(code, pos)
        except ValueError as exc:
            raise ExecuteCompileError(f"bad JSON argument of {method}: {exc}") from None
        if not isinstance(value, dict):
            raise ExecuteCompileError(f"the argument of {method} must be an object")
        for key, item in value.items():
            text = _exec_value(item)
            if text is not None:
                args[str(key)] = text
        pos = _skip(code, pos)
        if not code.startswith(")", pos):
            raise ExecuteCompileError(f"expected ')' after the argument of {method} at {pos}")
    calls.append((method, args))
    return pos + 1


def _exec_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list) and all(
        isinstance(v, int | float | str) and not isinstance(v, bool) for v in value
    ):
        return ",".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _to_str(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _upload_hash(token: str) -> str:
    return hashlib.md5(token.encode(), usedforsecurity=False).hexdigest()


def _as_lp_fault(code: int) -> LongPollFault:
    if code in (1, 2, 3):
        return code  # type: ignore[return-value]
    return "drop"


def _decode_params(raw: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _INT_FIELDS and _INT_RE.fullmatch(value):
            params[key] = int(value)
        elif key in _JSON_FIELDS and value:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        else:
            params[key] = value
    return params


def _spec_error(violation: Violation) -> FakeApiError:
    """How VK answers a call that breaks its schema: error 100 naming the parameter, or VK's
    own code where it has one (3 unknown method, 911 keyboard, 914 message too long)."""
    detail = str(violation)
    if violation.kind == "unknown_method":
        return FakeApiError(3, _DEFAULT_ERRORS[3], detail=detail)
    where = f"{violation.field}: {violation.reason}"
    if violation.field.startswith("keyboard"):
        return FakeApiError(911, f"{_KEYBOARD_INVALID}: {where}", detail=detail)
    if violation.field == "message" and violation.kind == "limit":
        return FakeApiError(914, f"Message is too long: {where}", detail=detail)
    return FakeApiError(100, f"{_MISSING}: {where}", detail=detail)


def _kb_error(detail: str) -> FakeApiError:
    return FakeApiError(911, _KEYBOARD_INVALID, detail=detail)


def _validate_keyboard(keyboard: Any) -> dict[str, Any] | None:
    """Validate a decoded ``keyboard`` param like VK does; raise error 911 if invalid."""
    if keyboard is None or keyboard == "":
        return None
    if not isinstance(keyboard, dict):
        raise _kb_error("keyboard is not a JSON object")
    rows = keyboard.get("buttons")
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise _kb_error("buttons must be an array of arrays")
    inline = bool(keyboard.get("inline", False))
    if inline and keyboard.get("one_time"):
        raise _kb_error("one_time is not supported for inline keyboards")
    max_rows, max_total = INLINE_LIMITS if inline else REGULAR_LIMITS
    if len(rows) > max_rows:
        raise _kb_error(f"too many rows: {len(rows)} > {max_rows}")
    total = sum(len(r) for r in rows)
    if total > max_total:
        raise _kb_error(f"too many buttons: {total} > {max_total}")
    for row_no, row in enumerate(rows):
        if len(row) > MAX_BUTTONS_PER_ROW:
            raise _kb_error(f"row {row_no}: {len(row)} buttons > {MAX_BUTTONS_PER_ROW}")
        if not row:
            raise _kb_error(f"row {row_no} is empty")
        for button in row:
            _validate_button(button)
    return keyboard


def _validate_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("action"), dict):
        raise _kb_error(f"button without action: {button!r}")
    action = button["action"]
    kind = action.get("type")
    if kind not in BUTTON_ACTIONS:
        raise _kb_error(f"unknown button type {kind!r}")
    if kind in {"text", "callback", "open_link", "open_app"}:
        label = action.get("label")
        if not isinstance(label, str) or not 1 <= len(label) <= MAX_LABEL_LENGTH:
            raise _kb_error(f"label must be 1..{MAX_LABEL_LENGTH} chars: {label!r}")
    if kind == "open_link" and not str(action.get("link") or "").startswith(
        ("http://", "https://")
    ):
        raise _kb_error(f"open_link button needs an http(s) link: {action!r}")
    if "payload" in action and action["payload"] is not None:
        payload = action["payload"]
        if not isinstance(payload, str) or len(payload) > MAX_PAYLOAD_LENGTH:
            raise _kb_error(f"payload must be a JSON string of <= {MAX_PAYLOAD_LENGTH} chars")
        try:
            json.loads(payload)
        except ValueError:
            raise _kb_error(f"payload is not valid JSON: {payload!r}") from None
    color = button.get("color")
    if color is not None and (kind not in {"text", "callback"} or color not in _COLORS):
        raise _kb_error(f"invalid color {color!r} for a {kind} button")
