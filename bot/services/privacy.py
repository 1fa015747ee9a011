"""Personal data handled by the law (export, erasure, retention, talent pool) and the numbers HR
acts on (dashboard, CSV exports, audit log)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Protocol

from bot.domain.advocacy import REFERRAL_PREFIX
from bot.domain.interviews import OUTCOME_LEVEL
from bot.services.clock import Clock, utcnow
from bot.services.screening import RETRY_DAYS

MOSCOW = timezone(timedelta(hours=3))
TALENT_POOL = "talent-pool"
TALENT_POOL_VERSION = "2026-11-23"


class PrivacyRepository(Protocol):
    async def export(self, user_id: int) -> dict[str, list[dict[str, Any]]]: ...

    async def erase(self, user_id: int, reason: str, now: datetime) -> bool: ...

    async def purge_decided(
        self,
        before: datetime,
        talent_pool_kind: str,
        batch: int = 500,
        screenings_before: datetime | None = None,
    ) -> int: ...

    async def audit(
        self,
        actor_id: int | None,
        actor: str,
        action: str,
        target: str,
        details: str,
        now: datetime,
    ) -> None: ...

    async def audit_entries(self, limit: int) -> list[dict[str, Any]]: ...

    async def vacancy_funnels(self) -> list[dict[str, Any]]: ...

    async def sources(self) -> list[dict[str, Any]]: ...

    async def per_day(self, since: datetime) -> list[tuple[str, int, int]]: ...

    async def advocacy_totals(self, since: datetime) -> dict[str, int]: ...

    async def broadcast_totals(self) -> dict[str, int]: ...

    def application_rows(self, batch: int = 500) -> AsyncIterator[dict[str, Any]]: ...


def rate(part: int, whole: int) -> int:
    """A conversion as a whole percentage (0 when there is nothing to convert)."""
    return round(100 * part / whole) if whole else 0


class PrivacyService:
    def __init__(self, repo: PrivacyRepository, retention_days: int, clock: Clock = utcnow) -> None:
        self._repo = repo
        self.retention_days = retention_days
        self._clock = clock

    async def export_json(self, user_id: int) -> bytes:
        """The user's own data, machine-readable (GDPR Art. 15 and 20, 152-FZ access)."""
        data = await self._repo.export(user_id)
        document = {"exported_at": self._clock().isoformat(), **data}
        return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()

    async def erase(self, user_id: int, platform: str) -> bool:
        """Erase the user's personal data and answers; consent goes with them. What remains
        (aggregate counters, the fact of erasure) keeps no personal data."""
        erased = await self._repo.erase(user_id, "user request", self._clock())
        if erased:
            await self.audit(None, "system", "erasure", platform, "at the user's request")
        return erased

    async def purge_expired(self) -> int:
        """Retention: applications decided more than `retention_days` ago lose their personal
        data, unless the candidate agreed separately to stay in the talent pool."""
        now = self._clock()
        cutoff = now - timedelta(days=self.retention_days)
        # a knock-out is kept for its retry window even when the term is shorter: purged
        # sooner, it would let the candidate retry at once
        screenings = now - timedelta(days=max(self.retention_days, RETRY_DAYS))
        total = 0
        while purged := await self._repo.purge_decided(
            cutoff, TALENT_POOL, screenings_before=screenings
        ):
            total += purged
        if total:
            await self.audit(None, "system", "retention purge", "applications", f"{total} purged")
        return total

    async def audit(
        self, actor_id: int | None, actor: str, action: str, target: str = "", details: str = ""
    ) -> None:
        await self._repo.audit(actor_id, actor, action, target, details, self._clock())

    async def audit_entries(self, limit: int = 20) -> list[dict[str, Any]]:
        return await self._repo.audit_entries(limit)


def _interview_columns(row: dict[str, Any]) -> list[str]:
    screened = row.get("screened")
    outcome = str(row.get("outcome") or "")
    level = OUTCOME_LEVEL.get(outcome, 0)
    attended = "yes" if level >= 1 else ("no" if outcome == "no_show" else "")
    return [
        "" if screened is None else ("passed" if screened else "knocked out"),
        str(row.get("interview_at") or ""),
        outcome,
        attended,
        "yes" if level >= 2 else "",
        "yes" if level >= 3 else "",
    ]


class InsightsService:
    def __init__(self, repo: PrivacyRepository, clock: Clock = utcnow) -> None:
        self._repo = repo
        self._clock = clock

    async def vacancy_funnels(self) -> list[dict[str, Any]]:
        return await self._repo.vacancy_funnels()

    async def sources(self) -> list[dict[str, Any]]:
        return await self._repo.sources()

    async def per_day(self, days: int = 30) -> list[tuple[str, int, int]]:
        return await self._repo.per_day(self._clock() - timedelta(days=days))

    async def advocacy(self) -> dict[str, int]:
        local = self._clock().astimezone(MOSCOW)
        month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return await self._repo.advocacy_totals(month.astimezone(UTC))

    async def broadcasts(self) -> dict[str, int]:
        return await self._repo.broadcast_totals()

    async def applications_csv(self, referrer_names: dict[int, str], header: list[str]) -> bytes:
        """Applications with status, source, referrer and dates, then the screening outcome
        (passed / knocked out / empty when the vacancy asked none) and the interview: the
        booked time (UTC, like the other dates), its outcome, attended (yes / no after a
        no-show), offer and hired. UTF-8 with BOM, quoted, so Excel and LibreOffice open it as
        is. Rows are streamed from the database."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(header)
        async for row in self._repo.application_rows():
            source = str(row["source"])
            referrer = ""
            if source.startswith(REFERRAL_PREFIX) and source[len(REFERRAL_PREFIX) :].isdigit():
                referrer = referrer_names.get(int(source[len(REFERRAL_PREFIX) :]), "")
            writer.writerow(
                [
                    row["id"],
                    row["vacancy"],
                    row["status"],
                    "yes" if row["late"] else "",
                    source,
                    referrer,
                    row["issued_at"] or "",
                    row["submitted_at"] or "",
                    row["decided_at"] or "",
                    *_interview_columns(row),
                ]
            )
        return buffer.getvalue().encode("utf-8-sig")

    async def funnel_csv(self, header: list[str]) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        for row in await self._repo.vacancy_funnels():
            writer.writerow(
                [
                    row["id"],
                    row["title"],
                    row["status"],
                    row["views"],
                    row["issued"],
                    row["submitted"],
                    row["accepted"],
                    rate(row["issued"], row["views"]),
                    rate(row["submitted"], row["issued"]),
                    rate(row["accepted"], row["submitted"]),
                    row["screened_in"],
                    row["screened_out"],
                    row["booked"],
                    row["attended"],
                    row["offer"],
                    row["hired"],
                ]
            )
        return buffer.getvalue().encode("utf-8-sig")

    async def referrers(self) -> list[int]:
        """Employee user ids that appear as referral sources (for naming them in exports)."""
        ids = set()
        for row in await self._repo.sources():
            source = str(row["source"])
            tail = source[len(REFERRAL_PREFIX) :]
            if source.startswith(REFERRAL_PREFIX) and tail.isdigit():
                ids.add(int(tail))
        return sorted(ids)
