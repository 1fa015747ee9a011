"""End to end: the real `python -m bot` process, both messengers at once, against the stand-ins."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from tests.harness import tg_press, vk_press

TR = Translator.load()


def t(key: str, locale: str = "ru", **args: Any) -> str:
    return TR(locale, key, **args)


def plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")


async def test_both_messengers_end_to_end_with_restart(running: Any, tg: Any, vk: Any) -> None:
    bot = await running("first")

    # Telegram: /start -> menu; a button press edits the screen in place
    anna = tg.user(501, "Анна")
    tg.send_text(anna, "/start")
    menu = await tg.wait_message(anna.id)
    assert "Анна" in menu.text
    assert t("menu-checklist") in menu.button_texts()
    checklist = await tg_press(tg, anna, menu, t("menu-checklist"))
    assert checklist.message_id == menu.message_id
    assert checklist.text.startswith(t("checklist-title"))
    toggled = await tg_press(tg, anna, checklist, f"⬜ {t('checklist-item-avatar')}")
    assert f"✅ {t('checklist-item-avatar')}" in toggled.button_texts()

    # /language -> English
    mark = tg.mark()
    tg.send_text(anna, "/language")
    chooser = await tg.wait_message(anna.id, since=mark)
    english = await tg_press(tg, anna, chooser, "English")
    assert english.text.startswith(t("lang-changed", "en"))

    # the command menu in both languages
    await tg.wait_for("setMyCommands", lambda c: c.params.get("language_code") == "en")
    assert {"ru", "en"} <= set(tg.my_commands)

    # a forged button is answered and changes nothing
    mark = tg.mark()
    query = tg.press(anna, english.message_id, "cl.t:drop-table:0")
    answer = await tg.wait_for(
        "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query, since=mark
    )
    assert answer.params.get("text") == t("checklist-unknown-item", "en")

    # a user named <b>A & B</b> gets a valid reply
    odd = tg.user(502, "<b>A & B</b>")
    tg.send_text(odd, "/start")
    odd_reply = await tg.wait_message(odd.id)
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in odd_reply.text

    # 429 then success: the reply still arrives
    flood = tg.user(503, "Flood")
    tg.fail_next("sendMessage", error_code=429, retry_after=1)
    tg.send_text(flood, "/help")
    help_message = await tg.wait_message(flood.id, timeout=20)
    assert plain(t("help-intro")) in help_message.plain_text

    # VK: "Начать" -> keyboard; a callback button edits the message
    ivan = vk.user(601, "Иван", lang_id=0)
    vk.send_text(ivan, "Начать", payload={"command": "start"})
    vk_menu = await vk.wait_message(ivan.id)
    assert vk_menu.text.startswith("Здравствуйте, Иван!")
    assert vk_menu.inline and t("menu-language") in vk_menu.button_labels()
    chooser = await vk_press(vk, ivan, vk_menu, t("menu-language"))
    vk_english = await vk_press(vk, ivan, chooser, "English")
    assert vk_english.conversation_message_id == vk_menu.conversation_message_id
    assert vk_english.text.startswith(t("lang-changed", "en"))

    # VK: a forged payload is answered, nothing changes
    event_id = vk.press(ivan, vk_menu.conversation_message_id, {"a": "admin"})
    await vk.wait_for("messages.sendMessageEventAnswer", lambda c: c.params["event_id"] == event_id)

    assert await bot.stop() == 0, bot.log

    # after a restart both users are still English and Anna's checklist is kept
    bot = await running("second")
    mark = tg.mark()
    tg.send_text(anna, "/start")
    again = await tg.wait_message(anna.id, since=mark)
    assert again.text.startswith("Hello, <b>Анна</b>")
    mark = tg.mark()
    tg.send_text(anna, "/checklist")
    kept = await tg.wait_message(anna.id, since=mark)
    assert f"✅ {t('checklist-item-avatar', 'en')}" in kept.button_texts()
    mark = vk.mark()
    vk.send_text(ivan, "/help")
    vk_again = await vk.wait_message(ivan.id, since=mark)
    assert vk_again.text.startswith(plain(t("help-intro", "en")))
    assert await bot.stop() == 0, bot.log
    assert "hr-bot stopped" in bot.log
