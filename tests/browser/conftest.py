"""Debian's headless Chromium, driven by Playwright, against pytest-django's live server.

Nothing here downloads a browser: Playwright launches /usr/bin/chromium (`make browser`
installs it). A missing browser fails every test here loudly; it never skips.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium opens connections of its own, which
# this closed network refuses many at a time.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 5_000


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole browser suite, closed when the suite ends.

    Playwright's sync API keeps an asyncio loop running in this thread for as long as it
    is started, and Django refuses ORM calls from a thread with a running loop. The tests
    build their rows through the ORM (and pytest-django flushes the database after each),
    so the async-safety check is switched off while Playwright runs, and only then: the
    fixture is package-scoped, so the loop and the switch end before the rest of the
    suite. (The switch is process-wide, but the live server's thread runs no event loop,
    so the check could not fire there anyway.)
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
            "Run `make browser` as root (apt-get install chromium).",
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable[[], Page]]:
    """Opens a page in a fresh context (its own cookies: one user each), in English."""
    contexts = []

    def open_() -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="en-US", accept_downloads=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page) -> Page:
    return open_page()
