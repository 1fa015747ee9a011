from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.advocacy import CATEGORIES, PLATFORMS, PostDraft
from bot.domain.vacancies import PROJECTS, VacancyStatus
from bot.services.content_import import (
    ContentImportError,
    ImportProblem,
    load_posts,
    parse_posts,
)
from bot.services.vacancy_import import VacancyImportError, load_vacancies

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
EXAMPLES = EXAMPLES_DIR / "content.toml"
TEAM_PREFIX = "team"  # slugs of the examples start with the business, or "team" for everyone

GOOD_POST = """
[[post]]
slug = "coffee-cold-brew"
category = "expertise"
title = "Колд брю дома"
variants = ["Первый вариант текста про колд брю", "Второй вариант текста про колд брю"]
"""


def _write(tmp_path: Path, text: str, name: str = "content.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[ImportProblem]:
    with pytest.raises(ContentImportError) as caught:
        load_posts(path)
    problems = caught.value.problems
    assert problems
    assert str(caught.value) == "\n".join(str(problem) for problem in problems)
    return problems


def _with(extra: str) -> str:
    return GOOD_POST + extra + "\n"


# --- the examples ------------------------------------------------------------------------------


def test_the_examples_file_loads() -> None:
    drafts = load_posts(EXAMPLES)
    assert len(drafts) >= 12
    assert all(isinstance(draft, PostDraft) for draft in drafts)
    assert len({draft.slug for draft in drafts}) == len(drafts)
    assert {draft.category for draft in drafts} == set(CATEGORIES)

    businesses = {draft.slug.split("-", 1)[0] for draft in drafts}
    assert businesses <= {*PROJECTS, TEAM_PREFIX}
    assert set(PROJECTS) <= businesses  # coffee, vintage, veggie, pastry, dental

    for draft in drafts:
        assert 1 <= len(draft.variants) <= 5, draft.slug
        assert len(set(draft.variants)) == len(draft.variants), draft.slug
        for text in draft.variants:
            assert 20 <= len(text) <= 1500, draft.slug
            assert text == text.strip() and "  " not in text and "<" not in text, draft.slug
        assert 3 <= len(draft.title) <= 120, draft.slug
        assert draft.platforms and set(draft.platforms) <= set(PLATFORMS), draft.slug
        assert draft.media_ref == "", draft.slug
        assert not draft.link or draft.link.startswith("https://"), draft.slug
        for moment in (draft.valid_from, draft.valid_until):
            assert moment is None or moment.utcoffset() == timedelta(0), draft.slug
        if draft.valid_from and draft.valid_until:
            assert draft.valid_from < draft.valid_until, draft.slug
    several = [draft for draft in drafts if len(draft.variants) >= 2]
    assert len(several) > len(drafts) * 3 // 4  # most posts have different wordings


def test_the_examples_recruit_for_open_vacancies_of_the_same_business() -> None:
    vacancies = {draft.slug: draft for draft in load_vacancies(EXAMPLES_DIR / "vacancies.toml")}
    drafts = load_posts(EXAMPLES)
    recruiting = [draft for draft in drafts if draft.category == "recruiting"]
    assert len(recruiting) >= 3
    for draft in recruiting:
        vacancy = vacancies.get(draft.vacancy_slug)
        assert vacancy is not None, draft.slug
        assert vacancy.status is VacancyStatus.OPEN, draft.slug
        assert draft.slug.split("-", 1)[0] == vacancy.project, draft.slug
    assert len({draft.vacancy_slug for draft in recruiting}) == len(recruiting)
    assert all(not d.vacancy_slug for d in drafts if d.category != "recruiting")


def test_the_examples_have_media_of_the_right_kind() -> None:
    drafts = load_posts(EXAMPLES)
    with_media = [draft for draft in drafts if draft.media_path]
    assert sum(draft.media_kind == "photo" for draft in with_media) >= 2
    for draft in drafts:
        if not draft.media_path:
            assert draft.media_kind == "", draft.slug
            continue
        path = Path(draft.media_path)
        assert path.is_absolute() and path.is_file(), draft.slug
        assert path.parent == EXAMPLES_DIR / "media", draft.slug
        header = path.read_bytes()[:8]
        if draft.media_kind == "photo":
            assert path.suffix == ".png" and header == b"\x89PNG\r\n\x1a\n", draft.slug
        else:
            assert draft.media_kind == "document", draft.slug
            assert path.suffix == ".pdf" and header.startswith(b"%PDF-"), draft.slug
        assert path.stat().st_size < 10_000, draft.slug  # the samples stay tiny


def test_the_examples_have_an_expired_and_a_future_post() -> None:
    drafts = load_posts(EXAMPLES)
    expired = [
        d for d in drafts if d.valid_until and d.valid_until <= datetime(2026, 1, 1, tzinfo=UTC)
    ]
    future = [
        d for d in drafts if d.valid_from and d.valid_from >= datetime(2027, 1, 1, tzinfo=UTC)
    ]
    assert len(expired) == 1 and expired[0].valid_until == datetime(2025, 12, 31, tzinfo=UTC)
    assert len(future) == 1
    spring = future[0]
    assert spring.valid_from == datetime(2027, 3, 15, 7, 0, tzinfo=UTC)  # 10:00 Moscow time
    assert spring.valid_until is not None and spring.valid_until > spring.valid_from


def test_reloading_gives_equal_drafts_in_file_order() -> None:
    first = load_posts(EXAMPLES)
    assert load_posts(EXAMPLES) == first
    text = EXAMPLES.read_text(encoding="utf-8")
    slugs = [line.split('"')[1] for line in text.splitlines() if line.startswith("slug = ")]
    assert [draft.slug for draft in first] == slugs


# --- a good post ------------------------------------------------------------------------------


def test_defaults_of_a_minimal_post(tmp_path: Path) -> None:
    [draft] = load_posts(_write(tmp_path, GOOD_POST))
    assert draft == PostDraft(
        slug="coffee-cold-brew",
        category="expertise",
        title="Колд брю дома",
        variants=("Первый вариант текста про колд брю", "Второй вариант текста про колд брю"),
    )
    assert draft.platforms == ("tg", "vk")
    assert draft.media_path == draft.media_kind == draft.link == draft.vacancy_slug == ""
    assert draft.valid_from is None and draft.valid_until is None


def test_a_full_post_and_parse_posts_with_a_base_dir(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "cup.JPG").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    text = """
[[post]]
slug = " coffee-barista-hiring "
category = " Recruiting "
title = "  Ищем   бариста  "
variants = [
  \"\"\"
      Ищем бариста в кофейню на Покровке,
        обучим с нуля.\\t \\t

      Откликайтесь по ссылке!
  \"\"\",
]
media = "media/cup.JPG"
link = " https://example.com/jobs?x=1 "
platforms = ["VK", "tg", "vk"]
valid_from = 2026-11-01
valid_until = 2027-03-01T12:30:00+03:00
vacancy = "barista-moscow"
"""
    [draft] = parse_posts(text, base_dir=tmp_path)
    assert draft.slug == "coffee-barista-hiring"
    assert draft.category == "recruiting"
    assert draft.title == "Ищем бариста"
    assert draft.variants == (
        "Ищем бариста в кофейню на Покровке,\n  обучим с нуля.\n\nОткликайтесь по ссылке!",
    )
    assert draft.media_path == str((tmp_path / "media" / "cup.JPG").resolve())
    assert draft.media_kind == "photo"
    assert draft.link == "https://example.com/jobs?x=1"
    assert draft.platforms == ("tg", "vk")
    assert draft.valid_from == datetime(2026, 11, 1, tzinfo=UTC)
    assert draft.valid_until == datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    assert draft.valid_until.tzinfo is UTC
    assert draft.vacancy_slug == "barista-moscow"


def test_media_resolve_against_the_file_and_get_their_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "media").mkdir()
    kinds = {"a.png": "photo", "b.jpeg": "photo", "c.webp": "photo", "d.PDF": "document"}
    for name in kinds:
        (tmp_path / "media" / name).write_bytes(b"data")
    posts = "".join(
        GOOD_POST.replace("coffee-cold-brew", f"post-{n}") + f'media = "media/{name}"\n'
        for n, name in enumerate(kinds)
    )
    _write(tmp_path, posts)
    monkeypatch.chdir(tmp_path.parent)
    drafts = load_posts(Path(tmp_path.name) / "content.toml")
    assert [draft.media_kind for draft in drafts] == list(kinds.values())
    for draft, name in zip(drafts, kinds, strict=True):
        assert draft.media_path == str((tmp_path / "media" / name).resolve())


