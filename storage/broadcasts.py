"""Broadcasts and their deliveries.

Recipients are recorded with `INSERT ... SELECT` from `users`, one range of user ids per
transaction (`fill_step`), so no list of users is ever held in memory and the writer lock is
held only briefly; the worker reads pending rows by (broadcast, platform, state, id) in pages.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

import aiosqlite

from bot.broadcast.model import (
    Audience,
    Broadcast,
    BroadcastStatus,
    Content,
    Counts,
    DeliveryResult,
    DeliveryState,
    LinkButton,
    Media,
    MediaKind,
    Recipient,
    Who,
)
from bot.domain import Platform
from storage.database import Database

_COLUMNS = (
    "b.id, b.author_id, b.status, b.text, b.media_kind, b.media_platform, b.media_ref, "
    "b.media_name, b.media_cache, b.buttons, b.audience, b.created_at, b.scheduled_at, "
    "b.started_at, b.finished_at, b.filled, b.total, b.sent, b.blocked, b.failed, b.unknown, "
    "b.status_message, a.platform AS author_platform, a.external_id AS author_chat, "
    "a.locale AS author_locale"
)
_SELECT = (
    "SELECT " + _COLUMNS + " FROM broadcasts b JOIN users a ON a.id = b.author_id "  # noqa: S608
)
FILL_STEP = 5000  # user ids examined per fill transaction
_CHUNK = 500  # ids per IN (...) list


def _stamp(moment: datetime) -> str:
    """UTC ISO text, so stored moments compare correctly as strings."""
    return moment.astimezone(UTC).isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    media = None
    if row["media_kind"]:
        media = Media(
            kind=MediaKind(row["media_kind"]),
            platform=Platform(row["media_platform"]),
            ref=row["media_ref"],
            name=row["media_name"],
        )
    try:
        cached = json.loads(row["media_cache"] or "{}")
    except ValueError:
        cached = {}
    content = Content(
        text=row["text"],
        media=media,
        buttons=Content.parse_buttons(row["buttons"]),
        cached={str(k): str(v) for k, v in cached.items()} if isinstance(cached, dict) else {},
    )
    return Broadcast(
        id=row["id"],
        author_id=row["author_id"],
        author_platform=Platform(row["author_platform"]),
        author_chat=row["author_chat"],
        author_locale=row["author_locale"],
        status=BroadcastStatus(row["status"]),
        content=content,
        audience=Audience.from_json(row["audience"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        scheduled_at=_dt(row["scheduled_at"]),
        started_at=_dt(row["started_at"]),
        finished_at=_dt(row["finished_at"]),
        filled=bool(row["filled"]),
        counts=Counts(
            total=row["total"],
            sent=row["sent"],
            blocked=row["blocked"],
            failed=row["failed"],
            unknown=row["unknown"],
        ),
        status_message=row["status_message"],
    )


def audience_filter(
    audience: Audience, platforms: Collection[Platform]
) -> tuple[str, list[object]]:
    """A WHERE clause over `users u` for the audience, with its parameters. Users who blocked
    the bot, and users of messengers that are not configured, are never included."""
    wanted = [p.value for p in platforms]
    if audience.platform is not None:
        wanted = [p for p in wanted if p == audience.platform.value]
    if not wanted:
        return "0", []
    clauses = ["u.is_blocked = 0", f"u.platform IN ({', '.join('?' for _ in wanted)})"]
    params: list[object] = list(wanted)
    if audience.locale:
        clauses.append("u.locale = ?")
        params.append(audience.locale)
    if audience.who is Who.CANDIDATES:
        clauses.append("u.role = 'candidate'")
    elif audience.who is Who.EMPLOYEES:
        clauses.append("u.role IN ('employee', 'admin')")
    elif audience.who in (Who.PROJECT, Who.TAG):
        clauses.append(
            "EXISTS (SELECT 1 FROM subscriptions s "
            "WHERE s.kind = ? AND s.value = ? AND s.user_id = u.id)"
        )
        params += ["project" if audience.who is Who.PROJECT else "tag", audience.value]
    return " AND ".join(clauses), params


def _chunks(items: Sequence[int]) -> list[Sequence[int]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


class SqliteBroadcastRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- composing -------------------------------------------------------------------------

    async def create(self, author_id: int, content: Content, now: datetime) -> int:
        media = content.media
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO broadcasts (author_id, status, text, media_kind, media_platform, "
                "media_ref, media_name, buttons, audience, created_at) "
                "VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    author_id,
                    content.text,
                    media.kind.value if media else "",
                    media.platform.value if media else "",
                    media.ref if media else "",
                    media.name if media else "",
                    content.buttons_json(),
                    Audience().to_json(),
                    _stamp(now),
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    async def get(self, broadcast_id: int) -> Broadcast | None:
        async with (
            self._db.read() as conn,
            conn.execute(_SELECT + "WHERE b.id = ?", (broadcast_id,)) as cursor,
        ):
            row = await cursor.fetchone()
        return _broadcast(row) if row else None

    async def discard_drafts(self, author_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM broadcasts WHERE author_id = ? AND status = 'draft'", (author_id,)
            )

    async def set_buttons(self, broadcast_id: int, buttons: tuple[LinkButton, ...]) -> None:
        raw = Content(text="", buttons=buttons).buttons_json()
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET buttons = ? WHERE id = ? AND status = 'draft'",
                (raw, broadcast_id),
            )

    async def set_audience(self, broadcast_id: int, audience: Audience) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET audience = ? WHERE id = ? AND status = 'draft'",
                (audience.to_json(), broadcast_id),
            )

    async def count_audience(self, audience: Audience, platforms: Collection[Platform]) -> int:
        where, params = audience_filter(audience, platforms)
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT COUNT(*) FROM users u WHERE " + where,  # noqa: S608 - built from constants
                params,
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def top_tags(self, limit: int) -> list[str]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT value, COUNT(*) AS n FROM subscriptions WHERE kind = 'tag' "
                "GROUP BY value ORDER BY n DESC, value LIMIT ?",
                (limit,),
            ) as cursor,
        ):
            return [str(row[0]) for row in await cursor.fetchall()]

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self, broadcast_id: int, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'running', started_at = ? "
                "WHERE id = ? AND status = 'draft'",
                (_stamp(now), broadcast_id),
            )
            return cursor.rowcount == 1

    async def schedule(self, broadcast_id: int, when: datetime, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'scheduled', scheduled_at = ? "
                "WHERE id = ? AND status = 'draft'",
                (_stamp(when), broadcast_id),
            )
            return cursor.rowcount == 1

    async def cancel(self, broadcast_id: int, now: datetime) -> bool:
        """scheduled -> cancelled (finished now); running -> cancelled (the engine stops
        sending and sets finished_at)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled', "
                "finished_at = CASE WHEN status = 'scheduled' THEN ? ELSE finished_at END "
                "WHERE id = ? AND status IN ('scheduled', 'running')",
                (_stamp(now), broadcast_id),
            )
            return cursor.rowcount == 1

    async def start_due(self, now: datetime) -> list[int]:
        """Scheduled broadcasts whose time has come -> running; return their ids."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'running', started_at = ? "
                "WHERE status = 'scheduled' AND scheduled_at <= ? RETURNING id",
                (_stamp(now), _stamp(now)),
            )
            rows = await cursor.fetchall()
            await cursor.close()
        return [int(row[0]) for row in rows]

    async def unfinished(self) -> list[int]:
        """Running broadcasts, and cancelled ones the engine has not closed yet."""
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT id FROM broadcasts WHERE status = 'running' "
                "OR (status = 'cancelled' AND started_at IS NOT NULL AND finished_at IS NULL) "
                "ORDER BY id"
            ) as cursor,
        ):
            return [int(row[0]) for row in await cursor.fetchall()]

    async def status(self, broadcast_id: int) -> BroadcastStatus | None:
        async with (
            self._db.read() as conn,
            conn.execute("SELECT status FROM broadcasts WHERE id = ?", (broadcast_id,)) as cursor,
        ):
            row = await cursor.fetchone()
        return BroadcastStatus(row[0]) if row else None

    async def finish(self, broadcast_id: int, now: datetime) -> bool:
        """running -> done, or close a cancelled one; False when already finished."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET finished_at = ?, "
                "status = CASE WHEN status = 'running' THEN 'done' ELSE status END "
                "WHERE id = ? AND status IN ('running', 'cancelled') AND finished_at IS NULL",
                (_stamp(now), broadcast_id),
            )
            return cursor.rowcount == 1

    async def set_status_message(self, broadcast_id: int, handle: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET status_message = ? WHERE id = ?", (handle, broadcast_id)
            )

    async def cache_media(self, broadcast_id: int, platform: Platform, ref: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE broadcasts SET media_cache = json_set(media_cache, ?, ?) WHERE id = ?",
                (f"$.{platform.value}", ref, broadcast_id),
            )

    async def listing(self, offset: int, limit: int) -> tuple[list[Broadcast], int]:
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT COUNT(*) FROM broadcasts WHERE status != 'draft'"
            ) as cursor:
                row = await cursor.fetchone()
            total = int(row[0]) if row else 0
            async with conn.execute(
                _SELECT + "WHERE b.status != 'draft' ORDER BY b.id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ) as cursor:
                rows = await cursor.fetchall()
        return [_broadcast(row) for row in rows], total

    async def top_errors(self, broadcast_id: int, limit: int) -> list[tuple[str, int]]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT error, COUNT(*) AS n FROM broadcast_deliveries "
                "WHERE broadcast_id = ? AND state IN ('failed', 'unknown') AND error != '' "
                "GROUP BY error ORDER BY n DESC, error LIMIT ?",
                (broadcast_id, limit),
            ) as cursor,
        ):
            return [(str(row[0]), int(row[1])) for row in await cursor.fetchall()]

    # --- recipients ----------------------------------------------------------------------------

    async def fill_step(
        self,
        broadcast_id: int,
        audience: Audience,
        platforms: Collection[Platform],
        now: datetime,
        step: int = FILL_STEP,
    ) -> bool:
        """Record the recipients among the next `step` users; True when every user has been
        examined (the broadcast is then `filled`). Safe to repeat after a crash: the cursor
        moves in the same transaction as the insert."""
        where, params = audience_filter(audience, platforms)
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT fill_cursor, filled FROM broadcasts WHERE id = ?", (broadcast_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None or row[1]:
                return True
            after = int(row[0])
            async with conn.execute(
                "SELECT MAX(id) FROM (SELECT id FROM users WHERE id > ? ORDER BY id LIMIT ?)",
                (after, step),
            ) as cursor:
                upper_row = await cursor.fetchone()
            upper = upper_row[0] if upper_row else None
            if upper is None:
                await conn.execute(
                    "UPDATE broadcasts SET filled = 1, total = (SELECT COUNT(*) FROM "
                    "broadcast_deliveries WHERE broadcast_id = ?) WHERE id = ?",
                    (broadcast_id, broadcast_id),
                )
                return True
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO broadcast_deliveries "  # noqa: S608 - built from constants
                "(broadcast_id, user_id, platform, chat_id, updated_at) "
                "SELECT ?, u.id, u.platform, u.external_id, ? FROM users u "
                "WHERE u.id > ? AND u.id <= ? AND " + where,
                (broadcast_id, _stamp(now), after, upper, *params),
            )
            added = cursor.rowcount
            await conn.execute(
                "UPDATE broadcasts SET fill_cursor = ?, total = total + ? WHERE id = ?",
                (upper, max(added, 0), broadcast_id),
            )
            return False

    async def has_pending(self, broadcast_id: int, platform: Platform) -> bool:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT 1 FROM broadcast_deliveries "
                "WHERE broadcast_id = ? AND platform = ? AND state = 'pending' LIMIT 1",
                (broadcast_id, platform.value),
            ) as cursor,
        ):
            return await cursor.fetchone() is not None

    async def pending(
        self, broadcast_id: int, platform: Platform, after: int, limit: int
    ) -> list[Recipient]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT id, user_id, chat_id, COALESCE(batch, 0) FROM broadcast_deliveries "
                "WHERE broadcast_id = ? AND platform = ? AND state = 'pending' AND id > ? "
                "ORDER BY id LIMIT ?",
                (broadcast_id, platform.value, after, limit),
            ) as cursor,
        ):
            rows = await cursor.fetchall()
        return [Recipient(row[0], row[1], row[2], row[3]) for row in rows]

    async def open_batches(
        self, broadcast_id: int, platform: Platform, limit: int
    ) -> list[Recipient]:
        """Pending recipients already assigned to a batch (sent, or being sent, before a
        crash), ordered by batch."""
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT id, user_id, chat_id, batch FROM broadcast_deliveries "
                "WHERE broadcast_id = ? AND platform = ? AND state = 'pending' "
                "AND batch IS NOT NULL ORDER BY batch, id LIMIT ?",
                (broadcast_id, platform.value, limit),
            ) as cursor,
        ):
            rows = await cursor.fetchall()
        return [Recipient(row[0], row[1], row[2], row[3]) for row in rows]

    async def claim_batch(
        self, broadcast_id: int, platform: Platform, size: int
    ) -> list[Recipient]:
        """Assign the next `size` pending recipients to a new batch numbered by its first
        delivery id, before anything is sent: a resend after a crash repeats the same batch."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT id, user_id, chat_id FROM broadcast_deliveries "
                "WHERE broadcast_id = ? AND platform = ? AND state = 'pending' "
                "AND batch IS NULL ORDER BY id LIMIT ?",
                (broadcast_id, platform.value, size),
            ) as cursor:
                rows = list(await cursor.fetchall())
            if not rows:
                return []
            batch = int(rows[0][0])
            ids = [int(row[0]) for row in rows]
            await conn.execute(
                "UPDATE broadcast_deliveries SET batch = ? "  # noqa: S608 - placeholders only
                f"WHERE id IN ({', '.join('?' for _ in ids)})",
                (batch, *ids),
            )
        return [Recipient(row[0], row[1], row[2], batch) for row in rows]

    async def record(
        self, broadcast_id: int, results: Sequence[DeliveryResult], now: datetime
    ) -> None:
        """Store final states (only over pending rows, so a repeat changes nothing), move the
        counters, and mark users who blocked the bot."""
        if not results:
            return
        stamp = _stamp(now)
        changed: dict[DeliveryState, int] = {}
        async with self._db.transaction() as conn:
            for state in (
                DeliveryState.SENT,
                DeliveryState.BLOCKED,
                DeliveryState.FAILED,
                DeliveryState.UNKNOWN,
            ):
                rows = [
                    (state.value, r.attempts, r.error[:300], stamp, r.delivery_id)
                    for r in results
                    if r.state is state
                ]
                if not rows:
                    continue
                cursor = await conn.executemany(
                    "UPDATE broadcast_deliveries SET state = ?, attempts = attempts + ?, "
                    "error = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
                    rows,
                )
                changed[state] = max(cursor.rowcount, 0)
            await conn.execute(
                "UPDATE broadcasts SET sent = sent + ?, blocked = blocked + ?, "
                "failed = failed + ?, unknown = unknown + ? WHERE id = ?",
                (
                    changed.get(DeliveryState.SENT, 0),
                    changed.get(DeliveryState.BLOCKED, 0),
                    changed.get(DeliveryState.FAILED, 0),
                    changed.get(DeliveryState.UNKNOWN, 0),
                    broadcast_id,
                ),
            )
            blocked = [r.user_id for r in results if r.state is DeliveryState.BLOCKED]
            for chunk in _chunks(blocked):
                await conn.execute(
                    "UPDATE users SET is_blocked = 1 "  # noqa: S608 - placeholders only
                    f"WHERE id IN ({', '.join('?' for _ in chunk)})",
                    tuple(chunk),
                )
        for user_id in blocked:
            self._db.cache.forget_user(user_id)

    async def fail_pending(
        self, broadcast_id: int, platform: Platform, error: str, now: datetime
    ) -> int:
        """Mark every pending recipient on `platform` failed (the messenger is not configured)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcast_deliveries SET state = 'failed', error = ?, updated_at = ? "
                "WHERE broadcast_id = ? AND platform = ? AND state = 'pending'",
                (error, _stamp(now), broadcast_id, platform.value),
            )
            count = max(cursor.rowcount, 0)
            await conn.execute(
                "UPDATE broadcasts SET failed = failed + ? WHERE id = ?", (count, broadcast_id)
            )
            return count

    async def deliveries(self, broadcast_id: int) -> list[tuple[int, str, int, str, int, str]]:
        """(user id, platform, chat id, state, attempts, error) of every recipient, by id."""
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT user_id, platform, chat_id, state, attempts, error "
                "FROM broadcast_deliveries WHERE broadcast_id = ? ORDER BY id",
                (broadcast_id,),
            ) as cursor,
        ):
            return [tuple(row) for row in await cursor.fetchall()]
