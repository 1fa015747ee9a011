"""Web-chat runtime: an aiohttp server with the page, a WebSocket per open page, uploads and
downloads. Frames from the page become `Event`s for the same core and handlers as Telegram and
VK; the protocol is described in `bot/web/static/app.js`'s header and in the README.

Security: a signed session cookie (HttpOnly, SameSite=Lax, Secure behind https); the
WebSocket accepts only this site's own origin; a strict Content-Security-Policy with no inline
script; uploads capped while streaming; files served only to their owner by opaque ids; the
admin token compared in constant time, never logged (the access log leaves query strings out)
and taken out of the address bar by a redirect."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import BodyPartReader, WSMsgType, web
from aiohttp.abc import AbstractAccessLogger

from bot.commands import parse_command
from bot.config import Settings
from bot.core import Core
from bot.domain import Platform, Role
from bot.events import Attachment, AttachmentKind, Event, EventKind, FileKind
from bot.i18n import Translator
from bot.services.applications import MAX_FILE_BYTES, check_document
from bot.services.clock import Clock, utcnow
from bot.throttle import Throttle
from bot.ui import Action
from bot.web.chat import WebChat
from bot.web.messenger import PHOTO_TYPES, WebMessenger, mime_for
from bot.web.render import file_info, user_body
from bot.web.reply import WebReply
from bot.web.session import COOKIE, MAX_AGE, AdminToken, Signer
from storage.web import SqliteWebRepository

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
STATIC_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".html": "text/html",
}
MAX_FRAME = 256 * 1024  # a frame; texts are cut to MAX_TEXT characters
MAX_TEXT = 8192
_REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PLACEHOLDER_RE = re.compile(r"\{\{([a-z][a-z0-9-]*)\}\}")
_UNSAFE_NAME_RE = re.compile(r"[^\w.\- ()\[\]+,]")
PENDING_STARTS = 10_000
SECRET_KEY = "web.secret"


def safe_name(raw: str) -> str:
    """A file name from a browser made harmless: no folders, controls or odd characters."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_RE.sub("_", name).strip(" .") or "file"
    if len(name) > 100:
        stem, dot, suffix = name.rpartition(".")
        name = (
            (stem[: 95 - len(suffix)] + dot + suffix) if dot and len(suffix) <= 10 else name[:100]
        )
    return name


