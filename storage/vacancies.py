"""Vacancies repository: upsert by slug, filtered listing with full-text search, filters."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import datetime

import aiosqlite

from bot.domain.interviews import ScreeningOption, ScreeningQuestion
from bot.domain.vacancies import Vacancy, VacancyDraft, VacancyFilters, VacancyStatus
from storage.database import Database

_DRAFT_FIELDS = [f.name for f in fields(VacancyDraft) if f.name not in ("hashtags", "screening")]
_COLUMNS = "id, created_at, updated_at, published_at, hashtags, screening, " + ", ".join(
    _DRAFT_FIELDS
)
_SELECT = "SELECT " + _COLUMNS + " FROM vacancies "  # noqa: S608 - constant column list
_UPSERT = (
    "INSERT INTO vacancies (hashtags, screening, created_at, updated_at, published_at, "  # noqa: S608
    + ", ".join(_DRAFT_FIELDS)
    + ") VALUES (?, COALESCE(?, '[]'), ?, ?, ?, "
    + ", ".join("?" for _ in _DRAFT_FIELDS)
    + ") ON CONFLICT (slug) DO UPDATE SET hashtags = excluded.hashtags, "
    + "screening = CASE WHEN ? IS NULL THEN screening ELSE excluded.screening END, "
    + "updated_at = excluded.updated_at, "
    + "published_at = COALESCE(published_at, excluded.published_at), "
    + ", ".join(f"{name} = excluded.{name}" for name in _DRAFT_FIELDS if name != "slug")
    + " RETURNING "
    + _COLUMNS
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def screening_json(questions: tuple[ScreeningQuestion, ...] | None) -> str | None:
    if questions is None:
        return None
    return json.dumps(
        [
            {
                "text": q.text,
                "options": [
                    {"label": o.label, "passes": o.passes, "reason": o.reason} for o in q.options
                ],
            }
            for q in questions
        ],
        ensure_ascii=False,
    )


def parse_screening(raw: str) -> tuple[ScreeningQuestion, ...]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return ()
    questions = []
    for item in items if isinstance(items, list) else []:
        options = tuple(
            ScreeningOption(
                str(o.get("label", "")), bool(o.get("passes")), str(o.get("reason", ""))
            )
            for o in item.get("options", [])
            if isinstance(o, dict)
        )
        questions.append(ScreeningQuestion(str(item.get("text", "")), options))
    return tuple(questions)


def _vacancy(row: aiosqlite.Row) -> Vacancy:
    values = {name: row[name] for name in _DRAFT_FIELDS}
    values["remote"] = bool(values["remote"])
    values["status"] = VacancyStatus(values["status"])
    return Vacancy(
        **values,
        hashtags=tuple(row["hashtags"].split()),
        screening=parse_screening(row["screening"]),
        id=row["id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
    )


def fts_query(text: str) -> str:
    """User words -> a safe FTS5 query: every word must match as a prefix."""
    words = _WORD_RE.findall(text.lower())[:8]
    return " ".join(f'"{word}"*' for word in words)


class SqliteVacancyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(self, draft: VacancyDraft, now: datetime) -> tuple[Vacancy, bool]:
        """Create or update by slug; return (vacancy, newly published)."""
        stamp = now.isoformat()
        published = stamp if draft.status is VacancyStatus.OPEN else None
        values = [getattr(draft, name) for name in _DRAFT_FIELDS]
        values = [v.value if isinstance(v, VacancyStatus) else v for v in values]
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT published_at FROM vacancies WHERE slug = ?", (draft.slug,)
            ) as cursor:
                before = await cursor.fetchone()
            questions = screening_json(draft.screening)
            cursor = await conn.execute(
                _UPSERT,
                [" ".join(draft.hashtags), questions, stamp, stamp, published, *values, questions],
            )
            row = await cursor.fetchone()
            await cursor.close()
            assert row is not None
            await conn.execute("DELETE FROM vacancy_hashtags WHERE vacancy_id = ?", (row["id"],))
            await conn.executemany(
                "INSERT OR IGNORE INTO vacancy_hashtags (tag, vacancy_id) VALUES (?, ?)",
                [(tag, row["id"]) for tag in draft.hashtags],
            )
        vacancy = _vacancy(row)
        newly = vacancy.published_at is not None and (before is None or before[0] is None)
        return vacancy, newly

    async def set_screening(
        self, vacancy_id: int, questions: tuple[ScreeningQuestion, ...], now: datetime
    ) -> bool:
        changed = await self._db.write(
            "UPDATE vacancies SET screening = ?, updated_at = ? WHERE id = ?",
            (screening_json(questions), now.isoformat(), vacancy_id),
        )
        return changed == 1

    async def get(self, vacancy_id: int) -> Vacancy | None:
        rows = self._db.query(_SELECT + "WHERE id = ?", (vacancy_id,))
        return _vacancy(rows[0]) if rows else None

    async def get_by_slug(self, slug: str) -> Vacancy | None:
        async with (
            self._db.read() as conn,
            conn.execute(_SELECT + "WHERE slug = ?", (slug,)) as cur,
        ):
            row = await cur.fetchone()
        return _vacancy(row) if row else None

    async def set_status(
        self, vacancy_id: int, status: VacancyStatus, now: datetime
    ) -> tuple[Vacancy | None, bool]:
        """Change the status; return (vacancy, newly published)."""
        stamp = now.isoformat()
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT published_at FROM vacancies WHERE id = ?", (vacancy_id,)
            ) as cursor:
                before = await cursor.fetchone()
            if before is None:
                return None, False
            await conn.execute(
                "UPDATE vacancies SET status = ?, updated_at = ?, "
                "published_at = CASE WHEN ? = 'open' THEN COALESCE(published_at, ?) "
                "ELSE published_at END WHERE id = ?",
                (status.value, stamp, status.value, stamp, vacancy_id),
            )
        vacancy = await self.get(vacancy_id)
        return vacancy, bool(vacancy and vacancy.published_at and before[0] is None)

    @staticmethod
    def _where(
        filters: VacancyFilters, statuses: tuple[VacancyStatus, ...]
    ) -> tuple[str, list[object]]:
        clauses = ["status IN (" + ", ".join("?" for _ in statuses) + ")"]
        params: list[object] = [s.value for s in statuses]
        if filters.project:
            clauses.append("project = ?")
            params.append(filters.project)
        if filters.city:
            clauses.append("city = ?")
            params.append(filters.city)
        if filters.remote:
            clauses.append("remote = 1")
        if filters.tag:
            clauses.append("id IN (SELECT vacancy_id FROM vacancy_hashtags WHERE tag = ?)")
            params.append(filters.tag)
        query = fts_query(filters.query)
        if filters.query:
            clauses.append("id IN (SELECT rowid FROM vacancies_fts WHERE vacancies_fts MATCH ?)")
            params.append(query or '""')
        return " AND ".join(clauses), params

    async def search(
        self,
        filters: VacancyFilters,
        offset: int,
        limit: int,
        statuses: tuple[VacancyStatus, ...] = (VacancyStatus.OPEN,),
    ) -> tuple[list[Vacancy], int]:
        where, params = self._where(filters, statuses)
        # the vacancies a company has open are few: read at once, no hop (Database.query)
        total = self._db.query(
            "SELECT COUNT(*) FROM vacancies WHERE " + where,  # noqa: S608 - clauses use ?
            params,
        )[0][0]
        rows = self._db.query(
            _SELECT + "WHERE " + where + " ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_vacancy(row) for row in rows], total

    async def cities(self) -> list[str]:
        rows = self._db.query(
            "SELECT DISTINCT city FROM vacancies WHERE status = 'open' AND city != '' ORDER BY city"
        )
        return [row[0] for row in rows]

    async def top_tags(self, limit: int) -> list[str]:
        """The most used hashtags of open vacancies."""
        rows = self._db.query(
            "SELECT h.tag FROM vacancy_hashtags h JOIN vacancies v ON v.id = h.vacancy_id "
            "WHERE v.status = 'open' GROUP BY h.tag ORDER BY COUNT(*) DESC, h.tag LIMIT ?",
            (limit,),
        )
        return [row[0] for row in rows]

    async def get_filters(self, user_id: int) -> VacancyFilters:
        rows = self._db.query(
            "SELECT project, city, remote, tag, query FROM vacancy_filters WHERE user_id = ?",
            (user_id,),
        )
        if not rows:
            return VacancyFilters()
        row = rows[0]
        return VacancyFilters(row[0], row[1], bool(row[2]), row[3], row[4])

    async def set_filters(self, user_id: int, filters: VacancyFilters) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO vacancy_filters (user_id, project, city, remote, tag, query) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "project = excluded.project, city = excluded.city, remote = excluded.remote, "
                "tag = excluded.tag, query = excluded.query",
                (
                    user_id,
                    filters.project,
                    filters.city,
                    int(filters.remote),
                    filters.tag,
                    filters.query,
                ),
            )
