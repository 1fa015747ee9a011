"""aiosqlite database: pragmas, numbered migrations and transactions safe under concurrency.

aiogram runs updates as concurrent tasks, so one shared connection must never interleave two
transactions. Writes go through `transaction()`, which holds an asyncio lock around a
`BEGIN IMMEDIATE` ... `COMMIT` on the writer connection; reads use a separate reader connection,
which in WAL mode sees the last committed state and never blocks the writer. A task that holds
a transaction may open more inside it (they become savepoints of the one transaction), so a
whole import is one transaction: all or nothing, also when the process is killed half-way.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from storage.cache import HotCache

log = logging.getLogger(__name__)

_MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# SQLite's primary result codes that mean the file cannot be written
_STORAGE_FAULTS = frozenset(
    {sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN}
)


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every bundled migration, in order."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("storage").joinpath("migrations").iterdir():
        match = _MIGRATION_RE.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if len(set(numbers)) != len(numbers) or (numbers and numbers[0] < 1):
        raise RuntimeError(f"migrations must have distinct numbers from 0001 on: {numbers}")
    return found


class MigrationError(Exception):
    """The schema could not be brought up to date; the message is one line for the operator."""


BeforeMigrate = Callable[[int, int], Awaitable[str]]


def statements(sql: str) -> list[str]:
    """The statements of a migration script, split where SQLite says one is complete
    (so semicolons inside strings, comments and trigger bodies do not split)."""
    found: list[str] = []
    buffer = ""
    for piece in sql.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            if _has_code(statement):
                found.append(statement)
            buffer = ""
    return found


def _has_code(statement: str) -> bool:
    lines = [line.split("--", 1)[0].strip() for line in statement.splitlines()]
    return any(line and line != ";" for line in lines)


class Database:
    def __init__(
        self,
        path: Path | str,
        *,
        before_migrate: BeforeMigrate | None = None,
        autocheckpoint: int = 1000,
    ) -> None:
        """`before_migrate(current, target)` runs before migrations are applied to a database
        that already has a schema (a backup); it returns what to tell the operator (the
        backup's path). `autocheckpoint` is `PRAGMA wal_autocheckpoint` (0 when an outside
        tool such as Litestream does the checkpoints)."""
        self.path = Path(path)
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None  # the task in a write transaction
        self._savepoints = 0
        self._read_lock = asyncio.Lock()
        self._before_migrate = before_migrate
        self._autocheckpoint = autocheckpoint
        self.cache = HotCache()
        self._quick: sqlite3.Connection | None = None

    async def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._open()
        try:
            await self._writer.execute("PRAGMA journal_mode = WAL")
            await self.migrate()
            self._reader = await self._open()
        except BaseException:
            await self.close()
            raise

    async def _open(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA busy_timeout = 5000")
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute(f"PRAGMA wal_autocheckpoint = {int(self._autocheckpoint):d}")
        return conn

    async def migrate(self) -> int:
        """Apply every bundled migration newer than `PRAGMA user_version`, all in one
        transaction (a failure leaves the database as it was); return the version.

        A database that already has a schema is first backed up (`before_migrate`); a
        database newer than the code is refused."""
        conn = self._require(self._writer)
        async with self._write_lock:
            async with conn.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            version = int(row[0]) if row else 0
            bundled = migrations()
            known = bundled[-1][0] if bundled else 0
            applied = await self._applied(conn, version, bundled)
            if version > known:
                raise MigrationError(
                    f"The database {self.path} has schema {version}, newer than this hr-bot "
                    f"knows (up to {known}): run the newer hr-bot, or restore a backup made "
                    "by this version with `python -m bot restore FILE`."
                )
            pending = [m for m in bundled if m[0] not in applied]
            if not pending:
                return version
            backup = ""
            if version > 0 and self._before_migrate is not None:
                try:
                    backup = await self._before_migrate(version, pending[-1][0])
                except Exception as error:
                    raise MigrationError(
                        f"Could not back up {self.path} before migrating it from schema "
                        f"{version} ({type(error).__name__}: {error}); nothing was changed: "
                        "free space or fix BACKUP_DIR, then start again."
                    ) from error
            await self._apply(conn, version, pending, backup, applied)
            return max(version, pending[-1][0])

    @staticmethod
    async def _applied(
        conn: aiosqlite.Connection, version: int, bundled: list[tuple[int, str, str]]
    ) -> set[int]:
        """The numbers of the migrations this database has. Numbers may have gaps (branches
        take numbers while they are built), so each applied one is recorded in
        `schema_migrations`; a database from before that table has every bundled migration up
        to its `user_version`. A migration that lands later with a lower number than one
        already applied is still applied."""
        async with conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ) as cursor:
            exists = await cursor.fetchone() is not None
        if not exists:
            return {number for number, _, _ in bundled if number <= version}
        async with conn.execute("SELECT number FROM schema_migrations") as cursor:
            return {int(row[0]) for row in await cursor.fetchall()}

    async def _apply(
        self,
        conn: aiosqlite.Connection,
        version: int,
        pending: list[tuple[int, str, str]],
        backup: str,
        applied: set[int],
    ) -> None:
        name = pending[0][1]
        try:
            await conn.execute("BEGIN IMMEDIATE")
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY)"
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO schema_migrations (number) VALUES (?)",
                [(number,) for number in sorted(applied)],
            )
            for number, name, sql in pending:
                log.info("applying migration %s", name)
                for statement in statements(sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT OR IGNORE INTO schema_migrations (number) VALUES (?)", (number,)
                )
                await conn.execute(f"PRAGMA user_version = {max(version, number):d}")
            await conn.commit()
        except Exception as error:
            if conn.in_transaction:
                await conn.rollback()
            where = f"the backup taken before it is {backup}" if backup else "no backup was needed"
            raise MigrationError(
                f"Migration {name} failed ({type(error).__name__}: {error}); the database "
                f"{self.path} was left as it was, at schema {version}; {where} "
                "(restore it with `python -m bot restore FILE` if the database itself is "
                "damaged)."
            ) from error

    async def close(self) -> None:
        if self._quick is not None:
            self._quick.close()
            self._quick = None
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None

    def storage_fault(self, error: BaseException) -> str | None:
        """When `error` means the database cannot be written (a full disk, a read-only file or
        folder, an I/O error): what is wrong, in one line for the operator; else None."""
        code = getattr(error, "sqlite_errorcode", None)
        if not isinstance(error, sqlite3.Error) or code is None:
            return None
        primary = code & 0xFF
        if primary not in _STORAGE_FAULTS:
            return None
        folder = self.path.parent
        files = [self.path, self.path.with_name(self.path.name + "-wal"), folder]
        unwritable = [p.name for p in files if p.exists() and not os.access(p, os.W_OK)]
        try:
            free: int | None = shutil.disk_usage(folder).free
        except OSError:
            free = None
        if primary == sqlite3.SQLITE_FULL:
            cause = f"the disk is full ({free} bytes free)" if free is not None else "no space"
        elif unwritable:
            cause = f"read-only ({', '.join(unwritable)} cannot be written)"
        elif primary == sqlite3.SQLITE_READONLY:
            cause = "the database is read-only"
        else:
            cause = "a disk I/O error"
        return f"the database {self.path} cannot be written: {cause}; SQLite said: {error}"

    @staticmethod
    def _require(conn: aiosqlite.Connection | None) -> aiosqlite.Connection:
        if conn is None:
            raise RuntimeError("the database is not connected")
        return conn

    def _inside(self) -> bool:
        """Whether the current task holds the write transaction."""
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time; rolled back on any exception. Inside a transaction
        of the same task it is a savepoint: its changes are committed with the outer one."""
        conn = self._require(self._writer)
        if self._inside():
            async with self._savepoint(conn):
                yield conn
            return
        async with self._write_lock:
            self._owner = asyncio.current_task()
            try:
                await conn.execute("BEGIN IMMEDIATE")
                yield conn
                await conn.commit()
            finally:
                self._owner = None
                if conn.in_transaction:  # an error, a cancellation, or a failed commit
                    await conn.rollback()

    @asynccontextmanager
    async def _savepoint(self, conn: aiosqlite.Connection) -> AsyncIterator[None]:
        self._savepoints += 1
        name = f"nested_{self._savepoints}"
        await conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                await conn.execute(f"ROLLBACK TO {name}")
                await conn.execute(f"RELEASE {name}")
            raise
        else:
            await conn.execute(f"RELEASE {name}")
        finally:
            self._savepoints -= 1

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """The reader connection; each statement sees the last committed state."""
        conn = self._require(self._reader)
        async with self._read_lock:
            yield conn

    def query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """A small read by key, run at once on the event loop's thread, with no thread hop.

        Measured (bench/load.py): a hop to aiosqlite's thread and back cost more than the read
        itself. This is for hot-path reads through an index that return a few rows, which take
        microseconds; in WAL a reader never waits for a writer. Anything that scans, sorts or
        counts much goes through `read()`."""
        conn = self._quick
        if conn is None:
            self._require(self._writer)  # connected and migrated
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 1000")
            conn.execute("PRAGMA query_only = ON")
            self._quick = conn
        return conn.execute(sql, params).fetchall()

    async def write(self, sql: str, params: Sequence[object] = ()) -> int:
        """One statement as its own transaction (SQLite's autocommit: all or nothing), in one
        hop to the writer's thread instead of three; returns how many rows it changed."""
        conn = self._require(self._writer)
        if self._inside():  # part of the task's transaction
            cursor = await conn.execute(sql, params)
            return max(cursor.rowcount, 0)
        async with self._write_lock:
            cursor = await conn.execute(sql, params)
            return max(cursor.rowcount, 0)

    async def write_returning(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Like `write`, for one statement with RETURNING: its rows, in the same one hop."""
        conn = self._require(self._writer)
        if self._inside():
            return list(await conn.execute_fetchall(sql, params))
        async with self._write_lock:
            return list(await conn.execute_fetchall(sql, params))


def one(row: sqlite3.Row | None) -> sqlite3.Row:
    """The row of a query that always returns one (COUNT, SUM): checked, not assumed."""
    if row is None:
        raise RuntimeError("an aggregate query returned no row")
    return row
