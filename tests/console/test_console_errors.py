"""A browser never gets JSON from the console, and a session that ends mid-form comes back."""

from __future__ import annotations

import re

import requests

from ledger.console.web import LANGUAGE_COOKIE
from tests.conftest import LiveLedger
from tests.console.conftest import PASSWORD, Browser, pending_orders


def _is_page(response: requests.Response, status: int, words: str) -> bool:
    return (
        response.status_code == status
        and response.headers["content-type"].startswith("text/html")
        and words in response.text
        and '"error"' not in response.text
    )


def test_errors_under_admin_are_pages_in_the_readers_language(
    hr: Browser, admin: Browser, console: LiveLedger
) -> None:
    assert _is_page(hr.get("/admin/no-such-page"), 404, "未找到。")
    # A form's address opened as a page (a bookmark, a reload after sign-in).
    order_id = pending_orders(console.service)[0]
    assert _is_page(hr.get(f"/admin/orders/{order_id}/approve"), 405, "请从菜单重新开始")
    # A path parameter of the wrong kind, refused by the framework before the page runs.
    admin.get("/admin/users")
    refused = admin.post("/admin/users/not-a-number/password", {})
    assert _is_page(refused, 422, "表单中有内容无效")
    too_large = hr.post(f"/admin/orders/{order_id}/reject", {"reason": "x" * (2 * 1024 * 1024)})
    assert _is_page(too_large, 413, "What was sent is too large")
    english = requests.get(
        console.url + "/admin/no-such-page", cookies={LANGUAGE_COOKIE: "en"}, timeout=30
    )
    assert _is_page(english, 404, "Not found.")
    # The API keeps answering JSON.
    api = requests.get(console.url + "/api/v1/no-such-thing", timeout=30)
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_a_session_that_ends_mid_form_signs_in_and_returns_to_the_page(
    hr: Browser, console: LiveLedger, clock
) -> None:
    order_id = pending_orders(console.service)[0]
    page = f"/admin/orders/{order_id}"
    assert hr.get(page).status_code == 200
    clock.advance(minutes=31)  # idle longer than a session lasts
    answer = hr.post(
        f"/admin/orders/{order_id}/approve", {}, headers={"Referer": console.url + page}
    )
    assert "/admin/login" in answer.url and "ended=1" in answer.url
    assert 'id="ended"' in answer.text  # "your session ended"
    found = re.search(r'name="next" value="([^"]+)"', answer.text)
    assert found and found.group(1) == page
    token = re.search(r'name="csrf" value="([^"]+)"', answer.text)
    assert token
    signed_in = hr.session.post(
        console.url + "/admin/login",
        data={"name": "hr-wang", "password": PASSWORD, "csrf": token.group(1), "next": page},
        timeout=30,
    )
    assert signed_in.status_code == 200 and signed_in.url == console.url + page
    assert console.service.list_orders("pending")[0]["order_id"] == order_id  # not approved
