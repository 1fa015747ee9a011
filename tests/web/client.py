"""A web-chat visitor for tests: a real HTTP client and WebSocket to the real runtime, which
keeps the chat as the page would (messages by id, edits in place, toasts)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

from bot.app import App
from bot.web.runtime import WebRuntime
from storage.web import SqliteWebRepository


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def web_running(app: App) -> AsyncIterator[WebRuntime]:
    """The real web runtime on a free port of 127.0.0.1, registered with the core."""
    settings = app.settings.model_copy(update={"web_port": free_port(), "web_host": "127.0.0.1"})
    runtime = WebRuntime(settings, app.core, app.translator)
    runtime.bind(SqliteWebRepository(app.db))
    stop = asyncio.Event()
    await runtime.start()
    task = asyncio.create_task(runtime.run(stop))
    try:
        yield runtime
    finally:
        stop.set()
        await task
        await app.core.drain(5)


@dataclass
class Visitor:
    """One browser: a cookie jar, and an open page when connected."""

    base: str
    language: str = "ru"
    session: aiohttp.ClientSession = field(init=False)
    ws: aiohttp.ClientWebSocketResponse | None = None
    hello: dict[str, Any] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    toasts: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _ref: int = 0

    def __post_init__(self) -> None:
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            headers={"Accept-Language": self.language},
        )

    async def __aenter__(self) -> Visitor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.session.close()

    def cookie(self) -> str:
        """The session cookie the server gave this browser."""
        return next(c.value for c in self.session.cookie_jar if c.key == "hrbot_session")

    def set_cookie(self, value: str) -> None:
        self.session.cookie_jar.update_cookies({"hrbot_session": value}, URL(self.base))

    async def get(self, path: str, **kwargs: Any) -> aiohttp.ClientResponse:
        async with self.session.get(self.base + path, **kwargs) as response:
            await response.read()
            return response

    async def open(self, query: str = "") -> None:
        """Load the page (with `?start=...` or `?admin=...`) and connect, like a browser."""
        page = await self.get("/" + query)
        assert page.status == 200, page.status
        await self.connect()

    async def connect(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        self.messages.clear()
        self.ws = await self.session.ws_connect(
            self.base.replace("http", "ws", 1) + "/ws", headers={"Origin": self.base}
        )
        hello = await self._frame()
        assert hello["t"] == "hello", hello
        self.hello = hello
        history = await self._frame()
        assert history["t"] == "history", history
        for message in history["messages"]:
            self.messages[message["id"]] = message
        while hello["starting"]:  # the /start of a first visit or a deep link
            frame = await self._frame()
            if frame["t"] == "done" and frame["ref"] == 0:
                break
            self._apply(frame)

    async def _frame(self, timeout: float = 10) -> dict[str, Any]:
        assert self.ws is not None
        message = await self.ws.receive(timeout)
        assert message.type is aiohttp.WSMsgType.TEXT, message
        frame: dict[str, Any] = json.loads(message.data)
        return frame

    def _apply(self, frame: dict[str, Any]) -> None:
        if frame["t"] in ("message", "edit"):
            self.messages[frame["message"]["id"]] = frame["message"]
        elif frame["t"] == "toast":
            self.toasts.append(frame)
        elif frame["t"] == "error":
            self.errors.append(frame["text"])

    async def send(self, frame: dict[str, Any]) -> list[dict[str, Any]]:
        """Send a frame and collect what comes until the server is done with it."""
        assert self.ws is not None
        self._ref += 1
        await self.ws.send_json({**frame, "ref": self._ref})
        frames = []
        while True:
            reply = await self._frame()
            if reply["t"] == "done" and reply["ref"] == self._ref:
                return frames
            frames.append(reply)
            self._apply(reply)

    async def say(self, text: str) -> list[dict[str, Any]]:
        return await self.send({"t": "text", "text": text})

    async def press(self, label: str, message_id: int | None = None) -> list[dict[str, Any]]:
        """Press the button whose label contains `label` on the latest message that has one."""
        for message in sorted(self.messages.values(), key=lambda m: m["id"], reverse=True):
            if message_id is not None and message["id"] != message_id:
                continue
            for row in message["buttons"]:
                for button in row:
                    if label in button["label"] and "data" in button:
                        return await self.send(
                            {"t": "button", "data": button["data"], "message_id": message["id"]}
                        )
        raise AssertionError(f"no button {label!r} in {self.texts()[-3:]}")

    async def upload(self, name: str, data: bytes) -> aiohttp.ClientResponse:
        form = aiohttp.FormData()
        form.add_field("file", data, filename=name, content_type="application/octet-stream")
        async with self.session.post(
            self.base + "/upload", data=form, headers={"Origin": self.base}
        ) as response:
            await response.read()
            return response

    async def send_file(self, name: str, data: bytes) -> list[dict[str, Any]]:
        response = await self.upload(name, data)
        assert response.status == 200, response.status
        upload = (await response.json())["upload"]
        return await self.send({"t": "file", "upload": upload})

    def texts(self) -> list[str]:
        return [
            m["html"] or m["text"] for m in sorted(self.messages.values(), key=lambda m: m["id"])
        ]

    @property
    def last(self) -> dict[str, Any]:
        return self.messages[max(self.messages)]

    def labels(self, message: dict[str, Any] | None = None) -> list[str]:
        message = message or self.last
        return [button["label"] for row in message["buttons"] for button in row]
