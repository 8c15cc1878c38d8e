"""HR events from a file: upload (CSV in UTF-8/GBK/GB18030 or xlsx), then the batch's page.

The preview keeps the upload in a stored batch and sends the browser to that batch's page
(:mod:`ledger.console.pages.imports`), where the import is started and followed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ledger.console.i18n import translator
from ledger.console.pages.imports import table_problem
from ledger.console.web import (
    Poster,
    User,
    acting,
    back_to,
    language_of,
    posted,
    render,
    service_of,
    text_values,
)
from ledger.domain.event_import import COLUMNS
from ledger.domain.table_file import MAX_BYTES, Encoding, TableError

router = APIRouter()
ENCODINGS = [e.value for e in Encoding]


@router.get("/events")
def events_form(request: Request, user: User) -> HTMLResponse:
    return _form(request, user)


@router.post("/events")
async def preview(request: Request) -> Response:
    """Read the upload, judge every row as the import will, and keep it as a batch.

    The session is checked before the upload is read; at most 20 MB are read.
    """
    user, form = await posted(request)
    fields = text_values(form)
    upload = form.get("file")
    data = None
    name = ""
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_BYTES + 1)
        name = upload.filename
    encoding = fields.get("encoding", Encoding.AUTO.value)
    return await run_in_threadpool(_preview, request, user, name, data, encoding)


def _preview(
    request: Request, user: Poster, name: str, data: bytes | None, encoding: str
) -> Response:
    _ = translator(language_of(request))
    chosen = encoding if encoding in ENCODINGS else Encoding.AUTO.value
    if data is None:
        return _form(request, user, _("Choose a CSV or xlsx file."), chosen, 422)
    if len(data) > MAX_BYTES:
        message = _("The file is too large (at most %s MB).", MAX_BYTES >> 20)
        return _form(request, user, message, chosen, 422)
    try:
        batch_id = acting(request, user).preview_events(data, name[-200:], Encoding(chosen))
    except TableError as error:
        return _form(request, user, table_problem(_, error, COLUMNS), chosen, 422)
    return back_to(f"/admin/imports/{batch_id}")


def _form(
    request: Request,
    user: Poster,
    error: str = "",
    encoding: str = Encoding.AUTO.value,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request, "events.html", user, status_code=status_code,
        error=error, encoding=encoding, encodings=ENCODINGS,
        site_timezone=service_of(request).site_timezone(), max_mb=MAX_BYTES >> 20,
    )  # fmt: skip
