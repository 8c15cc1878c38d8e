"""Employees' records in the console: create, edit, deactivate and reactivate, reset a PIN.

Each form calls the use case the API calls (:class:`ledger.service.people.PeopleCases`), so
a change made here is logged and announced as one made through the API. HR and admins may
use them all, as in the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from ledger.console.forms import field_errors
from ledger.console.i18n import translator
from ledger.console.web import (
    User,
    acting,
    back_to,
    language_of,
    not_found,
    posted,
    render,
    service_of,
)
from ledger.domain import people
from ledger.domain.errors import LedgerError, NotFound
from ledger.domain.notifications import check_email
from ledger.domain.people import EmployeeSpec
from sync import pin_hash
from sync.protocol import ErrorCode

router = APIRouter()

LANGUAGES = ("zh", "en")
NAME_LENGTH = 80  # EmployeeSpec's bounds, said in the reader's language before it is asked


def deactivation_effects(_: Callable[..., str]) -> list[str]:
    """What deactivating a worker does, as the ledger and kiosks enforce it (see
    :func:`ledger.domain.people.put_employee`); shown before HR confirms and on the page of
    a deactivated worker."""
    return [
        _("Kiosks refuse the badges and PIN of the worker after their next sync: no sign-in."),
        _("New orders are refused, at the kiosk and by the ledger."),
        _("Imported HR events for the worker are refused: no points are earned."),
        _("Points, badges and PIN are kept; points still expire on their dates."),
        _("Orders already placed stay in the queue: approve, fulfil or reject them as usual."),
        _("Reactivating gives everything back as it was."),
    ]


def _departments(request: Request) -> list[str]:
    with service_of(request).db.read() as session:
        return people.departments(session)


def _form(
    request: Request,
    user: User,
    employee_id: str | None,
    values: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    return render(
        request, "employee_form.html", user, status_code=422 if errors else 200,
        employee_id=employee_id, values=values, errors=errors, languages=LANGUAGES,
        departments=_departments(request),
    )  # fmt: skip


def check_record(
    values: dict[str, str], _: Callable[..., str], *, creating: bool
) -> tuple[dict[str, str], dict[str, Any]]:
    """The form's errors by field and, when there are none, the cleaned fields.

    The bounds are :class:`EmployeeSpec`'s and the number the protocol's ``EmployeeId``;
    they are checked here first so that each message is in the reader's language.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if creating:
        number = values.get("employee_id", "").strip()
        if not number:
            errors["employee_id"] = _("This field is required.")
        elif not people.valid_employee_id(number):
            errors["employee_id"] = _("1 to 32 letters, digits, - or _.")
        clean["employee_id"] = number
    name = " ".join(values.get("name", "").split())
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > NAME_LENGTH:
        errors["name"] = _("At most %s characters.", NAME_LENGTH)
    department = " ".join(values.get("department", "").split())
    if len(department) > NAME_LENGTH:
        errors["department"] = _("At most %s characters.", NAME_LENGTH)
    language = values.get("language", "")
    if language not in LANGUAGES:
        errors["language"] = _("This field is required.")
    clean.update(name=name, department=department, language=language)
    return errors, clean


def _model_errors(exc: ValidationError, _: Callable[..., str]) -> dict[str, str]:
    # What the checks above let through is a character no database stores (NUL).
    return {
        name: _("This text holds characters that cannot be saved.") for name in field_errors(exc, _)
    }


@router.get("/new-employee")
def new_employee(request: Request, user: User) -> HTMLResponse:
    return _form(request, user, None, {"language": "zh"}, {})


