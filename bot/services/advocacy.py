"""Employee advocacy rules: invites, the library employees see, ready-to-share texts with
rotating wordings and referral links, shares with a daily cap, rankings, content requests."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Protocol

from bot.domain.advocacy import (
    CATEGORIES,
    REFERRAL_PREFIX,
    ContentRequest,
    Invite,
    Post,
    PostDraft,
    RequestStatus,
)
from bot.services.clock import Clock, utcnow

INVITE_DAYS = 7
DAILY_POINTS_CAP = 3
# points of the leaderboards: a share earns SHARE_POINTS (at most DAILY_POINTS_CAP a day); a
# referral earns for the candidate who came, their application and, most of all, their hire
SHARE_POINTS = 1
REFERRAL_POINTS_CANDIDATE = 1
REFERRAL_POINTS_APPLICATION = 2
REFERRAL_POINTS_HIRE = 10  # a referred hire counts most of anything an employee can do
MAX_REQUEST_TEXT = 1500
MOSCOW = timezone(timedelta(hours=3))
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I look-alikes
_CODE_RE = re.compile(r"^[A-Z2-9]{4}-?[A-Z2-9]{4}$")
_LINK_RE = re.compile(r"^https?://\S{3,500}$", re.IGNORECASE)


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class AdvocacyRepository(Protocol):
    async def create_invite(
        self, code: str, name: str, team: str, created_by: int, now: datetime, expires: datetime
    ) -> Invite: ...

    async def invite(self, code: str) -> Invite | None: ...

    async def redeem(self, code: str, user_id: int, now: datetime) -> bool: ...

    async def employees(
        self, limit: int, offset: int
    ) -> tuple[list[tuple[int, str, str]], int]: ...

    async def revoke(self, user_id: int, now: datetime) -> bool: ...

    async def display_names(self, user_ids: list[int]) -> dict[int, str]: ...

    async def upsert_post(
        self, draft: PostDraft, vacancy_id: int | None, now: datetime
    ) -> Post: ...

    async def post(self, post_id: int) -> Post | None: ...

    async def category_counts(self, now: datetime, platform: str) -> dict[str, int]: ...

    async def posts(
        self, category: str, now: datetime, platform: str, offset: int, limit: int
    ) -> tuple[list[Post], int]: ...

    async def next_variant(self, post_id: int) -> int: ...

    async def add_share(
        self, post_id: int, user_id: int, link: str, day: str, now: datetime, daily_cap: int
    ) -> int: ...

    async def share_scores(self, since: datetime | None) -> list[tuple[int, int, int]]: ...

    async def referral_scores(self, since: datetime | None) -> dict[int, tuple[int, int, int]]:
        """user id -> (candidates referred, their applications, their hires)."""
        ...

    async def add_request(self, user_id: int, text: str, now: datetime) -> ContentRequest: ...

    async def request(self, request_id: int) -> ContentRequest | None: ...

    async def requests_of(self, user_id: int, limit: int = 10) -> list[ContentRequest]: ...

    async def move_request(
        self,
        request_id: int,
        status: RequestStatus,
        expect: tuple[RequestStatus, ...],
        admin_id: int,
        now: datetime,
        reason: str = "",
        post_id: int | None = None,
    ) -> ContentRequest | None: ...


@dataclass(frozen=True, slots=True)
class Standing:
    """One leaderboard: the top rows and the asking employee's own row."""

    # best first; shares: (user id, points, shares); referrals: (user id, points, candidates,
    # applications, hires)
    rows: list[tuple[int, ...]]
    own_place: int | None
    own_row: tuple[int, ...] | None


def normalise_code(text: str) -> str | None:
    code = text.strip().upper().replace(" ", "")
    if not _CODE_RE.match(code):
        return None
    return code if "-" in code else f"{code[:4]}-{code[4:]}"


def referral_points(candidates: int, applications: int, hires: int) -> int:
    return (
        candidates * REFERRAL_POINTS_CANDIDATE
        + applications * REFERRAL_POINTS_APPLICATION
        + hires * REFERRAL_POINTS_HIRE
    )


def referral_source(user_id: int) -> str:
    return f"{REFERRAL_PREFIX}{user_id}"


