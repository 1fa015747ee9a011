from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain import Platform, Role
from storage.database import Database, migrations
from storage.dialogs import SqliteDialogRepository
from storage.users import SqliteUserRepository

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "nested" / "bot.sqlite3")
    await database.connect()
    yield database  # type: ignore[misc]
    await database.close()


async def test_connect_creates_folder_and_applies_migrations(db: Database) -> None:
    assert db.path.exists()
    async with db.read() as conn:
        async with conn.execute("PRAGMA user_version") as cursor:
            assert (await cursor.fetchone())[0] == migrations()[-1][0]
        async with conn.execute("PRAGMA journal_mode") as cursor:
            assert (await cursor.fetchone())[0] == "wal"
        async with conn.execute("PRAGMA foreign_keys") as cursor:
            assert (await cursor.fetchone())[0] == 1


async def test_migrations_have_distinct_increasing_numbers() -> None:
    numbers = [number for number, _, _ in migrations()]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1


async def test_migrate_again_is_a_no_op(db: Database) -> None:
    assert await db.migrate() == migrations()[-1][0]


async def test_numbers_may_have_gaps_and_a_late_lower_number_is_still_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0010 belongs to a branch built alongside 0011: a database migrated to 0011 first gets
    0010 when it lands, and a database from before `schema_migrations` counts as having every
    migration up to its user_version."""
    import storage.database as database

    real = database.migrations()
    gap = [m for m in real if m[0] != 10]
    late = (10, "0010_late.sql", "CREATE TABLE late_arrival (id INTEGER PRIMARY KEY);")
    monkeypatch.setattr(database, "migrations", lambda: gap)
    db = Database(tmp_path / "gap.sqlite3")
    await db.connect()
    try:
        assert await db.migrate() == gap[-1][0]
        monkeypatch.setattr(database, "migrations", lambda: sorted([*gap, late]))
        assert await db.migrate() == gap[-1][0]  # user_version stays at the newest
        assert db.query("SELECT name FROM sqlite_master WHERE name = 'late_arrival'")
        numbers = [r[0] for r in db.query("SELECT number FROM schema_migrations ORDER BY 1")]
        assert numbers == sorted(n for n, _, _ in [*gap, late])
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    users = SqliteUserRepository(db)
    user, _ = await users.touch(
        platform=Platform.TELEGRAM,
        external_id=1,
        first_name="A",
        last_name="",
        username="",
        locale="ru",
        is_admin=False,
        now=NOW,
    )
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("UPDATE users SET locale = 'en' WHERE id = ?", (user.id,))
            raise RuntimeError("boom")
    db.cache.forget_user(user.id)  # read what is stored, not what is cached
    assert (await users.get(user.id)).locale == "ru"  # type: ignore[union-attr]


async def test_concurrent_transactions_never_interleave(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        await conn.execute("INSERT INTO counter VALUES (0)")

    async def increment() -> None:
        async with db.transaction() as conn:
            async with conn.execute("SELECT n FROM counter") as cursor:
                (n,) = await cursor.fetchone()
            await asyncio.sleep(0)  # give another task the chance to interleave
            await conn.execute("UPDATE counter SET n = ?", (n + 1,))

    async def failing() -> None:
        async with db.transaction() as conn:
            await conn.execute("UPDATE counter SET n = n + 1000")
            await asyncio.sleep(0)
            raise ValueError

    results = await asyncio.gather(
        *(increment() for _ in range(50)), *(failing() for _ in range(5)), return_exceptions=True
    )
    assert sum(isinstance(r, ValueError) for r in results) == 5
    async with db.read() as conn, conn.execute("SELECT n FROM counter") as cursor:
        assert (await cursor.fetchone())[0] == 50


async def test_user_touch_creates_once_and_refreshes(db: Database) -> None:
    users = SqliteUserRepository(db)
    first, created = await users.touch(
        platform=Platform.TELEGRAM,
        external_id=5,
        first_name="Анна",
        last_name="К",
        username="anna",
        locale="en",
        is_admin=False,
        now=NOW,
    )
    assert created and first.locale == "en" and first.role is Role.CANDIDATE
    later = NOW + timedelta(hours=1)
    again, created = await users.touch(
        platform=Platform.TELEGRAM,
        external_id=5,
        first_name="",
        last_name="",
        username="",
        locale="ru",
        is_admin=False,
        now=later,
    )
    assert not created
    assert again.id == first.id
    assert again.locale == "en"  # a stored choice is kept
    assert again.first_name == "Анна"  # VK events carry no names: keep what we know
    assert again.first_seen == NOW and again.last_seen == later
    vk, created = await users.touch(
        platform=Platform.VK,
        external_id=5,
        first_name="B",
        last_name="",
        username="",
        locale="ru",
        is_admin=False,
        now=NOW,
    )
    assert created and vk.id != first.id


async def test_admin_role_follows_configuration(db: Database) -> None:
    users = SqliteUserRepository(db)
    kwargs = dict(
        platform=Platform.VK,
        external_id=9,
        first_name="",
        last_name="",
        username="",
        locale="ru",
        now=NOW,
    )
    admin, _ = await users.touch(is_admin=True, **kwargs)  # type: ignore[arg-type]
    assert admin.role is Role.ADMIN
    demoted, _ = await users.touch(is_admin=False, **kwargs)  # type: ignore[arg-type]
    assert demoted.role is Role.CANDIDATE
    await users.set_role(demoted.id, Role.EMPLOYEE)
    kept, _ = await users.touch(is_admin=False, **kwargs)  # type: ignore[arg-type]
    assert kept.role is Role.EMPLOYEE


async def test_blocked_flag_and_counts(db: Database) -> None:
    users = SqliteUserRepository(db)
    for ext, platform in [(1, Platform.TELEGRAM), (2, Platform.TELEGRAM), (3, Platform.VK)]:
        await users.touch(
            platform=platform,
            external_id=ext,
            first_name="x",
            last_name="",
            username="",
            locale="ru",
            is_admin=ext == 1,
            now=NOW,
        )
    await users.set_blocked(Platform.TELEGRAM, 2, True)
    assert (await users.find(Platform.TELEGRAM, 2)).is_blocked  # type: ignore[union-attr]
    counts = await users.counts(NOW + timedelta(days=1))
    assert counts.total == 3
    assert counts.by_platform == {"tg": 2, "vk": 1}
    assert counts.by_role == {"admin": 1, "candidate": 2}
    assert counts.blocked == 1 and counts.new_this_week == 3
    # writing to the bot again clears the flag
    await users.touch(
        platform=Platform.TELEGRAM,
        external_id=2,
        first_name="x",
        last_name="",
        username="",
        locale="ru",
        is_admin=False,
        now=NOW,
    )
    assert not (await users.find(Platform.TELEGRAM, 2)).is_blocked  # type: ignore[union-attr]


async def test_dialog_state_round_trip_and_cascade(db: Database) -> None:
    users = SqliteUserRepository(db)
    dialogs = SqliteDialogRepository(db)
    user, _ = await users.touch(
        platform=Platform.TELEGRAM,
        external_id=1,
        first_name="x",
        last_name="",
        username="",
        locale="ru",
        is_admin=False,
        now=NOW,
    )
    assert await dialogs.get(user.id) is None
    await dialogs.set(user.id, "answer.wait", {"application": 3, "text": "<b>é</b>"}, NOW)
    state = await dialogs.get(user.id)
    assert state is not None and state.name == "answer.wait"
    assert state.data == {"application": 3, "text": "<b>é</b>"}
    await dialogs.set(user.id, "other", {}, NOW)
    assert (await dialogs.get(user.id)).name == "other"  # type: ignore[union-attr]
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM users WHERE id = ?", (user.id,))
    db.cache.forget_user(user.id)  # raw SQL bypasses the repositories that keep the cache
    assert await dialogs.get(user.id) is None


async def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = Database(path)
    await first.connect()
    user, _ = await SqliteUserRepository(first).touch(
        platform=Platform.VK,
        external_id=1,
        first_name="x",
        last_name="",
        username="",
        locale="en",
        is_admin=False,
        now=NOW,
    )
    await SqliteDialogRepository(first).set(user.id, "s", {"k": 1}, NOW)
    await first.close()
    second = Database(path)
    await second.connect()
    assert (await SqliteDialogRepository(second).get(user.id)).data == {"k": 1}  # type: ignore[union-attr]
    await second.close()


async def _count(db: Database, table: str) -> int:
    async with db.read() as conn, conn.execute(f"SELECT COUNT(*) FROM {table}") as cursor:
        return int((await cursor.fetchone())[0])


async def _audit(conn: object, action: str) -> None:
    await conn.execute(  # type: ignore[attr-defined]
        "INSERT INTO audit_log (actor, action, created_at) VALUES ('cli', ?, ?)",
        (action, NOW.isoformat()),
    )


async def test_a_transaction_inside_one_is_part_of_it_and_rolls_back_with_it(
    db: Database,
) -> None:
    """An import is one transaction: the repositories' own transactions and one-statement
    writes inside it join it, and nothing of it stays when it fails half-way."""
    with pytest.raises(RuntimeError):
        async with db.transaction():
            async with db.transaction() as conn:
                await _audit(conn, "first")
            await db.write(
                "INSERT INTO audit_log (actor, action, created_at) VALUES ('cli', 'second', ?)",
                (NOW.isoformat(),),
            )
            assert await _count(db, "audit_log") == 0  # others see nothing yet
            raise RuntimeError("killed half-way")
    assert await _count(db, "audit_log") == 0

    async with db.transaction():
        async with db.transaction() as conn:
            await _audit(conn, "first")
        with pytest.raises(RuntimeError):  # an inner one that fails is undone alone
            async with db.transaction() as conn:
                await _audit(conn, "undone")
                raise RuntimeError("inner")
        async with db.transaction() as conn:
            await _audit(conn, "third")
    async with db.read() as conn, conn.execute("SELECT action FROM audit_log ORDER BY id") as cur:
        assert [row[0] for row in await cur.fetchall()] == ["first", "third"]


async def test_another_task_waits_for_the_transaction_instead_of_joining_it(
    db: Database,
) -> None:
    order: list[str] = []
    inside = asyncio.Event()

    async def other() -> None:
        await inside.wait()
        async with db.transaction() as conn:  # a task of its own: waits for the lock
            order.append("other")
            await _audit(conn, "other")

    task = asyncio.create_task(other())
    async with db.transaction() as conn:
        inside.set()
        await asyncio.sleep(0.05)
        await _audit(conn, "outer")
        order.append("outer")
    await task
    assert order == ["outer", "other"]
