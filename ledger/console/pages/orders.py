"""The order queue: filter (by state, dates, employee, department, item) with paging and
totals, find by voucher, approve, fulfil, reject with a refund, and each of the three for
many orders at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ledger.console import queries
from ledger.console.i18n import translator
from ledger.console.web import (
    MAX_PAGE_NUMBER,
    AdminPoster,
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
from ledger.domain import orders as order_rules
from ledger.domain.errors import LedgerError
from ledger.domain.orders import OrderAction
from ledger.service.orders import MAX_REASON, UNKNOWN, BulkOutcome
from sync.protocol import ErrorCode, OrderStatus

# What HR does to an order from its page (a cancel is the worker's, at a kiosk).
HR_ACTIONS = {OrderAction.APPROVE.value, OrderAction.FULFIL.value, OrderAction.REJECT.value}

router = APIRouter()
STATUSES = [s.value for s in OrderStatus]


def _day(text: str | None) -> date | None:
    return query_day(text)


def _filters(query: Mapping[str, str]) -> dict[str, str]:
    """The list's filters from a query string (the page's own, or the one a form came from)."""
    status = query.get("status", "pending")

    def text(name: str, length: int) -> str:
        # NUL matches nothing and PostgreSQL refuses it; no number, name, department or
        # item id is longer than ``length``.
        return query.get(name, "")[:length].replace("\x00", "").strip()

    return {
        "status": status if status in STATUSES or status == "" else "pending",
        "since": text("since", 10),
        "until": text("until", 10),
        "employee": text("employee", 80),
        "department": text("department", 80),
        "item": text("item", 64),
    }


def _page(text: str) -> int:
    """A page number as ``page_number`` reads it, from a query string a form came from."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PAGE_NUMBER)):
        return 1
    return min(max(int(text), 1), MAX_PAGE_NUMBER)


def _chosen_filter(filters: dict[str, str], timezone: str) -> queries.OrderFilter:
    """The filters as the query takes them: the placed-at range of the date filters runs from
    the first day's midnight to the one after the last day, on the site's clock."""
    since, until = _day(filters["since"]), _day(filters["until"])
    return queries.OrderFilter(
        status=filters["status"] or None,
        since=queries.local_day_start(since, timezone) if since else None,
        until=queries.local_day_start(until + timedelta(days=1), timezone) if until else None,
        employee=filters["employee"],
        department=filters["department"],
        item=filters["item"],
    )


def _date_problem(filters: dict[str, str], _: Callable[..., str]) -> str:
    """What is wrong with the date filters, or ""."""
    since, until = _day(filters["since"]), _day(filters["until"])
    if (filters["since"] and since is None) or (filters["until"] and until is None):
        return _("Enter a date (YYYY-MM-DD).")
    if since and until and since > until:
        return _("The start date is after the end date.")
    return ""


@router.get("/orders")
def order_queue(request: Request, user: User) -> HTMLResponse:
    return _queue_view(request, user, _filters(request.query_params), page_number(request))


