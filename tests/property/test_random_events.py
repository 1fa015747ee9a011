"""Random input through the real core and registry (issue 14), for every role on both messengers.

Each example copies the template database (see `world.py`), puts the person under test in a
random dialog state (or none), and sends a random sequence of events built the way the runtimes
build them: aiogram Messages and CallbackQueries through `bot.telegram.convert`, raw Long Poll
objects through `bot.vk.convert`. Most events come from the person under test, some from the
other people (so a candidate's answer reaches HR, whose buttons the admin may then press).

After every event:
1. no unhandled error: the generic apology is never shown (screen, notification or toast) and
   nothing is logged at ERROR;
2. every button press is answered exactly once (no notice is given after the answer, where
   nobody would see it);
3. every text that goes out is valid Telegram HTML within Telegram's limits (4096 characters
   after parsing, 64-byte callback data, 100 buttons) or, on VK, plain text with no markup
   left, within 6 rows / 10 buttons / 5 per row, labels of 40 and payloads of 255 characters;
   toasts are plain text; broadcast copies are valid HTML within the limits;
4. no other person's rows changed (see `foreign_changes`), and only admins change the company's
   rows (vacancies, posts, placements).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event as hypothesis_event
from hypothesis import given, note
from hypothesis import strategies as st

from bot.domain import Platform
from bot.events import Event
from tests.property import strategies as s
from tests.property.world import (
    HR_GROUP_CHAT,
    NEWCOMERS,
    PEOPLE,
    TALLY,
    App,
    Person,
    Shared,
    Snapshot,
    Template,
    as_row,
    deliver,
    describe,
    error_records,
    fresh_copy,
    run,
    snapshot,
    telegram_message,
    telegram_press,
    vk_event_object,
    vk_message,
    vk_message_object,
    vk_press,
)

MAX_STEPS = 25
STEP_COUNT = st.integers(1, MAX_STEPS)
ROLES = ["candidate", "employee", "admin"]

# --- no other person's rows changed -------------------------------------------------------------

#: what an admin's action may change in other people's rows: handler -> table -> columns
#: ("+" allows new rows, "-" removed rows)
INVITE: dict[str, set[str]] = {"interview_invites": {"+", "times_owed_after"}}
#: (the candidate is told, after a no-show with the free times to book again: none free, they
#: are owed times; the same when a cancelled slot's candidates are offered the others)
OWED: dict[str, set[str]] = {"interview_invites": {"times_owed_after"}}
OUTCOME: dict[str, set[str]] = {
    "interviews": {"status", "outcome", "comment", "updated_at"},
    **OWED,
}
ADMIN_EFFECTS: dict[str, dict[str, set[str]]] = {
    # accept / reject (with a comment typed in the hr.comment state)
    # (an acceptance invites to an interview: shown no free time, the candidate is owed times)
    "hr.acc": {"applications": {"status", "reviewer_id", "decided_at", "comment"}, **INVITE},
    "hr.rej": {"applications": {"status", "reviewer_id", "decided_at", "comment"}},
    "hr.nc": {"applications": {"status", "reviewer_id", "decided_at", "comment"}, **INVITE},
    "state:hr.comment": {
        "applications": {"status", "reviewer_id", "decided_at", "comment"},
        **INVITE,
    },
    # interviews: inviting, the outcome (a comment may be typed), cancelling a slot, and
    # publishing slots (the times owed to candidates who waited go out)
    "iv.inv": INVITE,
    "iv.oc": OUTCOME,
    "iv.nc": OUTCOME,
    "state:iv.cm": OUTCOME,
    "iv.sx": {"interviews": {"status", "updated_at"}, **OWED},
    "iv.pp": OWED,
    # extension requests
    "hr.eg": {"applications": {"extension", "deadline_at"}},
    "hr.er": {"applications": {"extension", "deadline_at"}},
    # revoking an employee ends their access and any dialog they were in
    "tm.rv.yes": {"employees": {"revoked_at"}, "users": {"role"}, "dialog_states": {"-"}},
    # content requests: take, decline (the reason is typed), fulfil with a new post
    "tm.rq.t": {"content_requests": {"status", "admin_id", "updated_at"}},
    "state:tm.decline": {"content_requests": {"status", "admin_id", "reason", "updated_at"}},
    "tm.cat": {"content_requests": {"status", "admin_id", "post_id", "updated_at"}},
    # cancelling a broadcast (any admin's)
    "bc.xy": {"broadcasts": {"status", "finished_at"}},
    # publishing a vacancy queues one notice per subscriber
    "va.st": {"vacancy_notices": {"+"}},
    "va.save": {"vacancy_notices": {"+"}},
}
#: columns that point at a person, cleared when that person's data is erased
ERASED_REFERENCES = {"reviewer_id", "admin_id", "created_by", "used_by", "actor_id", "invited_by"}


@dataclass(frozen=True, slots=True)
class Act:
    """Who acted and through which handler, for judging changes to other people's rows."""

    ids: frozenset[int]  # the actor's user id (before and after: a newcomer gets one)
    admin: bool  # the actor was an admin when the event came
    handler: str  # action name, "state:<name>", "command:<name>" or "message"
    erased: bool  # the actor's data was erased by this event


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> set[str]:
    if before is None:
        return {"+"}
    if after is None:
        return {"-"}
    return {key for key in before if before[key] != after.get(key)}


