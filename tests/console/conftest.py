"""Console fixtures: the ledger's app in-process with a seeded floor and signed-in browsers."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from ledger.domain.console_users import ConsoleRole
from ledger.service import Actor
from tests.conftest import LiveLedger
from tests.ledger import factory

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Browser:
    """An HTTP session against the live ledger that signs in like a person and carries the
    CSRF token of the last page it read."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.csrf = ""

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        response = self.session.get(self.base + path, **kwargs)
        found = _CSRF.search(response.text)
        if found and "/admin/login" not in response.url:
            self.csrf = found.group(1)
        return response

    def post(
        self, path: str, data: Any = None, csrf: bool = True, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        form = list(data.items()) if isinstance(data, dict) else list(data or [])
        if csrf:
            form.append(("csrf", self.csrf))
        return self.session.post(self.base + path, data=form, **kwargs)

    def sign_in(self, name: str, password: str = PASSWORD) -> requests.Response:
        page = self.session.get(self.base + "/admin/login", timeout=30)
        token = _CSRF.search(page.text)
        assert token is not None
        response = self.session.post(
            self.base + "/admin/login",
            data={"name": name, "password": password, "csrf": token.group(1)},
            timeout=30,
        )
        if response.ok:  # followed the redirect to the dashboard
            self.get("/admin")
        return response


@pytest.fixture
def floor(service):
    """Two employees with points, a rule, two items and two pending orders; two users."""
    factory.employee(service, "E1001", name="张伟", department="总装车间")
    factory.employee(service, "E1002", name="李娜", department="质检部")
    factory.rule(service, "performance.excellent", points=500)
    factory.rule(service, "training.completed", points=100)
    factory.item(service, "card-100", points=1000, stock=10)
    factory.item(service, "leave-day", points=300, category="service")
    factory.grant(service, "E1001", 5000)
    factory.grant(service, "E1002", 2000)
    for employee_id, item_id, points in (("E1001", "card-100", 1000), ("E1002", "leave-day", 300)):
        placed = service.place_order(
            factory.order_request(employee_id, item_id, points, placed_at=service.clock()), None
        )
        assert placed.refusal is None, placed
    ops = service.acting_as(Actor.cli())
    ops.create_user("hr-wang", ConsoleRole.HR, PASSWORD)
    ops.create_user("it-admin", ConsoleRole.ADMIN, PASSWORD)
    return service


@pytest.fixture
def console(floor) -> Iterator[LiveLedger]:
    """The real ledger (uvicorn on 127.0.0.1) over the seeded floor."""
    ledger = LiveLedger(floor)
    yield ledger
    ledger.stop()


@pytest.fixture
def hr(console: LiveLedger) -> Browser:
    browser = Browser(console.url)
    assert browser.sign_in("hr-wang").status_code == 200
    return browser


@pytest.fixture
def admin(console: LiveLedger) -> Browser:
    browser = Browser(console.url)
    assert browser.sign_in("it-admin").status_code == 200
    return browser


def pending_orders(service) -> list[str]:
    return [o["order_id"] for o in service.list_orders("pending")]


# --- The browser tests (tests/console/test_browser*.py): headless Chromium at 1366×768 --------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium per test module (Debian's chromium, or $CHROMIUM)."""
    from playwright.sync_api import sync_playwright

    from tests.console.chromium import CHROMIUM, chromium_path

    path = chromium_path()
    if path is None:
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where pages are photographed: $CONSOLE_SCREENSHOTS when set, else a scratch folder."""
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(chromium: Any, console: LiveLedger) -> Iterator[Any]:
    """A fresh browser tab (its own cookies) on the live console, Chinese locale."""
    from tests.console.chromium import HEIGHT, WIDTH

    context = chromium.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        base_url=console.url,
        locale="zh-CN",
        accept_downloads=True,
    )
    yield context.new_page()
    context.close()
