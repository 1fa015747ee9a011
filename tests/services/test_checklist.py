from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import open_app
from bot.config import Settings
from bot.domain import Platform
from bot.i18n import Translator
from bot.services.checklist import parse_items
from bot.services.users import Profile


def test_items_come_from_the_locale_data_with_tips_in_every_language() -> None:
    tr = Translator.load()
    items = parse_items(tr("ru", "checklist-items"))
    assert parse_items(tr("en", "checklist-items")) == items
    assert {"avatar", "photos", "manner", "groups", "posts"} <= set(items)
    assert {"privacy", "pause", "own-views"} <= set(items)
    for lang in ("ru", "en"):
        for item in items:
            assert tr.has(lang, f"checklist-item-{item}"), (lang, item)
            assert tr.has(lang, f"checklist-tip-{item}"), (lang, item)
            assert len(tr(lang, f"checklist-item-{item}")) <= 36  # fits a VK button with a mark


@pytest.mark.parametrize("spec", ["", "avatar, avatar", "Avatar", "a b", "x" * 30])
def test_bad_item_lists_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_items(spec)


async def test_toggle_progress_complete_reset_and_restart(settings: Settings) -> None:
    async with open_app(settings) as app:
        user, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 1, "A"))
        other, _ = await app.services.users.touch(Profile(Platform.VK, 1, "B"))
        service = app.services.checklist
        state = await service.state(user.id)
        assert state.done_count == 0 and state.total == len(service.items) and not state.complete
        state = await service.toggle(user.id, "avatar")
        assert state is not None and state.done == {"avatar"}
        state = await service.toggle(user.id, "avatar")
        assert state is not None and state.done == frozenset()
        assert await service.toggle(user.id, "no-such-item") is None
        assert await service.toggle(user.id, "'; DROP TABLE users; --") is None
        for item in service.items:
            state = await service.toggle(user.id, item)
        assert state is not None and state.complete
        assert (await service.state(other.id)).done_count == 0  # per user
    async with open_app(settings) as app:  # a restart keeps the marks
        assert (await app.services.checklist.state(user.id)).complete
        state = await app.services.checklist.reset(user.id)
        assert state.done_count == 0


async def test_marks_of_removed_items_are_not_counted(tmp_path: Path, settings: Settings) -> None:
    async with open_app(settings) as app:
        user, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 1, "A"))
        await app.services.checklist.toggle(user.id, "avatar")
        async with app.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO checklist_marks (user_id, item, done_at) VALUES (?, 'gone', 'x')",
                (user.id,),
            )
        state = await app.services.checklist.state(user.id)
        assert state.done == {"avatar"}
