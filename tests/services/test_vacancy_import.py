from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.vacancies import PROJECTS, VacancyDraft, VacancyStatus
from bot.services.import_file import ImportProblem
from bot.services.vacancy_import import (
    VacancyImportError,
    load_vacancies,
    normalize_hashtag,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "vacancies.toml"

GOOD_VACANCY = """
[[vacancy]]
slug = "barista"
title = "Бариста"
project = "coffee"
city = "Москва"
employment = "Трудовой договор, 2/2"
requirements = "Любите кофе"
duties = "Варить кофе"
offer = "Ставка и чаевые"
contacts = "vk.com/example_hr"
hashtags = {hashtags}

[vacancy.test_task]
text = "Опишите капучино"
deadline_days = 2
"""


def _write(tmp_path: Path, text: str, name: str = "vacancies.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[ImportProblem]:
    with pytest.raises(VacancyImportError) as caught:
        load_vacancies(path)
    problems = caught.value.problems
    assert problems
    assert str(caught.value) == "\n".join(str(problem) for problem in problems)
    return problems


def test_the_examples_file_loads() -> None:
    drafts = load_vacancies(EXAMPLES)
    assert len(drafts) >= 8
    assert all(isinstance(draft, VacancyDraft) for draft in drafts)
    assert {draft.project for draft in drafts} == set(PROJECTS)
    assert len({draft.slug for draft in drafts}) == len(drafts)

    statuses = [draft.status for draft in drafts]
    assert statuses.count(VacancyStatus.DRAFT) >= 1
    assert statuses.count(VacancyStatus.CLOSED) >= 1
    assert statuses.count(VacancyStatus.OPEN) >= 6

    marketer = next(draft for draft in drafts if draft.slug == "online-marketer")
    assert marketer.remote and marketer.city == "Москва"
    assert {"вакансия", "маркетолог"} <= set(marketer.hashtags)
    assert "100 000" in marketer.offer
    assert "ИП" in marketer.not_fit and "самозанят" in marketer.not_fit
    assert marketer.task_file and marketer.status is VacancyStatus.OPEN

    with_files = [draft for draft in drafts if draft.task_file]
    assert len(with_files) >= 2
    for draft in with_files:
        path = Path(draft.task_file)
        assert path.is_absolute() and path.is_file(), draft.slug
        assert draft.task_file_name == path.name
        assert path.parent == EXAMPLES.parent / "files"

    for draft in drafts:
        assert draft.city or draft.remote, draft.slug
        assert draft.task_text or draft.task_file, draft.slug
        assert 1 <= draft.deadline_days <= 10, draft.slug
        assert draft.title and draft.requirements and draft.duties and draft.offer, draft.slug
        assert draft.employment and draft.contacts, draft.slug
        assert all(tag == tag.lower() and not tag.startswith("#") for tag in draft.hashtags)
        for text in (draft.requirements, draft.duties, draft.offer, draft.task_text):
            assert text == text.strip()


def test_reloading_gives_equal_drafts_in_file_order() -> None:
    first = load_vacancies(EXAMPLES)
    assert load_vacancies(EXAMPLES) == first
    text = EXAMPLES.read_text(encoding="utf-8")
    slugs = [line.split('"')[1] for line in text.splitlines() if line.startswith("slug = ")]
    assert [draft.slug for draft in first] == slugs


def test_a_relative_path_works_and_task_files_resolve_against_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "task.md").write_text("# Задание\n", encoding="utf-8")
    text = GOOD_VACANCY.format(hashtags="[]").replace(
        'text = "Опишите капучино"', 'file = "files/task.md"'
    )
    _write(tmp_path, text)
    monkeypatch.chdir(tmp_path.parent)
    [draft] = load_vacancies(Path(tmp_path.name) / "vacancies.toml")
    assert draft.task_file == str((tmp_path / "files" / "task.md").resolve())
    assert draft.task_file_name == "task.md"
    assert draft.task_text == ""
    assert draft.status is VacancyStatus.OPEN and draft.remote is False


BAD_FILE = """
[[vacancy]]
slug = "cook"
project = "bakery"
titel = "Повар"
city = "Казань"
employment = "Трудовой договор"
requirements = "Опыт"
duties = "Готовить"
offer = "Зарплата"
contacts = "vk.com/example_hr"
hashtags = ["вакансия", "#повар!"]

[vacancy.test_task]
text = "Придумайте обед"
deadline_days = 0

[[vacancy]]
slug = "cook"
title = "Второй повар"
project = "veggie"
employment = "Трудовой договор"
requirements = "Опыт"
duties = "Готовить"
offer = "Зарплата"
contacts = "vk.com/example_hr"

[vacancy.test_task]
file = "files/missing.pdf"
deadline_days = 3
"""


def test_a_bad_file_is_rejected_with_every_problem(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, BAD_FILE))
    found = {(problem.vacancy, problem.field) for problem in problems}
    assert found == {
        ("cook", "title"),  # missing
        ("cook", "project"),  # unknown project
        ("cook", "titel"),  # unknown key
        ("cook", "hashtags"),  # bad hashtag
        ("cook", "test_task.deadline_days"),  # 0
        ("#2", "slug"),  # duplicate
        ("#2", "city"),  # no city and not remote
        ("#2", "test_task.file"),  # missing file
    }
    by_field = {(problem.vacancy, problem.field): problem.message for problem in problems}
    assert by_field["cook", "title"] == "is required"
    assert "bakery" in by_field["cook", "project"] and "veggie" in by_field["cook", "project"]
    assert "did you mean 'title'" in by_field["cook", "titel"]
    assert "#повар!" in by_field["cook", "hashtags"]
    assert "#1" in by_field["#2", "slug"]
    assert "remote" in by_field["#2", "city"]
    assert "missing.pdf" in by_field["#2", "test_task.file"]
    assert by_field["cook", "test_task.deadline_days"] == "must be a whole number from 1 to 60"

    lines = str(VacancyImportError(problems)).splitlines()
    assert "cook: test_task.deadline_days: must be a whole number from 1 to 60" in lines
    assert len(lines) == len(problems)
    assert [p.vacancy for p in problems] == ["cook"] * 5 + ["#2"] * 3  # file order