def test_naive_datetimes_are_utc_and_only_recruiting_may_name_a_vacancy(tmp_path: Path) -> None:
    text = _with("valid_from = 2026-11-01T09:00:00\nvalid_until = 2026-11-01T09:00:01").replace(
        '"expertise"', '"recruiting"'
    )
    [draft] = load_posts(_write(tmp_path, text))
    assert draft.valid_from == datetime(2026, 11, 1, 9, tzinfo=UTC)
    assert draft.valid_until == datetime(2026, 11, 1, 9, 0, 1, tzinfo=UTC)
    assert draft.vacancy_slug == ""  # a recruiting post may also go without a vacancy


def test_hashtags_in_texts_are_allowed_but_not_needed(tmp_path: Path) -> None:
    text = GOOD_POST.replace("Первый вариант текста", "Первый вариант #кофе #колдбрю")
    [draft] = load_posts(_write(tmp_path, text))
    assert "#кофе" in draft.variants[0] and "#" not in draft.variants[1]


# --- problems ---------------------------------------------------------------------------------

BAD_FILE = """
[[post]]
slug = "alpha-post"
category = "news"
title = "Новость"
variants = []
platforms = ["tg", "ok"]
medai = "media/alpha.png"

[[post]]
slug = "beta-post"
category = "culture"
title = "Команда"
variants = ["Коротко", "Этот вариант достаточно длинный, чтобы пройти"]
media = "media/missing.png"
valid_from = 2027-01-01
valid_until = 2026-12-31
vacancy = "barista-moscow"

[[post]]
slug = "alpha-post"
category = "products"
title = "Повтор"
variants = ["Этот вариант достаточно длинный, чтобы пройти"]
"""


