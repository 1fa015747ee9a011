"""Vacancy administration for admins: every vacancy (draft, open, closed) page by page, the admin
card with the funnel by source, status changes, a guided create / edit dialog with a preview, and
placement links (`p<id>` deep links) for each job board, and the screening questions asked
before the test task (`questions`).

The create / edit dialog keeps the whole draft in the SQLite dialog state (`va.edit`), so a restart
never loses the answers. Every field is checked with the same limits as the import file
(`bot.services.vacancy_import`). Buttons carry the step they belong to: a button from an older
prompt is answered as out of date instead of changing the wrong field.
"""

from __future__ import annotations

from handlers.registry import ADMINS, Registry
from handlers.vacancy_admin import questions
from handlers.vacancy_admin.card import change_status, open_card
from handlers.vacancy_admin.draft import (
    EDIT_STATE,
    PLACE_STATE,
    parse_hashtags,
    slugify,
    unique_slug,
)
from handlers.vacancy_admin.editing import (
    cancel,
    choose_project,
    choose_remote,
    on_edit_text,
    pick_field,
    remote_only,
    save,
    show_fields,
    show_preview,
    skip,
    start_edit,
    start_new,
)
from handlers.vacancy_admin.listing import show_list
from handlers.vacancy_admin.placements import ask_placement, on_placement_text, show_placements

__all__ = ["parse_hashtags", "register", "slugify", "unique_slug"]


def register(r: Registry) -> None:
    r.command("vacancy_admin", roles=ADMINS, description_key="cmd-vacancy-admin")(show_list)
    r.action("va", roles=ADMINS)(show_list)
    r.action("va.o", roles=ADMINS)(open_card)
    r.action("va.st", roles=ADMINS)(change_status)
    r.action("va.pl", roles=ADMINS)(show_placements)
    r.action("va.pn", roles=ADMINS)(ask_placement)
    r.action("va.new", roles=ADMINS)(start_new)
    r.action("va.ed", roles=ADMINS)(start_edit)
    r.action("va.fm", roles=ADMINS)(show_fields)
    r.action("va.f", roles=ADMINS)(pick_field)
    r.action("va.pv", roles=ADMINS)(show_preview)
    r.action("va.pj", roles=ADMINS)(choose_project)
    r.action("va.rm", roles=ADMINS)(remote_only)
    r.action("va.yn", roles=ADMINS)(choose_remote)
    r.action("va.skip", roles=ADMINS)(skip)
    r.action("va.save", roles=ADMINS)(save)
    r.action("va.cancel", roles=ADMINS)(cancel)
    r.state(EDIT_STATE)(on_edit_text)
    r.state(PLACE_STATE)(on_placement_text)
    questions.register(r)
