"""Dialog-state store: where each user is in a multi-step conversation, kept across restarts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.domain import DialogState
from storage.database import Database


class SqliteDialogRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> DialogState | None:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT name, data, updated_at FROM dialog_states WHERE user_id = ?", (user_id,)
            ) as cursor,
        ):
            row = await cursor.fetchone()
        if row is None:
            return None
        return DialogState(
            user_id=user_id,
            name=row["name"],
            data=json.loads(row["data"]),
            updated_at=datetime.fromisoformat(row["updated_at"]),
        )

    async def set(self, user_id: int, name: str, data: dict[str, Any], now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                """
                INSERT INTO dialog_states (user_id, name, data, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    name = excluded.name, data = excluded.data, updated_at = excluded.updated_at
                """,
                (user_id, name, json.dumps(data, ensure_ascii=False), now.isoformat()),
            )

    async def clear(self, user_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM dialog_states WHERE user_id = ?", (user_id,))
