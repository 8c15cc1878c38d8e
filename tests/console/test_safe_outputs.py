"""What the console hands out is safe: CSV cells, enrolment codes, ids from hidden fields."""

from __future__ import annotations

import csv
import io
import re

import requests

from ledger.console.web import csv_cell
from sync.protocol import Localized
from tests.console.conftest import Browser, pending_orders
from tests.console.test_employees_and_catalogue import ITEM, post_item
from tests.ledger import factory

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\tTAB", "\rCR"]


def _rows(response: requests.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:300]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_cells_never_start_a_formula():
    for text in FORMULAS:
        assert csv_cell(text) == "'" + text
    assert csv_cell("张伟") == "张伟" and csv_cell(-5) == -5 and csv_cell(None) is None


def test_exports_quote_names_titles_and_reasons(hr: Browser, floor) -> None:
    factory.employee(floor, "E1003", name='=HYPERLINK("http://x")', department="@dept")
    floor.ingest_events([factory.event("ev-x", "E1003", floor.clock())], source="test")
    ranking = _rows(hr.get("/admin/reports/ranking?format=csv"))
    cells = {cell for row in ranking for cell in row}
    assert '\'=HYPERLINK("http://x")' in cells and "'@dept" in cells
    order_id = pending_orders(floor)[0]
    hr.get(f"/admin/orders/{order_id}")
    assert hr.post(f"/admin/orders/{order_id}/reject", {"reason": "+cmd|' /C calc'!A0"}).ok
    orders = _rows(hr.get("/admin/orders/export.csv?status="))
    reasons = [row[8] for row in orders[1:]]
    assert "'+cmd|' /C calc'!A0" in reasons
    factory.item(floor, "cmd", points=10, title=Localized(zh="=cmd|' /C calc'!A0", en="x"))
    placed = floor.place_order(factory.order_request("E1001", "cmd", 10), None)
    assert placed.refusal is None
    shares = _rows(hr.get("/admin/reports/shares?format=csv"))
    assert "'=cmd|' /C calc'!A0" in {row[3] for row in shares}
    for row in ranking + orders + shares:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row


def test_a_new_enrolment_code_is_never_in_a_url(admin: Browser, console) -> None:
    admin.get("/admin/kiosks")
    response = admin.post("/admin/kiosks/code", allow_redirects=False)
    # Post, redirect, get: the address names the form, never the code.
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/admin/kiosks?shown=")
    page = admin.get(location)
    assert page.headers["cache-control"] == "no-store"
    shown = re.search(r'id="code">[^<]*?([A-Z0-9]{4}(?:-[A-Z0-9]{4})+)', page.text)
    assert shown is not None, page.text
    assert shown.group(1) not in location and "code=" not in page.url
    enrolled = requests.post(
        console.url + "/api/v1/devices/enroll",
        json={"code": shown.group(1), "name": "Line 9"},
        timeout=30,
    )
    assert enrolled.status_code == 201
    # The kiosk page no longer shows a code taken from its query string.
    assert "SECRET-CODE" not in admin.get("/admin/kiosks?code=SECRET-CODE").text


def test_hidden_existing_field_does_not_skip_id_checks(hr: Browser, floor) -> None:
    bad_id = "../a b/<i>"
    item = post_item(hr, ITEM | {"existing": bad_id, "item_id": "mug"})
    assert item.status_code == 422
    assert not any(i["id"] == bad_id for i in floor.list_items())
    hr.get("/admin/rules/new")
    rule = hr.post(
        "/admin/rules",
        {"existing": bad_id, "kind": "training.ok", "title_zh": "训", "title_en": "T",
         "points": "5", "validity_days": "30", "active": "on"},
    )  # fmt: skip
    assert rule.status_code == 422
    assert not any(r["kind"] == bad_id for r in floor.list_rules())
    long_kind = "a" * 65
    rule = hr.post(
        "/admin/rules",
        {"kind": long_kind, "title_zh": "训", "title_en": "T", "points": "5",
         "validity_days": "30", "active": "on"},
    )  # fmt: skip
    assert rule.status_code == 422


def test_stored_markup_is_shown_as_text(hr: Browser, floor) -> None:
    markup = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    factory.employee(floor, "E1001", name=markup[:80], department="总装车间")
    page = hr.get("/admin/employees/E1001")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_markup_in_a_reason_is_shown_as_text_in_history_and_audit_log(hr: Browser, floor) -> None:
    markup = '<b id="x">bold</b><script>alert(1)</script>'
    hr.get("/admin/employees/E1001")
    assert hr.post("/admin/employees/E1001/adjust", {"points": "5", "reason": markup}).ok
    escaped = "&lt;b id=&#34;x&#34;&gt;bold&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    for page in (hr.get("/admin/employees/E1001").text, hr.get("/admin/audit").text):
        assert escaped in page
        assert "<script>alert(1)" not in page and '<b id="x">' not in page
