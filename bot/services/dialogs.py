"""Dialog states for multi-step conversations, stored so a restart never strands a user."""

from __future__ import annotations

from typing import Any

from bot.domain import DialogState
from bot.services.clock import Clock, utcnow
from bot.services.ports import DialogRepository


class DialogService:
    def __init__(self, repo: DialogRepository, clock: Clock = utcnow) -> None:
        self._repo = repo
        self._clock = clock

    async def get(self, user_id: int) -> DialogState | None:
        return await self._repo.get(user_id)

    async def set(self, user_id: int, name: str, data: dict[str, Any] | None = None) -> None:
        await self._repo.set(user_id, name, data or {}, self._clock())

    async def clear(self, user_id: int) -> None:
        await self._repo.clear(user_id)
