"""The rules of test-task applications, against the real services and SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.app import App, open_app
from bot.config import Settings
from bot.domain import Platform, User
from bot.domain.vacancies import AnswerKind, ApplicationStatus, Vacancy, VacancyDraft, VacancyStatus
from bot.services.applications import (
    MAX_FILE_BYTES,
    AnswerInput,
    FileProblem,
    SubmitProblem,
    check_document,
    classify_text,
)
from bot.services.users import Profile
from tests.harness import MovableClock

DRAFT = VacancyDraft(
    slug="barista-test",
    title="Бариста",
    project="coffee",
    city="Казань",
    employment="5/2",
    requirements="Любовь к кофе",
    duties="Варить кофе",
    offer="Кофе бесплатно",
    contacts="hr@example.com",
    hashtags=("вакансия", "бариста"),
    task_text="Опишите идеальный капучино",
    deadline_days=3,
)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def world(
    settings: Settings, clock: MovableClock
) -> AsyncIterator[tuple[App, Vacancy, User, User]]:
    async with open_app(settings, clock=clock) as app:
        vacancy, newly = await app.services.vacancies.save(DRAFT)
        assert newly
        candidate, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 1, "Анна"))
        admin, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, 900, "HR"))
        yield app, vacancy, candidate, admin


def text(value: str) -> AnswerInput:
    return AnswerInput(classify_text(value), text=value)


async def test_the_clock_starts_once_and_never_restarts(world, clock: MovableClock) -> None:
    app, vacancy, candidate, _ = world
    first, created = await app.services.applications.issue(candidate.id, vacancy)
    assert created and first.status is ApplicationStatus.ISSUED
    assert first.deadline_at == clock.now + timedelta(days=3)
    clock.now += timedelta(days=1)
    again, created = await app.services.applications.issue(candidate.id, vacancy)
    assert not created and again.id == first.id and again.deadline_at == first.deadline_at


async def test_answers_replace_until_review_keep_history_and_mark_late(
    world, clock: MovableClock
) -> None:
    app, vacancy, candidate, admin = world
    service = app.services.applications
    application, _ = await service.issue(candidate.id, vacancy)
    first = await service.submit(application.id, candidate.id, text("https://disk.example/x"))
    assert not isinstance(first, SubmitProblem)
    assert first.status is ApplicationStatus.SUBMITTED and not first.late
    assert first.answers[-1].kind is AnswerKind.LINK
    clock.now += timedelta(days=4)  # past the deadline
    second = await service.submit(application.id, candidate.id, text("Новая версия"))
    assert not isinstance(second, SubmitProblem)
    assert second.late and second.answers[-1].late and not second.answers[0].late
    assert [a.kind for a in second.answers] == [AnswerKind.LINK, AnswerKind.TEXT]  # history
    decided, now = await service.decide(application.id, admin.id, True, "Отлично")
    assert now and decided is not None and decided.status is ApplicationStatus.ACCEPTED
    refused = await service.submit(application.id, candidate.id, text("Ещё одна"))
    assert refused is SubmitProblem.DECIDED
    stored = await service.get(application.id)
    assert stored is not None and len(stored.answers) == 2


async def test_another_users_application_is_refused(world) -> None:
    app, vacancy, candidate, admin = world
    application, _ = await app.services.applications.issue(candidate.id, vacancy)
    assert await app.services.applications.get_own(application.id, admin.id) is None
    result = await app.services.applications.submit(application.id, admin.id, text("чужой"))
    assert result is SubmitProblem.NOT_YOURS
    assert await app.services.applications.request_extension(application.id, admin.id) is None
    assert (await app.services.applications.get(application.id)).answers == ()  # type: ignore[union-attr]


async def test_empty_and_huge_texts_are_refused(world) -> None:
    app, vacancy, candidate, _ = world
    application, _ = await app.services.applications.issue(candidate.id, vacancy)
    assert (
        await app.services.applications.submit(application.id, candidate.id, text("  "))
        is SubmitProblem.EMPTY
    )
    huge = await app.services.applications.submit(application.id, candidate.id, text("я" * 5000))
    assert huge is SubmitProblem.TOO_LONG


@pytest.mark.parametrize(
    ("name", "mime", "size", "problem"),
    [
        ("answer.pdf", "application/pdf", 1000, None),
        ("Ответ.DOCX", "", 5 * 1024 * 1024, None),
        ("deck.pptx", "application/octet-stream", MAX_FILE_BYTES, None),
        ("photo.jpg", "image/jpeg", 10, None),
        ("src.zip", "application/zip", 10, None),
        ("big.pdf", "application/pdf", MAX_FILE_BYTES + 1, FileProblem.TOO_BIG),
        ("virus.exe", "application/x-msdownload", 10, FileProblem.BAD_TYPE),
        ("script.sh", "text/x-sh", 10, FileProblem.BAD_TYPE),
        ("no-extension", "application/pdf", 10, FileProblem.BAD_TYPE),
        ("clip.mp4.pdf", "video/mp4", 10, FileProblem.BAD_TYPE),
    ],
)
def test_file_allow_list(name: str, mime: str, size: int, problem: FileProblem | None) -> None:
    assert check_document(name, mime, size) is problem


async def test_consent_is_stored_with_time_user_and_text_version(
    world, clock: MovableClock
) -> None:
    app, _, candidate, _ = world
    assert not await app.services.applications.has_consent(candidate.id)
    await app.services.applications.give_consent(candidate.id, "текст согласия v1")
    assert await app.services.applications.has_consent(candidate.id)
    async with (
        app.db.read() as conn,
        conn.execute("SELECT user_id, version, text_sha256, accepted_at FROM consents") as cursor,
    ):
        rows = await cursor.fetchall()
    assert len(rows) == 1
    user_id, version, sha, accepted_at = rows[0]
    assert user_id == candidate.id and version and len(sha) == 64
    assert accepted_at == clock.now.isoformat()


async def test_only_the_first_decision_counts(world, settings: Settings) -> None:
    app, vacancy, candidate, admin = world
    other, _ = await app.services.users.touch(Profile(Platform.VK, 9000, "HR2"))
    application, _ = await app.services.applications.issue(candidate.id, vacancy)
    _, decided = await app.services.applications.decide(application.id, admin.id, True, "")
    assert not decided  # nothing submitted yet
    await app.services.applications.submit(application.id, candidate.id, text("ответ"))
    _, decided = await app.services.applications.decide(application.id, admin.id, False, "Нет")
    assert decided
    second, decided = await app.services.applications.decide(application.id, other.id, True, "Да")
    assert not decided and second is not None
    assert second.status is ApplicationStatus.REJECTED
    assert second.reviewer_id == admin.id and second.comment == "Нет"


async def test_extension_request_grant_and_refuse(world, clock: MovableClock) -> None:
    app, vacancy, candidate, _ = world
    service = app.services.applications
    application, _ = await service.issue(candidate.id, vacancy)
    requested = await service.request_extension(application.id, candidate.id)
    assert requested is not None and requested.extension == "requested"
    assert await service.request_extension(application.id, candidate.id) is None  # once
    clock.now += timedelta(days=5)  # already past the deadline
    granted = await service.answer_extension(application.id, True)
    assert granted is not None and granted.extension == "granted"
    assert granted.deadline_at == clock.now + timedelta(days=3)
    assert await service.answer_extension(application.id, False) is None  # already handled
    # a submission now is on time again
    result = await service.submit(application.id, candidate.id, text("успел"))
    assert not isinstance(result, SubmitProblem) and not result.late


async def test_reminders_are_due_a_day_before_and_claimed_once(world, clock: MovableClock) -> None:
    app, vacancy, candidate, _ = world
    service = app.services.applications
    application, _ = await service.issue(candidate.id, vacancy)
    assert await service.due_reminders() == []
    clock.now += timedelta(days=2, hours=1)  # less than a day left
    due = await service.due_reminders()
    assert [a.id for a in due] == [application.id]
    assert await service.claim_reminder(application.id)
    assert not await service.claim_reminder(application.id)
    assert await service.due_reminders() == []


async def test_no_reminder_after_a_submission(world, clock: MovableClock) -> None:
    app, vacancy, candidate, _ = world
    application, _ = await app.services.applications.issue(candidate.id, vacancy)
    await app.services.applications.submit(application.id, candidate.id, text("готово"))
    clock.now += timedelta(days=2, hours=12)
    assert await app.services.applications.due_reminders() == []


async def test_first_touch_keeps_the_credit_and_the_funnel_counts(world) -> None:
    app, vacancy, candidate, admin = world
    vacancies, applications = app.services.vacancies, app.services.applications
    assert await vacancies.view(candidate.id, vacancy, "kazan_jobs") == "kazan_jobs"
    assert await vacancies.view(candidate.id, vacancy, "hh") == "kazan_jobs"  # first touch wins
    assert await vacancies.view(candidate.id, vacancy, None) == "kazan_jobs"
    assert await vacancies.view(admin.id, vacancy, "bad source!") == "direct"
    application, _ = await applications.issue(candidate.id, vacancy)
    assert application.source == "kazan_jobs"
    await applications.submit(application.id, candidate.id, text("раз"))
    await applications.submit(application.id, candidate.id, text("два"))  # a replacement
    await applications.decide(application.id, admin.id, True, "")
    funnel = await vacancies.funnel(vacancy.id)
    assert funnel["kazan_jobs"] == {"views": 3, "issued": 1, "submitted": 1, "accepted": 1}
    assert funnel["direct"] == {"views": 1}


async def test_placements_resolve_to_vacancy_and_source(world) -> None:
    app, vacancy, *_ = world
    placement = await app.services.vacancies.add_placement(vacancy.id, "vk_kazan_jobs")
    assert placement is not None
    assert await app.services.vacancies.add_placement(vacancy.id, "vk_kazan_jobs") == placement
    assert await app.services.vacancies.placement(placement) == (vacancy.id, "vk_kazan_jobs")
    assert await app.services.vacancies.add_placement(vacancy.id, "no spaces please") is None


async def test_subscribers_are_queued_once_when_a_vacancy_is_published(world) -> None:
    app, _, candidate, admin = world
    vacancies = app.services.vacancies
    assert await vacancies.toggle_subscription(candidate.id, "project", "coffee")
    assert await vacancies.toggle_subscription(candidate.id, "tag", "бариста")
    assert await vacancies.toggle_subscription(admin.id, "tag", "кондитер")
    draft = replace(DRAFT, slug="barista-2", status=VacancyStatus.DRAFT)
    second, newly = await vacancies.save(draft)
    assert not newly and await vacancies.pending_notices() == []
    await vacancies.set_status(second.id, VacancyStatus.OPEN)  # published now
    assert await vacancies.pending_notices() == [(second.id, candidate.id)]  # once, not twice
    assert await vacancies.claim_notice(second.id, candidate.id)
    assert not await vacancies.claim_notice(second.id, candidate.id)
    await vacancies.set_status(second.id, VacancyStatus.CLOSED)
    await vacancies.set_status(second.id, VacancyStatus.OPEN)  # re-opening does not notify again
    await vacancies.save(replace(draft, status=VacancyStatus.OPEN))  # nor does re-importing
    assert await vacancies.pending_notices() == []


async def test_listing_filters_search_and_paging(world) -> None:
    app, *_ = world
    from bot.domain.vacancies import VacancyFilters

    vacancies = app.services.vacancies
    for index, (project, city, remote) in enumerate(
        [("pastry", "Москва", False), ("dental", "", True), ("coffee", "Москва", True)]
    ):
        await vacancies.save(
            replace(
                DRAFT,
                slug=f"v-{index}",
                title=f"Вакансия {index} кондитер" if project == "pastry" else f"Вакансия {index}",
                project=project,
                city=city,
                remote=remote,
                hashtags=("вакансия", project),
            )
        )
    await vacancies.save(replace(DRAFT, slug="hidden", status=VacancyStatus.DRAFT))
    everything, total = await vacancies.listing(VacancyFilters(), 0, 2)
    assert total == 4 and len(everything) == 2
    page2, _ = await vacancies.listing(VacancyFilters(), 1, 2)
    assert {v.id for v in everything}.isdisjoint({v.id for v in page2}) and len(page2) == 2
    assert (await vacancies.listing(VacancyFilters(project="dental"), 0, 5))[1] == 1
    assert (await vacancies.listing(VacancyFilters(city="Москва"), 0, 5))[1] == 2
    assert (await vacancies.listing(VacancyFilters(remote=True), 0, 5))[1] == 2
    assert (await vacancies.listing(VacancyFilters(tag="pastry"), 0, 5))[1] == 1
    found, count = await vacancies.listing(VacancyFilters(query="КОНДИТ"), 0, 5)
    assert count == 1 and "кондитер" in found[0].title
    assert (await vacancies.listing(VacancyFilters(query='"; DROP TABLE --'), 0, 5))[1] == 0
    assert await vacancies.cities() == ["Казань", "Москва"]
