"""Import batches of any kind (events, the roster): the list, a batch's page with its preview,
progress and refused rows, the refused rows as CSV, and starting the import.

The import runs in a thread of the server process, a chunk of rows per transaction; the
page follows it through ``/admin/imports/{id}/progress``. Refusal reasons are codes stored
with their values; :data:`REASONS` says each in words (an importer adds its own codes).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ledger.console.i18n import translator
from ledger.console.pages import roster as roster_pages
from ledger.console.web import (
    SECURITY_HEADERS,
    Poster,
    User,
    acting,
    back_to,
    csv_response,
    csv_text,
    language_of,
    not_found,
    page_number,
    render,
    service_of,
)
from ledger.domain.batches import BatchInfo, Refusal
from ledger.domain.table_file import MAX_ROWS, TableError, TableProblem
from ledger.service import LedgerService
from ledger.service.imports import StartResult
from ledger.storage.import_batches import BatchKind, BatchStatus
from sync.protocol import INT32_MAX

router = APIRouter()
log = logging.getLogger(__name__)
# A batch number an INTEGER column can hold (a larger one is refused, not looked up).
BatchId = Annotated[int, Path(ge=1, le=INT32_MAX)]
PAGE = 50
KINDS = [k.value for k in BatchKind]
KIND_LABELS = {BatchKind.EVENTS.value: "Events import", BatchKind.ROSTER.value: "Roster import"}
STATUS_LABELS = {
    BatchStatus.PREVIEWED.value: "Previewed",
    BatchStatus.RUNNING.value: "Importing",
    BatchStatus.DONE.value: "Done",
    BatchStatus.FAILED.value: "Stopped",
}

# Each refusal code in words, with the detail values that fill its places, in order.
REASONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "missing_value": ("The column %s is empty.", ("column",)),
    "bad_event_id": ("The event number is longer than 128 characters.", ()),
    "bad_time": ("“%s” is not a time (e.g. 2026-03-01 08:00).", ("value",)),
    "time_out_of_range": ("“%s” is not between the years 2000 and 2100.", ("value",)),
    "duplicate": ("Duplicate: the same event number is on line %s.", ("first_line",)),
    "idempotency_mismatch": ("This event number was imported before with other values.", ()),
    "unknown_employee": ("No employee %s.", ("value",)),
    "employee_inactive": ("The employee is inactive.", ()),
    "unknown_kind": ("No rule “%s”.", ("value",)),
    "rule_inactive": ("The rule is inactive.", ()),
    "occurred_in_future": ("The time is in the future.", ()),
    "cap_reached": (
        "Over the rule's cap: per %s at most %s points (%s points earned already).",
        ("period", "cap", "used"),
    ),
}
# Detail values that are words to translate (a period) or columns to name by their header.
_TRANSLATED = ("period",)


def reason_text(
    _: Callable[..., str],
    code: str,
    detail: dict[str, Any],
    headers: dict[str, str],
    kind: str = BatchKind.EVENTS.value,
) -> str:
    """A refusal's reason in the reader's language (a roster row's in the roster's words)."""
    if kind == BatchKind.ROSTER.value:
        return roster_pages.reason_text(code, detail, _)
    text, places = REASONS.get(code, (code, ()))
    values: list[object] = []
    for place in places:
        value = detail.get(place, "")
        if place in _TRANSLATED:
            value = _(str(value))
        elif place == "column":
            value = headers.get(str(value), value)
        values.append(value)
    return _(text, *values)


def table_problem(
    _: Callable[..., str], error: TableError, aliases: dict[str, tuple[str, ...]] | None = None
) -> str:
    """Why a file cannot be read at all, in the reader's language; a missing column is named
    with its first alias too (``event_id / 事件编号``)."""
    if error.problem is TableProblem.MISSING_COLUMNS:
        known = aliases or {}
        names = [f"{n} / {known[n][0]}" if known.get(n) else n for n in error.missing]
        return _("The file lacks the columns: %s.", ", ".join(names))
    if error.problem is TableProblem.TOO_MANY_ROWS:
        return _("The file has more than %s rows.", f"{MAX_ROWS:,}")
    if error.problem is TableProblem.BAD_XLSX:
        return _("The xlsx file cannot be read.")
    if error.problem is TableProblem.EMPTY:
        return _("The file is empty.")
    return _("The file is not a table: CSV in UTF-8, GBK or GB18030, or xlsx.")


@router.get("/imports")
def batches_page(request: Request, user: User) -> HTMLResponse:
    kind = request.query_params.get("kind", "")
    kind = kind if kind in KINDS else ""
    page = page_number(request)
    service = service_of(request)
    rows, totals = service.import_batches(kind or None, (page - 1) * PAGE, PAGE)
    pages = max((totals.batches + PAGE - 1) // PAGE, 1)
    if page > pages:
        rows, totals = service.import_batches(kind or None, (pages - 1) * PAGE, PAGE)
        page = pages
    return render(
        request, "imports.html", user,
        rows=rows, totals=totals, kind=kind, kinds=KINDS, page=page, pages=pages,
        query=f"kind={kind}", kind_labels=KIND_LABELS, status_labels=STATUS_LABELS,
    )  # fmt: skip


def _batch(request: Request, batch_id: int) -> BatchInfo | None:
    return service_of(request).import_batch(batch_id)


@router.get("/imports/{batch_id}")
def batch_page(request: Request, user: User, batch_id: BatchId) -> HTMLResponse:
    service = service_of(request)
    info = _batch(request, batch_id)
    if info is None:
        return not_found(request, user)
    _ = translator(language_of(request))
    headers = dict(info.columns)
    counts = service.import_reason_counts(batch_id, info.stage)
    refused_total = sum(counts.values())
    pages = max((refused_total + PAGE - 1) // PAGE, 1)
    page = min(page_number(request), pages)
    refusals = service.import_refusals(batch_id, info.stage, (page - 1) * PAGE, PAGE)
    return render(
        request, "import_batch.html", user,
        batch=info, headers=info.columns,
        reasons=[(code, _reason_title(_, code, info.kind), n) for code, n in counts.items()],
        refusals=[_shown(_, r, headers, info.kind) for r in refusals],
        refused_total=refused_total, page=page, pages=pages, query="",
        earlier=service.earlier_import(info),
        stalled=info.stalled(service.clock()), kind_labels=KIND_LABELS,
    )  # fmt: skip


def _reason_title(_: Callable[..., str], code: str, kind: str) -> str:
    if kind == BatchKind.ROSTER.value:
        return roster_pages.reason_text(code, {"first_line": "…", "value": "…"}, _)
    text, places = REASONS.get(code, (code, ()))
    return _(text, *(["…"] * len(places)))


def _shown(
    _: Callable[..., str], refusal: Refusal, headers: dict[str, str], kind: str
) -> dict[str, Any]:
    return {
        "line": refusal.line,
        "values": refusal.values,
        "reason": reason_text(_, refusal.reason, refusal.detail, headers, kind),
    }


@router.get("/imports/{batch_id}/progress")
def progress(request: Request, user: User, batch_id: BatchId) -> Response:
    """How far the import is: for the batch page's script, polled while it runs."""
    info = _batch(request, batch_id)
    if info is None:
        return not_found(request, user)
    body = {
        "status": info.status,
        "rows_total": info.rows_total,
        "rows_done": info.rows_done,
        "accepted": info.accepted,
        "unchanged": info.unchanged,
        "refused": info.refused,
        "deactivated": info.deactivated,
    }
    return JSONResponse(body, headers=SECURITY_HEADERS)


