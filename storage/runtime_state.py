"""Named values the runtimes keep across restarts."""

from __future__ import annotations

from storage.database import Database


class SqliteRuntimeState:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        async with (
            self._db.read() as conn,
            conn.execute("SELECT value FROM runtime_state WHERE key = ?", (key,)) as cursor,
        ):
            row = await cursor.fetchone()
        return str(row[0]) if row else None

    async def set(self, key: str, value: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO runtime_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
