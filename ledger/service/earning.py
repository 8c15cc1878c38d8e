"""Use cases of earning: the rules, HR's event imports, and the expiry job."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select

from ledger.domain import event_import, expiry
from ledger.domain import rules as earning_rules
from ledger.service.actors import Actor, ActorKind
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from ledger.storage.models import Rule
from ledger.wire import rule_out


class EarningCases(ServiceBase):
    def put_rule(self, kind: str, spec: earning_rules.RuleSpec) -> dict[str, Any]:
        def run(work: Work) -> dict[str, Any]:
            old = work.session.get(Rule, kind)
            before = rule_out(old).model_dump(mode="json") if old is not None else None
            rule = earning_rules.put_rule(work.session, kind, spec, work.now)
            after = rule_out(rule).model_dump(mode="json")
            work.log("rule.save", kind, before=before, after=after)
            work.announce(EventType.RULE_CHANGED, kind, after)
            return after

        return self._run(run)

    def ingest_events(
        self, events: list[earning_rules.EventIn], source: str = "api"
    ) -> earning_rules.EventOutcome:
        """Turn HR events into points: one ``points.earned`` per accepted event."""

        def run(work: Work) -> earning_rules.EventOutcome:
            outcome = event_import.ingest_events(work.session, events, work.now)
            work.log(
                "events.import",
                source,
                after={
                    "rows": len(events),
                    "accepted": outcome.accepted,
                    "duplicates": outcome.duplicates,
                    "rejected": len(outcome.rejected),
                },
            )
            for earned in outcome.earned:
                work.announce(
                    EventType.POINTS_EARNED,
                    earned.employee_id,
                    {
                        "employee_id": earned.employee_id,
                        "event_id": earned.event_id,
                        "rule_kind": earned.rule_kind,
                        "points": earned.points,
                        "transfer_id": earned.transfer_id,
                        "expires_at": earned.expires_at.isoformat(),
                    },
                )
            return outcome

        return self._run(run)

    def run_expiry(self) -> expiry.ExpiryResult:
        """Expire every due lot, one employee per transaction; safe to run any number of times.

        The expiry job is the actor unless a person started the run (console, API, CLI).
        """
        system = self.actor.kind is ActorKind.SYSTEM
        job = self.acting_as(Actor.system("expiry")) if system else self
        points = lots = 0
        done: set[str] = set()
        while True:
            now = self.clock()
            with self.db.read() as session:
                due = [e for e in expiry.due_employees(session, now) if e not in done]
            if not due:
                return expiry.ExpiryResult(points, lots)
            for employee_id in due:
                result = job._run(partial(_expire, employee_id=employee_id))
                points += result.expired_points
                lots += result.lots
                done.add(employee_id)

    def list_rules(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            rows = session.scalars(select(Rule).order_by(Rule.kind))
            return [rule_out(r).model_dump(mode="json") for r in rows]


def _expire(work: Work, employee_id: str) -> expiry.ExpiryResult:
    result = expiry.expire_employee(work.session, employee_id, work.now)
    if result.expired_points:
        change = {"points": result.expired_points, "lots": result.lots}
        work.log("points.expire", employee_id, after=change)
        work.announce(EventType.POINTS_EXPIRED, employee_id, {"employee_id": employee_id, **change})
    return result
