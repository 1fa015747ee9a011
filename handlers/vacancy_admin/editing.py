"""The create / edit dialog's answers: typed values, buttons, skipping, saving, cancelling."""

from __future__ import annotations

from bot.domain.vacancies import PROJECTS, VacancyStatus
from bot.i18n import Markup
from bot.services.vacancy_import import (
    MAX_DEADLINE_DAYS,
    MAX_HASHTAGS,
    MIN_DEADLINE_DAYS,
)
from bot.ui import Button, Screen, act
from handlers.common import back_to_menu, refuse_non_admin
from handlers.context import Context
from handlers.vacancies import project_name
from handlers.vacancy_admin.card import card_screen
from handlers.vacancy_admin.common import int_arg, page_arg, str_arg
from handlers.vacancy_admin.draft import (
    DAYS_RE,
    FIELD_BY_NAME,
    FIELDS,
    SAVE_MODES,
    Dialog,
    FieldSpec,
    clean_text,
    draft_of,
    empty_draft,
    first_missing,
    is_optional,
    parse_hashtags,
    store,
    unique_slug,
)
from handlers.vacancy_admin.listing import list_screen
from handlers.vacancy_admin.prompts import fields_screen, preview_screen, prompt_screen


def length_problem(ctx: Context, spec: FieldSpec, text: str) -> Markup | None:
    if not text:
        return ctx.t("va-err-empty")
    if len(text) > spec.limit:
        return ctx.t("va-err-too-long", length=len(text), limit=spec.limit)
    if len(text) < spec.minimum:
        return ctx.t("va-err-too-short", minimum=spec.minimum)
    return None


def match_project(ctx: Context, text: str) -> str | None:
    wanted = " ".join(text.split()).casefold()
    for project in PROJECTS:
        if wanted in (project, str(project_name(ctx, project)).casefold()):
            return project
    return None


def accept_text(ctx: Context, dialog: Dialog, text: str) -> Markup | None:
    """Put a typed answer into the draft; return the reason when it cannot be accepted."""
    spec = FIELD_BY_NAME[dialog.step]
    draft = dialog.draft
    name = spec.name
    if name == "project":
        project = match_project(ctx, text)
        if project is None:
            return ctx.t("va-err-project")
        draft["project"] = project
        return None
    if name == "remote":
        return ctx.t("va-err-remote")
    if name == "hashtags":
        tags, bad = parse_hashtags(text)
        if bad is not None:
            return ctx.t("va-err-hashtag", tag=bad[:60])
        if not tags:
            return ctx.t("va-err-empty")
        if len(tags) > MAX_HASHTAGS:
            return ctx.t("va-err-hashtags-many", count=len(tags), max=MAX_HASHTAGS)
        draft["hashtags"] = tags
        return None
    if name == "deadline_days":
        raw = text.strip()
        days = int(raw) if DAYS_RE.fullmatch(raw) else None
        if days is None or not MIN_DEADLINE_DAYS <= days <= MAX_DEADLINE_DAYS:
            return ctx.t("va-err-days", min=MIN_DEADLINE_DAYS, max=MAX_DEADLINE_DAYS)
        draft["deadline_days"] = days
        return None
    value = clean_text(text, single_line=spec.single_line)
    problem = length_problem(ctx, spec, value)
    if problem is not None:
        return problem
    draft[name] = value
    return None


def next_step(dialog: Dialog) -> str:
    names = [spec.name for spec in FIELDS]
    for name in names[names.index(dialog.step) + 1 :]:
        if name == "remote" and not dialog.draft["city"] and dialog.draft["remote"]:
            continue  # "remote only" already answered it
        return name
    return ""


async def advance(ctx: Context, dialog: Dialog) -> None:
    """After an accepted answer: the next step when walking, else back to the preview."""
    dialog.step = next_step(dialog) if dialog.walk else ""
    if not dialog.step:
        dialog.walk = False
    await store(ctx, dialog)
    if dialog.step:
        await ctx.show(prompt_screen(ctx, dialog))
    else:
        await ctx.show(preview_screen(ctx, dialog))


async def on_edit_text(ctx: Context) -> None:
    if await refuse_non_admin(ctx):
        return
    dialog = Dialog.load(ctx)
    if dialog is None:  # unreadable data from an older version: start over
        await ctx.clear_state()
        await ctx.reply.send(await list_screen(ctx, 0))
        return
    if not dialog.step:
        await ctx.reply.send(fields_screen(ctx, dialog, 0, notice=ctx.t("va-hint-use-buttons")))
        return
    if not ctx.event.text.strip() and ctx.event.attachments:
        await ctx.reply.send(prompt_screen(ctx, dialog, ctx.t("va-err-text-only")))
        return
    problem = accept_text(ctx, dialog, ctx.event.text)
    if problem is not None:
        await ctx.reply.send(prompt_screen(ctx, dialog, problem))
        return
    await advance(ctx, dialog)


async def dialog_at(ctx: Context, step: str) -> Dialog | None:
    """The dialog when it waits for `step`; answers a stale button and returns None otherwise."""
    dialog = Dialog.load(ctx)
    if dialog is None or dialog.step != step:
        await ctx.registry.stale(ctx)
        return None
    return dialog


async def choose_project(ctx: Context) -> None:
    project = str_arg(ctx, 0)
    dialog = await dialog_at(ctx, "project")
    if dialog is None:
        return
    if project not in PROJECTS:
        await ctx.registry.stale(ctx)
        return
    dialog.draft["project"] = project
    await advance(ctx, dialog)


