"""Who a user is: registration on first contact, locale, role and the blocked flag."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.domain import Platform, User, UserCounts
from bot.services.clock import Clock, utcnow
from bot.services.ports import UserRepository

MAX_NAME = 128


@dataclass(frozen=True, slots=True)
class Profile:
    """What a messenger tells us about the person behind an update."""

    platform: Platform
    external_id: int
    first_name: str = ""
    last_name: str = ""
    username: str = ""
    language_code: str | None = None


class UserService:
    def __init__(
        self,
        repo: UserRepository,
        *,
        admins: dict[Platform, Collection[int]],
        locales: Collection[str],
        default_locale: str,
        clock: Clock = utcnow,
    ) -> None:
        self._repo = repo
        self._admins = {platform: frozenset(ids) for platform, ids in admins.items()}
        self._locales = frozenset(locales)
        self._default_locale = default_locale
        self._clock = clock

    def grant_admin(self, platform: Platform, external_id: int) -> None:
        """Make an account an admin from now on (a web visitor who opened the admin link)."""
        self._admins[platform] = self._admins.get(platform, frozenset()) | {external_id}

    def is_admin(self, platform: Platform, external_id: int) -> bool:
        return external_id in self._admins.get(platform, frozenset())

    def locale_for(self, language_code: str | None) -> str:
        if language_code:
            base = language_code.replace("_", "-").split("-")[0].lower()
            if base in self._locales:
                return base
        return self._default_locale

    async def touch(self, profile: Profile) -> tuple[User, bool]:
        """Register or refresh the user behind an update; return (user, is_new)."""
        return await self._repo.touch(
            platform=profile.platform,
            external_id=profile.external_id,
            first_name=profile.first_name[:MAX_NAME],
            last_name=profile.last_name[:MAX_NAME],
            username=profile.username[:MAX_NAME],
            locale=self.locale_for(profile.language_code),
            is_admin=self.is_admin(profile.platform, profile.external_id),
            now=self._clock(),
        )

    async def set_locale(self, user: User, locale: str) -> bool:
        if locale not in self._locales:
            return False
        await self._repo.set_locale(user.id, locale)
        return True

    async def mark_blocked(self, platform: Platform, external_id: int) -> None:
        await self._repo.set_blocked(platform, external_id, True)

    async def set_blocked(self, platform: Platform, external_id: int, blocked: bool) -> None:
        """The person blocked the bot (or allowed it again), as the messenger reported."""
        await self._repo.set_blocked(platform, external_id, blocked)

    async def get(self, user_id: int) -> User | None:
        return await self._repo.get(user_id)

    async def find(self, platform: Platform, external_id: int) -> User | None:
        return await self._repo.find(platform, external_id)

    async def counts(self) -> UserCounts:
        return await self._repo.counts(self._clock())
