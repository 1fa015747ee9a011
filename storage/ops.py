"""What the health check and the metrics read from the database (no personal data)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

from storage.backup import probe_file
from storage.database import Database

BROADCAST_STATES = ("sent", "blocked", "failed", "unknown")


class SqliteOpsProbe:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._identity = self._stat_identity(db.path)

    @staticmethod
    def _stat_identity(path: Path) -> tuple[int, int] | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    async def check(self) -> None:
        """Raise when the database does not answer: a query on the bot's own connection, then
        the file itself: gone, replaced under the bot, unreadable or not a database."""
        async with self._db.read() as conn, conn.execute("SELECT 1") as cursor:
            await cursor.fetchone()
        try:
            stat = os.stat(self._db.path)
        except OSError as error:
            raise RuntimeError(f"the database file cannot be read ({error.strerror})") from None
        if self._identity is None:
            self._identity = (stat.st_dev, stat.st_ino)
        elif (stat.st_dev, stat.st_ino) != self._identity:
            raise RuntimeError("the database file was replaced while the bot runs")
        await asyncio.to_thread(probe_file, self._db.path)

    def size(self) -> int:
        """Bytes on disk: the database file and its write-ahead log."""
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.stat(f"{self._db.path}{suffix}").st_size
        return total

    async def broadcast_counts(self) -> dict[str, int]:
        """Messages of all broadcasts by state, and `pending` for broadcasts still running."""
        counts = dict.fromkeys((*BROADCAST_STATES, "pending"), 0)
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT COALESCE(SUM(sent), 0), COALESCE(SUM(blocked), 0), "
                "COALESCE(SUM(failed), 0), COALESCE(SUM(unknown), 0) FROM broadcasts"
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                counts.update(zip(BROADCAST_STATES, (int(v) for v in row), strict=True))
            async with conn.execute(
                "SELECT COUNT(*) FROM broadcast_deliveries WHERE broadcast_id IN "
                "(SELECT id FROM broadcasts WHERE status = 'running') "
                "AND platform IN ('tg', 'vk') AND state = 'pending'"
            ) as cursor:
                row = await cursor.fetchone()
            counts["pending"] = int(row[0]) if row else 0
        return counts
