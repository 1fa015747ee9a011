"""The web chat end to end in a real browser: Chromium driven by Playwright over the real page,
the real WebSocket and uploads, the real core and handlers. The main flow runs the real
`python -m bot` in web-only mode; the others run the web runtime in the test process.

Labels and texts come from the locale files, so a wording change does not break the tests.
Screenshots of the main screens go to SCREENSHOTS_DIR (default <repo>/test-output/screenshots).
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import open_app
from bot.i18n import Translator
from tests.browser.conftest import ROOT, Shoot, new_tab, settle, wait_ready
from tests.e2e.process import BotProcess, start_bot
from tests.web.client import free_port, web_running
from tests.web.test_runtime import ADMIN_TOKEN, DRAFT, PDF, web_settings

try:
    from playwright.async_api import Browser, Locator, Page, expect
except ImportError as error:  # the `browser` fixture explains; under CI this is a failure
    if os.environ.get("CI"):
        raise ImportError(f"the browser tests must run in CI: {error}") from error
    pytest.skip(
        f"browser tests: Playwright for Python is not installed ({error})", allow_module_level=True
    )

TR = Translator.load()
XSS = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">'
EXAMPLE_TITLES = [
    vacancy["title"]
    for vacancy in tomllib.loads((ROOT / "examples" / "vacancies.toml").read_text("utf-8"))[
        "vacancy"
    ]
]


def tr(key: str, **args: Any) -> str:
    """A Russian string as the page shows it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(TR("ru", key, **args))))


def tr_head(key: str, **args: Any) -> str:
    """The start of a string, up to its first argument passed as "§" (a time, say)."""
    return tr(key, **args).split("§")[0].strip()


# --- page helpers ---------------------------------------------------------------------------------
def bubbles(page: Page) -> Locator:
    return page.locator("#log .msg")


def bot_says(page: Page, text: str) -> Locator:
    """The latest bot message containing `text`."""
    return page.locator('#log .msg[data-from="bot"]', has_text=text).last


def button(scope: Page | Locator, label: str) -> Locator:
    """An inline button (its accessible name contains `label`), the latest one."""
    return (
        scope.locator("#log button.btn" if isinstance(scope, Page) else "button.btn")
        .filter(has_text=label)
        .last
    )


async def press(page: Page, label: str, then: str) -> Locator:
    """Press the inline button and wait for the bot message showing `then`."""
    await button(page, label).click()
    reply = bot_says(page, then)
    await expect(reply).to_be_visible()
    return reply


async def to_answer_prompt(page: Page, title: str) -> None:
    """From the vacancy card: the task, "send the answer", consent; the bot asks for it."""
    await press(page, tr("vacancy-btn-task"), tr("task-title", title=title))
    await press(page, tr("task-btn-submit"), tr("consent-title"))
    await press(page, tr("consent-yes"), tr_head("answer-prompt", title="§"))


async def sign_in_admin(page: Page, base: str) -> None:
    """The admin opens the one-time admin link."""
    await page.goto(f"{base}/?admin={ADMIN_TOKEN}")
    await wait_ready(page)


async def say(page: Page, text: str) -> None:
    """Type into the composer and press Enter, like a person."""
    box = page.get_by_role("textbox", name=tr("web-message-label"))
    await box.click()
    await box.fill(text)
    await box.press("Enter")
    await expect(box).to_have_value("")


async def no_script_ran(page: Page) -> None:
    await settle(page)
    assert await page.evaluate("() => window.__pwned") is None, "injected script ran"
    assert await page.locator('img[src="x"]').count() == 0
    assert await page.locator("#log script, #log [onerror]").count() == 0


