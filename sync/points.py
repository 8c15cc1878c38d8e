"""A worker's points, defined once for the kiosk, the ledger's API and the HR console."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Points:
    """What a worker has.

    ``balance`` is the wallet: an order moves its points out of it when it is placed, so the
    points ``held`` by orders waiting for HR (pending or approved) are never in it, and come
    back to it if the order is rejected or cancelled. What the worker can spend now is the
    balance; held points are theirs until the order is fulfilled, so the total counts both.
    """

    balance: int
    held: int

    @property
    def available(self) -> int:
        """What the worker can spend now (never shown below zero)."""
        return max(0, self.balance)

    @property
    def total(self) -> int:
        """Everything the worker has: spendable and held."""
        return self.available + self.held
