"""Forms that behave: every console form that changes something carries a once-only token
and is applied once however often it is posted (also through another server process), and
values shown once (a new API token, an enrolment code) come through post-redirect-get."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from ledger.console.web import LANGUAGE_COOKIE
from ledger.domain import form_tokens
from ledger.domain.console_users import ConsoleRole
from ledger.domain.errors import LedgerError
from ledger.service import Actor, LedgerService
from ledger.service.base import FormClaim
from ledger.storage.models import ApiToken, FormToken
from tests.conftest import LiveLedger, build_service
from tests.console.conftest import PASSWORD, Browser, pending_orders
from tests.ledger.test_use_case_records import Records

TEMPLATES = Path(__file__).resolve().parents[2] / "ledger" / "console" / "templates"
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
ALREADY = "此表单已提交过，未重复执行。"


def token_in(html: str, action: str) -> str:
    """The once-only token of the page's form that posts to ``action``."""
    for form in FORM.findall(html):
        if f'action="{action}"' in form:
            found = TOKEN.search(form)
            assert found, form
            return found.group(1)
    raise AssertionError(f"no form posts to {action}")


def test_every_post_form_of_the_console_carries_a_once_only_token() -> None:
    # Sign-in has no session yet, and signing out twice is harmless: every other form that
    # posts takes the shared macro, which draws the token.
    unguarded = []
    for template in sorted(TEMPLATES.glob("*.html")):
        for form in FORM.findall(template.read_text(encoding="utf-8")):
            if 'method="post"' not in form or "/admin/login" in form or "/admin/logout" in form:
                continue
            if "csrf(user)" not in form:
                unguarded.append((template.name, form[:80]))
    assert unguarded == []
    assert "form_token()" in (TEMPLATES / "macros.html").read_text(encoding="utf-8")


def test_each_drawing_of_a_form_has_its_own_token(hr: Browser, floor) -> None:
    order_id = pending_orders(floor)[0]
    first = hr.get(f"/admin/orders/{order_id}").text
    again = hr.get(f"/admin/orders/{order_id}").text
    tokens = {token_in(first, f"/admin/orders/{order_id}/approve")}
    tokens |= {token_in(first, f"/admin/orders/{order_id}/reject")}
    tokens |= {token_in(again, f"/admin/orders/{order_id}/approve")}
    assert len(tokens) == 3 and all(form_tokens.usable(t) for t in tokens)


def test_a_form_posted_twice_applies_once(hr: Browser, floor: LedgerService, console) -> None:
    first, second = pending_orders(floor)
    page = f"/admin/orders/{first}"
    token = token_in(hr.get(page).text, f"/admin/orders/{first}/approve")
    records = Records(floor)
    records.new()
    referer = {"Referer": console.url + page}
    done = hr.post(f"/admin/orders/{first}/approve", {"form_token": token}, headers=referer)
    assert done.ok and ALREADY not in done.text
    # The same form again (the back button, a reload of the post): nothing applied, and the
    # page it came from says so.
    again = hr.post(f"/admin/orders/{first}/approve", {"form_token": token}, headers=referer)
    assert again.ok and again.url.startswith(console.url + page + "?problem=")
    assert ALREADY in again.text
    # The token is the form's, not the order's: used on another order's form it is spent.
    other = hr.post(f"/admin/orders/{second}/approve", {"form_token": token})
    assert ALREADY in other.text
    assert {o["order_id"]: o["status"] for o in floor.list_orders()}[second] == "pending"
    hr.session.cookies.set(LANGUAGE_COOKIE, "en")
    english = hr.post(f"/admin/orders/{first}/approve", {"form_token": token}, headers=referer)
    assert "This form was already sent; it was not applied again." in english.text
    lines, events = records.new()
    assert [line.action for line in lines] == ["order.approve"] and len(events) == 1


def test_a_bulk_form_and_an_adjustment_posted_twice_apply_once(
    hr: Browser, floor: LedgerService
) -> None:
    listed = hr.get("/admin/orders?status=").text
    token = token_in(listed, "/admin/orders-bulk/approve")
    form = [("order", o) for o in pending_orders(floor)] + [("form_token", token)]
    assert "已批准 2 个订单" in hr.post("/admin/orders-bulk/approve", form).text
    assert ALREADY in hr.post("/admin/orders-bulk/approve", form).text

    balance = floor.employee("E1001")["balance"]
    page = hr.get("/admin/employees/E1001").text
    token = token_in(page, "/admin/employees/E1001/adjust")
    drawn = re.search(r'name="adjustment_id" value="([^"]+)"', page)
    adjustment = {"points": "100", "reason": "夜班", "form_token": token}
    if drawn:  # the adjustment's own id, where the page still draws one
        adjustment["adjustment_id"] = drawn.group(1)
    assert hr.post("/admin/employees/E1001/adjust", adjustment).ok
    hr.post("/admin/employees/E1001/adjust", adjustment)
    assert floor.employee("E1001")["balance"] == balance + 100


