"""Users repository: one row per (platform, external id).

Users recently seen are cached (`storage.cache`): touching a known user whose names, role and
blocked flag are as stored writes nothing, except `last_seen` once a minute."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from bot.domain import Platform, Role, User, UserCounts
from storage.database import Database

_COLUMNS = (
    "id, platform, external_id, locale, role, first_name, last_name, username, "
    "first_seen, last_seen, is_blocked"
)
_SELECT = "SELECT " + _COLUMNS + " FROM users "  # noqa: S608 - constant column list
TOUCH_EVERY = timedelta(minutes=1)
_TOUCH = """
    INSERT INTO users (platform, external_id, locale, role, first_name, last_name,
                       username, first_seen, last_seen)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (platform, external_id) DO UPDATE SET
        last_seen = excluded.last_seen,
        is_blocked = 0,
        first_name = CASE WHEN excluded.first_name != ''
                          THEN excluded.first_name ELSE first_name END,
        last_name = CASE WHEN excluded.first_name != ''
                         THEN excluded.last_name ELSE last_name END,
        username = CASE WHEN excluded.first_name != ''
                        THEN excluded.username ELSE username END,
        role = CASE WHEN ? THEN 'admin'
                    WHEN role = 'admin' THEN 'candidate'
                    ELSE role END
    RETURNING id, platform, external_id, locale, role, first_name, last_name, username,
              first_seen, last_seen, is_blocked
"""


def _user(row: aiosqlite.Row) -> User:
    return User(
        id=row["id"],
        platform=Platform(row["platform"]),
        external_id=row["external_id"],
        locale=row["locale"],
        role=Role(row["role"]),
        first_name=row["first_name"],
        last_name=row["last_name"],
        username=row["username"],
        first_seen=datetime.fromisoformat(row["first_seen"]),
        last_seen=datetime.fromisoformat(row["last_seen"]),
        is_blocked=bool(row["is_blocked"]),
    )


class SqliteUserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def touch(
        self,
        *,
        platform: Platform,
        external_id: int,
        first_name: str,
        last_name: str,
        username: str,
        locale: str,
        is_admin: bool,
        now: datetime,
    ) -> tuple[User, bool]:
        """Insert or refresh a user seen now; return (user, created)."""
        cache = self._db.cache
        known = cache.user(platform, external_id)
        if (
            known is not None
            and not known.is_blocked
            and now - known.last_seen < TOUCH_EVERY
            and (known.role is Role.ADMIN) == is_admin
            and (
                not first_name
                or (known.first_name, known.last_name, known.username)
                == (first_name, last_name, username)
            )
        ):
            return known, False
        generation = cache.generation
        stamp = now.isoformat()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                _TOUCH,
                (
                    platform.value,
                    external_id,
                    locale,
                    Role.ADMIN.value if is_admin else Role.CANDIDATE.value,
                    first_name,
                    last_name,
                    username,
                    stamp,
                    stamp,
                    is_admin,
                ),
            )
            row = await cursor.fetchone()
            await cursor.close()
        assert row is not None
        user = _user(row)
        cache.put_user(user, generation)
        return user, row["first_seen"] == stamp

    async def get(self, user_id: int) -> User | None:
        cached = self._db.cache.user_by_id(user_id)
        if cached is not None:
            return cached
        rows = self._db.query(_SELECT + "WHERE id = ?", (user_id,))
        return _user(rows[0]) if rows else None

    async def find(self, platform: Platform, external_id: int) -> User | None:
        cached = self._db.cache.user(platform, external_id)
        if cached is not None:
            return cached
        rows = self._db.query(
            _SELECT + "WHERE platform = ? AND external_id = ?", (platform.value, external_id)
        )
        return _user(rows[0]) if rows else None

    async def set_locale(self, user_id: int, locale: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE users SET locale = ? WHERE id = ?", (locale, user_id))
        self._db.cache.forget_user(user_id)

    async def set_role(self, user_id: int, role: Role) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE users SET role = ? WHERE id = ?", (role.value, user_id))
        self._db.cache.forget_user(user_id)

    async def set_blocked(self, platform: Platform, external_id: int, blocked: bool) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET is_blocked = ? WHERE platform = ? AND external_id = ?",
                (int(blocked), platform.value, external_id),
            )
        self._db.cache.forget_external(platform, [external_id])

    async def counts(self, now: datetime) -> UserCounts:
        week_ago = (now - timedelta(days=7)).isoformat()
        async with (
            self._db.read() as conn,
            conn.execute(
                "SELECT platform, role, COUNT(*), SUM(is_blocked), SUM(first_seen >= ?) "
                "FROM users GROUP BY platform, role",
                (week_ago,),
            ) as cursor,
        ):
            rows = await cursor.fetchall()
        by_platform: dict[str, int] = {}
        by_role: dict[str, int] = {}
        total = blocked = new = 0
        for platform, role, count, blocked_count, new_count in rows:
            by_platform[platform] = by_platform.get(platform, 0) + count
            by_role[role] = by_role.get(role, 0) + count
            total += count
            blocked += blocked_count or 0
            new += new_count or 0
        return UserCounts(total, by_platform, by_role, blocked, new)
