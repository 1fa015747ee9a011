"""Admin subcommands of `python -m bot` (imports run against the same database as the bot;
backup and restore work on its files)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from bot.app import App, open_app
from bot.backup import (
    MEDIA,
    TASK_FILES,
    BackupError,
    DatabaseLocked,
    backup_name,
    create_backup,
    restore_backup,
    unique_path,
)
from bot.config import Settings
from bot.domain.advocacy import PostDraft
from bot.domain.vacancies import VacancyDraft
from bot.services.clock import utcnow
from bot.services.vacancy_import import VacancyImportError, load_vacancies


def _keep_file(settings: Settings, folder: str, slug: str, source: str) -> str:
    """Copy an imported file next to the database, so the vacancy or post keeps it whatever
    happens to the import folder."""
    target_dir = settings.database_path.parent / folder / slug
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / Path(source).name
    shutil.copyfile(source, target)
    return str(target.resolve())


def _refuse(path: Path, problems: list[str]) -> int:
    print(f"{path}: the file was not imported; nothing was changed:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


async def import_vacancies(settings: Settings, path: Path) -> int:
    try:
        drafts = load_vacancies(path)
    except VacancyImportError as error:
        return _refuse(path, [str(problem) for problem in error.problems])
    async with open_app(settings) as app:
        created, updated, published = await store_vacancies(app, drafts, path.name)
    print(
        f"Imported {len(drafts)} vacancies from {path}: {created} new, {updated} updated, "
        f"{published} published now."
    )
    return 0


async def store_vacancies(
    app: App, drafts: list[VacancyDraft], source: str
) -> tuple[int, int, int]:
    """Create or update vacancies in one transaction; (created, updated, published now)."""
    created = updated = published = 0
    ready = []
    for draft in drafts:
        if draft.task_file:
            stored = await asyncio.to_thread(
                _keep_file, app.settings, TASK_FILES, draft.slug, draft.task_file
            )
            draft = replace(draft, task_file=stored)
        existed = await app.services.vacancies.get_by_slug(draft.slug) is not None
        ready.append((draft, existed))
    # one transaction: a failure or a kill half-way leaves the vacancies as they were
    async with app.db.transaction():
        for draft, existed in ready:
            _, newly = await app.services.vacancies.save(draft)
            updated += existed
            created += not existed
            published += newly
        await app.services.privacy.audit(
            None, "cli", "import vacancies", source, f"{created} new, {updated} updated"
        )
    return created, updated, published


async def import_content(settings: Settings, path: Path) -> int:
    """Create or update the employees' content library from a TOML file (see README)."""
    from bot.services.content_import import ContentImportError, load_posts

    try:
        drafts = load_posts(path)
    except ContentImportError as error:
        return _refuse(path, [str(problem) for problem in error.problems])
    async with open_app(settings) as app:
        missing = await store_posts(app, drafts, path.name)
    if missing:
        missing.append("(import the vacancies first: python -m bot import-vacancies FILE)")
        return _refuse(path, missing)
    print(f"Imported {len(drafts)} posts from {path}.")
    return 0


async def store_posts(app: App, drafts: list[PostDraft], source: str) -> list[str]:
    """Create or update posts in one transaction; the problems (posts naming vacancies that
    do not exist) when nothing was stored."""
    vacancy_ids: dict[str, int] = {}
    missing = []
    for draft in drafts:
        if not draft.vacancy_slug:
            continue
        vacancy = await app.services.vacancies.get_by_slug(draft.vacancy_slug)
        if vacancy is None:
            missing.append(f"{draft.slug}: vacancy: no vacancy {draft.vacancy_slug!r}")
        else:
            vacancy_ids[draft.slug] = vacancy.id
    if missing:
        return missing
    ready = []
    for draft in drafts:
        if draft.media_path:
            stored = await asyncio.to_thread(
                _keep_file, app.settings, MEDIA, draft.slug, draft.media_path
            )
            draft = replace(draft, media_path=stored)
        ready.append(draft)
    async with app.db.transaction():  # all or nothing, like the vacancy import
        for draft in ready:
            await app.services.advocacy.save_post(draft, vacancy_ids.get(draft.slug))
        await app.services.privacy.audit(
            None, "cli", "import content", source, f"{len(drafts)} posts"
        )
    return []


async def import_examples(app: App, folder: Path) -> int:
    """Put the shipped examples (vacancies, then content) into an empty database: the web
    chat's try-it-out mode. Returns how many vacancies were imported."""
    from bot.services.content_import import load_posts

    drafts = load_vacancies(folder / "vacancies.toml")
    await store_vacancies(app, drafts, "examples/vacancies.toml")
    await store_posts(app, load_posts(folder / "content.toml"), "examples/content.toml")
    return len(drafts)


def _size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def backup(settings: Settings, file: Path | None) -> int:
    """Write a backup of the database and its files (safe while the bot runs)."""
    now = utcnow()
    if file is None:
        target = unique_path(settings.backups_dir, backup_name("manual", now))
    elif file.is_dir():
        target = unique_path(file, backup_name("manual", now))
    else:
        target = file
    try:
        info = create_backup(settings.database_path, target, now)
    except BackupError as error:
        print(f"Backup failed: {error}; nothing was written.", file=sys.stderr)
        return 1
    except Exception as error:  # a full disk, an unreadable database, ...
        print(
            f"Backup failed: {type(error).__name__}: {error}; nothing was written.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Backed up {settings.database_path} to {info.path}: {_size(info.size)} "
        f"({info.size} bytes; database {_size(info.database_size)} at schema {info.schema}, "
        f"{info.files} task and media files); integrity check ok."
    )
    return 0


def restore(settings: Settings, file: Path) -> int:
    """Put a backup in place of the database and its files; the bot must be stopped."""
    database = settings.database_path
    try:
        info = restore_backup(file, database, utcnow())
    except DatabaseLocked as error:
        print(
            f"Restore refused: {error}; stop the bot first, then restore. Nothing was changed.",
            file=sys.stderr,
        )
        return 1
    except BackupError as error:
        print(f"Restore refused: {error}; nothing was changed.", file=sys.stderr)
        return 1
    kept = (
        f" The previous database and files are kept in {info.aside}."
        if info.aside
        else " There was no database before."
    )
    print(
        f"Restored {file} into {database}: schema {info.schema}, {info.files} task and media "
        f"files.{kept} Start the bot: it applies any newer migrations."
    )
    return 0
