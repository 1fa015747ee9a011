"""Conversations through the real aiogram Dispatcher and polling against the stand-in Bot API."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import App
from bot.domain import Platform, Role
from bot.telegram.runtime import set_commands
from bot.throttle import Throttle
from tests.conftest import ADMIN_TG
from tests.harness import telegram_running


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


async def test_start_shows_welcome_and_candidate_menu(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(101, "Анна", last_name="Смирнова", username="anna")
        tg.send_text(user, "/start")
        message = await tg.wait_message(user.id)
    assert "Анна" in message.text
    assert message.button_texts() == [
        t(app, "menu-vacancies"),
        t(app, "menu-applications"),
        t(app, "menu-checklist"),
        t(app, "menu-help"),
        t(app, "menu-language"),
    ]
    stored = await app.services.users.get(1)
    assert stored is not None
    assert (stored.platform, stored.external_id, stored.role) == (
        Platform.TELEGRAM,
        101,
        Role.CANDIDATE,
    )
    assert (stored.first_name, stored.last_name, stored.username) == ("Анна", "Смирнова", "anna")


async def test_admin_gets_the_admin_panel(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        tg.send_text(admin, "/start")
        menu = await tg.wait_message(admin.id)
        assert t(app, "menu-admin") in menu.button_texts()
        mark = tg.mark()
        query = tg.press_button(admin, menu, t(app, "menu-admin"))
        panel = await tg.wait_message(admin.id, since=mark)
        await tg.wait_for("answerCallbackQuery", since=mark)
    assert panel.message_id == menu.message_id  # edited in place
    assert "Пользователей: 1 (Telegram: 1, VK: 0)" in panel.text  # only the messengers that run
    assert query in tg.callback_answers


async def test_help_lists_commands_for_the_role(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(102, "Ivan", language_code="en")
        tg.send_text(user, "/help")
        message = await tg.wait_message(user.id)
    assert "/checklist" in message.text and "/language" in message.text
    assert "/admin" not in message.text
    assert t(app, "help-privacy", "en") in message.text


async def test_language_switch_is_stored_and_edits_in_place(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(103, "Пётр")
        tg.send_text(user, "/language")
        chooser = await tg.wait_message(user.id)
        mark = tg.mark()
        tg.press_button(user, chooser, "English")
        await tg.wait_for("answerCallbackQuery", since=mark)
        edited = await tg.wait_message(user.id, since=mark)
        assert edited.message_id == chooser.message_id
        assert edited.text.startswith(t(app, "lang-changed", "en"))
        assert t(app, "menu-checklist", "en") in edited.button_texts()
        stored = await app.services.users.get(1)
        assert stored is not None and stored.locale == "en"
        mark = tg.mark()
        tg.send_text(user, "/language ru")
        again = await tg.wait_message(user.id, since=mark)
    assert again.text.startswith(t(app, "lang-changed", "ru"))


async def test_new_user_language_comes_from_telegram(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        english = tg.user(104, "Kate", language_code="en-GB")
        german = tg.user(105, "Hans", language_code="de")
        tg.send_text(english, "/start")
        tg.send_text(german, "/start")
        en_message = await tg.wait_message(english.id)
        de_message = await tg.wait_message(german.id)
    assert en_message.text.startswith("Hello, <b>Kate</b>")
    assert de_message.text.startswith("Здравствуйте, <b>Hans</b>")


async def test_anything_not_understood_gets_a_hint_and_the_menu(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(106, "Nina")
        tg.send_text(user, "/start")
        await tg.wait_message(user.id)
        for send, key in [
            (lambda: tg.send_sticker(user), "unknown-input"),
            (lambda: tg.send_text(user, "как дела?"), "unknown-input"),
            (lambda: tg.send_text(user, "/frobnicate now"), "unknown-command"),
        ]:
            mark = tg.mark()
            send()
            message = await tg.wait_message(user.id, since=mark)
            assert message.text == t(app, key)
            assert t(app, "menu-checklist") in message.button_texts()


async def test_first_message_of_a_new_user_gets_the_welcome(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(107, "Lev")
        tg.send_text(user, "hello")
        message = await tg.wait_message(user.id)
    assert "Lev" in message.text and t(app, "menu-checklist") in message.button_texts()


async def test_stale_and_forged_buttons_are_answered_and_change_nothing(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(108, "Mila")
        tg.send_text(user, "/start")
        await tg.wait_message(user.id)
        for data in ["admin", "cl.t:no-such-item:0", "old.action:1", "<b>x</b>", "cl.t:avatar:abc"]:
            query = tg.press(user, 999, data)
            answer = await tg.wait_for(
                "answerCallbackQuery", lambda c, q=query: c.params["callback_query_id"] == q
            )
            assert answer.ok
        await app.core.drain(5)
        # stale data brings the menu back; the checklist buttons re-show the checklist
        assert any(m.text == t(app, "stale-button-long") for m in tg.messages(user.id))
    stored = await app.services.users.get(1)
    assert stored is not None and stored.role is Role.CANDIDATE
    state = await app.services.checklist.state(stored.id)
    # only the well-formed item id with a broken page number toggled; "no-such-item" did not
    assert state.done == {"avatar"}
    texts = {tg.callback_answers[q].get("text") for q in tg.callback_answers}
    assert t(app, "forbidden") in texts and t(app, "stale-button") in texts
    assert t(app, "checklist-unknown-item") in texts


async def test_html_in_names_is_escaped(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(109, "<b>A & B</b>", last_name="</i>")
        tg.send_text(user, "/start")
        message = await tg.wait_message(user.id)
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in message.text
    assert "<b>A & B</b>" in message.plain_text


async def test_flood_control_429_then_success_still_delivers(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(110, "Oleg")
        tg.fail_next("sendMessage", error_code=429, retry_after=1)
        tg.send_text(user, "/start")
        message = await tg.wait_message(user.id, timeout=15)
    sends = tg.calls_of("sendMessage")
    assert [c.ok for c in sends] == [False, True]
    assert sends[1].time - sends[0].time >= 0.9
    assert "Oleg" in message.text


async def test_blocked_user_is_marked(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(111, "Gone")
        tg.block(user)
        update = tg.send_text(user, "/start")
        await tg.wait_delivered(update)
        await tg.wait_for("sendMessage")
        await app.core.drain(5)
    stored = await app.services.users.get(1)
    assert stored is not None and stored.is_blocked


async def test_one_flooding_user_is_throttled_others_are_not(app: App, tg: Any) -> None:
    async with telegram_running(app, tg, Throttle(rate=0.001, burst=2)):
        flooder, calm = tg.user(112, "F"), tg.user(113, "C")
        for i in range(6):
            tg.send_text(flooder, f"/help {i}")
        tg.send_text(calm, "/help")
        await tg.wait_message(calm.id)
        await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == flooder.id, count=4)
        await app.core.drain(5)
    texts = [m.text for m in tg.messages(flooder.id)]
    # the first is handled at once; of those piling up behind it, the burst (2) is handled
    assert len(texts) == 4
    assert texts.count(t(app, "too-many-requests")) == 1


async def test_a_person_who_waits_for_each_answer_is_never_throttled(app: App, tg: Any) -> None:
    async with telegram_running(app, tg, Throttle(rate=0.001, burst=1)):
        quick = tg.user(115, "Q")
        for i in range(6):
            mark = tg.mark()
            tg.send_text(quick, f"/help {i}")
            await tg.wait_message(quick.id, since=mark)
            await app.core.drain(5)
    texts = [m.text for m in tg.messages(quick.id)]
    assert len(texts) == 6
    assert t(app, "too-many-requests") not in texts


async def test_group_chat_messages_are_ignored(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        tg.add_chat(-100500, chat_type="supergroup")
        user = tg.user(114, "G")
        update = tg.send_text(user, "/start", chat_id=-100500)
        await tg.wait_delivered(update)
        tg.send_text(user, "/help")
        await tg.wait_message(user.id)
    assert tg.messages(-100500) == []


async def test_command_menu_in_both_languages(app: App, tg: Any) -> None:
    async with telegram_running(app, tg) as bot:
        tg.user(ADMIN_TG, "Admin")
        await set_commands(bot, app.core, [ADMIN_TG])
    assert set(tg.my_commands) >= {"", "ru", "en"}
    ru = {c["command"]: c["description"] for c in tg.my_commands["ru"]}
    en = {c["command"]: c["description"] for c in tg.my_commands["en"]}
    assert ru.keys() == en.keys() >= {"start", "help", "language", "checklist", "menu"}
    assert "admin" not in ru
    assert ru["language"] == t(app, "cmd-language") and en["language"] == t(
        app, "cmd-language", "en"
    )


async def blocked_flag(app: App, platform: Platform, external_id: int, want: bool) -> bool:
    """The stored flag once it is `want` (the update is handled in the background), else it."""
    for _ in range(100):
        user = await app.services.users.find(platform, external_id)
        if user is not None and user.is_blocked == want:
            return want
        await asyncio.sleep(0.05)
    return not want


async def test_blocking_and_unblocking_the_bot_is_noticed_at_once(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(116, "B")
        tg.send_text(user, "/start")
        await tg.wait_message(user.id)
        await app.core.drain(5)
        tg.block(user, with_update=True)
        assert await blocked_flag(app, Platform.TELEGRAM, user.id, True)  # no send failed yet
        assert (await app.services.users.counts()).blocked == 1
        tg.unblock(user, with_update=True)
        assert not await blocked_flag(app, Platform.TELEGRAM, user.id, False)
        assert (await app.services.users.counts()).blocked == 0
    assert tg.dropped_updates == []  # my_chat_member is among the allowed updates