def test_a_bad_file_is_rejected_with_every_problem(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, BAD_FILE))
    found = {(problem.vacancy, problem.field) for problem in problems}
    assert found == {
        ("alpha-post", "medai"),  # unknown key
        ("alpha-post", "category"),  # unknown category
        ("alpha-post", "variants"),  # no variants
        ("alpha-post", "platforms"),  # bad platform
        ("beta-post", "variants[1]"),  # too short
        ("beta-post", "media"),  # missing file
        ("beta-post", "valid_until"),  # before valid_from
        ("beta-post", "vacancy"),  # not a recruiting post
        ("#3", "slug"),  # duplicate
    }
    assert len(problems) == len(found)
    by_field = {(problem.vacancy, problem.field): problem.message for problem in problems}
    assert "did you mean 'media'" in by_field["alpha-post", "medai"]
    assert "'news'" in by_field["alpha-post", "category"]
    assert "recruiting" in by_field["alpha-post", "category"]
    assert by_field["alpha-post", "variants"] == "must have 1 to 5 wordings (there are 0)"
    assert "'ok'" in by_field["alpha-post", "platforms"]
    assert by_field["beta-post", "variants[1]"] == "must be at least 20 characters (it has 7)"
    assert "missing.png" in by_field["beta-post", "media"]
    assert "after valid_from" in by_field["beta-post", "valid_until"]
    assert "'culture'" in by_field["beta-post", "vacancy"]
    assert "'alpha-post'" in by_field["#3", "slug"] and "#1" in by_field["#3", "slug"]

    lines = str(ContentImportError(problems)).splitlines()
    assert "beta-post: variants[1]: must be at least 20 characters (it has 7)" in lines
    assert len(lines) == len(problems)
    assert [p.vacancy for p in problems] == ["alpha-post"] * 4 + ["beta-post"] * 4 + ["#3"]


