"""In-process fake Telegram Bot API and VK API servers for tests.

The concrete fakes live in :mod:`tests.fakes.telegram` (``FakeTelegram``) and
:mod:`tests.fakes.vk` (``FakeVK``).  This module holds the machinery they share:
call recording, waiting on conditions without sleeps, fault injection, the
aiohttp server lifecycle and the record of requests that break the official API
specifications (checked by :mod:`tests.fakes.spec`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

from aiohttp import web

if TYPE_CHECKING:
    from tests.fakes.spec import Violation

__all__ = [
    "Call",
    "FakeApiError",
    "FakeServerBase",
    "Fault",
    "UploadedFile",
    "spec_guard",
    "track_fakes",
]

_T = TypeVar("_T")

#: Parameters that are never shown in failure reports.
_HIDDEN_PARAMS = frozenset({"access_token", "v"})

#: Lists that collect every fake created while they are open (see :func:`track_fakes`).
_trackers: list[list[FakeServerBase]] = []


@contextlib.contextmanager
def track_fakes() -> Iterator[list[FakeServerBase]]:
    """Collect every fake server created inside the ``with`` block (tests/conftest.py uses it
    to fail a test whose requests broke the API specifications)."""
    created: list[FakeServerBase] = []
    _trackers.append(created)
    try:
        yield created
    finally:
        # by identity: two trackers holding the same fakes compare equal
        del _trackers[next(i for i, t in enumerate(_trackers) if t is created)]


@contextlib.contextmanager
def spec_guard() -> Iterator[list[FakeServerBase]]:
    """Fail (``pytest.fail``) when the block ends if a fake created inside it recorded a
    request that broke the official API specification; the message lists the method, the
    field, the value and why.  The autouse fixture of tests/conftest.py wraps every test in it.
    """
    with track_fakes() as fakes:
        yield fakes
        found = [v for fake in fakes for v in fake.take_spec_violations()]
    if found:
        import pytest

        from tests.fakes.spec import format_violations

        pytest.fail(
            f"{len(found)} request(s) to the stand-in servers broke the official API "
            "specification (shared/api-spec, checked by tests/fakes/spec.py; a test that does "
            "it on purpose takes them with fake.take_spec_violations()):\n"
            + format_violations(found),
            pytrace=False,
        )


class FakeApiError(Exception):
    """Raised by a fake method handler to answer with an API error.

    ``code`` is the Telegram ``error_code`` (also the HTTP status) or the VK
    ``error_code``; ``description`` is Telegram's ``description`` / VK's ``error_msg``.
    """

    def __init__(
        self,
        code: int,
        description: str,
        *,
        retry_after: int | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(f"[{code}] {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.detail = detail


@dataclass
class UploadedFile:
    """A file that arrived as a multipart upload."""

    field_name: str
    filename: str
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {self.size} bytes)"


@dataclass
class Call:
    """One request received by a fake server.

    ``done`` becomes true once the request has been processed (its effect, if any,
    has happened).  ``failed`` is true when the fake answered with an API error (or
    dropped the connection before processing); ``dropped`` is true when the
    connection was closed without an answer.  ``ok`` means "processed successfully
    on the server side" (a call dropped *after* taking effect is ``ok`` and
    ``dropped``).
    """

    index: int
    method: str
    params: dict[str, Any]
    time: float
    done: bool = False
    failed: bool = False
    dropped: bool = False
    delayed: float = 0.0
    error_code: int | None = None
    description: str | None = None
    detail: str | None = None
    result: Any = None
    #: True for a call made inside a VK ``execute`` (its own entry in ``calls``, not an
    #: HTTP request of its own).
    via_execute: bool = False

    @property
    def ok(self) -> bool:
        return self.done and not self.failed

    @property
    def error_msg(self) -> str | None:
        """VK-style alias of :attr:`description`."""
        return self.description

    def short(self, width: int = 70) -> str:
        parts: list[str] = []
        for key, value in self.params.items():
            if key in _HIDDEN_PARAMS:
                continue
            if isinstance(value, dict | list):
                text = json.dumps(value, ensure_ascii=False)
            else:
                text = str(value)
            if len(text) > width:
                text = text[: width - 3] + "..."
            parts.append(f"{key}={text!r}" if isinstance(value, str) else f"{key}={text}")
        if not self.done:
            status = "pending"
        elif self.dropped:
            status = "DROPPED" + (" (after effect)" if not self.failed else "")
        elif self.failed:
            status = f"ERROR {self.error_code} {self.description}"
        else:
            status = "ok"
        return f"#{self.index} {self.method}({', '.join(parts)}) -> {status}"


@dataclass
class Fault:
    """A queued fault for one call of a method."""

    kind: Literal["fail", "drop", "delay"]
    error_code: int = 0
    description: str | None = None
    retry_after: int | None = None
    seconds: float = 0.0
    after_effect: bool = False


@dataclass
class _WaitState:
    waiters: set[asyncio.Future[None]] = field(default_factory=set)


class FakeServerBase:
    """Shared lifecycle, recording, waiting and fault-injection logic."""

    #: Name used in failure messages.
    kind = "fake"

    def __init__(self, *, check_spec: bool = True) -> None:
        self.calls: list[Call] = []
        #: Check every request against the official API specification (tests.fakes.spec).
        self.check_spec = check_spec
        #: Every way a request broke the specification, in order (see :meth:`take_spec_violations`).
        self.spec_violations: list[Violation] = []
        self.url: str = ""
        self.port: int = 0
        #: Number of requests rejected by :meth:`rate_limit`.
        self.too_many_requests: int = 0
        self._state = _WaitState()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._runner: web.AppRunner | None = None
        self._faults: dict[str, deque[Fault]] = {}
        self._closing = False
        self._rate_per_second: float | None = None
        self._rate_window: deque[float] = deque()
        self._lock = threading.RLock()
        self._observers: list[Callable[[Call], None]] = []
        for tracker in _trackers:
            tracker.append(self)

    # ------------------------------------------------------------------ lifecycle

    def _build_app(self) -> web.Application:  # pragma: no cover - abstract
        raise NotImplementedError

    async def start(self) -> None:
        """Start listening on a random free port of 127.0.0.1 and set :attr:`url`."""
        if self._runner is not None:
            raise RuntimeError(f"{self.kind} is already started")
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._closing = False
        runner = web.AppRunner(
            self._build_app(), access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self.url = f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        """Wake every long poll / delayed answer and shut the server down."""
        self._closing = True
        self._notify()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ waiting

    def _wake(self) -> None:
        waiters, self._state.waiters = self._state.waiters, set()
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    def _notify(self) -> None:
        """Wake everything that waits on a state change (safe from any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            self._wake()
        else:
            loop.call_soon_threadsafe(self._wake)

    async def _wait_until(self, check: Callable[[], _T | None], timeout: float) -> _T | None:
        """Re-evaluate ``check`` on every state change until it returns non-None."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while True:
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            fut: asyncio.Future[None] = loop.create_future()
            self._state.waiters.add(fut)
            try:
                await asyncio.wait_for(fut, remaining)
            except TimeoutError:
                pass
            finally:
                self._state.waiters.discard(fut)

    async def _pause(self, seconds: float) -> None:
        """Wait ``seconds`` (used to delay answers); ends early when the server stops."""
        await self._wait_until(lambda: True if self._closing else None, seconds)

    # ------------------------------------------------------------------ observers

    def observe(self, callback: Callable[[Call], None]) -> Callable[[], None]:
        """Call ``callback(call)`` every time a call finishes (ok, error or dropped).

        It runs in the server's event loop right after the call's effect and state are
        final, before the client gets the answer, and costs O(1) per call (unlike
        :meth:`wait_for`, which rescans :attr:`calls` on every change).  It must not
        block; an exception it raises is printed and otherwise ignored.  Returns a function
        that removes the observer.
        """
        self._observers.append(callback)

        def remove() -> None:
            if callback in self._observers:
                self._observers.remove(callback)

        return remove

    def _finished(self, call: Call) -> None:
        """Tell the observers that ``call`` finished (from the loop's thread)."""
        if not self._observers:
            return
        loop = self._loop
        if loop is not None and not loop.is_closed() and threading.get_ident() != self._loop_thread:
            loop.call_soon_threadsafe(self._run_observers, call)
        else:
            self._run_observers(call)

    def _run_observers(self, call: Call) -> None:
        for callback in tuple(self._observers):
            try:
                callback(call)
            except Exception:
                traceback.print_exc()

    # ------------------------------------------------------------------ calls

    def mark(self) -> int:
        """Current position in :attr:`calls`; pass it as ``since=`` to wait for later calls."""
        return len(self.calls)

    @staticmethod
    def _norm(method: str) -> str:
        return method.lower()

    def _matches(self, call: Call, method: str) -> bool:
        return method == "*" or self._norm(call.method) == self._norm(method)

    def calls_of(self, method: str, *, since: int = 0, ok: bool | None = None) -> list[Call]:
        """Finished calls of ``method`` ("*" = any) recorded at index >= ``since``."""
        return [
            c
            for c in self.calls[since:]
            if c.done and self._matches(c, method) and (ok is None or c.ok == ok)
        ]

    def format_calls(self, last: int = 30) -> str:
        """Human-readable list of the last ``last`` calls."""
        if not self.calls:
            return "  (no calls recorded)"
        lines = [f"  {c.short()}" for c in self.calls[-last:]]
        if len(self.calls) > last:
            lines.insert(0, f"  ... {len(self.calls) - last} earlier calls")
        return "\n".join(lines)

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
        count: int = 1,
        since: int | None = None,
        ok: bool | None = None,
    ) -> Call:
        """Wait until ``count`` finished calls of ``method`` match; return the last of them.

        ``method`` is case-insensitive ("*" matches any method).  Only calls recorded
        at index >= ``since`` (see :meth:`mark`) count.  ``ok=True``/``False`` keeps only
        successful/failed calls; by default both count.  A predicate that raises is
        treated as "no match".  Raises AssertionError listing recent calls on timeout.
        """
        start = since or 0

        def check() -> Call | None:
            found = 0
            for c in self.calls[start:]:
                if not (c.done and self._matches(c, method)):
                    continue
                if ok is not None and c.ok != ok:
                    continue
                if predicate is not None and not _safe(predicate, c):
                    continue
                found += 1
                if found >= count:
                    return c
            return None

        result = await self._wait_until(check, timeout)
        if result is None:
            got = len(
                [
                    c
                    for c in self.calls_of(method, since=start, ok=ok)
                    if predicate is None or _safe(predicate, c)
                ]
            )
            raise AssertionError(
                f"{self.kind}: timed out after {timeout}s waiting for {count} call(s) of "
                f"{method!r} (since #{start}, ok={ok}, predicate={'yes' if predicate else 'no'}); "
                f"got {got}.\nRecent calls:\n{self.format_calls()}"
            )
        return result

    def _record(self, method: str, params: dict[str, Any]) -> Call:
        with self._lock:
            call = Call(index=len(self.calls), method=method, params=params, time=time.monotonic())
            self.calls.append(call)
        return call

    def _finish_ok(self, call: Call, result: Any) -> None:
        call.result = result
        call.done = True
        self._notify()
        self._finished(call)

    def _finish_error(
        self, call: Call, code: int, description: str, detail: str | None = None
    ) -> None:
        call.failed = True
        call.error_code = code
        call.description = description
        call.detail = detail
        call.done = True
        self._notify()
        self._finished(call)

    def _drop(self, request: web.Request, call: Call) -> web.Response:
        """Close the connection without answering."""
        call.dropped = True
        finished_now = not call.done
        if finished_now:
            call.failed = True
            call.description = "connection dropped"
            call.done = True
        self._notify()
        if finished_now:
            self._finished(call)
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=500)

    # ------------------------------------------------------------------ specification

    def take_spec_violations(self) -> list[Violation]:
        """Return and forget the recorded specification violations.

        A test that breaks the specification on purpose (to see how the fake answers) takes
        them with this and asserts on them; any left at the end fail the test."""
        with self._lock:
            taken, self.spec_violations = self.spec_violations, []
        return taken

    def _record_violations(self, call: Call, violations: list[Violation]) -> None:
        from tests.fakes.spec import with_call

        with self._lock:
            self.spec_violations.extend(with_call(violations, call.index))

    # ------------------------------------------------------------------ faults

    def _queue_fault(self, method: str, fault: Fault, times: int) -> None:
        with self._lock:
            queue = self._faults.setdefault(self._norm(method), deque())
            for _ in range(times):
                queue.append(fault)

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for key in (self._norm(method), "*"):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    def clear_faults(self) -> None:
        """Forget every queued fault and switch rate limiting off."""
        with self._lock:
            self._faults.clear()
            self._rate_per_second = None
            self._rate_window.clear()

    def drop_next(self, method: str, times: int = 1, *, after_effect: bool = False) -> None:
        """Close the connection without an answer on the next ``times`` calls of ``method``.

        With ``after_effect=True`` the call is processed first (message stored, ...)
        and only the answer is lost.  ``method="*"`` matches any method.
        """
        self._queue_fault(method, Fault(kind="drop", after_effect=after_effect), times)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Process the next ``times`` calls of ``method`` at once but answer ``seconds`` late."""
        self._queue_fault(method, Fault(kind="delay", seconds=seconds), times)

    def rate_limit(self, per_second: float | None) -> None:
        """Reject rate-limited calls beyond ``per_second`` in any sliding 1 s window."""
        with self._lock:
            self._rate_per_second = per_second
            self._rate_window.clear()

    def _rate_limited(self) -> bool:
        with self._lock:
            if self._rate_per_second is None:
                return False
            now = time.monotonic()
            while self._rate_window and self._rate_window[0] <= now - 1.0:
                self._rate_window.popleft()
            if len(self._rate_window) >= self._rate_per_second:
                self.too_many_requests += 1
                return True
            self._rate_window.append(now)
            return False


def _safe(predicate: Callable[[_T], bool], value: _T) -> bool:
    try:
        return bool(predicate(value))
    except Exception:
        return False
