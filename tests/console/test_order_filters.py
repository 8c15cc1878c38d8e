"""The order list's filters (employee in any letter case, department, item, state, site-clock
dates) combine, are counted and summed over every page, and survive bulk actions."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ledger.service import LedgerService
from tests.console.conftest import Browser
from tests.ledger import factory

LINK = re.compile(r'href="/admin/orders/([0-9a-f-]{36})"')
SUMMARY = re.compile(r'<p class="hint" id="summary">([^<]*)</p>')


def shown(page: str) -> set[str]:
    return set(LINK.findall(page))


def summary(page: str) -> str:
    found = SUMMARY.search(page)
    assert found, page[:400]
    return html.unescape(found.group(1))


@pytest.fixture
def orders(floor: LedgerService) -> dict[str, str]:
    """Besides the floor's two: Anna Smith's (Quality Lab) pen orders, one late on 1 June and
    one just after midnight on 2 June on the site's clock."""
    zone = ZoneInfo(floor.site_timezone())
    factory.employee(floor, "E2001", name="Anna Smith", department="Quality Lab")
    factory.grant(floor, "E2001", 1000)
    factory.item(floor, "pen", points=10, category="physical")
    placed = {}
    for name, moment in (
        ("june1", datetime(2026, 6, 1, 23, 30, tzinfo=zone)),
        ("june2", datetime(2026, 6, 2, 0, 30, tzinfo=zone)),
    ):
        request = factory.order_request("E2001", "pen", 10, placed_at=moment)
        answer = floor.place_order(request, None)
        assert answer.refusal is None
        placed[name] = str(answer.order.order_id)
    for order in floor.list_orders():
        placed.setdefault(order["employee_id"], order["order_id"])
    return placed


def test_employee_in_any_letter_case(hr: Browser, orders: dict[str, str]) -> None:
    anna = {orders["june1"], orders["june2"]}
    for typed in ("anna", "SMITH", "e2001", "E2001", "nna sm"):
        page = hr.get("/admin/orders", params={"status": "", "employee": typed}).text
        assert shown(page) == anna, typed
    # The number is matched whole: a part of it is not that employee.
    assert shown(hr.get("/admin/orders?status=&employee=e200").text) == set()
    assert shown(hr.get("/admin/orders?status=&employee=e1001").text) == {orders["E1001"]}


def test_department_and_item_filters(hr: Browser, orders: dict[str, str]) -> None:
    page = hr.get("/admin/orders", params={"status": "", "department": "Quality Lab"}).text
    assert shown(page) == {orders["june1"], orders["june2"]}
    assert 'value="Quality Lab" selected' in page
    quality = hr.get("/admin/orders", params={"status": "", "department": "质检部"}).text
    assert shown(quality) == {orders["E1002"]}
    by_item = hr.get("/admin/orders?status=&item=card-100").text
    assert shown(by_item) == {orders["E1001"]} and 'value="card-100" selected' in by_item
    both = hr.get("/admin/orders", params={"status": "", "department": "质检部", "item": "pen"})
    assert shown(both.text) == set() and "没有结果" in both.text
    unknown = hr.get("/admin/orders", params={"status": "", "department": "Gone", "item": "x\x00"})
    assert unknown.status_code == 200 and shown(unknown.text) == set()


def test_site_clock_dates_and_their_mistakes(hr: Browser, orders: dict[str, str]) -> None:
    june1 = hr.get("/admin/orders?status=&since=2026-06-01&until=2026-06-01").text
    assert shown(june1) == {orders["june1"]}
    june2 = hr.get("/admin/orders?status=&since=2026-06-02&until=2026-06-02").text
    assert shown(june2) == {orders["june2"]}
    assert shown(hr.get("/admin/orders?status=&since=2026-06-02").text) == {
        orders["june2"], orders["E1001"], orders["E1002"]
    }  # fmt: skip
    reversed_range = hr.get("/admin/orders?status=&since=2026-06-02&until=2026-06-01").text
    assert "开始日期晚于结束日期。" in reversed_range and shown(reversed_range) == set()
    bad = hr.get("/admin/orders?status=&since=2026-13-01").text
    assert "请输入日期（YYYY-MM-DD）。" in bad and len(shown(bad)) == 4  # no date filter


def test_totals_count_and_sum_every_page(hr: Browser, floor: LedgerService, orders) -> None:
    assert summary(hr.get("/admin/orders?status=").text) == "共 4 个订单，1,320 积分"
    assert summary(hr.get("/admin/orders?status=&employee=anna").text) == "共 2 个订单，20 积分"
    hr.session.cookies.set("pk_console_lang", "en")
    for _ in range(60):
        assert floor.place_order(factory.order_request("E2001", "pen", 10), None).refusal is None
    first = hr.get("/admin/orders?status=pending&item=pen").text
    assert summary(first) == "62 orders, 620 points · Page 1 of 2"
    # A page past the last shows the last.
    last = hr.get("/admin/orders?status=pending&item=pen&page=99").text
    assert "Page 2 of 2" in summary(last) and len(shown(last)) == 12


def test_bulk_actions_on_a_filtered_list_come_back_to_it(
    hr: Browser, floor: LedgerService, orders: dict[str, str]
) -> None:
    listed = "/admin/orders?status=&since=&until=&employee=ANNA&department=&item=pen&page=1"
    page = hr.get(listed).text
    assert shown(page) == {orders["june1"], orders["june2"]}
    found = re.search(r'name="back" value="([^"]+)"', page)
    assert found
    back = html.unescape(found.group(1))
    assert "employee=ANNA" in back and "item=pen" in back
    form = [("order", orders["june1"]), ("order", orders["june2"]), ("back", back)]
    approved = hr.post("/admin/orders-bulk/approve", form)
    assert approved.ok and "employee=ANNA" in approved.url and "item=pen" in approved.url
    fulfilled = hr.post("/admin/orders-bulk/fulfil", form)
    assert "已发放 2 个订单。" in fulfilled.text and "employee=ANNA" in fulfilled.url
    statuses = {o["order_id"]: o["status"] for o in floor.list_orders()}
    assert statuses[orders["june1"]] == statuses[orders["june2"]] == "fulfilled"
    assert statuses[orders["E1001"]] == "pending"  # not in the filtered list, not touched
    # A reject without a reason shows the same filtered list again, with the error.
    refused = hr.post("/admin/orders-bulk/reject", [("order", orders["E1001"]), ("back", back)])
    assert refused.status_code == 422 and 'value="ANNA"' in refused.text
    assert shown(refused.text) == {orders["june1"], orders["june2"]}
