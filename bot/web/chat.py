"""Each visitor's conversation: stored first (so a reload or a return visit shows it, and a
broadcast waits in the chat of a visitor who is away), then pushed to the visitor's open pages."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from bot.services.clock import Clock
from bot.web.render import message
from storage.web import SqliteWebRepository

log = logging.getLogger(__name__)
HISTORY = 200  # messages shown when a page opens


class Connection(Protocol):
    """An open page (aiohttp's WebSocketResponse)."""

    async def send_str(self, data: str, compress: int | None = None) -> None: ...


class WebChat:
    def __init__(self, repo: SqliteWebRepository, clock: Clock) -> None:
        self.repo = repo
        self._clock = clock
        self._pages: dict[int, set[Connection]] = {}
        self._transient = 0  # ids of messages shown but not stored count down from -1

    # --- open pages ----------------------------------------------------------------------------
    def attach(self, visitor_id: int, page: Connection) -> None:
        self._pages.setdefault(visitor_id, set()).add(page)

    def detach(self, visitor_id: int, page: Connection) -> None:
        pages = self._pages.get(visitor_id)
        if pages is not None:
            pages.discard(page)
            if not pages:
                del self._pages[visitor_id]

    @property
    def open_pages(self) -> int:
        return sum(len(pages) for pages in self._pages.values())

    async def push(self, visitor_id: int, frame: dict[str, Any]) -> None:
        pages = self._pages.get(visitor_id)
        if not pages:
            return
        data = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
        for page in list(pages):
            try:
                await page.send_str(data)
            except (ConnectionError, RuntimeError) as error:  # the page went away meanwhile
                log.debug("web: a page of visitor %s is gone (%s)", visitor_id, error)
                self.detach(visitor_id, page)

    # --- messages ------------------------------------------------------------------------------
    async def post(
        self, visitor_id: int, sender: str, body: dict[str, Any], key: str | None = None
    ) -> bool:
        """Store a message and show it on the visitor's open pages; False when the visitor has
        never talked to the bot. A key already stored (a resend) counts as posted."""
        return (await self.post_many([(visitor_id, sender, body, key)]))[0]

    async def post_id(self, visitor_id: int, body: dict[str, Any]) -> int | None:
        """Post a bot message and return its id (to edit it later)."""
        now = self._clock()
        (message_id,) = await self.repo.add_messages([(visitor_id, "bot", body, None)], now)
        if message_id is not None:
            frame = message(message_id, "bot", body, _stamp(now.isoformat()))
            await self.push(visitor_id, {"t": "message", "message": frame})
        return message_id

    async def post_many(
        self, items: Sequence[tuple[int, str, dict[str, Any], str | None]]
    ) -> list[bool]:
        now = self._clock()
        ids = await self.repo.add_messages(items, now)
        at = _stamp(now.isoformat())
        posted = []
        for (visitor_id, sender, body, key), message_id in zip(items, ids, strict=True):
            if message_id is None:
                known = self.repo.user_id(visitor_id) is not None
                posted.append(key is not None and known)
                if not known:  # erased just now: the confirmation is shown, not kept
                    self._transient -= 1
                    frame = message(self._transient, sender, body, at)
                    await self.push(visitor_id, {"t": "message", "message": frame})
                continue
            posted.append(True)
            await self.push(
                visitor_id, {"t": "message", "message": message(message_id, sender, body, at)}
            )
        return posted

    async def edit(self, visitor_id: int, message_id: int, body: dict[str, Any]) -> bool:
        """Change a bot message of this visitor in place; False when it is not theirs."""
        at = await self.repo.edit_message(visitor_id, message_id, body)
        if at is None:
            return False
        await self.push(
            visitor_id, {"t": "edit", "message": message(message_id, "bot", body, _stamp(at))}
        )
        return True

    def history(self, visitor_id: int) -> list[dict[str, Any]]:
        return [
            message(m.id, m.sender, m.body, _stamp(m.created_at))
            for m in self.repo.history(visitor_id, HISTORY)
        ]


def _stamp(iso: str) -> str:
    """ISO time as the page reads it (UTC with Z)."""
    return iso.replace("+00:00", "Z")
