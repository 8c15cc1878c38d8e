"""HR events from a table file, and the one judgement of every event a ledger is offered.

The preview, the console's import, ``ledger import-events`` and ``POST /events`` all ask an
:class:`EventJudge` what becomes of each row, in file order: refused (with a reason code and
its values), already in the ledger (unchanged), or ready. Caps count what the ledger holds
and what earlier rows of the same file take, so the preview's "ready" is what the import
accepts. Times without a zone are read on the site's clock.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.rules import (
    EARLIEST,
    LATEST,
    MAX_CLOCK_SKEW,
    RULE_KIND,
    Earned,
    EventIn,
    EventOutcome,
    record_events,
)
from ledger.domain.settings import get_settings
from ledger.domain.table_file import Encoding, Table, TableRow, read_table
from ledger.domain.wallets import for_update, wallet_id
from ledger.storage.models import Account, Employee, Event, Rule
from sync.periods import period_bounds
from sync.protocol import ErrorCode

# Each column's name and the headers HR's files give it (English or Chinese).
COLUMNS: dict[str, tuple[str, ...]] = {
    "event_id": ("事件编号", "事件ID", "编号", "event id", "event no", "id"),
    "kind": ("类型", "事件类型", "规则", "规则类型", "type", "rule", "event type"),
    "employee_id": ("工号", "员工编号", "员工工号", "employee", "employee id", "employee no"),
    "occurred_at": ("时间", "发生时间", "日期", "occurred", "time", "date", "occurred on"),
}
EMPLOYEE_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_EVENT_ID = 128
# Rows per query of ids (well under SQLite's and PostgreSQL's parameter limits).
QUERY_CHUNK = 500


class Outcome(StrEnum):
    READY = "ready"
    UNCHANGED = "unchanged"  # the same event is in the ledger already
    REFUSED = "refused"


class Reason(StrEnum):
    """Why a row is refused: stable codes, translated when shown. Those shared with the
    API's per-event codes have the same value."""

    MISSING_VALUE = "missing_value"  # detail: column
    BAD_EVENT_ID = "bad_event_id"
    BAD_TIME = "bad_time"  # detail: value
    TIME_OUT_OF_RANGE = "time_out_of_range"  # detail: value
    DUPLICATE = "duplicate"  # detail: first_line
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    UNKNOWN_EMPLOYEE = "unknown_employee"  # detail: value
    EMPLOYEE_INACTIVE = "employee_inactive"
    UNKNOWN_KIND = "unknown_kind"  # detail: value
    RULE_INACTIVE = "rule_inactive"
    OCCURRED_IN_FUTURE = "occurred_in_future"
    CAP_REACHED = "cap_reached"  # detail: cap, period, used


@dataclass(frozen=True, slots=True)
class Verdict:
    """What becomes of one row: its line, values as read, the event when it parsed."""

    line: int
    values: dict[str, str]
    event: EventIn | None
    outcome: Outcome
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def read_events(data: bytes, encoding: Encoding = Encoding.AUTO) -> Table:
    """The rows of an events file (CSV in any encoding HR has, or xlsx); raises TableError."""
    return read_table(data, COLUMNS, encoding=encoding)


_TIME = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


def parse_time(text: str, zone: tzinfo) -> datetime | None:
    """``text`` as a moment: ISO 8601 or ``2026/3/1 8:00``; without a zone, in ``zone``."""
    found = _TIME.match(text.strip())
    if found is None:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    year, month, day, hour, minute, second, fraction, offset = found.groups()
    if offset is None:
        where: tzinfo = zone
    elif offset.upper() == "Z":
        where = UTC
    else:
        digits = offset[1:].replace(":", "")
        size = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        if size >= timedelta(hours=24):
            return None
        where = timezone(-size if offset[0] == "-" else size)
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0),
            int(second or 0), int((fraction or "0").ljust(6, "0")), tzinfo=where,
        )  # fmt: skip
    except ValueError:
        return None


@dataclass(slots=True)
class _Candidate:
    at: int  # place in the output
    line: int
    values: dict[str, str]
    event: EventIn


