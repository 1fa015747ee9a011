"""Insights and personal data against the real services and SQLite."""

from __future__ import annotations

import csv
import io
import json
import struct
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot import charts
from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform, User
from bot.domain.advocacy import PostDraft
from bot.domain.vacancies import Vacancy, VacancyDraft
from bot.services.advocacy import referral_source
from bot.services.applications import AnswerInput, classify_text
from bot.services.privacy import TALENT_POOL
from bot.services.users import Profile
from tests.harness import MovableClock

DRAFT = VacancyDraft(
    slug="pastry",
    title="Кондитер «Эклер»",
    project="pastry",
    city="Казань",
    deadline_days=5,
    task_text="Рецепт",
    requirements="-",
    duties="-",
    offer="-",
    contacts="-",
)
CANDIDATE_EXTERNAL = 7_700_123
CANDIDATE_NAME = "Уникальноеимя"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def world(
    settings: Settings, clock: MovableClock
) -> AsyncIterator[tuple[App, Vacancy, User, User, User]]:
    async with open_app(settings, clock=clock) as app:
        vacancy, _ = await app.services.vacancies.save(DRAFT)
        admin, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 900, "HR"))
        employee, _ = await app.services.users.touch(Profile(Platform.VK, 55, "Сотрудник"))
        invite = await app.services.advocacy.create_invite(admin.id, "Ира Сотрудник", "Кафе")
        await app.services.advocacy.redeem(invite.code, employee.id)
        candidate, _ = await app.services.users.touch(
            Profile(Platform.TELEGRAM, CANDIDATE_EXTERNAL, CANDIDATE_NAME, "Фамилиев", "uniq_user")
        )
        yield app, vacancy, admin, employee, candidate


async def apply(app: App, user: User, vacancy: Vacancy, source: str | None, text: str) -> int:
    await app.services.vacancies.view(user.id, vacancy, source)
    application, _ = await app.services.applications.issue(user.id, vacancy)
    await app.services.applications.give_consent(user.id, "согласие")
    await app.services.applications.submit(
        application.id, user.id, AnswerInput(classify_text(text), text=text)
    )
    return application.id


async def test_funnel_sources_and_conversions(world) -> None:
    app, vacancy, admin, employee, candidate = world
    first = await apply(app, candidate, vacancy, referral_source(employee.id), "Мой рецепт")
    others = []
    for index in range(3):
        user, _ = await app.services.users.touch(Profile(Platform.VK, 300 + index, "К"))
        await app.services.vacancies.view(user.id, vacancy, "vk_kazan")
        others.append(user)
    second = await apply(app, others[0], vacancy, None, "ответ")
    await app.services.applications.decide(first, admin.id, True, "")
    await app.services.applications.decide(second, admin.id, False, "")
    (row,) = await app.services.insights.vacancy_funnels()
    assert (row["views"], row["issued"], row["submitted"], row["accepted"]) == (5, 2, 2, 1)
    sources = {row["source"]: row for row in await app.services.insights.sources()}
    assert sources[referral_source(employee.id)]["accepted"] == 1
    # the first touch keeps the credit: the applicant came back directly, still vk_kazan
    assert sources["vk_kazan"]["views"] == 4 and sources["vk_kazan"]["rejected"] == 1
    advocacy = await app.services.insights.advocacy()
    assert advocacy == {"shares": 0, "shares_month": 0, "referred": 1, "employees": 1}


async def test_csv_exports_round_trip_with_non_ascii(world) -> None:
    app, vacancy, _admin, employee, candidate = world
    await apply(
        app, candidate, vacancy, referral_source(employee.id), 'ответ, с запятой и "кавычками"'
    )
    names = await app.services.advocacy.names(await app.services.insights.referrers())
    header = app.translator("ru", "csv-applications-header").split(",")
    data = await app.services.insights.applications_csv(names, header)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == header
    assert rows[1][1] == "Кондитер «Эклер»" and rows[1][5] == "Ира Сотрудник"
    funnel = await app.services.insights.funnel_csv(
        app.translator("en", "csv-funnel-header").split(",")
    )
    rows = list(csv.reader(io.StringIO(funnel.decode("utf-8-sig"))))
    assert rows[1][1] == "Кондитер «Эклер»" and rows[1][3:7] == ["1", "1", "1", "0"]


def test_charts_are_valid_pngs() -> None:
    images = [
        charts.funnel("Воронка", ["Просмотры", "Задания", "Ответы", "Приняты"], [10, 4, 2, 1]),
        charts.funnel("Empty", ["a", "b", "c", "d"], [0, 0, 0, 0]),
        charts.bars("Источники", ["direct", "vk_kazan"], [5, 3], "просмотры"),
        charts.bars("None", [], [], "x"),
        charts.per_day("По дням", ["2026-11-21", "2026-11-22"], [1, 2], [0, 1], ["a", "b"]),
    ]
    for png in images:
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (960, 720)


