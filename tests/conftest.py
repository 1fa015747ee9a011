"""Shared fixtures. Tests are offline: any connection outside 127.0.0.1 fails the test loudly."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, open_app
from bot.config import Settings


class NetworkAccessError(AssertionError):
    pass


def _is_local(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return True  # unix sockets


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if not _is_local(address):
            raise NetworkAccessError(f"test tried to reach the internet: {address!r}")
        return real_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        if not _is_local(address):
            raise NetworkAccessError(f"test tried to reach the internet: {address!r}")
        return real_connect_ex(self, address)

    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost", "127.0.0.1", "::1") and not str(host).startswith("127."):
            raise NetworkAccessError(f"test tried to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield


@pytest.fixture(autouse=True)
def _requests_follow_the_api_specs() -> Iterator[None]:
    """Fail the test if any request to a stand-in server broke the official API specification.

    Every fake created during the test is tracked (the ``tg`` / ``vk`` fixtures, a test's own,
    the e2e tests' servers); the fakes check each request against ``shared/api-spec``
    (tests/fakes/spec.py), answer a violation with an API error and record it. Autouse, this
    fixture is set up before, and torn down after, the fixtures the test asks for, so it sees
    the requests of their teardown too. A test that breaks the specification on purpose takes
    its violations with ``fake.take_spec_violations()``.
    """
    from tests.fakes import spec_guard

    with spec_guard():
        yield


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings come only from what a test passes: no developer .env, no stray variables."""
    for name in (
        "BOT_TOKEN",
        "TELEGRAM_API_URL",
        "VK_TOKEN",
        "VK_GROUP_ID",
        "VK_API_URL",
        "ADMIN_IDS",
        "VK_ADMIN_IDS",
        "HR_CHAT_ID",
        "DATABASE_PATH",
        "DEFAULT_LOCALE",
        "LOG_LEVEL",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "BACKUP_DIR",
        "BACKUP_KEEP",
        "METRICS_PORT",
        "METRICS_HOST",
        "LOG_FORMAT",
        "DATABASE_AUTOCHECKPOINT",
        "WEB_ENABLED",
        "WEB_HOST",
        "WEB_PORT",
        "WEB_PUBLIC_URL",
        "WEB_SECRET",
        "WEB_ADMIN_TOKEN",
        "WEB_ALLOWED_ORIGINS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


TG_TOKEN = "123456:TEST-token-for-the-stand-in-server"
VK_TOKEN = "vk-test-token"
ADMIN_TG = 900
ADMIN_VK = 9000


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TG_TOKEN,
        "vk_token": VK_TOKEN,
        "vk_group_id": 1,
        "admin_ids": [ADMIN_TG],
        "vk_admin_ids": [ADMIN_VK],
        "database_path": tmp_path / "db" / "bot.sqlite3",
        "throttle_rate": 1000.0,
        "throttle_burst": 1000,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    async with open_app(settings) as app:
        yield app


@pytest.fixture
async def tg() -> AsyncIterator[Any]:
    from tests.fakes.telegram import FakeTelegram

    async with FakeTelegram(token=TG_TOKEN) as server:
        yield server


@pytest.fixture
async def vk() -> AsyncIterator[Any]:
    from tests.fakes.vk import FakeVK

    async with FakeVK(token=VK_TOKEN, group_id=1) as server:
        yield server
