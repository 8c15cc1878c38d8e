"""Workers' kiosk inbox on the ledger: messages from the events, read marks with the worker's
evidence, expiry reminders once per lot and threshold."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.domain.orders import OrderAction
from ledger.domain.reminders import threshold_reached
from ledger.jobs.runner import JobRunner
from ledger.jobs.schedule import EXPIRY_REMINDERS, INBOX
from ledger.service import LedgerService
from ledger.storage.inbox import ExpiryReminder
from ledger.storage.models import DomainEvent, HrAction, WorkerMessage
from tests.conftest import FakeClock, build_service
from tests.ledger import factory
from tests.ledger.http import device_api, error_code, hr_api


def _page(service: LedgerService, cursor: str | None = None) -> dict[str, Any]:
    service.number_changes()
    with service.db.snapshot() as session:
        from ledger.feed import build_page, parse_cursor

        return build_page(session, parse_cursor(cursor), 5000, service.clock())


def _messages(service: LedgerService, employee_id: str) -> list[dict[str, Any]]:
    return [m for m in _page(service)["messages"] if m["employee_id"] == employee_id]


def test_order_moves_and_points_become_the_workers_messages(service: LedgerService) -> None:
    factory.employee(service, "E1")
    factory.employee(service, "E2")
    factory.rule(service)
    factory.item(service, "card", points=300)
    factory.grant(service, "E1", 2000)
    service.ingest_events([factory.event("ev-1", "E1", service.clock() - timedelta(days=1))])
    first = service.place_order(factory.order_request("E1", "card", 300), None).order
    second = service.place_order(factory.order_request("E1", "card", 300), None).order
    third = service.place_order(factory.order_request("E1", "card", 300), None).order
    service.approve_many([first.order_id])
    service.fulfil_many([first.order_id])
    service.reject_many([second.order_id], "已停产 discontinued")
    service.transition(third.order_id, OrderAction.CANCEL)
    assert service.write_inbox() == 5
    assert service.write_inbox() == 0  # read once: the cursor moved with the messages

    got = sorted(_messages(service, "E1"), key=lambda m: m["id"])
    assert [m["kind"] for m in got] == ["adjusted", "earned", "approved", "fulfilled", "rejected"]
    adjusted, earned, approved, fulfilled, rejected = got
    assert (adjusted["points"], adjusted["note"]) == (2000, "test grant")
    assert (earned["points"], earned["rule_kind"], earned["note"]) == (
        500,
        "performance.excellent",
        None,
    )
    assert approved["order_id"] == fulfilled["order_id"] == first.order_id
    assert approved["note"] is None and fulfilled["points"] == 300
    assert (rejected["order_id"], rejected["note"]) == (second.order_id, "已停产 discontinued")
    assert not any(m["read"] for m in got)
    assert _messages(service, "E2") == []  # placing and cancelling tell nobody anything


def test_the_inbox_job_runs_on_its_beat(service: LedgerService, clock: FakeClock) -> None:
    factory.employee(service, "E1")
    factory.grant(service, "E1", 100)
    runner = JobRunner(service, [INBOX])
    [run] = runner.run_due()
    assert run.ok and '"messages":1' in run.result
    factory.grant(service, "E1", 50)
    assert runner.run_due() == []
    clock.advance(seconds=5)
    [run] = runner.run_due()
    assert '"messages":1' in run.result


def test_two_inbox_writers_write_each_message_once(db_url: str, clock: FakeClock, key_path) -> None:
    one = build_service(db_url, clock, key_path)
    two = LedgerService(type(one.db)(db_url), clock=clock)
    try:
        factory.employee(one, "E1")
        for _ in range(40):
            factory.grant(one, "E1", 10)
        written: list[int] = []
        barrier = threading.Barrier(2)

        def write(service: LedgerService) -> None:
            barrier.wait()
            written.append(service.write_inbox())

        threads = [threading.Thread(target=write, args=(s,)) for s in (one, two)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(written) == 40
        with one.db.read() as session:
            assert session.scalar(select(func.count()).select_from(WorkerMessage)) == 40
    finally:
        one.db.dispose()
        two.db.dispose()


def test_a_read_mark_needs_the_workers_evidence_and_reaches_every_kiosk(live) -> None:
    service: LedgerService = live.service
    for worker in ("E1", "E2"):
        factory.employee(service, worker)
        factory.grant(service, worker, 100)
    service.write_inbox()
    mine = [m["id"] for m in _messages(service, "E1")]
    theirs = [m["id"] for m in _messages(service, "E2")]
    my_card, their_card = factory.card(service, "E1"), factory.card(service, "E2")
    _, my_badge = service.issue_badge("E1", "qr")
    kiosk_a, _ = device_api(live, "Line A")
    kiosk_b, _ = device_api(live, "Line B")
    cursor = kiosk_b.get("/sync").json()["cursor"]

    def read(kiosk: Any, ids: list[int], evidence: Any) -> Any:
        body: dict[str, Any] = {"employee_id": "E1", "message_ids": ids}
        if evidence is not None:
            body["evidence"] = evidence
        return kiosk.post("/inbox/read", json=body)

    for refused in (None, their_card, {"kind": "qr", "value": "PK1.E1.X.forged"}):
        answer = read(kiosk_a, mine, refused)
        assert answer.status_code == 403 and error_code(answer) == "evidence_invalid"
    assert read(kiosk_a, [], my_card).status_code == 422
    unknown = kiosk_a.post(
        "/inbox/read", json={"employee_id": "E9", "message_ids": [1], "evidence": my_card}
    )
    assert unknown.status_code == 404 and error_code(unknown) == "unknown_employee"
    assert not any(m["read"] for m in _messages(service, "E1"))

    # Another worker's message ids in the list are passed over.
    assert read(kiosk_a, mine + theirs, my_card).status_code == 204
    assert read(kiosk_a, mine, {"kind": "qr", "value": my_badge}).status_code == 204  # again
    pulled = kiosk_b.get("/sync", params={"cursor": cursor}).json()
    assert {(m["id"], m["read"]) for m in pulled["messages"]} == {(i, True) for i in mine}
    assert set(pulled["messages"][0]) == {
        "id", "employee_id", "kind", "points", "order_id", "rule_kind", "note", "expires_at",
        "created_at", "read",
    }  # fmt: skip
    assert not any(m["read"] for m in _messages(service, "E2"))
    snapshot = kiosk_b.get("/sync").json()["messages"]
    assert {m["employee_id"] for m in snapshot} == {"E2"}  # a snapshot: unread ones only
    with service.db.read() as session:
        lines = session.scalars(select(HrAction).where(HrAction.action == "inbox.read")).all()
        assert [(line.actor_kind, line.target) for line in lines] == [("device", "E1")]


def test_a_pin_token_of_the_visit_vouches_for_its_read_mark(live) -> None:
    service: LedgerService = live.service
    factory.employee(service, "E1")
    factory.employee(service, "E2")
    factory.grant(service, "E1", 100)
    service.set_pin("E1", "4821")
    service.set_pin("E2", "4821")
    service.write_inbox()
    mine = [m["id"] for m in _messages(service, "E1")]
    kiosk, _ = device_api(live, "Line A")
    other, _ = device_api(live, "Line B")
    token = kiosk.post("/pin-checks", json={"employee_id": "E1", "pin": "4821"}).json()["token"]
    their_token = kiosk.post("/pin-checks", json={"employee_id": "E2", "pin": "4821"}).json()
    evidence = {"kind": "pin", "value": token}
    body = {"employee_id": "E1", "message_ids": mine}
    wrong = {**body, "evidence": {"kind": "pin", "value": their_token["token"]}}
    assert kiosk.post("/inbox/read", json=wrong).status_code == 403
    assert other.post("/inbox/read", json={**body, "evidence": evidence}).status_code == 403
    live.service.clock.advance(hours=2)  # the token expired; it still shows the visit
    assert kiosk.post("/inbox/read", json={**body, "evidence": evidence}).status_code == 204
    assert all(m["read"] for m in _messages(service, "E1"))


def test_thresholds_reached() -> None:
    now = datetime(2026, 3, 1, 12).astimezone()
    assert threshold_reached(now + timedelta(days=31), now, [30, 7]) is None
    assert threshold_reached(now + timedelta(days=30), now, [30, 7]) == 30
    assert threshold_reached(now + timedelta(days=5), now, [30, 7]) == 7
    assert threshold_reached(now + timedelta(days=5), now, []) is None


def _reminders(service: LedgerService) -> list[tuple[str, int, int]]:
    with service.db.read() as session:
        rows = session.scalars(select(ExpiryReminder).order_by(ExpiryReminder.sent_at)).all()
        return [(r.employee_id, r.points, r.threshold_days) for r in rows]


def test_each_lot_is_reminded_once_per_threshold_across_restarts(
    db_url: str, clock: FakeClock, key_path
) -> None:
    service = build_service(db_url, clock, key_path)
    factory.employee(service, "E1")
    factory.employee(service, "E2")
    factory.grant(service, "E1", 300, validity_days=40)
    factory.grant(service, "E2", 80, validity_days=5)  # found inside 7 days: that one only
    assert service.send_expiry_reminders() == {"reminders": 1, "points": 80}
    clock.advance(days=11)  # E1's lot: 29 days left
    assert service.send_expiry_reminders() == {"reminders": 1, "points": 300}
    assert service.send_expiry_reminders() == {"reminders": 0, "points": 0}
    service.db.dispose()

    service = build_service(db_url, clock, key_path)  # a restarted ledger
    runner = JobRunner(service, [EXPIRY_REMINDERS])
    [run] = runner.run_due()
    assert run.ok and '"reminders":0' in run.result
    clock.advance(days=23)  # 6 days left
    assert service.send_expiry_reminders() == {"reminders": 1, "points": 300}
    clock.advance(days=3)
    assert service.send_expiry_reminders() == {"reminders": 0, "points": 0}
    assert _reminders(service) == [("E2", 80, 7), ("E1", 300, 30), ("E1", 300, 7)]

    with service.db.read() as session:
        events = session.scalars(
            select(DomainEvent).where(DomainEvent.type == "points.expiring")
        ).all()
        assert [e.subject for e in events] == ["E2", "E1", "E1"]
    import json

    payload = json.loads(events[1].payload)
    assert set(payload) == {"employee_id", "lot_id", "points", "expires_at", "threshold_days"}
    assert (payload["points"], payload["threshold_days"]) == (300, 30)
    service.write_inbox()
    expiring = [m for m in _messages(service, "E1") if m["kind"] == "expiring"]
    assert [m["points"] for m in expiring] == [300, 300]
    assert all(m["expires_at"] == datetime.fromisoformat(payload["expires_at"]) for m in expiring)
    total, listed = service.list_reminders()
    assert total == 3 and listed[0]["name"] == "张伟" and listed[0]["threshold_days"] == 7
    service.db.dispose()


def test_spent_and_expired_lots_are_not_reminded(service: LedgerService, clock) -> None:
    factory.employee(service, "E1")
    factory.item(service, "card", points=100)
    factory.grant(service, "E1", 100, validity_days=20)
    service.place_order(factory.order_request("E1", "card", 100), None)  # takes the whole lot
    factory.grant(service, "E1", 50, validity_days=2)
    clock.advance(days=3)
    assert service.send_expiry_reminders() == {"reminders": 0, "points": 0}


def test_two_runners_remind_each_lot_once(db_url: str, clock: FakeClock, key_path) -> None:
    one = build_service(db_url, clock, key_path)
    two = LedgerService(type(one.db)(db_url), clock=clock)
    try:
        for n in range(12):
            factory.employee(one, f"E{n}")
            factory.grant(one, f"E{n}", 10 + n, validity_days=6)
        sent: list[int] = []
        barrier = threading.Barrier(2)

        def remind(service: LedgerService) -> None:
            barrier.wait()
            sent.append(service.send_expiry_reminders()["reminders"])

        threads = [threading.Thread(target=remind, args=(s,)) for s in (one, two)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(sent) == 12 and len(_reminders(one)) == 12
        with one.db.read() as session:
            events = session.scalar(
                select(func.count())
                .select_from(DomainEvent)
                .where(DomainEvent.type == "points.expiring")
            )
        assert events == 12
    finally:
        one.db.dispose()
        two.db.dispose()


def test_thresholds_are_a_setting_hr_edits(live) -> None:
    hr = hr_api(live)
    assert hr.get("/expiry-reminders/settings").json() == {"days": [30, 7]}
    saved = hr.put("/expiry-reminders/settings", json={"days": [3, 14, 14]})
    assert saved.status_code == 200 and saved.json() == {"days": [14, 3]}
    for bad in ([0], [400], [1, 2, 3, 4, 5, 6], ["x"]):
        answer = hr.put("/expiry-reminders/settings", json={"days": bad})
        assert answer.status_code == 422, bad
        assert error_code(answer) == "invalid_request"
    assert live.service.reminder_settings().days == [14, 3]
    assert hr.put("/expiry-reminders/settings", json={"days": []}).json() == {"days": []}
    factory.employee(live.service, "E1")
    factory.grant(live.service, "E1", 10, validity_days=2)
    assert live.service.send_expiry_reminders()["reminders"] == 0
    kiosk, _ = device_api(live)
    assert kiosk.get("/expiry-reminders").status_code == 403
    assert hr.get("/expiry-reminders").json() == {"total": 0, "reminders": []}


@pytest.mark.parametrize("kind", ["order.reversed"])
def test_a_reversal_becomes_a_message_when_announced(kind: str) -> None:
    from ledger.domain.inbox import message_for

    spec = message_for(kind, {"employee_id": "E1", "order_id": "o1", "points": 5, "reason": "r"})
    assert spec is not None and spec.kind.value == "reversed" and spec.note == "r"
    assert message_for("order.cancelled", {"employee_id": "E1", "order_id": "o1"}) is None
    assert message_for("points.earned", {"points": 5}) is None
