"""Advocacy rules against the real services and SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform, Role, User
from bot.domain.advocacy import PostDraft, RequestStatus
from bot.domain.interviews import Outcome, SlotDraft, SlotFormat
from bot.domain.vacancies import VacancyDraft
from bot.services.advocacy import (
    DAILY_POINTS_CAP,
    REFERRAL_POINTS_APPLICATION,
    REFERRAL_POINTS_CANDIDATE,
    REFERRAL_POINTS_HIRE,
    SHARE_POINTS,
    InviteProblem,
    normalise_code,
    referral_source,
)
from bot.services.interviews import BookProblem
from bot.services.users import Profile
from tests.harness import MovableClock

POST = PostDraft(
    slug="cold-brew",
    category="expertise",
    title="Колд брю дома",
    variants=("Вариант один про колд брю", "Вариант два про колд брю", "Вариант три"),
)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def world(settings: Settings, clock: MovableClock) -> AsyncIterator[tuple[App, User, User]]:
    async with open_app(settings, clock=clock) as app:
        admin, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 900, "HR"))
        person, _ = await app.services.users.touch(Profile(Platform.VK, 5, "Оля"))
        yield app, admin, person


async def test_an_invite_makes_an_employee_once(world, clock: MovableClock) -> None:
    app, admin, person = world
    advocacy = app.services.advocacy
    invite = await advocacy.create_invite(admin.id, "Оля Кофейная", "Покровка")
    assert normalise_code(invite.code.lower().replace("-", " ")) == invite.code
    assert invite.expires_at == clock.now + timedelta(days=7)
    assert await advocacy.redeem(invite.code.lower(), person.id) is None
    user = await app.services.users.get(person.id)
    assert user is not None and user.role is Role.EMPLOYEE
    other, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 6, "Кто-то"))
    assert await advocacy.redeem(invite.code, other.id) is InviteProblem.USED
    assert await advocacy.redeem("ZZZZ-ZZZZ", other.id) is InviteProblem.UNKNOWN
    assert await advocacy.redeem("not a code", other.id) is InviteProblem.UNKNOWN
    employees, total = await advocacy.employees(0, 10)
    assert total == 1 and employees == [(person.id, "Оля Кофейная", "Покровка")]


async def test_expired_invites_are_refused(world, clock: MovableClock) -> None:
    app, admin, person = world
    invite = await app.services.advocacy.create_invite(admin.id)
    clock.now += timedelta(days=8)
    assert await app.services.advocacy.redeem(invite.code, person.id) is InviteProblem.EXPIRED
    user = await app.services.users.get(person.id)
    assert user is not None and user.role is Role.CANDIDATE


async def test_revoke_turns_an_employee_back_into_a_candidate(world) -> None:
    app, admin, person = world
    invite = await app.services.advocacy.create_invite(admin.id)
    await app.services.advocacy.redeem(invite.code, person.id)
    assert await app.services.advocacy.revoke(person.id)
    assert not await app.services.advocacy.revoke(person.id)
    user = await app.services.users.get(person.id)
    assert user is not None and user.role is Role.CANDIDATE
    assert (await app.services.advocacy.employees(0, 10))[1] == 0


async def test_admins_keep_their_role_when_they_join(world) -> None:
    app, admin, _ = world
    invite = await app.services.advocacy.create_invite(admin.id)
    assert await app.services.advocacy.redeem(invite.code, admin.id) is None
    user = await app.services.users.get(admin.id)
    assert user is not None and user.role is Role.ADMIN


async def test_wordings_rotate_between_colleagues(world) -> None:
    app, *_ = world
    post = await app.services.advocacy.save_post(POST)
    wordings = [await app.services.advocacy.wording(post) for _ in range(4)]
    assert wordings == [POST.variants[0], POST.variants[1], POST.variants[2], POST.variants[0]]


async def test_visibility_by_dates_and_platform(world, clock: MovableClock) -> None:
    app, *_ = world
    advocacy = app.services.advocacy
    await advocacy.save_post(POST)
    await advocacy.save_post(replace(POST, slug="old", valid_until=clock.now - timedelta(days=1)))
    await advocacy.save_post(replace(POST, slug="future", valid_from=clock.now + timedelta(days=1)))
    tg_only = await advocacy.save_post(replace(POST, slug="tg-only", platforms=("tg",)))
    assert (await advocacy.categories("tg"))["expertise"] == 2
    assert (await advocacy.categories("vk"))["expertise"] == 1
    posts, total = await advocacy.posts("expertise", "vk", 0, 10)
    assert total == 1 and posts[0].slug == "cold-brew"
    assert await advocacy.post(tg_only.id, "vk") is None
    assert await advocacy.post(tg_only.id, "tg") is not None
    assert await advocacy.posts("no-such-category", "tg", 0, 10) == ([], 0)


async def test_share_text_has_link_referral_and_hashtag(world) -> None:
    app, *_ = world
    post = await app.services.advocacy.save_post(replace(POST, link="https://example.org/cb"))
    text = app.services.advocacy.share_text(post, post.variants[0], "https://t.me/bot?start=v1")
    assert text.split("\n\n") == [
        post.variants[0],
        "https://example.org/cb",
        "https://t.me/bot?start=v1",
        app.settings.company_hashtag,
    ]


async def test_points_are_capped_per_day(world, clock: MovableClock) -> None:
    app, admin, person = world
    advocacy = app.services.advocacy
    posts = [await advocacy.save_post(replace(POST, slug=f"p{i}")) for i in range(5)]
    awarded = [await advocacy.record_share(post, person.id) for post in posts]
    assert awarded == [1, 1, 1, 0, 0]
    assert await advocacy.record_share(posts[0], admin.id, "javascript:alert(1)") == 1
    clock.now += timedelta(days=1)
    assert await advocacy.record_share(posts[0], person.id) == 1
    assert await advocacy.record_share(posts[0], person.id) == 0  # the same post twice a day
    standing = await advocacy.standing("shares", monthly=False, user_id=admin.id)
    assert standing.rows[0][:2] == (person.id, 4)
    assert standing.own_place == 2 and standing.own_row == (admin.id, 1, 1)
    async with app.db.read() as conn, conn.execute("SELECT link FROM shares") as cursor:
        assert {row[0] for row in await cursor.fetchall()} == {""}  # the bad link was dropped


async def test_referrals_are_credited_to_the_employee(world) -> None:
    app, admin, person = world
    vacancy, _ = await app.services.vacancies.save(
        VacancyDraft(slug="b", title="Бариста", project="coffee", city="Москва", deadline_days=3)
    )
    invite = await app.services.advocacy.create_invite(admin.id)
    await app.services.advocacy.redeem(invite.code, person.id)
    source = referral_source(person.id)
    candidates = [
        (await app.services.users.touch(Profile(Platform.TELEGRAM, 100 + i, "К")))[0]
        for i in range(3)
    ]
    for candidate in candidates:
        assert await app.services.vacancies.view(candidate.id, vacancy, source) == source
    await app.services.applications.issue(candidates[0].id, vacancy)
    # opening one's own referral link credits nobody
    assert await app.services.vacancies.view(person.id, vacancy, source) == "direct"
    assert await app.services.vacancies.add_placement(vacancy.id, source) is None
    standing = await app.services.advocacy.standing("referrals", monthly=True, user_id=person.id)
    # 1 point a candidate, 2 an application: (user, points, candidates, applications, hires)
    assert standing.rows == [(person.id, 5, 3, 1, 0)] and standing.own_place == 1


async def test_a_referred_hire_counts_most(world, clock: MovableClock) -> None:
    app, admin, person = world
    vacancy, _ = await app.services.vacancies.save(
        VacancyDraft(slug="b", title="Бариста", project="coffee", city="Москва", deadline_days=3)
    )
    rival, _ = await app.services.users.touch(Profile(Platform.VK, 6, "Гена"))
    for employee in (person, rival):
        invite = await app.services.advocacy.create_invite(admin.id)
        await app.services.advocacy.redeem(invite.code, employee.id)
    # the rival brings four candidates who apply; the person brings one who is hired
    for number in range(4):
        candidate, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 200 + number))
        await app.services.vacancies.view(candidate.id, vacancy, referral_source(rival.id))
        await app.services.applications.issue(candidate.id, vacancy)
    hired, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 300, "Нина"))
    await app.services.vacancies.view(hired.id, vacancy, referral_source(person.id))
    application, _ = await app.services.applications.issue(hired.id, vacancy)
    direct, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 301, "Ян"))
    direct_application, _ = await app.services.applications.issue(direct.id, vacancy)
    interviews = app.services.interviews
    slot_ids = await interviews.publish(
        [
            SlotDraft(None, clock.now + timedelta(days=1, hours=h), 30, SlotFormat.PHONE, "", "Ия")
            for h in (0, 1)
        ],
        None,
    )
    booked = []
    for app_, slot_id in ((application, slot_ids[0]), (direct_application, slot_ids[1])):
        assert await interviews.invite(app_, None)
        interview = await interviews.book(app_, slot_id)
        assert not isinstance(interview, BookProblem)
        booked.append(interview)

    standing = await app.services.advocacy.standing("referrals", monthly=False, user_id=person.id)
    assert standing.rows == [(rival.id, 12, 4, 4, 0), (person.id, 3, 1, 1, 0)]

    clock.now += timedelta(days=2)
    assert await interviews.set_outcome(booked[0], Outcome.HIRED, "", referral_source(person.id))
    assert await interviews.set_outcome(booked[1], Outcome.HIRED, "", "direct")  # credits nobody
    standing = await app.services.advocacy.standing("referrals", monthly=False, user_id=person.id)
    assert standing.rows == [(person.id, 13, 1, 1, 1), (rival.id, 12, 4, 4, 0)]
    assert standing.own_place == 1
    # the hire is worth more than anything else an employee can do
    assert (
        max(SHARE_POINTS * DAILY_POINTS_CAP, REFERRAL_POINTS_APPLICATION, REFERRAL_POINTS_CANDIDATE)
        < REFERRAL_POINTS_HIRE
    )
    # this month's board counts the hire in the month its outcome was recorded
    monthly = await app.services.advocacy.standing("referrals", monthly=True, user_id=person.id)
    assert monthly.rows[0] == (person.id, 13, 1, 1, 1)
    clock.now += timedelta(days=40)
    monthly = await app.services.advocacy.standing("referrals", monthly=True, user_id=person.id)
    assert monthly.rows == []


async def test_content_request_workflow(world) -> None:
    app, admin, person = world
    advocacy = app.services.advocacy
    assert await advocacy.request_content(person.id, "  ") is None
    assert await advocacy.request_content(person.id, "x" * 2000) is None
    request = await advocacy.request_content(person.id, "Пост про новый десерт для VK к пятнице")
    assert request is not None and request.status is RequestStatus.NEW
    taken = await advocacy.take(request.id, admin.id)
    assert taken is not None and taken.status is RequestStatus.TAKEN
    assert await advocacy.take(request.id, admin.id) is None
    post = await advocacy.save_post(POST)
    done = await advocacy.fulfil(request.id, admin.id, post.id)
    assert done is not None and done.status is RequestStatus.FULFILLED and done.post_id == post.id
    assert await advocacy.decline(request.id, admin.id, "поздно") is None
    other = await advocacy.request_content(person.id, "Ещё один запрос")
    assert other is not None
    declined = await advocacy.decline(other.id, admin.id, "Тема уже есть в библиотеке")
    assert declined is not None and declined.reason == "Тема уже есть в библиотеке"
    assert [r.id for r in await advocacy.my_requests(person.id)] == [other.id, request.id]
