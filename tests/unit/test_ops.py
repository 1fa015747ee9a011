"""Metrics registries per app, readiness windows, the health verdicts, JSON log lines."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from bot.app import open_app
from bot.domain import Platform
from bot.events import Attachment, AttachmentKind, Event, EventKind
from bot.health import Health
from bot.logs import setup_logging, update_context
from bot.metrics import Metrics, update_kind
from tests.conftest import make_settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Probe:
    def __init__(self) -> None:
        self.error: Exception | None = None
        self.hang = False

    async def check(self) -> None:
        if self.hang:
            await asyncio.Event().wait()
        if self.error is not None:
            raise self.error

    def size(self) -> int:
        return 4096

    async def broadcast_counts(self) -> dict[str, int]:
        return {"sent": 2, "pending": 1}


async def test_every_app_counts_in_a_registry_of_its_own(tmp_path: Path) -> None:
    first, second = Metrics(), Metrics()
    async with (
        open_app(make_settings(tmp_path / "a"), metrics=first) as one,
        open_app(make_settings(tmp_path / "b"), metrics=second) as two,
    ):
        assert one.core.metrics is first and two.core.metrics is second
        first.api_call(Platform.TELEGRAM, "sendMessage", "ok")
    assert b'hrbot_api_calls_total{method="sendMessage",platform="telegram",result="ok"} 1.0' in (
        first.render()
    )
    assert b"sendMessage" not in second.render()
    assert not [name for name in REGISTRY._names_to_collectors if name.startswith("hrbot")]


def test_update_kinds_are_bounded_labels() -> None:
    base = Event(Platform.VK, EventKind.MESSAGE, 1, 1, text="/start 12345", command="start")
    assert update_kind(base) == "command"
    assert update_kind(Event(Platform.VK, EventKind.BUTTON, 1, 1)) == "button"
    photo = Attachment(AttachmentKind.PHOTO, file_id="secret-id")
    assert update_kind(Event(Platform.VK, EventKind.MESSAGE, 1, 1, attachments=(photo,))) == "photo"
    assert update_kind(Event(Platform.VK, EventKind.MESSAGE, 1, 1, text="hi")) == "text"


def test_ready_while_a_poll_answered_within_90_seconds() -> None:
    clock = Clock()
    metrics = Metrics(monotonic=clock)
    both = [Platform.TELEGRAM, Platform.VK]
    assert metrics.not_ready(both) == ["telegram: no poll answer yet", "vk: no poll answer yet"]
    metrics.polled(Platform.TELEGRAM)
    clock.now += 60
    metrics.polled(Platform.VK)
    assert metrics.not_ready(both) == []
    clock.now += 31
    assert metrics.not_ready(both) == ["telegram: no poll answer for 91 s"]
    metrics.webhook_set(Platform.TELEGRAM)  # webhook mode: ready while the process runs
    clock.now += 1000
    assert metrics.not_ready(both) == ["vk: no poll answer for 1031 s"]


async def test_health_names_a_stalled_loop_and_a_database_that_does_not_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock, probe = Clock(), Probe()
    health = Health(Metrics(), probe, [Platform.VK], monotonic=clock)
    assert await health.problems() == []
    clock.now += 11  # the heartbeat task did not run for 11 s
    assert await health.problems() == ["event loop: last heartbeat 11 s ago"]
    stop = asyncio.Event()
    beating = asyncio.create_task(health.heartbeat(stop))
    await asyncio.sleep(0)
    assert await health.problems() == []
    probe.error = OSError("unable to open database file")
    assert await health.problems() == ["database: unable to open database file"]
    probe.error, probe.hang = None, True
    monkeypatch.setattr("bot.health.DB_TIMEOUT", 0.01)
    assert await health.problems() == ["database: no answer within 0 s"]
    stop.set()
    await beating


def test_json_logs_one_object_a_line_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    token = "123456:AAsecret-token-value-for-the-test"
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    setup_logging("INFO", [token], "json")
    log = logging.getLogger("bot.test")
    try:
        with update_context("telegram", "document"):
            log.info("downloading https://api.telegram.org/file/bot%s/documents/cv.pdf", token)
            try:
                raise RuntimeError(f"failed with {token}")
            except RuntimeError:
                log.exception("handler failed")
        log.warning("outside an update")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    lines = capsys.readouterr().err.strip().splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 3 and token not in "".join(lines)
    assert entries[0]["platform"] == "telegram" and entries[0]["update"] == "document"
    assert entries[0]["message"] == "downloading https://api.telegram.org/file/bot***/***"
    assert entries[0]["level"] == "INFO" and entries[0]["logger"] == "bot.test"
    assert "RuntimeError: failed with ***" in entries[1]["exception"]
    assert "platform" not in entries[2] and entries[2]["level"] == "WARNING"
