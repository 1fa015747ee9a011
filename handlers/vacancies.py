"""Vacancies for candidates: the list with paging, filters and search, the card, share links,
subscriptions to similar vacancies, and deep links (`v<id>[-source]`, `p<placement>`)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from bot.domain import Platform
from bot.domain.vacancies import PROJECTS, Vacancy, VacancyFilters
from bot.i18n import Markup, Translator
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, chunk, list_capacity, page_slice
from handlers.context import Context
from handlers.registry import Registry

MAX_PER_PAGE = 5
MAX_LABEL = 36
SEARCH_STATE = "vac.search"
_VACANCY_REF = re.compile(r"^v(\d{1,9})(?:-([A-Za-z0-9_]{1,32}))?$")
_PLACEMENT_REF = re.compile(r"^p(\d{1,9})$")


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def place_in(tr: Translator, locale: str, vacancy: Vacancy) -> Markup:
    """Where the job is, as safe HTML (pass it on without escaping it again)."""
    if vacancy.city and vacancy.remote:
        return tr(locale, "vacancies-place-city-remote", city=vacancy.city)
    if vacancy.remote:
        return tr(locale, "vacancies-place-remote")
    return Markup(esc(vacancy.city))


def place(ctx: Context, vacancy: Vacancy) -> Markup:
    return place_in(ctx.tr, ctx.locale, vacancy)


def project_in(tr: Translator, locale: str, project: str) -> Markup:
    if project in PROJECTS:
        return tr(locale, f"project-{project}")
    return Markup(esc(project))


def project_name(ctx: Context, project: str) -> Markup:
    return project_in(ctx.tr, ctx.locale, project)


def notice_screen(tr: Translator, locale: str, vacancy: Vacancy) -> Screen:
    """The one-time notice to subscribers about a newly published vacancy."""
    return Screen.of(
        tr(
            locale,
            "notice-new-vacancy",
            title=vacancy.title,
            project=project_in(tr, locale, vacancy.project),
            place=place_in(tr, locale, vacancy),
        ),
        [[Button(tr(locale, "notice-btn-open"), act("vac.o", vacancy.id, 0))]],
    )


def _arg(ctx: Context, index: int) -> int | None:
    action = ctx.event.action
    return action.int_arg(index) if action is not None else None


def describe_filters(ctx: Context, filters: VacancyFilters) -> Markup:
    parts: list[str] = []
    if filters.project:
        parts.append(project_name(ctx, filters.project))
    if filters.city:
        parts.append(esc(filters.city))
    if filters.remote:
        parts.append(ctx.t("vacancies-filter-remote"))
    if filters.tag:
        parts.append("#" + esc(filters.tag))
    if filters.query:
        parts.append(ctx.t("vacancies-filter-query", query=filters.query))
    return Markup(", ".join(parts))


# --- the list -------------------------------------------------------------------------------


async def list_screen(ctx: Context, page: int) -> Screen:
    service = ctx.services.vacancies
    filters = await service.filters(ctx.user.id)
    per_page = min(MAX_PER_PAGE, list_capacity(ctx.reply.limits, reserved_rows=2))
    vacancies, total = await service.listing(filters, max(page, 0), per_page)
    page, _, pages = page_slice(total, page, per_page)
    if not vacancies and total and page > 0:  # the list shrank under the user's page
        vacancies, total = await service.listing(filters, page, per_page)
    controls = [Button(ctx.t("vacancies-btn-filters"), act("vac.f"))]
    if filters.active:
        controls.append(Button(ctx.t("vacancies-btn-reset"), act("vac.fx")))
    if not vacancies:
        key = "vacancies-empty-filtered" if filters.active else "vacancies-empty"
        return Screen.of(ctx.t(key), [controls, [back_to_menu(ctx)]])
    lines: list[str] = [ctx.t("vacancies-title", total=total)]
    if filters.active:
        lines.append(ctx.t("vacancies-filters-active", filters=describe_filters(ctx, filters)))
    lines.append("")
    rows: list[list[Button]] = []
    for vacancy in vacancies:
        lines.append(
            ctx.t(
                "vacancies-line",
                title=vacancy.title,
                project=project_name(ctx, vacancy.project),
                place=place(ctx, vacancy),
            )
        )
        label = vacancy.title if len(vacancy.title) <= MAX_LABEL else vacancy.title[:35] + "…"
        rows.append([Button(label, act("vac.o", vacancy.id, page))])
    if pages > 1:
        lines += ["", ctx.t("vacancies-page", page=page + 1, pages=pages)]
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("vacancies-btn-prev"), act("vac.list", page - 1)))
    if page < pages - 1:
        nav.append(Button(ctx.t("vacancies-btn-next"), act("vac.list", page + 1)))
    rows += [nav, [*controls, back_to_menu(ctx)]]
    return Screen.of("\n".join(lines), rows)


async def show_list(ctx: Context) -> None:
    page = _arg(ctx, 0) or 0 if ctx.event.is_button else 0
    await ctx.show(await list_screen(ctx, min(page, 10_000)))


# --- filters --------------------------------------------------------------------------------


async def filters_screen(ctx: Context) -> Screen:
    service = ctx.services.vacancies
    filters = await service.filters(ctx.user.id)
    current = describe_filters(ctx, filters) or ctx.t("filters-none")
    text = ctx.t("filters-title") + "\n\n" + ctx.t("filters-current", filters=current)
    mark = "✓ "
    projects = [
        Button((mark if filters.project == p else "") + project_name(ctx, p), act("vac.fp", p))
        for p in PROJECTS
    ]
    projects.append(Button(ctx.t("filters-all-projects"), act("vac.fp", "all")))
    cities = [
        Button((mark if filters.city == c else "") + c, act("vac.fc", i))
        for i, c in enumerate((await service.cities())[:6])
    ]
    tags = [
        Button((mark if filters.tag == tag else "") + "#" + tag, act("vac.ft", i))
        for i, tag in enumerate(await service.top_tags(6))
    ]
    remote = Button((mark if filters.remote else "") + ctx.t("filters-remote"), act("vac.fr"))
    rows = [
        *chunk(projects, 2),
        *chunk([*cities, Button(ctx.t("filters-any-city"), act("vac.fc", "x"))], 3),
        *chunk(tags, 3),
        [remote, Button(ctx.t("filters-search"), act("vac.fs"))],
        [Button(ctx.t("filters-show"), act("vac.list", 0))],
    ]
    if ctx.reply.limits.max_buttons < sum(len(r) for r in rows):
        # VK: the full set does not fit one keyboard; keep the most useful controls
        rows = [
            *chunk(projects[:5], 3),
            [remote, Button(ctx.t("filters-search"), act("vac.fs"))],
            [Button(ctx.t("filters-show"), act("vac.list", 0))],
        ]
        rows[-1].append(Button(ctx.t("vacancies-btn-reset"), act("vac.fx")))
    return Screen.of(text, rows)


async def show_filters(ctx: Context) -> None:
    await ctx.show(await filters_screen(ctx))


async def _update_filters(ctx: Context, **changes: object) -> None:
    service = ctx.services.vacancies
    filters = await service.filters(ctx.user.id)
    values = {
        "project": filters.project,
        "city": filters.city,
        "remote": filters.remote,
        "tag": filters.tag,
        "query": filters.query,
    }
    values.update(changes)
    await service.set_filters(ctx.user.id, VacancyFilters(**values))  # type: ignore[arg-type]


async def filter_project(ctx: Context) -> None:
    action = ctx.event.action
    project = action.args[0] if action and action.args else ""
    if project != "all" and project not in PROJECTS:
        await ctx.registry.stale(ctx)
        return
    await _update_filters(ctx, project="" if project == "all" else project)
    await ctx.reply.edit(await list_screen(ctx, 0))


async def filter_city(ctx: Context) -> None:
    action = ctx.event.action
    if action and action.args == ("x",):
        await _update_filters(ctx, city="")
    else:
        index, cities = _arg(ctx, 0), await ctx.services.vacancies.cities()
        if index is None or index >= len(cities):
            await ctx.registry.stale(ctx)
            return
        await _update_filters(ctx, city=cities[index])
    await ctx.reply.edit(await list_screen(ctx, 0))


async def filter_tag(ctx: Context) -> None:
    index, tags = _arg(ctx, 0), await ctx.services.vacancies.top_tags(6)
    if index is None or index >= len(tags):
        await ctx.registry.stale(ctx)
        return
    await _update_filters(ctx, tag=tags[index])
    await ctx.reply.edit(await list_screen(ctx, 0))


async def filter_remote(ctx: Context) -> None:
    filters = await ctx.services.vacancies.filters(ctx.user.id)
    await _update_filters(ctx, remote=not filters.remote)
    await ctx.reply.edit(await filters_screen(ctx))


async def reset_filters(ctx: Context) -> None:
    await ctx.services.vacancies.set_filters(ctx.user.id, VacancyFilters())
    await ctx.show(await list_screen(ctx, 0))


async def ask_search(ctx: Context) -> None:
    await ctx.set_state(SEARCH_STATE)
    await ctx.reply.edit(
        Screen.of(
            ctx.t("filters-search-prompt"), [[Button(ctx.t("filters-search-cancel"), act("vac.f"))]]
        )
    )


async def on_search_text(ctx: Context) -> None:
    words = re.findall(r"\w+", ctx.event.text)
    if not words:
        await ctx.reply.send(
            Screen.of(
                ctx.t("filters-search-empty"),
                [[Button(ctx.t("filters-search-cancel"), act("vac.f"))]],
            )
        )
        return
    await ctx.clear_state()
    await _update_filters(ctx, query=" ".join(words))
    await ctx.reply.send(await list_screen(ctx, 0))


# --- the card -------------------------------------------------------------------------------


def card_text(ctx: Context, vacancy: Vacancy) -> str:
    """Every section of a vacancy, escaped; used by the card and the admin preview."""
    parts = [
        f"<b>{esc(vacancy.title)}</b>",
        ctx.t(
            "vacancy-project-place",
            project=project_name(ctx, vacancy.project),
            place=place(ctx, vacancy),
        ),
    ]
    for key, text in (
        ("vacancy-employment", vacancy.employment),
        ("vacancy-requirements", vacancy.requirements),
        ("vacancy-duties", vacancy.duties),
        ("vacancy-not-fit", vacancy.not_fit),
        ("vacancy-offer", vacancy.offer),
    ):
        if text:
            parts.append(f"{ctx.t(key)}\n{esc(text)}")
    parts.append(ctx.t("vacancy-task", days=vacancy.deadline_days))
    if vacancy.contacts:
        parts.append(f"{ctx.t('vacancy-contacts')}\n{esc(vacancy.contacts)}")
    if vacancy.hashtags:
        parts.append(" ".join("#" + esc(tag) for tag in vacancy.hashtags))
    return "\n\n".join(parts)


async def card_screen(ctx: Context, vacancy: Vacancy, page: int) -> Screen:
    application = await ctx.services.applications.find(ctx.user.id, vacancy.id)
    if application is None:
        task = Button(ctx.t("vacancy-btn-task"), act("app.task", vacancy.id))
    else:
        task = Button(ctx.t("vacancy-btn-application"), act("app.open", application.id))
    return Screen.of(
        card_text(ctx, vacancy),
        [
            [task],
            [
                Button(ctx.t("vacancy-btn-share"), act("vac.share", vacancy.id)),
                Button(ctx.t("vacancy-btn-subscribe"), act("vac.sub", vacancy.id)),
            ],
            [Button(ctx.t("vacancies-btn-list"), act("vac.list", page)), back_to_menu(ctx)],
        ],
    )


async def open_card(ctx: Context, vacancy_id: int | None, page: int, source: str | None) -> None:
    vacancy = await ctx.services.vacancies.get_open(vacancy_id) if vacancy_id else None
    if vacancy is None:
        closed = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
        key = "vacancy-closed" if closed is not None else "vacancy-not-found"
        if ctx.event.is_button:
            await ctx.reply.toast(ctx.t(key))
        await ctx.show(await list_screen(ctx, 0) if ctx.event.is_button else _notice(ctx, key))
        return
    await ctx.services.vacancies.view(ctx.user.id, vacancy, source)
    await ctx.show(await card_screen(ctx, vacancy, page))


def _notice(ctx: Context, key: str) -> Screen:
    return Screen.of(
        ctx.t(key), [[Button(ctx.t("menu-vacancies"), act("vac.list", 0)), back_to_menu(ctx)]]
    )


async def open_from_list(ctx: Context) -> None:
    await open_card(ctx, _arg(ctx, 0), min(_arg(ctx, 1) or 0, 10_000), None)


async def open_from_vacancy_link(ctx: Context) -> None:
    match = _VACANCY_REF.match(ctx.event.ref or "")
    if match is None:
        await ctx.reply.send(_notice(ctx, "vacancy-not-found"))
        return
    source = match.group(2) or ctx.event.ref_source
    await open_card(ctx, int(match.group(1)), 0, source)


async def open_from_placement_link(ctx: Context) -> None:
    match = _PLACEMENT_REF.match(ctx.event.ref or "")
    placement = await ctx.services.vacancies.placement(int(match.group(1))) if match else None
    if placement is None:
        await ctx.reply.send(_notice(ctx, "vacancy-not-found"))
        return
    vacancy_id, source = placement
    await open_card(ctx, vacancy_id, 0, source)


# --- share and subscribe ----------------------------------------------------------------------


def vacancy_link(ctx: Context, vacancy_id: int, source: str = "share") -> str | None:
    return ctx.notifier.deep_link(ctx.user.platform, f"v{vacancy_id}-{source}")


async def share(ctx: Context) -> None:
    vacancy = await ctx.services.vacancies.get_open(_arg(ctx, 0) or 0)
    if vacancy is None:
        await open_card(ctx, _arg(ctx, 0), 0, None)
        return
    link = vacancy_link(ctx, vacancy.id) or ""
    text = "\n".join(
        [ctx.t("share-title", title=vacancy.title), "", ctx.t("share-text"), esc(link)]
    )
    rows: list[list[Button]] = []
    if link:
        telegram = f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(vacancy.title)}"
        vk = f"https://vk.com/share.php?url={quote(link)}"
        if ctx.user.platform is not Platform.VK:  # on the web both networks are offered
            rows.append([Button(ctx.t("share-btn-telegram"), url=telegram)])
        if ctx.user.platform is not Platform.TELEGRAM:
            rows.append([Button(ctx.t("share-btn-vk"), url=vk)])
    rows.append([Button(ctx.t("share-btn-back"), act("vac.o", vacancy.id, 0))])
    await ctx.reply.edit(Screen.of(text, rows))


async def subscribe_screen(ctx: Context, vacancy: Vacancy) -> Screen:
    subscribed = await ctx.services.vacancies.subscriptions(ctx.user.id)
    on, off = "🔔", "🔕"
    rows = [
        [
            Button(
                ctx.t(
                    "subscribe-project",
                    mark=on if ("project", vacancy.project) in subscribed else off,
                    project=project_name(ctx, vacancy.project),
                ),
                act("vac.subp", vacancy.id),
            )
        ]
    ]
    for index, tag in enumerate(vacancy.hashtags[:4]):
        mark = on if ("tag", tag) in subscribed else off
        rows.append(
            [Button(ctx.t("subscribe-tag", mark=mark, tag=tag), act("vac.subt", vacancy.id, index))]
        )
    rows.append([Button(ctx.t("share-btn-back"), act("vac.o", vacancy.id, 0))])
    return Screen.of(ctx.t("subscribe-title"), rows)


async def show_subscribe(ctx: Context) -> None:
    vacancy = await ctx.services.vacancies.get(_arg(ctx, 0) or 0)
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.reply.edit(await subscribe_screen(ctx, vacancy))


async def toggle_project(ctx: Context) -> None:
    vacancy = await ctx.services.vacancies.get(_arg(ctx, 0) or 0)
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    on = await ctx.services.vacancies.toggle_subscription(ctx.user.id, "project", vacancy.project)
    await ctx.reply.toast(ctx.t("subscribe-on" if on else "subscribe-off"))
    await ctx.reply.edit(await subscribe_screen(ctx, vacancy))


async def toggle_tag(ctx: Context) -> None:
    vacancy = await ctx.services.vacancies.get(_arg(ctx, 0) or 0)
    index = _arg(ctx, 1)
    if vacancy is None or index is None or index >= min(len(vacancy.hashtags), 4):
        await ctx.registry.stale(ctx)
        return
    tag = vacancy.hashtags[index]
    on = await ctx.services.vacancies.toggle_subscription(ctx.user.id, "tag", tag)
    await ctx.reply.toast(ctx.t("subscribe-on" if on else "subscribe-off"))
    await ctx.reply.edit(await subscribe_screen(ctx, vacancy))


def register(r: Registry) -> None:
    r.command("vacancies", description_key="cmd-vacancies")(show_list)
    r.menu("menu-vacancies", act("vac.list", 0), order=10)
    r.action("vac.list")(show_list)
    r.action("vac.o")(open_from_list)
    r.action("vac.f")(show_filters)
    r.action("vac.fp")(filter_project)
    r.action("vac.fc")(filter_city)
    r.action("vac.ft")(filter_tag)
    r.action("vac.fr")(filter_remote)
    r.action("vac.fx")(reset_filters)
    r.action("vac.fs")(ask_search)
    r.state(SEARCH_STATE)(on_search_text)
    r.action("vac.share")(share)
    r.action("vac.sub")(show_subscribe)
    r.action("vac.subp")(toggle_project)
    r.action("vac.subt")(toggle_tag)
    r.ref("v")(open_from_vacancy_link)
    r.ref("p")(open_from_placement_link)
