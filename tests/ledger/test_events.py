"""HR events turned into points by rules: idempotency, caps, and every refusal code."""

from __future__ import annotations

from datetime import timedelta

from tests.ledger.factory import employee, event, rule


def test_event_refusals_and_duplicates(service, clock):
    employee(service, "E1")
    employee(service, "E2", active=False)
    rule(service)
    rule(service, "activity.attended", points=200, active=False)
    now = clock.now
    outcome = service.ingest_events(
        [
            event("a", "E1", now),
            event("b", "E404", now),
            event("c", "E2", now),
            event("d", "E1", now, kind="activity.attended"),
            event("e", "E1", now, kind="no.rule"),
            event("f", "E1", now + timedelta(days=3)),
        ]
    )
    assert outcome.accepted == 1 and outcome.duplicates == 0
    assert outcome.rejected == [
        {"event_id": "b", "code": "unknown_employee"},
        {"event_id": "c", "code": "employee_inactive"},
        {"event_id": "d", "code": "rule_inactive"},
        {"event_id": "e", "code": "unknown_kind"},
        {"event_id": "f", "code": "occurred_in_future"},
    ]
    again = service.ingest_events([event("a", "E1", now), event("a", "E1", now - timedelta(1))])
    assert again.duplicates == 1
    assert again.rejected == [{"event_id": "a", "code": "idempotency_mismatch"}]
    assert service.employee("E1")["balance"] == 500


def test_lot_expires_validity_days_after_the_event(service, clock):
    employee(service, "E1")
    rule(service, validity_days=30)
    occurred = clock.now - timedelta(days=10)
    service.ingest_events([event("a", "E1", occurred)])
    [lot] = service.employee("E1")["expiring"]
    assert lot["expires_at"] == occurred + timedelta(days=30)
    clock.advance(days=21)
    assert service.run_expiry().expired_points == 500


def test_cap_per_period_counts_by_the_events_own_period(service, clock):
    employee(service, "E1")
    rule(service, "training.completed", points=100, cap_per_period=200, period="month")
    june = clock.now.replace(day=3)
    may = june - timedelta(days=20)
    outcome = service.ingest_events(
        [
            event("1", "E1", june, "training.completed"),
            event("2", "E1", june, "training.completed"),
            event("3", "E1", june, "training.completed"),
            event("4", "E1", may, "training.completed"),
        ]
    )
    assert outcome.accepted == 3
    assert outcome.rejected == [{"event_id": "3", "code": "cap_reached"}]
    assert service.employee("E1")["balance"] == 300
    assert service.audit_report().ok
