"""Webhooks (admins): endpoints that receive the ledger's events, and their deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.console.i18n import translator
from ledger.console.web import (
    Admin,
    AdminPoster,
    acting,
    back_to,
    form_key,
    language_of,
    page_number,
    posted,
    query_text,
    render,
    service_of,
    shown_once,
)
from ledger.domain.errors import LedgerError
from ledger.service.webhooks import EVENT_TYPES

router = APIRouter()
PAGE = 50
STATUSES = ("pending", "delivered", "failed")
LABELS = {"pending": "Waiting", "delivered": "Delivered", "failed": "Failed"}


def _page(
    request: Request, user: Admin, *, created: str = "", errors: dict[str, str] | None = None,
    form: Mapping[str, object] | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    service = service_of(request)
    status = query_text(request, "status", 12)
    status = status if status in STATUSES else ""
    page = page_number(request)
    total, deliveries = service.list_deliveries(None, status or None, PAGE, (page - 1) * PAGE)
    urls = {e["id"]: e["url"] for e in service.list_webhooks()}
    return render(
        request, "webhooks.html", user, status_code=status_code,
        endpoints=service.list_webhooks(), deliveries=deliveries, urls=urls, total=total,
        page=page, pages=max(1, -(-total // PAGE)), status=status, statuses=STATUSES, labels=LABELS,
        query=urlencode({"status": status}), event_types=EVENT_TYPES, created=created,
        errors=errors or {}, form=form or {"events": []},
    )  # fmt: skip


@router.get("/webhooks")
def webhooks_page(request: Request, user: Admin) -> HTMLResponse:
    return _page(request, user, created=shown_once(request, user))


@router.post("/webhooks")
async def add_webhook(request: Request) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    url = str(data.get("url", "")).strip()
    events = [str(v) for v in data.getlist("events")]
    description = str(data.get("description", ""))
    errors: dict[str, str] = {}
    if not url:
        errors["url"] = _("This field is required.")
    if not events:
        errors["events"] = _("Choose at least one kind of event.")
    if not errors:
        try:
            acting(request, user, keep=True).add_webhook(url, events, None, description)
        except LedgerError as error:
            field = "events" if str(error).startswith("events") else "url"
            errors[field] = (
                _("Choose at least one kind of event.")
                if field == "events"
                else _("Enter an address that starts with http:// or https://.")
            )
        else:
            # Post, redirect, get: the secret is shown once on the page after, never in an
            # address; a reload neither shows it again nor makes another endpoint.
            return back_to("/admin/webhooks?shown=" + form_key(request))
    form = {"url": url, "events": events, "description": description}
    return _page(request, user, errors=errors, form=form, status_code=422)


@router.post("/webhooks/{endpoint_id}/active")
async def set_active(request: Request, endpoint_id: int) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    try:
        acting(request, user).set_webhook_active(endpoint_id, data.get("active") == "1")
    except LedgerError:
        return back_to("/admin/webhooks", _("Nothing found."), problem=True)
    return back_to("/admin/webhooks", _("Saved."))


@router.post("/webhooks/deliveries/{delivery_id}/resend")
def resend(request: Request, user: AdminPoster, delivery_id: int) -> Response:
    _ = translator(language_of(request))
    try:
        acting(request, user).resend_delivery(delivery_id)
    except LedgerError:
        return back_to("/admin/webhooks?status=failed", _("Only a failed delivery is sent again."),
                       problem=True)  # fmt: skip
    return back_to("/admin/webhooks?status=failed", _("The delivery is sent again shortly."))