class AdvocacyService:
    def __init__(
        self, repo: AdvocacyRepository, company_hashtag: str, clock: Clock = utcnow
    ) -> None:
        self._repo = repo
        self.company_hashtag = company_hashtag
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    # --- invites ---------------------------------------------------------------------------
    async def create_invite(self, admin_id: int, name: str = "", team: str = "") -> Invite:
        now = self._clock()
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        return await self._repo.create_invite(
            f"{code[:4]}-{code[4:]}",
            name.strip()[:80],
            team.strip()[:80],
            admin_id,
            now,
            now + timedelta(days=INVITE_DAYS),
        )

    async def redeem(self, raw_code: str, user_id: int) -> InviteProblem | None:
        code = normalise_code(raw_code)
        if code is None:
            return InviteProblem.UNKNOWN
        if await self._repo.redeem(code, user_id, self._clock()):
            return None
        invite = await self._repo.invite(code)
        if invite is None:
            return InviteProblem.UNKNOWN
        if invite.used_by is not None or invite.used_at is not None:
            return InviteProblem.USED
        return InviteProblem.EXPIRED

    async def employees(self, page: int, per_page: int) -> tuple[list[tuple[int, str, str]], int]:
        return await self._repo.employees(per_page, page * per_page)

    async def revoke(self, user_id: int) -> bool:
        return await self._repo.revoke(user_id, self._clock())

    async def names(self, user_ids: list[int]) -> dict[int, str]:
        return await self._repo.display_names(user_ids)

    # --- the library -------------------------------------------------------------------------
    async def save_post(self, draft: PostDraft, vacancy_id: int | None = None) -> Post:
        if draft.category not in CATEGORIES:
            raise ValueError(f"unknown category {draft.category!r}")
        return await self._repo.upsert_post(draft, vacancy_id, self._clock())

    def visible(self, post: Post, platform: str) -> bool:
        now = self._clock()
        return (
            platform in post.platforms
            and (post.valid_from is None or post.valid_from <= now)
            and (post.valid_until is None or post.valid_until > now)
        )

    async def categories(self, platform: str) -> dict[str, int]:
        counts = await self._repo.category_counts(self._clock(), platform)
        return {category: counts.get(category, 0) for category in CATEGORIES}

    async def posts(
        self, category: str, platform: str, page: int, per_page: int
    ) -> tuple[list[Post], int]:
        if category not in CATEGORIES:
            return [], 0
        return await self._repo.posts(category, self._clock(), platform, page * per_page, per_page)

    async def post(self, post_id: int, platform: str) -> Post | None:
        """A post the employee may see on this platform now; None for anything else."""
        post = await self._repo.post(post_id)
        return post if post is not None and self.visible(post, platform) else None

    async def wording(self, post: Post, rotate: bool = True) -> str:
        """The next wording in turn (colleagues get different ones)."""
        if len(post.variants) == 1 or not rotate:
            return post.variants[0]
        return post.variants[await self._repo.next_variant(post.id) % len(post.variants)]

    def share_text(self, post: Post, wording: str, referral_link: str | None) -> str:
        """Plain text ready to paste: the wording, the link, the referral link, the hashtag."""
        parts = [wording.strip()]
        if post.link:
            parts.append(post.link)
        if referral_link:
            parts.append(referral_link)
        if self.company_hashtag and self.company_hashtag.lower() not in wording.lower():
            parts.append(self.company_hashtag)
        return "\n\n".join(parts)

    # --- shares and the leaderboard ------------------------------------------------------------
    async def record_share(self, post: Post, user_id: int, link: str = "") -> int:
        """Record "I posted it"; return the points awarded (capped per day)."""
        now = self._clock()
        link = link.strip() if _LINK_RE.match(link.strip()) else ""
        day = now.astimezone(MOSCOW).date().isoformat()
        return await self._repo.add_share(post.id, user_id, link, day, now, DAILY_POINTS_CAP)

    def month_start(self) -> datetime:
        local = self._clock().astimezone(MOSCOW)
        start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return start.astimezone(UTC)  # stored times are UTC: compare like with like

    async def standing(self, kind: str, monthly: bool, user_id: int, top: int = 10) -> Standing:
        since = self.month_start() if monthly else None
        rows: list[tuple[int, ...]]
        if kind == "shares":
            rows = list(await self._repo.share_scores(since))
        else:
            referrals = await self._repo.referral_scores(since)
            rows = sorted(
                ((user, referral_points(*counts), *counts) for user, counts in referrals.items()),
                key=lambda row: (-row[1], -row[4], -row[3], -row[2], row[0]),
            )
        own = next(((place, row) for place, row in enumerate(rows, 1) if row[0] == user_id), None)
        return Standing(rows[:top], own[0] if own else None, own[1] if own else None)

    # --- content requests ----------------------------------------------------------------------
    async def request_content(self, user_id: int, text: str) -> ContentRequest | None:
        text = text.strip()
        if not text or len(text) > MAX_REQUEST_TEXT:
            return None
        return await self._repo.add_request(user_id, text, self._clock())

    async def request(self, request_id: int) -> ContentRequest | None:
        return await self._repo.request(request_id)

    async def my_requests(self, user_id: int) -> list[ContentRequest]:
        return await self._repo.requests_of(user_id)

    async def take(self, request_id: int, admin_id: int) -> ContentRequest | None:
        return await self._repo.move_request(
            request_id, RequestStatus.TAKEN, (RequestStatus.NEW,), admin_id, self._clock()
        )

    async def decline(self, request_id: int, admin_id: int, reason: str) -> ContentRequest | None:
        return await self._repo.move_request(
            request_id,
            RequestStatus.DECLINED,
            (RequestStatus.NEW, RequestStatus.TAKEN),
            admin_id,
            self._clock(),
            reason=reason.strip()[:500],
        )

    async def fulfil(self, request_id: int, admin_id: int, post_id: int) -> ContentRequest | None:
        return await self._repo.move_request(
            request_id,
            RequestStatus.FULFILLED,
            (RequestStatus.NEW, RequestStatus.TAKEN),
            admin_id,
            self._clock(),
            post_id=post_id,
        )
