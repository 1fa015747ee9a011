"""Advocacy repository: invites, employees, the content library, shares, requests, rankings."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.domain.advocacy import (
    REFERRAL_PREFIX,
    ContentRequest,
    Invite,
    Post,
    PostDraft,
    RequestStatus,
)
from storage.database import Database, one

_REF_LOW, _REF_HIGH = "ref_", "ref`"  # every source starting with "ref_" sorts in between

_POST_COLUMNS = (
    "id, slug, category, title, variants, media_path, media_ref, media_kind, link, platforms, "
    "valid_from, valid_until, vacancy_id, created_at"
)
_SELECT_POST = "SELECT " + _POST_COLUMNS + " FROM posts "  # noqa: S608 - constant columns
_VISIBLE = (
    "(valid_from IS NULL OR valid_from <= ?) AND (valid_until IS NULL OR valid_until > ?) "
    "AND (' ' || platforms || ' ') LIKE ?"
)
_REQUEST_COLUMNS = "id, user_id, text, status, admin_id, reason, post_id, created_at, updated_at"


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _post(row: aiosqlite.Row) -> Post:
    return Post(
        id=row["id"],
        slug=row["slug"],
        category=row["category"],
        title=row["title"],
        variants=tuple(json.loads(row["variants"])),
        media_path=row["media_path"],
        media_ref=row["media_ref"],
        media_kind=row["media_kind"],
        link=row["link"],
        platforms=tuple(row["platforms"].split()),
        valid_from=_dt(row["valid_from"]),
        valid_until=_dt(row["valid_until"]),
        vacancy_id=row["vacancy_id"],
        created_at=_dt(row["created_at"]),
    )


def _invite(row: aiosqlite.Row) -> Invite:
    return Invite(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        team=row["team"],
        created_by=row["created_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        used_by=row["used_by"],
        used_at=_dt(row["used_at"]),
    )


def _request(row: aiosqlite.Row) -> ContentRequest:
    return ContentRequest(
        id=row["id"],
        user_id=row["user_id"],
        text=row["text"],
        status=RequestStatus(row["status"]),
        admin_id=row["admin_id"],
        reason=row["reason"],
        post_id=row["post_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


class SqliteAdvocacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- invites and employees ---------------------------------------------------------
    async def create_invite(
        self, code: str, name: str, team: str, created_by: int, now: datetime, expires: datetime
    ) -> Invite:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO invites (code, name, team, created_by, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
                (code, name, team, created_by, now.isoformat(), expires.isoformat()),
            )
            row = await cursor.fetchone()
            await cursor.close()
        assert row is not None
        return _invite(row)

    async def invite(self, code: str) -> Invite | None:
        async with (
            self._db.read() as conn,
            conn.execute("SELECT * FROM invites WHERE code = ?", (code,)) as cursor,
        ):
            row = await cursor.fetchone()
        return _invite(row) if row else None

    async def redeem(self, code: str, user_id: int, now: datetime) -> bool:
        """Use the invite once, before it expires; make the user an employee in one go."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE invites SET used_by = ?, used_at = ? "
                "WHERE code = ? AND used_by IS NULL AND used_at IS NULL AND expires_at > ? "
                "RETURNING id, name, team",
                (user_id, now.isoformat(), code, now.isoformat()),
            )
            row = await cursor.fetchone()
            await cursor.close()
            if row is None:
                return False
            await conn.execute(
                "INSERT INTO employees (user_id, name, team, invite_id, joined_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "name = excluded.name, team = excluded.team, invite_id = excluded.invite_id, "
                "joined_at = excluded.joined_at, revoked_at = NULL",
                (user_id, row["name"], row["team"], row["id"], now.isoformat()),
            )
            await conn.execute(
                "UPDATE users SET role = 'employee' WHERE id = ? AND role = 'candidate'",
                (user_id,),
            )
        self._db.cache.forget_user(user_id)
        return True

    async def employees(self, limit: int, offset: int) -> tuple[list[tuple[int, str, str]], int]:
        """(user id, display name, team) of active employees, and how many there are."""
        async with self._db.read() as conn:
            async with conn.execute(
                "SELECT COUNT(*) FROM employees WHERE revoked_at IS NULL"
            ) as cursor:
                total = one(await cursor.fetchone())[0]
            async with conn.execute(
                "SELECT e.user_id, COALESCE(NULLIF(e.name, ''), u.first_name), e.team "
                "FROM employees e JOIN users u ON u.id = e.user_id "
                "WHERE e.revoked_at IS NULL ORDER BY e.joined_at, e.user_id LIMIT ? OFFSET ?",
                (limit, offset),
            ) as cursor:
                rows = [(int(r[0]), str(r[1]), str(r[2])) for r in await cursor.fetchall()]
        return rows, total

    async def revoke(self, user_id: int, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE employees SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                (now.isoformat(), user_id),
            )
            if cursor.rowcount != 1:
                return False
            await conn.execute(
                "UPDATE users SET role = 'candidate' WHERE id = ? AND role = 'employee'",
                (user_id,),
            )
        self._db.cache.forget_user(user_id)
        return True

    async def display_names(self, user_ids: list[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        marks = ", ".join("?" for _ in user_ids)
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT u.id, COALESCE(NULLIF(e.name, ''), u.first_name) FROM users u "  # noqa: S608
                f"LEFT JOIN employees e ON e.user_id = u.id WHERE u.id IN ({marks})",
                user_ids,
            ) as cursor,
        ):
            return {int(r[0]): str(r[1]) for r in await cursor.fetchall()}

    # --- posts -------------------------------------------------------------------------
    async def upsert_post(self, draft: PostDraft, vacancy_id: int | None, now: datetime) -> Post:
        values = (
            draft.slug,
            draft.category,
            draft.title,
            json.dumps(list(draft.variants), ensure_ascii=False),
            draft.media_path,
            draft.media_ref,
            draft.media_kind,
            draft.link,
            " ".join(draft.platforms),
            draft.valid_from.isoformat() if draft.valid_from else None,
            draft.valid_until.isoformat() if draft.valid_until else None,
            vacancy_id,
            now.isoformat(),
        )
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO posts (slug, category, title, variants, media_path, media_ref, "
                "media_kind, link, platforms, valid_from, valid_until, vacancy_id, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET "
                "category = excluded.category, title = excluded.title, "
                "variants = excluded.variants, media_path = excluded.media_path, "
                "media_ref = excluded.media_ref, media_kind = excluded.media_kind, "
                "link = excluded.link, platforms = excluded.platforms, "
                "valid_from = excluded.valid_from, valid_until = excluded.valid_until, "
                "vacancy_id = excluded.vacancy_id RETURNING " + _POST_COLUMNS,
                values,
            )
            row = await cursor.fetchone()
            await cursor.close()
        assert row is not None
        return _post(row)

    async def post(self, post_id: int) -> Post | None:
        async with (
            self._db.read() as conn,
            conn.execute(_SELECT_POST + "WHERE id = ?", (post_id,)) as cursor,
        ):
            row = await cursor.fetchone()
        return _post(row) if row else None

    async def category_counts(self, now: datetime, platform: str) -> dict[str, int]:
        stamp = now.isoformat()
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT category, COUNT(*) FROM posts WHERE " + _VISIBLE + " GROUP BY category",  # noqa: S608
                (stamp, stamp, f"% {platform} %"),
            ) as cursor,
        ):
            return {str(r[0]): int(r[1]) for r in await cursor.fetchall()}

    async def posts(
        self, category: str, now: datetime, platform: str, offset: int, limit: int
    ) -> tuple[list[Post], int]:
        stamp = now.isoformat()
        params = (category, stamp, stamp, f"% {platform} %")
        where = "WHERE category = ? AND " + _VISIBLE
        async with self._db.read() as conn:
            async with conn.execute("SELECT COUNT(*) FROM posts " + where, params) as cursor:  # noqa: S608
                total = one(await cursor.fetchone())[0]
            async with conn.execute(
                _SELECT_POST + where + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ) as cursor:
                rows = await cursor.fetchall()
        return [_post(row) for row in rows], total

    async def next_variant(self, post_id: int) -> int:
        """A rotating counter, so colleagues get different wordings in turn."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE posts SET rotation = rotation + 1 WHERE id = ? RETURNING rotation",
                (post_id,),
            )
            row = await cursor.fetchone()
            await cursor.close()
        return int(row[0]) - 1 if row else 0

    # --- shares and rankings -------------------------------------------------------------
    async def add_share(
        self, post_id: int, user_id: int, link: str, day: str, now: datetime, daily_cap: int
    ) -> int:
        """Record a share; award a point unless this post was already shared today or the
        daily cap is reached. Return the points awarded."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT COALESCE(SUM(points), 0), COALESCE(SUM(post_id = ?), 0) FROM shares "
                "WHERE user_id = ? AND day = ?",
                (post_id, user_id, day),
            ) as cursor:
                today, same_post = one(await cursor.fetchone())
            points = 1 if today < daily_cap and not same_post else 0
            await conn.execute(
                "INSERT INTO shares (post_id, user_id, link, points, day, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (post_id, user_id, link, points, day, now.isoformat()),
            )
        return points

    async def share_scores(self, since: datetime | None) -> list[tuple[int, int, int]]:
        """(user id, points, shares) per employee since a moment, best first."""
        stamp = since.isoformat() if since else ""
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT user_id, SUM(points) AS score, COUNT(*) AS n FROM shares "
                "WHERE created_at >= ? GROUP BY user_id ORDER BY score DESC, n DESC, user_id",
                (stamp,),
            ) as cursor,
        ):
            return [(int(r[0]), int(r[1]), int(r[2])) for r in await cursor.fetchall()]

    async def referral_scores(self, since: datetime | None) -> dict[int, tuple[int, int, int]]:
        """user id -> (candidates referred, their applications, their hires) since a moment (a
        hire counts from when its outcome was recorded)."""
        stamp = since.isoformat() if since else ""
        result: dict[int, list[int]] = {}
        queries = (
            "SELECT source, COUNT(*) FROM touches WHERE source >= ? AND source < ? "
            "AND created_at >= ? GROUP BY source",
            "SELECT source, COUNT(*) FROM applications WHERE source >= ? AND source < ? "
            "AND issued_at >= ? GROUP BY source",
            "SELECT a.source, COUNT(DISTINCT a.id) FROM interviews i "
            "JOIN applications a ON a.id = i.application_id "
            "WHERE i.outcome = 'hired' AND a.source >= ? AND a.source < ? "
            "AND i.updated_at >= ? GROUP BY a.source",
        )
        async with self._db.read() as conn:
            for column, query in enumerate(queries):
                async with conn.execute(query, (_REF_LOW, _REF_HIGH, stamp)) as cursor:
                    for source, count in await cursor.fetchall():
                        result.setdefault(_referrer(source), [0, 0, 0])[column] += int(count)
        result.pop(0, None)
        return {user: (c[0], c[1], c[2]) for user, c in result.items()}

    # --- content requests --------------------------------------------------------------------
    async def add_request(self, user_id: int, text: str, now: datetime) -> ContentRequest:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO content_requests (user_id, text, status, created_at, updated_at) "
                "VALUES (?, ?, 'new', ?, ?) RETURNING " + _REQUEST_COLUMNS,
                (user_id, text, now.isoformat(), now.isoformat()),
            )
            row = await cursor.fetchone()
            await cursor.close()
        assert row is not None
        return _request(row)

    async def request(self, request_id: int) -> ContentRequest | None:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT " + _REQUEST_COLUMNS + " FROM content_requests WHERE id = ?",  # noqa: S608
                (request_id,),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return _request(row) if row else None

    async def requests_of(self, user_id: int, limit: int = 10) -> list[ContentRequest]:
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT " + _REQUEST_COLUMNS + " FROM content_requests "  # noqa: S608
                "WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                (user_id, limit),
            ) as cursor,
        ):
            return [_request(row) for row in await cursor.fetchall()]

    async def move_request(
        self,
        request_id: int,
        status: RequestStatus,
        expect: tuple[RequestStatus, ...],
        admin_id: int,
        now: datetime,
        reason: str = "",
        post_id: int | None = None,
    ) -> ContentRequest | None:
        """Move a request along its workflow; None when it is not in one of `expect`."""
        marks = ", ".join("?" for _ in expect)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE content_requests SET status = ?, admin_id = ?, reason = ?, "  # noqa: S608
                "post_id = COALESCE(?, post_id), updated_at = ? "
                f"WHERE id = ? AND status IN ({marks}) RETURNING " + _REQUEST_COLUMNS,
                (
                    status.value,
                    admin_id,
                    reason,
                    post_id,
                    now.isoformat(),
                    request_id,
                    *(s.value for s in expect),
                ),
            )
            row = await cursor.fetchone()
            await cursor.close()
        return _request(row) if row else None


def _referrer(source: str) -> int:
    tail = source[len(REFERRAL_PREFIX) :]
    return int(tail) if tail.isdigit() else 0
