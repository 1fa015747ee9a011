"""Faults the random-input tests found, each pinned by an ordinary example.

1. An admin removed from ADMIN_IDS while HR's comment or question prompt was open could still
   decide the application by typing the comment, or send the candidate a question: the dialog
   states `hr.comment` and `hr.ask` did not check the role again (the registry checks the roles
   of commands and buttons, not of dialog states).
2. A broadcast typed with Telegram formatting came out wrong: a code block with a language
   (aiogram renders it `<pre><code language="language-x">`) was shown as literal tags, so were a
   custom emoji and a mention link, and a language or link holding `<` or `&` made HTML that
   Telegram refuses (every recipient's copy would fail).
3. A "schedule" button whose time was out of datetime's range (forged or garbled data on the
   admin's own draft) crashed the handler: the admin got the generic apology.
4. A comment typed at the interview outcome prompt whose dialog data named no outcome (a state
   written by an older version, say) crashed the handler; the "no comment" button checked it.
"""

from __future__ import annotations

from pathlib import Path

from bot.domain import Platform
from tests.fakes.html_check import parse_html
from tests.property.world import (
    App,
    Entity,
    Shared,
    Template,
    actions_for,
    deliver,
    fresh_copy,
    person,
    press,
    run,
    say,
    telegram_message,
)

ADMIN = "tg-admin"


def _pending_application(app: App) -> int:
    row = app.conn.execute(
        "SELECT id FROM applications WHERE status = 'submitted' ORDER BY id LIMIT 1"
    ).fetchone()
    return int(row[0])


def _status(app: App, application_id: int) -> str:
    row = app.conn.execute(
        "SELECT status FROM applications WHERE id = ?", (application_id,)
    ).fetchone()
    return str(row[0])


async def _prompt_then_demote(
    shared: Shared, template: Template, path: Path, action: str, typed: str
) -> tuple[int, list[str], list[tuple[int, str]]]:
    """The admin opens HR's prompt (`action` on the pending application), is then removed from
    ADMIN_IDS (a restart with new settings), and types `typed`. Returns the application, what
    the (former) admin was shown after typing, and every notification sent then."""
    admin = person(ADMIN)
    fresh_copy(template, path)
    async with shared.app(path) as app:
        application_id = _pending_application(app)
        data = f"{action}:{application_id}"
        app.recorder.actions.append((Platform.TELEGRAM, admin.external_id, data))
        await press(app, admin, action, 1)
        assert app.state_of(app.user_id(admin)) is not None  # the prompt waits for the text
    async with shared.app(path, admin_ids=[]) as app:
        await say(app, admin, typed, 2)
        shown = [item.screen.text for item in app.recorder.shown if item.how != "notify"]
        notified = [
            (item.chat_id, item.screen.text) for item in app.recorder.shown if item.how == "notify"
        ]
        assert _status(app, application_id) == "submitted"
        assert app.state_of(app.user_id(admin)) is None  # the dialog is over
        assert not app.recorder.take_problems()
    return application_id, shown, notified


def test_a_removed_admin_cannot_decide_by_typing_the_comment(
    world: tuple[Shared, Template], tmp_path: Path
) -> None:
    shared, template = world
    _, shown, notified = run(
        _prompt_then_demote(shared, template, tmp_path / "db.sqlite3", "hr.acc", "Отлично!")
    )
    forbidden = shared.translator("ru", "forbidden")
    assert any(forbidden in text for text in shown)
    assert notified == []  # the candidate was told nothing


def test_a_removed_admin_cannot_send_a_question(
    world: tuple[Shared, Template], tmp_path: Path
) -> None:
    shared, template = world
    _, shown, notified = run(
        _prompt_then_demote(shared, template, tmp_path / "db.sqlite3", "hr.ask", "Почему так?")
    )
    forbidden = shared.translator("ru", "forbidden")
    assert any(forbidden in text for text in shown)
    assert notified == []  # no question reached the candidate


# --- 2. formatted broadcasts ----------------------------------------------------------------------


