"""The order workflow after placement: approve, fulfil, reject and cancel (with refunds), and
an admin's reversal of a fulfilled order (refunded as a rejection is)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict, NotFound
from ledger.domain.wallets import (
    ORDERS_HELD,
    REDEEMED,
    for_update,
    get_employee,
    lock_wallet,
    refund_order,
)
from ledger.storage.changes import touch
from ledger.storage.models import Item, Order, Transfer
from sync.protocol import ErrorCode, OrderStatus


# Allowed transitions: action -> (from states, to state, refunds?)
class OrderAction(StrEnum):
    """What can be done to an order after placement (HR's three, a worker's cancel, an
    admin's reversal)."""

    APPROVE = "approve"
    FULFIL = "fulfil"
    REJECT = "reject"
    CANCEL = "cancel"
    REVERSE = "reverse"


_TRANSITIONS: dict[OrderAction, tuple[tuple[OrderStatus, ...], OrderStatus, bool]] = {
    OrderAction.APPROVE: ((OrderStatus.PENDING,), OrderStatus.APPROVED, False),
    OrderAction.FULFIL: ((OrderStatus.APPROVED,), OrderStatus.FULFILLED, False),
    OrderAction.REJECT: ((OrderStatus.PENDING, OrderStatus.APPROVED), OrderStatus.REJECTED, True),
    OrderAction.CANCEL: ((OrderStatus.PENDING,), OrderStatus.CANCELLED, True),
    OrderAction.REVERSE: ((OrderStatus.FULFILLED,), OrderStatus.REVERSED, True),
}


def allows(action: OrderAction | str, status: str) -> bool:
    """Whether an order in ``status`` may take ``action`` (a bulk change skips the others)."""
    sources, _target, _refunds = _TRANSITIONS[OrderAction(action)]
    return status in {s.value for s in sources}


def target_of(action: OrderAction | str) -> OrderStatus:
    """The state ``action`` leaves an order in."""
    return _TRANSITIONS[OrderAction(action)][1]


def transition(
    session: Session,
    order_id: str,
    action: OrderAction | str,
    now: datetime,
    reason: str | None = None,
) -> Order:
    """Move an order along its workflow; reject, cancel and reverse give the points back.

    A reversal refunds what the fulfilment redeemed, the way a rejection refunds a hold: each
    lot that paid gets its share back, or, if it has expired meanwhile, the share goes to
    ``expired``; the stock goes back too.
    """
    sources, target, refunds = _TRANSITIONS[OrderAction(action)]
    found = session.get(Order, order_id)
    if found is None:
        raise NotFound(ErrorCode.UNKNOWN_ORDER, f"no order {order_id}")
    wallet = lock_wallet(session, found.employee_id)
    order = session.scalar(for_update(select(Order).where(Order.id == order_id)))
    assert order is not None
    if OrderStatus(order.status) not in sources:
        raise Conflict(
            ErrorCode.INVALID_TRANSITION,
            f"cannot {action} an order that is {order.status}",
        )
    hold = session.scalar(
        select(Transfer).where(Transfer.order_id == order_id, Transfer.kind == "hold")
    )
    assert hold is not None, "an open order always has its hold"
    employee = get_employee(session, order.employee_id)
    if refunds:
        if OrderStatus(order.status) is OrderStatus.FULFILLED:
            redeem = session.scalar(
                select(Transfer).where(Transfer.order_id == order_id, Transfer.kind == "redeem")
            )
            assert redeem is not None, "a fulfilled order always has its redemption"
            refund_order(session, wallet, employee, order.id, redeem, now, source=REDEEMED)
        else:
            refund_order(session, wallet, employee, order.id, hold, now)
        item = session.scalar(for_update(select(Item).where(Item.id == order.item_id)))
        if item is not None and item.stock is not None:
            item.stock += order.quantity
            item.updated_at = now
    elif target is OrderStatus.FULFILLED:
        session.add(
            Transfer(
                from_account=ORDERS_HELD,
                to_account=REDEEMED,
                amount=order.points,
                kind="redeem",
                employee_id=order.employee_id,
                order_id=order.id,
                created_at=now,
            )
        )
        # Held points leave the employee's mirrored ``held``: the row must sync again.
        touch(employee)
    order.status = target.value
    order.updated_at = now
    if reason is not None:
        order.reason = reason
    session.flush()
    return order
