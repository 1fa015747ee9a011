"""The profile-hygiene checklist: which items exist (from the locale data) and each user's marks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.services.clock import Clock, utcnow

_ITEM_RE = re.compile(r"^[a-z][a-z0-9-]{0,23}$")


class ChecklistRepository(Protocol):
    async def done(self, user_id: int) -> set[str]: ...

    async def set(self, user_id: int, item: str, done: bool, now: datetime) -> None: ...

    async def reset(self, user_id: int) -> None: ...


@dataclass(frozen=True, slots=True)
class ChecklistState:
    items: tuple[str, ...]
    done: frozenset[str]

    @property
    def done_count(self) -> int:
        return len(self.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == self.total


def parse_items(spec: str) -> tuple[str, ...]:
    """`avatar, photos, ...` -> item ids; rejects malformed or repeated ids."""
    items = tuple(part.strip() for part in spec.replace("\n", ",").split(",") if part.strip())
    if not items:
        raise ValueError("the checklist has no items")
    for item in items:
        if not _ITEM_RE.match(item):
            raise ValueError(f"bad checklist item id {item!r}")
    if len(set(items)) != len(items):
        raise ValueError("checklist item ids repeat")
    return items


class ChecklistService:
    def __init__(
        self, repo: ChecklistRepository, items: Sequence[str], clock: Clock = utcnow
    ) -> None:
        self._repo = repo
        self.items = tuple(items)
        self._clock = clock

    def knows(self, item: str) -> bool:
        return item in self.items

    async def state(self, user_id: int) -> ChecklistState:
        done = await self._repo.done(user_id)
        return ChecklistState(self.items, frozenset(done & set(self.items)))

    async def mark(
        self, user_id: int, item: str, done: bool, *, before: ChecklistState | None = None
    ) -> ChecklistState | None:
        """Set an item done or not; None when the item id is unknown (stale or forged).
        Buttons carry the state they set, so a replayed press changes (and writes) nothing.
        `before`: the user's state as just read, to spare reading it again."""
        if not self.knows(item):
            return None
        state = before if before is not None else await self.state(user_id)
        if (item in state.done) == done:
            return state
        await self._repo.set(user_id, item, done, self._clock())
        marks = state.done | {item} if done else state.done - {item}
        return ChecklistState(self.items, frozenset(marks))

    async def toggle(
        self, user_id: int, item: str, *, before: ChecklistState | None = None
    ) -> ChecklistState | None:
        state = before if before is not None else await self.state(user_id)
        return await self.mark(user_id, item, item not in state.done, before=state)

    async def reset(self, user_id: int) -> ChecklistState:
        await self._repo.reset(user_id)
        return await self.state(user_id)
