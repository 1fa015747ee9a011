"""Domain dataclasses and enums shared by services, handlers and storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    TELEGRAM = "tg"
    VK = "vk"
    WEB = "web"  # the web chat served by the bot itself (bot/web)


class Role(StrEnum):
    CANDIDATE = "candidate"
    EMPLOYEE = "employee"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    platform: Platform
    external_id: int
    locale: str
    role: Role
    first_name: str
    last_name: str
    username: str
    first_seen: datetime
    last_seen: datetime
    is_blocked: bool
    locale_chosen: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_employee(self) -> bool:
        return self.role in (Role.EMPLOYEE, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class DialogState:
    """Where a user is in a multi-step conversation; `data` is JSON-serialisable."""

    user_id: int
    name: str
    data: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UserCounts:
    total: int
    by_platform: dict[str, int]
    by_role: dict[str, int]
    blocked: int
    new_this_week: int
