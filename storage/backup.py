"""SQLite side of backups: a consistent copy of a live database and the checks a copy must pass.

Blocking functions (plain `sqlite3`): callers run them in a worker thread. The copy uses
SQLite's online backup API from a connection of its own, in one step, so it is one read
snapshot: in WAL mode the bot's writers go on meanwhile and nothing half-written is copied.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from storage.database import migrations

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseCheckError(Exception):
    """A file is not a usable hr-bot database; the message says why, in one line."""


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def online_backup(source: Path, target: Path) -> None:
    """Copy the database at `source` into a new file `target` (which must not exist) with the
    online backup API; the copy is a single file (rollback journal mode)."""
    if not source.is_file():
        raise DatabaseCheckError(f"there is no database at {source}")
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    with _connect(source) as src:
        dest = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dest)  # pages=-1: everything in one step, one snapshot
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()


def known_schema() -> int:
    """The newest schema version this code knows."""
    bundled = migrations()
    return bundled[-1][0] if bundled else 0


def check_database(path: Path) -> int:
    """Check a copy: it is SQLite, `PRAGMA integrity_check` says ok, and its schema version
    is one this code knows (not newer). Return the schema version."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseCheckError(f"cannot read {path}: {error.strerror or error}") from None
    if header != SQLITE_HEADER:
        raise DatabaseCheckError(f"{path.name} is not an SQLite database")
    try:
        with _connect(path, read_only=True) as conn:
            problems = [str(row[0]) for row in conn.execute("PRAGMA integrity_check(5)")]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as error:
        raise DatabaseCheckError(f"{path.name} cannot be read: {error}") from None
    if problems != ["ok"]:
        raise DatabaseCheckError(f"{path.name} fails the integrity check: {'; '.join(problems)}")
    newest = known_schema()
    if version < 1:
        raise DatabaseCheckError(f"{path.name} has no hr-bot schema (user_version 0)")
    if version > newest:
        raise DatabaseCheckError(
            f"{path.name} has schema {version}, newer than this hr-bot knows (up to {newest}): "
            "restore it with the newer hr-bot"
        )
    return version


def relocate_files(path: Path, old_root: str, new_root: str) -> int:
    """Point stored task-file and media paths under `old_root` at `new_root` (a restore into
    another data folder); return how many rows changed."""
    if not old_root or old_root == new_root:
        return 0
    changed = 0
    old = old_root.rstrip("/") + "/"
    new = new_root.rstrip("/") + "/"
    with _connect(path) as conn:
        conn.execute("BEGIN IMMEDIATE")
        for table, column in (("vacancies", "task_file"), ("posts", "media_path")):
            cursor = conn.execute(
                f"UPDATE {table} SET {column} = ? || substr({column}, ?) "  # noqa: S608 - fixed names
                f"WHERE substr({column}, 1, ?) = ?",
                (new, len(old) + 1, len(old), old),
            )
            changed += cursor.rowcount
        conn.execute("COMMIT")
    return changed


def probe_file(path: Path) -> None:
    """Open the database file afresh, read-only, and read its schema: raises `sqlite3.Error` or
    `OSError` when the file is gone, unreadable or not a database (the health check)."""
    with _connect(path, read_only=True) as conn:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
