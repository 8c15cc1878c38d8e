"""Orders through the service layer, on SQLite and PostgreSQL: holds, states, refunds, codes."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from ledger.domain.errors import LedgerError
from ledger.storage.models import LotAllocation
from sync.protocol import ErrorCode
from tests.ledger.factory import card, employee, grant, item, order_request


def balance(service, employee_id: str = "E1001") -> tuple[int, int]:
    data = service.employee(employee_id)
    return data["balance"], data["held"]


@pytest.fixture
def shop(service):
    employee(service)
    item(service, points=300)
    grant(service, "E1001", 1000)
    return service


def test_placing_an_order_holds_its_points(shop):
    placement = shop.place_order(order_request("E1001", "card-100", 300), device_id=None)
    assert placement.created and placement.refusal is None
    assert placement.order.status == "pending"
    assert balance(shop) == (700, 300)
    assert shop.audit_report().ok


def test_pending_approved_fulfilled_moves_points_to_redeemed(shop):
    order = shop.place_order(order_request("E1001", "card-100", 300), None).order
    assert shop.transition(order.order_id, "approve").status == "approved"
    assert shop.transition(order.order_id, "fulfil").status == "fulfilled"
    assert balance(shop) == (700, 0)
    assert shop.audit_report().ok


@pytest.mark.parametrize("path", [["reject"], ["approve", "reject"], ["cancel"]])
def test_reject_and_cancel_refund_the_points(shop, path):
    order = shop.place_order(order_request("E1001", "card-100", 300), None).order
    for action in path:
        shop.transition(order.order_id, action, reason="no stock at the counter")
    assert balance(shop) == (1000, 0)
    assert shop.audit_report().ok


@pytest.mark.parametrize(
    ("first", "illegal"),
    [
        ([], "fulfil"),
        (["approve"], "cancel"),
        (["approve"], "approve"),
        (["approve", "fulfil"], "reject"),
        (["approve", "fulfil"], "cancel"),
        (["cancel"], "approve"),
        (["cancel"], "cancel"),
        (["reject"], "fulfil"),
        (["reject"], "reject"),
    ],
)
def test_illegal_transitions_are_refused(shop, first, illegal):
    order = shop.place_order(order_request("E1001", "card-100", 300), None).order
    for action in first:
        shop.transition(order.order_id, action, reason="r")
    before = balance(shop)
    with pytest.raises(LedgerError) as err:
        shop.transition(order.order_id, illegal, reason="r")
    assert err.value.code is ErrorCode.INVALID_TRANSITION
    assert balance(shop) == before
    assert shop.audit_report().ok


def test_unknown_order_transition_is_not_found(shop):
    with pytest.raises(LedgerError) as err:
        shop.transition(str(uuid.uuid4()), "approve")
    assert err.value.code is ErrorCode.UNKNOWN_ORDER and err.value.status == 404


def test_same_id_same_body_replays_the_original(shop):
    request = order_request("E1001", "card-100", 300)
    first = shop.place_order(request, None)
    again = shop.place_order(request, None)
    assert first.created and not again.created
    assert again.order.order_id == first.order.order_id
    assert balance(shop) == (700, 300)


def test_same_id_different_body_is_a_mismatch(shop):
    order_id = uuid.uuid4()
    shop.place_order(order_request("E1001", "card-100", 300, order_id=order_id), None)
    with pytest.raises(LedgerError) as err:
        shop.place_order(order_request("E1001", "card-100", 600, 2, order_id=order_id), None)
    assert err.value.code is ErrorCode.IDEMPOTENCY_MISMATCH
    assert balance(shop) == (700, 300)


def test_a_refused_order_is_stored_and_replays_its_refusal(shop):
    request = order_request("E1001", "card-100", 1200, quantity=4)
    first = shop.place_order(request, None)
    assert first.refusal is ErrorCode.INSUFFICIENT_POINTS
    assert first.order.status == "rejected"
    assert shop.place_order(request, None).refusal is ErrorCode.INSUFFICIENT_POINTS
    assert balance(shop) == (1000, 0)
    assert shop.audit_report().ok


@pytest.mark.parametrize(
    ("setup", "request_fields", "code"),
    [
        ({"stock": 0}, {}, ErrorCode.OUT_OF_STOCK),
        ({"active": False}, {}, ErrorCode.ITEM_INACTIVE),
        ({}, {"points": 299}, ErrorCode.PRICE_CHANGED),
        ({"points": 2000}, {"points": 2000}, ErrorCode.INSUFFICIENT_POINTS),
    ],
)
def test_refusal_codes(shop, setup, request_fields, code):
    if setup:
        item(shop, **({"points": 300} | setup))
    body = {"points": 300} | request_fields
    placement = shop.place_order(order_request("E1001", "card-100", **body), None)
    assert placement.refusal is code
    assert balance(shop) == (1000, 0)


def test_inactive_employee_cannot_order(shop):
    employee(shop, active=False)
    placement = shop.place_order(order_request("E1001", "card-100", 300), None)
    assert placement.refusal is ErrorCode.EMPLOYEE_INACTIVE


def test_unknown_employee_and_item_are_not_found(shop):
    with pytest.raises(LedgerError) as err:
        shop.place_order(order_request("E9999", "card-100", 300), None)
    assert err.value.code is ErrorCode.UNKNOWN_EMPLOYEE and err.value.status == 404
    with pytest.raises(LedgerError) as err:
        shop.place_order(order_request("E1001", "nothing", 300), None)
    assert err.value.code is ErrorCode.UNKNOWN_ITEM and err.value.status == 404


def test_stock_goes_down_and_comes_back_on_refund(shop):
    item(shop, points=100, stock=3)
    order = shop.place_order(order_request("E1001", "card-100", 200, quantity=2), None).order
    assert shop.list_items()[0]["stock"] == 1
    refused = shop.place_order(order_request("E1001", "card-100", 200, quantity=2), None)
    assert refused.refusal is ErrorCode.OUT_OF_STOCK
    shop.transition(order.order_id, "cancel")
    assert shop.list_items()[0]["stock"] == 3


def test_per_employee_limit_per_period(shop, clock):
    item(shop, points=100, limit_per_employee=2, limit_period="month")
    first = shop.place_order(order_request("E1001", "card-100", 200, quantity=2), None)
    assert first.refusal is None
    assert shop.place_order(order_request("E1001", "card-100", 100), None).refusal is (
        ErrorCode.LIMIT_REACHED
    )
    # A cancelled order frees its share of the limit.
    shop.transition(first.order.order_id, "cancel")
    assert shop.place_order(order_request("E1001", "card-100", 100), None).refusal is None
    clock.advance(days=31)
    assert shop.place_order(order_request("E1001", "card-100", 100), None).refusal is None


def test_a_revoked_kiosk_is_refused_before_anything_else(shop):
    """New orders, replays, unknown workers and items alike: the kiosk's revocation is the
    first answer, so a revoked kiosk learns nothing, not even whether an order exists."""
    device_id, _token = shop.enroll(shop.create_enroll_code(), "gate 3")
    shown = card(shop, "E1001")
    kept = order_request("E1001", "card-100", 300, evidence=shown)
    assert shop.place_order(kept, device_id=device_id).created
    for _ in range(2):
        shop.place_order(order_request("E1001", "card-100", 300, evidence=shown), device_id)
    grant(shop, "E1001", 250)  # a second lot: the next order takes 100 + 200
    spanning = order_request("E1001", "card-100", 300, evidence=shown)
    assert shop.place_order(spanning, device_id=device_id).refusal is None
    assert balance(shop) == (50, 1200)
    with shop.db.read() as session:
        taken = session.scalars(
            select(LotAllocation.points).where(LotAllocation.order_id == str(spanning.order_id))
        )
        assert sorted(taken) == [100, 200]

    shop.revoke_device(device_id)
    for request in (
        kept,  # a replay
        order_request("E1001", "card-100", 300, evidence=shown),
        order_request("E404", "card-100", 300, evidence=shown),
        order_request("E1001", "no-such-item", 300, evidence=shown),
    ):
        with pytest.raises(LedgerError) as refused:
            shop.place_order(request, device_id=device_id)
        assert refused.value.code == ErrorCode.DEVICE_REVOKED
    assert balance(shop) == (50, 1200)
