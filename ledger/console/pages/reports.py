"""Reports: ranking, redemption trends and shares (with charts), expiring points, stale
orders; each with its CSV, times in it on the site's clock as the pages show them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ledger import reports
from ledger.console import charts, queries
from ledger.console.i18n import translator
from ledger.console.web import (
    Poster,
    User,
    acting,
    back_to,
    csv_response,
    csv_text,
    language_of,
    local_time,
    page_number,
    query_day,
    query_int,
    query_text,
    render,
    service_of,
)
from ledger.domain.errors import LedgerError

router = APIRouter()
PAGE = 50
REMINDERS_SHOWN = 100


def _number(request: Request, name: str, default: int, allowed: tuple[int, ...] | None = None,
            low: int = 1, high: int = 3650) -> int:  # fmt: skip
    value = query_int(request, name, default, low, high)
    if allowed is not None:
        return value if value in allowed else default
    return value


def _csv(header: list[str], rows: list[list[object]], filename: str) -> Response:
    return csv_response(csv_text(header, rows), filename)


def _period(request: Request, today: date, first_of_month: date) -> tuple[date, date, str]:
    """The ``since``..``until`` days of a report (this month so far when absent) and what is
    wrong with them ("" when nothing); a wrong period falls back to this month."""
    query = request.query_params
    since = query_day(query.get("since")) if query.get("since") else first_of_month
    until = query_day(query.get("until")) if query.get("until") else today
    if since is None or until is None:
        return first_of_month, today, "dates"
    if since > until:
        return first_of_month, today, "order"
    if (until.year - since.year) * 12 + until.month - since.month >= reports.SHARE_MONTHS:
        return first_of_month, today, "length"
    return since, until, ""


@router.get("/reports")
def reports_home(request: Request, user: User) -> Response:
    return back_to("/admin/reports/ranking")


@router.get("/reports/ranking")
def ranking(request: Request, user: User) -> Response:
    service = service_of(request)
    timezone = service.site_timezone()
    first_of_month = queries.month_start(service.clock(), timezone).date()
    today = service.clock().astimezone(ZoneInfo(timezone)).date()
    query = request.query_params
    since = query_day(query.get("since")) if query.get("since") else first_of_month
    until = query_day(query.get("until")) if query.get("until") else today
    bad = False
    if since is None or until is None:
        since, until, bad = first_of_month, first_of_month, True
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
        departments = reports.departments(session)
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


@router.get("/reports/shares")
def shares(request: Request, user: User) -> Response:
    service = service_of(request)
    timezone = service.site_timezone()
    first_of_month = queries.month_start(service.clock(), timezone).date()
    today = service.clock().astimezone(ZoneInfo(timezone)).date()
    since, until, problem = _period(request, today, first_of_month)
    language = language_of(request)
    _ = translator(language)
    with service.db.read() as session:
        report = reports.redemption_shares(session, since, until, timezone)

    def item_name(item_id: str) -> str:
        found = report.names.get(item_id)
        if found is None:
            return item_id
        return found.title_zh if language == "zh" else found.title_en

    # A wrong period never downloads the fallback month's figures as if they were asked for.
    if request.query_params.get("format") == "csv" and not problem:
        period = f"{since.isoformat()}..{until.isoformat()}"
        table: list[list[object]] = []
        for scope, categories, items in [
            (period, report.categories, report.items),
            *[(m, report.monthly_categories[m], report.monthly_items[m]) for m in report.months],
        ]:
            table += [[scope, "category", s.key, _(s.key), s.orders, s.points, s.percent]
                      for s in categories]  # fmt: skip
            table += [[scope, "item", s.key, item_name(s.key), s.orders, s.points, s.percent]
                      for s in items]  # fmt: skip
        return _csv(["period", "by", "key", "name", "orders", "points", "percent_of_points"],
                    table, f"redemption-shares-{since}-{until}.csv")  # fmt: skip
    # Per month, each category's and each item's share (an item id may spell a category).
    category_in = {m: {s.key: s for s in report.monthly_categories[m]} for m in report.months}
    item_in = {m: {s.key: s for s in report.monthly_items[m]} for m in report.months}
    category_chart = item_chart = month_chart = None
    if report.categories:
        category_chart = charts.share_bars(
            [_(s.key) for s in report.categories],
            [s.tenths / 10 for s in report.categories],
            _("Share of points redeemed, by category"),
        )
        top = report.items[:10]
        item_chart = charts.share_bars(
            [item_name(s.key) for s in top],
            [s.tenths / 10 for s in top],
            _("Share of points redeemed, by item (top 10)"),
        )
        if len(report.months) > 1:
            keys = [s.key for s in report.categories]
            month_chart = charts.stacked_bars(
                report.months,
                {
                    _(key): [
                        category_in[m][key].tenths / 10 if key in category_in[m] else 0
                        for m in report.months
                    ]
                    for key in keys
                },
                _("Share of points redeemed, by category and month"),
                "%",
            )
    messages = {
        "dates": _("Enter a date (YYYY-MM-DD)."),
        "order": _("The start date is after the end date."),
        "length": _("Choose a period of at most %s months.", reports.SHARE_MONTHS),
    }
    filters = {"since": since.isoformat(), "until": until.isoformat()}
    return render(
        request, "report_shares.html", user, report=report, filters=filters,
        query=urlencode(filters), problem_text=messages.get(problem, ""),
        item_name=item_name, category_chart=category_chart, item_chart=item_chart,
        month_chart=month_chart,
        monthly_category_keys=[s.key for s in report.categories],
        monthly_item_keys=[s.key for s in report.items],
        category_in=category_in, item_in=item_in,
    )  # fmt: skip


@router.get("/reports/expiring")
def expiring(request: Request, user: User) -> Response:
    service = service_of(request)
    days = _number(request, "days", 30, (30, 60, 90))
    export = request.query_params.get("format") == "csv"
    page = page_number(request)
    department = query_text(request, "department", 80)
    with service.db.read() as session:
        rows, employees, total = reports.expiring(
            session, service.clock(), days,
            offset=0 if export else (page - 1) * PAGE, limit=10_000_000 if export else PAGE,
            department=department or None,
        )  # fmt: skip
        departments = reports.departments(session)
    if export:
        when = local_time(service)
        return _csv(["employee_id", "name", "department", "points",
                     f"earliest_expiry ({service.site_timezone()})"],
                    [[r.employee_id, r.name, r.department, r.points, when(r.earliest)]
                     for r in rows] + [["TOTAL", "", "", total, ""]],
                    f"expiring-{days}d.csv")  # fmt: skip
    reminders_sent, reminders = service.list_reminders(REMINDERS_SHOWN)
    return render(
        request, "report_expiring.html", user, rows=rows, employees=employees, total=total,
        days=days, page=page, pages=max((employees + PAGE - 1) // PAGE, 1),
        query=urlencode({"days": days, "department": department}),
        department=department, departments=departments,
        reminders=reminders, reminders_sent=reminders_sent,
        thresholds=", ".join(str(d) for d in service.reminder_settings().days),
    )  # fmt: skip


@router.post("/reports/expiring/reminders")
def save_reminder_days(
    request: Request, user: Poster, days: Annotated[str, Form()] = ""
) -> Response:
    """HR's thresholds for expiry reminders: days before expiry, comma separated (none: off)."""
    _ = translator(language_of(request))
    problem = _("Give up to 5 numbers of days from 1 to 365, separated by commas.")
    parts = [part.strip() for part in days.replace("，", ",").split(",") if part.strip()]
    if not all(part.isascii() and part.isdigit() and len(part) <= 4 for part in parts):
        return back_to("/admin/reports/expiring", problem, problem=True)
    try:
        acting(request, user).update_reminder_settings([int(part) for part in parts])
    except LedgerError:
        return back_to("/admin/reports/expiring", problem, problem=True)
    return back_to("/admin/reports/expiring", _("Reminder days saved."))


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
        when = local_time(service)
        zh = language_of(request) == "zh"
        return _csv(["order_id", "voucher", "employee_id", "name", "item_id", "item", "status",
                     "points", f"placed_at ({service.site_timezone()})", "days_waiting"],
                    [[r.order_id, queries.voucher_code(r.order_id), r.employee_id, r.name,
                      r.item_id, r.item_title_zh if zh else r.item_title_en, r.status, r.points,
                      when(r.placed_at), r.days]
                     for r in rows],
                    f"stale-orders-{days}d.csv")  # fmt: skip
    return render(
        request, "report_stale.html", user, rows=rows, count=count, days=days, page=page,
        pages=max((count + PAGE - 1) // PAGE, 1), query=urlencode({"days": days}),
        voucher=queries.voucher_code,
    )  # fmt: skip
