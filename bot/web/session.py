"""Web sessions: a visitor's id in a signed cookie, and the admin token check.

The cookie holds `<visitor id>.<signature>`; the signature is an HMAC-SHA256 of the id with the
web secret (WEB_SECRET, or one generated once and kept in the database), so nobody can claim
another visitor's id. The same browser is the same visitor for a year."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

COOKIE = "hrbot_session"
MAX_AGE = 365 * 24 * 3600
_COOKIE_RE = re.compile(r"^(\d{1,18})\.([A-Za-z0-9_-]{43})$")


class Signer:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def _sign(self, visitor_id: int) -> str:
        digest = hmac.new(self._key, f"visitor:{visitor_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def cookie(self, visitor_id: int) -> str:
        return f"{visitor_id}.{self._sign(visitor_id)}"

    def visitor(self, cookie: str | None) -> int | None:
        """The visitor id in a cookie, or None when it is missing, malformed or forged."""
        match = _COOKIE_RE.match(cookie or "")
        if match is None:
            return None
        visitor_id = int(match.group(1))
        if not hmac.compare_digest(match.group(2), self._sign(visitor_id)):
            return None
        return visitor_id


class AdminToken:
    """WEB_ADMIN_TOKEN (reusable), or, when it is unset, a random token made at start that
    works once. Compared in constant time; the token is never logged."""

    def __init__(self, configured: str | None) -> None:
        self._reusable = configured is not None
        self.value: str | None = configured or secrets.token_urlsafe(24)

    def redeem(self, offered: str) -> bool:
        if self.value is None or not offered:
            return False
        if not hmac.compare_digest(offered.encode(), self.value.encode()):
            return False
        if not self._reusable:
            self.value = None  # the printed one-time link is spent
        return True
