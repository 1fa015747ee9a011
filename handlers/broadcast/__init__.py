"""Broadcasts for admins: `/broadcast` composes one (the message, optional link buttons, the
audience with its size, a preview exactly as recipients see it, a test copy, then send now or
schedule in Moscow time); `/broadcasts` lists scheduled and past ones with a report and a
cancel button. The progress and report screens the engine shows the author live here too.

Every `bc.*` action is admins-only in the registry; dialog states are not role-checked there,
so each state handler checks again, and every action re-loads the broadcast it points to.
"""

from __future__ import annotations

from handlers.broadcast.audience import (
    ask_tag,
    choose_project,
    cycle_locale,
    cycle_platform,
    on_tag,
    set_project,
    set_who,
    show_audience,
)
from handlers.broadcast.common import BUTTONS, COMPOSE, TAG, WHEN
from handlers.broadcast.compose import abort, new, on_buttons, on_message, skip_buttons
from handlers.broadcast.presenter import BroadcastPresenter
from handlers.broadcast.reports import cancel, confirm_cancel, show_list, show_report
from handlers.broadcast.sending import (
    ask_when,
    back_to_control,
    confirm_now,
    on_when,
    preview,
    schedule,
    send_now,
    test_copy,
)
from handlers.registry import ADMINS, Registry

__all__ = ["BroadcastPresenter", "register"]


def register(r: Registry) -> None:
    r.command("broadcast", roles=ADMINS, description_key="cmd-broadcast")(new)
    r.command("broadcasts", roles=ADMINS, description_key="cmd-broadcasts")(show_list)
    r.state(COMPOSE)(on_message)
    r.state(BUTTONS)(on_buttons)
    r.state(TAG)(on_tag)
    r.state(WHEN)(on_when)
    for name, handler in {
        "bc.new": new,
        "bc.abort": abort,
        "bc.skip": skip_buttons,
        "bc.aud": show_audience,
        "bc.aw": set_who,
        "bc.ap": choose_project,
        "bc.aps": set_project,
        "bc.at": ask_tag,
        "bc.apl": cycle_platform,
        "bc.al": cycle_locale,
        "bc.pv": preview,
        "bc.pvb": back_to_control,
        "bc.test": test_copy,
        "bc.now": confirm_now,
        "bc.go": send_now,
        "bc.sch": ask_when,
        "bc.sgo": schedule,
        "bc.list": show_list,
        "bc.r": show_report,
        "bc.x": confirm_cancel,
        "bc.xy": cancel,
    }.items():
        r.action(name, roles=ADMINS)(handler)