async def remote_only(ctx: Context) -> None:
    dialog = await dialog_at(ctx, "city")
    if dialog is None:
        return
    dialog.draft.update(city="", remote=True)
    await advance(ctx, dialog)


async def choose_remote(ctx: Context) -> None:
    answer = int_arg(ctx, 0)
    dialog = await dialog_at(ctx, "remote")
    if dialog is None:
        return
    if answer not in (0, 1):
        await ctx.registry.stale(ctx)
        return
    if answer == 0 and not dialog.draft["city"]:
        await ctx.reply.toast(ctx.t("va-err-no-place-short"))
        await ctx.reply.edit(prompt_screen(ctx, dialog, ctx.t("va-err-no-place")))
        return
    dialog.draft["remote"] = bool(answer)
    await advance(ctx, dialog)


async def skip(ctx: Context) -> None:
    name = str_arg(ctx, 0)
    spec = FIELD_BY_NAME.get(name)
    dialog = Dialog.load(ctx)
    if dialog is None or spec is None or dialog.step != name or not is_optional(spec, dialog.draft):
        await ctx.registry.stale(ctx)
        return
    dialog.draft[name] = [] if name == "hashtags" else ""
    await advance(ctx, dialog)


async def start_new(ctx: Context) -> None:
    dialog = Dialog(0, "title", True, empty_draft())
    await store(ctx, dialog)
    await ctx.show(prompt_screen(ctx, dialog))


async def start_edit(ctx: Context) -> None:
    vacancy_id = int_arg(ctx, 0)
    vacancy = await ctx.services.vacancies.get(vacancy_id) if vacancy_id else None
    if vacancy is None:
        await ctx.registry.stale(ctx)
        return
    dialog = Dialog(vacancy.id, "", False, draft_of(vacancy))
    await store(ctx, dialog)
    await ctx.show(fields_screen(ctx, dialog, 0))


async def dialog_not_walking(ctx: Context) -> Dialog | None:
    dialog = Dialog.load(ctx)
    if dialog is None or dialog.walk:
        await ctx.registry.stale(ctx)
        return None
    return dialog


async def show_fields(ctx: Context) -> None:
    dialog = await dialog_not_walking(ctx)
    if dialog is None:
        return
    if dialog.step:
        dialog.step = ""
        await store(ctx, dialog)
    await ctx.show(fields_screen(ctx, dialog, page_arg(ctx, 0)))


async def pick_field(ctx: Context) -> None:
    name = str_arg(ctx, 0)
    dialog = await dialog_not_walking(ctx)
    if dialog is None:
        return
    if name not in FIELD_BY_NAME:
        await ctx.registry.stale(ctx)
        return
    dialog.step = name
    await store(ctx, dialog)
    await ctx.show(prompt_screen(ctx, dialog))


async def show_preview(ctx: Context) -> None:
    dialog = await dialog_not_walking(ctx)
    if dialog is None:
        return
    if dialog.step:
        dialog.step = ""
        await store(ctx, dialog)
    await ctx.show(preview_screen(ctx, dialog))


async def cancel(ctx: Context) -> None:
    dialog = Dialog.load(ctx)
    if dialog is None:
        await ctx.registry.stale(ctx)
        return
    await ctx.clear_state()
    rows: list[list[Button]] = []
    if dialog.vacancy_id:
        rows.append([Button(ctx.t("va-btn-card"), act("va.o", dialog.vacancy_id))])
    rows.append([Button(ctx.t("va-btn-list"), act("va", 0)), back_to_menu(ctx)])
    await ctx.reply.toast(ctx.t("va-cancelled-short"))
    await ctx.show(Screen.of(ctx.t("va-cancelled"), rows))


async def save(ctx: Context) -> None:
    mode = str_arg(ctx, 0)
    dialog = Dialog.load(ctx)
    if (
        dialog is None
        or dialog.step
        or mode not in SAVE_MODES
        or (mode == "keep" and not dialog.vacancy_id)
    ):
        await ctx.registry.stale(ctx)
        return
    missing = first_missing(dialog.draft)
    if missing is not None:
        dialog.step = missing
        await store(ctx, dialog)
        await ctx.reply.toast(ctx.t("va-err-missing-short"))
        await ctx.reply.edit(prompt_screen(ctx, dialog, ctx.t("va-err-missing")))
        return
    service = ctx.services.vacancies
    existing = await service.get(dialog.vacancy_id) if dialog.vacancy_id else None
    if dialog.vacancy_id and existing is None:
        await ctx.clear_state()
        await ctx.registry.stale(ctx)
        return
    keep = mode == "keep" and existing is not None
    status = existing.status if keep and existing is not None else VacancyStatus(mode)
    title = dialog.draft["title"]
    slug = existing.slug if existing is not None else await unique_slug(ctx, title)
    vacancy, newly = await service.save(dialog.as_draft(slug, status))
    await ctx.clear_state()
    await ctx.services.privacy.audit(
        ctx.user.id, "admin", "vacancy saved", f"vacancy {vacancy.id}", vacancy.status.value
    )
    key = f"va-saved-{vacancy.status}"
    notice = ctx.t(key)
    if newly:
        notice = Markup(notice + "\n" + ctx.t("va-saved-notices"))
    await ctx.reply.toast(ctx.t(key))
    await ctx.show(await card_screen(ctx, vacancy, notice=notice))
