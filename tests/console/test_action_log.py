"""Every console form leaves its action-log line and its domain events, as the signed-in user."""

from __future__ import annotations

import re

from ledger.console.actions import Change, changes
from ledger.service import LedgerService
from sync.voucher import voucher_code
from tests.console.conftest import Browser, pending_orders
from tests.console.test_employees_and_catalogue import ITEM, post_item
from tests.console.test_events_import import GOOD, batch_of, import_batch, upload
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

    preview = upload(hr, GOOD)
    records.expect(hr_wang, ["import.preview"], [])
    import_batch(hr, batch_of(preview))
    records.expect(
        hr_wang,
        ["import.start", "events.import", "import.finish"],
        ["points.earned", "points.earned"],
    )

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


def audit_rows(page: str) -> list[dict[str, str]]:
    """The audit table's lines: the target cell, and each diff line (by field) as text, with
    the stored JSON left out."""
    table = re.search(r'<table class="list" id="audit">(.*?)</table>', page, re.S)
    assert table, page
    rows = []
    line = r'<td class="target"[^>]*>(.*?)</td>\s*<td class="changes">(.*?)</td></tr>'
    for target, cell in re.findall(line, table.group(1), re.S):
        row = {"target": target}
        diff = cell.split("<details", 1)[0]
        for field, line in re.findall(r'<li class="\w+" data-field="([^"]+)">(.*?)</li>', diff):
            row[field] = re.sub(r"<[^>]+>", "", line)
        row["raw"] = cell.split("<details", 1)[1] if "<details" in cell else ""
        rows.append(row)
    return rows


def test_the_audit_log_shows_changed_fields_and_names_its_targets(
    hr: Browser, floor: LedgerService
) -> None:
    hr.get("/admin/rules/performance.excellent")
    edited = {
        "existing": "performance.excellent",
        "kind": "performance.excellent",
        "title_zh": "季度绩效优秀",
        "title_en": "Quarterly performance: excellent",
        "points": "800",
        "validity_days": "365",
        "active": "on",
    }
    assert hr.post("/admin/rules", edited).ok
    rule = audit_rows(hr.get("/admin/audit?action=rule.save").text)[0]  # the newest
    assert rule["points"] == "积分: 500 → 800"
    assert "validity_days" not in rule and "title.zh" not in rule  # unchanged
    assert '<a href="/admin/rules/performance.excellent">季度绩效优秀</a>' in rule["target"]

    order_id = pending_orders(floor)[0]
    hr.get(f"/admin/orders/{order_id}")
    assert hr.post(f"/admin/orders/{order_id}/reject", {"reason": "缺货"}).ok
    (order,) = audit_rows(hr.get("/admin/audit?action=order.reject").text)
    assert order["status"] == "状态: 待审批 → 已拒绝"
    assert order["reason"] == "原因: 缺货 新增"
    code = voucher_code(order_id)
    assert f'<a href="/admin/orders/{order_id}" class="mono">{code}</a>' in order["target"]
    assert order_id not in order["target"].split(">", 1)[1]  # the code is shown, not the id
    assert "&#34;status&#34;: &#34;pending&#34;" in order["raw"]  # the stored JSON, for IT

    reason = "夜班补贴" * 30
    hr.get("/admin/employees/E1001")
    assert hr.post("/admin/employees/E1001/adjust", {"points": "5", "reason": reason}).ok
    hr.get("/admin/language/en?next=/admin")
    adjusted = audit_rows(hr.get("/admin/audit?action=employee.adjust").text)[0]
    assert '<a href="/admin/employees/E1001">张伟</a> <small>E1001</small>' in adjusted["target"]
    assert adjusted["points"] == "Points: 5"
    assert adjusted["reason"] == "Reason: " + reason[:59] + "…"
    assert reason in adjusted["raw"]


def test_changes_list_only_what_differs_and_mark_added_and_removed_fields() -> None:
    before = '{"title": {"zh": "旧", "en": "Old"}, "points": 5, "stock": 3, "active": true}'
    after = '{"title": {"zh": "新", "en": "Old"}, "points": 5, "active": true, "uid": "C1"}'
    assert changes(before, after) == [
        Change("title.zh", "changed", "旧", "新"),
        Change("stock", "removed", before=3),
        Change("uid", "added", after="C1"),
    ]
    assert changes(None, '{"role": "hr"}') == [Change("role", "set", after="hr")]
    assert changes(None, None) == []