class EventJudge:
    """Judges rows in file order and remembers what earlier rows of the file did.

    A chunk is judged between :meth:`begin` and :meth:`commit`: an import commits once its
    chunk's transaction has, so a retried transaction judges its rows as the first time.
    With ``keep_usage`` (the preview, which writes nothing) what earlier rows take of a cap
    is kept from chunk to chunk; an import reads it again from the ledger, which by then
    holds the earlier chunks' events.
    """

    def __init__(self, now: datetime, site_timezone: str, *, keep_usage: bool) -> None:
        self.now = now
        self.tz = site_timezone
        self.zone = ZoneInfo(site_timezone)
        self.keep_usage = keep_usage
        self._seen: dict[str, tuple[int, EventIn | None]] = {}
        self._new: dict[str, tuple[int, EventIn | None]] = {}
        self._usage: dict[tuple[str, str, datetime], int] = {}

    def begin(self) -> None:
        self._new = {}
        if not self.keep_usage:
            self._usage = {}

    def commit(self) -> None:
        self._seen.update(self._new)
        self._new = {}

    def remember(self, rows: Iterable[TableRow]) -> None:
        """Rows an earlier run of this file judged already (resuming an import)."""
        for row in rows:
            event_id = row.values.get("event_id", "")
            if event_id and _valid_event_id(event_id) and event_id not in self._seen:
                self._seen[event_id] = (row.line, None)

    def first_sight(self, event_id: str) -> tuple[int, EventIn | None] | None:
        """The earlier row of the file with this event id, if any."""
        return self._new.get(event_id) or self._seen.get(event_id)

    # --- judging ----------------------------------------------------------------------------

    def judge(self, session: Session, rows: Sequence[TableRow]) -> list[Verdict]:
        """The verdict of each row of a file, in order."""
        rules = {rule.kind: rule for rule in session.scalars(select(Rule))}
        titles = _titles(rules.values())
        out: list[Verdict | None] = []
        candidates: list[_Candidate] = []
        for row in rows:
            found = self._parse(row, titles)
            if isinstance(found, Verdict):
                out.append(found)
            else:
                candidates.append(_Candidate(len(out), row.line, row.values, found))
                out.append(None)
        for candidate, verdict in zip(
            candidates, self._check(session, candidates, rules), strict=True
        ):
            out[candidate.at] = verdict
        return [v for v in out if v is not None]

    def judge_events(self, session: Session, events: Sequence[EventIn]) -> list[Verdict]:
        """The verdict of each event given as such (the API); lines count from 1."""
        rules = {rule.kind: rule for rule in session.scalars(select(Rule))}
        out: list[Verdict | None] = []
        candidates: list[_Candidate] = []
        for line, event in enumerate(events, start=1):
            values = {
                "event_id": event.event_id,
                "kind": event.kind,
                "employee_id": event.employee_id,
                "occurred_at": event.occurred_at.isoformat(),
            }
            earlier = self.first_sight(event.event_id)
            if earlier is not None:
                out.append(_duplicate(line, values, event, earlier[0]))
                continue
            self._new[event.event_id] = (line, event)
            candidates.append(_Candidate(len(out), line, values, event))
            out.append(None)
        for candidate, verdict in zip(
            candidates, self._check(session, candidates, rules), strict=True
        ):
            out[candidate.at] = verdict
        return [v for v in out if v is not None]

    def _parse(self, row: TableRow, titles: dict[str, str]) -> Verdict | EventIn:
        values = row.values

        def refused(reason: Reason, **detail: Any) -> Verdict:
            return Verdict(row.line, values, None, Outcome.REFUSED, reason.value, detail)

        event_id = values.get("event_id", "")
        if not event_id:
            return refused(Reason.MISSING_VALUE, column="event_id")
        if not _valid_event_id(event_id):
            return refused(Reason.BAD_EVENT_ID)
        earlier = self.first_sight(event_id)
        if earlier is not None:
            return _duplicate(row.line, values, None, earlier[0])
        self._new[event_id] = (row.line, None)
        for column in ("kind", "employee_id", "occurred_at"):
            if not values.get(column):
                return refused(Reason.MISSING_VALUE, column=column)
        kind = values["kind"]
        if not (RULE_KIND.match(kind) and len(kind) <= 64):
            kind = titles.get(kind, "")
            if not kind:
                return refused(Reason.UNKNOWN_KIND, value=values["kind"])
        employee_id = values["employee_id"]
        if not EMPLOYEE_ID.match(employee_id):
            return refused(Reason.UNKNOWN_EMPLOYEE, value=employee_id)
        moment = parse_time(values["occurred_at"], self.zone)
        if moment is None:
            return refused(Reason.BAD_TIME, value=values["occurred_at"])
        if not EARLIEST <= moment < LATEST:
            return refused(Reason.TIME_OUT_OF_RANGE, value=values["occurred_at"])
        event = EventIn.model_construct(
            event_id=event_id, kind=kind, employee_id=employee_id, occurred_at=moment
        )
        self._new[event_id] = (row.line, event)
        return event

    def _check(
        self, session: Session, candidates: list[_Candidate], rules: dict[str, Rule]
    ) -> list[Verdict]:
        events = [c.event for c in candidates]
        existing = _existing(session, [e.event_id for e in events])
        employees = load_employees(session, {e.employee_id for e in events})
        self._load_usage(session, events, rules)
        verdicts = []
        for candidate in candidates:
            verdicts.append(self._check_one(candidate, existing, employees, rules))
        return verdicts

    def _check_one(
        self,
        candidate: _Candidate,
        existing: dict[str, Event],
        employees: dict[str, Employee],
        rules: dict[str, Rule],
    ) -> Verdict:
        event = candidate.event

        def verdict(outcome: Outcome, reason: str = "", **detail: Any) -> Verdict:
            return Verdict(candidate.line, candidate.values, event, outcome, reason, detail)

        seen = existing.get(event.event_id)
        if seen is not None:
            same = (
                seen.kind == event.kind
                and seen.employee_id == event.employee_id
                and seen.occurred_at == event.occurred_at
            )
            if same:
                return verdict(Outcome.UNCHANGED)
            return verdict(Outcome.REFUSED, Reason.IDEMPOTENCY_MISMATCH.value)
        employee = employees.get(event.employee_id)
        if employee is None:
            return verdict(Outcome.REFUSED, Reason.UNKNOWN_EMPLOYEE.value, value=event.employee_id)
        if not employee.active:
            return verdict(Outcome.REFUSED, Reason.EMPLOYEE_INACTIVE.value)
        rule = rules.get(event.kind)
        if rule is None:
            return verdict(Outcome.REFUSED, Reason.UNKNOWN_KIND.value, value=event.kind)
        if not rule.active:
            return verdict(Outcome.REFUSED, Reason.RULE_INACTIVE.value)
        if event.occurred_at > self.now + MAX_CLOCK_SKEW:
            return verdict(Outcome.REFUSED, Reason.OCCURRED_IN_FUTURE.value)
        if rule.cap_per_period is not None and rule.period is not None:
            key = self._key(event, rule)
            used = self._usage.get(key, 0)
            if used + rule.points > rule.cap_per_period:
                return verdict(
                    Outcome.REFUSED,
                    Reason.CAP_REACHED.value,
                    cap=rule.cap_per_period,
                    period=rule.period,
                    used=used,
                )
            self._usage[key] = used + rule.points
        return verdict(Outcome.READY)

    def _key(self, event: EventIn, rule: Rule) -> tuple[str, str, datetime]:
        assert rule.period is not None
        start, _end = period_bounds(event.occurred_at, rule.period, self.tz)
        return event.employee_id, rule.kind, start

    def _load_usage(
        self, session: Session, events: Sequence[EventIn], rules: dict[str, Rule]
    ) -> None:
        """What the ledger holds of each cap these events may count against (once a key)."""
        wanted: dict[tuple[str, str, datetime], datetime] = {}
        for event in events:
            rule = rules.get(event.kind)
            if rule is None or rule.cap_per_period is None or rule.period is None:
                continue
            key = self._key(event, rule)
            if key not in self._usage and key not in wanted:
                wanted[key] = period_bounds(event.occurred_at, rule.period, self.tz)[1]
        if not wanted:
            return
        for key in wanted:
            self._usage[key] = 0
        first = min(key[2] for key in wanted)
        last = max(wanted.values())
        kinds = sorted({key[1] for key in wanted})
        people = sorted({key[0] for key in wanted})
        for part in _chunks(people):
            rows = session.execute(
                select(Event.employee_id, Event.kind, Event.occurred_at, Event.points).where(
                    Event.employee_id.in_(part),
                    Event.kind.in_(kinds),
                    Event.occurred_at >= first,
                    Event.occurred_at < last,
                )
            )
            for employee_id, kind, occurred_at, points in rows:
                period = rules[kind].period
                assert period is not None
                key = (employee_id, kind, period_bounds(occurred_at, period, self.tz)[0])
                if key in wanted:
                    self._usage[key] += points


