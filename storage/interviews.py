"""Interview slots, invitations and bookings. A booking is one write transaction that checks
the slot's free places and takes one, so two candidates racing for the last place cannot both
get it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import aiosqlite

from bot.domain.interviews import Interview, InterviewStatus, Slot, SlotDraft, SlotFormat
from storage.database import Database

_ACTIVE = "(SELECT COUNT(*) FROM interviews i WHERE i.slot_id = s.id AND i.status = 'booked')"
_SLOT = (
    "SELECT s.id, s.vacancy_id, s.starts_at, s.duration, s.format, s.place, "  # noqa: S608
    "s.interviewer, s.capacity, s.cancelled_at, " + _ACTIVE + " AS booked FROM interview_slots s "
)
_INTERVIEW = (
    "SELECT i.id AS iid, i.application_id, i.user_id, i.status, i.outcome, i.comment, "
    "i.confirmed, i.reminded_24, i.reminded_2, i.created_at, i.updated_at, a.vacancy_id "
    "AS app_vacancy, s.id, s.vacancy_id, s.starts_at, s.duration, s.format, s.place, "
    "s.interviewer, s.capacity, s.cancelled_at, " + _ACTIVE + " AS booked "
    "FROM interviews i JOIN interview_slots s ON s.id = i.slot_id "
    "JOIN applications a ON a.id = i.application_id "
)
#: interview times owed to an application (`owe_times`) sent or no longer owed
_SETTLE_TIMES = (
    "UPDATE interview_invites SET times_owed_after = NULL "
    "WHERE application_id = ? AND times_owed_after IS NOT NULL"
)
Row = sqlite3.Row | aiosqlite.Row


def _slot(row: Row) -> Slot:
    return Slot(
        vacancy_id=row["vacancy_id"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        duration=row["duration"],
        format=SlotFormat(row["format"]),
        place=row["place"],
        interviewer=row["interviewer"],
        capacity=row["capacity"],
        id=row["id"],
        booked=row["booked"],
        cancelled=row["cancelled_at"] is not None,
    )


def _interview(row: Row) -> Interview:
    return Interview(
        id=row["iid"],
        application_id=row["application_id"],
        slot=_slot(row),
        user_id=row["user_id"],
        vacancy_id=row["app_vacancy"],
        status=InterviewStatus(row["status"]),
        outcome=row["outcome"],
        comment=row["comment"],
        confirmed=bool(row["confirmed"]),
        reminded_24=bool(row["reminded_24"]),
        reminded_2=bool(row["reminded_2"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _iso(moment: datetime) -> str:
    """Times are stored, and compared as text, in UTC: a slot typed in Moscow time (+03:00)
    next to "now" in UTC would compare wrongly as text by up to three hours."""
    return moment.astimezone(UTC).isoformat()


class SqliteInterviewRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- slots ------------------------------------------------------------------------------
    async def add_slots(
        self, drafts: list[SlotDraft], created_by: int | None, now: datetime
    ) -> list[int]:
        ids: list[int] = []
        async with self._db.transaction() as conn:
            for d in drafts:
                cursor = await conn.execute(
                    "INSERT INTO interview_slots (vacancy_id, starts_at, ends_at, duration, "
                    "format, place, interviewer, capacity, created_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        d.vacancy_id,
                        _iso(d.starts_at),
                        _iso(d.ends_at),
                        d.duration,
                        d.format.value,
                        d.place,
                        d.interviewer,
                        d.capacity,
                        created_by,
                        _iso(now),
                    ),
                )
                ids.append(int(cursor.lastrowid or 0))
        return ids

    async def slot(self, slot_id: int) -> Slot | None:
        rows = self._db.query(_SLOT + "WHERE s.id = ?", (slot_id,))
        return _slot(rows[0]) if rows else None

    async def overlapping(self, interviewer: str, starts: datetime, ends: datetime) -> list[Slot]:
        """Live slots of the same interviewer (case-insensitive) that overlap [starts, ends)."""
        async with (
            self._db.read() as conn,
            conn.execute(
                _SLOT + "WHERE s.cancelled_at IS NULL AND lower(s.interviewer) = lower(?) "
                "AND s.starts_at < ? AND s.ends_at > ? ORDER BY s.starts_at",
                (interviewer, _iso(ends), _iso(starts)),
            ) as cursor,
        ):
            return [_slot(row) for row in await cursor.fetchall()]

    async def free_slots(
        self, vacancy_id: int, after: datetime, offset: int, limit: int
    ) -> tuple[list[Slot], int]:
        where = (
            "WHERE s.cancelled_at IS NULL AND s.starts_at > ? "
            "AND (s.vacancy_id IS NULL OR s.vacancy_id = ?) AND " + _ACTIVE + " < s.capacity "
        )
        params = (_iso(after), vacancy_id)
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT COUNT(*) FROM interview_slots s " + where,  # noqa: S608 - constant
                params,
            ) as cursor:
                row = await cursor.fetchone()
            async with conn.execute(
                _SLOT + where + "ORDER BY s.starts_at, s.id LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ) as cursor:
                slots = [_slot(r) for r in await cursor.fetchall()]
        return slots, int(row[0]) if row else 0

    async def upcoming_slots(
        self, after: datetime, offset: int, limit: int
    ) -> tuple[list[Slot], int]:
        where = "WHERE s.cancelled_at IS NULL AND s.starts_at > ? "
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT COUNT(*) FROM interview_slots s " + where,  # noqa: S608 - constant
                (_iso(after),),
            ) as cursor:
                row = await cursor.fetchone()
            async with conn.execute(
                _SLOT + where + "ORDER BY s.starts_at, s.id LIMIT ? OFFSET ?",
                (_iso(after), limit, offset),
            ) as cursor:
                slots = [_slot(r) for r in await cursor.fetchall()]
        return slots, int(row[0]) if row else 0

    async def cancel_slot(self, slot_id: int, now: datetime) -> tuple[bool, list[Interview]]:
        """Cancel a live slot and drop its bookings; (cancelled now, the dropped bookings)."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                _INTERVIEW + "WHERE i.slot_id = ? AND i.status = 'booked'", (slot_id,)
            ) as cursor:
                dropped = [_interview(r) for r in await cursor.fetchall()]
            cursor = await conn.execute(
                "UPDATE interview_slots SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
                (_iso(now), slot_id),
            )
            if cursor.rowcount != 1:
                return False, []
            await conn.execute(
                "UPDATE interviews SET status = 'dropped', updated_at = ? "
                "WHERE slot_id = ? AND status = 'booked'",
                (_iso(now), slot_id),
            )
        return True, dropped

    # --- invitations ------------------------------------------------------------------------
    async def invite(self, application_id: int, invited_by: int | None, now: datetime) -> bool:
        changed = await self._db.write(
            "INSERT OR IGNORE INTO interview_invites (application_id, invited_at, invited_by) "
            "VALUES (?, ?, ?)",
            (application_id, _iso(now), invited_by),
        )
        return changed == 1

    async def invitation(self, application_id: int) -> tuple[datetime, int] | None:
        """(invited at, rebookings used) or None when not invited."""
        rows = self._db.query(
            "SELECT invited_at, rebookings FROM interview_invites WHERE application_id = ?",
            (application_id,),
        )
        return (datetime.fromisoformat(rows[0][0]), int(rows[0][1])) if rows else None

    async def use_rebooking(self, application_id: int) -> bool:
        changed = await self._db.write(
            "UPDATE interview_invites SET rebookings = rebookings + 1 "
            "WHERE application_id = ? AND rebookings < 1",
            (application_id,),
        )
        return changed == 1

    async def owe_times(self, application_id: int, *, newer_only: bool) -> None:
        if newer_only:
            await self._db.write(
                "UPDATE interview_invites SET times_owed_after = "
                "(SELECT COALESCE(MAX(id), 0) FROM interview_slots) WHERE application_id = ?",
                (application_id,),
            )
        else:
            await self._db.write(
                "UPDATE interview_invites SET times_owed_after = 0 "
                "WHERE application_id = ? AND times_owed_after IS NOT 0",
                (application_id,),
            )

    async def owed_times(self, after: datetime, limit: int) -> list[int]:
        """Applications owed times (see `owe_times`) that can have them now: not rejected, no
        active booking, and a place free after `after` in a slot for their vacancy that is
        newer than the one they were owed after."""
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT v.application_id FROM interview_invites v "  # noqa: S608 - constant
                "JOIN applications a ON a.id = v.application_id "
                "WHERE v.times_owed_after IS NOT NULL AND a.status != 'rejected' AND NOT EXISTS "
                "(SELECT 1 FROM interviews b WHERE b.application_id = v.application_id "
                "AND b.status = 'booked') AND EXISTS (SELECT 1 FROM interview_slots s "
                "WHERE s.id > v.times_owed_after AND s.cancelled_at IS NULL AND s.starts_at > ? "
                "AND (s.vacancy_id IS NULL OR s.vacancy_id = a.vacancy_id) "
                "AND " + _ACTIVE + " < s.capacity) ORDER BY v.application_id LIMIT ?",
                (_iso(after), limit),
            ) as cursor,
        ):
            return [int(row[0]) for row in await cursor.fetchall()]

    async def claim_times(self, application_id: int) -> bool:
        """Clear what `owe_times` set; False when it was not set (sent by someone else)."""
        changed = await self._db.write(_SETTLE_TIMES, (application_id,))
        return changed == 1

    # --- bookings ---------------------------------------------------------------------------
    async def book(
        self,
        application_id: int,
        user_id: int,
        slot_id: int,
        vacancy_id: int,
        after: datetime,
        now: datetime,
        *,
        replace: int | None,
        skip_24: bool,
        skip_2: bool,
    ) -> Interview | None:
        """Take a place in the slot when one is free (the slot is live, starts after `after`
        and is for this vacancy); with `replace`, the active booking with that id moves to the
        new one in the same transaction. None when the place is gone (or the booking to
        replace is not active any more)."""
        stamp = _iso(now)
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT 1 FROM interview_slots s WHERE s.id = ? AND s.cancelled_at IS NULL "  # noqa: S608
                "AND s.starts_at > ? AND (s.vacancy_id IS NULL OR s.vacancy_id = ?) AND "
                + _ACTIVE
                + " < s.capacity",
                (slot_id, _iso(after), vacancy_id),
            ) as cursor:
                if await cursor.fetchone() is None:
                    return None
            if replace is not None:
                cursor = await conn.execute(
                    "UPDATE interviews SET status = 'moved', updated_at = ? "
                    "WHERE id = ? AND application_id = ? AND status = 'booked'",
                    (stamp, replace, application_id),
                )
                if cursor.rowcount != 1:
                    return None
            cursor = await conn.execute(
                "INSERT INTO interviews (application_id, slot_id, user_id, status, reminded_24, "
                "reminded_2, created_at, updated_at) VALUES (?, ?, ?, 'booked', ?, ?, ?, ?)",
                (application_id, slot_id, user_id, int(skip_24), int(skip_2), stamp, stamp),
            )
            interview_id = int(cursor.lastrowid or 0)
            # a booking settles any times the candidate was owed
            await conn.execute(_SETTLE_TIMES, (application_id,))
            async with conn.execute(_INTERVIEW + "WHERE i.id = ?", (interview_id,)) as cursor:
                row = await cursor.fetchone()
        return _interview(row) if row is not None else None

    async def get(self, interview_id: int) -> Interview | None:
        rows = self._db.query(_INTERVIEW + "WHERE i.id = ?", (interview_id,))
        return _interview(rows[0]) if rows else None

    async def for_application(self, application_id: int) -> list[Interview]:
        rows = self._db.query(
            _INTERVIEW + "WHERE i.application_id = ? ORDER BY i.id", (application_id,)
        )
        return [_interview(r) for r in rows]

    async def set_status(
        self, interview_id: int, status: InterviewStatus, expect: InterviewStatus, now: datetime
    ) -> bool:
        changed = await self._db.write(
            "UPDATE interviews SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
            (status.value, _iso(now), interview_id, expect.value),
        )
        return changed == 1

    async def confirm(self, interview_id: int) -> bool:
        changed = await self._db.write(
            "UPDATE interviews SET confirmed = 1 WHERE id = ? AND status = 'booked'",
            (interview_id,),
        )
        return changed == 1

    async def set_outcome(
        self, interview_id: int, outcome: str, comment: str, now: datetime
    ) -> tuple[Interview | None, str]:
        """Record an outcome; (the interview, its outcome before). Only bookings that were
        kept (booked or done) take one."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT outcome FROM interviews WHERE id = ? AND status IN ('booked', 'done')",
                (interview_id,),
            ) as cursor:
                before = await cursor.fetchone()
            if before is None:
                return None, ""
            await conn.execute(
                "UPDATE interviews SET status = 'done', outcome = ?, comment = ?, updated_at = ? "
                "WHERE id = ?",
                (outcome, comment, _iso(now), interview_id),
            )
            async with conn.execute(_INTERVIEW + "WHERE i.id = ?", (interview_id,)) as cursor:
                row = await cursor.fetchone()
        return (_interview(row) if row else None), str(before[0])

    async def due_reminders(
        self, column: str, until: datetime, after: datetime, limit: int = 100
    ) -> list[Interview]:
        """Active bookings starting in (after, until] whose reminder `column` is not claimed."""
        if column not in ("reminded_24", "reminded_2"):
            raise ValueError(column)
        async with (
            self._db.read() as conn,
            conn.execute(
                _INTERVIEW + f"WHERE i.status = 'booked' AND i.{column} = 0 "
                "AND s.starts_at <= ? AND s.starts_at > ? ORDER BY s.starts_at LIMIT ?",
                (_iso(until), _iso(after), limit),
            ) as cursor,
        ):
            return [_interview(r) for r in await cursor.fetchall()]

    async def claim_reminder(self, interview_id: int, column: str) -> bool:
        if column not in ("reminded_24", "reminded_2"):
            raise ValueError(column)
        changed = await self._db.write(
            f"UPDATE interviews SET {column} = 1 "  # noqa: S608 - one of two fixed names
            f"WHERE id = ? AND {column} = 0 AND status = 'booked'",
            (interview_id,),
        )
        return changed == 1

    async def between(
        self, start: datetime, end: datetime, *, done: bool, limit: int
    ) -> list[Interview]:
        """Bookings whose slot starts in [start, end): active ones, or (done=True) also those
        with an outcome."""
        statuses = "('booked', 'done')" if done else "('booked')"
        async with (
            self._db.read() as conn,
            conn.execute(
                _INTERVIEW + f"WHERE i.status IN {statuses} "
                "AND s.starts_at >= ? AND s.starts_at < ? ORDER BY s.starts_at, i.id LIMIT ?",
                (_iso(start), _iso(end), limit),
            ) as cursor,
        ):
            return [_interview(r) for r in await cursor.fetchall()]

    async def awaiting_outcome(self, before: datetime, limit: int) -> list[Interview]:
        async with (
            self._db.read() as conn,
            conn.execute(
                _INTERVIEW + "WHERE i.status = 'booked' AND s.starts_at <= ? "
                "ORDER BY s.starts_at DESC LIMIT ?",
                (_iso(before), limit),
            ) as cursor,
        ):
            return [_interview(r) for r in await cursor.fetchall()]
