"""The order queue: approve, fulfil, reject with a refund, each in bulk too, find by voucher,
filter by employee."""

from __future__ import annotations

import csv
import html
import io
import re

from ledger.console.queries import PAGE
from ledger.service import Actor
from sync.voucher import voucher_code, voucher_qr_text
from tests.console.conftest import Browser, pending_orders
from tests.ledger import factory
from tests.ledger.test_use_case_records import Records


def status_of(service, order_id: str) -> str:
    return next(o["status"] for o in service.list_orders() if o["order_id"] == order_id)


def test_the_queue_lists_pending_orders(hr: Browser, floor) -> None:
    page = hr.get("/admin/orders")
    assert page.ok
    for order_id in pending_orders(floor):
        assert voucher_code(order_id) in page.text
    assert "张伟" in page.text and "李娜" in page.text
    fulfilled = hr.get("/admin/orders?status=fulfilled").text
    assert "没有结果" in fulfilled and voucher_code(pending_orders(floor)[0]) not in fulfilled


def test_approve_then_fulfil(hr: Browser, floor) -> None:
    order_id = pending_orders(floor)[0]
    hr.get(f"/admin/orders/{order_id}")
    assert hr.post(f"/admin/orders/{order_id}/approve").ok
    assert status_of(floor, order_id) == "approved"
    # Approving twice is refused with a message, not an error page.
    again = hr.post(f"/admin/orders/{order_id}/approve")
    assert again.status_code == 422 and "已批准" in again.text
    assert hr.post(f"/admin/orders/{order_id}/fulfil").ok
    assert status_of(floor, order_id) == "fulfilled"


def test_reject_needs_a_reason_and_refunds(hr: Browser, floor) -> None:
    order_id = next(o for o in pending_orders(floor) if status_of(floor, o) == "pending")
    employee = next(o["employee_id"] for o in floor.list_orders() if o["order_id"] == order_id)
    held = floor.employee(employee)["held"]
    balance = floor.employee(employee)["balance"]
    hr.get(f"/admin/orders/{order_id}")
    missing = hr.post(f"/admin/orders/{order_id}/reject", {"reason": "  "})
    assert missing.status_code == 422 and "请填写拒绝原因" in missing.text
    assert status_of(floor, order_id) == "pending"
    done = hr.post(f"/admin/orders/{order_id}/reject", {"reason": "缺货"})
    assert done.ok and status_of(floor, order_id) == "rejected"
    after = floor.employee(employee)
    assert after["held"] < held and after["balance"] > balance  # the points came back


def test_bulk_approve(hr: Browser, floor) -> None:
    ids = pending_orders(floor)
    hr.get("/admin/orders")
    response = hr.post("/admin/orders-bulk/approve", [("order", i) for i in ids])
    assert response.ok and f"已批准 {len(ids)} 个订单" in response.text
    assert all(status_of(floor, i) == "approved" for i in ids)
    # Not pending any more: a second bulk approval does nothing.
    assert "已批准 0 个订单" in hr.post("/admin/orders-bulk/approve", [("order", ids[0])]).text


