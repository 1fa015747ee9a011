"""Dialog-state store: where each user is in a multi-step conversation, kept across restarts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.domain import DialogState
from storage.cache import DialogRow
from storage.database import Database


class SqliteDialogRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> DialogState | None:
        """The user's dialog state; from the cache (`storage.cache`) when it knows it."""
        cache = self._db.cache
        known, cached = cache.dialog(user_id)
        if known:
            return _state(user_id, cached)
        generation = cache.generation
        rows = self._db.query(
            "SELECT name, data, updated_at FROM dialog_states WHERE user_id = ?", (user_id,)
        )
        row = rows[0] if rows else None
        found = (row["name"], row["data"], row["updated_at"]) if row is not None else None
        cache.put_dialog(user_id, found, generation)
        return _state(user_id, found)

    async def set(self, user_id: int, name: str, data: dict[str, Any], now: datetime) -> None:
        text = json.dumps(data, ensure_ascii=False)
        cache = self._db.cache
        cache.forget_dialog(user_id)
        await self._db.write(
            """
            INSERT INTO dialog_states (user_id, name, data, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET
                name = excluded.name, data = excluded.data, updated_at = excluded.updated_at
            """,
            (user_id, name, text, now.isoformat()),
        )
        cache.put_dialog(user_id, (name, text, now.isoformat()), cache.generation)

    async def clear(self, user_id: int) -> None:
        cache = self._db.cache
        cache.forget_dialog(user_id)
        await self._db.write("DELETE FROM dialog_states WHERE user_id = ?", (user_id,))
        cache.put_dialog(user_id, None, cache.generation)


def _state(user_id: int, row: DialogRow | None) -> DialogState | None:
    if row is None:
        return None
    name, data, updated_at = row
    return DialogState(
        user_id=user_id,
        name=name,
        data=json.loads(data),
        updated_at=datetime.fromisoformat(updated_at),
    )
