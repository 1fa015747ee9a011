"""Admin subcommands of `python -m bot` (imports run against the same database as the bot)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from bot.app import open_app
from bot.config import Settings
from bot.services.vacancy_import import VacancyImportError, load_vacancies


def _store_task_file(settings: Settings, slug: str, source: str) -> str:
    """Copy a task file next to the database so the vacancy keeps it whatever happens to the
    import folder."""
    target_dir = settings.database_path.parent / "task-files" / slug
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / Path(source).name
    shutil.copyfile(source, target)
    return str(target.resolve())


async def import_vacancies(settings: Settings, path: Path) -> int:
    try:
        drafts = load_vacancies(path)
    except VacancyImportError as error:
        print(f"{path}: the file was not imported; nothing was changed:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    created = updated = published = 0
    async with open_app(settings) as app:
        for draft in drafts:
            if draft.task_file:
                stored = await asyncio.to_thread(
                    _store_task_file, settings, draft.slug, draft.task_file
                )
                draft = replace(draft, task_file=stored)
            existed = await app.services.vacancies.get_by_slug(draft.slug) is not None
            _, newly = await app.services.vacancies.save(draft)
            updated += existed
            created += not existed
            published += newly
    print(
        f"Imported {len(drafts)} vacancies from {path}: {created} new, {updated} updated, "
        f"{published} published now."
    )
    return 0
