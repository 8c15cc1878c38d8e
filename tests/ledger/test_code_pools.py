"""Code pools on SQLite and PostgreSQL: encrypted codes, one per approved order, low stock."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from ledger.domain.errors import LedgerError
from ledger.domain.orders import OrderAction
from ledger.service import Actor
from ledger.storage.fulfilment import PoolCode
from ledger.storage.models import DomainEvent, HrAction
from sync.protocol import ErrorCode
from tests.ledger.factory import employee, grant, item, order_request


@pytest.fixture
def shop(service):
    employee(service)
    item(service, "gift-50", points=100, fulfilment="code_pool", pool_threshold=2)
    grant(service, "E1001", 10_000)
    return service


def place(service, employee_id: str = "E1001", item_id: str = "gift-50", points: int = 100):
    return service.place_order(order_request(employee_id, item_id, points), None).order.order_id


def events(service, type_: str) -> list[dict[str, object]]:
    with service.db.read() as session:
        rows = session.scalars(select(DomainEvent).where(DomainEvent.type == type_))
        return [json.loads(e.payload) | {"subject": e.subject} for e in rows]


def test_codes_are_stored_encrypted_and_de_duplicated(shop):
    first = shop.add_codes("gift-50", "code\nAAAA-1111\n\nBBBB-2222\nAAAA-1111\n")
    assert (first.added, first.duplicates, first.remaining) == (2, 0, 2)
    again = shop.add_codes("gift-50", "BBBB-2222,50 CNY\r\nCCCC-3333\r\n")
    assert (again.added, again.duplicates, again.remaining) == (1, 1, 3)
    with shop.db.read() as session:
        stored = session.scalars(select(PoolCode.ciphertext)).all()
    assert len(stored) == 3
    assert not any("1111" in text or "2222" in text for text in stored)


def test_a_code_in_another_items_pool_is_a_duplicate(shop):
    item(shop, "gift-100", points=200, fulfilment="code_pool")
    shop.add_codes("gift-50", "SAME-CODE\n")
    assert shop.add_codes("gift-100", "SAME-CODE\nOTHER\n").duplicates == 1


def test_an_empty_upload_is_refused(shop):
    with pytest.raises(LedgerError) as err:
        shop.add_codes("gift-50", "\n \n")
    assert err.value.code is ErrorCode.INVALID_REQUEST


def test_approval_assigns_one_code_and_fulfils(shop):
    shop.add_codes("gift-50", "AAAA-1111\nBBBB-2222\nCCCC-3333\n")
    order_id = place(shop)
    out = shop.transition(order_id, "approve")
    assert out.status == "fulfilled"
    assert shop.employee("E1001")["held"] == 0
    assert shop.reveal_code(order_id) == "AAAA-1111"
    assert shop.pool_counts("gift-50").remaining == 2
    assert [e["subject"] for e in events(shop, "order.approved")] == [order_id]
    assert [e["subject"] for e in events(shop, "order.fulfilled")] == [order_id]
    assert shop.audit_report().ok


def test_no_code_left_refuses_the_approval_and_the_order_stays_pending(shop):
    order_id = place(shop)
    with pytest.raises(LedgerError) as err:
        shop.transition(order_id, "approve")
    assert err.value.code is ErrorCode.CODE_POOL_EMPTY
    assert shop.list_orders()[0]["status"] == "pending"
    assert events(shop, "order.approved") == []


def test_bulk_approval_skips_orders_without_a_code(shop):
    shop.add_codes("gift-50", "AAAA-1111\n")
    ids = [place(shop) for _ in range(3)]
    outcome = shop.approve_many(ids)
    assert outcome == 1
    statuses = sorted(o["status"] for o in shop.list_orders())
    assert statuses == ["fulfilled", "pending", "pending"]
    outcome2 = shop.change_many(ids, OrderAction.APPROVE)
    assert outcome2.skipped_by_state() == {"fulfilled": 1, "no_code": 2}


def test_low_stock_is_announced_once_per_crossing(shop):
    shop.add_codes("gift-50", "\n".join(f"C{n}" for n in range(4)))
    for _ in range(4):
        shop.transition(place(shop), "approve")
    assert events(shop, "code_pool.low") == [
        {"item_id": "gift-50", "remaining": 2, "threshold": 2, "subject": "gift-50"}
    ]
    shop.add_codes("gift-50", "\n".join(f"D{n}" for n in range(3)))  # 3 > 2: above again
    for _ in range(3):
        shop.transition(place(shop), "approve")
    lows = events(shop, "code_pool.low")
    assert [e["remaining"] for e in lows] == [2, 2]


def test_showing_a_code_to_hr_writes_an_audit_line(shop):
    shop.add_codes("gift-50", "AAAA-1111\n")
    order_id = place(shop)
    shop.transition(order_id, "approve")
    hr = shop.acting_as(Actor.user("wang"))
    assert hr.reveal_code(order_id) == "AAAA-1111"
    with shop.db.read() as session:
        lines = session.scalars(select(HrAction).where(HrAction.action == "order.code_shown")).all()
    assert [(line.user_name, line.target) for line in lines][-1] == ("wang", order_id)
    assert all("AAAA" not in (line.after or "") for line in lines)


def test_an_order_without_a_code_has_none_to_show(shop):
    item(shop, "cake", points=100)
    order_id = place(shop, item_id="cake")
    with pytest.raises(LedgerError) as err:
        shop.reveal_code(order_id)
    assert err.value.code is ErrorCode.NO_CODE


@pytest.mark.slow
def test_fifty_concurrent_approvals_never_share_a_code(shop):
    """Threads with their own sessions approve 50 orders against 30 codes: 30 fulfilled,
    each with its own code; 20 refused cleanly and still pending."""
    shop.add_codes("gift-50", "\n".join(f"CODE-{n:03}" for n in range(30)))
    for n in range(50):
        employee(shop, f"W{n:03}")
        grant(shop, f"W{n:03}", 100)
    ids = [place(shop, f"W{n:03}") for n in range(50)]
    start = threading.Barrier(50)

    def approve(order_id: str) -> str:
        start.wait()
        try:
            return shop.transition(order_id, "approve").status
        except LedgerError as refused:
            return refused.code.value

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(approve, ids))
    assert results.count("fulfilled") == 30
    assert results.count("code_pool_empty") == 20
    with shop.db.read() as session:
        given = (
            session.execute(select(PoolCode.order_id).where(PoolCode.order_id.is_not(None)))
            .scalars()
            .all()
        )
    assert len(given) == len(set(given)) == 30
    fulfilled = {o["order_id"] for o in shop.list_orders() if o["status"] == "fulfilled"}
    assert fulfilled == set(given)
    assert sum(o["status"] == "pending" for o in shop.list_orders()) == 20
    assert len({shop.reveal_code(i) for i in fulfilled}) == 30
    assert len(events(shop, "code_pool.low")) == 1
    assert shop.audit_report().ok
