"""Broadcast storage: audience selection, recipients recorded in batches, idempotent results."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import App
from bot.broadcast.model import Audience, Content, DeliveryResult, DeliveryState, Who
from bot.domain import Platform
from storage.broadcasts import SqliteBroadcastRepository
from tests.test_broadcast_kit import admin_id, seed_users

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
BOTH = (Platform.TELEGRAM, Platform.VK)


async def _population(app: App) -> None:
    await admin_id(app)  # tg 900, an admin
    await seed_users(app, Platform.TELEGRAM, [1, 2, 3])  # candidates, ru
    await seed_users(app, Platform.TELEGRAM, [4], locale="en")
    await seed_users(app, Platform.TELEGRAM, [5], blocked=True)
    await seed_users(app, Platform.TELEGRAM, [6], role="employee", tags=["бариста"])
    await seed_users(app, Platform.VK, [101, 102], tags=["бариста"], projects=["coffee"])
    await seed_users(app, Platform.VK, [103], locale="en", projects=["dental"])
    await seed_users(app, Platform.VK, [104], role="employee", blocked=True, tags=["бариста"])


async def test_audience_selection(app: App) -> None:
    await _population(app)
    repo = SqliteBroadcastRepository(app.db)

    async def count(audience: Audience, platforms: tuple[Platform, ...] = BOTH) -> int:
        return await repo.count_audience(audience, platforms)

    assert await count(Audience()) == 9  # everyone but the two who blocked the bot
    assert await count(Audience(Who.CANDIDATES)) == 7
    assert await count(Audience(Who.EMPLOYEES)) == 2  # the employee and the admin
    assert await count(Audience(Who.TAG, "бариста")) == 3
    assert await count(Audience(Who.PROJECT, "coffee")) == 2
    assert await count(Audience(Who.PROJECT, "pastry")) == 0
    assert await count(Audience(platform=Platform.VK)) == 3
    assert await count(Audience(locale="en")) == 2
    assert await count(Audience(Who.CANDIDATES, platform=Platform.TELEGRAM, locale="ru")) == 3
    assert await count(Audience(Who.TAG, "бариста", Platform.TELEGRAM)) == 1
    # a messenger that is not configured is never in the audience
    assert await count(Audience(), (Platform.TELEGRAM,)) == 6
    assert await count(Audience(platform=Platform.VK), (Platform.TELEGRAM,)) == 0
    assert await app.services.broadcasts.audience_size(Audience(Who.TAG, "бариста")) == 3


async def test_recipients_are_recorded_in_steps_exactly_once(app: App) -> None:
    await _population(app)
    await seed_users(app, Platform.VK, range(200, 260))
    repo = SqliteBroadcastRepository(app.db)
    author = await admin_id(app)
    broadcast_id = await repo.create(author, Content("hi"), NOW)
    audience = Audience(Who.CANDIDATES)
    await repo.set_audience(broadcast_id, audience)
    assert await repo.start(broadcast_id, NOW)
    steps = 0
    while not await repo.fill_step(broadcast_id, audience, BOTH, NOW, step=7):
        steps += 1
        if steps == 3:  # as if the process died and the step ran again
            await repo.fill_step(broadcast_id, audience, BOTH, NOW, step=7)
    assert steps >= 9
    assert await repo.fill_step(broadcast_id, audience, BOTH, NOW)  # already filled
    broadcast = await repo.get(broadcast_id)
    assert broadcast is not None and broadcast.filled
    deliveries = await repo.deliveries(broadcast_id)
    chats = sorted(chat for _, _, chat, *_ in deliveries)
    assert chats == sorted([1, 2, 3, 4, 101, 102, 103, *range(200, 260)])
    assert broadcast.counts.total == len(chats) == 67
    assert {state for *_, state, _, _ in deliveries} == {"pending"}


async def test_batches_and_results_are_idempotent(app: App) -> None:
    await seed_users(app, Platform.VK, range(1, 251))
    ids = await seed_users(app, Platform.TELEGRAM, [7])
    repo = SqliteBroadcastRepository(app.db)
    broadcast_id = await repo.create(await admin_id(app), Content("hi"), NOW)
    assert await repo.start(broadcast_id, NOW)
    while not await repo.fill_step(broadcast_id, Audience(Who.CANDIDATES), BOTH, NOW):
        pass
    first = await repo.claim_batch(broadcast_id, Platform.VK, 100)
    assert len(first) == 100 and {r.batch for r in first} == {first[0].delivery_id}
    second = await repo.claim_batch(broadcast_id, Platform.VK, 100)
    assert second[0].delivery_id > first[-1].delivery_id
    reopened = await repo.open_batches(broadcast_id, Platform.VK, 1000)
    assert [r.delivery_id for r in reopened] == [r.delivery_id for r in first + second]
    results = [DeliveryResult(r.delivery_id, r.user_id, DeliveryState.SENT, 1) for r in first]
    await repo.record(broadcast_id, results, NOW)
    await repo.record(broadcast_id, results, NOW)  # a repeat changes nothing
    (tg,) = await repo.pending(broadcast_id, Platform.TELEGRAM, 0, 10)
    await repo.record(
        broadcast_id, [DeliveryResult(tg.delivery_id, ids[0], DeliveryState.BLOCKED, 1)], NOW
    )
    broadcast = await repo.get(broadcast_id)
    assert broadcast is not None
    assert (broadcast.counts.sent, broadcast.counts.blocked, broadcast.counts.pending) == (
        100,
        1,
        150,
    )
    blocked = await app.services.users.find(Platform.TELEGRAM, 7)
    assert blocked is not None and blocked.is_blocked
    assert len(await repo.open_batches(broadcast_id, Platform.VK, 1000)) == 100