@router.get("/imports/{batch_id}/refused.csv")
def refused_csv(request: Request, user: User, batch_id: BatchId) -> Response:
    """The refused rows as HR can fix and import them again: the file's columns under their
    own headers, the line and the reason in the reader's language."""
    info = _batch(request, batch_id)
    if info is None:
        return not_found(request, user)
    _ = translator(language_of(request))
    headers = dict(info.columns)
    refusals = service_of(request).import_refusals(batch_id, info.stage)
    text = csv_text(
        [*headers.values(), _("Line"), _("Reason")],
        (
            [*(r.values.get(name, "") for name in headers), r.line,
             reason_text(_, r.reason, r.detail, headers, info.kind)]
            for r in refusals
        ),
    )  # fmt: skip
    return csv_response(text, f"batch-{batch_id}-refused.csv")


@router.post("/imports/{batch_id}/run")
def run(request: Request, user: Poster, batch_id: BatchId) -> Response:
    """Start (or resume) the batch's import in the background and show its page."""
    _ = translator(language_of(request))
    service = acting(request, user)
    result = service.start_import(batch_id)
    if result is StartResult.MISSING:
        return not_found(request, user)
    page = f"/admin/imports/{batch_id}"
    if result is StartResult.DONE:
        return back_to(page, _("This batch was imported already; nothing was changed."))
    if result is StartResult.RUNNING:
        return back_to(page, _("This batch is being imported."))
    start_in_background(service, batch_id)
    return back_to(page)


def start_in_background(service: LedgerService, batch_id: int) -> threading.Thread:
    """Run a started batch in a thread of this process; the server answers meanwhile."""
    thread = threading.Thread(
        target=_run_quietly, args=(service, batch_id), name=f"import-{batch_id}", daemon=True
    )
    thread.start()
    return thread


def _run_quietly(service: LedgerService, batch_id: int) -> None:
    try:
        service.run_import(batch_id)
    except Exception:  # kept in the batch as "failed" with its error; logged for IT
        log.exception("import batch %s failed", batch_id)
