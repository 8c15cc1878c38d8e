"""Reports: what each counts, their CSV, the charts, and the dashboard's figures."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from ledger import reports
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
