"""The order queue: filter, find by voucher, approve, fulfil, reject with a refund, bulk."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ledger.console import queries
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
    not_found,
    page_number,
    query_day,
    query_text,
    render,
    service_of,
)
from ledger.domain.errors import LedgerError
from ledger.domain.orders import OrderAction
from sync.protocol import OrderStatus

# What HR does to an order from its page (a cancel is the worker's, at a kiosk).
HR_ACTIONS = {OrderAction.APPROVE.value, OrderAction.FULFIL.value, OrderAction.REJECT.value}

router = APIRouter()
STATUSES = [s.value for s in OrderStatus]


def _day(text: str | None) -> date | None:
    return query_day(text)


def _filters(request: Request) -> dict[str, str]:
    query = request.query_params
    status = query.get("status", "pending")
    return {
        "status": status if status in STATUSES or status == "" else "pending",
        "since": query.get("since", ""),
        "until": query.get("until", ""),
    }


def _bounds(filters: dict[str, str], timezone: str) -> tuple[datetime | None, datetime | None]:
    """The placed-at range of the date filters: from the first day to the end of the last."""
    since, until = _day(filters["since"]), _day(filters["until"])
    start = queries.local_day_start(since, timezone) if since else None
    end = queries.local_day_start(until + timedelta(days=1), timezone) if until else None
    return start, end


@router.get("/orders")
def order_queue(request: Request, user: User) -> HTMLResponse:
    service = service_of(request)
    filters = _filters(request)
    page = page_number(request)
    start, end = _bounds(filters, service.site_timezone())
    with service.db.read() as session:
        rows, total = queries.order_queue(
            session, filters["status"] or None, start, end, (page - 1) * queries.PAGE
        )
    return render(
        request, "orders.html", user,
        rows=rows, total=total, page=page, pages=max((total + queries.PAGE - 1) // queries.PAGE, 1),
        filters=filters, statuses=STATUSES, query=urlencode(filters),
        bad_dates=(filters["since"] and _day(filters["since"]) is None)
        or (filters["until"] and _day(filters["until"]) is None),
    )  # fmt: skip


@router.get("/orders/export.csv")
def export_orders(request: Request, user: User) -> Response:
    service = service_of(request)
    filters = _filters(request)
    start, end = _bounds(filters, service.site_timezone())
    with service.db.read() as session:
        rows, _total = queries.order_queue(
            session, filters["status"] or None, start, end, 0, limit=100_000
        )
    # Times as the pages show them: on the site's clock, to the minute, the zone named.
    when = local_time(service)
    header = ["order_id", "voucher", "employee_id", "employee_name", "item", "quantity",
              "points", "status", "reason", "offline",
              f"placed_at ({service.site_timezone()})"]  # fmt: skip
    table = [
        [row.id, row.voucher, row.employee_id, row.employee_name, row.item_title_zh,
         row.quantity, row.points, row.status, row.reason or "", row.offline,
         when(row.placed_at)]
        for row in rows
    ]  # fmt: skip
    return csv_response(csv_text(header, table), "orders.csv")


@router.get("/orders/find")
def find_order(request: Request, user: User) -> Response:
    service = service_of(request)
    code = query_text(request, "code", 80)
    with service.db.read() as session:
        order_id = queries.find_order(session, code) if code.strip() else None
    if order_id is None:
        _ = translator(language_of(request))
        return back_to("/admin/orders?status=", _("No order has this voucher code."), problem=True)
    return back_to(f"/admin/orders/{order_id}")


@router.get("/orders/{order_id}")
def order_page(request: Request, user: User, order_id: str) -> HTMLResponse:
    return _order_view(request, user, order_id)


@router.post("/orders/{order_id}/{action}")
def change_order(
    request: Request,
    user: Poster,
    order_id: str,
    action: str,
    reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    target = back if back.startswith("/admin/") else f"/admin/orders/{order_id}"
    if action not in HR_ACTIONS:
        return not_found(request, user)
    reason = reason.strip()
    if action == OrderAction.REJECT and not reason:
        return _order_view(request, user, order_id, _("Give a reason for the rejection."), 422)
    if len(reason) > 200:
        reason = reason[:200]
    try:
        order = acting(request, user).transition(order_id, action, reason or None)
    except LedgerError as error:
        if error.status == 404:
            return not_found(request, user)
        with service_of(request).db.read() as session:
            row = queries.order_row(session, order_id)
        status = _(row.status) if row else "?"
        message = _("This order cannot be changed now: it is %s.", status)
        return _order_view(request, user, order_id, message, 422)
    return back_to(
        target, _("Order %s: %s", queries.voucher_code(order.order_id), _(order.status.value))
    )


def _order_view(
    request: Request, user: User, order_id: str, error: str = "", status_code: int = 200
) -> HTMLResponse:
    service = service_of(request)
    with service.db.read() as session:
        row = queries.order_row(session, order_id)
    if row is None:
        return not_found(request, user)
    return render(request, "order.html", user, status_code=status_code, order=row, error=error)


@router.post("/orders-bulk/approve")
def approve_selected(
    request: Request,
    user: Poster,
    order: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    back: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    done = acting(request, user).approve_many(order[:500])
    target = back if back.startswith("/admin/") else "/admin/orders"
    return back_to(target, _("%s orders approved.", done))
