"""The ledger's invariants, checked from the rows themselves."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Subquery, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from ledger.domain.wallets import ORDERS_HELD
from ledger.storage.models import Account, Lot, LotAllocation, Order, Transfer
from sync.protocol import OPEN_ORDER_STATUSES


@dataclass
class AuditReport:
    accounts_sum: int
    negative_wallets: list[str]
    lot_mismatches: list[dict[str, object]]
    balance_mismatches: list[dict[str, object]] = field(default_factory=list)
    held_mismatch: int = 0

    @property
    def ok(self) -> bool:
        return (
            self.accounts_sum == 0
            and not self.negative_wallets
            and not self.lot_mismatches
            and not self.balance_mismatches
            and self.held_mismatch == 0
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "accounts_sum": self.accounts_sum,
            "negative_wallets": self.negative_wallets,
            "lot_mismatches": self.lot_mismatches,
            "balance_mismatches": self.balance_mismatches,
            "held_mismatch": self.held_mismatch,
        }


def _movements() -> Subquery:
    credits = select(Transfer.to_account.label("account"), Transfer.amount.label("delta"))
    debits = select(
        Transfer.from_account.label("account"), (literal(0) - Transfer.amount).label("delta")
    )
    return union_all(credits, debits).subquery()


def run_audit(session: Session) -> AuditReport:
    """Sum every account from transfers and compare with wallets, lots and open orders."""
    moves = _movements()
    by_account = {
        account: int(total)
        for account, total in session.execute(
            select(moves.c.account, func.sum(moves.c.delta)).group_by(moves.c.account)
        )
    }
    accounts_sum = sum(by_account.values())
    wallets = [
        (account, employee, balance)
        for account, employee, balance in session.execute(
            select(Account.id, Account.employee_id, Account.balance).where(
                Account.employee_id.is_not(None)
            )
        )
        if employee is not None  # as the query asks; this tells the type checker
    ]
    negative = sorted(
        employee
        for account, employee, balance in wallets
        if balance < 0 or by_account.get(account, 0) < 0
    )
    balance_mismatches: list[dict[str, object]] = [
        {"employee_id": employee, "cached": balance, "from_transfers": by_account.get(account, 0)}
        for account, employee, balance in wallets
        if balance != by_account.get(account, 0)
    ]
    lot_sums = dict(
        session.execute(
            select(Lot.employee_id, func.sum(Lot.remaining)).group_by(Lot.employee_id)
        ).all()
    )
    lot_mismatches: list[dict[str, object]] = [
        {"employee_id": employee, "wallet": balance, "lots": int(lot_sums.get(employee) or 0)}
        for _, employee, balance in wallets
        if balance != int(lot_sums.get(employee) or 0)
    ]
    allocated = (
        select(LotAllocation.lot_id, func.sum(LotAllocation.points).label("taken"))
        .group_by(LotAllocation.lot_id)
        .subquery()
    )
    taken = func.coalesce(allocated.c.taken, 0)
    broken_lots = session.execute(
        select(Lot.id, Lot.points, Lot.remaining, Lot.expired, taken)
        .outerjoin(allocated, allocated.c.lot_id == Lot.id)
        .where(
            (Lot.points != Lot.remaining + Lot.expired + taken)
            | (Lot.remaining < 0)
            | (case((taken < 0, 1), else_=0) == 1)
        )
    ).all()
    lot_mismatches += [
        {"lot_id": lot_id, "points": pts, "remaining": rem, "expired": exp, "taken": int(tk)}
        for lot_id, pts, rem, exp, tk in broken_lots
    ]
    open_points = int(
        session.scalar(
            select(func.coalesce(func.sum(Order.points), 0)).where(
                Order.status.in_([s.value for s in OPEN_ORDER_STATUSES])
            )
        )
        or 0
    )
    return AuditReport(
        accounts_sum=accounts_sum,
        negative_wallets=negative,
        lot_mismatches=lot_mismatches,
        balance_mismatches=balance_mismatches,
        held_mismatch=by_account.get(ORDERS_HELD, 0) - open_points,
    )