def _allowed(
    table: str, before: dict[str, Any] | None, after: dict[str, Any] | None, act: Act
) -> bool:
    changed = _diff(before, after)
    if act.admin and changed <= ADMIN_EFFECTS.get(act.handler, {}).get(table, set()):
        return True
    if (
        table == "invites"
        and before is not None
        and after is not None
        and before["used_by"] is None
        and after["used_by"] in act.ids
    ):
        return changed <= {"used_by", "used_at"}  # redeeming an invite is what it is for
    if act.erased and before is not None and after is not None:
        # erasure clears references to the person and their id inside referral sources
        own_sources = {f"ref_{i}" for i in act.ids}
        for column in changed:
            if column in ERASED_REFERENCES:
                if before[column] not in act.ids or after[column] is not None:
                    return False
            elif column == "source":
                if before[column] not in own_sources or after[column] != "ref_erased":
                    return False
            elif column in ("name", "team") and table == "invites":
                if after[column] != "":
                    return False
            else:
                return False
        return True
    if act.erased and table == "audit_log" and before is None and after is not None:
        return bool(after["actor"] == "system" and after["action"] == "erasure")
    return False


def foreign_changes(before: Snapshot, after: Snapshot, act: Act) -> list[str]:
    """Rows of other people (and, for non-admins, the company's rows) the event changed."""
    problems: list[str] = []
    for table, rows_before in before.items():
        rows_after = after[table]
        if rows_before == rows_after:
            continue
        for key in rows_before.keys() | rows_after.keys():
            owner_before, values_before = rows_before.get(key, (None, None))
            owner_after, values_after = rows_after.get(key, (None, None))
            if values_before == values_after:
                continue
            row_before, row_after = as_row(table, values_before), as_row(table, values_after)
            if table == "posts" and row_before and row_after:
                row_before.pop("rotation")  # wordings handed out in turn: a shared counter
                row_after.pop("rotation")
                if row_before == row_after:
                    continue
            owners = {owner for owner in (owner_before, owner_after) if owner is not None}
            if owners and owners <= act.ids:
                continue  # the actor's own rows
            if not owners and act.admin:
                continue  # the company's rows: admins manage them
            if _allowed(table, row_before, row_after, act):
                continue
            whose = f"of user {sorted(owners)}" if owners else "of the company"
            problems.append(
                f"{act.handler} changed {table} {key} {whose}: "
                f"{_diff(row_before, row_after)} {row_before} -> {row_after}"
            )
    return problems


# --- one example ----------------------------------------------------------------------------------


STATE_DATA: dict[str, list[str]] = {
    "app.answer": ["application"],
    "app.reply": ["application"],
    "hr.comment": ["application", "accept"],
    "hr.ask": ["application"],
    "ct.link": ["post"],
    "ct.request": [],
    "vac.search": [],
    "tm.invite": [],
    "tm.join": [],
    "tm.decline": ["request"],
    "tm.post": ["request"],
    "bc.compose": [],
    "bc.buttons": ["id"],
    "bc.tag": ["id"],
    "bc.when": ["id"],
    "va.place": ["vacancy"],
    "va.edit": ["vacancy", "step", "walk"],
    "iv.note": ["application"],
    "iv.cm": ["interview", "outcome"],
}
ID_TABLES = {
    "application": "applications",
    "post": "posts",
    "request": "content_requests",
    "id": "broadcasts",
    "vacancy": "vacancies",
    "interview": "interviews",
}