def _queue_view(
    request: Request,
    user: User,
    filters: dict[str, str],
    page: int,
    *,
    errors: dict[str, str] | None = None,
    reason: str = "",
    selected: frozenset[str] = frozenset(),
    status_code: int = 200,
) -> HTMLResponse:
    """The list; a refused bulk form shows it again with its error, reason and ticks."""
    service = service_of(request)
    _ = translator(language_of(request))
    chosen = _chosen_filter(filters, service.site_timezone())
    with service.db.read() as session:
        rows, totals, page = queries.order_queue(session, chosen, page)
        departments = queries.departments(session)
        items = queries.item_choices(session)
    query = urlencode(filters)
    return render(
        request, "orders.html", user, status_code=status_code,
        rows=rows, totals=totals, page=page,
        pages=max((totals.count + queries.PAGE - 1) // queries.PAGE, 1),
        filters=filters, statuses=STATUSES, departments=departments, items=items,
        query=query, back=f"/admin/orders?{query}&page={page}",
        date_problem=_date_problem(filters, _),
        errors=errors or {}, reason=reason, selected=selected,
    )  # fmt: skip


@router.get("/orders/export.csv")
def export_orders(request: Request, user: User) -> Response:
    service = service_of(request)
    chosen = _chosen_filter(_filters(request.query_params), service.site_timezone())
    with service.db.read() as session:
        rows, _totals, _page_shown = queries.order_queue(session, chosen, 1, limit=100_000)
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


@router.post("/orders/{order_id}/reverse")
def reverse_order(
    request: Request,
    user: AdminPoster,
    order_id: str,
    reason: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """An admin takes back a fulfilled order, with a reason and a ticked confirmation."""
    _ = translator(language_of(request))
    reason = reason.replace("\x00", "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give a reason for the reversal.")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("At most %s characters.", MAX_REASON)
    if confirm != "yes":
        errors["confirm"] = _("Tick the box to confirm the reversal.")
    if errors:
        return _order_view(request, user, order_id, status_code=422, errors=errors, reason=reason)
    try:
        order = acting(request, user).reverse_order(order_id, reason)
    except LedgerError as error:
        if error.status == 404:
            return not_found(request, user)
        return _refused_change(request, user, order_id)
    return back_to(
        f"/admin/orders/{order_id}",
        _("Order %s: %s", queries.voucher_code(order.order_id), _(order.status.value)),
    )


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
        if error.code is ErrorCode.CODE_POOL_EMPTY:
            message = _("No code is left in the pool of this item: add codes, then approve again.")
            return _order_view(request, user, order_id, message, 422)
        return _refused_change(request, user, order_id)
    return back_to(
        target, _("Order %s: %s", queries.voucher_code(order.order_id), _(order.status.value))
    )


def _refused_change(request: Request, user: User, order_id: str) -> HTMLResponse:
    """The order's page again, saying which state keeps it from the change."""
    _ = translator(language_of(request))
    with service_of(request).db.read() as session:
        row = queries.order_row(session, order_id)
    status = _(row.status) if row else "?"
    message = _("This order cannot be changed now: it is %s.", status)
    return _order_view(request, user, order_id, message, 422)


def _order_view(
    request: Request,
    user: User,
    order_id: str,
    error: str = "",
    status_code: int = 200,
    *,
    errors: dict[str, str] | None = None,
    reason: str = "",
) -> HTMLResponse:
    """The order's page; ``errors`` and ``reason`` show a refused reversal form again."""
    service = service_of(request)
    with service.db.read() as session:
        row = queries.order_row(session, order_id)
    if row is None:
        return not_found(request, user)
    return render(
        request, "order.html", user, status_code=status_code, order=row, error=error,
        errors=errors or {}, reverse_reason=reason,
        has_code=service.order_has_code(order_id), external=service.external_state(order_id),
    )  # fmt: skip


def _chosen(order: list[str]) -> list[str]:
    """The ticked orders, as many as one page shows at most several times over; a value
    that cannot be an order id (NUL, too long) is dropped before it reaches the database."""
    return [o for o in order[:500] if 0 < len(o) <= 36 and "\x00" not in o]


def _back(back: str) -> str:
    return back if back.startswith("/admin/") else "/admin/orders"


@router.post("/orders-bulk/approve")
def approve_selected(
    request: Request,
    user: Poster,
    order: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    back: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    done = acting(request, user).approve_many(_chosen(order))
    return back_to(_back(back), _("%s orders approved.", done))


@router.post("/orders-bulk/fulfil")
def fulfil_selected(
    request: Request,
    user: Poster,
    order: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    back: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    chosen = _chosen(order)
    if not chosen:
        return back_to(_back(back), _("Select at least one order."), problem=True)
    outcome = acting(request, user).fulfil_many(chosen)
    return back_to(_back(back), _bulk_message(_, outcome))


@router.post("/orders-bulk/reject")
def reject_selected(
    request: Request,
    user: Poster,
    order: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    chosen = _chosen(order)
    reason = reason.replace("\x00", "").strip()[:200]
    if not reason:
        # The list the form came from, again, with the error beside the reason field.
        shown = urlsplit(_back(back))
        from_list = shown.path == "/admin/orders"
        query = dict(parse_qsl(shown.query, keep_blank_values=True)) if from_list else {}
        return _queue_view(
            request, user, _filters(query), _page(query.get("page", "")),
            errors={"reason": _("Give a reason for the rejection.")},
            selected=frozenset(chosen), status_code=422,
        )  # fmt: skip
    if not chosen:
        return back_to(_back(back), _("Select at least one order."), problem=True)
    outcome = acting(request, user).reject_many(chosen, reason)
    return back_to(_back(back), _bulk_message(_, outcome))


def _bulk_message(_: Callable[..., str], outcome: BulkOutcome) -> str:
    """How many were changed, how many skipped in which state, and the rule that skipped
    them."""
    target = order_rules.target_of(outcome.action).value
    if outcome.action is OrderAction.FULFIL:
        parts = [_("%s orders fulfilled.", len(outcome.done))]
        rule = _("Only approved orders can be fulfilled.")
    else:
        parts = [_("%s orders rejected and their points refunded.", len(outcome.done))]
        rule = _("Only pending or approved orders can be rejected.")
    held_back = False
    for state, count in outcome.skipped_by_state().items():
        if state == target:
            parts.append(_("Skipped %s: already %s.", count, _(state)))
        elif state == UNKNOWN:
            parts.append(_("Skipped %s: no such order.", count))
        else:
            parts.append(_("Skipped %s: %s.", count, _(state)))
            held_back = True
    if held_back:
        parts.append(rule)
    return " ".join(parts)
