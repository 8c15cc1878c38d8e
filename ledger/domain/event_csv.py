"""HR events from CSV (``event_id,kind,employee_id,occurred_at``): rows, and what is wrong."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.rules import EventIn
from ledger.storage.models import Employee, Event, Rule

COLUMNS = ("event_id", "kind", "employee_id", "occurred_at")


class CsvError(ValueError):
    """The file as a whole cannot be read; ``missing`` names absent columns."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


@dataclass
class CsvRow:
    """One data line: the event when it parsed, or the problem with it."""

    line: int
    values: dict[str, str]
    event: EventIn | None = None
    problem: str = ""
    duplicate: bool = False

    @property
    def ready(self) -> bool:
        return self.event is not None and not self.problem and not self.duplicate


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        raise ValueError("occurred_at needs a timezone, e.g. 2026-03-01T08:00:00+08:00")
    return moment


def first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
    return str(exc)


def parse(text: str) -> list[CsvRow]:
    """Every data row of the CSV text, parsed; raises CsvError when columns are missing."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = tuple((name or "").strip() for name in reader.fieldnames or ())
    missing = tuple(c for c in COLUMNS if c not in header)
    if missing:
        raise CsvError("missing columns: " + ", ".join(missing), missing)
    rows = []
    for line, raw in enumerate(reader, start=2):
        values = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        row = CsvRow(line, values)
        try:
            row.event = EventIn(
                event_id=values["event_id"],
                kind=values["kind"],
                employee_id=values["employee_id"],
                occurred_at=parse_time(values["occurred_at"]),
            )
        except (ValidationError, ValueError) as exc:
            row.problem = first_error(exc)
        rows.append(row)
    return rows


def check(session: Session, rows: list[CsvRow]) -> None:
    """Mark rows whose employee or rule is unknown (or rule inactive) and those already in."""
    events = [r.event for r in rows if r.event is not None]
    employees = {e.employee_id for e in events}
    kinds = {e.kind for e in events}
    ids = [e.event_id for e in events]
    known_employees = set(
        session.scalars(select(Employee.id).where(Employee.id.in_(employees))) if employees else ()
    )
    active_rules = set(
        session.scalars(select(Rule.kind).where(Rule.kind.in_(kinds), Rule.active.is_(True)))
        if kinds
        else ()
    )
    seen: set[str] = set()
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        seen |= set(session.scalars(select(Event.event_id).where(Event.event_id.in_(part))))
    in_file: set[str] = set()
    for row in rows:
        event = row.event
        if event is None:
            continue
        if event.event_id in seen or event.event_id in in_file:
            row.duplicate = True
        elif event.employee_id not in known_employees:
            row.problem = "unknown employee"
        elif event.kind not in active_rules:
            row.problem = "unknown or inactive rule"
        in_file.add(event.event_id)
