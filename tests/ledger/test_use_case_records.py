"""Every write through the API leaves its action-log line and its domain events, with its actor.

The HR console's forms are checked the same way in tests/console/test_action_log.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from ledger.domain.access import Role
from ledger.service import LedgerService
from ledger.storage.models import HrAction
from tests.ledger import factory
from tests.ledger.http import Api, device_api, hr_api


class Records:
    """What the ledger recorded since the last look: log lines and events."""

    def __init__(self, service: LedgerService) -> None:
        self.service = service
        self.last_action = 0
        self.last_event = 0

    def new(self) -> tuple[list[HrAction], list[Any]]:
        with self.service.db.read() as session:
            actions = list(
                session.scalars(
                    select(HrAction).where(HrAction.id > self.last_action).order_by(HrAction.id)
                )
            )
            session.expunge_all()
        events = self.service.events(after=self.last_event, limit=1000)
        if actions:
            self.last_action = actions[-1].id
        if events:
            self.last_event = events[-1].position
        return actions, events

    def expect(
        self, actor: tuple[str, str], actions: list[str], events: list[str]
    ) -> tuple[list[HrAction], list[Any]]:
        lines, published = self.new()
        assert [line.action for line in lines] == actions
        assert {(line.actor_kind, line.user_name) for line in lines} <= {actor}
        assert [event.type for event in published] == events
        assert {event.actor for event in published} <= {f"{actor[0]}:{actor[1]}"}
        return lines, published


def test_every_hr_route_is_logged_and_announced_as_the_token(live) -> None:
    service: LedgerService = live.service
    hr = Api(live.url, service.create_token(Role.HR, name="payroll-sync"))
    admin = Api(live.url, service.create_token(Role.ADMIN, name="it-script"))
    records = Records(service)
    records.new()
    who = ("token", "payroll-sync")

    def ok(response: Any, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response

    ok(hr.put("/employees/E1", json={"name": "张伟", "department": "总装"}))
    _, events = records.expect(who, ["employee.save"], ["employee.changed"])
    assert events[0].payload["name"] == "张伟" and "pin_hash" not in events[0].payload
    ok(hr.put("/employees/E1", json={"name": "张伟", "department": "总装"}))
    records.expect(who, [], [])  # the same record again changes nothing

    ok(hr.put("/employees/E1/pin", json={"pin": "2468"}), 204)
    lines, events = records.expect(who, ["employee.pin"], ["employee.changed"])
    assert "2468" not in (lines[0].after or "") and events[0].payload["has_pin"] is True

    serial = ok(hr.post("/badges", json={"employee_id": "E1", "kind": "qr"}), 201).json()["serial"]
    records.expect(who, ["badge.issue"], ["badge.issued"])
    ok(hr.post(f"/badges/{serial}/revoke"))
    records.expect(who, ["badge.revoke"], ["badge.revoked"])

    rule = {"points": 300, "validity_days": 365, "title": {"zh": "培训", "en": "Training"}}
    ok(hr.put("/rules/training.done", json=rule))
    records.expect(who, ["rule.save"], ["rule.changed"])
    event = {"event_id": "ev-1", "kind": "training.done", "employee_id": "E1"}
    event["occurred_at"] = service.clock().isoformat()
    ok(hr.post("/events", json=[event, event | {"event_id": "ev-2", "kind": "no.such"}]))
    _, events = records.expect(who, ["events.import"], ["points.earned"])
    assert events[0].payload | {"transfer_id": 0} == {
        "employee_id": "E1",
        "event_id": "ev-1",
        "rule_kind": "training.done",
        "points": 300,
        "transfer_id": 0,
        "expires_at": events[0].payload["expires_at"],
    }

    adjustment = {"adjustment_id": "adj-1", "employee_id": "E1", "points": 5000, "reason": "奖励"}
    ok(hr.post("/adjustments", json=adjustment), 201)
    records.expect(who, ["employee.adjust"], ["points.adjusted"])
    ok(hr.post("/adjustments", json=adjustment))  # a replay: nothing new happened
    records.expect(who, [], [])

    item = {"title": {"zh": "购物卡", "en": "Card"}, "category": "physical", "points": 1000}
    ok(hr.put("/items/card", json=item))
    records.expect(who, ["item.save"], ["item.changed"])
    png = factory.picture()
    ok(hr.put("/items/card/image", data=png, headers={"content-type": "image/png"}))
    records.expect(who, ["item.image"], ["item.changed"])

    kiosk, enrolled = device_api(live, name="Line 3")
    device = ("device", enrolled["device_id"])
    lines, events = records.new()
    assert [(line.action, line.actor_kind) for line in lines] == [
        ("device.enroll_code", "system"),  # the test's own service made the code
        ("device.enroll", "device"),
    ]
    assert [(e.type, e.actor) for e in events] == [
        ("device.enrolled", f"device:{enrolled['device_id']}")
    ]
    shown = factory.card(service, "E1")
    records.new()  # the card's own line and event
    orders = []
    for _ in range(4):
        body = factory.order_request("E1", "card", 1000, badge_serial=serial, evidence=shown)
        ok(kiosk.post("/orders", json=body.model_dump(mode="json")), 201)
        orders.append(str(body.order_id))
    _, events = records.expect(device, [], ["order.placed"] * 4)
    assert [e.subject for e in events] == orders
    assert events[0].payload["points"] == 1000 and events[0].payload["item_id"] == "card"

    ok(kiosk.post(f"/orders/{orders[0]}/cancel"))
    records.expect(device, ["order.cancel"], ["order.cancelled"])

    ok(hr.post(f"/orders/{orders[1]}/approve"))
    records.expect(who, ["order.approve"], ["order.approved"])
    ok(hr.post(f"/orders/{orders[1]}/fulfil"))
    records.expect(who, ["order.fulfil"], ["order.fulfilled"])
    ok(hr.post(f"/orders/{orders[2]}/reject", json={"reason": "缺货"}))
    lines, events = records.expect(who, ["order.reject"], ["order.rejected"])
    assert events[0].payload["status"] == "rejected" and events[0].payload["reason"] == "缺货"

    ok(admin.put("/settings", json={"pin_threshold": 800}))
    records.expect(("token", "it-script"), ["settings.save"], ["settings.changed"])
    caps = ok(admin.put("/device-caps", json={"orders_per_hour": 50})).json()
    assert caps["orders_per_hour"] == 50 and caps["orders_per_day"] == 600  # the rest kept
    lines, events = records.expect(
        ("token", "it-script"), ["device_caps.save"], ["settings.changed"]
    )
    assert events[0].subject == "device_caps" and events[0].payload["orders_per_hour"] == 50
    assert hr.put("/device-caps", json={"orders_per_hour": 1}).status_code == 403
    assert ok(hr.get("/device-caps")).json()["orders_per_hour"] == 50

    live.service.clock.advance(days=800)
    ok(hr.post("/expiry/run"))
    lines, events = records.expect(who, ["points.expire"], ["points.expired"])
    assert events[0].subject == "E1" and events[0].payload["points"] > 0

    # A refused order and a failed transition leave nothing behind.
    refused = factory.order_request(
        "E1",
        "card",
        1000,
        badge_serial=serial,
        quantity=99,
        evidence=shown,
        placed_at=live.service.clock(),
    )
    assert kiosk.post("/orders", json=refused.model_dump(mode="json")).status_code == 409
    assert hr.post(f"/orders/{orders[2]}/approve").status_code == 409
    records.expect(who, [], [])
    assert service.audit_report().ok


def test_events_page_by_cursor_and_are_never_rewritten(live) -> None:
    service: LedgerService = live.service
    hr = hr_api(live)
    for n in range(5):
        response = hr.put(f"/employees/E{n}", json={"name": f"工人{n}"})
        assert response.status_code == 200
    first = hr.get("/domain-events", params={"limit": 3}).json()
    assert [e["subject"] for e in first["events"]] == ["E0", "E1", "E2"]
    rest = hr.get("/domain-events", params={"after": first["next"]}).json()
    assert [e["subject"] for e in rest["events"]] == ["E3", "E4"]
    assert rest["next"] == rest["events"][-1]["position"]
    again = hr.get("/domain-events", params={"limit": 3}).json()
    assert again == first  # reading moves nobody's cursor and changes no event
    ids = {e["id"] for e in first["events"] + rest["events"]}
    assert len(ids) == 5 and all(uuid.UUID(i) for i in ids)
    only = hr.get("/domain-events", params={"type": "order.placed"}).json()
    assert only == {"events": [], "next": 0}
    assert hr.get("/domain-events", params={"after": -1}).status_code == 422
    device, _ = device_api(live)
    assert device.get("/domain-events").status_code == 403
    assert [e.type for e in service.events(after=rest["next"])] == ["device.enrolled"]
