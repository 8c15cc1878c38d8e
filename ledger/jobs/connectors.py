"""The connectors job: each due connector fetched and imported as events batches.

A drop folder's settled files are imported one by one, each as its own batch, then moved into
``done/`` (imported, or the same name and content imported before) or ``failed/`` (not a
table the import reads) with a ``.result.json`` beside it. A JSON endpoint is pulled page by
page with its cursor; each page with events is a batch, and the cursor moves after it.
A failure that is not the file's (the database away, the folder missing, the endpoint
down) leaves the file where it is and the cursor where it was, for the next run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from ledger.domain import connectors as rules
from ledger.domain.batches import BatchInfo
from ledger.domain.table_file import MAX_BYTES, TableError
from ledger.service import LedgerService
from ledger.service.connectors import Claimed
from ledger.storage.connectors import ConnectorKind
from sync.version import __version__

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
REFUSED_IN_RESULT = 100  # refused rows written into a file's result; the batch keeps all


class EndpointError(RuntimeError):
    """The endpoint answered, but not with a page (a status other than 200, too large)."""


def _reason(exc: requests.RequestException) -> str:
    """The innermost cause of a requests failure (urllib3 nests three deep)."""
    inner: BaseException = exc
    while inner.__cause__ is not None or inner.__context__ is not None:
        inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
    return str(inner) or type(inner).__name__


@dataclass
class RunReport:
    """What one connector's run did; ``error`` set when it stopped short."""

    files: int = 0
    pages: int = 0
    imported: int = 0  # files or pages imported as batches
    already: int = 0  # files imported before
    failed: int = 0  # files moved to failed/
    accepted: int = 0
    refused: int = 0
    batch_id: int | None = None
    error: str = ""
    moved: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts: dict[str, Any] = {"accepted": self.accepted, "refused": self.refused}
        if self.files or self.failed or self.already:
            parts.update(files=self.files, imported=self.imported, already=self.already,
                         failed=self.failed)  # fmt: skip
        if self.pages:
            parts.update(pages=self.pages)
        if self.error:
            parts["error"] = self.error
        return json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def run_connectors(service: LedgerService, name: str | None = None) -> dict[str, object]:
    """The job (``name`` None): every due connector; or the one named, due or not."""
    done: dict[str, object] = {}
    for claimed in service.claim_connectors(name):
        report = run_one(service, claimed)
        done[claimed.name] = "failed" if report.error else "ok"
    return done


def run_one(service: LedgerService, claimed: Claimed) -> RunReport:
    """One claimed connector's run, its outcome recorded on the connector."""
    report = RunReport()
    try:
        if claimed.kind == ConnectorKind.FOLDER.value:
            _folder(service, claimed, report)
        else:
            _pull(service, claimed, report)
    except requests.RequestException as exc:  # the endpoint away: said in one line
        report.error = f"{type(exc).__name__}: {_reason(exc)}"
        log.warning("connector %s: %s", claimed.name, report.error)
    except (rules.PageError, EndpointError) as exc:
        report.error = f"{type(exc).__name__}: {exc}"
        log.warning("connector %s: %s", claimed.name, report.error)
    except Exception as exc:  # recorded on the connector; the next run tries again
        log.exception("connector %s failed", claimed.name)
        report.error = f"{type(exc).__name__}: {exc}"
    service.finish_connector_run(claimed.id, not report.error, report.text(), report.batch_id)
    return report


# --- drop folders ---------------------------------------------------------------------------


def _settled(entry: os.DirEntry[str], now: float) -> bool:
    try:
        info = entry.stat()
    except OSError:
        return False
    return now - info.st_mtime >= rules.SETTLE_SECONDS


def _folder(service: LedgerService, claimed: Claimed, report: RunReport) -> None:
    folder = Path(claimed.path)
    if not folder.is_dir():
        report.error = f"folder not found: {folder}"
        return
    now = time.time()
    with os.scandir(folder) as found:
        entries = sorted(
            (e for e in found if e.is_file() and rules.takes(e.name) and _settled(e, now)),
            key=lambda e: (e.stat().st_mtime, e.name),
        )
    for entry in entries:
        report.files += 1
        _one_file(service, claimed, Path(entry.path), report)


