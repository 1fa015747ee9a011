"""Messages to people other than the sender of the current update, on either messenger.

Runtimes register a `Messenger` when they start; files cross platforms by download and upload
(a Telegram candidate's document reaches a VK admin, and the other way round).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from bot.domain import Platform, User
from bot.events import FileKind, Messenger, OutFile
from bot.ui import Screen

log = logging.getLogger(__name__)
MAX_TRANSFER = 20 * 1024 * 1024
LocaleLookup = Callable[[Platform, int], Awaitable[str]]


class Notifier:
    def __init__(
        self,
        hr_chat_id: int | None,
        admins: dict[Platform, Iterable[int]],
        locale_of: LocaleLookup,
    ) -> None:
        self._messengers: dict[Platform, Messenger] = {}
        self._registered = asyncio.Event()
        self._hr_chat_id = hr_chat_id
        self._admins = {platform: tuple(ids) for platform, ids in admins.items()}
        self._locale_of = locale_of

    def add_admin(self, platform: Platform, chat_id: int) -> None:
        """An admin who joined while the bot runs (the web chat's admin link)."""
        if chat_id not in self._admins.get(platform, ()):
            self._admins[platform] = (*self._admins.get(platform, ()), chat_id)

    def register(self, messenger: Messenger) -> None:
        self._messengers[messenger.platform] = messenger
        self._registered.set()

    async def wait_for(self, platforms: Iterable[Platform]) -> None:
        """Wait until each of `platforms` has registered its messenger (its runtime runs)."""
        wanted = set(platforms)
        while not wanted <= self._messengers.keys():
            self._registered.clear()
            await self._registered.wait()

    def messenger(self, platform: Platform) -> Messenger | None:
        return self._messengers.get(platform)

    def deep_link(self, platform: Platform, payload: str) -> str | None:
        messenger = self._messengers.get(platform)
        return messenger.deep_link(payload) if messenger else None

    def hr_targets(self) -> list[tuple[Platform, int]]:
        """Where HR notifications go: HR_CHAT_ID when set, else every admin on both platforms."""
        if self._hr_chat_id is not None:
            return [(Platform.TELEGRAM, self._hr_chat_id)]
        return [
            (platform, admin_id)
            for platform, ids in self._admins.items()
            if platform in self._messengers
            for admin_id in ids
        ]

    async def send(self, user: User, screen: Screen, key: str) -> bool:
        return await self.send_chat(user.platform, user.external_id, screen, key)

    async def send_chat(self, platform: Platform, chat_id: int, screen: Screen, key: str) -> bool:
        messenger = self._messengers.get(platform)
        if messenger is None:
            return False
        try:
            return await messenger.send(chat_id, screen, key)
        except Exception:
            log.exception("could not notify %s:%s", platform, chat_id)
            return False

    async def send_file(
        self, platform: Platform, chat_id: int, file: OutFile, caption: str, key: str
    ) -> bool:
        target = self._messengers.get(platform)
        if target is None:
            return False
        try:
            data: bytes | None = None
            if file.local_path:
                data = await asyncio.to_thread(_read, file.local_path)
            elif file.platform is not platform:
                source = self._messengers.get(file.platform) if file.platform else None
                if source is None:
                    return False
                data = await source.download(file.ref, MAX_TRANSFER)
            return await target.send_file(chat_id, file, data, caption, key)
        except Exception:
            log.exception("could not send a file to %s:%s", platform, chat_id)
            return False

    async def send_bytes(
        self, user: User, name: str, data: bytes, caption: str, key: str, photo: bool = False
    ) -> bool:
        """Send a generated file (an export, a chart) to a user's private chat."""
        target = self._messengers.get(user.platform)
        if target is None:
            return False
        file = OutFile(name=name, kind=FileKind.PHOTO if photo else FileKind.DOCUMENT)
        try:
            return await target.send_file(user.external_id, file, data, caption, key)
        except Exception:
            log.exception("could not send %s to %s:%s", name, user.platform, user.external_id)
            return False

    async def to_hr(
        self, build: Callable[[str], Screen], key: str, file: OutFile | None = None
    ) -> int:
        """Post to HR (see `hr_targets`) in each reader's language, the file first; return how
        many targets got the message."""
        delivered = 0
        for platform, chat_id in self.hr_targets():
            locale = await self._locale_of(platform, chat_id)
            if file is not None:
                await self.send_file(platform, chat_id, file, "", f"{key}:file")
            if await self.send_chat(platform, chat_id, build(locale), key):
                delivered += 1
        return delivered


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_TRANSFER + 1)
