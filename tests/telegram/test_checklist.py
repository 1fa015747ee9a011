"""The profile checklist in Telegram: one message edited in place, tips, progress, inline mode."""

from __future__ import annotations

from typing import Any

from bot.app import App, open_app
from bot.config import Settings
from tests.harness import telegram_running, tg_press


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


def item_label(app: App, item: str, done: bool, locale: str = "ru") -> str:
    mark = t(app, "checklist-done-mark" if done else "checklist-todo-mark", locale)
    return f"{mark} {t(app, f'checklist-item-{item}', locale)}"


async def test_checklist_toggles_in_place_with_tips_progress_and_completion(
    app: App, tg: Any
) -> None:
    items = app.services.checklist.items
    async with telegram_running(app, tg):
        user = tg.user(201, "Вера")
        tg.send_text(user, "/checklist")
        screen = await tg.wait_message(user.id)
        assert t(app, "checklist-no-passwords") in screen.text
        assert t(app, "checklist-progress", done=0, total=len(items)) in screen.text
        assert "▱" * 10 in screen.text
        labels = screen.button_texts()
        for item in items:
            assert item_label(app, item, False) in labels
        assert labels.count("?") == len(items)

        edited = await tg_press(tg, user, screen, item_label(app, "avatar", False))
        assert edited.message_id == screen.message_id
        assert item_label(app, "avatar", True) in edited.button_texts()
        assert t(app, "checklist-progress", done=1, total=len(items)) in edited.text
        assert t(app, "checklist-marked") in [a.get("text") for a in tg.callback_answers.values()]

        # the tip of an item, then back
        photos_row = next(
            row for row in edited.buttons() if row[0]["text"] == item_label(app, "photos", False)
        )
        mark = tg.mark()
        tg.press(user, edited.message_id, photos_row[1]["callback_data"])
        tip = await tg.wait_message(user.id, since=mark)
        assert tip.message_id == screen.message_id
        assert tip.text.startswith(t(app, "checklist-tip-photos").split("\n")[0])
        tip = await tg_press(tg, user, tip, t(app, "checklist-btn-toggle-done"))
        assert t(app, "checklist-btn-toggle-undo") in tip.button_texts()
        back = await tg_press(tg, user, tip, t(app, "checklist-btn-back"))
        assert item_label(app, "photos", True) in back.button_texts()

        current = back
        for item in items:
            if item not in ("avatar", "photos"):
                current = await tg_press(tg, user, current, item_label(app, item, False))
        assert t(app, "checklist-complete") in current.text
        assert "▰" * 10 in current.text
        assert current.callback_data(t(app, "checklist-btn-vacancies")) == "vac.list"
        assert t(app, "checklist-complete-short") in [
            a.get("text") for a in tg.callback_answers.values()
        ]
        # one message for the whole session: every tap edited it
        assert [m.message_id for m in tg.messages(user.id)] == [screen.message_id]

        confirm = await tg_press(tg, user, current, t(app, "checklist-btn-reset"))
        assert confirm.text == t(app, "checklist-reset-confirm")
        kept = await tg_press(tg, user, confirm, t(app, "checklist-reset-no"))
        assert t(app, "checklist-complete") in kept.text
        confirm = await tg_press(tg, user, kept, t(app, "checklist-btn-reset"))
        fresh = await tg_press(tg, user, confirm, t(app, "checklist-reset-yes"))
        assert t(app, "checklist-progress", done=0, total=len(items)) in fresh.text
    stored = await app.services.checklist.state(1)
    assert stored.done_count == 0


async def test_checklist_survives_a_restart(settings: Settings, tg: Any) -> None:
    async with open_app(settings) as app, telegram_running(app, tg):
        user = tg.user(202, "Rita")
        tg.send_text(user, "/checklist")
        screen = await tg.wait_message(user.id)
        await tg_press(tg, user, screen, item_label(app, "groups", False))
    async with open_app(settings) as app, telegram_running(app, tg):
        mark = tg.mark()
        tg.send_text(user, "/checklist")
        reopened = await tg.wait_message(user.id, since=mark)
        assert item_label(app, "groups", True) in reopened.button_texts()
        assert t(app, "checklist-progress", done=1, total=8) in reopened.text


async def test_forged_item_ids_change_nothing(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(203, "Fox")
        tg.send_text(user, "/checklist")
        screen = await tg.wait_message(user.id)
        for data in ["cl.t:passwords:0", "cl.tip:../../etc:0", "cl.tt:x:0", "cl.t", "cl:999999"]:
            query = tg.press(user, screen.message_id, data)
            await tg.wait_for(
                "answerCallbackQuery", lambda c, q=query: c.params["callback_query_id"] == q
            )
        await app.core.drain(5)
    assert (await app.services.checklist.state(1)).done_count == 0
    answers = [a.get("text") for a in tg.callback_answers.values()]
    assert answers.count(t(app, "checklist-unknown-item")) == 3  # passwords, x, missing id
    assert answers.count(t(app, "stale-button")) == 1  # "/" is not even valid button data


async def test_inline_mode_offers_the_checklist_with_a_deep_link(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(204, "Max", language_code="en")
        query = tg.inline_query(user, "")
        call = await tg.wait_for("answerInlineQuery")
        assert call.params["inline_query_id"] == query
        (result,) = call.params["results"]
        assert result["title"] == t(app, "checklist-inline-title", "en")
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert t(app, "checklist-item-avatar", "en") in content["message_text"]
        assert t(app, "checklist-no-passwords", "en") in content["message_text"]
        (button,) = result["reply_markup"]["inline_keyboard"][0]
        assert button["url"] == "https://t.me/hr_test_bot?start=checklist"

        # the deep link opens the checklist in the bot
        tg.send_text(user, "/start checklist")
        opened = await tg.wait_message(user.id)
    assert opened.text.startswith(t(app, "checklist-title", "en"))
    assert item_label(app, "avatar", False, "en") in opened.button_texts()


async def test_a_replayed_press_does_not_flip_the_item_back(app: App, tg: Any) -> None:
    async with telegram_running(app, tg):
        user = tg.user(205, "Twice")
        tg.send_text(user, "/checklist")
        screen = await tg.wait_message(user.id)
        data = screen.callback_data(item_label(app, "avatar", False))
        for _ in range(2):  # the same update delivered twice (a restart before it was confirmed)
            query = tg.press(user, screen.message_id, data)
            await tg.wait_for(
                "answerCallbackQuery", lambda c, q=query: c.params["callback_query_id"] == q
            )
        await app.core.drain(5)
    assert (await app.services.checklist.state(1)).done == {"avatar"}