@pytest.mark.parametrize(
    ("replace", "by", "field", "fragment"),
    [
        ('title = "Бариста"', 'title = "Б"', "title", "at least 3"),
        ('title = "Бариста"', f'title = "{"Б" * 121}"', "title", "at most 120"),
        ('city = "Москва"', f'city = "{"М" * 61}"', "city", "at most 60"),
        ('offer = "Ставка и чаевые"', f'offer = "{"x" * 3001}"', "offer", "at most 3000"),
        ('contacts = "vk.com/example_hr"', 'contacts = "   "', "contacts", "is required"),
        ('city = "Москва"', 'remote = "yes"', "remote", "true or false"),
        ("deadline_days = 2", "deadline_days = 61", "test_task.deadline_days", "1 to 60"),
        ("deadline_days = 2", "deadline_days = 2.5", "test_task.deadline_days", "1 to 60"),
        ("deadline_days = 2", "deadline_days = true", "test_task.deadline_days", "1 to 60"),
        ("deadline_days = 2", "", "test_task.deadline_days", "is required"),
        ('text = "Опишите капучино"', "", "test_task", "text or file"),
        ('text = "Опишите капучино"', 'file = "task.exe"', "test_task.file", ".exe"),
        ("deadline_days = 2", 'deadline_days = 2\ncolour = "red"', "test_task.colour", "unknown"),
        ('project = "coffee"', 'project = "coffee"\nstatus = "archived"', "status", "archived"),
    ],
)
def test_single_field_problems(
    tmp_path: Path, replace: str, by: str, field: str, fragment: str
) -> None:
    text = GOOD_VACANCY.format(hashtags="[]")
    assert replace in text
    problems = _problems(_write(tmp_path, text.replace(replace, by)))
    assert [(p.vacancy, p.field) for p in problems] == [("barista", field)]
    assert fragment in problems[0].message


@pytest.mark.parametrize(
    ("replace", "by", "vacancy", "field"),
    [
        ('slug = "barista"', 'slug = "Barista Moscow"', "#1", "slug"),
        ('slug = "barista"', 'slug = "ab"', "#1", "slug"),
        ('slug = "barista"', "", "#1", "slug"),
        ("[vacancy.test_task]", "[vacancy.task]", "barista", "task"),
    ],
)
def test_vacancy_is_named_by_position_when_the_slug_is_unusable(
    tmp_path: Path, replace: str, by: str, vacancy: str, field: str
) -> None:
    text = GOOD_VACANCY.format(hashtags="[]").replace(replace, by)
    problems = _problems(_write(tmp_path, text))
    assert (vacancy, field) in {(p.vacancy, p.field) for p in problems}


