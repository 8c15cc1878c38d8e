"""Expiry lots: FIFO consumption, refunds back to lots, the expiry job, adjustments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ledger.domain.adjustments import AdjustmentIn
from ledger.domain.errors import LedgerError
from ledger.domain.lots import OpenLot, Take, fifo_takes, split_refund
from ledger.domain.wallets import ADJUSTMENT, get_employee, lock_wallet, spend
from ledger.storage.models import Lot
from sync.protocol import ErrorCode
from tests.ledger.factory import employee, grant, item, order_request

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def lots(service, employee_id: str = "E1001") -> list[tuple[int, int, int]]:
    """(points, remaining, expired) per lot, oldest first."""
    with service.db.read() as session:
        rows = session.scalars(select(Lot).where(Lot.employee_id == employee_id).order_by(Lot.id))
        return [(lot.points, lot.remaining, lot.expired) for lot in rows]


def test_fifo_takes_earliest_expiry_first():
    open_lots = [
        OpenLot(1, 100, T0.replace(month=6)),
        OpenLot(2, 100, T0.replace(month=3)),
        OpenLot(3, 100, T0.replace(month=9)),
    ]
    assert fifo_takes(open_lots, 150) == [Take(2, 100), Take(1, 50)]
    with pytest.raises(ValueError):
        fifo_takes(open_lots, 301)


def test_split_refund_sends_expired_lots_share_to_expired():
    now = T0.replace(month=5)
    split = split_refund(
        [(Take(1, 40), T0.replace(month=4)), (Take(2, 60), T0.replace(month=7))], now
    )
    assert split.back_to_lots == [Take(2, 60)] and split.to_expired == [Take(1, 40)]


@pytest.fixture
def wallet(service):
    employee(service)
    item(service, points=100)
    grant(service, "E1001", 100, validity_days=200)  # expires last
    grant(service, "E1001", 100, validity_days=30)  # expires first
    grant(service, "E1001", 100, validity_days=100)
    return service


def test_orders_consume_the_lots_that_expire_first(wallet):
    wallet.place_order(order_request("E1001", "card-100", 200, quantity=2), None)
    assert lots(wallet) == [(100, 100, 0), (100, 0, 0), (100, 0, 0)]
    assert wallet.audit_report().ok


def test_refund_returns_points_to_the_lots_that_paid(wallet):
    order = wallet.place_order(order_request("E1001", "card-100", 100), None).order
    assert lots(wallet) == [(100, 100, 0), (100, 0, 0), (100, 100, 0)]
    wallet.transition(order.order_id, "reject", reason="item discontinued")
    assert lots(wallet) == [(100, 100, 0), (100, 100, 0), (100, 100, 0)]
    assert wallet.audit_report().ok


def test_refund_to_an_already_expired_lot_goes_straight_to_expired(wallet, clock):
    order = wallet.place_order(order_request("E1001", "card-100", 200, quantity=2), None).order
    clock.advance(days=60)  # the 30-day lot has expired while the order was pending
    wallet.transition(order.order_id, "reject", reason="out of stock at supplier")
    assert lots(wallet) == [(100, 100, 0), (100, 0, 100), (100, 100, 0)]
    assert wallet.employee("E1001")["balance"] == 200
    assert wallet.audit_report().ok


def test_expiry_runs_once_however_often_it_is_run(wallet, clock):
    clock.advance(days=31)
    first = wallet.run_expiry()
    second = wallet.run_expiry()
    assert (first.expired_points, first.lots) == (100, 1)
    assert (second.expired_points, second.lots) == (0, 0)
    assert wallet.employee("E1001")["balance"] == 200
    assert lots(wallet)[1] == (100, 0, 100)
    assert wallet.audit_report().ok


def test_expiry_takes_only_what_is_left_of_a_partly_spent_lot(wallet, clock):
    wallet.place_order(order_request("E1001", "card-100", 100), None)
    grant(wallet, "E1001", 50, validity_days=10)
    wallet.place_order(order_request("E1001", "card-100", 100), None)
    # The 10-day lot (50) went entirely and 50 came from the 100-day lot.
    clock.advance(days=101)
    assert wallet.run_expiry().expired_points == 50
    assert wallet.employee("E1001")["balance"] == 100
    assert wallet.audit_report().ok


def test_expired_but_not_yet_collected_points_cannot_be_spent(wallet, clock):
    clock.advance(days=150)  # two of three lots past expiry, job not run
    placement = wallet.place_order(order_request("E1001", "card-100", 200, quantity=2), None)
    assert placement.refusal is ErrorCode.INSUFFICIENT_POINTS
    assert wallet.audit_report().ok


def test_negative_adjustment_never_goes_below_zero(wallet):
    with pytest.raises(LedgerError) as err:
        wallet.adjust(
            AdjustmentIn(adjustment_id="fix-1", employee_id="E1001", points=-301, reason="typo")
        )
    assert err.value.code is ErrorCode.INSUFFICIENT_POINTS
    wallet.adjust(AdjustmentIn(adjustment_id="fix-2", employee_id="E1001", points=-250, reason="r"))
    assert wallet.employee("E1001")["balance"] == 50
    assert wallet.audit_report().ok


def test_adjustments_are_idempotent_by_id(wallet):
    body = AdjustmentIn(adjustment_id="bonus-7", employee_id="E1001", points=40, reason="bonus")
    assert wallet.adjust(body)[1] is True
    assert wallet.adjust(body)[1] is False
    assert wallet.employee("E1001")["balance"] == 340
    with pytest.raises(LedgerError) as err:
        wallet.adjust(body.model_copy(update={"points": 41}))
    assert err.value.code is ErrorCode.IDEMPOTENCY_MISMATCH


def test_a_spend_leaves_no_stale_wallet_or_lot_in_the_session(wallet):
    # The debit writes with Core statements; ORM copies the caller holds must not lie.
    with wallet.db.write() as session:
        account = lock_wallet(session, "E1001")
        worker = get_employee(session, "E1001")
        held = session.scalars(select(Lot).where(Lot.employee_id == "E1001").order_by(Lot.id))
        held_lots = list(held)
        transfer = spend(
            session, worker, 150, wallet.clock(), target=ADJUSTMENT, kind="adjust", memo="m"
        )
        assert account.balance == 150
        assert [lot.remaining for lot in held_lots] == [100, 0, 50]
        assert (transfer.amount, transfer.to_account, transfer.memo) == (150, ADJUSTMENT, "m")
    assert lots(wallet) == [(100, 100, 0), (100, 0, 0), (100, 50, 0)]
    assert wallet.audit_report().ok
