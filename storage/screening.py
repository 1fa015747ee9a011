"""Screening runs: a candidate's answers to a vacancy's questions and the outcome."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.domain.interviews import Screening, ScreeningAnswer
from storage.database import Database

_COLUMNS = "id, user_id, vacancy_id, passed, answers, reason, created_at"


def _screening(row: sqlite3.Row) -> Screening:
    try:
        items = json.loads(row["answers"])
    except ValueError:
        items = []
    answers = tuple(
        ScreeningAnswer(str(i.get("question", "")), str(i.get("answer", "")), bool(i.get("passes")))
        for i in items
        if isinstance(i, dict)
    )
    return Screening(
        id=row["id"],
        user_id=row["user_id"],
        vacancy_id=row["vacancy_id"],
        passed=bool(row["passed"]),
        answers=answers,
        reason=row["reason"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


class SqliteScreeningRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        user_id: int,
        vacancy_id: int,
        passed: bool,
        answers: tuple[ScreeningAnswer, ...],
        reason: str,
        now: datetime,
    ) -> Screening:
        data = json.dumps(
            [{"question": a.question, "answer": a.answer, "passes": a.passes} for a in answers],
            ensure_ascii=False,
        )
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO screenings (user_id, vacancy_id, passed, answers, reason, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, vacancy_id, int(passed), data, reason, now.isoformat()),
            )
            screening_id = cursor.lastrowid
        return Screening(int(screening_id or 0), user_id, vacancy_id, passed, answers, reason, now)

    async def latest(self, user_id: int, vacancy_id: int) -> Screening | None:
        rows = self._db.query(
            "SELECT " + _COLUMNS + " FROM screenings "  # noqa: S608 - constant columns
            "WHERE user_id = ? AND vacancy_id = ? ORDER BY id DESC LIMIT 1",
            (user_id, vacancy_id),
        )
        return _screening(rows[0]) if rows else None

    async def latest_passed(self, user_id: int, vacancy_id: int) -> Screening | None:
        rows = self._db.query(
            "SELECT " + _COLUMNS + " FROM screenings "  # noqa: S608 - constant columns
            "WHERE user_id = ? AND vacancy_id = ? AND passed = 1 ORDER BY id DESC LIMIT 1",
            (user_id, vacancy_id),
        )
        return _screening(rows[0]) if rows else None

    async def purge(self, before: datetime) -> int:
        """Runs older than `before` with no application for their vacancy: knock-outs whose
        retry window and retention term are over, and runs whose application was purged."""
        return await self._db.write(
            "DELETE FROM screenings WHERE created_at < ? AND NOT EXISTS ("
            "SELECT 1 FROM applications a WHERE a.user_id = screenings.user_id "
            "AND a.vacancy_id = screenings.vacancy_id)",
            (before.isoformat(),),
        )