def planted_states(
    ids: dict[str, list[int]],
) -> st.SearchStrategy[tuple[str, dict[str, Any]] | None]:
    """A dialog state to start in, with data shaped as the bot writes it (real or stale ids)."""
    ref = {
        key: st.sampled_from(ids[table]) | st.integers(0, 10**6) for key, table in ID_TABLES.items()
    }
    values: dict[str, st.SearchStrategy[Any]] = {
        **ref,
        "accept": st.booleans(),
        "walk": st.booleans(),
        "step": st.sampled_from(["", "title", "project", "city", "deadline_days"]),
        "outcome": st.sampled_from(["came", "no_show", "offer", "hired", "rejected", "", "x"]),
    }

    def named(name: str) -> Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]:
        return lambda data: (name, data | ({"draft": {}} if "step" in data else {}))

    states = [
        st.fixed_dictionaries({key: values[key] for key in keys}).map(named(name))
        for name, keys in sorted(STATE_DATA.items())
    ]
    post_with_text = st.builds(
        lambda request, text: (
            "tm.post",
            {"request": request, "text": text, "media_ref": "", "media_kind": ""},
        ),
        ref["request"],
        s.any_text,
    )
    # the slot dialog at any step, shaped as it is written up to that step
    slot_dialog = st.builds(
        lambda step, vacancy, fmt, place, name, minutes, times: (
            "iv.pub",
            {"step": step, "vacancy": vacancy, "format": fmt, "place": place}
            | ({"interviewer": name, "duration": minutes} if step in ("times", "preview") else {})
            | ({"times": times} if step == "preview" else {}),
        ),
        st.sampled_from(
            ["vacancy", "format", "place", "interviewer", "duration", "times", "preview"]
        ),
        st.just(0) | ref["vacancy"],
        st.sampled_from(["office", "video", "phone"]),
        s.any_text,
        s.any_text,
        st.sampled_from([30, 45, 60, 90]),
        st.lists(
            st.datetimes(  # what the dialog stores: times it parsed, past ones by now
                min_value=datetime(2026, 1, 1),
                max_value=datetime(2027, 12, 31),
                timezones=st.just(UTC),
            ).map(lambda moment: moment.isoformat()),
            max_size=3,
        ),
    )
    return st.none() | st.one_of(*states, post_with_text, slot_dialog)


_STRATEGIES: dict[int, tuple[s.Strategies, st.SearchStrategy[Any]]] = {}


def strategies_for(template: Template, app: App) -> tuple[s.Strategies, st.SearchStrategy[Any]]:
    """Built once per template (per session): hypothesis validates each strategy once."""
    found = _STRATEGIES.get(id(template))
    if found is None:
        registry = app.core.registry
        found = (
            s.Strategies(
                sorted(registry.commands),
                sorted(registry.actions),
                template.ids,
                template.invite_codes,
                [*PEOPLE, *NEWCOMERS],
            ),
            planted_states(template.ids),
        )
        _STRATEGIES[id(template)] = found
    return found