class _AccessLog(AbstractAccessLogger):
    """Method, path without the query (it may carry the admin token), status and time."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, duration: float) -> None:
        self.logger.debug(
            "web %s %s %s %.1fms", request.method, request.path, response.status, duration * 1000
        )

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.DEBUG)


class WebRuntime:
    def __init__(
        self, settings: Settings, core: Core, tr: Translator, *, clock: Clock = utcnow
    ) -> None:
        self.settings = settings
        self.core = core
        self.tr = tr
        self._clock = clock
        self.repo: SqliteWebRepository | None = None  # `bind`
        self.chat: WebChat | None = None
        self.messenger: WebMessenger | None = None
        self.admin_token = AdminToken(
            settings.web_admin_token.get_secret_value() if settings.web_admin_token else None
        )
        self.throttle = Throttle(settings.throttle_rate, settings.throttle_burst)
        self._signer: Signer | None = None
        self._runner: web.AppRunner | None = None
        self._starts: OrderedDict[int, str] = OrderedDict()
        self._pages_by_locale: dict[str, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pages: set[web.WebSocketResponse] = set()
        self.example_data = False
        self.started = asyncio.Event()
        origin = urlsplit(settings.web_url)
        self._own_origin = f"{origin.scheme}://{origin.netloc}"
        self._secure = origin.scheme == "https"
        ancestors = " ".join(["'self'", *settings.web_allowed_origins])
        self._csp = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
            f"base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
        )

    def bind(self, repo: SqliteWebRepository) -> None:
        """The storage the runtime keeps visitors, chats and files in (from `bot.app`)."""
        self.repo = repo
        self.chat = WebChat(repo, self._clock)
        self.messenger = WebMessenger(self.chat, self.settings.web_url, self._clock)

    # --- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on WEB_HOST:WEB_PORT; OSError when the address cannot be used."""
        assert self.repo is not None and self.messenger is not None
        state = self.core.services.runtime_state
        secret = (
            self.settings.web_secret.get_secret_value() if self.settings.web_secret else None
        ) or await state.get(SECRET_KEY)
        if secret is None:
            secret = secrets.token_urlsafe(32)
            await state.set(SECRET_KEY, secret)
        self._signer = Signer(secret)
        for visitor_id in await self.repo.admins():
            self.core.services.users.grant_admin(Platform.WEB, visitor_id)
            self.core.notifier.add_admin(Platform.WEB, visitor_id)
        app = self.application()
        self._runner = web.AppRunner(app, access_log_class=_AccessLog, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.web_host, self.settings.web_port)
        await site.start()
        self.core.notifier.register(self.messenger)
        log.info(
            "web chat: listening on %s:%s (%s)",
            self.settings.web_host,
            self.settings.web_port,
            self.settings.web_url,
        )
        self.started.set()

    async def run(self, stop: asyncio.Event) -> None:
        if self._runner is None:
            await self.start()
        try:
            await stop.wait()
        finally:
            await self._shutdown()

    async def _shutdown(self) -> None:
        for page in list(self._pages):
            await page.close(code=1001, message=b"server shutdown")
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=10)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def close(self) -> None:
        await self._shutdown()

    def admin_link(self) -> str | None:
        """The admin's link with the token (printed at start, never logged)."""
        if self.admin_token.value is None:
            return None
        return f"{self.settings.web_url}/?admin={quote(self.admin_token.value)}"

    # --- the aiohttp application ---------------------------------------------------------------
    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._headers], client_max_size=MAX_FRAME)
        app.router.add_get("/", self.index)
        app.router.add_get("/ws", self.socket)
        app.router.add_post("/upload", self.upload)
        app.router.add_get("/files/{file_id}", self.download)
        app.router.add_get("/widget.js", self.widget)
        app.router.add_get("/static/{name}", self.static)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        response.headers.setdefault("Content-Security-Policy", self._csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def _visitor(self, request: web.Request) -> int | None:
        assert self._signer is not None
        visitor_id = self._signer.visitor(request.cookies.get(COOKIE))
        if visitor_id is None or self.repo is None or self.repo.visitor(visitor_id) is None:
            return None
        return visitor_id

    def _set_cookie(self, response: web.StreamResponse, visitor_id: int, embed: bool) -> None:
        """The session cookie: SameSite=Lax; inside the careers-site widget over https it is
        a partitioned SameSite=None cookie instead (CHIPS), which browsers keep in a frame of
        another site, for that site only."""
        assert self._signer is not None
        cross_site = embed and self._secure
        response.set_cookie(
            COOKIE,
            self._signer.cookie(visitor_id),
            max_age=MAX_AGE,
            httponly=True,
            samesite="None" if cross_site else "Lax",
            secure=self._secure,
            partitioned=True if cross_site else None,
            path="/",
        )

    def _locale(self, request: web.Request, visitor_id: int | None) -> str:
        stored = self._stored_locale(visitor_id) if visitor_id is not None else None
        return stored or self.tr.resolve_locale(_language(request))

    def _stored_locale(self, visitor_id: int) -> str | None:
        """The locale of a visitor who has talked to the bot."""
        assert self.repo is not None
        return self.repo.user_locale(visitor_id)

    async def index(self, request: web.Request) -> web.StreamResponse:
        assert self.repo is not None
        visitor_id = self._visitor(request)
        fresh = visitor_id is None
        if visitor_id is None:
            visitor_id = await self.repo.new_visitor(self._clock())
        query = request.query
        if "admin" in query or "start" in query:
            if "admin" in query and self.admin_token.redeem(query.get("admin", "")):
                await self._make_admin(visitor_id)
            start = query.get("start", "")
            if _REF_RE.match(start):
                self._starts[visitor_id] = start
                self._starts.move_to_end(visitor_id)
                if len(self._starts) > PENDING_STARTS:
                    self._starts.popitem(last=False)
            target = "/?embed=1" if query.get("embed") == "1" else "/"
            response: web.StreamResponse = web.HTTPSeeOther(target)
        else:
            response = web.Response(
                text=self._page(self._locale(request, visitor_id)),
                content_type="text/html",
                charset="utf-8",
                headers={"Cache-Control": "no-store"},
            )
        if fresh:
            self._set_cookie(response, visitor_id, query.get("embed") == "1")
        if isinstance(response, web.HTTPException):
            raise response
        return response

    async def _make_admin(self, visitor_id: int) -> None:
        assert self.repo is not None
        await self.repo.make_admin(visitor_id)
        self.core.services.users.grant_admin(Platform.WEB, visitor_id)
        self.core.notifier.add_admin(Platform.WEB, visitor_id)
        log.info("web: visitor %s signed in as an admin with the admin link", visitor_id)

    def _page(self, locale: str) -> str:
        page = self._pages_by_locale.get(locale)
        if page is None:
            page = self._pages_by_locale[locale] = self._fill(locale)
        return page

    def _fill(self, locale: str) -> str:
        template = (STATIC / "index.html").read_text(encoding="utf-8")

        def fill(match: re.Match[str]) -> str:
            key = match.group(1)
            if key == "lang":
                return locale
            return html.escape(str(self.tr(locale, key)), quote=True)

        return _PLACEHOLDER_RE.sub(fill, template)

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = STATIC / name
        kind = STATIC_TYPES.get(path.suffix)
        if kind is None or "/" in name or name.startswith(".") or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(
            path, headers={"Content-Type": kind, "Cache-Control": "public, max-age=300"}
        )

    async def widget(self, request: web.Request) -> web.StreamResponse:
        """The careers-site widget: a script other sites load, so it may be used cross-site."""
        return web.FileResponse(
            STATIC / "widget.js",
            headers={
                "Content-Type": "text/javascript",
                "Cache-Control": "public, max-age=300",
                "Cross-Origin-Resource-Policy": "cross-origin",
            },
        )

    # --- files ---------------------------------------------------------------------------------
    async def upload(self, request: web.Request) -> web.StreamResponse:
        """One file from the page, streamed with the 20 MB cap checked as it arrives."""
        assert self.repo is not None
        visitor_id = self._visitor(request)
        if visitor_id is None or not self._same_origin(request):
            raise web.HTTPForbidden()
        locale = self._locale(request, visitor_id)
        if request.content_length is not None and request.content_length > MAX_FILE_BYTES + 65536:
            return _refuse(413, self.tr(locale, "answer-too-big"))
        try:
            reader = await request.multipart()
        except (ValueError, AssertionError, KeyError):
            return _refuse(400, self.tr(locale, "web-upload-failed"))
        part = await reader.next()
        while part is not None and not (
            isinstance(part, BodyPartReader) and part.name == "file" and part.filename
        ):
            part = await reader.next()
        if not isinstance(part, BodyPartReader):
            return _refuse(400, self.tr(locale, "web-upload-failed"))
        name = safe_name(part.filename or "file")
        data = bytearray()
        while chunk := await part.read_chunk(65536):
            data += chunk
            if len(data) > MAX_FILE_BYTES:
                return _refuse(413, self.tr(locale, "answer-too-big"))
        mime = mime_for(name, FileKind.DOCUMENT)
        if check_document(name, mime, len(data)) is not None:
            return _refuse(415, self.tr(locale, "answer-bad-type"))
        file_id = await self.repo.add_file(visitor_id, name, mime, bytes(data), self._clock())
        if file_id is None:  # a visitor who has never talked to the bot
            return _refuse(400, self.tr(locale, "web-upload-failed"))
        return web.json_response({"upload": file_id, "name": name, "size": len(data)})

    async def download(self, request: web.Request) -> web.StreamResponse:
        assert self.repo is not None
        visitor_id = self._visitor(request)
        file_id = request.match_info["file_id"]
        if visitor_id is None or not re.fullmatch(r"[A-Za-z0-9_-]{10,40}", file_id):
            raise web.HTTPNotFound()
        stored = await self.repo.file(file_id, visitor_id)
        if stored is None:
            raise web.HTTPNotFound()
        image = stored.mime_type in ("image/png", "image/jpeg", "image/gif", "image/webp")
        disposition = "inline" if image else "attachment"
        return web.Response(
            body=stored.data,
            headers={
                "Content-Type": stored.mime_type if image else _download_type(stored.mime_type),
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(stored.name)}",
                "Cache-Control": "private, max-age=3600",
                "Content-Security-Policy": "default-src 'none'; sandbox",
            },
        )

    # --- the conversation ----------------------------------------------------------------------
    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return request.method == "GET"
        return origin in (self._own_origin, f"{request.scheme}://{request.host}")

    async def socket(self, request: web.Request) -> web.StreamResponse:
        assert self.chat is not None and self.repo is not None
        visitor_id = self._visitor(request)
        if not self._same_origin(request) or "Origin" not in request.headers:
            raise web.HTTPForbidden()
        # no per-message compression: it costs about 100 KB of memory per open page
        # (bench/web.py), and the frames are small
        page = web.WebSocketResponse(heartbeat=30, max_msg_size=MAX_FRAME, compress=False)
        await page.prepare(request)
        language = _language(request)
        if visitor_id is None:  # no session cookie came: the page says so and stops trying
            text = self.tr(self.tr.resolve_locale(language), "web-no-session")
            await _send(page, {"t": "error", "text": str(text)})
            await page.close(code=4401, message=b"no session")
            return page
        self._pages.add(page)
        try:
            # a deep link, or a first visit: /start runs by itself, after the history
            start = self._starts.pop(visitor_id, None)
            starting = start is not None or self.repo.user_id(visitor_id) is None
            await self._greet(page, visitor_id, language, starting)
            self.chat.attach(visitor_id, page)
            if starting:
                event = _start_event(visitor_id, language, start)
                try:
                    await self._handle(visitor_id, language, event)
                finally:
                    await _send(page, {"t": "done", "ref": 0})
            async for frame in page:
                if frame.type is not WSMsgType.TEXT:
                    break
                self._spawn(self._frame(page, visitor_id, language, frame.data))
        finally:
            self.chat.detach(visitor_id, page)
            self._pages.discard(page)
        return page

    async def _greet(
        self, page: web.WebSocketResponse, visitor_id: int, language: str, starting: bool
    ) -> None:
        """The first frames: who the visitor is and the conversation so far; `starting`: a
        /start follows (its messages come next, then `done` with ref 0)."""
        assert self.chat is not None and self.repo is not None
        visitor = self.repo.visitor(visitor_id)
        locale = self._stored_locale(visitor_id) or self.tr.resolve_locale(language)
        role = Role.ADMIN if visitor is not None and visitor.admin else Role.CANDIDATE
        user = await self.core.services.users.find(Platform.WEB, visitor_id)
        if user is not None:
            role = user.role
        commands = [
            {"command": spec.name, "description": str(self.tr(locale, spec.description_key or ""))}
            for spec in self.core.registry.commands_for(role)
        ]
        await page.send_json(
            {
                "t": "hello",
                "user": {"name": "", "admin": role is Role.ADMIN},
                "locale": locale,
                "example": self.example_data,
                "commands": commands,
                "starting": starting,
                "max_upload": MAX_FILE_BYTES,
            }
        )
        await page.send_json({"t": "history", "messages": self.chat.history(visitor_id)})

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _frame(
        self, page: web.WebSocketResponse, visitor_id: int, language: str, raw: str
    ) -> None:
        ref: object = None
        try:
            frame = json.loads(raw)
            if not isinstance(frame, dict):
                raise ValueError("not an object")
            ref = frame.get("ref")
            event = await self._event(visitor_id, language, frame)
        except (ValueError, TypeError) as error:
            log.info("web: a bad frame from visitor %s (%s)", visitor_id, error)
            locale = self._stored_locale(visitor_id) or self.tr.resolve_locale(language)
            await _send(page, {"t": "error", "text": str(self.tr(locale, "web-bad-frame"))})
            await _send(page, {"t": "done", "ref": ref if _is_ref(ref) else None})
            return
        try:
            if event is not None:
                await self._handle(visitor_id, language, event, frame.get("message_id"))
        except Exception:
            log.exception("web: error while handling a frame of visitor %s", visitor_id)
        finally:
            await _send(page, {"t": "done", "ref": ref if _is_ref(ref) else None})

    async def _event(self, visitor_id: int, language: str, frame: dict[str, Any]) -> Event | None:
        """The frame as an Event; the user's own message is stored and shown first."""
        assert self.chat is not None and self.repo is not None
        kind = frame.get("t")
        base = Event(
            platform=Platform.WEB,
            kind=EventKind.MESSAGE,
            user_id=visitor_id,
            chat_id=visitor_id,
            language_code=language or None,
        )
        if kind == "text":
            text = frame.get("text")
            if not isinstance(text, str) or not text.strip():
                raise ValueError("no text")
            text = text[:MAX_TEXT]
            await self.chat.post(visitor_id, "user", user_body(text))
            command, args = parse_command(text.strip(), None)
            ref = args if command == "start" and _REF_RE.match(args) else None
            return replace(base, text=text, command=command, args=args, ref=ref)
        if kind == "button":
            data = frame.get("data")
            message_id = frame.get("message_id")
            if not isinstance(data, str) or not _is_ref(message_id):
                raise ValueError("a button without data or message")
            return replace(
                base, kind=EventKind.BUTTON, action=Action.parse(data), raw_action=data[:128]
            )
        if kind == "file":
            upload = frame.get("upload")
            if not isinstance(upload, str) or not re.fullmatch(r"[A-Za-z0-9_-]{10,40}", upload):
                raise ValueError("a file without an upload")
            stored = await self.repo.file(upload, visitor_id)
            if stored is None:
                raise ValueError("an upload that is not this visitor's")
            raw_caption = frame.get("text")
            caption = raw_caption if isinstance(raw_caption, str) else ""
            shown = "photo" if stored.mime_type in PHOTO_TYPES else "document"
            info = file_info(stored.id, stored.name, shown, stored.size)
            await self.chat.post(visitor_id, "user", user_body(caption[:MAX_TEXT], info))
            attachment = Attachment(
                AttachmentKind.DOCUMENT,
                file_id=stored.id,
                file_name=stored.name,
                mime_type=stored.mime_type,
                size=stored.size,
            )
            return replace(base, text=caption[:MAX_TEXT], attachments=(attachment,))
        raise ValueError(f"unknown frame type {str(kind)[:20]!r}")

    async def _handle(
        self, visitor_id: int, language: str, event: Event, message_id: object = None
    ) -> None:
        assert self.messenger is not None
        key = f"w{time.time_ns()}"
        reply = WebReply(
            self.messenger,
            visitor_id,
            key=key,
            message_id=message_id if event.is_button and isinstance(message_id, int) else None,
        )
        allowed, warn = self.throttle.check(
            ("web", visitor_id), busy=self.core.busy(Platform.WEB, visitor_id)
        )
        if not allowed:
            locale = self._stored_locale(visitor_id) or self.tr.resolve_locale(language)
            text = str(self.tr(locale, "too-many-requests"))
            if event.is_button:
                await reply.toast(text if warn else "")
            elif warn:
                assert self.chat is not None
                await self.chat.push(visitor_id, {"t": "error", "text": text})
            return
        await self.core.handle(event, reply)
        await reply.toast()  # a press nobody answered is answered silently


def _start_event(visitor_id: int, language: str, start: str | None) -> Event:
    return Event(
        platform=Platform.WEB,
        kind=EventKind.MESSAGE,
        user_id=visitor_id,
        chat_id=visitor_id,
        language_code=language or None,
        text=f"/start {start}" if start else "/start",
        command="start",
        args=start or "",
        ref=start,
    )


def _is_ref(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**53) < value < 2**53


def _language(request: web.Request) -> str:
    """The first language of Accept-Language, like `ru` or `en-US`."""
    header = request.headers.get("Accept-Language", "")
    first = header.split(",")[0].split(";")[0].strip()
    return first if re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", first) else ""


def _download_type(mime: str) -> str:
    """Documents go out as themselves only when harmless to open; never as HTML or script."""
    return (
        mime
        if mime in ("application/pdf", "text/csv", "application/json", "text/calendar")
        else ("application/octet-stream")
    )


def _refuse(status: int, text: str) -> web.Response:
    return web.json_response({"error": str(text)}, status=status)


async def _send(page: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    if page.closed:
        return
    with contextlib.suppress(ConnectionError, RuntimeError):
        await page.send_json(frame)