def _duplicate(line: int, values: dict[str, str], event: EventIn | None, first: int) -> Verdict:
    return Verdict(
        line, values, event, Outcome.REFUSED, Reason.DUPLICATE.value, {"first_line": first}
    )


def _valid_event_id(event_id: str) -> bool:
    return len(event_id) <= MAX_EVENT_ID and "\x00" not in event_id


def _titles(rules: Iterable[Rule]) -> dict[str, str]:
    """Rule titles (either language) that name one rule only, to the rule's kind."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for rule in rules:
        for title in (rule.title_zh, rule.title_en):
            if title:
                found[title.strip()].add(rule.kind)
    return {title: kinds.pop() for title, kinds in found.items() if len(kinds) == 1}


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start : start + QUERY_CHUNK]


def _existing(session: Session, event_ids: Sequence[str]) -> dict[str, Event]:
    found: dict[str, Event] = {}
    for part in _chunks(event_ids):
        found.update(
            (e.event_id, e) for e in session.scalars(select(Event).where(Event.event_id.in_(part)))
        )
    return found


def load_employees(session: Session, ids: set[str]) -> dict[str, Employee]:
    """The employees with these ids (kept by the caller: the session holds them weakly)."""
    found: dict[str, Employee] = {}
    for part in _chunks(sorted(ids)):
        found.update(
            (e.id, e) for e in session.scalars(select(Employee).where(Employee.id.in_(part)))
        )
    return found


def lock_wallets(session: Session, employee_ids: Iterable[str]) -> dict[str, Account]:
    """Lock the wallets of these employees, in one fixed order so two imports cannot
    deadlock each other; returns them by employee id."""
    by_wallet = {wallet_id(e): e for e in employee_ids}
    found: dict[str, Account] = {}
    for part in _chunks(sorted(by_wallet)):
        query = for_update(select(Account).where(Account.id.in_(part)).order_by(Account.id))
        found.update((by_wallet[a.id], a) for a in session.scalars(query))
    return found


def record_ready(
    session: Session,
    verdicts: Sequence[Verdict],
    wallets: dict[str, Account],
    employees: dict[str, Employee],
    now: datetime,
) -> list[Earned]:
    """Write the events judged ready; ``wallets`` locked and ``employees`` loaded before."""
    rules = {rule.kind: rule for rule in session.scalars(select(Rule))}
    ready = []
    for verdict in verdicts:
        if verdict.outcome is Outcome.READY:
            event = verdict.event
            assert event is not None
            who = event.employee_id
            ready.append((event, employees[who], rules[event.kind], wallets[who]))
    return record_events(session, ready, now) if ready else []


def ingest_events(session: Session, events: list[EventIn], now: datetime) -> EventOutcome:
    """Turn events (the API's list) into earn transfers, judged as a file's rows are.

    An id already in the ledger with the same values, or repeated in the list with the same
    values, counts as a duplicate; with other values it is ``idempotency_mismatch``.
    """
    outcome = EventOutcome()
    judge = EventJudge(now, get_settings(session).site_timezone, keep_usage=False)
    judge.begin()
    named = {e.employee_id for e in events}
    wallets = lock_wallets(session, named)
    employees = load_employees(session, named)
    verdicts = judge.judge_events(session, events)
    outcome.earned = record_ready(session, verdicts, wallets, employees, now)
    outcome.accepted = len(outcome.earned)
    for verdict in verdicts:
        event = verdict.event
        assert event is not None
        if verdict.outcome is Outcome.UNCHANGED:
            outcome.duplicates += 1
        elif verdict.reason == Reason.DUPLICATE.value:
            first = events[verdict.detail["first_line"] - 1]
            if first == event:
                outcome.duplicates += 1
            else:
                code = ErrorCode.IDEMPOTENCY_MISMATCH.value
                outcome.rejected.append({"event_id": event.event_id, "code": code})
        elif verdict.outcome is Outcome.REFUSED:
            outcome.rejected.append({"event_id": event.event_id, "code": verdict.reason})
    judge.commit()
    return outcome