def test_find_an_order_by_typed_or_scanned_voucher(hr: Browser, floor) -> None:
    order_id = pending_orders(floor)[0]
    code = voucher_code(order_id)
    for typed in (code, code.lower().replace("-", ""), f"  {code} ", voucher_qr_text(order_id)):
        found = hr.get("/admin/orders/find", params={"code": typed})
        assert found.url.endswith(f"/admin/orders/{order_id}"), typed
    missing = hr.get("/admin/orders/find", params={"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert '<p class="error-box" role="alert">没有与此兑换码对应的订单' in missing.text
    assert "没有与此兑换码对应的订单" in hr.get("/admin/orders/find?code=%00<script>").text


def test_export_csv(hr: Browser, floor) -> None:
    response = hr.get("/admin/orders/export.csv?status=pending")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["order_id"] for r in rows} == set(pending_orders(floor))
    assert {r["employee_name"] for r in rows} == {"张伟", "李娜"}


def test_unknown_orders_and_actions(hr: Browser) -> None:
    assert hr.get("/admin/orders/00000000-0000-0000-0000-000000000000").status_code == 404
    hr.get("/admin/orders")
    assert hr.post("/admin/orders/00000000-0000-0000-0000-000000000000/approve").status_code == 404
    assert hr.post("/admin/orders/x/explode").status_code == 404


def test_every_change_is_in_the_audit_log(hr: Browser, floor) -> None:
    order_id = pending_orders(floor)[0]
    hr.get(f"/admin/orders/{order_id}")
    hr.post(f"/admin/orders/{order_id}/reject", {"reason": "缺货"})
    log = hr.get("/admin/audit?action=order.reject").text
    assert "hr-wang" in log and order_id in log and "缺货" in log
    assert "&#34;status&#34;: &#34;pending&#34;" in log and "rejected" in log


def _lines_and_events(floor, records) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    lines, events = records.new()
    return (
        sorted((line.action, line.target) for line in lines),
        sorted((event.type, event.subject) for event in events),
    )


def test_bulk_fulfil_changes_approved_orders_and_skips_the_rest(hr: Browser, floor) -> None:
    approved, pending = pending_orders(floor)
    done = floor.place_order(factory.order_request("E1001", "leave-day", 300), None).order
    floor.transition(done.order_id, "approve")
    floor.transition(done.order_id, "fulfil")
    hr_floor = floor.acting_as(Actor.user("hr-wang"))
    hr_floor.transition(approved, "approve")
    records = Records(floor)
    records.new()
    chosen = [approved, pending, str(done.order_id), "00000000-0000-0000-0000-000000000000"]
    hr.get("/admin/orders?status=")
    response = hr.post("/admin/orders-bulk/fulfil", [("order", i) for i in chosen])
    assert response.ok
    assert "已发放 1 个订单。" in response.text
    assert "跳过 1 个：状态为“待审批”。" in response.text
    assert "跳过 1 个：已是“已发放”。" in response.text
    assert "跳过 1 个：订单不存在。" in response.text
    assert "只有已批准的订单才能发放。" in response.text
    assert status_of(floor, approved) == "fulfilled" and status_of(floor, pending) == "pending"
    lines, events = _lines_and_events(floor, records)
    assert lines == [("order.fulfil", approved)] and events == [("order.fulfilled", approved)]
    # The same form again (a second click, a replayed post) changes and records nothing.
    again = hr.post("/admin/orders-bulk/fulfil", [("order", i) for i in chosen])
    assert "已发放 0 个订单。" in again.text and "跳过 2 个：已是“已发放”。" in again.text
    assert _lines_and_events(floor, records) == ([], [])


def test_bulk_reject_needs_one_reason_and_refunds_every_order(hr: Browser, floor) -> None:
    first, second = pending_orders(floor)
    floor.transition(first, "approve")  # an approved order is refunded as a pending one is
    owners = {o["order_id"]: o["employee_id"] for o in floor.list_orders()}
    points = {o["order_id"]: o["points"] for o in floor.list_orders()}
    before = {owners[i]: floor.employee(owners[i]) for i in (first, second)}
    records = Records(floor)
    records.new()
    hr.get("/admin/orders?status=")
    form = [("order", first), ("order", second), ("back", "/admin/orders?status=&page=1")]
    missing = hr.post("/admin/orders-bulk/reject", [*form, ("reason", "  ")])
    assert missing.status_code == 422
    assert '<small class="error" id="reason-error">请填写拒绝原因。</small>' in missing.text
    assert missing.text.count("checked>") == 2  # the ticks survive to be sent again
    assert {status_of(floor, first), status_of(floor, second)} == {"approved", "pending"}
    assert _lines_and_events(floor, records) == ([], [])

    done = hr.post("/admin/orders-bulk/reject", [*form, ("reason", "缺货")])
    assert done.ok and "已拒绝 2 个订单并退还积分。" in done.text
    for order_id in (first, second):
        order = next(o for o in floor.list_orders() if o["order_id"] == order_id)
        assert order["status"] == "rejected" and order["reason"] == "缺货"
        after = floor.employee(owners[order_id])
        assert after["balance"] == before[owners[order_id]]["balance"] + points[order_id]
        assert after["held"] == before[owners[order_id]]["held"] - points[order_id]
    lines, events = _lines_and_events(floor, records)
    assert lines == sorted([("order.reject", first), ("order.reject", second)])
    assert events == sorted([("order.rejected", first), ("order.rejected", second)])

    # A repeated post refunds nothing twice.
    again = hr.post("/admin/orders-bulk/reject", [*form, ("reason", "缺货")])
    assert "已拒绝 0 个订单" in again.text and "跳过 2 个：已是“已拒绝”。" in again.text
    assert all(
        floor.employee(owners[i])["balance"] == before[owners[i]]["balance"] + points[i]
        for i in (first, second)
    )
    assert _lines_and_events(floor, records) == ([], [])


LINK = re.compile(r'href="/admin/orders/([0-9a-f-]{36})"')


def test_filter_by_employee_with_paging(hr: Browser, floor) -> None:
    factory.item(floor, "pen", points=10, category="physical")
    for _ in range(PAGE + 5):
        placed = floor.place_order(factory.order_request("E1001", "pen", 10), None)
        assert placed.refusal is None
    mine = {o["order_id"] for o in floor.list_orders() if o["employee_id"] == "E1001"}
    theirs = {o["order_id"] for o in floor.list_orders() if o["employee_id"] == "E1002"}
    assert len(mine) == PAGE + 6 and len(theirs) == 1

    first = hr.get("/admin/orders?status=pending&employee=E1001")
    assert first.ok and 'value="E1001"' in first.text
    shown = set(LINK.findall(first.text))
    assert len(shown) == PAGE and shown <= mine
    # The pager's link keeps the filter: following it shows the rest of E1001's orders.
    following = re.search(r'<a href="(\?[^"]*)">下一页', first.text)
    assert following and "employee=E1001" in following.group(1)
    second = hr.get("/admin/orders" + html.unescape(following.group(1)))
    assert set(LINK.findall(second.text)) | shown == mine
    # Combined with the state filter, and by name.
    assert LINK.findall(hr.get("/admin/orders?status=approved&employee=E1001").text) == []
    assert set(LINK.findall(hr.get("/admin/orders?status=&employee=李娜").text)) == theirs
    assert set(LINK.findall(hr.get("/admin/orders?status=&employee=E1002").text)) == theirs
    exported = hr.get("/admin/orders/export.csv?status=&employee=E1002")
    assert [r["order_id"] for r in csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff")))] == [
        *theirs
    ]
    # A bulk action on a filtered page comes back to that page.
    done = hr.post("/admin/orders-bulk/approve", {"order": next(iter(theirs)), "back": (
        "/admin/orders?status=&since=&until=&employee=E1002&page=1"
    )})  # fmt: skip
    assert "employee=E1002" in done.url and set(LINK.findall(done.text)) == theirs

    # Wildcards are letters here, and bad input is an empty list, not an error.
    for value in ("%", "_", "a\x00b", "x" * 5000, "E1001' OR '1'='1"):
        page = hr.get("/admin/orders", params={"status": "", "employee": value, "page": "x"})
        assert page.status_code == 200 and "没有结果" in page.text, value
        assert page.headers["content-type"].startswith("text/html")
    # A filter of NUL alone is no filter (NUL is dropped, as every console search drops it).
    assert len(LINK.findall(hr.get("/admin/orders?status=&employee=%00").text)) == PAGE


def _fulfilled(service) -> str:
    order_id = pending_orders(service)[0]
    service.transition(order_id, "approve")
    service.transition(order_id, "fulfil")
    return order_id


def test_an_admin_reverses_a_fulfilled_order_with_a_reason(admin: Browser, floor) -> None:
    order_id = _fulfilled(floor)
    order = next(o for o in floor.list_orders() if o["order_id"] == order_id)
    owner, points = order["employee_id"], order["points"]
    balance = floor.employee(owner)["balance"]
    page = admin.get(f"/admin/orders/{order_id}").text
    assert 'id="reverse-form"' in page and "撤销订单" in page
    path = f"/admin/orders/{order_id}/reverse"
    unconfirmed = admin.post(path, {"reason": "退货"})
    assert unconfirmed.status_code == 422
    assert "请勾选确认框以确认撤销。" in unconfirmed.text and 'value="退货"' in unconfirmed.text
    no_reason = admin.post(path, {"reason": "  ", "confirm": "yes"})
    assert no_reason.status_code == 422
    assert '<small class="error" id="reason-error">请填写撤销原因。</small>' in no_reason.text
    assert floor.employee(owner)["balance"] == balance and status_of(floor, order_id) == "fulfilled"

    records = Records(floor)
    records.new()
    done = admin.post(path, {"reason": "退货", "confirm": "yes"})
    assert done.ok and "已撤销" in done.text and 'id="reverse-form"' not in done.text
    assert status_of(floor, order_id) == "reversed"
    assert floor.employee(owner)["balance"] == balance + points
    lines, events = records.new()
    assert [(line.action, line.user_name) for line in lines] == [("order.reverse", "it-admin")]
    assert [e.type for e in events] == ["order.reversed"]
    # Sent again (a reload, a second click): the order is closed, nothing is refunded twice.
    again = admin.post(path, {"reason": "退货", "confirm": "yes"})
    assert again.status_code == 422 and "该订单当前为“已撤销”" in again.text
    assert floor.employee(owner)["balance"] == balance + points
    listed = admin.get("/admin/orders?status=reversed").text
    assert LINK.findall(listed) == [order_id] and "已撤销" in listed


def test_hr_cannot_reverse_an_order(hr: Browser, floor) -> None:
    order_id = _fulfilled(floor)
    page = hr.get(f"/admin/orders/{order_id}").text
    assert 'id="reverse-form"' not in page
    refused = hr.post(f"/admin/orders/{order_id}/reverse", {"reason": "退货", "confirm": "yes"})
    assert refused.status_code == 403 and "您没有权限执行此操作。" in refused.text
    assert status_of(floor, order_id) == "fulfilled"
