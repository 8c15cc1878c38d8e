"""Account names and transfer kinds as the ledger stores them.

They live at the storage level because more than Python reads them: the schema creates the
system accounts, and the PostgreSQL functions in ``ledger/storage/sql/`` are rendered with
them (see :mod:`ledger.storage.pg_functions`), so each name is written once.
"""

from __future__ import annotations

from enum import StrEnum

WALLET_PREFIX = "wallet:"

ISSUANCE = "issuance"
ORDERS_HELD = "orders_held"
REDEEMED = "redeemed"
EXPIRED = "expired"
ADJUSTMENT = "adjustment"

SYSTEM_ACCOUNTS = (ISSUANCE, ORDERS_HELD, REDEEMED, EXPIRED, ADJUSTMENT)


class TransferKind(StrEnum):
    """What a transfer was for; stored in ``transfers.kind``."""

    EARN = "earn"
    HOLD = "hold"
    REFUND = "refund"
    REFUND_EXPIRED = "refund_expired"
    EXPIRE = "expire"
    ADJUST = "adjust"
    REDEEM = "redeem"


# Transfer kinds that move a wallet: the lines of a worker's history.
WALLET_KINDS: tuple[str, ...] = tuple(
    kind.value
    for kind in (
        TransferKind.EARN,
        TransferKind.HOLD,
        TransferKind.REFUND,
        TransferKind.EXPIRE,
        TransferKind.ADJUST,
    )
)


def wallet_id(employee_id: str) -> str:
    """The account id of an employee's wallet."""
    return f"{WALLET_PREFIX}{employee_id}"
