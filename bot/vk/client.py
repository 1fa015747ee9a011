"""VK API client.

`VkApiGroup` (vk-api) with an explicit recent API version serves the long poll. Ordinary API
calls go straight through a requests session in worker threads, because `VkApi.method` holds a
global lock for the whole HTTP request and would serialise every user's replies; they are paced
by one rate limiter (a community token allows about 20 requests a second), and errors 6 / 9 / 10
pause it and retry a bounded number of times.

vk-api posts to a hard-coded `https://api.vk.ru/method/`; `_RoutedSession` sends those calls to
`VK_API_URL` instead (a proxy, a mirror, or the stand-in server in tests) and gives every HTTP
request a timeout.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
import vk_api
from vk_api.exceptions import ApiError

from bot.domain import Platform
from bot.metrics import Metrics, http_result
from bot.traffic import Lane, TrafficStats, WindowLimiter, lane_for

log = logging.getLogger(__name__)

API_VERSION = "5.199"
OFFICIAL_PREFIX = "https://api.vk.ru/method/"
REQUEST_TIMEOUT = 15.0
VK_RATE = 20  # requests a second for a community token
RETRY_CODES = {6, 9, 10}
BLOCKED_CODES = {901, 902, 7}
RATE_CODES = {6, 9, 29}  # too many requests per second, flood control, rate limit reached
SERVER_CODES = {10}  # internal server error


class VkTransportError(Exception):
    """A network problem talking to VK; the message never carries URLs or tokens. `status`
    is the HTTP status when VK answered with an HTTP error."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def call_result(error: BaseException | None) -> str:
    """The metrics' result label of a VK API call."""
    if error is None:
        return "ok"
    if isinstance(error, ApiError):
        if error.code in RATE_CODES:
            return "429"
        return "5xx" if error.code in SERVER_CODES else "4xx"
    if isinstance(error, VkTransportError) and error.status is not None:
        return http_result(error.status)
    return "network"


class _RoutedSession(requests.Session):
    def __init__(self, api_url: str, timeout: float) -> None:
        super().__init__()
        self._api_url = api_url
        self._timeout = timeout
        self.trust_env = False

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        verb = method.decode() if isinstance(method, bytes) else method
        target = url.decode() if isinstance(url, bytes) else url
        if target.startswith(OFFICIAL_PREFIX):
            target = self._api_url + target[len(OFFICIAL_PREFIX) :]
        kwargs.setdefault("timeout", self._timeout)
        return super().request(verb, target, *args, **kwargs)


@dataclass(frozen=True, slots=True)
class ExecuteError:
    """One call inside an `execute` that failed (its place in the answer is `false`)."""

    method: str
    code: int
    message: str


class VkClient:
    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        timeout: float = REQUEST_TIMEOUT,
        metrics: Metrics | None = None,
    ) -> None:
        self.api_url = api_url
        self.metrics = metrics
        self.timeout = timeout
        self.session = _RoutedSession(api_url, timeout)
        self.vk = vk_api.VkApiGroup(token=token, api_version=API_VERSION, session=self.session)
        self.limiter = WindowLimiter(VK_RATE)
        self.stats = TrafficStats()
        self._token = token

    def _request(self, method: str, params: dict[str, Any] | None) -> dict[str, Any]:
        values = {key: value for key, value in (params or {}).items() if value is not None}
        values["v"] = API_VERSION
        values["access_token"] = self._token
        try:
            response = self.session.post(self.api_url + method, data=values)
            response.raise_for_status()
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            failed = error.response if isinstance(error, requests.HTTPError) else None
            status = failed.status_code if failed is not None else None
            raise VkTransportError(f"VK {method}: {type(error).__name__}", status) from None
        if not isinstance(body, dict):
            raise VkTransportError(f"VK {method}: malformed answer")
        if "error" in body:
            values.pop("access_token")
            raise ApiError(self.vk, method, values, False, body["error"])
        return body

    def call_sync(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """One blocking API call; for worker threads."""
        return self._request(method, params)["response"]

    async def call(self, method: str, **params: Any) -> Any:
        """Run an API call in a worker thread with a timeout; back off on rate-limit errors.
        A call to the person being answered goes in the interactive lane, others in bulk."""
        if "peer_ids" in params:
            lane = Lane.BULK
        else:
            lane = lane_for(Platform.VK, params.get("peer_id", params.get("user_id")))
        body = await self._send(method, params, lane)
        return body["response"]

    async def call_in(self, lane: Lane, method: str, params: dict[str, Any]) -> Any:
        """One call in the given lane (for calls that belong to no chat)."""
        body = await self._send(method, params, lane)
        return body["response"]

    async def execute(
        self, calls: list[tuple[str, dict[str, Any]]], lane: Lane = Lane.INTERACTIVE
    ) -> list[Any]:
        """Several calls in one request; each result in order, or an `ExecuteError`."""
        code = "return [%s];" % ", ".join(  # noqa: UP031 - VKScript, not Python
            f"API.{method}({json.dumps(_clean(params), ensure_ascii=False)})"
            for method, params in calls
        )
        body = await self._send("execute", {"code": code}, lane)
        results = body.get("response")
        if not isinstance(results, list) or len(results) != len(calls):
            results = [False] * len(calls)
        errors = iter(body.get("execute_errors") or [])
        out: list[Any] = []
        for (method, _), result in zip(calls, results, strict=True):
            if result is False:
                error = next(errors, None) or {}
                out.append(
                    ExecuteError(
                        str(error.get("method") or method),
                        int(error.get("error_code") or 0),
                        str(error.get("error_msg") or ""),
                    )
                )
            else:
                out.append(result)
        return out

    async def _send(self, method: str, params: dict[str, Any], lane: Lane) -> dict[str, Any]:
        delay = 0.5
        for attempt in range(4):
            started = time.monotonic()
            async with self.limiter.slot(lane):  # held until a second after the answer
                if self.metrics is not None:
                    self.metrics.waited(Platform.VK, lane, time.monotonic() - started)
                try:
                    return await self._call(method, params)
                except ApiError as error:
                    if error.code not in RETRY_CODES or attempt == 3:
                        raise
                    self.stats.flood(f"error {error.code}")
                    log.warning("VK %s: error %s, retrying in %.1fs", method, error.code, delay)
                    self.limiter.pause(delay)
                    delay *= 2
        raise AssertionError("unreachable")

    async def _call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """One request in a worker thread, counted by result when metrics are on."""
        try:
            body = await asyncio.wait_for(
                asyncio.to_thread(self._request, method, params), timeout=self.timeout + 5
            )
        except BaseException as error:
            if self.metrics is not None and not isinstance(error, asyncio.CancelledError):
                self.metrics.api_call(Platform.VK, method, call_result(error))
            raise
        if self.metrics is not None:
            self.metrics.api_call(Platform.VK, method, "ok")
        return body


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}
