"""Reports: what each counts, their CSV, the charts, and the dashboard's figures."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ledger import reports
from ledger.console.web import LANGUAGE_COOKIE
from ledger.storage.models import Lot
from sync.protocol import Localized
from tests.console.conftest import Browser, pending_orders
from tests.ledger import factory


def rows_of(response) -> list[dict[str, str]]:
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_ranking_counts_points_earned_in_the_period(hr: Browser, floor, clock) -> None:
    now = clock()
    floor.ingest_events(
        [
            factory.event("a", "E1002", now - timedelta(days=1)),
            factory.event("b", "E1002", now - timedelta(days=1), "training.completed"),
            factory.event("c", "E1001", now - timedelta(days=2), "training.completed"),
        ]
    )
    day = now.date().isoformat()
    page = hr.get(f"/admin/reports/ranking?since={day}&until={day}")
    assert page.ok and 'class="chart"' in page.text and "data:image/svg+xml" in page.text
    rows = rows_of(hr.get(f"/admin/reports/ranking?since={day}&until={day}&format=csv"))
    # Grants by adjustment are not "earned"; events are.
    assert [(r["employee_id"], r["points_earned"]) for r in rows] == [
        ("E1002", "600"),
        ("E1001", "100"),
    ]
    quality = rows_of(
        hr.get(f"/admin/reports/ranking?since={day}&until={day}&department=质检部&format=csv")
    )
    assert [r["employee_id"] for r in quality] == ["E1002"]
    bad = hr.get("/admin/reports/ranking?since=2026-13-45")
    assert bad.ok and "请输入日期" in bad.text


def test_trends_by_category_and_month(hr: Browser, floor, clock) -> None:
    rows = rows_of(hr.get("/admin/reports/trends?months=6&format=csv"))
    month = clock().strftime("%Y-%m")
    assert {(r["month"], r["category"], r["orders"], r["points"]) for r in rows} == {
        (month, "physical", "1", "1000"),
        (month, "service", "1", "300"),
    }
    # A rejected order is not a redemption.
    hr.get("/admin/orders")
    rejected = pending_orders(floor)[0]
    hr.post(f"/admin/orders/{rejected}/reject", {"reason": "x"})
    assert len(rows_of(hr.get("/admin/reports/trends?months=6&format=csv"))) == 1
    page = hr.get("/admin/reports/trends?months=12")
    assert page.ok and "data:image/svg+xml" in page.text


def test_expiring_within_days_with_the_total(hr: Browser, floor) -> None:
    factory.grant(floor, "E1002", 70, validity_days=20)
    factory.grant(floor, "E1001", 40, validity_days=50)
    thirty = rows_of(hr.get("/admin/reports/expiring?days=30&format=csv"))
    assert [(r["employee_id"], r["points"]) for r in thirty] == [("E1002", "70"), ("TOTAL", "70")]
    sixty = rows_of(hr.get("/admin/reports/expiring?days=60&format=csv"))
    assert [(r["employee_id"], r["points"]) for r in sixty] == [
        ("E1002", "70"),
        ("E1001", "40"),
        ("TOTAL", "110"),
    ]
    page = hr.get("/admin/reports/expiring?days=60")
    assert '<b id="total">110</b>' in page.text


def test_stale_orders(hr: Browser, floor, clock) -> None:
    assert rows_of(hr.get("/admin/reports/stale?days=3&format=csv")) == []
    clock.advance(days=4)
    assert "/admin/login" in hr.get("/admin").url  # a session lasts a working day
    hr.sign_in("hr-wang")
    rows = rows_of(hr.get("/admin/reports/stale?days=3&format=csv"))
    assert {r["order_id"] for r in rows} == set(pending_orders(floor))
    assert all(r["days_waiting"] == "4" for r in rows)
    assert {r["item"] for r in rows} == {"超市购物卡 100 元"}  # both floor items: factory title
    page = hr.get("/admin/reports/stale?days=3").text
    assert "<td>超市购物卡 100 元</td>" in page and "<td>card-100</td>" not in page
    assert hr.get("/admin/reports/stale?days=abc").ok


def test_dashboard_figures(hr: Browser, floor) -> None:
    page = hr.get("/admin").text
    assert '<b id="waiting">2</b>' in page
    assert '<b id="issued">7,000</b>' in page  # the grants of the floor fixture


def test_reports_are_bounded_pages(floor, clock) -> None:
    with floor.db.read() as session:
        assert len(reports.ranking(session, clock() - timedelta(days=1), clock(), limit=1)) <= 1
        rows, employees, _total = reports.expiring(session, clock(), 400, limit=1)
        assert len(rows) == 1 and employees == 2


def test_long_reports_come_in_pages(hr: Browser, floor) -> None:
    for n in range(55):
        factory.employee(floor, f"P{n:03d}", name=f"工人{n}")
        factory.grant(floor, f"P{n:03d}", 10 + n, validity_days=10)
    first = hr.get("/admin/reports/expiring?days=30")
    assert first.ok and "1 / 2" in first.text and "下一页" in first.text
    second = hr.get("/admin/reports/expiring?days=30&page=2")
    assert second.ok and "上一页" in second.text and "P054" in second.text
    assert "P054" not in first.text


def _order(service, employee_id: str, item_id: str, points: int, placed_at: datetime) -> str:
    placed = service.place_order(
        factory.order_request(employee_id, item_id, points, placed_at=placed_at), None
    )
    assert placed.refusal is None, placed
    return placed.order.order_id


def _shares_floor(floor) -> None:
    """Orders beside the floor's two pending ones (card-100 1000 and leave-day 300, placed
    2026-06-15 10:00 Shanghai), with what each share should be."""
    factory.item(floor, "card-50", points=500, category="physical")
    factory.item(
        floor, "movie", points=200, category="virtual", title=Localized(zh="电影票", en="Cinema")
    )
    factory.grant(floor, "E1002", 5000)
    june = datetime(2026, 6, 10, 3, tzinfo=UTC)
    # 17:00 UTC on 31 May is 01:00 on 1 June in Shanghai: a June order on the site's clock.
    fulfilled = _order(floor, "E1001", "card-100", 1000, datetime(2026, 5, 31, 17, tzinfo=UTC))
    floor.transition(fulfilled, "approve")
    floor.transition(fulfilled, "fulfil")
    floor.transition(_order(floor, "E1002", "leave-day", 300, june), "approve")
    _order(floor, "E1001", "movie", 200, june)
    _order(floor, "E1002", "card-50", 500, june)
    # Neither a rejected nor a cancelled order is a redemption.
    floor.transition(_order(floor, "E1002", "card-100", 1000, june), "reject", "缺货")
    floor.transition(_order(floor, "E1001", "movie", 200, june), "cancel")
    # May (Shanghai): card-100 handed over, a cinema ticket waiting.
    may = _order(floor, "E1001", "card-100", 1000, datetime(2026, 5, 20, 4, tzinfo=UTC))
    floor.transition(may, "approve")
    floor.transition(may, "fulfil")
    _order(floor, "E1002", "movie", 200, datetime(2026, 5, 31, 15, tzinfo=UTC))


def _shares(rows: list[dict[str, str]], period: str, by: str) -> dict[str, tuple[str, ...]]:
    return {
        r["key"]: (r["orders"], r["points"], r["percent_of_points"])
        for r in rows
        if r["period"] == period and r["by"] == by
    }


def test_shares_by_category_and_item_this_month(hr: Browser, floor) -> None:
    _shares_floor(floor)
    rows = rows_of(hr.get("/admin/reports/shares?format=csv"))
    period = "2026-06-01..2026-06-15"  # this month so far, on the site's clock
    # 3,300 points: shares rounded one by one would show 75.8 + 18.2 + 6.1 = 100.1.
    assert _shares(rows, period, "category") == {
        "physical": ("3", "2500", "75.7"),
        "service": ("2", "600", "18.2"),
        "virtual": ("1", "200", "6.1"),
    }
    assert _shares(rows, period, "item") == {
        "card-100": ("2", "2000", "60.6"),
        "card-50": ("1", "500", "15.1"),
        "leave-day": ("2", "600", "18.2"),
        "movie": ("1", "200", "6.1"),
    }
    assert _shares(rows, "2026-06", "category") == _shares(rows, period, "category")
    names = {(r["by"], r["key"]): r["name"] for r in rows}
    assert names[("category", "physical")] == "实物" and names[("item", "movie")] == "电影票"
    page = hr.get("/admin/reports/shares")
    assert page.ok and page.headers["content-type"].startswith("text/html")
    assert (
        '<tr data-key="physical"><td>实物</td><td class="num">3</td>'
        '<td class="num">2,500</td><td class="num">75.7</td></tr>'
    ) in page.text
    assert '<tr data-key="virtual"><td>虚拟</td>' in page.text
    assert "占比为兑换积分的百分比" in page.text  # says what the percent is of
    assert page.text.count("data:image/svg+xml") == 2  # categories and items
    assert 'id="monthly-categories"' not in page.text  # one month: no month columns
    hr.session.cookies.set(LANGUAGE_COOKIE, "en")
    english = hr.get("/admin/reports/shares").text
    assert '<tr data-key="physical"><td>Physical goods</td>' in english
    assert '<tr data-key="virtual"><td>Virtual goods</td>' in english
    english_rows = rows_of(hr.get("/admin/reports/shares?format=csv"))
    assert {(r["by"], r["key"]): r["name"] for r in english_rows}[("category", "service")] == (
        "Services"
    )


def test_shares_of_a_chosen_period_and_its_months(hr: Browser, floor) -> None:
    _shares_floor(floor)
    rows = rows_of(hr.get("/admin/reports/shares?since=2026-05-01&until=2026-06-30&format=csv"))
    period = "2026-05-01..2026-06-30"
    assert _shares(rows, period, "category") == {
        "physical": ("4", "3500", "77.8"),
        "service": ("2", "600", "13.3"),
        "virtual": ("2", "400", "8.9"),
    }
    assert _shares(rows, "2026-05", "category") == {
        "physical": ("1", "1000", "83.3"),
        "virtual": ("1", "200", "16.7"),
    }
    assert _shares(rows, "2026-05", "item") == {
        "card-100": ("1", "1000", "83.3"),
        "movie": ("1", "200", "16.7"),
    }
    assert {r["period"] for r in rows} == {period, "2026-05", "2026-06"}
    for scope in (period, "2026-05", "2026-06"):
        for by in ("category", "item"):
            shown = [Decimal(p) for _o, _p, p in _shares(rows, scope, by).values()]
            assert sum(shown) == Decimal("100.0"), (scope, by)
    page = hr.get("/admin/reports/shares?since=2026-05-01&until=2026-06-30")
    assert page.ok and 'id="monthly-categories"' in page.text
    assert page.text.count("data:image/svg+xml") == 3  # and the months, stacked
    may = re.search(r'<tr data-key="virtual"><td>虚拟</td><td class="num" data-month="2026-05">'
                    r"([^<]*)<small>", page.text)  # fmt: skip
    assert may is not None and may.group(1).strip() == "16.7"
    # A period without orders: an empty table, not an error.
    empty = hr.get("/admin/reports/shares?since=2026-01-01&until=2026-01-31")
    assert empty.ok and "没有结果" in empty.text and 'class="error-box"' not in empty.text


def test_shares_with_a_wrong_period_say_so(hr: Browser, floor) -> None:
    for query, message in (
        ("since=2026-13-45", "请输入日期"),
        ("until=yesterday", "请输入日期"),
        ("since=0001-01-01&until=2026-06-01", "请输入日期"),
        ("since=2026-06-10&until=2026-06-01", "开始日期晚于结束日期"),
        ("since=2024-01-01&until=2026-06-01", "不超过 24 个月"),
    ):
        for export in ("", "&format=csv"):
            page = hr.get(f"/admin/reports/shares?{query}{export}")
            assert page.status_code == 200, (query, page.status_code)
            assert page.headers["content-type"].startswith("text/html"), query
            assert 'id="period-error"' in page.text and message in page.text, query
    fine = hr.get("/admin/reports/shares?since=2024-07-01&until=2026-06-30")
    assert fine.ok and 'id="period-error"' not in fine.text


def test_ties_share_a_rank(hr: Browser, floor, clock) -> None:
    now = clock()
    factory.employee(floor, "E1003", name="王芳")
    factory.employee(floor, "E1004", name="赵磊")
    floor.ingest_events(
        [
            factory.event("t1", "E1003", now - timedelta(hours=1)),
            factory.event("t2", "E1003", now - timedelta(hours=1), "training.completed"),
            factory.event("t3", "E1001", now - timedelta(hours=1)),
            factory.event("t4", "E1002", now - timedelta(hours=1)),
            factory.event("t5", "E1004", now - timedelta(hours=1), "training.completed"),
        ]
    )
    day = now.date().isoformat()
    rows = rows_of(hr.get(f"/admin/reports/ranking?since={day}&until={day}&format=csv"))
    assert [(r["rank"], r["employee_id"], r["points_earned"]) for r in rows] == [
        ("1", "E1003", "600"),
        ("2", "E1001", "500"),
        ("2", "E1002", "500"),
        ("4", "E1004", "100"),
    ]
    page = hr.get(f"/admin/reports/ranking?since={day}&until={day}").text
    shown = re.findall(r'<td class="num">(\d+)</td><td><a href="/admin/employees/(\w+)"', page)
    assert shown == [("1", "E1003"), ("2", "E1001"), ("2", "E1002"), ("4", "E1004")]
    # A later page carries on the ranks of the whole list.
    with floor.db.read() as session:
        start, end = now - timedelta(days=1), now + timedelta(days=1)
        later = reports.ranking(session, start, end, offset=2, limit=2)
    assert [(r.rank, r.employee_id) for r in later] == [(2, "E1002"), (4, "E1004")]


def test_csv_times_are_on_the_site_clock(hr: Browser, floor, clock) -> None:
    # The floor's orders were placed at 02:00 UTC: 10:00 in Shanghai, the site's zone.
    orders = rows_of(hr.get("/admin/orders/export.csv?status=pending"))
    assert {r["placed_at (Asia/Shanghai)"] for r in orders} == {"2026-06-15 10:00"}
    clock.advance(days=4)
    hr.sign_in("hr-wang")
    stale = rows_of(hr.get("/admin/reports/stale?days=3&format=csv"))
    assert {r["placed_at (Asia/Shanghai)"] for r in stale} == {"2026-06-15 10:00"}
    factory.grant(floor, "E1002", 70, validity_days=20)
    with floor.db.read() as session:
        expiry = session.scalars(select(Lot.expires_at).where(Lot.remaining == 70)).one()
    expiring = rows_of(hr.get("/admin/reports/expiring?days=30&format=csv"))
    local = expiry.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert expiring[0]["earliest_expiry (Asia/Shanghai)"] == local
    floor.update_settings({"site_timezone": "Europe/Berlin"})
    again = rows_of(hr.get("/admin/orders/export.csv?status=pending"))
    assert {r["placed_at (Europe/Berlin)"] for r in again} == {"2026-06-15 04:00"}
