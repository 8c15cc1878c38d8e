"""Employees: a paged list (search, department, active or not), balance and history, manual
adjustments, badges and badge sheets."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import ValidationError

from ledger.console import queries
from ledger.console.i18n import translator
from ledger.console.pages.employee_forms import deactivation_effects
from ledger.console.web import (
    Poster,
    User,
    acting,
    back_to,
    language_of,
    not_found,
    page_number,
    query_text,
    render,
    service_of,
)
from ledger.domain import badge_sheet
from ledger.domain.errors import LedgerError
from ledger.service.people import new_console_adjustment_id
from ledger.storage.accounts import TransferKind
from sync.voucher import voucher_code

router = APIRouter()


@router.get("/employees")
def employee_search(request: Request, user: User) -> HTMLResponse:
    service = service_of(request)
    state = query_text(request, "status", 10)
    # No employee number, name or department is longer than 80 characters.
    filters = {
        "q": query_text(request, "q", 80).strip(),
        "department": query_text(request, "department", 80),
        "status": state if state in queries.EMPLOYEE_STATES else "",
    }
    with service.db.read() as session:
        rows, total, page = queries.search_employees(
            session,
            filters["q"],
            department=filters["department"],
            state=filters["status"],
            page=page_number(request),
        )
        known = queries.departments(session)
    return render(
        request, "employees.html", user, rows=rows, total=total, page=page,
        pages=max((total + queries.PAGE - 1) // queries.PAGE, 1), filters=filters,
        departments=known, query=urlencode(filters),
    )  # fmt: skip


def what_for(entry: dict[str, Any], language: str, _: Callable[..., str]) -> str:
    """What a history line was for, in the reader's language: the rule's title of points
    earned, the item's title of an order's hold or refund, HR's reason of an adjustment.

    The code stands in only when the rule or item no longer exists.
    """
    kind = entry["kind"]
    if kind == TransferKind.EARN:
        title = entry["rule_title"]
        return title[language] if title else entry["rule_kind"] or entry["memo"] or ""
    if entry["order_id"]:
        title = entry["item_title"]
        return title[language] if title else entry["item_id"] or entry["memo"] or ""
    if kind == TransferKind.EXPIRE:
        # The stored memo names a lot, which means nothing to HR.
        return _("Not used before their expiry date")
    return entry["memo"] or ""


def _employee_page(
    request: Request, user: User, employee_id: str, status_code: int = 200, **errors: str
) -> HTMLResponse:
    language = language_of(request)
    _ = translator(language)
    service = service_of(request)
    try:
        employee = service.employee(employee_id)
        entries = [
            {**entry, "what_for": what_for(entry, language, _),
             "voucher": voucher_code(entry["order_id"]) if entry["order_id"] else ""}
            for entry in service.entries_with_titles(employee_id, limit=100)
        ]  # fmt: skip
    except LedgerError:
        return not_found(request, user)
    with service.db.read() as session:
        badges = queries.badges_of(session, employee_id)
    return render(
        request, "employee.html", user, status_code=status_code,
        employee=employee, entries=entries, badges=badges, errors=errors,
        form=request.query_params, adjustment_id=new_console_adjustment_id(),
        effects=deactivation_effects(_), personal_email=service.worker_email(employee_id),
    )  # fmt: skip


@router.get("/employees/{employee_id}")
def employee_page(request: Request, user: User, employee_id: str) -> HTMLResponse:
    return _employee_page(request, user, employee_id)


@router.post("/employees/{employee_id}/adjust")
def adjust(
    request: Request,
    user: Poster,
    employee_id: str,
    points: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    adjustment_id: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    errors: dict[str, str] = {}
    try:
        amount = int(points.strip())
        if amount == 0 or abs(amount) > 1_000_000:
            errors["points"] = _("Enter a number from %s to %s.", "-1000000", "1000000")
    except ValueError:
        errors["points"] = _("Enter a whole number.")
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("This field is required.")
    elif len(reason) > 200:
        errors["reason"] = _("Enter a number from %s to %s.", 1, 200)
    if errors:
        return _employee_page(request, user, employee_id, status_code=422, **errors)
    try:
        created = acting(request, user).adjust_by_hand(
            employee_id, amount, reason, adjustment_id or None
        )
    except ValidationError:
        return _employee_page(
            request,
            user,
            employee_id,
            status_code=422,
            reason=_("This text holds characters that cannot be saved."),
        )
    except LedgerError as error:
        return _employee_page(request, user, employee_id, status_code=422, points=error.message)
    if not created:
        return back_to(
            f"/admin/employees/{employee_id}",
            _("This adjustment was already saved; it was not applied twice."),
            problem=True,
        )
    return back_to(f"/admin/employees/{employee_id}", _("Adjusted by %s points.", amount))


@router.post("/employees/{employee_id}/badges")
def issue_badge(
    request: Request,
    user: Poster,
    employee_id: str,
    kind: Annotated[str, Form()] = "qr",
    uid: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    if kind not in ("qr", "rfid"):
        return _employee_page(request, user, employee_id, status_code=422, badge="kind")
    if kind == "rfid" and not uid.strip():
        return _employee_page(
            request, user, employee_id, status_code=422, uid=_("This field is required.")
        )
    try:
        serial, _qr = acting(request, user).issue_badge(employee_id, kind, uid.strip() or None)
    except LedgerError as error:
        return _employee_page(request, user, employee_id, status_code=422, uid=error.message)
    return back_to(f"/admin/employees/{employee_id}", _("Badge %s issued.", serial))


@router.post("/employees/{employee_id}/badges/{serial}/revoke")
def revoke_badge(request: Request, user: Poster, employee_id: str, serial: str) -> Response:
    _ = translator(language_of(request))
    try:
        acting(request, user).revoke_badge(serial)
    except LedgerError:
        return not_found(request, user)
    return back_to(f"/admin/employees/{employee_id}", _("Badge %s revoked.", serial))


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG (``qrcode``'s SVG path image: crisp at any print size)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    data = base64.b64encode(out.getvalue()).decode()
    return Markup(f'<img class="qr" alt="" src="data:image/svg+xml;base64,{data}">')


@router.get("/badges/sheet")
def badge_sheet_page(request: Request, user: User) -> HTMLResponse:
    """A printable A4 page of QR badges (name, number, cut marks) for the given employees."""
    _ = translator(language_of(request))
    service = service_of(request)
    ids = [i for i in query_text(request, "employees", 2000).split(",") if i][:60]
    if service.badge_key is None:
        return render(request, "message.html", user, status_code=503, message="badge key")
    with service.db.read() as session:
        cards = badge_sheet.cards(session, ids, service.badge_key)
    if not cards:
        return render(
            request, "message.html", user, status_code=404,
            message=_("No badges to print: issue a QR badge first."),
        )  # fmt: skip
    return render(
        request, "badge_sheet.html", user,
        cards=[(card, qr_svg(card.payload)) for card in cards],
    )  # fmt: skip
