"""Reports: ranking, redemption trends (with charts), expiring points, stale orders; CSV."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ledger import reports
from ledger.console import charts, queries
from ledger.console.i18n import translator
from ledger.console.web import (
    User,
    back_to,
    csv_response,
    csv_text,
    language_of,
    page_number,
    query_day,
    query_int,
    query_text,
    render,
    service_of,
)

router = APIRouter()
PAGE = 50


def _number(request: Request, name: str, default: int, allowed: tuple[int, ...] | None = None,
            low: int = 1, high: int = 3650) -> int:  # fmt: skip
    value = query_int(request, name, default, low, high)
    if allowed is not None:
        return value if value in allowed else default
    return value


def _csv(header: list[str], rows: list[list[object]], filename: str) -> Response:
    return csv_response(csv_text(header, rows), filename)


@router.get("/reports")
def reports_home(request: Request, user: User) -> Response:
    return back_to("/admin/reports/ranking")


@router.get("/reports/ranking")
def ranking(request: Request, user: User) -> Response:
    service = service_of(request)
    timezone = service.site_timezone()
    today = queries.month_start(service.clock(), timezone).date()
    query = request.query_params
    since = query_day(query.get("since")) if query.get("since") else today
    until = (query_day(query.get("until")) if query.get("until")
             else service.clock().astimezone(ZoneInfo(timezone)).date())  # fmt: skip
    bad = False
    if since is None or until is None:
        since, until, bad = today, today, True
    department = query_text(request, "department", 80)
    start = queries.local_day_start(since, timezone)
    end = queries.local_day_start(until + timedelta(days=1), timezone)
    export = query.get("format") == "csv"
    page = page_number(request)
    with service.db.read() as session:
        rows = reports.ranking(
            session, start, end, department or None,
            offset=0 if export else (page - 1) * PAGE, limit=100_000 if export else PAGE,
        )  # fmt: skip
        departments = sorted(reports.departments(session))
    if export:
        return _csv(["rank", "employee_id", "name", "department", "points_earned"],
                    [[r.rank, r.employee_id, r.name, r.department, r.points] for r in rows],
                    f"ranking-{since}-{until}.csv")  # fmt: skip
    _ = translator(language_of(request))
    chart = None
    if rows and page == 1:
        top = rows[:10]
        chart = charts.horizontal_bars(
            [f"{r.name} ({r.employee_id})" for r in top],
            [r.points for r in top],
            _("Points earned"),
        )
    filters = {"since": since.isoformat(), "until": until.isoformat(), "department": department}
    return render(
        request, "report_ranking.html", user, rows=rows, chart=chart, filters=filters,
        departments=departments, query=urlencode(filters), page=page,
        more=len(rows) == PAGE, bad_dates=bad,
    )  # fmt: skip


@router.get("/reports/trends")
def trends(request: Request, user: User) -> Response:
    service = service_of(request)
    months = _number(request, "months", 12, (6, 12, 24))
    with service.db.read() as session:
        cells = reports.redemption_trends(session, service.clock(), service.site_timezone(), months)
    if request.query_params.get("format") == "csv":
        return _csv(["month", "category", "orders", "points"],
                    [[c.month, c.category, c.orders, c.points] for c in cells],
                    f"redemption-trends-{months}m.csv")  # fmt: skip
    _ = translator(language_of(request))
    labels = [s.strftime("%Y-%m") for s in reports.month_starts(
        service.clock(), months, service.site_timezone())]  # fmt: skip
    categories = sorted({c.category for c in cells})
    by_key = {(c.month, c.category): c for c in cells}
    series = {
        _(category): [
            by_key[(m, category)].points if (m, category) in by_key else 0 for m in labels
        ]
        for category in categories
    }
    chart = charts.stacked_bars(labels, series, _("Redemption trends"), _("Points"))
    table = [(m, [by_key.get((m, c)) for c in categories]) for m in labels]
    return render(
        request, "report_trends.html", user, months=months, chart=chart,
        categories=categories, table=table,
    )  # fmt: skip


@router.get("/reports/expiring")
def expiring(request: Request, user: User) -> Response:
    service = service_of(request)
    days = _number(request, "days", 30, (30, 60, 90))
    export = request.query_params.get("format") == "csv"
    page = page_number(request)
    with service.db.read() as session:
        rows, employees, total = reports.expiring(
            session, service.clock(), days,
            offset=0 if export else (page - 1) * PAGE, limit=10_000_000 if export else PAGE,
        )  # fmt: skip
    if export:
        return _csv(["employee_id", "name", "department", "points", "earliest_expiry"],
                    [[r.employee_id, r.name, r.department, r.points, r.earliest.isoformat()]
                     for r in rows] + [["TOTAL", "", "", total, ""]],
                    f"expiring-{days}d.csv")  # fmt: skip
    return render(
        request, "report_expiring.html", user, rows=rows, employees=employees, total=total,
        days=days, page=page, pages=max((employees + PAGE - 1) // PAGE, 1),
        query=urlencode({"days": days}),
    )  # fmt: skip


@router.get("/reports/stale")
def stale(request: Request, user: User) -> Response:
    service = service_of(request)
    days = _number(request, "days", 7, low=1, high=365)
    export = request.query_params.get("format") == "csv"
    page = page_number(request)
    with service.db.read() as session:
        rows, count = reports.stale_orders(
            session, service.clock(), days,
            offset=0 if export else (page - 1) * PAGE, limit=10_000_000 if export else PAGE,
        )  # fmt: skip
    if export:
        return _csv(["order_id", "voucher", "employee_id", "name", "item_id", "status", "points",
                     "placed_at", "days_waiting"],
                    [[r.order_id, queries.voucher_code(r.order_id), r.employee_id, r.name,
                      r.item_id, r.status, r.points, r.placed_at.isoformat(), r.days]
                     for r in rows],
                    f"stale-orders-{days}d.csv")  # fmt: skip
    return render(
        request, "report_stale.html", user, rows=rows, count=count, days=days, page=page,
        pages=max((count + PAGE - 1) // PAGE, 1), query=urlencode({"days": days}),
        voucher=queries.voucher_code,
    )  # fmt: skip
