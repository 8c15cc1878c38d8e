"""The states the kiosk keeps for its orders and for its outbox rows.

The values are the text stored in the kiosk's SQLite file, so they never change. Plain Python
with nothing heavy to import: the screens compare against these without loading the store.
"""

from __future__ import annotations

from enum import StrEnum


class KioskOrderStatus(StrEnum):
    """An order as this kiosk knows it: the ledger's status, or queued until it answers."""

    QUEUED = "queued"  # placed here, not answered by the ledger yet
    PENDING = "pending"
    APPROVED = "approved"
    FULFILLED = "fulfilled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    REVERSED = "reversed"  # handed over, then taken back by HR with the points refunded


class CodesState(StrEnum):
    """Where a visit's codes are, as the "My orders" screen says it (kept in memory only)."""

    NONE = "none"  # no fulfilled order: nothing to ask for, nothing shown
    LOADING = "loading"  # being asked of the ledger
    SHOWN = "shown"  # the ledger answered (codes of orders without one are simply absent)
    UNAVAILABLE = "unavailable"  # offline or the ledger down: at a later visit
    REFUSED = "refused"  # the ledger would not answer for this worker (``refusal`` says why)


# A worker may still cancel these: HR has not acted on them yet.
CANCELLABLE = frozenset({KioskOrderStatus.QUEUED, KioskOrderStatus.PENDING})


class OutboxState(StrEnum):
    """Where a row of the outbox stands."""

    QUEUED = "queued"  # not answered yet
    DELIVERED = "delivered"  # the ledger has it
    REJECTED = "rejected"  # the ledger refused it, with the reason beside it
