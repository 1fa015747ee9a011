"""Backups and restore of everything the bot keeps: the database and the files next to it.

A backup is one `.tar` file:

    manifest.json       what is inside (schema version, sizes, where the data folder was)
    database.sqlite3    a copy made with SQLite's online backup API and checked with
                        `PRAGMA integrity_check` (never a copy of the live file)
    task-files/...      vacancies' test-task files (`import-vacancies` keeps them here)
    media/...           the content library's images and documents (`import-content`)

It is written as `NAME.partial` and renamed when complete, so a failed backup (a full disk)
leaves nothing half-written. Restore refuses while the bot runs: the running process holds an
exclusive lock on `<database>.lock` (`ProcessLock`).

The functions here block (files, SQLite); run them in a worker thread from async code.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from bot.services.clock import Clock
from storage.backup import (
    SQLITE_HEADER,
    DatabaseCheckError,
    check_database,
    online_backup,
    relocate_files,
)

log = logging.getLogger(__name__)

TASK_FILES = "task-files"  # vacancies' test-task files, next to the database (bot/admin_cli.py)
MEDIA = "media"  # the content library's media, next to the database
DATA_FOLDERS = (TASK_FILES, MEDIA)
ARCHIVE_DATABASE = "database.sqlite3"
MANIFEST = "manifest.json"
PREFIX = "hr-bot-"
DAILY = "daily"
FORMAT = 1


class BackupError(Exception):
    """A backup or a restore could not be made; the message is one line for the operator."""


class DatabaseLocked(BackupError):
    """The bot (or another restore) is running on this database."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int  # bytes of the .tar
    database_size: int  # bytes of the database copy inside
    files: int  # task files and media inside
    schema: int


@dataclass(frozen=True, slots=True)
class RestoreInfo:
    schema: int
    files: int
    aside: Path | None  # where the replaced database and files were moved
    relocated: int  # stored file paths pointed at this data folder


