"""Headless Chromium for tests of the web pages: the real app served on a local port, Debian's Chromium driven by
Playwright, and screenshots kept under test-artifacts/screenshots/. Use it with
`pytest_plugins = ["tests.support.browser"]`; a test then asks for `served` (the harness's app on a port) and
`browser` (`Browsers`: pages in separate contexts, and screenshots).

Chromium comes from Debian (`.ci/run` installs it), never from Playwright's own download, which this machine's closed
network refuses. A missing browser fails the run, like an unreachable PostgreSQL: a skip would hide the pages' tests."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.asgi_server import serve_asgi
from tests.support.processes import ROOT

CHROMIUM = Path(os.environ.get("FT_TEST_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
UNSAFE = re.compile(r"[^\w-]+")  # what a screenshot's file name should not hold
# Headless, as root, with nothing that reaches past localhost: without the background-networking flags Chromium
# keeps dialling Google's hosts, which a closed network refuses. Playwright gives each launch a new, empty profile
# directory (--user-data-dir) of its own and deletes it at close.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[object]:
    """One Chromium for the run; a test opens contexts (separate cookie jars) in it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is required for the browser tests and is missing at {CHROMIUM}: `bash .ci/run` "
                    "installs it (as root: apt-get install -y chromium).")  # fmt: skip
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def served(harness) -> AsyncIterator[str]:
    """The harness's app (the one its signed Slack requests reach) on a free local port: its base URL."""
    # lifespan off: the harness's database belongs to the test session, and the app's shutdown would dispose it.
    async with serve_asgi(harness.app, lifespan="off") as base_url:
        yield base_url


class Browsers:
    """What a test drives: `await browser.page()` opens a page in a new context (a person's own browser, cookies
    of its own) pointed at the served app; `await browser.screenshot(page, "name")` keeps a picture of it."""

    def __init__(self, chromium, base_url: str, harness) -> None:
        self.chromium, self.base_url, self.harness = chromium, base_url, harness
        self.contexts: list = []

    async def page(self):
        context = await self.chromium.new_context(base_url=self.base_url, viewport={"width": 1000, "height": 700})
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return await context.new_page()

    async def screenshot(self, page, name: str) -> Path:
        """The whole page as test-artifacts/screenshots/<name>-<database>.png; returns the path."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        backend = self.harness.db.engine.url.get_backend_name()
        path = SCREENSHOTS / f"{UNSAFE.sub('-', name)}-{backend}.png"
        await page.screenshot(path=str(path), full_page=True)
        return path

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()


@pytest.fixture
async def browser(chromium, served, harness) -> AsyncIterator[Browsers]:
    browsers = Browsers(chromium, served, harness)
    yield browsers
    await browsers.close()
