"""Checklist marks: one row per (user, item marked done)."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database


class SqliteChecklistRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def done(self, user_id: int) -> set[str]:
        rows = self._db.query("SELECT item FROM checklist_marks WHERE user_id = ?", (user_id,))
        return {row[0] for row in rows}

    async def set(self, user_id: int, item: str, done: bool, now: datetime) -> None:
        """Mark or unmark one item; doing it twice changes nothing (safe to replay)."""
        if done:
            await self._db.write(
                "INSERT OR IGNORE INTO checklist_marks (user_id, item, done_at) VALUES (?, ?, ?)",
                (user_id, item, now.isoformat()),
            )
        else:
            await self._db.write(
                "DELETE FROM checklist_marks WHERE user_id = ? AND item = ?", (user_id, item)
            )

    async def reset(self, user_id: int) -> None:
        await self._db.write("DELETE FROM checklist_marks WHERE user_id = ?", (user_id,))
