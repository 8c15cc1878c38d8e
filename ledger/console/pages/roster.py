"""The roster import: an export of HR's system (CSV or .xlsx), a preview of who is new,
changed, unchanged, refused (and deactivated, when asked), then the import and its result."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

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
    not_found,
    posted,
    render,
    service_of,
    text_values,
)
from ledger.domain import roster
from ledger.domain.errors import LedgerError
from ledger.domain.table_file import Encoding, TableError, TableProblem

router = APIRouter()
MAX_ROSTER_BYTES = 5 * 1024 * 1024
SHOWN = 500  # rows of each part of a preview shown; the counts give the rest


def column_label(name: str, _: Callable[..., str]) -> str:
    return {
        "employee_id": _("Employee number"),
        "name": _("Name"),
        "department": _("Department"),
        "language": _("Preferred language"),
        "active": _("Active"),
    }.get(name, name)


def value_text(name: str, value: Any, _: Callable[..., str]) -> str:
    """A field's value as the reader says it."""
    if name == "active":
        return _("Active") if value else _("Inactive")
    if name == "language":
        return _("Chinese") if value == "zh" else _("English")
    return str(value) if value != "" else "—"


def reason_text(reason: str, detail: dict[str, Any], _: Callable[..., str]) -> str:
    """Why a row was refused, in the reader's language."""
    if reason == roster.Reason.BAD_NUMBER:
        return _("The employee number must be 1 to 32 letters, digits, - or _.")
    if reason == roster.Reason.NO_NAME:
        return _("The name is empty.")
    if reason == roster.Reason.TOO_LONG:
        return _(
            "%s is longer than %s characters.",
            column_label(str(detail.get("column", "")), _),
            detail.get("limit", roster.TEXT_LENGTH),
        )
    if reason == roster.Reason.BAD_LANGUAGE:
        return _("Unknown language %s: use zh or en (中文 or 英文).", detail.get("value", ""))
    if reason == roster.Reason.BAD_ACTIVE:
        return _("Unknown status %s: use 在职 or 离职 (yes or no).", detail.get("value", ""))
    if reason == roster.Reason.BAD_TEXT:
        return _("This text holds characters that cannot be saved.")
    if reason == roster.Reason.DUPLICATE:
        return _("The same employee number is on line %s already.", detail.get("first_line", ""))
    return reason


def table_problem(error: TableError, _: Callable[..., str]) -> str:
    if error.problem is TableProblem.MISSING_COLUMNS:
        return _(
            "The file lacks the columns: %s.",
            ", ".join(column_label(c, _) for c in error.missing),
        )
    if error.problem is TableProblem.TOO_MANY_ROWS:
        return _(
            "The file has more than %s rows; a roster has at most %s.",
            f"{roster.MAX_ROWS:,}",
            f"{roster.MAX_ROWS:,}",
        )
    if error.problem is TableProblem.BAD_XLSX:
        return _("The .xlsx file cannot be read.")
    if error.problem is TableProblem.EMPTY:
        return _("The file is empty.")
    return _("The file is neither CSV text in the chosen encoding nor an .xlsx file.")


def _form(request: Request, user: User, error: str = "", status_code: int = 200) -> HTMLResponse:
    return render(
        request, "roster.html", user, status_code=status_code, error=error, preview=None,
        encodings=[e.value for e in Encoding], chosen="auto", columns=roster.COLUMNS,
    )  # fmt: skip


@router.get("/roster")
def roster_form(request: Request, user: User) -> HTMLResponse:
    return _form(request, user)


@router.post("/roster")
async def preview(request: Request) -> Response:
    """Read the upload and show what importing it would do; the file is kept as a batch."""
    user, form = await posted(request)
    upload = form.get("file")
    data = None
    name = ""
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_ROSTER_BYTES + 1)
        name = upload.filename
    return await run_in_threadpool(_preview, request, user, data, name, text_values(form))


def _preview(
    request: Request, user: Poster, data: bytes | None, name: str, fields: dict[str, str]
) -> Response:
    _ = translator(language_of(request))
    if data is None:
        return _form(request, user, _("Choose a CSV or .xlsx file."), 422)
    if len(data) > MAX_ROSTER_BYTES:
        return _form(
            request, user, _("The file is too large (at most %s MB).", MAX_ROSTER_BYTES >> 20), 422
        )
    try:
        encoding = Encoding(fields.get("encoding", "auto"))
    except ValueError:
        encoding = Encoding.AUTO
    deactivate = fields.get("deactivate_missing") == "on"
    try:
        made = acting(request, user).preview_roster(
            data, name, encoding=encoding, deactivate_missing=deactivate
        )
    except TableError as error:
        return _form(request, user, table_problem(error, _), 422)
    plan = made.reading.plan
    return render(
        request, "roster.html", user, error="", preview=plan, batch_id=made.batch_id,
        file_name=name, table=made.reading.table, deactivate=deactivate, shown=SHOWN,
        encodings=[e.value for e in Encoding], chosen=encoding.value, columns=roster.COLUMNS,
        label=lambda c: column_label(c, _), value=lambda c, v: value_text(c, v, _),
        reason=lambda r: reason_text(r.reason, r.detail, _),
    )  # fmt: skip


@router.post("/roster/{batch_id}/import")
def import_batch(request: Request, user: Poster, batch_id: int) -> Response:
    _ = translator(language_of(request))
    try:
        done = acting(request, user).import_roster(batch_id)
    except LedgerError:
        return not_found(request, user)
    return back_to(
        f"/admin/roster/{batch_id}",
        _("Roster imported: %s new or changed, %s unchanged, %s refused, %s deactivated.",
          done.accepted, done.unchanged, done.refused, done.deactivated),
    )  # fmt: skip


@router.get("/roster/{batch_id}")
def batch_result(request: Request, user: User, batch_id: int) -> HTMLResponse:
    """What an import did: its counts and the rows it refused, with why."""
    _ = translator(language_of(request))
    try:
        result, refusals = service_of(request).roster_batch(batch_id)
    except LedgerError:
        return not_found(request, user)
    rows = [
        {
            "line": r.line,
            "values": json.loads(r.row_values),
            "reason": reason_text(r.reason, json.loads(r.detail), _),
        }
        for r in refusals
    ]
    return render(
        request, "roster_result.html", user, result=result, refused=rows,
        columns=list(roster.COLUMNS), label=lambda c: column_label(c, _),
    )  # fmt: skip
