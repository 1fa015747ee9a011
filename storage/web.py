"""The web chat's storage: visitors, each visitor's conversation, and files by opaque id."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.database import Database


@dataclass(frozen=True, slots=True)
class WebVisitor:
    id: int
    admin: bool


@dataclass(frozen=True, slots=True)
class StoredMessage:
    id: int
    sender: str  # bot | user
    body: dict[str, Any]
    created_at: str


@dataclass(frozen=True, slots=True)
class WebFile:
    id: str
    user_id: int | None
    name: str
    mime_type: str
    size: int
    data: bytes


_INSERT = (
    "INSERT INTO web_messages (user_id, sender, body, key, created_at) "
    "SELECT id, ?, ?, ?, ? FROM users WHERE platform = 'web' AND external_id = ? "
    "ON CONFLICT DO NOTHING RETURNING id"
)


class SqliteWebRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- visitors ------------------------------------------------------------------------------
    async def new_visitor(self, now: datetime) -> int:
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "INSERT INTO web_visitors (created_at) VALUES (?) RETURNING id", (now.isoformat(),)
            ) as cursor,
        ):
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    def visitor(self, visitor_id: int) -> WebVisitor | None:
        rows = self._db.query("SELECT id, admin FROM web_visitors WHERE id = ?", (visitor_id,))
        return WebVisitor(rows[0][0], bool(rows[0][1])) if rows else None

    async def make_admin(self, visitor_id: int) -> None:
        await self._db.write("UPDATE web_visitors SET admin = 1 WHERE id = ?", (visitor_id,))

    async def admins(self) -> list[int]:
        async with (
            self._db.read() as conn,
            conn.execute("SELECT id FROM web_visitors WHERE admin = 1 ORDER BY id") as cursor,
        ):
            return [int(row[0]) for row in await cursor.fetchall()]

    def user_id(self, visitor_id: int) -> int | None:
        """The users row of a visitor, once they have talked to the bot."""
        rows = self._db.query(
            "SELECT id FROM users WHERE platform = 'web' AND external_id = ?", (visitor_id,)
        )
        return int(rows[0][0]) if rows else None

    def user_locale(self, visitor_id: int) -> str | None:
        rows = self._db.query(
            "SELECT locale FROM users WHERE platform = 'web' AND external_id = ?", (visitor_id,)
        )
        return str(rows[0][0]) if rows else None

    # --- messages ------------------------------------------------------------------------------
    async def add_messages(
        self, items: Sequence[tuple[int, str, dict[str, Any], str | None]], now: datetime
    ) -> list[int | None]:
        """Store messages (visitor, sender, body, key); for each, the new id, or None when the
        key was stored before (a resend) or the visitor has no user row. One message is one
        statement in one hop to the writer; several (a broadcast batch) one transaction."""
        stamp = now.isoformat()
        if len(items) == 1:
            visitor_id, sender, body, key = items[0]
            rows = await self._db.write_returning(
                _INSERT, (sender, _dump(body), key, stamp, visitor_id)
            )
            return [int(rows[0][0]) if rows else None]
        ids: list[int | None] = []
        async with self._db.transaction() as conn:
            for visitor_id, sender, body, key in items:
                async with conn.execute(
                    _INSERT, (sender, _dump(body), key, stamp, visitor_id)
                ) as cursor:
                    row = await cursor.fetchone()
                ids.append(int(row[0]) if row else None)
        return ids

    async def edit_message(
        self, visitor_id: int, message_id: int, body: dict[str, Any]
    ) -> str | None:
        """Change a bot message of this visitor in place; the time it was first sent, or None
        when it is not theirs."""
        rows = await self._db.write_returning(
            "UPDATE web_messages SET body = ? WHERE id = ? AND sender = 'bot' AND user_id = "
            "(SELECT id FROM users WHERE platform = 'web' AND external_id = ?) "
            "RETURNING created_at",
            (_dump(body), message_id, visitor_id),
        )
        return str(rows[0][0]) if rows else None

    def history(self, visitor_id: int, limit: int) -> list[StoredMessage]:
        """The visitor's last `limit` messages, oldest first (by the index on user and id)."""
        rows = self._db.query(
            "SELECT id, sender, body, created_at FROM web_messages "
            "WHERE user_id = (SELECT id FROM users WHERE platform = 'web' AND external_id = ?) "
            "ORDER BY id DESC LIMIT ?",
            (visitor_id, limit),
        )
        return [StoredMessage(r[0], r[1], json.loads(r[2]), r[3]) for r in reversed(rows)]

    # --- files ---------------------------------------------------------------------------------
    async def add_file(
        self, visitor_id: int, name: str, mime_type: str, data: bytes, now: datetime
    ) -> str | None:
        """Keep a file for a visitor; its opaque id, or None when the visitor has no user row."""
        file_id = secrets.token_urlsafe(18)
        changed = await self._db.write(
            "INSERT INTO web_files (id, user_id, name, mime_type, size, data, created_at) "
            "SELECT ?, id, ?, ?, ?, ?, ? FROM users WHERE platform = 'web' AND external_id = ?",
            (file_id, name, mime_type, len(data), data, now.isoformat(), visitor_id),
        )
        return file_id if changed == 1 else None

    async def add_shared_file(self, name: str, mime_type: str, data: bytes, now: datetime) -> str:
        """Keep a broadcast's media once, for every recipient to see."""
        file_id = secrets.token_urlsafe(18)
        await self._db.write(
            "INSERT INTO web_files (id, user_id, name, mime_type, size, data, created_at) "
            "VALUES (?, NULL, ?, ?, ?, ?, ?)",
            (file_id, name, mime_type, len(data), data, now.isoformat()),
        )
        return file_id

    async def file(self, file_id: str, visitor_id: int | None = None) -> WebFile | None:
        """A file by its id; with `visitor_id`, only when it is that visitor's."""
        sql = "SELECT id, user_id, name, mime_type, size, data FROM web_files WHERE id = ?"
        params: list[object] = [file_id]
        if visitor_id is not None:  # theirs, or a broadcast's (no owner)
            sql += (
                " AND (user_id IS NULL OR user_id = "
                "(SELECT id FROM users WHERE platform = 'web' AND external_id = ?))"
            )
            params.append(visitor_id)
        async with self._db.read() as conn, conn.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        return WebFile(row[0], row[1], row[2], row[3], row[4], bytes(row[5])) if row else None


def _dump(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
