"""Every console form leaves its action-log line and its domain events, as the signed-in user."""

from __future__ import annotations

import re

from ledger.service import LedgerService
from tests.console.conftest import Browser, pending_orders
from tests.console.test_employees_and_catalogue import ITEM, post_item
from tests.console.test_events_import import GOOD, import_previewed, upload
from tests.ledger import factory
from tests.ledger.test_use_case_records import Records


def test_every_form_is_logged_and_announced_as_its_user(
    hr: Browser, admin: Browser, floor: LedgerService
) -> None:
    records = Records(floor)
    records.new()  # the floor's own set-up
    hr_wang, it_admin = ("user", "hr-wang"), ("user", "it-admin")

    hr.get("/admin/employees/E1001")
    assert hr.post("/admin/employees/E1001/adjust", {"points": "-250", "reason": "扣减"}).ok
    _, events = records.expect(hr_wang, ["employee.adjust"], ["points.adjusted"])
    assert events[0].payload["points"] == -250 and events[0].subject == "E1001"

    issued = hr.post("/admin/employees/E1002/badges", {"kind": "qr"})
    assert issued.ok
    lines, _ = records.expect(hr_wang, ["badge.issue"], ["badge.issued"])
    serial = lines[0].after and re.search(r'"serial": "([^"]+)"', lines[0].after)
    assert serial
    assert hr.post(f"/admin/employees/E1002/badges/{serial.group(1)}/revoke").ok
    records.expect(hr_wang, ["badge.revoke"], ["badge.revoked"])

    hr.get("/admin/rules/new")
    rule = {
        "kind": "training.safety",
        "title_zh": "安全培训",
        "title_en": "Safety",
        "points": "50",
        "validity_days": "365",
        "active": "on",
    }
    assert hr.post("/admin/rules", rule).ok
    records.expect(hr_wang, ["rule.save"], ["rule.changed"])

    import_previewed(hr, upload(hr, GOOD).text)
    records.expect(hr_wang, ["events.import"], ["points.earned", "points.earned"])

    assert post_item(hr, ITEM).ok
    records.expect(hr_wang, ["item.save"], ["item.changed"])

    first, second = pending_orders(floor)
    hr.get(f"/admin/orders/{first}")
    assert hr.post(f"/admin/orders/{first}/approve").ok
    records.expect(hr_wang, ["order.approve"], ["order.approved"])
    assert hr.post(f"/admin/orders/{first}/fulfil").ok
    records.expect(hr_wang, ["order.fulfil"], ["order.fulfilled"])
    assert hr.post(f"/admin/orders/{second}/reject", {"reason": "缺货"}).ok
    records.expect(hr_wang, ["order.reject"], ["order.rejected"])

    # The bulk forms: each order changed leaves its own line and event, as a single one does;
    # an order the action does not fit is skipped and leaves nothing.
    x, y, z = (
        str(floor.place_order(factory.order_request(e, "leave-day", 300), None).order.order_id)
        for e in ("E1001", "E1002", "E1001")
    )
    records.new()  # the placements
    hr.get("/admin/orders?status=")
    assert hr.post("/admin/orders-bulk/approve", [("order", x), ("order", y)]).ok
    lines, _ = records.expect(hr_wang, ["order.approve"] * 2, ["order.approved"] * 2)
    assert {line.target for line in lines} == {x, y}
    assert hr.post("/admin/orders-bulk/fulfil", [("order", x), ("order", z)]).ok
    lines, _ = records.expect(hr_wang, ["order.fulfil"], ["order.fulfilled"])
    assert lines[0].target == x
    rejected = [("order", x), ("order", y), ("order", z), ("reason", "停产")]
    assert hr.post("/admin/orders-bulk/reject", rejected).ok
    lines, events = records.expect(hr_wang, ["order.reject"] * 2, ["order.rejected"] * 2)
    assert {line.target for line in lines} == {y, z} and all(
        "停产" in (line.after or "") for line in lines
    )
    assert {event.subject for event in events} == {y, z}

    admin.get("/admin/users")
    created = admin.post(
        "/admin/users", {"name": "hr-li", "role": "hr", "password": "li checks the orders twice"}
    )
    assert created.ok
    records.expect(it_admin, ["user.create"], [])
    user_id = re.search(r"/admin/users/(\d+)/disable", admin.get("/admin/users").text)
    assert user_id
    assert admin.post(f"/admin/users/{user_id.group(1)}/disable").ok
    records.expect(it_admin, ["user.disable"], [])

    admin.get("/admin/kiosks")
    assert admin.post("/admin/kiosks/code").ok
    records.expect(it_admin, ["device.enroll_code"], [])
    device_id, _token = floor.enroll(floor.create_enroll_code(), "Line 9")
    records.new()
    assert admin.post(f"/admin/kiosks/{device_id}/revoke").ok
    records.expect(it_admin, ["device.revoke"], ["device.revoked"])
    caps = {"orders_per_hour": "30", "orders_per_day": "200", "points_per_hour": "0"}
    assert admin.post("/admin/kiosks/caps", caps | {"points_per_day": "90000"}).ok
    records.expect(it_admin, ["device_caps.save"], ["settings.changed"])
    assert floor.device_caps().orders_per_hour == 30 and floor.device_caps().points_per_hour == 0
    refused = admin.post("/admin/kiosks/caps", caps | {"points_per_day": "-1"})
    assert refused.status_code == 422 and "points_per_day-error" in refused.text
    records.expect(it_admin, [], [])

    admin.get("/admin/tokens")
    assert admin.post("/admin/tokens", {"name": "payroll sync", "role": "hr"}).ok
    records.expect(it_admin, ["token.create"], [])
    token_id = re.search(r"/admin/tokens/(\d+)/revoke", admin.get("/admin/tokens").text)
    assert token_id
    assert admin.post(f"/admin/tokens/{token_id.group(1)}/revoke").ok
    records.expect(it_admin, ["token.revoke"], [])

    # A refused form (no reason to reject) changes nothing and records nothing.
    assert hr.post(f"/admin/orders/{second}/reject", {"reason": " "}).status_code == 422
    records.expect(hr_wang, [], [])
    third = str(
        floor.place_order(factory.order_request("E1002", "leave-day", 300), None).order.order_id
    )
    records.new()
    refused = hr.post("/admin/orders-bulk/reject", [("order", third), ("reason", " ")])
    assert refused.status_code == 422
    records.expect(hr_wang, [], [])
    assert floor.audit_report().ok
