"""Why a kiosk refuses an order before it ever reaches the ledger: plain rules, no I/O.

Online, the kiosk checks what it knows (price, balance, stock, limits) so a worker is not
promised what the ledger will refuse. Offline it also applies the floor limits of brief §5:
per order, per worker between syncs and per kiosk in total, and none at all once the kiosk
has gone too long without a successful sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sync.protocol import KioskSettings


class Refusal(StrEnum):
    UNKNOWN_ITEM = "unknown_item"
    ITEM_INACTIVE = "item_inactive"
    INVALID_QUANTITY = "invalid_quantity"
    EMPLOYEE_INACTIVE = "employee_inactive"
    INSUFFICIENT_POINTS = "insufficient_points"
    OUT_OF_STOCK = "out_of_stock"
    LIMIT_REACHED = "limit_reached"
    PIN_REQUIRED = "pin_required"
    OFFLINE_ORDER_LIMIT = "offline_order_limit"
    OFFLINE_WORKER_LIMIT = "offline_worker_limit"
    OFFLINE_KIOSK_LIMIT = "offline_kiosk_limit"
    OFFLINE_TOO_LONG = "offline_too_long"
    NOT_ENROLLED = "not_enrolled"
    KIOSK_DISABLED = "kiosk_disabled"  # the ledger revoked this kiosk; it takes no orders
    UNKNOWN_ORDER = "unknown_order"
    NOT_CANCELLABLE = "not_cancellable"


class OrderRefused(Exception):
    """The kiosk will not place (or cancel) this order; ``reason`` is for the UI to translate.

    ``needed`` is the shortfall in points for INSUFFICIENT_POINTS, and the remaining
    allowance for the offline limits.
    """

    def __init__(self, reason: Refusal, needed: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.needed = needed


@dataclass(frozen=True)
class OfflineExposure:
    """Points this kiosk has promised offline that the ledger has not confirmed yet."""

    worker: int
    kiosk: int


def offline_refusal(
    settings: KioskSettings,
    points: int,
    exposure: OfflineExposure,
    seconds_since_sync: float | None,
) -> OrderRefused | None:
    """The refusal for an offline order of ``points``, or None if the floor limits allow it."""
    max_seconds = settings.offline_max_hours * 3600
    if seconds_since_sync is None or seconds_since_sync > max_seconds:
        return OrderRefused(Refusal.OFFLINE_TOO_LONG)
    if points > settings.offline_order_limit:
        return OrderRefused(Refusal.OFFLINE_ORDER_LIMIT, settings.offline_order_limit)
    if exposure.worker + points > settings.offline_spend_limit:
        left = max(0, settings.offline_spend_limit - exposure.worker)
        return OrderRefused(Refusal.OFFLINE_WORKER_LIMIT, left)
    if exposure.kiosk + points > settings.offline_kiosk_limit:
        left = max(0, settings.offline_kiosk_limit - exposure.kiosk)
        return OrderRefused(Refusal.OFFLINE_KIOSK_LIMIT, left)
    return None