class Example:
    """One example: a fresh app, the person under test, the steps so far."""

    def __init__(
        self,
        app: App,
        focus: Person,
        template: Template,
        data: st.DataObject,
        strategies: s.Strategies,
    ) -> None:
        self.app = app
        self.focus = focus
        self.template = template
        self.data = data
        self.s = strategies
        self.n = 10_000

    def draw(self, strategy: st.SearchStrategy[Any], label: str) -> Any:
        return self.data.draw(strategy, label=label)

    def next_n(self) -> int:
        self.n += 1
        return self.n

    def pools(self, who: Person) -> tuple[list[str], list[str], list[str]]:
        """Action data shown to `who` (their last screen, all, newest first), and to others."""
        own: list[str] = []
        others: list[str] = []
        for platform, chat_id, data in reversed(self.app.recorder.actions):
            mine = platform is who.platform and chat_id == who.external_id
            (own if mine else others).append(data)
        latest = self.app.recorder.latest.get((who.platform, who.external_id), [])
        return latest, list(dict.fromkeys(own)), list(dict.fromkeys(others))

    def pick(self, items: list[str], label: str) -> str:
        return items[int(self.draw(s.index(len(items)), label))]

    def by_kind(self, items: list[str], label: str) -> str:
        """Any kind (action name) of button among `items`, then one of that kind, the newest
        first: every kind is as likely, however many buttons of it were shown."""
        names = list(dict.fromkeys(data.split(":", 1)[0] for data in items))
        name = self.pick(names, f"{label} (kind)")
        return self.pick([data for data in items if data.split(":", 1)[0] == name], label)

    def press(self, actor: Person, label: str) -> s.Origin:
        latest, own, others = self.pools(actor)
        kind = self.draw(s.press_kinds(bool(latest), bool(own), bool(others)), f"{label}: origin")
        if kind == "latest":
            return s.Origin(kind, self.pick(latest, f"{label}: button of the last screen"))
        if kind == "own":
            return s.Origin(kind, self.by_kind(own, f"{label}: button shown before"))
        if kind == "others":
            return s.Origin(kind, self.pick(others, f"{label}: button shown to others"))
        if kind == "garbled-latest":
            data = self.pick(latest, f"{label}: button of the last screen")
            return s.Origin(kind, s.garble(data, self.draw(self.s.garbling, f"{label}: garbling")))
        if kind in ("truncated", "garbled", "garbled-others"):
            data = self.by_kind(others if kind == "garbled-others" else own, f"{label}: button")
            if kind == "truncated":
                return s.Origin(
                    kind, data[: self.draw(s.index(max(len(data), 1)), f"{label}: cut")]
                )
            return s.Origin(kind, s.garble(data, self.draw(self.s.garbling, f"{label}: garbling")))
        if kind == "forged":
            return s.Origin(kind, self.draw(self.s.forged, f"{label}: forged"))
        return s.Origin(kind, self.draw(s.junk_data, f"{label}: junk"))

    def step(self, index: int) -> s.Step:
        label = f"event {index}"
        actor = self.focus
        if self.draw(s.somebody_else, f"{label}: who (4 = somebody else)") == 4:
            actor = self.draw(self.s.others[self.focus], f"{label}: who")
        kind = self.draw(s.step_kind, f"{label}: kind")
        action: s.Say | s.Press | s.Tick
        if kind == "press":
            origin = self.press(actor, label)
            if actor.platform is Platform.VK:
                how = self.draw(s.vk_shape, f"{label}: payload shape")
                if how == "ours":
                    payload = s.vk_payload(origin.data, how)
                elif how == "string":
                    pick = self.draw(s.vk_strings, f"{label}: payload text")
                    payload = s.vk_payload(origin.data, how, pick)
                else:
                    value = self.draw(s.json_values, f"{label}: payload JSON")
                    extra = self.draw(s.vk_extra, f"{label}: more JSON") if how == "a-any" else {}
                    payload = s.vk_payload(origin.data, how, 0, value, extra)
                action = s.Press(origin, payload)
            else:
                data = origin.data
                if isinstance(data, str) and len(data.encode()) > 64:
                    data = data.encode()[:64].decode(errors="ignore")  # Telegram's limit
                action = s.Press(origin, data, self.draw(s.where, f"{label}: where"))
        elif kind == "tick":
            action = s.Tick(self.draw(s.ticks, f"{label}: seconds"))
        else:
            action = self._say(kind, actor, label)
        renamed = self.draw(s.one_in_ten, f"{label}: renamed (0 = yes)") == 0
        first_name = self.draw(s.names, f"{label}: name") if renamed else None
        language = self.draw(s.one_in_ten, f"{label}: language (0 = other)") == 0
        code = self.draw(s.language_codes, f"{label}: language") if language else None
        return s.Step(actor, action, first_name, code, language)

    def _say(self, kind: str, actor: Person, label: str) -> s.Say:
        if kind == "command":
            text = self.draw(self.s.command, f"{label}: command")
        elif kind == "text":
            text = self.draw(self.s.text, f"{label}: text")
        else:
            text = self.draw(s.maybe_text, f"{label}: caption")
        file = self.draw(s.attachments, f"{label}: file") if kind == "file" else None
        if actor.platform is Platform.TELEGRAM:
            plan = self.draw(s.entity_plan, f"{label}: formatting") if text else []
            return s.Say(text, s.entities(text or "", plan), file)
        payload = self.draw(s.vk_message_payloads, f"{label}: payload")
        ref = ref_source = None
        if self.draw(s.one_in_six, f"{label}: deep link (0 = yes)") == 0:
            ref = self.draw(self.s.deep_link, f"{label}: ref")
            ref_source = self.draw(s.ref_sources, f"{label}: ref_source")
        return s.Say(text or "", (), file, payload, ref, ref_source)

    def event(self, step: s.Step) -> tuple[Event | None, bool]:
        """The neutral event the runtime would make of the step (None: it drops it), and whether
        a pressed message exists to edit."""
        who, n, now = step.actor, self.next_n(), self.app.clock()
        language = step.language_code if step.new_language else who.language_code
        action = step.action
        if who.platform is Platform.TELEGRAM:
            first_name = step.first_name
            if isinstance(action, s.Press):
                chat = {"private": who.external_id, "group": HR_GROUP_CHAT, "inline": None}
                data = action.payload if isinstance(action.payload, str) else None
                pressed = telegram_press(
                    who,
                    n,
                    now,
                    data,
                    chat_id=chat[action.where],
                    first_name=first_name,
                    language_code=language,
                )
                return pressed, action.where != "inline"
            assert isinstance(action, s.Say)
            event = telegram_message(
                who,
                n,
                now,
                text=action.text,
                entities=action.entities,
                attachment=action.attachment,
                first_name=first_name,
                language_code=language,
            )
            return event, False
        if isinstance(action, s.Press):
            return vk_press(vk_event_object(who, n, action.payload)), True
        assert isinstance(action, s.Say)
        obj = vk_message_object(
            who,
            n,
            now,
            text=action.text or "",
            attachment=action.attachment,
            payload=action.payload,
            ref=action.ref,
            ref_source=action.ref_source,
            language_code=language,
        )
        return vk_message(obj), False

    def handler(self, event: Event, state: str | None) -> str:
        if event.is_button:
            return event.action.name if event.action is not None else "stale"
        if event.command is not None:
            return f"command:{event.command}"
        return f"state:{state}" if state else "message"


