"""Repository ports the services depend on; `storage/` implements them over SQLite."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from bot.domain import DialogState, Platform, Role, User, UserCounts


class UserRepository(Protocol):
    async def touch(
        self,
        *,
        platform: Platform,
        external_id: int,
        first_name: str,
        last_name: str,
        username: str,
        locale: str,
        is_admin: bool,
        now: datetime,
    ) -> tuple[User, bool]: ...

    async def get(self, user_id: int) -> User | None: ...

    async def find(self, platform: Platform, external_id: int) -> User | None: ...

    async def set_locale(self, user_id: int, locale: str) -> None: ...

    async def set_role(self, user_id: int, role: Role) -> None: ...

    async def set_blocked(self, platform: Platform, external_id: int, blocked: bool) -> None: ...

    async def counts(self, now: datetime) -> UserCounts: ...


class RuntimeState(Protocol):
    """Small named values kept across restarts (for example a long-poll position)."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...


class DialogRepository(Protocol):
    async def get(self, user_id: int) -> DialogState | None: ...

    async def set(self, user_id: int, name: str, data: dict[str, Any], now: datetime) -> None: ...

    async def clear(self, user_id: int) -> None: ...
