"""An admin's reversal of a fulfilled order, on SQLite and PostgreSQL: the points go back to
the lots that paid as a rejection's do, the stock comes back, the limit is freed, and the
change is logged and announced; the API takes it from admins only."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from ledger.domain.access import Role
from ledger.domain.errors import LedgerError
from ledger.service import Actor, LedgerService
from ledger.storage.accounts import EXPIRED, REDEEMED
from ledger.storage.models import Transfer
from sync.protocol import ErrorCode
from tests.ledger.factory import employee, grant, item, order_request
from tests.ledger.http import hr_api
from tests.ledger.test_lots_and_expiry import lots
from tests.ledger.test_use_case_records import Records


@pytest.fixture
def shop(service: LedgerService) -> LedgerService:
    employee(service)
    item(service, points=100, stock=5, limit_per_employee=2, limit_period="month")
    grant(service, "E1001", 100, validity_days=200)  # expires last
    grant(service, "E1001", 100, validity_days=30)  # expires first
    grant(service, "E1001", 100, validity_days=100)
    return service


def fulfilled(service: LedgerService, quantity: int = 2) -> str:
    placed = service.place_order(
        order_request("E1001", "card-100", 100 * quantity, quantity=quantity), None
    )
    assert placed.refusal is None
    order_id = str(placed.order.order_id)
    service.transition(order_id, "approve")
    service.transition(order_id, "fulfil")
    return order_id


def refunds(service: LedgerService, order_id: str) -> list[tuple[str, str, int, str]]:
    with service.db.read() as session:
        rows = session.scalars(
            select(Transfer)
            .where(Transfer.order_id == order_id, Transfer.kind.like("refund%"))
            .order_by(Transfer.id)
        )
        return [(t.from_account, t.to_account, t.amount, t.kind) for t in rows]


def test_a_reversal_refunds_the_lots_that_paid_and_returns_the_stock(shop) -> None:
    order_id = fulfilled(shop)
    assert lots(shop) == [(100, 100, 0), (100, 0, 0), (100, 0, 0)]
    assert shop.list_items()[0]["stock"] == 3
    out = shop.reverse_order(order_id, "  returned unused  ")
    assert (out.status, out.reason) == ("reversed", "returned unused")
    assert lots(shop) == [(100, 100, 0), (100, 100, 0), (100, 100, 0)]
    data = shop.employee("E1001")
    assert (data["balance"], data["held"]) == (300, 0)
    assert shop.list_items()[0]["stock"] == 5
    assert refunds(shop, order_id) == [(REDEEMED, "wallet:E1001", 200, "refund")]
    assert shop.audit_report().ok


def test_a_lot_expired_since_gets_its_share_expired_as_on_a_rejection(shop, clock) -> None:
    order_id = fulfilled(shop)
    clock.advance(days=60)  # the 30-day lot that paid half has expired meanwhile
    shop.reverse_order(order_id, "returned unused")
    assert lots(shop) == [(100, 100, 0), (100, 0, 100), (100, 100, 0)]
    assert shop.employee("E1001")["balance"] == 200
    assert refunds(shop, order_id) == [
        (REDEEMED, "wallet:E1001", 100, "refund"),
        (REDEEMED, EXPIRED, 100, "refund_expired"),
    ]
    assert shop.audit_report().ok


def test_a_reversed_order_no_longer_counts_against_the_limit(shop) -> None:
    order_id = fulfilled(shop)
    again = shop.place_order(order_request("E1001", "card-100", 100), None)
    assert again.refusal is ErrorCode.LIMIT_REACHED
    shop.reverse_order(order_id, "returned unused")
    assert shop.place_order(order_request("E1001", "card-100", 200, quantity=2), None).refusal is (
        None
    )


@pytest.mark.parametrize("path", [[], ["approve"], ["reject"], ["cancel"], ["approve", "fulfil"]])
def test_only_a_fulfilled_order_is_reversed_and_only_once(shop, path) -> None:
    order_id = str(shop.place_order(order_request("E1001", "card-100", 100), None).order.order_id)
    for action in path:
        shop.transition(order_id, action, reason="r")
    if path == ["approve", "fulfil"]:
        shop.reverse_order(order_id, "returned")  # the first time is allowed
    before = shop.employee("E1001"), shop.list_items()[0]["stock"]
    with pytest.raises(LedgerError) as err:
        shop.reverse_order(order_id, "returned")
    assert err.value.code is ErrorCode.INVALID_TRANSITION and err.value.status == 409
    assert (shop.employee("E1001"), shop.list_items()[0]["stock"]) == before
    assert shop.audit_report().ok


def test_a_reversal_needs_a_reason_and_an_order(shop) -> None:
    order_id = fulfilled(shop)
    for reason in ("", "   ", "\x00", "x" * 201):
        with pytest.raises(LedgerError) as err:
            shop.reverse_order(order_id, reason)
        assert err.value.code is ErrorCode.INVALID_REQUEST and err.value.status == 422
    with pytest.raises(LedgerError) as err:
        shop.transition(order_id, "reverse")  # the general transition asks for it too
    assert err.value.code is ErrorCode.INVALID_REQUEST
    with pytest.raises(LedgerError) as err:
        shop.reverse_order(str(uuid.uuid4()), "returned")
    assert err.value.code is ErrorCode.UNKNOWN_ORDER and err.value.status == 404
    assert shop.list_orders()[0]["status"] == "fulfilled"


def test_a_reversal_is_logged_and_announced_as_its_actor(shop) -> None:
    order_id = fulfilled(shop)
    records = Records(shop)
    records.new()
    shop.acting_as(Actor.user("it-admin")).reverse_order(order_id, "returned unused")
    lines, events = records.expect(("user", "it-admin"), ["order.reverse"], ["order.reversed"])
    assert lines[0].target == order_id
    assert '"fulfilled"' in (lines[0].before or "") and "returned unused" in (lines[0].after or "")
    assert events[0].subject == order_id
    assert events[0].payload["status"] == "reversed"
    assert events[0].payload["reason"] == "returned unused"


def test_the_api_reverses_for_admins_only(live) -> None:
    service: LedgerService = live.service
    employee(service)
    item(service, points=100)
    grant(service, "E1001", 500)
    order_id = fulfilled(service, quantity=1)
    hr, admin = hr_api(live), hr_api(live, Role.ADMIN)
    path = f"/orders/{order_id}/reverse"
    refused = hr.post(path, json={"reason": "returned"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    missing = admin.post(path, json={"reason": ""})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid_request"
    assert service.list_orders()[0]["status"] == "fulfilled"
    done = admin.post(path, json={"reason": "returned"})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["reason"]) == ("reversed", "returned")
    assert service.employee("E1001")["balance"] == 500
    twice = admin.post(path, json={"reason": "returned"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "invalid_transition"
    unknown = admin.post(f"/orders/{uuid.uuid4()}/reverse", json={"reason": "returned"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_order"
    listed = hr.get("/orders", params={"status": "reversed"}).json()["orders"]
    assert [o["order_id"] for o in listed] == [order_id]
