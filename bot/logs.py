"""Logging setup that never lets a token or a file download URL into the output.

Two formats: readable text (the default) and `LOG_FORMAT=json`, one JSON object a line with
time, level, logger, message and, while an update is handled, its platform and kind (set by
the core with `update_context`). Both go through the same redaction.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_TG_FILE_URL = re.compile(r"/file/bot[^/\s]+/\S+")
_TG_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b")
_ACCESS_TOKEN = re.compile(r"(access_token=)[^&\s'\"]+")
_URL_QUERY = re.compile(r"(https?://[^\s?'\"]+)\?[^\s'\"]+")  # private links carry keys


_update: ContextVar[tuple[str, str] | None] = ContextVar("hr_log_update", default=None)


@contextmanager
def update_context(platform: str, kind: str) -> Iterator[None]:
    """Log records made inside this block carry the update's platform and kind."""
    token = _update.set((platform, kind))
    try:
        yield
    finally:
        _update.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object a line; the message and traceback as redacted by `RedactingFilter`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update = _update.get()
        if update is not None:
            entry["platform"], entry["update"] = update
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        text = _TG_FILE_URL.sub("/file/bot***/***", text)
        text = _TG_TOKEN.sub("***", text)
        text = _ACCESS_TOKEN.sub(r"\1***", text)
        return _URL_QUERY.sub(r"\1?***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def setup_logging(level: str, secrets: Iterable[str], log_format: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiogram.event").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("urllib3").setLevel(logging.WARNING)