def test_the_error_is_its_own_value_error() -> None:
    error = ContentImportError([ImportProblem("-", "file", "oops")])
    assert isinstance(error, ValueError) and not isinstance(error, VacancyImportError)
    assert str(error) == "-: file: oops"


@pytest.mark.parametrize(
    ("extra", "field", "fragment"),
    [
        ("link = 5", "link", "must be a string"),
        ('link = "ftp://example.com/file"', "link", "http(s)"),
        ('link = "example.com/page"', "link", "http(s)"),
        ('link = "https://exa mple.com"', "link", "http(s)"),
        (f'link = "https://example.com/{"x" * 500}"', "link", "at most 500"),
        ('platforms = "tg"', "platforms", "must be a list"),
        ("platforms = []", "platforms", "at least one"),
        ('platforms = ["telegram"]', "platforms", "'telegram'"),
        ("platforms = [1]", "platforms", "1 is not allowed"),
        ('valid_from = "2026-11-01"', "valid_from", "without quotes"),
        ("valid_from = 09:00:00", "valid_from", "not only a time"),
        ("valid_until = 5", "valid_until", "TOML date"),
        ("valid_from = 2026-11-01\nvalid_until = 2026-11-01", "valid_until", "after valid_from"),
        ('vacancy = "Barista Moscow"', "vacancy", "not a valid vacancy slug"),
        ("vacancy = 7", "vacancy", "must be a string"),
        ('vacancy = "barista-moscow"', "vacancy", "only recruiting posts"),
        ('media = "media/cat.gif"', "media", ".gif is not allowed"),
        ('media = "media/readme"', "media", "no extension"),
        ("media = 3", "media", "must be a string"),
        ('colour = "red"', "colour", "unknown key"),
        ("valid_form = 2026-11-01", "valid_form", "did you mean 'valid_from'"),
    ],
)
def test_single_field_problems(tmp_path: Path, extra: str, field: str, fragment: str) -> None:
    problems = _problems(_write(tmp_path, _with(extra)))
    assert [(p.vacancy, p.field) for p in problems] == [("coffee-cold-brew", field)]
    assert fragment in problems[0].message


@pytest.mark.parametrize(
    ("replace", "by", "field", "fragment"),
    [
        ('category = "expertise"', "", "category", "is required"),
        ('category = "expertise"', 'category = "blog"', "category", "'blog' is not allowed"),
        ('category = "expertise"', "category = 3", "category", "'int' is not allowed"),
        ('title = "Колд брю дома"', "", "title", "is required"),
        ('title = "Колд брю дома"', 'title = "Ко"', "title", "at least 3"),
        ('title = "Колд брю дома"', 'title = "   "', "title", "must not be empty"),
        ('title = "Колд брю дома"', f'title = "{"К" * 121}"', "title", "at most 120"),
        ('title = "Колд брю дома"', "title = 1", "title", "must be a string"),
        ("variants = [", "variants = 1\nx = [", "variants", "must be a list"),
        ("variants = [", 'variants = "один текст"\nx = [', "variants", '["""'),
        ("variants = [", "x = [", "variants", "is required"),
        ('"Второй вариант текста про колд брю"', "1", "variants[2]", "must be a string"),
        (
            '"Второй вариант текста про колд брю"',
            f'"{"т" * 1501}"',
            "variants[2]",
            "at most 1500 characters (it has 1501)",
        ),
        (
            '"Второй вариант текста про колд брю"',
            '"  Первый вариант текста про колд брю "',
            "variants[2]",
            "repeats variant 1",
        ),
        (
            '"Второй вариант текста про колд брю"',
            '"Второй <b>вариант</b> про колд брю"',
            "variants[2]",
            "'<b>'",
        ),
        (
            '"Второй вариант текста про колд брю"',
            ", ".join(f'"Вариант номер {n} про колд брю дома"' for n in range(2, 7)),
            "variants",
            "1 to 5 wordings (there are 6)",
        ),
    ],
)
def test_single_field_problems_of_required_fields(
    tmp_path: Path, replace: str, by: str, field: str, fragment: str
) -> None:
    assert replace in GOOD_POST
    problems = _problems(_write(tmp_path, GOOD_POST.replace(replace, by, 1)))
    found = [(p.vacancy, p.field) for p in problems if p.field != "x"]
    assert found == [("coffee-cold-brew", field)]
    assert fragment in next(p.message for p in problems if p.field == field)