class ProcessLock:
    """An exclusive `flock` on `<database>.lock`, held by the running bot for its whole life
    and by a restore while it swaps files. The lock file keeps the holder's pid."""

    def __init__(self, database: Path) -> None:
        self.path = Path(f"{database}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise DatabaseLocked(
                f"process {holder} holds {self.path}: hr-bot is running on this database"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ProcessLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def backup_name(kind: str, now: datetime) -> str:
    return f"{PREFIX}{now:%Y%m%d-%H%M%S}-{kind}.tar"


def unique_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name` with -2, -3 ... before the suffix when it is taken."""
    path = folder / name
    stem, dot, suffix = name.partition(".")
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{dot}{suffix}"
        number += 1
    return path


def _data_files(root: Path) -> list[tuple[Path, str]]:
    found = []
    for folder in DATA_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found.append((path, path.relative_to(root).as_posix()))
    return found


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def create_backup(database: Path, target: Path, now: datetime) -> BackupInfo:
    """Write the backup of `database` and its files to `target` (a new .tar)."""
    if not database.is_file():
        raise BackupError(f"there is no database at {database}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} already exists")
    partial = target.with_name(target.name + ".partial")
    work = Path(tempfile.mkdtemp(prefix=".hr-bot-backup-", dir=target.parent))
    try:
        copy = work / ARCHIVE_DATABASE
        online_backup(database, copy)
        schema = check_database(copy)
        root = database.parent
        files = _data_files(root)  # after the snapshot: every file it refers to exists
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "schema": schema,
            "database": database.name,
            "data_root": str(root.resolve()),
            "database_size": copy.stat().st_size,
            "files": [name for _, name in files],
        }
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            entry = tarfile.TarInfo(MANIFEST)
            entry.size, entry.mtime, entry.mode = len(data), int(now.timestamp()), 0o644
            tar.addfile(entry, io.BytesIO(data))
            tar.add(copy, arcname=ARCHIVE_DATABASE, recursive=False)
            for path, name in files:
                tar.add(path, arcname=name, recursive=False)
        with partial.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
        return BackupInfo(target, target.stat().st_size, copy.stat().st_size, len(files), schema)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def rotate(folder: Path, keep: int, kind: str = DAILY) -> list[Path]:
    """Delete the oldest backups of `kind` beyond the newest `keep`; return what was deleted.
    Backups of other kinds (made by hand, before a migration) are never deleted."""
    ours = sorted(folder.glob(f"{PREFIX}*-{kind}.tar")) + sorted(
        folder.glob(f"{PREFIX}*-{kind}-*.tar")
    )
    ours.sort(key=lambda path: path.name)
    removed = ours[: max(0, len(ours) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def sweep(folder: Path, older_than: float = 24 * 3600) -> list[Path]:
    """Remove what interrupted backups left in `folder` (a `.partial` file, a work folder)
    once it is older than `older_than` seconds, so a backup still being written is spared."""
    removed = []
    limit = time.time() - older_than
    for path in [*folder.glob("*.tar.partial"), *folder.glob(".hr-bot-backup-*")]:
        try:
            if path.lstat().st_mtime > limit:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _unpack(source: Path, work: Path) -> tuple[Path, dict[str, object]]:
    """Put the backup's database (and files) into `work`; return the database and manifest."""
    try:
        with source.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"cannot read {source}: {error.strerror or error}") from None
    database = work / ARCHIVE_DATABASE
    if header == SQLITE_HEADER:  # a bare database file (say, from `litestream restore`)
        shutil.copyfile(source, database)
        return database, {}
    if not tarfile.is_tarfile(source):
        raise BackupError(f"{source} is neither an hr-bot backup (.tar) nor an SQLite database")
    with tarfile.open(source, "r") as tar:
        members = tar.getmembers()
        allowed = {MANIFEST, ARCHIVE_DATABASE}
        for member in members:
            top = member.name.split("/", 1)[0]
            if member.name not in allowed and top not in DATA_FOLDERS:
                raise BackupError(f"{source} holds an unexpected entry {member.name!r}")
        names = {member.name for member in members}
        if ARCHIVE_DATABASE not in names:
            raise BackupError(f"{source} is not an hr-bot backup: it has no {ARCHIVE_DATABASE}")
        try:
            tar.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"{source} cannot be unpacked: {error}") from None
    manifest: dict[str, object] = {}
    if (work / MANIFEST).is_file():
        with contextlib.suppress(ValueError):
            manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    return database, manifest


def _count_files(root: Path) -> int:
    return len(_data_files(root))


def restore_backup(source: Path, database: Path, now: datetime) -> RestoreInfo:
    """Check the backup, keep the current database and files aside, put the backup in place.
    Refuses (`DatabaseLocked`) while the bot runs; changes nothing when a check fails."""
    root = database.parent
    root.mkdir(parents=True, exist_ok=True)
    with ProcessLock(database):
        for left in root.glob(".hr-bot-restore-*"):  # an interrupted restore (we hold the lock)
            shutil.rmtree(left, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=".hr-bot-restore-", dir=root))
        try:
            copy, manifest = _unpack(source, work)
            try:
                schema = check_database(copy)
            except DatabaseCheckError as error:
                raise BackupError(str(error)) from None
            relocated = relocate_files(
                copy, str(manifest.get("data_root") or ""), str(root.resolve())
            )
            files = _count_files(work)
            aside = _swap_in(work, database, now)
            return RestoreInfo(schema, files, aside, relocated)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _swap_in(work: Path, database: Path, now: datetime) -> Path | None:
    root = database.parent
    incoming = [folder for folder in DATA_FOLDERS if (work / folder).is_dir()]
    current = [Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    current += [root / folder for folder in incoming]  # a bare database leaves the files be
    present = [path for path in current if path.exists()]
    aside: Path | None = None
    moved: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        if present:
            aside = unique_path(root, f"before-restore-{now:%Y%m%d-%H%M%S}")
            aside.mkdir()
            for path in present:
                target = aside / path.name
                os.replace(path, target)
                moved.append((target, path))
        os.replace(work / ARCHIVE_DATABASE, database)
        placed.append(database)
        for folder in incoming:
            os.replace(work / folder, root / folder)
            placed.append(root / folder)
        _fsync_dir(root)
    except BaseException:
        for path in placed:  # put everything back as it was
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        for target, original in moved:
            with contextlib.suppress(OSError):
                os.replace(target, original)
        raise
    return aside


class DayState(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...


class DailyBackup:
    """The in-process daily backup: once a day (by the bot's clock, remembered in the
    database across restarts), a backup into `folder`, keeping the newest `keep`. A failure
    (say, a full disk) is logged as an error and tried again the next day; it never stops the
    bot. `keep` 0 turns it off."""

    KEY = "backup.last_day"

    def __init__(
        self,
        database: Path,
        folder: Path,
        keep: int,
        clock: Clock,
        state: DayState,
        on_success: Callable[[BackupInfo], None] | None = None,
    ) -> None:
        self.database = database
        self.folder = folder
        self.keep = keep
        self.clock = clock
        self.state = state
        self.on_success = on_success
        self._last_day: str | None = None

    async def run(self) -> BackupInfo | None:
        if self.keep <= 0:
            return None
        now = self.clock()
        today = now.date().isoformat()
        if self._last_day is None:
            try:
                self._last_day = await self.state.get(self.KEY) or ""
            except Exception:
                log.exception("could not read the day of the last backup")
                self._last_day = ""
        if self._last_day == today:
            return None
        self._last_day = today  # tried today, whatever happens: the next try is tomorrow
        try:
            await self.state.set(self.KEY, today)
        except Exception as error:
            log.error("could not record today's backup attempt (%s)", type(error).__name__)
        target = unique_path(self.folder, backup_name(DAILY, now))
        try:
            info = await asyncio.to_thread(create_backup, self.database, target, now)
        except Exception as error:
            log.error(
                "daily backup to %s failed (%s: %s); the bot goes on, next try tomorrow",
                self.folder,
                type(error).__name__,
                error,
            )
            return None
        removed = await asyncio.to_thread(rotate, self.folder, self.keep)
        await asyncio.to_thread(sweep, self.folder)
        log.info(
            "daily backup written: %s (%s bytes, schema %s, %s files); %s old one(s) removed, "
            "keeping %s",
            info.path,
            info.size,
            info.schema,
            info.files,
            len(removed),
            self.keep,
        )
        if self.on_success is not None:
            self.on_success(info)
        return info
