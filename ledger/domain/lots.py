"""Which lots pay for a spend and where a refund goes back: pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class OpenLot:
    id: int
    remaining: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Take:
    lot_id: int
    points: int


def fifo_takes(lots: Iterable[OpenLot], amount: int) -> list[Take]:
    """Take ``amount`` from the lots that expire first (ties: older lot first).

    Raises ``ValueError`` if the lots hold less than ``amount``.
    """
    if amount <= 0:
        raise ValueError("amount must be positive")
    takes: list[Take] = []
    left = amount
    for lot in sorted(lots, key=lambda lot: (lot.expires_at, lot.id)):
        if left == 0:
            break
        if lot.remaining <= 0:
            continue
        take = min(lot.remaining, left)
        takes.append(Take(lot.id, take))
        left -= take
    if left:
        raise ValueError(f"lots short by {left}")
    return takes


@dataclass(frozen=True, slots=True)
class RefundSplit:
    back_to_lots: list[Take]
    to_expired: list[Take]

    @property
    def back_points(self) -> int:
        return sum(t.points for t in self.back_to_lots)

    @property
    def expired_points(self) -> int:
        return sum(t.points for t in self.to_expired)


def split_refund(net_taken: Sequence[tuple[Take, datetime]], now: datetime) -> RefundSplit:
    """Give each lot back what it paid; a lot already past its expiry sends it to expired."""
    back = [take for take, expires_at in net_taken if take.points > 0 and expires_at > now]
    gone = [take for take, expires_at in net_taken if take.points > 0 and expires_at <= now]
    return RefundSplit(back, gone)