def test_a_refused_change_leaves_its_form_usable(hr: Browser, floor: LedgerService) -> None:
    order_id = pending_orders(floor)[0]
    page = hr.get(f"/admin/orders/{order_id}").text
    token = token_in(page, f"/admin/orders/{order_id}/reject")
    missing = hr.post(f"/admin/orders/{order_id}/reject", {"reason": "", "form_token": token})
    assert missing.status_code == 422
    # A use case that fails rolls back with its change: the token stays unused too.
    claim = FormClaim("x" * 32, "hr-wang")
    with pytest.raises(LedgerError):
        floor.for_form(claim).transition(order_id, "fulfil")
    assert not claim.used
    floor.for_form(claim).transition(order_id, "approve")
    assert claim.used
    done = hr.post(f"/admin/orders/{order_id}/reject", {"reason": "缺货", "form_token": token})
    assert done.ok and ALREADY not in done.text
    assert {o["order_id"]: o["status"] for o in floor.list_orders()}[order_id] == "rejected"


def test_posts_at_once_of_one_form_apply_once(admin: Browser, floor: LedgerService) -> None:
    token = token_in(admin.get("/admin/tokens").text, "/admin/tokens")
    answers: list[requests.Response] = []

    def send() -> None:
        answers.append(admin.post("/admin/tokens", {"name": "payroll", "role": "hr",
                                                    "form_token": token}))  # fmt: skip

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(a.ok for a in answers)
    with floor.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ApiToken)) == 1
    assert sum(ALREADY in a.text for a in answers) == 3


def test_another_server_process_knows_the_form_was_sent(
    hr: Browser, floor: LedgerService, db_url: str, clock, tmp_path: Path
) -> None:
    order_id = pending_orders(floor)[0]
    token = token_in(hr.get(f"/admin/orders/{order_id}").text, f"/admin/orders/{order_id}/approve")
    assert hr.post(f"/admin/orders/{order_id}/approve", {"form_token": token}).ok
    # A second ledger process over the same database (its own engine and pool).
    other = build_service(db_url, clock, tmp_path / "badge-key.pem")
    server = LiveLedger(other)
    try:
        elsewhere = Browser(server.url)
        elsewhere.session = hr.session  # the same browser, its session kept in the database
        elsewhere.csrf = hr.csrf
        answer = elsewhere.post(f"/admin/orders/{order_id}/reject",
                                {"reason": "x", "form_token": token})  # fmt: skip
        assert ALREADY in answer.text
        assert {o["order_id"]: o["status"] for o in floor.list_orders()}[order_id] == "approved"
    finally:
        server.stop()
        other.db.dispose()


def test_old_form_tokens_are_pruned(floor: LedgerService, clock) -> None:
    orders = pending_orders(floor)
    floor.for_form(FormClaim("a" * 32, "hr-wang")).transition(orders[0], "approve")
    clock.advance(days=2)
    floor.for_form(FormClaim("b" * 32, "hr-wang")).transition(orders[1], "approve")
    with floor.db.read() as session:
        assert session.scalar(select(func.count()).select_from(FormToken)) == 1


def _shown_token(html: str) -> str:
    found = re.search(r'id="token">[^<]*?([A-Za-z0-9_-]{30,})', html)
    return found.group(1) if found else ""


def test_a_new_api_token_is_shown_once_and_a_reload_creates_none(
    admin: Browser, floor: LedgerService, console, clock
) -> None:
    token = token_in(admin.get("/admin/tokens").text, "/admin/tokens")
    posted = admin.post("/admin/tokens", {"name": "payroll", "role": "hr", "form_token": token},
                        allow_redirects=False)  # fmt: skip
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith("/admin/tokens?shown=")
    page = admin.get(location)
    value = _shown_token(page.text)
    assert value and value not in location and page.headers["cache-control"] == "no-store"
    works = requests.get(console.url + "/api/v1/orders",
                         headers={"Authorization": f"Bearer {value}"}, timeout=30)  # fmt: skip
    assert works.status_code == 200
    # A reload shows it no more and makes no other token.
    reload = admin.get(location)
    assert reload.ok and _shown_token(reload.text) == "" and value not in reload.text
    with floor.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ApiToken)) == 1
    # Another admin given the address sees nothing; nor does anyone after ten minutes.
    floor.acting_as(Actor.cli()).create_user("it-second", ConsoleRole.ADMIN, PASSWORD)
    second = Browser(console.url)
    second.sign_in("it-second")
    token = token_in(admin.get("/admin/tokens").text, "/admin/tokens")
    later = admin.post("/admin/tokens", {"name": "bi", "role": "hr", "form_token": token},
                       allow_redirects=False).headers["location"]  # fmt: skip
    assert _shown_token(second.get(later).text) == ""
    clock.advance(minutes=11)
    assert _shown_token(admin.get(later).text) == ""


def test_a_new_enrolment_code_is_shown_once(admin: Browser, console) -> None:
    token = token_in(admin.get("/admin/kiosks").text, "/admin/kiosks/code")
    posted = admin.post("/admin/kiosks/code", {"form_token": token})
    code = re.search(r'id="code">[^<]*?([A-Z0-9]{4}(?:-[A-Z0-9]{4})+)', posted.text)
    assert code, posted.text
    assert "shown=" in posted.url and code.group(1) not in posted.url
    reload = admin.session.get(posted.url, timeout=30)
    assert reload.ok and not re.search(r'id="code"', reload.text)  # a reload: gone
    again = admin.post("/admin/kiosks/code", {"form_token": token})
    assert ALREADY in again.text and not re.search(r'id="code"', again.text)
