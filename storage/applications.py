"""Applications, answers, consents, attribution, funnel counters, placements, subscriptions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import aiosqlite

from bot.domain.vacancies import Answer, AnswerKind, Application, ApplicationStatus, OwedAnswer
from storage.database import Database

_APP_COLUMNS = (
    "id, vacancy_id, user_id, status, issued_at, deadline_at, submitted_at, late, source, "
    "reviewer_id, decided_at, comment, extension, reminded"
)
_SELECT_APP = "SELECT " + _APP_COLUMNS + " FROM applications "  # noqa: S608 - constant
_ANSWER_COLUMNS = (
    "id, application_id, kind, text, file_ref, file_name, mime_type, size, created_at, late"
)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _answer(row: aiosqlite.Row) -> Answer:
    return Answer(
        id=row["id"],
        application_id=row["application_id"],
        kind=AnswerKind(row["kind"]),
        text=row["text"],
        file_ref=row["file_ref"],
        file_name=row["file_name"],
        mime_type=row["mime_type"],
        size=row["size"],
        created_at=datetime.fromisoformat(row["created_at"]),
        late=bool(row["late"]),
    )


def _application(row: aiosqlite.Row, answers: tuple[Answer, ...] = ()) -> Application:
    return Application(
        id=row["id"],
        vacancy_id=row["vacancy_id"],
        user_id=row["user_id"],
        status=ApplicationStatus(row["status"]),
        issued_at=datetime.fromisoformat(row["issued_at"]),
        deadline_at=datetime.fromisoformat(row["deadline_at"]),
        submitted_at=_dt(row["submitted_at"]),
        late=bool(row["late"]),
        source=row["source"],
        reviewer_id=row["reviewer_id"],
        decided_at=_dt(row["decided_at"]),
        comment=row["comment"],
        extension=row["extension"],
        reminded=bool(row["reminded"]),
        answers=answers,
    )


class SqliteApplicationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _load(self, where: str, params: tuple[object, ...]) -> Application | None:
        rows = self._db.query(_SELECT_APP + where, params)
        if not rows:
            return None
        answers = self._db.query(
            "SELECT " + _ANSWER_COLUMNS + " FROM answers WHERE application_id = ? ORDER BY id",  # noqa: S608
            (rows[0]["id"],),
        )
        return _application(rows[0], tuple(_answer(r) for r in answers))

    async def _load_in(
        self, conn: aiosqlite.Connection, where: str, params: tuple[object, ...]
    ) -> Application | None:
        """Load inside a write transaction (it sees the transaction's own changes)."""
        async with conn.execute(_SELECT_APP + where, params) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        async with conn.execute(
            "SELECT " + _ANSWER_COLUMNS + " FROM answers WHERE application_id = ? ORDER BY id",  # noqa: S608
            (row["id"],),
        ) as cursor:
            answers = tuple(_answer(r) for r in await cursor.fetchall())
        return _application(row, answers)

    async def get(self, application_id: int) -> Application | None:
        return self._load("WHERE id = ?", (application_id,))

    async def find(self, user_id: int, vacancy_id: int) -> Application | None:
        return self._load("WHERE user_id = ? AND vacancy_id = ?", (user_id, vacancy_id))

    async def list_for_user(self, user_id: int, limit: int = 50) -> list[Application]:
        async with (
            self._db.read() as conn,
            conn.execute(
                _SELECT_APP + "WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
            ) as cursor,
        ):
            return [_application(row) for row in await cursor.fetchall()]

    async def issue(
        self, user_id: int, vacancy_id: int, source: str, now: datetime, deadline: datetime
    ) -> tuple[Application, bool]:
        """Start the clock once per (user, vacancy); return (application, created)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO applications "
                "(vacancy_id, user_id, status, issued_at, deadline_at, source) "
                "VALUES (?, ?, 'issued', ?, ?, ?)",
                (vacancy_id, user_id, now.isoformat(), deadline.isoformat(), source),
            )
            created = cursor.rowcount == 1
            application = await self._load_in(
                conn, "WHERE user_id = ? AND vacancy_id = ?", (user_id, vacancy_id)
            )
        assert application is not None
        return application, created

    async def add_answer(
        self,
        application_id: int,
        *,
        kind: AnswerKind,
        text: str,
        file_ref: str,
        file_name: str,
        mime_type: str,
        size: int | None,
        late: bool,
        now: datetime,
    ) -> Application | None:
        """Record an answer unless a decision was made; None when it was."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE applications SET status = 'submitted', submitted_at = ?, late = ? "
                "WHERE id = ? AND status IN ('issued', 'submitted')",
                (now.isoformat(), int(late), application_id),
            )
            if cursor.rowcount != 1:
                return None
            await conn.execute(  # the receipt and the post to HR are owed until sent
                "INSERT INTO answers (application_id, kind, text, file_ref, file_name, mime_type, "
                "size, created_at, late, receipt_sent, hr_posted) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                (
                    application_id,
                    kind.value,
                    text,
                    file_ref,
                    file_name,
                    mime_type,
                    size,
                    now.isoformat(),
                    int(late),
                ),
            )
            return await self._load_in(conn, "WHERE id = ?", (application_id,))

    async def mark_answer(self, answer_id: int, *, receipt: bool = False, hr: bool = False) -> None:
        """Record that the answer's receipt / post to HR has been sent."""
        await self._db.write(
            "UPDATE answers SET receipt_sent = MAX(receipt_sent, ?), hr_posted = MAX(hr_posted, ?) "
            "WHERE id = ?",
            (int(receipt), int(hr), answer_id),
        )

    async def last_answer_id(self) -> int:
        rows = self._db.query("SELECT COALESCE(MAX(id), 0) FROM answers")
        return int(rows[0][0])

    async def owed_answers(self, after: int, up_to: int, limit: int = 100) -> list[OwedAnswer]:
        """Answers with an id after `after` and up to `up_to` whose receipt or post to HR was
        never marked as sent, in id order."""
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT id, application_id, receipt_sent, hr_posted FROM answers "
                "WHERE (receipt_sent = 0 OR hr_posted = 0) AND id > ? AND id <= ? "
                "ORDER BY id LIMIT ?",
                (after, up_to, limit),
            ) as cursor,
        ):
            return [
                OwedAnswer(row[0], row[1], receipt=not row[2], hr=not row[3])
                for row in await cursor.fetchall()
            ]

    async def decide(
        self,
        application_id: int,
        reviewer_id: int,
        status: ApplicationStatus,
        comment: str,
        now: datetime,
    ) -> tuple[Application | None, bool]:
        """Accept or reject a submitted application once; return (application, decided now)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE applications SET status = ?, reviewer_id = ?, comment = ?, decided_at = ? "
                "WHERE id = ? AND status = 'submitted'",
                (status.value, reviewer_id, comment, now.isoformat(), application_id),
            )
            decided = cursor.rowcount == 1
            return await self._load_in(conn, "WHERE id = ?", (application_id,)), decided

    async def set_extension(
        self, application_id: int, state: str, expect: tuple[str, ...], deadline: datetime | None
    ) -> Application | None:
        """Move the extension state from one of `expect`; None when it was not in it."""
        async with self._db.transaction() as conn:
            placeholders = ", ".join("?" for _ in expect)
            sql = (
                "UPDATE applications SET extension = ?, "  # noqa: S608 - placeholders only
                "deadline_at = COALESCE(?, deadline_at), "
                "reminded = CASE WHEN ? IS NULL THEN reminded ELSE 0 END "
                "WHERE id = ? AND status IN ('issued', 'submitted') "
                f"AND extension IN ({placeholders})"
            )
            stamp = deadline.isoformat() if deadline else None
            cursor = await conn.execute(sql, (state, stamp, stamp, application_id, *expect))
            if cursor.rowcount != 1:
                return None
            return await self._load_in(conn, "WHERE id = ?", (application_id,))

    async def due_reminders(
        self, until: datetime, now: datetime, limit: int = 100
    ) -> list[Application]:
        async with (
            self._db.read() as conn,
            conn.execute(
                _SELECT_APP + "WHERE status = 'issued' AND reminded = 0 AND deadline_at <= ? "
                "AND deadline_at > ? ORDER BY deadline_at LIMIT ?",
                (until.isoformat(), now.isoformat(), limit),
            ) as cursor,
        ):
            return [_application(row) for row in await cursor.fetchall()]

    async def mark_reminded(self, application_id: int) -> bool:
        """Claim the reminder; False when it was already claimed (never send twice)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE applications SET reminded = 1 WHERE id = ? AND reminded = 0",
                (application_id,),
            )
            return cursor.rowcount == 1

    # --- consent -----------------------------------------------------------------------
    async def consent(self, user_id: int, kind: str) -> tuple[str, datetime] | None:
        rows = self._db.query(
            "SELECT version, accepted_at FROM consents WHERE user_id = ? AND kind = ? "
            "AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1",
            (user_id, kind),
        )
        return (rows[0][0], datetime.fromisoformat(rows[0][1])) if rows else None

    async def add_consent(
        self, user_id: int, kind: str, version: str, text_sha256: str, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO consents (user_id, kind, version, text_sha256, accepted_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (user_id, kind, version, text_sha256, now.isoformat()),
            )

    # --- attribution and funnel --------------------------------------------------------
    async def touch(self, user_id: int, vacancy_id: int, source: str, now: datetime) -> str:
        """Record the first touch; return the source that keeps the credit. A touch never
        changes once made, so a repeated view costs a read and no write."""
        query = "SELECT source FROM touches WHERE user_id = ? AND vacancy_id = ?"
        rows = self._db.query(query, (user_id, vacancy_id))
        if not rows:
            await self._db.write(
                "INSERT OR IGNORE INTO touches (user_id, vacancy_id, source, created_at) "
                "VALUES (?, ?, ?, ?)",
                (user_id, vacancy_id, source, now.isoformat()),
            )
            rows = self._db.query(query, (user_id, vacancy_id))
        return str(rows[0][0]) if rows else source

    async def count(self, vacancy_id: int, source: str, metric: str) -> None:
        await self._db.write(
            "INSERT INTO funnel (vacancy_id, source, metric, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (vacancy_id, source, metric) DO UPDATE SET count = count + 1",
            (vacancy_id, source, metric),
        )

    async def funnel(self, vacancy_id: int) -> dict[str, dict[str, int]]:
        """source -> metric -> count for one vacancy."""
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT source, metric, count FROM funnel WHERE vacancy_id = ?", (vacancy_id,)
            ) as cursor,
        ):
            result: dict[str, dict[str, int]] = {}
            for source, metric, count in await cursor.fetchall():
                result.setdefault(source, {})[metric] = count
        return result

    # --- placements ----------------------------------------------------------------------
    async def add_placement(self, vacancy_id: int, source: str, now: datetime) -> int:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO placements (vacancy_id, source, created_at) "
                "VALUES (?, ?, ?)",
                (vacancy_id, source, now.isoformat()),
            )
            async with conn.execute(
                "SELECT id FROM placements WHERE vacancy_id = ? AND source = ?",
                (vacancy_id, source),
            ) as cursor:
                row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    async def placement(self, placement_id: int) -> tuple[int, str] | None:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT vacancy_id, source FROM placements WHERE id = ?", (placement_id,)
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return (int(row[0]), str(row[1])) if row else None

    async def placements(self, vacancy_id: int) -> list[tuple[int, str]]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT id, source FROM placements WHERE vacancy_id = ? ORDER BY id", (vacancy_id,)
            ) as cursor,
        ):
            return [(int(r[0]), str(r[1])) for r in await cursor.fetchall()]

    # --- subscriptions -------------------------------------------------------------------
    async def toggle_subscription(self, user_id: int, kind: str, value: str, now: datetime) -> bool:
        """Flip a subscription; return whether the user is subscribed now."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM subscriptions WHERE user_id = ? AND kind = ? AND value = ?",
                (user_id, kind, value),
            )
            if cursor.rowcount:
                return False
            await conn.execute(
                "INSERT INTO subscriptions (user_id, kind, value, created_at) VALUES (?, ?, ?, ?)",
                (user_id, kind, value, now.isoformat()),
            )
            return True

    async def subscriptions(self, user_id: int) -> set[tuple[str, str]]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT kind, value FROM subscriptions WHERE user_id = ?", (user_id,)
            ) as cursor,
        ):
            return {(r[0], r[1]) for r in await cursor.fetchall()}

    async def queue_notices(self, vacancy_id: int, project: str, tags: tuple[str, ...]) -> int:
        """Queue one notice per matching subscriber (never twice); return how many were new."""
        placeholders = ", ".join("?" for _ in tags) or "NULL"
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO vacancy_notices (vacancy_id, user_id) "  # noqa: S608
                "SELECT DISTINCT ?, s.user_id FROM subscriptions s "
                "JOIN users u ON u.id = s.user_id "
                "WHERE u.is_blocked = 0 AND ((s.kind = 'project' AND s.value = ?) "
                f"OR (s.kind = 'tag' AND s.value IN ({placeholders})))",
                (vacancy_id, project, *tags),
            )
            return cursor.rowcount

    async def pending_notices(self, limit: int = 100) -> AsyncIterator[tuple[int, int]]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT vacancy_id, user_id FROM vacancy_notices WHERE sent_at IS NULL LIMIT ?",
                (limit,),
            ) as cursor,
        ):
            rows = await cursor.fetchall()
        for row in rows:
            yield int(row[0]), int(row[1])

    async def mark_notice_sent(self, vacancy_id: int, user_id: int, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE vacancy_notices SET sent_at = ? "
                "WHERE vacancy_id = ? AND user_id = ? AND sent_at IS NULL",
                (now.isoformat(), vacancy_id, user_id),
            )
            return cursor.rowcount == 1
