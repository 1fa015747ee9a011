"""Employee advocacy end to end in Telegram and VK against the stand-in servers."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from bot.app import App
from bot.domain import Platform, Role
from bot.domain.advocacy import PostDraft
from bot.domain.vacancies import VacancyDraft
from bot.services.users import Profile
from bot.vk.render import to_plain
from tests.conftest import ADMIN_TG
from tests.harness import telegram_running, tg_press, vk_running

RECRUITING = PostDraft(
    slug="barista-wanted",
    category="recruiting",
    title="Ищем бариста в команду",
    variants=("Мы ищем бариста — приходите к нам!", "У нас открыта вакансия бариста, зову к нам."),
    link="",
)
CULTURE = PostDraft(
    slug="latte-art",
    category="culture",
    title="Мастер-класс по латте-арту",
    variants=("Учились рисовать на молочной пене всей командой.",),
)


def t(app: App, key: str, locale: str = "ru", **args: Any) -> str:
    return app.translator(locale, key, **args)


async def seed(app: App) -> int:
    vacancy, _ = await app.services.vacancies.save(
        VacancyDraft(
            slug="barista",
            title="Бариста",
            project="coffee",
            city="Москва",
            deadline_days=3,
            task_text="Рецепт",
            requirements="-",
            duties="-",
            offer="-",
            contacts="-",
        )
    )
    await app.services.advocacy.save_post(RECRUITING, vacancy.id)
    await app.services.advocacy.save_post(CULTURE)
    return vacancy.id


async def test_invite_browse_share_leaderboard_and_referral(app: App, tg: Any) -> None:
    vacancy_id = await seed(app)
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        employee = tg.user(731, "Стас")
        outsider = tg.user(732, "Гость")

        # a non-employee is told how to get access
        tg.send_text(outsider, "/content")
        refused = await tg.wait_message(outsider.id)
        assert refused.text == t(app, "content-no-access")

        # the admin creates an invite from the admin panel
        tg.send_text(admin, "/admin")
        panel = await tg.wait_message(admin.id)
        team = await tg_press(tg, admin, panel, t(app, "admin-btn-team"))
        mark = tg.mark()
        tg.press_button(admin, team, t(app, "team-btn-invite"))
        prompt = await tg.wait_message(
            admin.id, lambda m: m.text == t(app, "invite-prompt"), since=mark
        )
        mark = tg.mark()
        tg.send_text(admin, "Стас Петров, кофейня на Покровке")
        created = await tg.wait_message(admin.id, since=mark)
        link = re.search(r"https://t\.me/hr_test_bot\?start=(inv_[A-Z0-9-]+)", created.text)
        assert link is not None and prompt is not None

        # the employee opens it and gets the content menu
        mark = tg.mark()
        tg.send_text(employee, f"/start {link.group(1)}")
        welcome = await tg.wait_message(employee.id, since=mark)
        assert welcome.text.startswith(t(app, "invite-welcome"))
        assert t(app, "menu-content") in welcome.button_texts()
        # the same link again is refused
        mark = tg.mark()
        tg.send_text(outsider, f"/start {link.group(1)}")
        assert (await tg.wait_message(outsider.id, since=mark)).text == t(app, "invite-used")

        content = await tg_press(tg, employee, welcome, t(app, "menu-content"))
        label = t(app, "content-category-button", name=t(app, "category-recruiting"), count=1)
        listing = await tg_press(tg, employee, content, label)
        card = await tg_press(tg, employee, listing, RECRUITING.title)
        assert t(app, "post-referral") in card.text
        # both networks, whatever messenger the employee uses, each with the referral link
        urls = {b["text"]: b.get("url", "") for row in card.buttons() for b in row}
        referral = quote(f"https://t.me/hr_test_bot?start=v{vacancy_id}-ref_")
        assert urls[t(app, "post-btn-share-tg")].startswith(
            f"https://t.me/share/url?url={referral}"
        )
        assert urls[t(app, "post-btn-share-vk")].startswith(
            f"https://vk.com/share.php?url={referral}"
        )
        mark = tg.mark()
        tg.press_button(employee, card, t(app, "post-btn-text"))
        text = await tg.wait_message(
            employee.id, lambda m: app.settings.company_hashtag in m.text, since=mark
        )
        me = await app.services.users.find(Platform.TELEGRAM, employee.id)
        assert me is not None and me.role is Role.EMPLOYEE
        referral = f"https://t.me/hr_test_bot?start=v{vacancy_id}-ref_{me.id}"
        assert referral in text.text and RECRUITING.variants[0] in text.text
        another = await tg_press(tg, employee, text, t(app, "post-btn-another"))
        assert RECRUITING.variants[1] in another.text  # the next wording in turn

        posted = await tg_press(tg, employee, another, t(app, "post-btn-posted"))
        assert posted.text == t(app, "posted-prompt")
        mark = tg.mark()
        tg.send_text(employee, "не ссылка")
        assert (await tg.wait_message(employee.id, since=mark)).text == t(app, "posted-bad-link")
        mark = tg.mark()
        tg.send_text(employee, "https://t.me/stas_channel/15")
        thanks = await tg.wait_message(employee.id, since=mark)
        assert thanks.text == t(app, "posted-thanks", points=1)

        # a candidate comes through the referral link: credited to the employee
        candidate = tg.user(733, "Вера")
        tg.send_text(candidate, f"/start v{vacancy_id}-ref_{me.id}")
        await tg.wait_message(candidate.id)
        board = await tg_press(tg, employee, thanks, t(app, "content-btn-leaderboard"))
        assert (
            "<b>1. Стас Петров" in board.text and t(app, "leaderboard-you", place=1) in board.text
        )
        referrals = await tg_press(tg, employee, board, t(app, "leaderboard-btn-referrals"))
        assert (
            t(
                app,
                "leaderboard-row-referral-points",
                place=1,
                name="Стас Петров",
                points=1,
                candidates=1,
                applications=0,
                hires=0,
            )
            in referrals.text
        )

        # the admin revokes; the employee is refused afterwards
        mark = tg.mark()
        tg.press_button(admin, created, t(app, "admin-btn-team"))
        team = await tg.wait_message(admin.id, since=mark)
        employees = await tg_press(tg, admin, team, t(app, "team-btn-list"))
        confirm = await tg_press(
            tg, admin, employees, t(app, "employees-revoke", name="Стас Петров")
        )
        mark = tg.mark()
        tg.press_button(admin, confirm, t(app, "revoke-yes"))
        notice = await tg.wait_message(
            employee.id, lambda m: m.text == t(app, "revoke-notice"), since=mark
        )
        assert notice is not None
        mark = tg.mark()
        query = tg.press(employee, card.message_id, "ct")
        answer = await tg.wait_for(
            "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query
        )
        assert answer.params["text"] == t(app, "forbidden")
        tg.send_text(employee, "/content")
        again = await tg.wait_message(
            employee.id, lambda m: m.text == t(app, "content-no-access"), since=mark
        )
        assert again is not None
    funnel = await app.services.vacancies.funnel(vacancy_id)
    assert funnel[f"ref_{me.id}"] == {"views": 1}


async def test_content_request_fulfilled_by_an_admin_reaches_the_employee(
    app: App, tg: Any
) -> None:
    await seed(app)
    async with telegram_running(app, tg):
        admin = tg.user(ADMIN_TG, "Ольга")
        employee = tg.user(741, "Нина")
        hr, _ = await app.services.users.touch(Profile(Platform.TELEGRAM, ADMIN_TG, "Ольга"))
        invite = await app.services.advocacy.create_invite(hr.id)
        tg.send_text(employee, f"/join {invite.code}")
        await tg.wait_message(employee.id)
        mark = tg.mark()
        tg.send_text(employee, "/content")
        content = await tg.wait_message(employee.id, since=mark)
        mark = tg.mark()
        tg.press_button(employee, content, t(app, "content-btn-request"))
        await tg.wait_message(employee.id, lambda m: m.text == t(app, "request-prompt"), since=mark)
        mark = tg.mark()
        tg.send_text(employee, "Нужен пост про новый торт к пятнице, для VK")
        sent = await tg.wait_message(employee.id, since=mark)
        assert sent.text.startswith("Запрос № 1")
        request = await tg.wait_message(admin.id, lambda m: "Запрос контента № 1" in m.text)
        taken_mark = tg.mark()
        tg.press_button(admin, request, t(app, "request-btn-take"))
        taken = await tg.wait_message(employee.id, since=taken_mark)
        assert taken.text == t(app, "request-taken-notice", number=1)
        prompt = await tg_press(tg, admin, request, t(app, "request-btn-fulfil"))
        assert prompt.text == t(app, "newpost-prompt")
        mark = tg.mark()
        tg.send_photo(admin, caption="Торт «Наполеон» вернулся\nПробуйте в мастерской с пятницы!")
        categories = await tg.wait_message(admin.id, since=mark)
        mark = tg.mark()
        tg.press_button(admin, categories, t(app, "category-products"))
        done = await tg.wait_message(employee.id, since=mark)
        assert done.text.startswith(t(app, "request-fulfilled-notice", number=1))
        card = await tg_press(tg, employee, done, "Торт «Наполеон» вернулся")
        assert "Пробуйте в мастерской" in card.text
        mark = tg.mark()
        tg.press_button(employee, card, t(app, "post-btn-text"))
        photo = await tg.wait_message(employee.id, lambda m: m.kind == "photo", since=mark)
        assert photo.file_id  # the admin's photo, sent by reference


async def test_vk_employee_joins_with_a_code_and_shares(app: App, vk: Any) -> None:
    await seed(app)
    async with vk_running(app, vk):
        employee = vk.user(751, "Артём")
        hr, _ = await app.services.users.touch(Profile(Platform.VK, 9000, "HR"))
        invite = await app.services.advocacy.create_invite(hr.id, "Артём", "Вегетарианский корнер")
        vk.send_text(employee, "/join")
        prompt = await vk.wait_message(employee.id)
        assert prompt.text == to_plain(t(app, "join-prompt"))
        mark = vk.mark()
        vk.send_text(employee, invite.code.replace("-", "").lower())
        welcome = await vk.wait_message(employee.id, since=mark)
        assert welcome.text.startswith(to_plain(t(app, "invite-welcome")))
        assert len(welcome.buttons()) <= 6 and sum(map(len, welcome.buttons())) <= 10
        mark = vk.mark()
        event = vk.press_button(employee, welcome, t(app, "menu-content"))
        await vk.wait_for(
            "messages.sendMessageEventAnswer", lambda c: c.params["event_id"] == event
        )
        content = await vk.wait_message(employee.id, since=mark)
        assert len(content.buttons()) <= 6 and sum(map(len, content.buttons())) <= 10
        label = t(app, "content-category-button", name=t(app, "category-culture"), count=1)
        mark = vk.mark()
        vk.press_button(employee, content, label)
        listing = await vk.wait_message(employee.id, since=mark)
        mark = vk.mark()
        vk.press_button(employee, listing, CULTURE.title)
        card = await vk.wait_message(employee.id, since=mark)
        labels = card.button_labels()
        assert t(app, "post-btn-share-tg") in labels and t(app, "post-btn-share-vk") in labels
        mark = vk.mark()
        vk.press_button(employee, card, t(app, "post-btn-text"))
        text = await vk.wait_message(
            employee.id, lambda m: CULTURE.variants[0] in m.text, since=mark
        )
        assert app.settings.company_hashtag in text.text
        mark = vk.mark()
        vk.press_button(employee, text, t(app, "post-btn-posted"))
        prompt = await vk.wait_message(employee.id, since=mark)
        mark = vk.mark()
        vk.press_button(employee, prompt, t(app, "posted-no-link"))
        thanks = await vk.wait_message(employee.id, since=mark)
        assert thanks.text == to_plain(t(app, "posted-thanks", points=1))