async def _example(
    shared: Shared, template: Template, path: Path, focus: Person, data: st.DataObject, caplog: Any
) -> None:
    TALLY["examples"] += 1
    fresh_copy(template, path)
    async with shared.app(path) as app:
        app.recorder.actions = list(template.seed_actions)  # old buttons are still in the chats
        app.recorder.latest = dict(template.latest)  # and each person looks at their last screen
        strategies, plants = strategies_for(template, app)
        example = Example(app, focus, template, data, strategies)
        plant = data.draw(plants, label="dialog state at the start")
        if plant is not None:
            user = await app.core.services.users.find(focus.platform, focus.external_id)
            assert user is not None
            await app.core.services.dialogs.set(user.id, plant[0], plant[1])
        steps = data.draw(STEP_COUNT, label="events")
        before = snapshot(app.conn)
        version = app.data_version()
        for index in range(steps):
            step = example.step(index)
            if isinstance(step.action, s.Tick):
                app.clock.now += timedelta(seconds=step.action.seconds)
                continue
            who = step.actor
            user_before = app.user_id(who)
            state = app.state_of(user_before)
            erasures = app.erasures()
            event, has_message = example.event(step)
            caplog.clear()
            last_broadcast = app.last_broadcast()
            names = (step.first_name, who.last_name) if step.first_name else None
            reply = await deliver(app, event, who=who, message=has_message, names=names)
            TALLY["events" if event is not None else "dropped"] += 1
            TALLY["presses"] += event is not None and event.is_button
            if (
                state == "bc.compose"
                and event is not None
                and app.last_broadcast() > last_broadcast
            ):
                app.recorder.composed[app.last_broadcast()] = event.text  # without formatting
            changed = app.data_version() != version  # anything written since the last snapshot
            after = snapshot(app.conn) if changed else before
            version = app.data_version()
            user_after = app.user_id(who)
            problems = app.recorder.take_problems() + error_records(caplog.records)
            if reply is not None and event is not None and event.is_button:
                if reply.answers != 1:
                    problems.append(f"the press was answered {reply.answers} times")
                if reply.lost:
                    problems.append(f"notices given after the press was answered: {reply.lost}")
            if event is not None:
                hypothesis_event(f"handler {example.handler(event, state)}")
                act = Act(
                    ids=frozenset(i for i in (user_before, user_after) if i is not None),
                    admin=app.is_admin(who),  # the role comes from the settings at each update
                    handler=example.handler(event, state),
                    erased=app.erasures() > erasures,
                )
                problems += foreign_changes(before, after, act)
            note(f"event {index}: {who!r} {describe(event)} -> {len(problems)} problem(s)")
            if problems:
                raise AssertionError(
                    f"event {index} by {who!r} ({describe(event)}) in state {state!r}:\n- "
                    + "\n- ".join(problems)
                )
            before = after


def _focus(platform: Platform, role: str) -> Person:
    return next(p for p in PEOPLE if p.platform is platform and p.role == role and "2" not in p.key)


@pytest.mark.parametrize("platform", [Platform.TELEGRAM, Platform.VK], ids=["tg", "vk"])
@pytest.mark.parametrize("role", ROLES)
@given(data=st.data())
def test_random_events_keep_the_invariants(
    world: tuple[Shared, Template],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    platform: Platform,
    role: str,
    data: st.DataObject,
) -> None:
    shared, template = world
    caplog.set_level(logging.ERROR)
    run(
        _example(
            shared, template, tmp_path / "example.sqlite3", _focus(platform, role), data, caplog
        )
    )
