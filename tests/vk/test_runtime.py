"""Conversations through the real VK runtime (long poll thread, API calls) against the fake."""

from __future__ import annotations

from typing import Any

from bot.app import App
from bot.domain import Platform, Role
from tests.conftest import ADMIN_VK
from tests.harness import vk_press, vk_running


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


def label(app: App, key: str, locale: str = "ru") -> str:
    return t(app, key, locale)


async def test_start_button_gives_welcome_with_name_and_keyboard(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(301, "Иван", "Петров")
        vk.send_text(user, "Начать", payload={"command": "start"})
        message = await vk.wait_message(user.id)
    assert message.text.startswith("Здравствуйте, Иван!")
    assert "<b>" not in message.text  # VK gets plain text
    assert message.inline
    assert message.button_labels() == [
        label(app, "menu-vacancies"),
        label(app, "menu-applications"),
        label(app, "menu-checklist"),
        label(app, "menu-help"),
        label(app, "menu-language"),
    ]
    stored = await app.services.users.get(1)
    assert stored is not None
    assert (stored.platform, stored.external_id, stored.first_name) == (Platform.VK, 301, "Иван")


async def test_any_first_message_gets_the_welcome_in_the_client_language(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(302, "John", lang_id=3)
        vk.send_text(user, "hi there")
        message = await vk.wait_message(user.id)
        mark = vk.mark()
        vk.send_text(user, "what?")
        hint = await vk.wait_message(user.id, since=mark)
    assert message.text.startswith("Hello, John!")
    assert hint.text == t(app, "unknown-input", "en")


async def test_admin_menu_and_language_switch_edit_in_place(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        admin = vk.user(ADMIN_VK, "Ольга")
        vk.send_text(admin, "Начать", payload={"command": "start"})
        menu = await vk.wait_message(admin.id)
        assert label(app, "menu-admin") in menu.button_labels()
        chooser = await vk_press(vk, admin, menu, label(app, "menu-language"))
        assert chooser.conversation_message_id == menu.conversation_message_id
        english = await vk_press(vk, admin, chooser, "English")
        assert english.conversation_message_id == menu.conversation_message_id
        assert english.text.startswith(t(app, "lang-changed", "en"))
        assert label(app, "menu-admin", "en") in english.button_labels()
    stored = await app.services.users.get(1)
    assert stored is not None and stored.locale == "en" and stored.role is Role.ADMIN
    assert len(vk.calls_of("messages.edit")) == 2


async def test_checklist_pages_within_vk_limits(app: App, vk: Any) -> None:
    items = app.services.checklist.items
    async with vk_running(app, vk):
        user = vk.user(303, "Ася")
        vk.send_text(user, "/checklist")
        screen = await vk.wait_message(user.id)
        seen: list[str] = []
        page = screen
        while True:
            assert len(page.buttons()) <= 6
            assert sum(len(row) for row in page.buttons()) <= 10
            seen += [b for b in page.button_labels() if b.startswith("⬜")]
            if label(app, "checklist-btn-next") not in page.button_labels():
                break
            page = await vk_press(vk, user, page, label(app, "checklist-btn-next"))
            assert page.conversation_message_id == screen.conversation_message_id
        assert len(seen) == len(items)
        first = f"⬜ {t(app, 'checklist-item-' + items[-1])}"
        toggled = await vk_press(vk, user, page, first)
        assert f"✅ {t(app, 'checklist-item-' + items[-1])}" in toggled.button_labels()
        assert t(app, "checklist-progress", done=1, total=len(items)) in toggled.text
    assert (await app.services.checklist.state(1)).done == {items[-1]}


async def test_forged_payloads_are_answered_and_change_nothing(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(304, "Kit")
        vk.send_text(user, "/start")
        await vk.wait_message(user.id)
        for payload in [{"a": "admin"}, {"a": "cl.t:nope:0"}, {"a": "x<y"}, {"b": 1}, None]:
            event_id = vk.press(user, 1, payload)
            await vk.wait_for(
                "messages.sendMessageEventAnswer", lambda c, e=event_id: c.params["event_id"] == e
            )
        await app.core.drain(5)
    stored = await app.services.users.get(1)
    assert stored is not None and stored.role is Role.CANDIDATE
    assert (await app.services.checklist.state(1)).done_count == 0
    snackbars = [a.get("event_data", {}).get("text") for a in vk.event_answers.values()]
    assert t(app, "forbidden") in snackbars and t(app, "stale-button") in snackbars


async def test_deep_link_ref_opens_the_checklist(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(305, "Lena")
        vk.send_text(
            user, "Начать", payload={"command": "start"}, ref="checklist", ref_source="site"
        )
        message = await vk.wait_message(user.id)
    assert message.text.startswith(t(app, "checklist-title").replace("<b>", "").replace("</b>", ""))


async def test_long_poll_survives_failed_codes_and_drops(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(306, "Rob")
        for step in range(4):
            if step == 0:
                vk.fail_longpoll(1)
            elif step == 1:
                vk.fail_longpoll(2)
            elif step == 2:
                vk.fail_longpoll(3)
            else:
                vk.drop_longpoll_next()
            mark = vk.mark()
            vk.send_text(user, "/help")
            message = await vk.wait_message(user.id, since=mark, timeout=15)
            assert message.text.startswith(t(app, "help-intro").replace("<b>", "")[:10])


async def test_rate_limit_errors_are_retried(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(307, "Tom")
        vk.fail_next("messages.send", 6, times=1)
        vk.fail_next("messages.send", 9, times=1)
        vk.send_text(user, "/help")
        await vk.wait_message(user.id, timeout=15)
    sends = vk.calls_of("messages.send")
    assert [c.ok for c in sends] == [False, False, True]
    assert len({c.params["random_id"] for c in sends}) == 1  # the same message, deduplicated by VK


async def test_user_who_forbids_messages_is_marked_blocked(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(308, "No")
        vk.block(user)
        vk.send_text(user, "/start")
        await vk.wait_for("messages.send")
        await app.core.drain(5)
    stored = await app.services.users.get(1)
    assert stored is not None and stored.is_blocked


async def test_html_in_names_arrives_as_literal_text(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(309, "<b>A & B</b>")
        vk.send_text(user, "Начать")
        message = await vk.wait_message(user.id)
    assert message.text.startswith("Здравствуйте, <b>A & B</b>!")


async def test_long_poll_position_is_kept_across_restarts(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        user = vk.user(310, "Ada")
        vk.send_text(user, "/start")
        await vk.wait_message(user.id)
        vk.send_text(user, "/help")
        await vk.wait_message(user.id, lambda m: m.text.startswith("Что умеет"))
        await app.core.drain(5)
    saved = await app.services.runtime_state.get("vk.1.longpoll_ts")
    assert saved == "3"  # two events handled, polling goes on from the third
    mark = vk.mark()
    async with vk_running(app, vk):
        first_poll = await vk.wait_for("longpoll", since=mark)
    assert str(first_poll.params["ts"]) == saved


async def test_a_button_press_costs_one_request(app: App, vk: Any) -> None:
    """VK allows a community 20 requests a second: answering a press and editing its screen
    go together in one `execute`, and the edit still arrives with the answer's text."""
    async with vk_running(app, vk):
        user = vk.user(311, "Ира")
        vk.send_text(user, "Начать", payload={"command": "start"})
        menu = await vk.wait_message(user.id)
        await app.core.drain(5)
        mark = vk.mark()
        checklist = await vk_press(vk, user, menu, label(app, "menu-checklist"))
        await app.core.drain(5)
        item = checklist.button_labels()[0]
        ticked = await vk_press(vk, user, checklist, item)
        await app.core.drain(5)
    assert checklist.conversation_message_id == menu.conversation_message_id  # edited in place
    assert ticked.button_labels()[0] == item.replace("⬜", "✅")  # ticked in place
    requests = [c for c in vk.calls[mark:] if not getattr(c, "via_execute", False)]
    requests = [c for c in requests if c.method != "longpoll"]
    assert [c.method for c in requests] == ["execute", "execute"]
    answers = [a for a in vk.event_answers.values() if a.get("event_data")]
    assert answers[-1]["event_data"]["text"] == t(app, "checklist-marked")


async def test_names_of_people_writing_at_once_come_in_one_request(app: App, vk: Any) -> None:
    async with vk_running(app, vk):
        people = [vk.user(320 + i, f"Имя{i}") for i in range(5)]
        for person in people:
            vk.send_text(person, "Начать", payload={"command": "start"})
        for person in people:
            message = await vk.wait_message(person.id)
            assert message.text.startswith(f"Здравствуйте, Имя{people.index(person)}!")
    lookups = vk.calls_of("users.get")
    assert 1 <= len(lookups) < len(people)


async def test_message_deny_and_allow_are_noticed_at_once(app: App, vk: Any) -> None:
    from tests.telegram.test_handlers import blocked_flag

    async with vk_running(app, vk):
        user = vk.user(330, "Оля")
        vk.send_text(user, "Начать", payload={"command": "start"})
        await vk.wait_message(user.id)
        await app.core.drain(5)
        vk.block(user, with_event=True)
        assert await blocked_flag(app, Platform.VK, user.id, True)
        vk.unblock(user, with_event=True)
        assert not await blocked_flag(app, Platform.VK, user.id, False)