@router.post("/new-employee")
async def create_employee(request: Request) -> Response:
    user, form = await posted(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    _ = translator(language_of(request))
    errors, clean = check_record(values, _, creating=True)
    if not errors:
        number = clean.pop("employee_id")
        try:
            acting(request, user).create_employee(number, EmployeeSpec(**clean, active=True))
        except ValidationError as exc:
            errors = _model_errors(exc, _)
        except LedgerError as exc:
            if exc.code is ErrorCode.EMPLOYEE_EXISTS:
                errors["employee_id"] = _("An employee with this number exists.")
            else:
                errors["employee_id"] = _("1 to 32 letters, digits, - or _.")
        else:
            return back_to(f"/admin/employees/{number}", _("Employee %s created.", number))
    return _form(request, user, None, values, errors)


@router.get("/employees/{employee_id}/edit")
def edit_employee(request: Request, user: User, employee_id: str) -> HTMLResponse:
    try:
        found = service_of(request).employee(employee_id)
    except NotFound:
        return not_found(request, user)
    values = {key: found[key] for key in ("name", "department", "language")}
    values["email"] = service_of(request).worker_email(employee_id)
    return _form(request, user, employee_id, values, {})


def _check_email(values: dict[str, str], _: Callable[..., str], errors: dict[str, str]) -> str:
    """The personal address typed (trimmed, ``""`` to clear); an error next to the field."""
    try:
        return check_email(values.get("email", ""))
    except LedgerError:
        errors["email"] = _("An address like name@example.com.")
        return ""


@router.post("/employees/{employee_id}/edit")
async def save_employee(request: Request, employee_id: str) -> Response:
    user, form = await posted(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    _ = translator(language_of(request))
    errors, clean = check_record(values, _, creating=False)
    email = _check_email(values, _, errors)
    if not errors:
        cases = acting(request, user)
        try:
            changed = cases.update_employee(employee_id, **clean)
            if "email" in values:
                changed = cases.set_worker_email(employee_id, email) or changed
        except ValidationError as exc:
            errors = _model_errors(exc, _)
        except NotFound:
            return not_found(request, user)
        else:
            message = _("Saved.") if changed else _("Nothing changed.")
            return back_to(f"/admin/employees/{employee_id}", message)
    return _form(request, user, employee_id, values, errors)


@router.get("/employees/{employee_id}/deactivate")
def confirm_deactivation(request: Request, user: User, employee_id: str) -> HTMLResponse:
    """What deactivating does, before HR confirms it."""
    try:
        found = service_of(request).employee(employee_id)
    except NotFound:
        return not_found(request, user)
    return render(
        request, "employee_deactivate.html", user,
        employee=found, effects=deactivation_effects(translator(language_of(request))),
    )  # fmt: skip


@router.post("/employees/{employee_id}/active")
async def set_active(request: Request, employee_id: str) -> Response:
    """``active=off`` deactivates (the confirmation page's button), ``on`` reactivates."""
    user, form = await posted(request)
    _ = translator(language_of(request))
    wanted = form.get("active")
    if wanted not in ("on", "off"):
        return back_to(f"/admin/employees/{employee_id}")
    try:
        acting(request, user).update_employee(employee_id, active=wanted == "on")
    except NotFound:
        return not_found(request, user)
    message = _("Reactivated.") if wanted == "on" else _("Deactivated.")
    return back_to(f"/admin/employees/{employee_id}", message)


def _pin_page(
    request: Request,
    user: User,
    employee: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    return render(
        request, "employee_pin.html", user, status_code=422 if errors else 200,
        employee=employee, values=values, errors=errors,
    )  # fmt: skip


@router.get("/employees/{employee_id}/pin")
def pin_form(request: Request, user: User, employee_id: str) -> HTMLResponse:
    """The PIN reset: what it does and the choice (a new PIN to hand over, or none)."""
    try:
        found = service_of(request).employee(employee_id)
    except NotFound:
        return not_found(request, user)
    return _pin_page(request, user, found, {"mode": "set"}, {})


@router.post("/employees/{employee_id}/pin")
async def reset_pin(request: Request, employee_id: str) -> Response:
    user, form = await posted(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    _ = translator(language_of(request))
    try:
        found = service_of(request).employee(employee_id)
    except NotFound:
        return not_found(request, user)
    errors: dict[str, str] = {}
    mode = values.get("mode", "")
    pin = values.get("pin", "").strip()
    if mode == "set":
        if not pin_hash.valid_pin(pin):
            errors["pin"] = _("4 to 8 digits.")
        elif values.get("pin_again", "").strip() != pin:
            errors["pin_again"] = _("The two PINs differ.")
    elif mode != "clear":
        errors["mode"] = _("This field is required.")
    if values.get("confirm") != "yes":
        errors["confirm"] = _("Tick this box to confirm.")
    # A PIN typed is never shown again, right or wrong.
    kept = {"mode": mode}
    if errors:
        return _pin_page(request, user, found, kept, errors)
    acting(request, user).set_pin(employee_id, pin if mode == "set" else None)
    message = _("New PIN set.") if mode == "set" else _("PIN removed.")
    return back_to(f"/admin/employees/{employee_id}", message)
