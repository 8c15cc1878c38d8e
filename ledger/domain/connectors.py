"""Connectors' rules without I/O: names, folders, intervals, the pull's JSON shape, and
where a drop folder's file goes once it is done.

A drop folder holds files HR's systems export (CSV or xlsx, read as the console's events
import reads them); a file being written is left alone until it has not changed for
:data:`SETTLE_SECONDS`. Each file becomes one import batch and is then moved into ``done/``
or ``failed/`` beside a ``<name>.result.json`` saying what became of it.

An HTTP pull GETs the endpoint with ``?cursor=<cursor>`` (none the first time) and expects::

    {"events": [{"event_id": "...", "kind": "...", "employee_id": "...",
                 "occurred_at": "2026-06-01T08:00:00+08:00"}, ...],
     "next_cursor": "..."}

Each page with events becomes one import batch; the cursor moves to ``next_cursor`` only
after that batch is done, and the run asks again while pages bring events and a new cursor.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ledger.domain.errors import LedgerError
from ledger.domain.event_import import COLUMNS
from ledger.storage.connectors import ConnectorKind
from sync.protocol import ErrorCode

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MIN_INTERVAL = 1
MAX_INTERVAL = 7 * 24 * 3600
DEFAULT_INTERVAL = 60
# A file younger than this may still be being written (a copy over the network).
SETTLE_SECONDS = 1.0
SUFFIXES = (".csv", ".xlsx", ".txt")
DONE_DIR = "done"
FAILED_DIR = "failed"
RESULT_SUFFIX = ".result.json"
# Names a writer uses while a file is on its way: never taken.
PARTIAL_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload", "~")
MAX_PAGE_EVENTS = 10_000
MAX_PAGES_PER_RUN = 50
MAX_CURSOR = 2000
MAX_TOKEN = 500


def _invalid(message: str) -> LedgerError:
    return LedgerError(ErrorCode.INVALID_REQUEST, message, status=422)


def check_name(name: str) -> str:
    """A connector's name: lower-case letters, digits, ``-`` and ``_``, up to 64."""
    name = name.strip()
    if not NAME.match(name):
        raise _invalid("name: lower-case letters, digits, - and _, up to 64")
    return name


def check_interval(seconds: int) -> int:
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise _invalid(f"interval: {MIN_INTERVAL} to {MAX_INTERVAL} seconds")
    return seconds


def check_folder(path: str) -> str:
    """A drop folder: an absolute path on the ledger's server (it need not exist yet)."""
    path = path.strip()
    if not path or len(path) > 500 or "\x00" in path or not PurePath(path).is_absolute():
        raise _invalid("path: an absolute folder path on the ledger's server")
    return path


def check_token(token: str) -> str:
    token = token.strip()
    if len(token) > MAX_TOKEN or any(c in token for c in "\r\n\x00"):
        raise _invalid(f"token: one line, up to {MAX_TOKEN} characters")
    return token


def check_kind(kind: str) -> ConnectorKind:
    try:
        return ConnectorKind(kind)
    except ValueError:
        raise _invalid("kind: folder or http") from None


def takes(name: str) -> bool:
    """Whether a drop folder's entry named ``name`` is a file to import (when settled)."""
    lower = name.lower()
    if name.startswith(".") or lower.endswith(RESULT_SUFFIX):
        return False
    return not lower.endswith(PARTIAL_SUFFIXES)


def readable(name: str) -> bool:
    """Whether the file's name says it is a table the events import reads."""
    return name.lower().endswith(SUFFIXES)


def aside_name(name: str, taken: Sequence[str], stamp: str) -> str:
    """The name a file gets in ``done/`` or ``failed/``: its own, or stamped when taken."""
    if name not in taken:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    for n in range(1, 10_000):
        candidate = f"{stem}.{stamp}" + (f"-{n}" if n > 1 else "") + (f".{suffix}" if dot else "")
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free name")


class PageError(ValueError):
    """The endpoint's answer is not the documented shape."""


@dataclass(frozen=True)
class Page:
    """One answer of a pulled endpoint: its events as a CSV (what the batch keeps, read as
    any events file) and the cursor to ask with next."""

    events: int
    table: bytes
    next_cursor: str


def parse_page(body: bytes) -> Page:
    """The endpoint's JSON answer; raises :class:`PageError` naming what is wrong.

    Each event becomes a row: values that are not text or numbers are left empty, so the
    import refuses the row with its reason and the rest of the page goes on.
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PageError(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise PageError('not an object with an "events" list')
    events: list[Any] = data["events"]
    if len(events) > MAX_PAGE_EVENTS:
        raise PageError(f"more than {MAX_PAGE_EVENTS} events in a page")
    cursor = data.get("next_cursor")
    if cursor is None:
        cursor = ""
    if not isinstance(cursor, str | int) or isinstance(cursor, bool):
        raise PageError('"next_cursor" is not text')
    cursor = str(cursor)
    if len(cursor) > MAX_CURSOR:
        raise PageError(f'"next_cursor" longer than {MAX_CURSOR} characters')
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(COLUMNS))
    for event in events:
        writer.writerow([_cell(event, column) for column in COLUMNS])
    return Page(len(events), out.getvalue().encode("utf-8"), cursor)


def _cell(event: Any, column: str) -> str:
    if not isinstance(event, dict):
        return ""
    value = event.get(column)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).replace("\n", " ").replace("\r", " ")