def _one_file(service: LedgerService, claimed: Claimed, path: Path, report: RunReport) -> None:
    name = path.name
    if not rules.readable(name):
        why = {"status": "failed", "reason": "not_a_table", "detail": "only .csv, .txt, .xlsx"}
        _aside(path, rules.FAILED_DIR, why, report)
        report.failed += 1
        return
    size = path.stat().st_size
    if size > MAX_BYTES:
        why = {"status": "failed", "reason": "too_large", "detail": f"over {MAX_BYTES >> 20} MB"}
        _aside(path, rules.FAILED_DIR, why, report)
        report.failed += 1
        return
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = service.connector_imported(claimed.name, name, sha256)
    if earlier is not None:
        _aside(path, rules.DONE_DIR, {"status": "already_imported", "batch": earlier}, report)
        report.already += 1
        return
    importer = service.acting_as(claimed.actor)
    try:
        batch = importer.import_events_file(data, name)
    except TableError as exc:
        _aside(path, rules.FAILED_DIR, {"status": "failed", "reason": exc.problem.value,
                                        "detail": str(exc)}, report)  # fmt: skip
        report.failed += 1
        return
    report.imported += 1
    report.accepted += batch.accepted
    report.refused += batch.refused
    report.batch_id = batch.id
    _aside(path, rules.DONE_DIR, _batch_result(service, batch), report)


def _batch_result(service: LedgerService, batch: BatchInfo) -> dict[str, Any]:
    refused = service.import_refusals(batch.id, "import", 0, REFUSED_IN_RESULT)
    return {
        "status": "imported" if batch.status == "done" else batch.status,
        "batch": batch.id,
        "rows": batch.rows_total,
        "accepted": batch.accepted,
        "duplicates": batch.unchanged,
        "refused": batch.refused,
        "refused_rows": [
            {
                "line": r.line,
                "event_id": r.values.get("event_id", ""),
                "reason": r.reason,
                **({"detail": r.detail} if r.detail else {}),
            }
            for r in refused
        ],
    }


def _aside(path: Path, where: str, result: dict[str, Any], report: RunReport) -> None:
    """Move the file into ``where`` (a stamped name when its own is taken), result beside."""
    target_dir = path.parent / where
    target_dir.mkdir(exist_ok=True)
    taken = os.listdir(target_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target_dir / rules.aside_name(path.name, taken, stamp)
    result = {"file": path.name, **result}
    note = target.with_name(target.name + rules.RESULT_SUFFIX)
    note.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(path, target)
    report.moved.append(f"{where}/{target.name}")


# --- JSON endpoints -------------------------------------------------------------------------


def _pull(service: LedgerService, claimed: Claimed, report: RunReport) -> None:
    cursor = claimed.cursor
    importer = service.acting_as(claimed.actor)
    headers = {"Accept": "application/json", "User-Agent": f"points-ledger/{__version__}"}
    if claimed.token:
        headers["Authorization"] = f"Bearer {claimed.token}"
    with requests.Session() as http:
        for _ in range(rules.MAX_PAGES_PER_RUN):
            body = _get(http, claimed.url, cursor, headers)
            page = rules.parse_page(body)
            report.pages += 1
            if page.events == 0:
                if page.next_cursor and page.next_cursor != cursor:
                    service.advance_connector_cursor(claimed.id, page.next_cursor, report.batch_id)
                return
            file_name = f"{claimed.name} cursor {cursor or '(start)'}.csv"[:200]
            batch = importer.import_events_file(page.table, file_name)
            report.imported += 1
            report.accepted += batch.accepted
            report.refused += batch.refused
            report.batch_id = batch.id
            if not page.next_cursor or page.next_cursor == cursor:
                return
            cursor = page.next_cursor
            service.advance_connector_cursor(claimed.id, cursor, batch.id)


def _get(http: requests.Session, url: str, cursor: str, headers: dict[str, str]) -> bytes:
    params = {"cursor": cursor} if cursor else None
    with http.get(
        url, params=params, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
        allow_redirects=False, stream=True,
    ) as response:  # fmt: skip
        if response.status_code != 200:
            raise EndpointError(f"HTTP {response.status_code}")
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    if len(body) > MAX_BYTES:
        raise EndpointError(f"answer larger than {MAX_BYTES >> 20} MB")
    return bytes(body)
