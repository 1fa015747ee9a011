"""Employee advocacy: invites, the content library, shares, content requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

CATEGORIES: tuple[str, ...] = ("announcements", "products", "expertise", "recruiting", "culture")
PLATFORMS: tuple[str, ...] = ("tg", "vk")
REFERRAL_PREFIX = "ref_"  # attribution source of an employee's referral link: ref_<user id>


@dataclass(frozen=True, slots=True)
class PostDraft:
    """An approved post employees can share (from the import file or the chat)."""

    slug: str  # stable id: [a-z0-9-], re-importing updates the post with this slug
    category: str  # one of CATEGORIES
    title: str
    variants: tuple[str, ...]  # one or more wordings of the caption (plain text, no HTML)
    media_path: str = ""  # an image or document shipped with the library (absolute path)
    media_ref: str = ""  # or a file the admin sent in the chat: "<platform>:<file ref>"
    media_kind: str = ""  # "photo" | "document" | ""
    link: str = ""  # optional link to add to the text
    platforms: tuple[str, ...] = PLATFORMS  # where it suits: tg, vk
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    vacancy_slug: str = ""  # a post about a vacancy carries the employee's referral link


@dataclass(frozen=True, slots=True)
class Post(PostDraft):
    id: int = 0
    vacancy_id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Invite:
    id: int
    code: str
    name: str
    team: str
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_by: int | None
    used_at: datetime | None


class RequestStatus(StrEnum):
    NEW = "new"
    TAKEN = "taken"
    FULFILLED = "fulfilled"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class ContentRequest:
    id: int
    user_id: int
    text: str
    status: RequestStatus
    admin_id: int | None
    reason: str
    post_id: int | None
    created_at: datetime
    updated_at: datetime
