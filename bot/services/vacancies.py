"""Vacancies: publishing, the filtered list, card views with first-touch attribution, placements
and subscriptions to new vacancies."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Protocol

from bot.domain.advocacy import REFERRAL_PREFIX
from bot.domain.interviews import ScreeningQuestion
from bot.domain.vacancies import (
    PROJECTS,
    Vacancy,
    VacancyDraft,
    VacancyFilters,
    VacancyStatus,
)
from bot.services.clock import Clock, utcnow

MAX_QUERY = 64
_SOURCE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
DIRECT = "direct"


class VacancyRepository(Protocol):
    async def upsert(self, draft: VacancyDraft, now: datetime) -> tuple[Vacancy, bool]: ...

    async def get(self, vacancy_id: int) -> Vacancy | None: ...

    async def set_screening(
        self, vacancy_id: int, questions: tuple[ScreeningQuestion, ...], now: datetime
    ) -> bool: ...

    async def get_by_slug(self, slug: str) -> Vacancy | None: ...

    async def set_status(
        self, vacancy_id: int, status: VacancyStatus, now: datetime
    ) -> tuple[Vacancy | None, bool]: ...

    async def search(
        self,
        filters: VacancyFilters,
        offset: int,
        limit: int,
        statuses: tuple[VacancyStatus, ...] = ...,
    ) -> tuple[list[Vacancy], int]: ...

    async def cities(self) -> list[str]: ...

    async def top_tags(self, limit: int) -> list[str]: ...

    async def get_filters(self, user_id: int) -> VacancyFilters: ...

    async def set_filters(self, user_id: int, filters: VacancyFilters) -> None: ...


class AttributionRepository(Protocol):
    async def touch(self, user_id: int, vacancy_id: int, source: str, now: datetime) -> str: ...

    async def count(self, vacancy_id: int, source: str, metric: str) -> None: ...

    async def funnel(self, vacancy_id: int) -> dict[str, dict[str, int]]: ...

    async def add_placement(self, vacancy_id: int, source: str, now: datetime) -> int: ...

    async def placement(self, placement_id: int) -> tuple[int, str] | None: ...

    async def placements(self, vacancy_id: int) -> list[tuple[int, str]]: ...

    async def toggle_subscription(
        self, user_id: int, kind: str, value: str, now: datetime
    ) -> bool: ...

    async def subscriptions(self, user_id: int) -> set[tuple[str, str]]: ...

    async def queue_notices(self, vacancy_id: int, project: str, tags: tuple[str, ...]) -> int: ...

    def pending_notices(self, limit: int = 100) -> AsyncIterator[tuple[int, int]]: ...

    async def mark_notice_sent(self, vacancy_id: int, user_id: int, now: datetime) -> bool: ...


def clean_source(raw: str | None) -> str:
    """A placement or referral source from a link: short, safe, or `direct`."""
    if raw and _SOURCE_RE.match(raw):
        return raw.lower()
    return DIRECT


class VacancyService:
    def __init__(
        self,
        vacancies: VacancyRepository,
        attribution: AttributionRepository,
        clock: Clock = utcnow,
    ) -> None:
        self._vacancies = vacancies
        self._attribution = attribution
        self._clock = clock

    async def save(self, draft: VacancyDraft) -> tuple[Vacancy, bool]:
        """Create or update by slug; a newly published vacancy notifies its subscribers."""
        if draft.project not in PROJECTS:
            raise ValueError(f"unknown project {draft.project!r}")
        vacancy, newly = await self._vacancies.upsert(draft, self._clock())
        if newly:
            await self._attribution.queue_notices(vacancy.id, vacancy.project, vacancy.hashtags)
        return vacancy, newly

    async def set_status(self, vacancy_id: int, status: VacancyStatus) -> Vacancy | None:
        vacancy, newly = await self._vacancies.set_status(vacancy_id, status, self._clock())
        if vacancy is not None and newly:
            await self._attribution.queue_notices(vacancy.id, vacancy.project, vacancy.hashtags)
        return vacancy

    async def get(self, vacancy_id: int) -> Vacancy | None:
        return await self._vacancies.get(vacancy_id)

    async def set_screening(
        self, vacancy_id: int, questions: tuple[ScreeningQuestion, ...]
    ) -> Vacancy | None:
        """Replace a vacancy's screening questions (checked by the caller)."""
        if not await self._vacancies.set_screening(vacancy_id, questions, self._clock()):
            return None
        return await self._vacancies.get(vacancy_id)

    async def get_open(self, vacancy_id: int) -> Vacancy | None:
        vacancy = await self._vacancies.get(vacancy_id)
        return vacancy if vacancy is not None and vacancy.status is VacancyStatus.OPEN else None

    async def get_by_slug(self, slug: str) -> Vacancy | None:
        return await self._vacancies.get_by_slug(slug)

    async def listing(
        self, filters: VacancyFilters, page: int, per_page: int
    ) -> tuple[list[Vacancy], int]:
        return await self._vacancies.search(filters, page * per_page, per_page)

    async def admin_listing(self, page: int, per_page: int) -> tuple[list[Vacancy], int]:
        return await self._vacancies.search(
            VacancyFilters(), page * per_page, per_page, tuple(VacancyStatus)
        )

    async def filters(self, user_id: int) -> VacancyFilters:
        return await self._vacancies.get_filters(user_id)

    async def set_filters(self, user_id: int, filters: VacancyFilters) -> VacancyFilters:
        filters = VacancyFilters(
            project=filters.project if filters.project in PROJECTS else "",
            city=filters.city[:60],
            remote=filters.remote,
            tag=filters.tag[:40],
            query=" ".join(filters.query.split())[:MAX_QUERY],
        )
        await self._vacancies.set_filters(user_id, filters)
        return filters

    async def cities(self) -> list[str]:
        return await self._vacancies.cities()

    async def top_tags(self, limit: int = 8) -> list[str]:
        return await self._vacancies.top_tags(limit)

    async def view(self, user_id: int, vacancy: Vacancy, source: str | None) -> str:
        """Count a card view and record the first touch; return the credited source. Nobody
        is credited for opening their own referral link."""
        source = clean_source(source)
        if source == f"{REFERRAL_PREFIX}{user_id}":
            source = DIRECT
        credited = await self._attribution.touch(user_id, vacancy.id, source, self._clock())
        await self._attribution.count(vacancy.id, credited, "views")
        return credited

    async def add_placement(self, vacancy_id: int, source: str) -> int | None:
        if not _SOURCE_RE.match(source) or source.lower().startswith(REFERRAL_PREFIX):
            return None
        return await self._attribution.add_placement(vacancy_id, source.lower(), self._clock())

    async def placement(self, placement_id: int) -> tuple[int, str] | None:
        return await self._attribution.placement(placement_id)

    async def placements(self, vacancy_id: int) -> list[tuple[int, str]]:
        return await self._attribution.placements(vacancy_id)

    async def funnel(self, vacancy_id: int) -> dict[str, dict[str, int]]:
        return await self._attribution.funnel(vacancy_id)

    async def toggle_subscription(self, user_id: int, kind: str, value: str) -> bool:
        if kind not in ("project", "tag") or not value:
            raise ValueError("bad subscription")
        return await self._attribution.toggle_subscription(user_id, kind, value, self._clock())

    async def subscriptions(self, user_id: int) -> set[tuple[str, str]]:
        return await self._attribution.subscriptions(user_id)

    async def pending_notices(self, limit: int = 100) -> list[tuple[int, int]]:
        return [pair async for pair in self._attribution.pending_notices(limit)]

    async def claim_notice(self, vacancy_id: int, user_id: int) -> bool:
        """Mark a notice as sent before sending it, so it never goes out twice."""
        return await self._attribution.mark_notice_sent(vacancy_id, user_id, self._clock())
