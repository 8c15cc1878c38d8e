"""What the console's browser tests share: Chromium at 1366×768, photographs of pages (into
$CONSOLE_SCREENSHOTS when set, as `make console-screenshots` does) and signing in."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.console.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WIDTH, HEIGHT = 1366, 768
# Each page's title once signed in, by language: where sign-in lands.
DASHBOARD = {"zh": "概览", "en": "Dashboard"}


def chromium_path() -> str | None:
    """Debian's chromium (or $CHROMIUM), None when there is none."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def snap(page: Page, shots: Path, name: str) -> None:
    """A screenshot, after checking the page fits 1366 px wide (no sideways scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, (name, width)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def sign_in(page: Page, name: str = "hr-wang", language: str = "zh") -> None:
    """Sign in from the sign-in page, in ``language`` (the console's own switch)."""
    page.goto("/admin")
    expect(page).to_have_url(re.compile(r"/admin/login"))
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text(re.compile("|".join(DASHBOARD.values())))
    switch = page.locator(f"#lang-{language}")
    if switch.count():  # the browser's language cookie outlives signing out
        switch.click()
    expect(page.locator("h1")).to_contain_text(DASHBOARD[language])
