"""The hot-path cache: a known user costs no write unless something changed, and every write to
users or dialog states elsewhere is seen at once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain import Platform, Role, User
from storage.advocacy import SqliteAdvocacyRepository
from storage.cache import HotCache
from storage.database import Database
from storage.dialogs import SqliteDialogRepository
from storage.privacy import SqlitePrivacyRepository
from storage.users import SqliteUserRepository

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "bot.sqlite3")
    await database.connect()
    yield database  # type: ignore[misc]
    await database.close()


def stored(db: Database, sql: str) -> list[tuple[object, ...]]:
    """What is on disk, read past every cache."""
    with sqlite3.connect(db.path) as conn:
        return conn.execute(sql).fetchall()


async def touch(
    users: SqliteUserRepository, now: datetime, name: str = "Ann", admin: bool = False
) -> tuple[User, bool]:
    return await users.touch(
        platform=Platform.TELEGRAM,
        external_id=42,
        first_name=name,
        last_name="",
        username="ann",
        locale="ru",
        is_admin=admin,
        now=now,
    )


async def test_a_known_user_is_written_once_a_minute_or_when_changed(db: Database) -> None:
    users = SqliteUserRepository(db)
    user, new = await touch(users, NOW)
    assert new
    again, new = await touch(users, NOW + timedelta(seconds=30))
    assert not new and again == user
    assert stored(db, "SELECT last_seen FROM users") == [(NOW.isoformat(),)]  # no write
    later = NOW + timedelta(seconds=61)
    await touch(users, later)
    assert stored(db, "SELECT last_seen FROM users") == [(later.isoformat(),)]
    renamed, _ = await touch(users, later + timedelta(seconds=1), name="Anna")
    assert renamed.first_name == "Anna"
    assert stored(db, "SELECT first_name FROM users") == [("Anna",)]
    promoted, _ = await touch(users, later + timedelta(seconds=2), name="Anna", admin=True)
    assert promoted.role is Role.ADMIN


async def test_writes_elsewhere_are_seen_at_once(db: Database) -> None:
    users = SqliteUserRepository(db)
    user, _ = await touch(users, NOW)
    await users.set_locale(user.id, "en")
    assert (await touch(users, NOW))[0].locale == "en"
    await users.set_blocked(Platform.TELEGRAM, 42, True)
    assert (await users.find(Platform.TELEGRAM, 42)).is_blocked  # type: ignore[union-attr]
    assert not (await touch(users, NOW))[0].is_blocked  # writing again unblocks
    await users.set_role(user.id, Role.EMPLOYEE)
    assert (await touch(users, NOW))[0].role is Role.EMPLOYEE
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO employees (user_id, joined_at) VALUES (?, ?)", (user.id, NOW.isoformat())
        )
    assert await SqliteAdvocacyRepository(db).revoke(user.id, NOW)
    assert (await touch(users, NOW))[0].role is Role.CANDIDATE
    dialogs = SqliteDialogRepository(db)
    await dialogs.set(user.id, "answer.wait", {"a": 1}, NOW)
    assert (await dialogs.get(user.id)).name == "answer.wait"  # type: ignore[union-attr]
    assert await SqlitePrivacyRepository(db).erase(user.id, "request", NOW)
    assert await users.get(user.id) is None
    assert await dialogs.get(user.id) is None
    fresh, new = await touch(users, NOW + timedelta(seconds=1))
    assert new and fresh.first_seen == NOW + timedelta(seconds=1)  # a new person


async def test_dialog_states_are_cached_and_written_through(db: Database) -> None:
    users = SqliteUserRepository(db)
    user, _ = await touch(users, NOW)
    dialogs = SqliteDialogRepository(db)
    assert await dialogs.get(user.id) is None
    await dialogs.set(user.id, "compose", {"text": "<b>x</b>"}, NOW)
    state = await dialogs.get(user.id)
    assert state is not None and state.data == {"text": "<b>x</b>"}
    state.data["text"] = "changed by a handler"  # a handler's copy, not the cache's
    assert (await dialogs.get(user.id)).data == {"text": "<b>x</b>"}  # type: ignore[union-attr]
    await dialogs.clear(user.id)
    assert await dialogs.get(user.id) is None
    assert stored(db, "SELECT COUNT(*) FROM dialog_states") == [(0,)]


def test_the_cache_is_bounded_and_a_racing_read_puts_nothing_back() -> None:
    cache = HotCache(size=3)

    def user(n: int) -> User:
        return User(n, Platform.VK, 100 + n, "ru", Role.CANDIDATE, "", "", "", NOW, NOW, False)

    for n in range(1, 6):
        cache.put_user(user(n), cache.generation)
    assert cache.user(Platform.VK, 101) is None and cache.user(Platform.VK, 105) is not None
    generation = cache.generation
    cache.forget_user(5)  # a write lands while a read of user 5 is in flight
    cache.put_user(user(5), generation)
    assert cache.user(Platform.VK, 105) is None
