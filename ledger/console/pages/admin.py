"""The audit log (every signed-in user reads it) and, for admins, users and kiosks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ledger.console import actions
from ledger.console.i18n import translator
from ledger.console.pages.account import password_message
from ledger.console.queries import local_day_start
from ledger.console.web import (
    Admin,
    AdminPoster,
    User,
    acting,
    back_to,
    form_key,
    language_of,
    not_found,
    page_number,
    query_day,
    query_text,
    render,
    service_of,
    shown_once,
)
from ledger.domain import access
from ledger.domain import console_users as users
from ledger.domain.device_caps import MAX_CAP
from ledger.domain.errors import LedgerError
from ledger.storage.models import HrAction
from sync.voucher import voucher_code

router = APIRouter()
PAGE = 50


# A value longer than this is cut (with an ellipsis): the stored JSON below has it whole.
LONGEST_VALUE = 60


def _pretty(value: str | None) -> str:
    return "" if value is None else json.dumps(json.loads(value), ensure_ascii=False, indent=1)


def _shown(field: str, value: Any, _: Callable[..., str]) -> str:
    """A logged value as HR reads it: yes/no, the console's words for states and categories,
    nested values as compact JSON, long text cut."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        text = _("Yes") if value else _("No")
    elif isinstance(value, str):
        text = _(value) if field in actions.TRANSLATED_VALUES else value
    elif isinstance(value, int | float):
        text = f"{value:g}" if isinstance(value, float) else str(value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


@dataclass(frozen=True)
class Target:
    """What a log line acted on, named for people, with the page it is on when it has one."""

    text: str
    detail: str = ""
    href: str = ""
    mono: bool = False


def _target(row: HrAction, names: actions.Names, language: str) -> Target:
    target = row.target
    if row.action.startswith(actions.ORDER_ACTIONS):
        try:
            code = voucher_code(target)
        except ValueError:  # not an order id: shown as it was stored
            return Target(target)
        return Target(code, href=f"/admin/orders/{quote(target, safe='')}", mono=True)
    if row.action.startswith(actions.EMPLOYEE_ACTIONS) and target in names.employees:
        href = f"/admin/employees/{quote(target, safe='')}"
        return Target(names.employees[target], detail=target, href=href)
    titled = (
        (actions.ITEM_ACTIONS, names.items, "/admin/catalogue/"),
        (actions.RULE_ACTIONS, names.rules, "/admin/rules/"),
    )
    for prefixes, titles, page in titled:
        if row.action.startswith(prefixes) and target in titles:
            zh, en = titles[target]
            return Target(zh if language == "zh" else en, href=page + quote(target, safe=""))
    return Target(target)


@router.get("/audit")
def audit_log(request: Request, user: User) -> HTMLResponse:
    language = language_of(request)
    _ = translator(language)
    service = service_of(request)
    filters = {
        "action": query_text(request, "action", 40).strip(),
        "actor": query_text(request, "actor", 80).strip(),
        "since": query_text(request, "since", 10),
        "until": query_text(request, "until", 10),
        "target": query_text(request, "target", 200).strip(),
    }
    since, until = query_day(filters["since"]), query_day(filters["until"])
    problems: list[str] = []
    if (filters["since"] and since is None) or (filters["until"] and until is None):
        problems.append(_("Enter a date (YYYY-MM-DD)."))
    elif since and until and since > until:
        problems.append(_("The start date is after the end date."))
    timezone = service.site_timezone()
    chosen = actions.LogFilter(
        action=filters["action"],
        actor=filters["actor"],
        # Whole days on the site clock: from the first midnight to the one after the last.
        since=local_day_start(since, timezone) if since else None,
        until=local_day_start(until + timedelta(days=1), timezone) if until else None,
        target=filters["target"],
    )
    with service.db.read() as session:
        rows, total, page = actions.page(session, chosen, page_number(request), PAGE)
        names = actions.names_of(session, rows)
    entries = [
        {
            "at": r.at,
            "kind": r.actor_kind,
            "user": r.user_name,
            "action": r.action,
            "target": _target(r, names, language),
            "raw_target": r.target,
            "changes": [
                {
                    "field": c.field,
                    "label": _(actions.FIELD_LABELS[c.field])
                    if c.field in actions.FIELD_LABELS
                    else c.field,
                    "state": c.state,
                    "before": _shown(c.field, c.before, _),
                    "after": _shown(c.field, c.after, _),
                }
                for c in actions.changes(r.before, r.after)
            ],
            "before": _pretty(r.before),
            "after": _pretty(r.after),
        }
        for r in rows
    ]
    return render(
        request, "audit.html", user, rows=entries, total=total, page=page,
        pages=max((total + PAGE - 1) // PAGE, 1), filters=filters, problems=problems,
        query=urlencode(filters),
    )  # fmt: skip


@router.get("/users")
def user_list(request: Request, user: Admin) -> HTMLResponse:
    return _users_page(request, user, {}, {})


def _users_page(
    request: Request, user: Admin, values: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    service = service_of(request)
    with service.db.read() as session:
        people = users.list_users(session)
    return render(
        request, "users.html", user, status_code=422 if errors else 200,
        people=people, values=values, errors=errors,
    )  # fmt: skip


@router.post("/users")
def create_user(
    request: Request,
    user: AdminPoster,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "hr",
    password: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    values = {"name": name, "role": role}
    if role not in ("hr", "admin"):
        return _users_page(request, user, values, {"role": _("This field is required.")})
    try:
        acting(request, user).create_user(name, users.ConsoleRole(role), password)
    except users.PasswordRefused as refused:
        return _users_page(request, user, values, {"password": password_message(refused, _)})
    except users.UserError as error:
        field = "password" if "password" in str(error) else "name"
        return _users_page(request, user, values, {field: str(error)})
    return back_to("/admin/users", _("User %s created.", name.strip()))


@router.post("/users/{user_id}/password")
def reset_password(
    request: Request,
    user: AdminPoster,
    user_id: int,
    password: Annotated[str, Form()] = "",
) -> Response:
    """An admin gives a user a new password, which they must change at their next sign-in."""
    _ = translator(language_of(request))
    if user_id == user.user_id:
        return not_found(request, user)  # their own goes through the account page
    try:
        acting(request, user).reset_password(user_id, password)
    except users.PasswordRefused as refused:
        return back_to("/admin/users", password_message(refused, _), problem=True)
    except users.UserError:
        return not_found(request, user)
    return back_to("/admin/users", _("Password reset: it must be changed at the next sign-in."))


@router.post("/users/{user_id}/{change}")
def enable_or_disable(request: Request, user: AdminPoster, user_id: int, change: str) -> Response:
    if change not in ("disable", "enable") or user_id == user.user_id:
        return not_found(request, user)  # and nobody disables their own account
    _ = translator(language_of(request))
    acting(request, user).set_user_disabled(user_id, change == "disable")
    return back_to("/admin/users", _("Saved."))


@router.get("/kiosks")
def kiosks(request: Request, user: Admin) -> HTMLResponse:
    return _kiosks_page(request, user, code=shown_once(request, user))


def _kiosks_page(
    request: Request,
    user: Admin,
    code: str = "",
    caps: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    service = service_of(request)
    values = caps or {k: str(v) for k, v in service.device_caps().model_dump().items()}
    return render(
        request, "kiosks.html", user, status_code=422 if errors else 200,
        devices=service.list_devices(), code=code, caps=values, errors=errors or {},
    )  # fmt: skip


@router.post("/kiosks/code")
def enrolment_code(request: Request, user: AdminPoster) -> Response:
    acting(request, user, keep=True).create_enroll_code()
    # Post, redirect, get: the page after shows the code once. The address names the form,
    # not the code (which stays out of the browser's history, logs and Referer headers); the
    # code is kept under the form's token for one read by this user, then cleared, so a
    # reload shows it no more and creates no other.
    return back_to("/admin/kiosks?shown=" + form_key(request))


@router.post("/kiosks/caps")
def save_caps(
    request: Request,
    user: AdminPoster,
    orders_per_hour: Annotated[str, Form()] = "",
    orders_per_day: Annotated[str, Form()] = "",
    points_per_hour: Annotated[str, Form()] = "",
    points_per_day: Annotated[str, Form()] = "",
) -> Response:
    """The caps every kiosk works under; 0 is no cap."""
    _ = translator(language_of(request))
    given = {
        "orders_per_hour": orders_per_hour.strip(),
        "orders_per_day": orders_per_day.strip(),
        "points_per_hour": points_per_hour.strip(),
        "points_per_day": points_per_day.strip(),
    }
    errors = {
        name: _("A whole number from 0 to %s.", f"{MAX_CAP:,}")
        for name, text in given.items()
        if not (text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_CAP)
    }
    if errors:
        return _kiosks_page(request, user, caps=given, errors=errors)
    acting(request, user).update_device_caps({k: int(v) for k, v in given.items()})
    return back_to("/admin/kiosks", _("Saved."))


@router.post("/kiosks/{device_id}/revoke")
def revoke(request: Request, user: AdminPoster, device_id: str) -> Response:
    _ = translator(language_of(request))
    try:
        acting(request, user).revoke_device(device_id)
    except LedgerError:
        return not_found(request, user)
    return back_to("/admin/kiosks", _("Kiosk %s disabled.", device_id[:8]))


@router.get("/tokens")
def tokens(request: Request, user: Admin) -> HTMLResponse:
    return _tokens_page(request, user, shown_once(request, user), {})


def _tokens_page(
    request: Request, user: Admin, created: str, errors: dict[str, str]
) -> HTMLResponse:
    service = service_of(request)
    with service.db.read() as session:
        rows = access.people_tokens(session)
    return render(
        request, "tokens.html", user, status_code=422 if errors else 200,
        tokens=rows, created=created, errors=errors,
    )  # fmt: skip


@router.post("/tokens")
def create_token(
    request: Request,
    user: AdminPoster,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "hr",
) -> Response:
    _ = translator(language_of(request))
    name = name.strip()
    if not name or len(name) > 80:
        return _tokens_page(request, user, "", {"name": _("This field is required.")})
    if role not in ("hr", "admin"):
        return _tokens_page(request, user, "", {"role": _("This field is required.")})
    acting(request, user, keep=True).create_token(access.Role(role), name)
    # Post, redirect, get, as for an enrolment code: shown once on the page after, never in
    # an address; the ledger keeps only the token's hash once that page has read it.
    return back_to("/admin/tokens?shown=" + form_key(request))


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, user: AdminPoster, token_id: int) -> Response:
    _ = translator(language_of(request))
    try:
        acting(request, user).revoke_token(token_id)
    except LedgerError:
        return not_found(request, user)
    return back_to("/admin/tokens", _("Saved."))
