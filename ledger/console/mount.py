"""Puts the console on the ledger's app at ``/admin``, with its error pages and headers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from ledger.console.pages import (
    account,
    admin,
    auth,
    catalogue,
    connectors,
    dashboard,
    employee_forms,
    employees,
    events,
    fulfilment,
    imports,
    jobs,
    notifications,
    orders,
    reports,
    roster,
    rules,
    webhooks,
)
from ledger.console.web import (
    HERE,
    ConsoleDenied,
    MustChangePassword,
    NeedsSignIn,
    already_sent,
    denied_page,
    error_page,
    password_change_redirect,
    sign_in_redirect,
)
from ledger.domain.form_tokens import FormAlreadySent


def install_console(app: FastAPI) -> None:
    """Serve the console's pages and static files under ``/admin``."""
    sections = (
        # fulfilment before orders: /orders/{id}/code is not one of HR's /orders/{id}/{action}
        auth, account, dashboard, fulfilment, orders, events, imports, employees, employee_forms,
        roster, rules, catalogue, reports, admin, jobs, webhooks, notifications, connectors,
    )  # fmt: skip
    for section in sections:
        app.include_router(section.router, prefix="/admin", include_in_schema=False)
    app.mount("/admin/static", StaticFiles(directory=HERE / "static"), name="console-static")
    app.state.error_page = error_page

    @app.exception_handler(NeedsSignIn)
    async def _sign_in(request: Request, _exc: NeedsSignIn) -> Response:
        return sign_in_redirect(request)

    @app.exception_handler(MustChangePassword)
    async def _must_change(request: Request, _exc: MustChangePassword) -> Response:
        return password_change_redirect(request)

    @app.exception_handler(FormAlreadySent)
    async def _already_sent(request: Request, _exc: FormAlreadySent) -> Response:
        return already_sent(request)

    @app.exception_handler(ConsoleDenied)
    async def _denied(request: Request, exc: ConsoleDenied) -> Response:
        return denied_page(request, exc)
