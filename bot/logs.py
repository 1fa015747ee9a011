"""Logging setup that never lets a token or a file download URL into the output."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_TG_FILE_URL = re.compile(r"/file/bot[^/\s]+/\S+")
_TG_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}\b")
_ACCESS_TOKEN = re.compile(r"(access_token=)[^&\s'\"]+")
_URL_QUERY = re.compile(r"(https?://[^\s?'\"]+)\?[^\s'\"]+")  # private links carry keys


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


def setup_logging(level: str, secrets: Iterable[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiogram.event").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("urllib3").setLevel(logging.WARNING)
