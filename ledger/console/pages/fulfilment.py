"""Fulfilment by kind of reward in the console: an item's code pool (upload, counts), its
external system (admins), an order's code shown on purpose, an external call sent again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ledger.console import queries
from ledger.console.i18n import translator
from ledger.console.web import (
    Poster,
    acting,
    back_to,
    language_of,
    not_found,
    posted,
    render,
    service_of,
)
from ledger.domain.errors import LedgerError
from ledger.domain.webhooks import MAX_URL
from sync.protocol import ErrorCode

router = APIRouter()
# A pasted list or an uploaded text/CSV file of codes.
MAX_CODES_BYTES = 5 * 1024 * 1024


@router.post("/catalogue/{item_id}/codes")
async def add_codes(request: Request, item_id: str) -> Response:
    user, form = await posted(request)
    pasted = form.get("codes")
    texts = [pasted if isinstance(pasted, str) else ""]
    upload = form.get("codes_file")
    too_large = False
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_CODES_BYTES + 1)
        too_large = len(data) > MAX_CODES_BYTES
        texts.append(data.decode("utf-8-sig", errors="replace"))
    return await run_in_threadpool(_add_codes, request, user, item_id, texts, too_large)


def _add_codes(
    request: Request, user: Poster, item_id: str, texts: list[str], too_large: bool
) -> Response:
    _ = translator(language_of(request))
    page = f"/admin/catalogue/{item_id}"
    if too_large:
        return back_to(page, _("The file is larger than 5 MB."), problem=True)
    try:
        done = acting(request, user).add_codes(item_id, *texts)
    except LedgerError as error:
        if error.code is ErrorCode.UNKNOWN_ITEM:
            return not_found(request, user)
        if error.code is ErrorCode.CODE_KEY_MISSING:
            return back_to(page, _("This ledger has no code key: run `ledger init`."), problem=True)
        return back_to(page, _("No codes found: give one code a line."), problem=True)
    return back_to(
        page, _("%s codes added, %s already in a pool; %s unused.", done.added,
                done.duplicates, done.remaining),
    )  # fmt: skip


@router.post("/catalogue/{item_id}/external")
async def set_external(request: Request, item_id: str) -> Response:
    user, form = await posted(request, admin=True)
    url = str(form.get("external_url") or "").strip()
    secret = str(form.get("external_secret") or "").strip()
    return await run_in_threadpool(_set_external, request, user, item_id, url, secret)


def _set_external(request: Request, user: Poster, item_id: str, url: str, secret: str) -> Response:
    _ = translator(language_of(request))
    page = f"/admin/catalogue/{item_id}"
    if len(url) > MAX_URL or (url and not url.startswith(("http://", "https://"))):
        return back_to(page, _("Enter an address that starts with http:// or https://."),
                       problem=True)  # fmt: skip
    if secret and len(secret) < 16:
        return back_to(page, _("The secret needs at least 16 characters."), problem=True)
    try:
        made = acting(request, user).set_external_endpoint(item_id, url or None, secret or None)
    except LedgerError as error:
        if error.code is ErrorCode.UNKNOWN_ITEM:
            return not_found(request, user)
        return back_to(page, _("Enter an address that starts with http:// or https://."),
                       problem=True)  # fmt: skip
    if made is None:
        return back_to(page, _("Saved."))
    # Shown once, on this page only (never in an address): the system needs it to check calls.
    return render(request, "secret_once.html", user, item_id=item_id, secret=made)


@router.post("/orders/{order_id}/code")
def show_code(request: Request, user: Poster, order_id: str) -> Response:
    """The order's code, for the HR person who asked: written to the action log first."""
    _ = translator(language_of(request))
    try:
        code = acting(request, user).reveal_code(order_id)
    except LedgerError as error:
        if error.code is not ErrorCode.CODE_KEY_MISSING:
            return not_found(request, user)
        no_key = _("This ledger has no code key: run `ledger init`.")
        return back_to(f"/admin/orders/{order_id}", no_key, problem=True)
    with service_of(request).db.read() as session:
        row = queries.order_row(session, order_id)
    return render(request, "order_code.html", user, order=row, code=code)


@router.post("/orders/{order_id}/fulfilment-retry")
def retry_external(request: Request, user: Poster, order_id: str) -> Response:
    _ = translator(language_of(request))
    page = f"/admin/orders/{order_id}"
    try:
        acting(request, user).retry_external(order_id)
    except LedgerError:
        return back_to(page, _("Nothing to send again."), problem=True)
    return back_to(page, _("The order is sent to the external system again shortly."))
