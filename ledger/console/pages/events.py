"""HR events from a CSV file: upload, a preview with each row's problem, then import."""

from __future__ import annotations

import csv

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ledger.console.i18n import translator
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
from ledger.domain import event_csv

router = APIRouter()
MAX_CSV_BYTES = 5 * 1024 * 1024


@router.get("/events")
def events_form(request: Request, user: User) -> HTMLResponse:
    return render(request, "events.html", user, rows=None, error="")


@router.post("/events")
async def preview_or_import(request: Request) -> Response:
    """``preview``: read the upload and show every row; ``import``: import the ready rows.

    The preview page carries the file's text in a hidden field, so what is imported is
    exactly what was previewed; importing the same rows again changes nothing. The session
    is checked before the upload is read.
    """
    user, form = await posted(request)
    upload = form.get("file")
    data = None
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_CSV_BYTES + 1)
    fields = text_values(form)
    return await run_in_threadpool(
        _preview_or_import,
        request,
        user,
        upload.filename if isinstance(upload, UploadFile) else None,
        data,
        fields.get("content", ""),
        fields.get("step", "preview"),
        fields.get("filename", "events.csv"),
    )


def _preview_or_import(
    request: Request,
    user: Poster,
    upload_name: str | None,
    data: bytes | None,
    content: str,
    step: str,
    filename: str,
) -> Response:
    _ = translator(language_of(request))
    service = service_of(request)
    name = filename[:120]
    if step == "preview":
        if data is None or not upload_name:
            return _form_error(request, user, _("Choose a CSV file."))
        if len(data) > MAX_CSV_BYTES:
            return _form_error(
                request, user, _("The file is too large (at most %s MB).", MAX_CSV_BYTES >> 20)
            )
        try:
            content = data.decode("utf-8")
        except UnicodeDecodeError:
            return _form_error(request, user, _("The file is not UTF-8 CSV text."))
        name = upload_name[:120]
    elif len(content.encode()) > MAX_CSV_BYTES:
        return _form_error(
            request, user, _("The file is too large (at most %s MB).", MAX_CSV_BYTES >> 20)
        )
    try:
        rows = event_csv.parse(content)
    except event_csv.CsvError as error:
        return _form_error(
            request, user, _("The file lacks the columns: %s.", ", ".join(error.missing))
        )
    except csv.Error:  # e.g. a "field" longer than the csv module takes, in binary junk
        return _form_error(request, user, _("The file is not UTF-8 CSV text."))
    with service.db.read() as session:
        event_csv.check(session, rows)
    if step == "import":
        ready = [row.event for row in rows if row.ready and row.event is not None]
        outcome = acting(request, user).ingest_events(ready, source=name)
        return back_to(
            "/admin/events",
            _("Imported: %s new, %s already there, %s refused.",
              outcome.accepted, outcome.duplicates + sum(r.duplicate for r in rows),
              len(outcome.rejected) + sum(bool(r.problem) for r in rows)),
        )  # fmt: skip
    return render(
        request, "events.html", user,
        rows=rows, content=content, filename=name, error="",
        ready=sum(r.ready for r in rows), duplicates=sum(r.duplicate for r in rows),
        problems=sum(bool(r.problem) for r in rows),
    )  # fmt: skip


def _form_error(request: Request, user: Poster, message: str) -> HTMLResponse:
    return render(request, "events.html", user, status_code=422, rows=None, error=message)
