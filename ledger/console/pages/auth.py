"""Signing in and out, and the reader's language."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ledger.console import charts
from ledger.console.i18n import LANGUAGES, translator
from ledger.console.web import (
    LANGUAGE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Poster,
    client_address,
    language_of,
    render,
    secure_cookies,
    service_of,
)
from ledger.domain import console_users as users

router = APIRouter()


def _safe_next(target: str) -> str:
    # Only paths inside the console: never an open redirect to another site.
    if target.startswith("/admin") and not target.startswith("//"):
        return target
    return "/admin"


def _login_page(request: Request, error: str = "", status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        None,
        status_code=status_code,
        error=error,
        ended=request.query_params.get("ended") == "1",
        login_csrf=token,
        next=_safe_next(request.query_params.get("next", "/admin")),
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
        secure=secure_cookies(request), path="/admin",
    )  # fmt: skip
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/admin",
) -> Response:
    _ = translator(language_of(request))
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf.encode(), expected.encode()):
        message = _("Your session has expired or the form is stale. Please try again.")
        return _login_page(request, message, status_code=403)
    service = service_of(request)
    outcome = service.sign_in(name, password, client_address(request))
    if isinstance(outcome, users.SignInRefused):
        if outcome.reason == "throttled":
            message = _("Too many sign-in attempts. Please wait a few minutes and try again.")
            return _login_page(request, message, status_code=429)
        if outcome.reason == "disabled":  # said only to whoever gave the right password
            message = _("This account has been disabled.")
        else:
            # One message for unknown names, wrong passwords and locked accounts: the page
            # must not tell which names exist or which accounts are locked.
            message = _(
                "Wrong user name or password, or the account is locked for up to %s minutes.",
                int(users.LOCKOUT.total_seconds() // 60),
            )
        return _login_page(request, message, status_code=401)
    token, who = outcome
    charts.warm_up()  # someone is here: the report charts will be wanted soon
    target = "/admin/account" if who.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict",
        secure=secure_cookies(request), path="/admin",
        max_age=int(users.SESSION_LIFETIME.total_seconds()),
    )  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


@router.post("/logout")
def logout(request: Request, _user: Poster) -> Response:
    service = service_of(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    service.sign_out(token)
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response


@router.get("/language/{language}")
def set_language(request: Request, language: str) -> Response:
    """Switch the console's language (a display preference: a link, not a form)."""
    response = RedirectResponse(
        _safe_next(request.query_params.get("next", "/admin")), status_code=303
    )
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, samesite="lax", path="/admin", max_age=365 * 86400
        )
    return response