async def test_export_contains_exactly_the_users_data(world) -> None:
    app, vacancy, admin, _employee, candidate = world
    await apply(app, candidate, vacancy, None, "Мой секретный рецепт")
    await apply(app, admin, vacancy, None, "ответ администратора")
    await app.services.checklist.toggle(candidate.id, "avatar")
    document = json.loads(await app.services.privacy.export_json(candidate.id))
    assert document["profile"][0]["external_id"] == CANDIDATE_EXTERNAL
    assert [a["text"] for a in document["answers"]] == ["Мой секретный рецепт"]
    assert document["checklist"][0]["item"] == "avatar"
    assert document["vacancy_visits"][0]["vacancy"] == DRAFT.title
    assert len(document["consents"]) == 1 and len(document["applications"]) == 1
    assert "ответ администратора" not in json.dumps(document, ensure_ascii=False)
    assert "900" not in json.dumps(document["profile"])


async def _scan(app: App, needles: list[str]) -> list[tuple[str, str]]:
    """Every table and column whose value contains one of the needles."""
    hits = []
    async with app.db.read() as conn:
        async with conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts%'"
        ) as cursor:
            tables = [row[0] for row in await cursor.fetchall()]
        for table in tables:
            async with conn.execute(f"SELECT * FROM {table}") as cursor:
                columns = [d[0] for d in cursor.description]
                for row in await cursor.fetchall():
                    for column, value in zip(columns, row, strict=True):
                        if any(needle in str(value) for needle in needles):
                            hits.append((table, column))
    return hits


async def test_erasure_leaves_no_trace_of_the_user(world) -> None:
    app, vacancy, _admin, _employee, candidate = world
    needles = [str(CANDIDATE_EXTERNAL), CANDIDATE_NAME, "Фамилиев", "uniq_user", "секрет"]
    await apply(app, candidate, vacancy, None, "секретный ответ")
    await app.services.checklist.toggle(candidate.id, "avatar")
    await app.services.vacancies.toggle_subscription(candidate.id, "tag", "кондитер")
    await app.services.dialogs.set(candidate.id, "app.answer", {"application": 1})
    assert await _scan(app, needles)  # the scan does find the data before
    assert await app.services.privacy.erase(candidate.id, "tg")
    assert await _scan(app, needles) == []
    async with app.db.read() as conn, conn.execute("SELECT platform, reason FROM erasures") as cur:
        assert [tuple(r) for r in await cur.fetchall()] == [("tg", "user request")]
    (row,) = await app.services.insights.vacancy_funnels()
    assert row["issued"] == 1  # the anonymous counters stay


async def test_erasing_an_employee_removes_their_id_from_referral_sources(world) -> None:
    app, vacancy, _admin, employee, candidate = world
    source = referral_source(employee.id)
    await apply(app, candidate, vacancy, source, "ответ")
    post = await app.services.advocacy.save_post(
        PostDraft(slug="p", category="culture", title="Пост", variants=("текст поста",))
    )
    await app.services.advocacy.record_share(post, employee.id, "https://vk.com/wall1_2")
    assert await app.services.privacy.erase(employee.id, "vk")
    hits = await _scan(app, [source, "Ира Сотрудник", "Сотрудник", "wall1_2"])
    assert hits == []
    sources = {row["source"] for row in await app.services.insights.sources()}
    assert "ref_erased" in sources


async def test_retention_purges_only_what_is_due(world, clock: MovableClock) -> None:
    app, vacancy, admin, _employee, candidate = world
    keeper, _ = await app.services.users.touch(Profile(Platform.VK, 999, "Резерв"))
    late, _ = await app.services.users.touch(Profile(Platform.VK, 998, "Свежий"))
    decided = await apply(app, candidate, vacancy, None, "старый ответ")
    pooled = await apply(app, keeper, vacancy, None, "ответ из резерва")
    await app.services.applications.give_consent(keeper.id, "резерв", kind=TALENT_POOL)
    await app.services.applications.decide(decided, admin.id, False, "")
    await app.services.applications.decide(pooled, admin.id, False, "")
    pending = await apply(app, late, vacancy, None, "ещё на рассмотрении")
    clock.now += timedelta(days=29)
    assert await app.services.privacy.purge_expired() == 0
    fresh, _ = await app.services.users.touch(Profile(Platform.VK, 997, "Новый"))
    recent = await apply(app, fresh, vacancy, None, "недавний")
    await app.services.applications.decide(recent, admin.id, True, "")
    clock.now += timedelta(days=2)
    assert await app.services.privacy.purge_expired() == 1
    assert await app.services.applications.get(decided) is None
    assert await app.services.applications.get(pooled) is not None  # talent pool
    assert await app.services.applications.get(pending) is not None  # no decision yet
    assert await app.services.applications.get(recent) is not None  # decided 2 days ago
    entries = await app.services.privacy.audit_entries()
    assert entries[0]["action"] == "retention purge" and entries[0]["details"] == "1 purged"


async def test_an_erased_employees_invite_cannot_be_used_again(world) -> None:
    app, _, admin, _, candidate = world
    invite = await app.services.advocacy.create_invite(admin.id, "Лев", "Кухня")
    newcomer, _ = await app.services.users.touch(Profile(Platform.VK, 4242, "Лев"))
    assert await app.services.advocacy.redeem(invite.code, newcomer.id) is None
    document = json.loads(await app.services.privacy.export_json(newcomer.id))
    assert document["invite"] == [
        {"name": "Лев", "team": "Кухня", "used_at": document["invite"][0]["used_at"]}
    ]
    assert await app.services.privacy.erase(newcomer.id, "vk")
    from bot.services.advocacy import InviteProblem

    assert await app.services.advocacy.redeem(invite.code, candidate.id) is InviteProblem.USED
