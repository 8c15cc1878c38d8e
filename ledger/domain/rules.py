"""Rules and HR events: an event of a kind with an active rule earns that rule's points."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from ledger.domain.errors import LedgerError
from ledger.domain.wallets import Credit, earn_many
from ledger.storage.models import Account, Employee, Event, Rule
from sync.protocol import EmployeeId, ErrorCode, Localized, Period, RuleKind, Text

MAX_CLOCK_SKEW = timedelta(days=1)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
MAX_CAP_PER_PERIOD = 1_000_000_000
RULE_KIND = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: int = Field(ge=1, le=1_000_000)
    validity_days: int = Field(ge=1, le=3650)
    active: bool = True
    title: Localized
    cap_per_period: int | None = Field(default=None, ge=1, le=MAX_CAP_PER_PERIOD)
    period: Period | None = None


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_id: Text = Field(min_length=1, max_length=128)
    kind: RuleKind
    employee_id: EmployeeId
    occurred_at: AwareDatetime

    @field_validator("occurred_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        # Far-off years are typos, and calendar arithmetic near year 1 or 9999 overflows.
        if not EARLIEST <= value < LATEST:
            raise ValueError("must be between 2000 and 2100")
        return value


@dataclass
class EventOutcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    # One per accepted event: what it earned, for the use case to announce.
    earned: list[Earned] = field(default_factory=list)


@dataclass(frozen=True)
class Earned:
    event_id: str
    employee_id: str
    rule_kind: str
    points: int
    transfer_id: int
    expires_at: datetime


def put_rule(session: Session, kind: str, spec: RuleSpec, now: datetime) -> Rule:
    """Create or replace the rule for ``kind``."""
    if not RULE_KIND.match(kind) or len(kind) > 64:
        raise LedgerError(ErrorCode.INVALID_REQUEST, "kind: a.b.c of a-z 0-9 _", status=422)
    if (spec.cap_per_period is None) != (spec.period is None):
        raise LedgerError(
            ErrorCode.INVALID_REQUEST,
            "cap_per_period and period go together: give both or neither",
            status=422,
        )
    rule = session.get(Rule, kind)
    values = {
        "points": spec.points,
        "validity_days": spec.validity_days,
        "active": spec.active,
        "title_zh": spec.title.zh,
        "title_en": spec.title.en,
        "cap_per_period": spec.cap_per_period,
        "period": spec.period,
        "updated_at": now,
    }
    if rule is None:
        rule = Rule(kind=kind, **values)
        session.add(rule)
    else:
        for key, value in values.items():
            setattr(rule, key, value)
    session.flush()
    return rule


def record_events(
    session: Session,
    ready: list[tuple[EventIn, Employee, Rule, Account]],
    now: datetime,
) -> list[Earned]:
    """Write events judged ready: their earn transfers, lots and event rows (in one go)."""
    credits = [
        Credit(
            wallet,
            employee,
            rule.points,
            event.occurred_at + timedelta(days=rule.validity_days),
            {"rule_kind": rule.kind, "event_id": event.event_id},
        )
        for event, employee, rule, wallet in ready
    ]
    transfers = earn_many(session, credits, now)
    earned = []
    for (event, employee, rule, _wallet), credit, transfer in zip(
        ready, credits, transfers, strict=True
    ):
        session.add(
            Event(
                event_id=event.event_id,
                kind=event.kind,
                employee_id=employee.id,
                occurred_at=event.occurred_at.astimezone(UTC),
                points=rule.points,
                transfer_id=transfer.id,
                received_at=now,
            )
        )
        earned.append(
            Earned(
                event.event_id, employee.id, rule.kind, rule.points, transfer.id, credit.expires_at
            )
        )
    return earned