def test_a_missing_test_task_is_refused(tmp_path: Path) -> None:
    text = GOOD_VACANCY.format(hashtags="[]").split("[vacancy.test_task]")[0]
    problems = _problems(_write(tmp_path, text))
    assert [(p.vacancy, p.field) for p in problems] == [("barista", "test_task")]


def test_a_too_big_or_empty_task_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.zip"
    with big.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "ok.PDF").write_bytes(b"%PDF-1.4")
    for name, fragment in (("big.zip", "20 MB"), ("empty.pdf", "empty")):
        text = GOOD_VACANCY.format(hashtags="[]").replace(
            'text = "Опишите капучино"', f'file = "{name}"'
        )
        problems = _problems(_write(tmp_path, text))
        assert [(p.vacancy, p.field) for p in problems] == [("barista", "test_task.file")]
        assert fragment in problems[0].message
    text = GOOD_VACANCY.format(hashtags="[]").replace(
        'text = "Опишите капучино"', 'file = "ok.PDF"'
    )
    [draft] = load_vacancies(_write(tmp_path, text))
    assert draft.task_file_name == "ok.PDF"


def test_a_toml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    text = GOOD_VACANCY.format(hashtags="[]").replace('project = "coffee"', "project = coffee")
    line = text.splitlines().index("project = coffee") + 1
    problems = _problems(_write(tmp_path, text))
    assert len(problems) == 1
    assert (problems[0].vacancy, problems[0].field) == ("-", "file")
    assert f"line {line}" in problems[0].message


@pytest.mark.parametrize(
    "text",
    ["", "   \n# only a comment\n", "vacancy = []\n", 'title = "Бариста"\n', "[vacancy]\n"],
)
def test_a_file_without_vacancies_is_refused(tmp_path: Path, text: str) -> None:
    problems = _problems(_write(tmp_path, text))
    assert all(problem.vacancy == "-" for problem in problems)


def test_a_missing_file_or_folder_is_refused(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path / "nope.toml")
    assert (problem.vacancy, problem.field) == ("-", "file")
    assert "nope.toml" in problem.message
    [problem] = _problems(tmp_path)
    assert (problem.vacancy, problem.field) == ("-", "file")


def test_a_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.toml"
    path.write_bytes(GOOD_VACANCY.format(hashtags="[]").encode("cp1251"))
    [problem] = _problems(path)
    assert (problem.vacancy, problem.field) == ("-", "file")
    assert "UTF-8" in problem.message


def test_hashtags_are_normalised(tmp_path: Path) -> None:
    text = GOOD_VACANCY.format(hashtags='["#Кофе", "Вакансия", " удалённо ", "кофе", "smm_2"]')
    [draft] = load_vacancies(_write(tmp_path, text))
    assert draft.hashtags == ("кофе", "вакансия", "удалённо", "smm_2")
    assert normalize_hashtag("#Кофе") == "кофе"
    assert normalize_hashtag("#кофе#") is None
    assert normalize_hashtag("два слова") is None
    assert normalize_hashtag("#") is None
    assert normalize_hashtag("x" * 41) is None


def test_too_many_hashtags_are_refused(tmp_path: Path) -> None:
    tags = ", ".join(f'"tag{n}"' for n in range(11))
    problems = _problems(_write(tmp_path, GOOD_VACANCY.format(hashtags=f"[{tags}]")))
    assert [(p.vacancy, p.field) for p in problems] == [("barista", "hashtags")]


def test_texts_are_stripped_and_dedented(tmp_path: Path) -> None:
    text = GOOD_VACANCY.format(hashtags="[]").replace(
        'duties = "Варить кофе"',
        'duties = """\n    - Варить кофе   \n    - Мыть стойку\n\n"""',
    )
    [draft] = load_vacancies(_write(tmp_path, text))
    assert draft.duties == "- Варить кофе\n- Мыть стойку"
    assert draft.title == "Бариста" and draft.contacts == "vk.com/example_hr"
