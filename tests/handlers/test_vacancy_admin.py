"""Vacancy administration end to end: the real Telegram dispatcher and VK runtime against the
stand-in servers, a real database. Admins create, preview, publish, edit, close and reopen
vacancies, make placement links and read the funnel; others are refused; the dialog survives a
restart."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from bot.app import App, open_app
from bot.config import Settings
from bot.domain.vacancies import VacancyDraft, VacancyStatus
from bot.vk.render import to_plain
from handlers import vacancy_admin
from handlers.vacancy_admin import parse_hashtags, slugify, unique_slug
from tests.conftest import ADMIN_TG, ADMIN_VK
from tests.harness import telegram_running, tg_press, vk_press, vk_running

TITLE = "Бариста & старший <смены>"
TASK_FILE = "/srv/hr-bot/task-files/menu.pdf"


def with_vacancy_admin(app: App) -> App:
    """The module may not be in `handlers.build_registry()` yet; add it once."""
    registry = app.core.registry
    if "va" not in registry.actions:
        vacancy_admin.register(registry)
    return app


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


def plain(app: App, key: str, **args: Any) -> str:
    return to_plain(t(app, key, **args))


async def say(tg: Any, user: Any, text: str) -> Any:
    mark = tg.mark()
    tg.send_text(user, text)
    return await tg.wait_message(user.id, since=mark)


async def forge(tg: Any, user: Any, message_id: int, data: str) -> dict[str, Any]:
    """Press made-up button data; return the answer to the press."""
    query = tg.press(user, message_id, data)
    await tg.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query)
    return tg.callback_answers[query]


def assert_vk_limits(message: Any) -> None:
    rows = message.buttons()
    assert len(rows) <= 6, message.button_labels()
    assert sum(len(row) for row in rows) <= 10, message.button_labels()
    assert all(len(row) <= 5 for row in rows)
    assert all(len(label) <= 40 for label in message.button_labels())


async def status_of(app: App, vacancy_id: int) -> VacancyStatus | None:
    vacancy = await app.services.vacancies.get(vacancy_id)
    return vacancy.status if vacancy is not None else None


def draft(slug: str, title: str, status: VacancyStatus = VacancyStatus.OPEN) -> VacancyDraft:
    return VacancyDraft(
        slug=slug,
        title=title,
        project="veggie",
        city="Казань",
        employment="Сменный график",
        requirements="Любовь к овощам",
        duties="Готовить",
        offer="Обед",
        contacts="hr@example.com",
        hashtags=("повар",),
        task_text="Составьте меню",
        deadline_days=3,
        status=status,
    )


# --- pure helpers -------------------------------------------------------------------------------


def test_slugs_are_latin_readable_and_valid() -> None:
    assert slugify("Бариста в кофейню") == "barista-v-kofeynyu"
    assert slugify("Шеф-повар (Казань)") == "shef-povar-kazan"
    assert slugify("Café manager") == "cafe-manager"
    assert slugify("ab") == "ab-vacancy"
    assert slugify("!!!") == "vacancy"
    long = slugify("Интернет-маркетолог " * 6)
    assert len(long) <= 40 and not long.endswith("-")


def test_hashtags_are_parsed_like_the_import_file() -> None:
    assert parse_hashtags("#Кофе, бариста  кофе;#latte_art") == (
        ["кофе", "бариста", "latte_art"],
        None,
    )
    assert parse_hashtags("#кофе плохой-тег") == ([], "плохой-тег")
    assert parse_hashtags("#") == ([], "#")
    assert len(parse_hashtags(" ".join(f"t{n}" for n in range(11)))[0]) == 11


async def test_new_slugs_never_overwrite_an_existing_vacancy(app: App) -> None:
    await app.services.vacancies.save(draft("povar", "Повар"))
    await app.services.vacancies.save(draft("povar-2", "Повар"))
    ctx: Any = SimpleNamespace(services=app.services)
    assert await unique_slug(ctx, "Повар") == "povar-3"
    assert await unique_slug(ctx, "Кондитер") == "konditer"


# --- Telegram: the whole life of a vacancy ------------------------------------------------------


async def test_admin_creates_publishes_edits_closes_and_places_a_vacancy(app: App, tg: Any) -> None:
    with_vacancy_admin(app)
    service = app.services.vacancies
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        listing = await say(tg, admin, "/vacancy_admin")
        assert listing.text == t(app, "va-list-empty")

        # step by step, with bad answers re-asked and an optional field skipped
        prompt = await tg_press(tg, admin, listing, t(app, "va-btn-new"))
        assert prompt.message_id == listing.message_id
        assert t(app, "va-step", step=1, total=13) in prompt.text
        assert t(app, "va-btn-cancel") in prompt.button_texts()
        again = await say(tg, admin, "Ба")
        assert again.text.startswith(t(app, "va-err-too-short", minimum=3))
        assert t(app, "va-ask-title", min=3, max=120) in again.text
        projects = await say(tg, admin, TITLE)
        assert t(app, "va-step", step=2, total=13) in projects.text
        assert t(app, "project-coffee") in projects.button_texts()
        typo = await say(tg, admin, "Марс")
        assert typo.text.startswith(t(app, "va-err-project"))
        city = await tg_press(tg, admin, typo, t(app, "project-coffee"))
        assert t(app, "va-btn-remote-only") in city.button_texts()
        remote = await say(tg, admin, "  Казань ")
        assert t(app, "va-ask-remote") in remote.text
        step = await tg_press(tg, admin, remote, t(app, "va-btn-yes"))
        assert t(app, "va-step", step=5, total=13) in step.text
        too_long = await say(tg, admin, "x" * 3001)
        assert too_long.text.startswith(t(app, "va-err-too-long", length=3001, limit=3000))
        await say(tg, admin, "Полный день, 5/2")
        await say(tg, admin, "Опыт от года")
        not_fit = await say(tg, admin, "Готовить кофе")
        assert t(app, "va-step", step=8, total=13) in not_fit.text
        offer = await tg_press(tg, admin, not_fit, t(app, "va-btn-skip"))
        assert t(app, "va-step", step=9, total=13) in offer.text
        await say(tg, admin, "Обучение и скидка на кофе")
        hashtags = await say(tg, admin, "hr@example.com, @coffee_hr")
        assert t(app, "va-btn-skip") in hashtags.button_texts()
        bad_tag = await say(tg, admin, "#кофе, плохой-тег")
        assert bad_tag.text.startswith(t(app, "va-err-hashtag", tag="плохой-тег"))
        task = await say(tg, admin, "#Кофе, бариста кофе")
        assert t(app, "va-ask-task-text", max=3000) in task.text
        assert "import-vacancies" in task.text  # files only through the import file
        assert t(app, "va-btn-skip") not in task.button_texts()  # no file: text is required
        days = await say(tg, admin, "Опишите идеальный капучино")
        bad_days = await say(tg, admin, "100")
        assert bad_days.text.startswith(t(app, "va-err-days", min=1, max=60))
        assert days.message_id != bad_days.message_id
        preview = await say(tg, admin, "5")

        # the preview is the candidates' card
        assert preview.text.startswith(t(app, "va-preview-title"))
        assert "<b>Бариста &amp; старший &lt;смены&gt;</b>" in preview.text
        assert "#кофе #бариста" in preview.text
        assert t(app, "vacancy-task", days=5) in preview.text
        assert t(app, "vacancy-not-fit") not in preview.text
        assert preview.button_texts() == [
            t(app, "va-btn-save-open"),
            t(app, "va-btn-save-draft"),
            t(app, "va-btn-edit-field"),
            t(app, "va-btn-cancel"),
        ]
        card = await tg_press(tg, admin, preview, t(app, "va-btn-save-open"))
        assert t(app, "va-saved-open") in card.text
        assert t(app, "va-status-line", mark="🟢", status=t(app, "va-status-open")) in card.text
        assert t(app, "va-funnel-empty") in card.text
        assert await app.services.dialogs.get(1) is None

        stored = await service.get_by_slug("barista-starshiy-smeny")
        assert stored is not None
        assert (stored.title, stored.project, stored.city, stored.remote) == (
            TITLE,
            "coffee",
            "Казань",
            True,
        )
        assert stored.employment == "Полный день, 5/2"
        assert stored.not_fit == ""
        assert stored.contacts == "hr@example.com, @coffee_hr"
        assert stored.hashtags == ("кофе", "бариста")
        assert (stored.task_text, stored.deadline_days) == ("Опишите идеальный капучино", 5)
        assert stored.status is VacancyStatus.OPEN and stored.published_at is not None

        # candidates see it
        candidate = tg.user(501, "Кира")
        listed = await say(tg, candidate, "/vacancies")
        assert "Бариста &amp; старший &lt;смены&gt;" in listed.text

        # edit one field: the field menu, the current value, then the preview
        fields = await tg_press(tg, admin, card, t(app, "va-btn-edit"))
        assert t(app, "va-fields-title") in fields.text
        assert len([b for b in fields.button_texts() if b.startswith(("«", "👁", "✖"))]) == 2
        title_prompt = await tg_press(tg, admin, fields, t(app, "va-field-title"))
        assert t(app, "va-current", value=TITLE) in title_prompt.text
        assert t(app, "va-step", step=1, total=13) not in title_prompt.text
        preview = await say(tg, admin, "Старший бариста")
        assert "<b>Старший бариста</b>" in preview.text
        assert t(app, "va-btn-save-keep") in preview.button_texts()
        card = await tg_press(tg, admin, preview, t(app, "va-btn-save-keep"))
        edited = await service.get(stored.id)
        assert edited is not None
        assert (edited.title, edited.slug, edited.status) == (
            "Старший бариста",
            stored.slug,
            VacancyStatus.OPEN,
        )
        assert edited.contacts == stored.contacts and edited.hashtags == stored.hashtags

        # close: gone from the candidates' list; reopen: back
        closed = await tg_press(tg, admin, card, t(app, "va-btn-close"))
        assert t(app, "va-status-closed") in closed.text
        assert t(app, "va-btn-reopen") in closed.button_texts()
        assert await status_of(app, stored.id) is VacancyStatus.CLOSED
        empty = await say(tg, candidate, "/vacancies")
        assert empty.text == t(app, "vacancies-empty")
        reopened = await tg_press(tg, admin, closed, t(app, "va-btn-reopen"))
        assert t(app, "va-toast-reopened") in reopened.text
        assert await status_of(app, stored.id) is VacancyStatus.OPEN
        listed = await say(tg, candidate, "/vacancies")
        assert "Старший бариста" in listed.text

        # a placement link for a job board
        links = await tg_press(tg, admin, reopened, t(app, "va-btn-placements"))
        assert t(app, "va-pl-empty") in links.text
        ask = await tg_press(tg, admin, links, t(app, "va-btn-pl-new"))
        assert ask.text.startswith(t(app, "va-pl-ask", title="Старший бариста"))
        refused = await say(tg, admin, "hh ru!")
        assert refused.text.startswith(t(app, "va-pl-bad", source="hh ru!"))
        links = await say(tg, admin, "hh_ru")
        ((placement_id, source),) = await service.placements(stored.id)
        assert source == "hh_ru"
        link = f"https://t.me/hr_test_bot?start=p{placement_id}"
        assert f"<code>{link}</code>" in links.text
        assert "vk.me" not in links.text  # VK is not running: no VK link is offered
        assert t(app, "va-pl-created", source="hh_ru") in links.text

        # a candidate comes through the link: counted under the source
        opened = await say(tg, candidate, f"/start p{placement_id}")
        assert opened.text.startswith("<b>Старший бариста</b>")
        assert await service.funnel(stored.id) == {"hh_ru": {"views": 1}}
        card = await tg_press(tg, admin, links, t(app, "va-btn-card"))
        line = t(
            app,
            "va-funnel-line",
            source="hh_ru",
            views=1,
            issued=0,
            submitted=0,
            accepted=0,
            issued_rate=t(app, "va-rate", percent=0),
            submitted_rate=t(app, "va-rate-none"),
            accepted_rate=t(app, "va-rate-none"),
        )
        assert line in card.text

        # the list shows every vacancy with its status
        listing = await tg_press(tg, admin, card, t(app, "va-btn-list"))
        assert t(app, "va-list-title", total=1) in listing.text
        assert "🟢 Старший бариста" in listing.button_texts()


async def test_drafts_stay_hidden_until_published_and_a_cancel_saves_nothing(
    app: App, tg: Any
) -> None:
    with_vacancy_admin(app)
    service = app.services.vacancies
    await service.save(draft("veggie-cook", "Повар в вегетарианский корнер"))
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        listing = await say(tg, admin, "/vacancy_admin")
        prompt = await tg_press(tg, admin, listing, t(app, "va-btn-new"))
        await say(tg, admin, "Кондитер")
        city = await tg_press(tg, admin, tg.last(admin.id), t(app, "project-pastry"))
        # "remote only" answers the remote question too
        step = await tg_press(tg, admin, city, t(app, "va-btn-remote-only"))
        assert t(app, "va-step", step=5, total=13) in step.text
        for answer in ["Подработка", "Любовь к тесту", "Печь", "Нет", "Фартук", "@hr"]:
            await say(tg, admin, answer)
        task = await tg_press(tg, admin, tg.last(admin.id), t(app, "va-btn-skip"))  # no hashtags
        assert t(app, "va-ask-task-text", max=3000) in task.text
        await say(tg, admin, "Испеките эклер")
        preview = await say(tg, admin, "7")
        assert t(app, "vacancies-place-remote") in preview.text
        card = await tg_press(tg, admin, preview, t(app, "va-btn-save-draft"))
        assert t(app, "va-saved-draft") in card.text
        assert t(app, "va-btn-publish") in card.button_texts()
        konditer = await service.get_by_slug("konditer")
        assert konditer is not None and konditer.status is VacancyStatus.DRAFT
        assert konditer.published_at is None and konditer.hashtags == ()
        assert (konditer.city, konditer.remote, konditer.not_fit) == ("", True, "Нет")

        candidate = tg.user(511, "Лев")
        listed = await say(tg, candidate, "/vacancies")
        assert "Кондитер" not in listed.text and t(app, "vacancies-title", total=1) in listed.text

        published = await tg_press(tg, admin, card, t(app, "va-btn-publish"))
        assert t(app, "va-toast-published") in published.text
        listed = await say(tg, candidate, "/vacancies")
        assert "Кондитер" in listed.text

        # an edit that is cancelled changes nothing
        fields = await tg_press(tg, admin, published, t(app, "va-btn-edit"))
        await tg_press(tg, admin, fields, t(app, "va-field-contacts"))
        await say(tg, admin, "другие контакты")
        cancelled = await tg_press(tg, admin, tg.last(admin.id), t(app, "va-btn-cancel"))
        assert cancelled.text == t(app, "va-cancelled")
        unchanged = await service.get(konditer.id)
        assert unchanged is not None and unchanged.contacts == "@hr"
        assert await app.services.dialogs.get(1) is None
        assert prompt.message_id == listing.message_id

        # the list shows drafts, open and closed ones with their marks
        await service.set_status(konditer.id, VacancyStatus.CLOSED)
        await service.save(draft("draft-one", "Черновик", VacancyStatus.DRAFT))
        listing = await say(tg, admin, "/vacancy_admin")
        assert t(app, "va-list-title", total=3) in listing.text
        labels = listing.button_texts()
        assert "⛔ Кондитер" in labels and "📝 Черновик" in labels
        assert "🟢 Повар в вегетарианский корнер" in labels


# --- VK ------------------------------------------------------------------------------------------


async def test_vk_admin_lists_opens_and_edits_within_keyboard_limits(
    app: App, vk: Any, tg: Any
) -> None:
    with_vacancy_admin(app)
    service = app.services.vacancies
    for number in range(1, 7):
        status = VacancyStatus.DRAFT if number == 6 else VacancyStatus.OPEN
        await service.save(draft(f"cook-{number}", f"Повар смены номер {number} " * 3, status))
    with_file = replace(draft("cook-1", "Повар смены номер 1 " * 3), task_file=TASK_FILE)
    await service.save(replace(with_file, task_file_name="menu.pdf"))
    cook = await service.get_by_slug("cook-1")
    assert cook is not None
    placement_id = await service.add_placement(cook.id, "vk_kazan_jobs")
    async with telegram_running(app, tg), vk_running(app, vk):
        admin = vk.user(ADMIN_VK, "Админ")
        vk.send_text(admin, "/vacancy_admin")
        page = await vk.wait_message(admin.id)
        seen: list[str] = []
        while True:
            assert_vk_limits(page)
            seen += [label for label in page.button_labels() if "Повар" in label]
            if t(app, "va-btn-next") not in page.button_labels():
                break
            page = await vk_press(vk, admin, page, t(app, "va-btn-next"))
        assert len(seen) == 6
        assert plain(app, "va-page", page=2, pages=2) in page.text

        assert seen[-1].startswith("📝")  # drafts have not been published: they come last
        (first,) = [label for label in seen if "номер 1" in label]
        assert first in page.button_labels()
        card = await vk_press(vk, admin, page, first)
        assert_vk_limits(card)
        assert "Повар смены номер 1" in card.text
        assert "<b>" not in card.text
        assert plain(app, "va-status-open") in card.text
        assert plain(app, "va-task-file", name="menu.pdf") in card.text

        links = await vk_press(vk, admin, card, t(app, "va-btn-placements"))
        assert_vk_limits(links)
        assert f"https://t.me/hr_test_bot?start=p{placement_id}" in links.text
        assert f"https://vk.me/hr_test_group?ref=p{placement_id}" in links.text

        card = await vk_press(vk, admin, links, t(app, "va-btn-card"))
        fields = await vk_press(vk, admin, card, t(app, "va-btn-edit"))
        named: list[str] = []
        while True:
            assert_vk_limits(fields)
            named += [
                label
                for label in fields.button_labels()
                if label
                not in {
                    t(app, "va-btn-prev"),
                    t(app, "va-btn-next"),
                    t(app, "va-btn-preview"),
                    t(app, "va-btn-cancel"),
                }
            ]
            if t(app, "va-btn-next") not in fields.button_labels():
                break
            fields = await vk_press(vk, admin, fields, t(app, "va-btn-next"))
        assert len(named) == 13
        # the task file stays: the text becomes optional and the prompt says how to replace it
        named_fields = fields
        if t(app, "va-field-task-text") not in fields.button_labels():
            named_fields = await vk_press(vk, admin, fields, t(app, "va-btn-prev"))
        task = await vk_press(vk, admin, named_fields, t(app, "va-field-task-text"))
        assert_vk_limits(task)
        assert plain(app, "va-ask-task-text-with-file", max=3000, name="menu.pdf") in task.text
        assert t(app, "va-btn-skip") in task.button_labels()
        fields = await vk_press(vk, admin, task, t(app, "va-btn-fields"))
        while t(app, "va-field-deadline-days") not in fields.button_labels():
            fields = await vk_press(vk, admin, fields, t(app, "va-btn-next"))
        prompt = await vk_press(vk, admin, fields, t(app, "va-field-deadline-days"))
        assert_vk_limits(prompt)
        mark = vk.mark()
        vk.send_text(admin, "9")
        preview = await vk.wait_message(admin.id, since=mark)
        assert_vk_limits(preview)
        await vk_press(vk, admin, preview, t(app, "va-btn-save-keep"))
    saved = await service.get(cook.id)
    assert saved is not None and saved.deadline_days == 9
    assert (saved.task_file, saved.task_file_name) == (TASK_FILE, "menu.pdf")
    assert saved.title == cook.title and saved.status is VacancyStatus.OPEN


# --- refusals and forged data --------------------------------------------------------------------


async def test_non_admins_are_refused_and_nothing_changes(app: App, tg: Any, vk: Any) -> None:
    with_vacancy_admin(app)
    service = app.services.vacancies
    await service.save(draft("cook", "Повар"))
    async with telegram_running(app, tg), vk_running(app, vk):
        user = tg.user(601, "Гость")
        menu = await say(tg, user, "/start")
        for data in ["va.o:1", "va.st:1:closed", "va.new", "va.ed:1", "va.pn:1", "va:0"]:
            answer = await forge(tg, user, menu.message_id, data)
            assert answer.get("text") == t(app, "forbidden"), data
        refused = await say(tg, user, "/vacancy_admin")
        assert refused.text.startswith(t(app, "forbidden"))

        vk_user = vk.user(602, "Гость ВК")
        vk.send_text(vk_user, "/start")
        await vk.wait_message(vk_user.id)
        event_id = vk.press(vk_user, 1, {"a": "va.st:1:closed"})
        await vk.wait_for(
            "messages.sendMessageEventAnswer", lambda c: c.params["event_id"] == event_id
        )
        mark = vk.mark()
        vk.send_text(vk_user, "/vacancy_admin")
        vk_refused = await vk.wait_message(vk_user.id, since=mark)
        assert vk_refused.text.startswith(plain(app, "forbidden"))
        await app.core.drain(5)
    cook = await service.get_by_slug("cook")
    assert cook is not None and cook.status is VacancyStatus.OPEN
    assert await service.placements(cook.id) == []
    assert await app.services.dialogs.get(1) is None
    assert await app.services.dialogs.get(2) is None
    snackbars = [a.get("event_data", {}).get("text") for a in vk.event_answers.values()]
    assert t(app, "forbidden") in snackbars


async def test_forged_ids_and_out_of_date_buttons_are_answered_as_stale(app: App, tg: Any) -> None:
    with_vacancy_admin(app)
    service = app.services.vacancies
    await service.save(draft("cook", "Повар"))
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        listing = await say(tg, admin, "/vacancy_admin")
        for data in [
            "va.o:999",
            "va.o:x",
            "va.st:1:draft",
            "va.st:999:closed",
            "va.pl:0",
            "va.pn:999",
            "va.ed:999",
            "va.skip:title",
            "va.pj:coffee",
            "va.save:open",
            "va.cancel",
            "va.f:title",
        ]:
            answer = await forge(tg, admin, listing.message_id, data)
            assert answer.get("text") == t(app, "stale-button"), data

        # inside the dialog, buttons of another step are out of date too
        prompt = await tg_press(tg, admin, listing, t(app, "va-btn-new"))
        for data in ["va.pj:coffee", "va.pj:mars", "va.yn:1", "va.rm", "va.skip:not_fit"]:
            answer = await forge(tg, admin, prompt.message_id, data)
            assert answer.get("text") == t(app, "stale-button"), data
        await say(tg, admin, "Повар")
        answer = await forge(tg, admin, prompt.message_id, "va.pj:mars")
        assert answer.get("text") == t(app, "stale-button")
        answer = await forge(tg, admin, prompt.message_id, "va.save:open")  # not at the preview
        assert answer.get("text") == t(app, "stale-button")
        state = await app.services.dialogs.get(1)
        assert state is not None and state.data["step"] == "project"
        assert state.data["draft"]["title"] == "Повар"
        await app.core.drain(5)
    cook = await service.get_by_slug("cook")
    assert cook is not None and cook.status is VacancyStatus.OPEN
    assert (await service.admin_listing(0, 10))[1] == 1


# --- restarts ------------------------------------------------------------------------------------


async def test_the_dialog_survives_a_restart(settings: Settings, tg: Any) -> None:
    async with open_app(settings) as app:
        with_vacancy_admin(app)
        async with telegram_running(app, tg):
            admin = tg.user(ADMIN_TG, "Ольга")
            listing = await say(tg, admin, "/vacancy_admin")
            await tg_press(tg, admin, listing, t(app, "va-btn-new"))
            projects = await say(tg, admin, "Сомелье")
            assert t(app, "va-step", step=2, total=13) in projects.text

    async with open_app(settings) as app:
        with_vacancy_admin(app)
        async with telegram_running(app, tg):
            # the buttons of the message sent before the restart still work
            city = await tg_press(tg, admin, projects, t(app, "project-vintage"))
            assert t(app, "va-step", step=3, total=13) in city.text
            remote = await say(tg, admin, "Москва")
            assert t(app, "va-ask-remote") in remote.text
            state = await app.services.dialogs.get(1)
            assert state is not None and state.name == "va.edit"
            assert state.data["draft"]["title"] == "Сомелье"
            assert state.data["draft"]["project"] == "vintage"
            assert state.data["draft"]["city"] == "Москва"
            # a command leaves the dialog
            listing = await say(tg, admin, "/vacancy_admin")
            assert listing.text == t(app, "va-list-empty")
        assert await app.services.dialogs.get(1) is None
        assert (await app.services.vacancies.admin_listing(0, 10))[1] == 0
