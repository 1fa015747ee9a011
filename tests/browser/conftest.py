"""Real-browser fixtures: Playwright for Python driving the system Chromium (Debian's
/usr/bin/chromium, or CHROMIUM_PATH); Playwright's own browser download is never used.

The browser is a separate process and makes no connection of its own (the flags below turn off
its background traffic); the pages only ever talk to the test servers on 127.0.0.1.

When the browser cannot run these tests skip with the reason, except under CI (the CI variable
set), where they fail: a CI run must never pass by skipping them.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Error, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        return (
            f"no Chromium at {CHROMIUM} (apt-get install chromium, or point CHROMIUM_PATH at one)"
        )
    return None


def require_browser() -> None:
    """Skip with the reason, or under CI fail: never a silent skip in CI."""
    reason = missing_browser()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the browser tests must run in CI, but: {reason}", pytrace=False)
    pytest.skip(f"browser tests: {reason}")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    require_browser()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@dataclass
class Tab:
    """A page in its own browser context (its own cookies: one person), and what it logged."""

    context: BrowserContext
    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No Content-Security-Policy violation, no uncaught script error and no other error
        in the console (a failed request or WebSocket, say) so far."""
        csp = [text for text in self.console_errors if "Content Security Policy" in text]
        assert not csp, f"CSP violations in {self.page.url}: {csp}"
        assert not self.page_errors, f"script errors in {self.page.url}: {self.page_errors}"
        assert not self.console_errors, f"console errors in {self.page.url}: {self.console_errors}"


async def new_tab(browser: Browser, **options: Any) -> Tab:
    """A fresh context like a Russian-speaking visitor's desktop browser."""
    settings: dict[str, Any] = {
        "viewport": DESKTOP,
        "locale": "ru-RU",
        "timezone_id": "Europe/Moscow",
        "color_scheme": "light",
        "reduced_motion": "reduce",
        "accept_downloads": False,
        "service_workers": "block",
    }
    settings.update(options)
    context = await browser.new_context(**settings)
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    tab = Tab(context, page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.console_errors.append(message.text)

    def on_error(error: Error) -> None:
        tab.page_errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_error)
    return tab


async def wait_ready(page: Page) -> None:
    """The page got hello and history over its WebSocket (app.js marks the body then)."""
    await page.wait_for_selector('body[data-ready="1"]', state="attached")


def screenshots_dir() -> Path:
    return Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "test-output" / "screenshots")


Shoot = Callable[["Page", str], Awaitable[None]]


@pytest.fixture
def shoot() -> Shoot:
    """`await shoot(page, "01-greeting")`: the page at desktop and at phone size, saved as
    `<name>-desktop.png` and `<name>-phone.png` in SCREENSHOTS_DIR (default
    <repo>/test-output/screenshots)."""
    folder = screenshots_dir()
    folder.mkdir(parents=True, exist_ok=True)

    async def take(page: Page, name: str) -> None:
        assert re.fullmatch(r"[a-z0-9-]+", name), name
        size = page.viewport_size or DESKTOP
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            await page.set_viewport_size(viewport)
            await settle(page)
            await page.screenshot(
                path=folder / f"{name}-{label}.png", animations="disabled", caret="hide"
            )
        await page.set_viewport_size({"width": size["width"], "height": size["height"]})
        await settle(page)

    return take


async def settle(page: Page) -> None:
    """Two animation frames: layout, resize observers and scrolling are done."""
    await page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    )