async def wait_for_links(process: BotProcess, timeout: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if "Web chat for candidates: " in process.log:
            return
        if process.proc.returncode is not None:
            break
        await asyncio.sleep(0.05)
    raise AssertionError(f"the web chat did not start; log:\n{process.log}")


# --- 1. the whole flow, in the real process ------------------------------------------------------
async def test_a_candidate_applies_and_an_admin_accepts_in_a_real_browser(
    browser: Browser, shoot: Shoot, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "DATABASE_PATH": str(tmp_path / "data" / "bot.sqlite3"),
        "WEB_PORT": str(port),
        "WEB_ADMIN_TOKEN": ADMIN_TOKEN,
    }
    process = await start_bot(tmp_path / "work", env)
    try:
        await wait_for_links(process)
        candidate, admin = await new_tab(browser), await new_tab(browser)
        page = candidate.page

        # the first visit greets by itself; web-only mode shows the example data banner
        await page.goto(base + "/")
        await wait_ready(page)
        await expect(button(page, tr("menu-checklist"))).to_be_visible()
        await expect(page.locator("#example-banner")).to_have_text(tr("web-example-banner"))
        await expect(page.locator("#status")).to_have_attribute("data-state", "ok")
        await shoot(page, "01-greeting")

        # the checklist ticks in place: the same message is re-rendered, no new bubble
        checklist = await press(page, tr("menu-checklist"), tr("checklist-title"))
        checklist_id = await checklist.get_attribute("data-id")
        count = await bubbles(page).count()
        await press(page, tr("checklist-item-avatar"), tr("checklist-progress", done=1, total=8))
        ticked = page.locator(f'#log .msg[data-id="{checklist_id}"]')
        await expect(ticked).to_contain_text(tr("checklist-progress", done=1, total=8))
        assert await bubbles(page).count() == count
        # keyboard focus stays on the item that was pressed, in the new rendering
        focused = await page.evaluate(
            "() => [document.activeElement.closest('.msg')?.dataset.id,"
            " document.activeElement.textContent]"
        )
        assert focused[0] == checklist_id and tr("checklist-item-avatar") in focused[1], focused
        await shoot(page, "02-checklist")

        # the vacancies, a card, the task with consent
        await press(page, tr("btn-menu"), tr("menu-title"))
        listing = await press(page, tr("menu-vacancies"), tr_head("vacancies-title", total="§"))
        title = next(
            text
            for text in await listing.locator("button.btn").all_inner_texts()
            if text in EXAMPLE_TITLES
        )
        await shoot(page, "03-vacancies")
        card = await press(page, title, tr("vacancy-btn-task"))
        await expect(card.locator("b").first).to_have_text(title)
        await shoot(page, "04-vacancy-card")
        await to_answer_prompt(page, title)
        await shoot(page, "05-task")

        # the admin signs in with the link; the redirect takes the token out of the URL bar
        await sign_in_admin(admin.page, base)
        assert admin.page.url == base + "/", admin.page.url
        assert ADMIN_TOKEN not in await admin.page.evaluate("() => location.href")
        await expect(admin.page.locator("#top .admin-badge")).to_have_text(tr("web-admin"))

        # the answer: a PDF through the attach button, then the receipt
        async with page.expect_file_chooser() as chooser_info:
            await page.get_by_role("button", name=tr("web-attach")).click()
        chooser = await chooser_info.value
        assert await chooser.element.get_attribute("id") == "file"
        await chooser.set_files({"name": "ответ.pdf", "mimeType": "application/pdf", "buffer": PDF})
        mine = page.locator('#log .msg[data-from="user"] a.file').last
        await expect(mine).to_contain_text("ответ.pdf")
        await expect(bot_says(page, tr_head("receipt-title", number=1, time="§"))).to_be_visible()
        await expect(page.locator("#upload")).to_be_empty()
        await shoot(page, "06-receipt")

        # HR (the web admin) gets the file and the post with the decision buttons, live
        post = bot_says(admin.page, tr("hr-new-answer", number=1))
        await expect(post).to_contain_text(tr("hr-answer-file", name="ответ.pdf"))
        await expect(post).to_contain_text(title)
        link = admin.page.locator('#log .msg[data-from="bot"] a.file', has_text="ответ.pdf").last
        href = await link.get_attribute("href")
        assert href and href.startswith(base + "/files/"), href
        download = await admin.context.request.get(href)
        assert download.status == 200 and await download.body() == PDF
        assert (await candidate.context.request.get(href)).status == 404  # the admin's copy
        await shoot(admin.page, "07-admin-review")

        await button(post, tr("hr-btn-accept")).click()
        decision = tr("hr-decision-accept")
        prompt = bot_says(admin.page, tr("hr-comment-prompt", number=1, decision=decision))
        await expect(prompt).to_be_visible()
        await say(admin.page, "Сильное решение")
        accepted = tr("hr-decided", number=1, decision=tr("hr-decided-accepted"))
        await expect(bot_says(admin.page, accepted)).to_be_visible()
        await shoot(admin.page, "08-admin-decided")

        # the candidate sees the decision after a reload (it came in live too)
        await page.reload()
        await wait_ready(page)
        verdict = bot_says(page, tr("candidate-accepted", title=title, number=1))
        await expect(verdict).to_contain_text(tr("candidate-comment", comment="Сильное решение"))
        await shoot(page, "09-decision")

        candidate.assert_clean()
        admin.assert_clean()
        await admin.context.close()
        await candidate.context.close()
        assert await process.stop() == 0
    finally:
        process.kill()
    assert "Traceback" not in process.log, process.log


# --- in-process server -------------------------------------------------------------------------
@pytest.fixture
async def chat(tmp_path: Path) -> AsyncIterator[tuple[str, int]]:
    """The web runtime in the test process with one vacancy: (base URL, vacancy id)."""
    async with open_app(web_settings(tmp_path)) as app:
        await app.services.vacancies.save(DRAFT)
        vacancy = await app.services.vacancies.get_by_slug(DRAFT.slug)
        assert vacancy is not None
        async with web_running(app) as runtime:
            yield runtime.settings.web_url, vacancy.id


# --- 2. hostile text stays text ------------------------------------------------------------------
async def test_markup_typed_by_a_candidate_stays_inert_text_for_both_sides(
    browser: Browser, chat: tuple[str, int]
) -> None:
    base, vacancy = chat
    candidate, admin = await new_tab(browser), await new_tab(browser)
    page = candidate.page
    response = await page.goto(f"{base}/?start=v{vacancy}-site")
    assert response is not None and response.url == base + "/"
    assert "script-src 'self';" in response.headers["content-security-policy"]
    await wait_ready(page)
    await expect(bot_says(page, DRAFT.title)).to_be_visible()

    # a plain message: shown as the literal text
    await say(page, XSS)
    await expect(page.locator('#log .msg[data-from="user"]').last).to_contain_text(XSS)
    await no_script_ran(page)

    # the same text as the answer to the task: HR's post quotes it, escaped
    await sign_in_admin(admin.page, base)
    await to_answer_prompt(page, DRAFT.title)
    await say(page, XSS)
    await expect(bot_says(page, tr_head("receipt-title", number=1, time="§"))).to_be_visible()
    post = bot_says(admin.page, tr("hr-new-answer", number=1))
    await expect(post).to_contain_text(tr("hr-answer-text", text=XSS))
    await expect(post.locator(".body")).to_contain_text(XSS)
    await no_script_ran(page)
    await no_script_ran(admin.page)
    candidate.assert_clean()
    admin.assert_clean()


# --- 2b. files dropped onto the page --------------------------------------------------------------
DROP = """([name, type, bytes]) => {
  const transfer = new DataTransfer();
  if (name) transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
  else transfer.setData('text/plain', 'just text');
  return transfer;
}"""


async def test_an_answer_dropped_onto_the_page_is_sent_and_a_wrong_type_refused(
    browser: Browser, chat: tuple[str, int]
) -> None:
    base, vacancy = chat
    candidate, admin = await new_tab(browser), await new_tab(browser)
    page = candidate.page
    await page.goto(f"{base}/?start=v{vacancy}-site")
    await wait_ready(page)
    await sign_in_admin(admin.page, base)
    await to_answer_prompt(page, DRAFT.title)
    zone = page.locator("#drop")

    # dragged text is not a file: no drop zone
    text = await page.evaluate_handle(DROP, ["", "", []])
    await page.dispatch_event("body", "dragenter", {"dataTransfer": text})
    await expect(zone).to_be_hidden()

    # a file of a type answers may not have: the zone shows, the drop is refused politely
    exe = await page.evaluate_handle(DROP, ["setup.exe", "application/x-msdownload", [77, 90]])
    await page.dispatch_event("body", "dragenter", {"dataTransfer": exe})
    await expect(zone).to_be_visible()
    await expect(zone).to_contain_text(tr("web-drop-here"))
    await page.dispatch_event("body", "dragleave", {"dataTransfer": exe})
    await expect(zone).to_be_hidden()  # dragged away again
    await page.dispatch_event("body", "dragenter", {"dataTransfer": exe})
    await page.dispatch_event("body", "drop", {"dataTransfer": exe})
    await expect(zone).to_be_hidden()
    await expect(page.locator("#toasts")).to_contain_text(tr("answer-bad-type"))
    assert await page.locator('#log .msg[data-from="user"] a.file').count() == 0

    # a PDF dropped onto the page is the answer: the receipt, and HR gets the file
    pdf = await page.evaluate_handle(DROP, ["ответ.pdf", "application/pdf", list(PDF)])
    await page.dispatch_event("body", "dragenter", {"dataTransfer": pdf})
    await page.dispatch_event("body", "drop", {"dataTransfer": pdf})
    mine = page.locator('#log .msg[data-from="user"] a.file').last
    await expect(mine).to_contain_text("ответ.pdf")
    await expect(bot_says(page, tr_head("receipt-title", number=1, time="§"))).to_be_visible()
    post = bot_says(admin.page, tr("hr-new-answer", number=1))
    await expect(post).to_contain_text(tr("hr-answer-file", name="ответ.pdf"))
    link = admin.page.locator('#log .msg[data-from="bot"] a.file', has_text="ответ.pdf").last
    href = await link.get_attribute("href")
    assert href is not None
    download = await admin.context.request.get(href)
    assert download.status == 200 and await download.body() == PDF
    # the refused upload is the one failed request the browser reports
    refused = [text for text in candidate.console_errors if "status of 415" in text]
    assert len(refused) == 1, candidate.console_errors
    candidate.console_errors.remove(refused[0])
    candidate.assert_clean()
    admin.assert_clean()


# --- 3. keyboard and screen readers --------------------------------------------------------------
ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'body';
  if (el.id) return '#' + el.id;
  return (el.className || el.tagName) + ':' + el.textContent.trim();
}"""


async def test_the_chat_works_from_the_keyboard_and_speaks_to_screen_readers(
    browser: Browser, chat: tuple[str, int]
) -> None:
    base, _ = chat
    tab = await new_tab(browser)
    page = tab.page
    await page.goto(base + "/")
    await wait_ready(page)
    greeting = bot_says(page, tr("menu-checklist"))
    await expect(greeting).to_be_visible()

    # the conversation is a live region; the controls have their localised names
    log = page.locator("#log")
    await expect(log).to_have_attribute("role", "log")
    await expect(log).to_have_attribute("aria-live", "polite")
    await expect(log).to_have_attribute("aria-label", tr("web-log-label"))
    await expect(page.get_by_role("log")).to_have_count(1)
    await expect(page.get_by_role("button", name=tr("web-send"))).to_be_visible()
    await expect(page.get_by_role("button", name=tr("web-attach"))).to_be_visible()
    await expect(page.get_by_role("button", name=tr("web-menu"))).to_be_visible()
    box = page.get_by_role("textbox", name=tr("web-message-label"))
    await expect(box).to_have_attribute("placeholder", tr("web-placeholder"))

    # Tab walks from the top through the bot's buttons to the composer, in reading order
    await page.locator("#top h1").click()  # the start of the page (a click sets where Tab starts)
    seen: list[str] = []
    for _ in range(30):
        await page.keyboard.press("Tab")
        seen.append(await page.evaluate(ACTIVE))
        if seen[-1] == "#send":
            break
    checklist = f"btn:{tr('menu-checklist')}"
    for stop in (checklist, "#menu-btn", "#attach", "#input", "#send"):
        assert stop in seen, (stop, seen)
    order = [seen.index(stop) for stop in (checklist, "#attach", "#input", "#send")]
    assert order == sorted(order), seen
    assert "#file" not in seen  # the hidden file input is reached through #attach

    # Enter on a focused inline button presses it; focus stays in the re-rendered message
    for _ in range(30):
        await page.keyboard.press("Shift+Tab")
        if await page.evaluate(ACTIVE) == checklist:
            break
    await page.keyboard.press("Enter")
    await expect(bot_says(page, tr("checklist-title"))).to_be_visible()
    assert await page.evaluate("() => !!document.activeElement.closest('#log .msg')")

    # Enter in the textarea sends; Shift+Enter is a new line
    count = await bubbles(page).count()
    await box.focus()
    await page.keyboard.type("первая строка")
    await page.keyboard.press("Shift+Enter")
    await page.keyboard.type("вторая")
    await expect(box).to_have_value("первая строка\nвторая")
    assert await bubbles(page).count() == count
    await page.keyboard.press("Enter")
    await expect(box).to_have_value("")
    mine = page.locator('#log .msg[data-from="user"] .body').last
    await expect(mine).to_have_text("первая строка\nвторая")
    assert await page.evaluate(ACTIVE) == "#input"  # ready for the next message

    # "/" offers the commands as a menu; arrows move, Escape closes back to the box
    await page.keyboard.type("/")
    menu = page.get_by_role("menu", name=tr("web-menu"))
    await expect(menu).to_be_visible()
    await page.keyboard.press("ArrowDown")
    assert (await page.evaluate(ACTIVE)).startswith("menu-item:/")
    await page.keyboard.press("Escape")
    await expect(menu).to_be_hidden()
    assert await page.evaluate(ACTIVE) == "#input"
    tab.assert_clean()


# --- 5. the careers-site widget ------------------------------------------------------------------
@pytest.fixture
async def careers_site() -> AsyncIterator[tuple[str, list[str]]]:
    """examples/careers.html on its own 127.0.0.1 port (another origin, the same site);
    the bot's address is filled in by the test. Yields (origin, [page text])."""
    origin = f"http://127.0.0.1:{free_port()}"
    body: list[str] = [""]

    async def careers(request: web.Request) -> web.Response:
        return web.Response(text=body[0], content_type="text/html", charset="utf-8")

    async def no_icon(request: web.Request) -> web.Response:
        return web.Response(status=204)

    site_app = web.Application()
    site_app.router.add_get("/careers.html", careers)
    site_app.router.add_get("/favicon.ico", no_icon)
    runner = web.AppRunner(site_app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", int(origin.rsplit(":", 1)[1])).start()
    try:
        yield origin, body
    finally:
        await runner.cleanup()


@pytest.fixture
async def widget_chat(
    tmp_path: Path, careers_site: tuple[str, list[str]]
) -> AsyncIterator[tuple[str, str]]:
    """The chat that allows the careers site to frame it, and the careers page pointing at it:
    (chat base URL, careers page URL)."""
    origin, body = careers_site
    async with open_app(web_settings(tmp_path, web_allowed_origins=[origin])) as app:
        await app.services.vacancies.save(DRAFT)
        vacancy = await app.services.vacancies.get_by_slug(DRAFT.slug)
        assert vacancy is not None
        async with web_running(app) as runtime:
            base = runtime.settings.web_url
            page = (ROOT / "examples" / "careers.html").read_text("utf-8")
            assert page.count("http://127.0.0.1:8080/widget.js") == 1
            page = page.replace("http://127.0.0.1:8080/widget.js", f"{base}/widget.js")
            body[0] = page.replace('data-start="v1-site"', f'data-start="v{vacancy.id}-site"')
            yield base, f"{origin}/careers.html"


async def test_the_careers_widget_opens_the_chat_in_a_frame(
    browser: Browser, widget_chat: tuple[str, str], shoot: Shoot
) -> None:
    base, careers = widget_chat
    tab = await new_tab(browser)
    page = tab.page
    await page.goto(careers)
    bubble = page.locator("button.hrbot-bubble")
    await expect(bubble).to_have_attribute("aria-expanded", "false")
    await bubble.click()
    await expect(bubble).to_have_attribute("aria-expanded", "true")

    # the frame is the chat: hello and history came over the socket, the deep link opened the
    # card (so the session cookie set inside the frame was kept: it is same-site)
    frame_element = page.locator("iframe#hrbot-frame")
    await expect(frame_element).to_be_visible()
    chat = page.frame_locator("iframe#hrbot-frame")
    await expect(chat.locator('body[data-ready="1"]')).to_be_attached()
    await expect(chat.locator("#log .msg", has_text=DRAFT.title).last).to_be_visible()
    await expect(chat.locator("#embed-bar")).to_be_visible()
    await expect(chat.locator("#top")).to_be_hidden()
    cookies = await tab.context.cookies(base)
    assert [c["name"] for c in cookies] == ["hrbot_session"], cookies
    assert cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Lax"
    await settle(page)
    await shoot(page, "10-careers-widget")

    # the chat works inside the frame
    await chat.locator("#log button.btn", has_text=tr("vacancy-btn-task")).last.click()
    await expect(
        chat.locator("#log .msg", has_text=tr("task-title", title=DRAFT.title))
    ).to_be_visible()

    # its close button asks the host page to hide it; the conversation stays for the next open
    await chat.get_by_role("button", name=tr("web-close")).click()
    await expect(frame_element).to_be_hidden()
    await expect(bubble).to_have_attribute("aria-expanded", "false")
    await bubble.click()
    await expect(
        chat.locator("#log .msg", has_text=tr("task-title", title=DRAFT.title))
    ).to_be_visible()
    tab.assert_clean()
