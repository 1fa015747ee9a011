"""Personal data: a user's own data for export, erasure on request, retention purges, the audit
log and the numbers behind the admin dashboard and exports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from bot.domain.advocacy import REFERRAL_PREFIX
from storage.database import Database, one

ERASED_REFERRER = f"{REFERRAL_PREFIX}erased"

# what the user's own export contains: (section, SQL with one ? for the user id)
_EXPORT: tuple[tuple[str, str], ...] = (
    (
        "profile",
        "SELECT platform, external_id, locale, role, first_name, last_name, username, "
        "first_seen, last_seen, is_blocked FROM users WHERE id = ?",
    ),
    (
        "consents",
        "SELECT kind, version, text_sha256, accepted_at, withdrawn_at FROM consents "
        "WHERE user_id = ? ORDER BY id",
    ),
    (
        "applications",
        "SELECT a.id, v.title AS vacancy, a.status, a.issued_at, a.deadline_at, a.submitted_at, "
        "a.late, a.source, a.decided_at, a.comment, a.extension FROM applications a "
        "JOIN vacancies v ON v.id = a.vacancy_id WHERE a.user_id = ? ORDER BY a.id",
    ),
    (
        "answers",
        "SELECT s.application_id, s.kind, s.text, s.file_name, s.mime_type, s.size, s.created_at, "
        "s.late FROM answers s JOIN applications a ON a.id = s.application_id "
        "WHERE a.user_id = ? ORDER BY s.id",
    ),
    (
        "screening_answers",
        "SELECT v.title AS vacancy, s.passed, s.answers, s.reason, s.created_at FROM screenings s "
        "JOIN vacancies v ON v.id = s.vacancy_id WHERE s.user_id = ? ORDER BY s.id",
    ),
    (
        "interviews",
        "SELECT i.application_id, v.title AS vacancy, t.starts_at, t.duration, t.format, "
        "t.place, t.interviewer, i.status, i.outcome, i.comment, i.created_at, i.updated_at "
        "FROM interviews i JOIN interview_slots t ON t.id = i.slot_id "
        "JOIN applications a ON a.id = i.application_id "
        "JOIN vacancies v ON v.id = a.vacancy_id WHERE i.user_id = ? ORDER BY i.id",
    ),
    ("checklist", "SELECT item, done_at FROM checklist_marks WHERE user_id = ? ORDER BY item"),
    (
        "subscriptions",
        "SELECT kind, value, created_at FROM subscriptions WHERE user_id = ? ORDER BY created_at",
    ),
    (
        "vacancy_filters",
        "SELECT project, city, remote, tag, query FROM vacancy_filters WHERE user_id = ?",
    ),
    ("employee", "SELECT name, team, joined_at, revoked_at FROM employees WHERE user_id = ?"),
    (
        "shares",
        "SELECT p.title AS post, s.link, s.points, s.created_at FROM shares s "
        "JOIN posts p ON p.id = s.post_id WHERE s.user_id = ? ORDER BY s.id",
    ),
    (
        "content_requests",
        "SELECT id, text, status, reason, created_at FROM content_requests WHERE user_id = ? "
        "ORDER BY id",
    ),
    ("dialog", "SELECT name, data, updated_at FROM dialog_states WHERE user_id = ?"),
    (
        "vacancy_visits",
        "SELECT v.title AS vacancy, t.source, t.created_at FROM touches t "
        "JOIN vacancies v ON v.id = t.vacancy_id WHERE t.user_id = ? ORDER BY t.created_at",
    ),
    (
        "vacancy_notices",
        "SELECT v.title AS vacancy, n.sent_at FROM vacancy_notices n "
        "JOIN vacancies v ON v.id = n.vacancy_id WHERE n.user_id = ?",
    ),
    ("invite", "SELECT name, team, used_at FROM invites WHERE used_by = ?"),
    (
        "web_chat",
        "SELECT sender, body, created_at FROM web_messages WHERE user_id = ? ORDER BY id",
    ),
    (
        "web_files",
        "SELECT name, mime_type, size, created_at FROM web_files WHERE user_id = ? ORDER BY rowid",
    ),
    (
        "broadcasts_received",
        "SELECT broadcast_id, state, updated_at FROM broadcast_deliveries WHERE user_id = ?",
    ),
)


class SqlitePrivacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        result: dict[str, list[dict[str, Any]]] = {}
        async with self._db.read() as conn:
            for section, sql in _EXPORT:
                async with conn.execute(sql, (user_id,)) as cursor:
                    result[section] = [dict(row) for row in await cursor.fetchall()]
        return result

    async def erase(self, user_id: int, reason: str, now: datetime) -> bool:
        """Erase a person: their row and everything hanging on it (cascades), their names kept
        in invites, and their id inside referral sources; keep only the fact of erasure."""
        own_source = f"{REFERRAL_PREFIX}{user_id}"
        async with self._db.transaction() as conn:
            async with conn.execute("SELECT platform FROM users WHERE id = ?", (user_id,)) as cur:
                row = await cur.fetchone()
            if row is None:
                return False
            await conn.execute(
                "UPDATE invites SET name = '', team = '' WHERE used_by = ?", (user_id,)
            )
            for table in ("touches", "applications"):
                await conn.execute(
                    f"UPDATE {table} SET source = ? WHERE source = ?",  # noqa: S608 - fixed names
                    (ERASED_REFERRER, own_source),
                )
            await conn.execute(
                "INSERT INTO funnel (vacancy_id, source, metric, count) "
                "SELECT vacancy_id, ?, metric, count FROM funnel WHERE source = ? "
                "ON CONFLICT (vacancy_id, source, metric) "
                "DO UPDATE SET count = count + excluded.count",
                (ERASED_REFERRER, own_source),
            )
            await conn.execute("DELETE FROM funnel WHERE source = ?", (own_source,))
            await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
            await conn.execute(
                "INSERT INTO erasures (platform, reason, erased_at) VALUES (?, ?, ?)",
                (row[0], reason, now.isoformat()),
            )
        self._db.cache.forget_user(user_id)
        return True

    async def purge_decided(
        self,
        before: datetime,
        talent_pool_kind: str,
        batch: int = 500,
        screenings_before: datetime | None = None,
    ) -> int:
        """Delete decided applications (and their answers) older than `before`, unless the
        candidate agreed to stay in the talent pool. Funnel counters are kept. An application
        whose interview is still booked, or had its outcome after `before`, waits (the
        decision on the hire is its last one); its interviews go with it. Screening runs older
        than `screenings_before` (else `before`) with no application left (knock-outs
        included) go too."""
        stamp = before.isoformat()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM applications WHERE id IN (SELECT a.id FROM applications a "
                "WHERE a.decided_at IS NOT NULL AND a.decided_at < ? AND NOT EXISTS ("
                "SELECT 1 FROM consents c WHERE c.user_id = a.user_id AND c.kind = ? "
                "AND c.withdrawn_at IS NULL) AND NOT EXISTS (SELECT 1 FROM interviews i "
                "WHERE i.application_id = a.id AND (i.status = 'booked' OR i.updated_at >= ?)) "
                "LIMIT ?)",
                (stamp, talent_pool_kind, stamp, batch),
            )
            purged = cursor.rowcount
            await conn.execute(
                "DELETE FROM screenings WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM "
                "applications a WHERE a.user_id = screenings.user_id "
                "AND a.vacancy_id = screenings.vacancy_id)",
                ((screenings_before or before).isoformat(),),
            )
            return purged

    # --- audit -----------------------------------------------------------------------------
    async def audit(
        self,
        actor_id: int | None,
        actor: str,
        action: str,
        target: str,
        details: str,
        now: datetime,
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO audit_log (actor_id, actor, action, target, details, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (actor_id, actor, action, target, details[:500], now.isoformat()),
            )

    async def audit_entries(self, limit: int) -> list[dict[str, Any]]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT l.created_at, l.action, l.target, l.details, "
                "COALESCE(NULLIF(u.first_name, ''), l.actor) AS actor "
                "FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id "
                "ORDER BY l.id DESC LIMIT ?",
                (limit,),
            ) as cursor,
        ):
            return [dict(row) for row in await cursor.fetchall()]

    # --- insights --------------------------------------------------------------------------
    async def vacancy_funnels(self) -> list[dict[str, Any]]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT v.id, v.title, v.status, "
                "SUM(CASE WHEN f.metric = 'screened_in' THEN f.count ELSE 0 END) AS screened_in, "
                "SUM(CASE WHEN f.metric = 'screened_out' THEN f.count ELSE 0 END) AS screened_out, "
                "SUM(CASE WHEN f.metric = 'booked' THEN f.count ELSE 0 END) AS booked, "
                "SUM(CASE WHEN f.metric = 'attended' THEN f.count ELSE 0 END) AS attended, "
                "SUM(CASE WHEN f.metric = 'offer' THEN f.count ELSE 0 END) AS offer, "
                "SUM(CASE WHEN f.metric = 'hired' THEN f.count ELSE 0 END) AS hired, "
                "SUM(CASE WHEN f.metric = 'views' THEN f.count ELSE 0 END) AS views, "
                "SUM(CASE WHEN f.metric = 'issued' THEN f.count ELSE 0 END) AS issued, "
                "SUM(CASE WHEN f.metric = 'submitted' THEN f.count ELSE 0 END) AS submitted, "
                "SUM(CASE WHEN f.metric = 'accepted' THEN f.count ELSE 0 END) AS accepted "
                "FROM vacancies v LEFT JOIN funnel f ON f.vacancy_id = v.id "
                "GROUP BY v.id ORDER BY views DESC, v.id"
            ) as cursor,
        ):
            return [dict(row) for row in await cursor.fetchall()]

    async def sources(self) -> list[dict[str, Any]]:
        """Per source: the funnel counters and the decided outcomes of its applications."""
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT source, "
                "SUM(CASE WHEN metric = 'screened_in' THEN count ELSE 0 END) AS screened_in, "
                "SUM(CASE WHEN metric = 'screened_out' THEN count ELSE 0 END) AS screened_out, "
                "SUM(CASE WHEN metric = 'booked' THEN count ELSE 0 END) AS booked, "
                "SUM(CASE WHEN metric = 'attended' THEN count ELSE 0 END) AS attended, "
                "SUM(CASE WHEN metric = 'offer' THEN count ELSE 0 END) AS offer, "
                "SUM(CASE WHEN metric = 'hired' THEN count ELSE 0 END) AS hired, "
                "SUM(CASE WHEN metric = 'views' THEN count ELSE 0 END) AS views, "
                "SUM(CASE WHEN metric = 'issued' THEN count ELSE 0 END) AS issued, "
                "SUM(CASE WHEN metric = 'submitted' THEN count ELSE 0 END) AS submitted, "
                "SUM(CASE WHEN metric = 'accepted' THEN count ELSE 0 END) AS accepted "
                "FROM funnel GROUP BY source ORDER BY views DESC, source"
            ) as cursor:
                rows = {row["source"]: dict(row) for row in await cursor.fetchall()}
            async with conn.execute(
                "SELECT source, SUM(status = 'rejected') FROM applications GROUP BY source"
            ) as cursor:
                for source, rejected in await cursor.fetchall():
                    rows.setdefault(
                        source,
                        {"source": source, "views": 0, "issued": 0, "submitted": 0, "accepted": 0},
                    )["rejected"] = int(rejected or 0)
        for row in rows.values():
            row.setdefault("rejected", 0)
        return list(rows.values())

    async def per_day(self, since: datetime) -> list[tuple[str, int, int]]:
        """(day, tasks issued, answers submitted) for every day with activity since a moment."""
        stamp = since.isoformat()
        days: dict[str, list[int]] = {}
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT substr(issued_at, 1, 10), COUNT(*) FROM applications "
                "WHERE issued_at >= ? GROUP BY 1",
                (stamp,),
            ) as cursor:
                for day, count in await cursor.fetchall():
                    days.setdefault(day, [0, 0])[0] = int(count)
            async with conn.execute(
                "SELECT substr(submitted_at, 1, 10), COUNT(*) FROM applications "
                "WHERE submitted_at >= ? GROUP BY 1",
                (stamp,),
            ) as cursor:
                for day, count in await cursor.fetchall():
                    days.setdefault(day, [0, 0])[1] = int(count)
        return [(day, pair[0], pair[1]) for day, pair in sorted(days.items())]

    async def advocacy_totals(self, since: datetime) -> dict[str, int]:
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT COUNT(*), SUM(created_at >= ?) FROM shares", (since.isoformat(),)
            ) as cursor:
                shares, month = one(await cursor.fetchone())
            async with conn.execute(
                "SELECT COUNT(*) FROM touches WHERE source >= ? AND source < ?",
                (REFERRAL_PREFIX, REFERRAL_PREFIX[:-1] + "`"),
            ) as cursor:
                (referred,) = one(await cursor.fetchone())
            async with conn.execute(
                "SELECT COUNT(*) FROM employees WHERE revoked_at IS NULL"
            ) as cursor:
                (employees,) = one(await cursor.fetchone())
        return {
            "shares": int(shares or 0),
            "shares_month": int(month or 0),
            "referred": int(referred or 0),
            "employees": int(employees or 0),
        }

    async def broadcast_totals(self) -> dict[str, int]:
        """Reach of broadcasts: deliveries by state (empty when broadcasts are not set up)."""
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                ("broadcast_deliveries",),
            ) as cursor:
                if await cursor.fetchone() is None:
                    return {}
            async with conn.execute(
                "SELECT state, COUNT(*) FROM broadcast_deliveries GROUP BY state"
            ) as cursor:
                totals = {str(state): int(count) for state, count in await cursor.fetchall()}
            async with conn.execute("SELECT COUNT(*) FROM broadcasts") as cursor:
                totals["broadcasts"] = int(one(await cursor.fetchone())[0])
        return totals

    async def application_rows(self, batch: int = 500) -> AsyncIterator[dict[str, Any]]:
        """Every application for the CSV export, streamed in batches by id."""
        last = 0
        while True:
            async with (
                self._db.read() as conn,
                conn.execute(
                    "SELECT a.id, v.title AS vacancy, a.status, a.late, a.source, "
                    "a.issued_at, a.submitted_at, a.decided_at, "
                    # the latest screening run of the candidate for the vacancy
                    "(SELECT s.passed FROM screenings s WHERE s.user_id = a.user_id "
                    "AND s.vacancy_id = a.vacancy_id ORDER BY s.id DESC LIMIT 1) AS screened, "
                    # the booking that counts: the active one, or the last with an outcome
                    "(SELECT sl.starts_at FROM interviews i "
                    "JOIN interview_slots sl ON sl.id = i.slot_id WHERE i.application_id = a.id "
                    "AND i.status IN ('booked', 'done') ORDER BY i.id DESC LIMIT 1) "
                    "AS interview_at, "
                    "(SELECT i.outcome FROM interviews i WHERE i.application_id = a.id "
                    "AND i.status IN ('booked', 'done') ORDER BY i.id DESC LIMIT 1) AS outcome "
                    "FROM applications a "
                    "JOIN vacancies v ON v.id = a.vacancy_id WHERE a.id > ? ORDER BY a.id LIMIT ?",
                    (last, batch),
                ) as cursor,
            ):
                rows = [dict(row) for row in await cursor.fetchall()]
            if not rows:
                return
            for row in rows:
                yield row
            last = rows[-1]["id"]