async def _compose(shared: Shared, template: Template, path: Path) -> list[str]:
    """The admin types a broadcast with formatting Telegram sends as entities, then previews
    it; return the broadcast's HTML (and fail on any invariant the recorder checks)."""
    admin = person(ADMIN)
    text = "Код: print(1) и 👍, привет Вася; ещё блок https://e.com/a?b=1"
    code, emoji, mention = text.index("print(1)"), text.index("👍"), text.index("Вася")
    block = text.index("https://")
    entities = (
        Entity("pre", code, code + len("print(1)"), "python"),
        Entity("custom_emoji", emoji, emoji + 1, "5368324170671202286"),
        Entity("text_link", mention, mention + len("Вася"), "tg://user?id=1"),
        Entity("pre", block, len(text), "c<2>&d"),
    )
    fresh_copy(template, path)
    async with shared.app(path) as app:
        await say(app, admin, "/broadcast", 1)
        event = telegram_message(
            admin, 2, app.clock(), text=text, entities=entities, language_code="ru"
        )
        await deliver(app, event, who=admin)
        await press(app, admin, "bc.skip", 3)
        await press(app, admin, "bc.pv", 4)
        assert app.recorder.copies, "the preview was sent"
        assert not app.recorder.take_problems()
        rows = app.conn.execute("SELECT text FROM broadcasts ORDER BY id DESC LIMIT 1").fetchall()
    return [str(row[0]) for row in rows]


def test_a_formatted_broadcast_keeps_its_formatting_and_shows_no_tags(
    world: tuple[Shared, Template], tmp_path: Path
) -> None:
    shared, template = world
    [html] = run(_compose(shared, template, tmp_path / "db.sqlite3"))
    parse_html(html)  # Telegram takes it
    assert '<pre><code class="language-python">print(1)</code></pre>' in html
    assert (
        "👍" in html and "tg-emoji" not in html
    )  # the emoji stays, the tag a bot may not send goes
    assert "Вася" in html and "tg://" not in html
    assert "<pre>https://e.com/a?b=1</pre>" in html  # an odd language is dropped, the block kept
    assert "language=" not in html


# --- 3. a schedule button with an impossible time -----------------------------------------------


async def _schedule_forged(shared: Shared, template: Template, path: Path, stamp: str) -> None:
    admin = person(ADMIN)
    fresh_copy(template, path)
    async with shared.app(path) as app:
        await say(app, admin, "/broadcast", 1)
        await say(app, admin, "Новости", 2)
        await press(app, admin, "bc.skip", 3)
        draft = next(d for d in actions_for(app, admin) if d.startswith("bc.pv:")).split(":")[1]
        app.recorder.actions.append(
            (Platform.TELEGRAM, admin.external_id, f"bc.sgo:{draft}:{stamp}")
        )
        reply = await press(app, admin, "bc.sgo", 4)
        assert reply is not None and reply.answers == 1
        assert not app.recorder.take_problems()  # no apology, nothing Telegram would refuse
        status = app.conn.execute("SELECT status FROM broadcasts WHERE id = ?", (draft,))
        assert status.fetchone()[0] == "draft"
        assert app.state_of(app.user_id(admin)) == "bc.when"  # asked for the time again


def test_a_schedule_button_with_an_impossible_time_asks_for_the_time_again(
    world: tuple[Shared, Template], tmp_path: Path
) -> None:
    shared, template = world
    for stamp in ("9" * 18, "1" + "0" * 17, "253402300800"):
        run(_schedule_forged(shared, template, tmp_path / "db.sqlite3", stamp))


# --- 4. the outcome comment prompt with dialog data that names no outcome -------------------------


async def _comment_on_unknown_outcome(
    shared: Shared, template: Template, path: Path, outcome: str
) -> None:
    admin = person(ADMIN)
    fresh_copy(template, path)
    async with shared.app(path) as app:
        interview = int(app.conn.execute("SELECT MIN(id) FROM interviews").fetchone()[0])
        before = app.conn.execute("SELECT * FROM interviews ORDER BY id").fetchall()
        user_id = app.user_id(admin)
        assert user_id is not None
        await app.core.services.dialogs.set(
            user_id, "iv.cm", {"interview": interview, "outcome": outcome}
        )
        await say(app, admin, "Пришёл вовремя", 1)
        assert not app.recorder.take_problems()  # no apology: told the prompt is out of date
        assert app.conn.execute("SELECT * FROM interviews ORDER BY id").fetchall() == before
        assert app.state_of(user_id) is None


def test_an_outcome_comment_for_an_unknown_outcome_is_out_of_date(
    world: tuple[Shared, Template], tmp_path: Path
) -> None:
    shared, template = world
    for outcome in ("", "x", "Came"):
        run(_comment_on_unknown_outcome(shared, template, tmp_path / "db.sqlite3", outcome))
