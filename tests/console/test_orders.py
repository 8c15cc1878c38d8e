"""The order queue: approve, fulfil, reject with a refund, bulk approve, find by voucher."""

from __future__ import annotations

import csv
import io

from sync.voucher import voucher_code, voucher_qr_text
from tests.console.conftest import Browser, pending_orders


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