@pytest.mark.parametrize(
    ("replace", "by"),
    [
        ('slug = "coffee-cold-brew"', 'slug = "Coffee Cold Brew"'),
        ('slug = "coffee-cold-brew"', 'slug = "ab"'),
        ('slug = "coffee-cold-brew"', 'slug = "-coffee"'),
        ('slug = "coffee-cold-brew"', "slug = 12"),
        ('slug = "coffee-cold-brew"', ""),
    ],
)
def test_a_post_is_named_by_position_when_the_slug_is_unusable(
    tmp_path: Path, replace: str, by: str
) -> None:
    text = GOOD_POST.replace(replace, by) + 'colour = "red"\n'
    problems = _problems(_write(tmp_path, text))
    assert [(p.vacancy, p.field) for p in problems] == [("#1", "slug"), ("#1", "colour")]


def test_a_too_big_empty_or_folder_media_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "folder.png").mkdir()
    (tmp_path / "exactly.webp").write_bytes(b"\0" * 10)
    for name, fragment in (
        ("big.png", "the limit is 10 MB"),
        ("empty.pdf", "is empty"),
        ("folder.png", "is not a file"),
    ):
        problems = _problems(_write(tmp_path, _with(f'media = "{name}"')))
        assert [(p.vacancy, p.field) for p in problems] == [("coffee-cold-brew", "media")]
        assert fragment in problems[0].message
    [draft] = load_posts(_write(tmp_path, _with('media = "exactly.webp"')))
    assert draft.media_kind == "photo"
    [draft] = load_posts(_write(tmp_path, _with('media = "  "')))
    assert draft.media_path == draft.media_kind == ""


def test_unknown_top_level_keys_are_problems_of_the_file(tmp_path: Path) -> None:
    text = 'posts = 1\n[[vacancy]]\nslug = "x"\n' + GOOD_POST
    problems = _problems(_write(tmp_path, text))
    assert [(p.vacancy, p.field) for p in problems] == [("-", "posts"), ("-", "vacancy")]
    assert "did you mean 'post'" in problems[0].message


def test_a_post_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, 'post = ["text"]\n'))
    assert [(p.vacancy, p.field) for p in problems] == [("#1", "post")]


def test_a_toml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    text = GOOD_POST.replace('category = "expertise"', "category = expertise")
    line = text.splitlines().index("category = expertise") + 1
    problems = _problems(_write(tmp_path, text))
    assert len(problems) == 1
    assert (problems[0].vacancy, problems[0].field) == ("-", "file")
    assert "invalid TOML" in problems[0].message and f"line {line}" in problems[0].message


@pytest.mark.parametrize(
    "text",
    ["", "   \n# only a comment\n", "post = []\n", 'title = "Пост"\n', "[post]\n"],
)
def test_a_file_without_posts_is_refused(tmp_path: Path, text: str) -> None:
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
    path.write_bytes(GOOD_POST.encode("cp1251"))
    [problem] = _problems(path)
    assert (problem.vacancy, problem.field) == ("-", "file")
    assert "UTF-8" in problem.message


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(GOOD_POST.encode("utf-8-sig"))
    [draft] = load_posts(path)
    assert draft.slug == "coffee-cold-brew"
