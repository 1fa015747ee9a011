"""What the hot path reads on every update, kept in memory: users recently seen and their
dialog states, so a tap on a button needs no read of either, and no write unless something
changed (see `SqliteUserRepository.touch`).

The cache lives with the database connection (one process owns the database). Every write to
the `users` or `dialog_states` tables goes through a repository that updates or forgets the
entry after it commits; a read that raced with such a write puts nothing back (the generation
counter moved on). Memory is bounded: the least recently used entries are dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from bot.domain import Platform, User

DialogRow = tuple[str, str, str]  # name, data as JSON, updated_at
_NO_STATE: DialogRow = ("", "", "")


class HotCache:
    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self.generation = 0
        self._users: OrderedDict[int, User] = OrderedDict()
        self._by_external: dict[tuple[Platform, int], int] = {}
        self._dialogs: OrderedDict[int, DialogRow] = OrderedDict()

    # users ----------------------------------------------------------------------------------

    def user(self, platform: Platform, external_id: int) -> User | None:
        user_id = self._by_external.get((platform, external_id))
        return self.user_by_id(user_id) if user_id is not None else None

    def user_by_id(self, user_id: int) -> User | None:
        user = self._users.get(user_id)
        if user is not None:
            self._users.move_to_end(user_id)
        return user

    def put_user(self, user: User, generation: int) -> None:
        """Remember `user` as read when the cache was at `generation`."""
        if generation != self.generation:
            return  # a write happened meanwhile: what was read may be out of date
        self._users[user.id] = user
        self._users.move_to_end(user.id)
        self._by_external[(user.platform, user.external_id)] = user.id
        while len(self._users) > self.size:
            old_id, old = self._users.popitem(last=False)
            self._by_external.pop((old.platform, old.external_id), None)
            self._dialogs.pop(old_id, None)

    def forget_user(self, user_id: int) -> None:
        self.generation += 1
        user = self._users.pop(user_id, None)
        if user is not None:
            self._by_external.pop((user.platform, user.external_id), None)
        self._dialogs.pop(user_id, None)

    def forget_external(self, platform: Platform, external_ids: Iterable[int]) -> None:
        for external_id in external_ids:
            user_id = self._by_external.get((platform, external_id))
            if user_id is not None:
                self.forget_user(user_id)
        self.generation += 1

    # dialog states --------------------------------------------------------------------------

    def dialog(self, user_id: int) -> tuple[bool, DialogRow | None]:
        """(known, row): row None means the user is in no dialog."""
        row = self._dialogs.get(user_id)
        if row is None:
            return False, None
        self._dialogs.move_to_end(user_id)
        return True, (None if row is _NO_STATE else row)

    def put_dialog(self, user_id: int, row: DialogRow | None, generation: int) -> None:
        if generation != self.generation:
            return
        self._dialogs[user_id] = row if row is not None else _NO_STATE
        self._dialogs.move_to_end(user_id)
        while len(self._dialogs) > self.size:
            self._dialogs.popitem(last=False)

    def forget_dialog(self, user_id: int) -> None:
        self.generation += 1
        self._dialogs.pop(user_id, None)
