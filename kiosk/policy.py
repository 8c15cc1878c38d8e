"""Why a kiosk refuses an order before it ever reaches the ledger: plain rules, no I/O.

Online, the kiosk checks what it knows (price, balance, stock, limits) so a worker is not
promised what the ledger will refuse. Offline it also applies the floor limits of brief §5:
per order, per worker between syncs and per kiosk in total, and none at all once the kiosk
has gone too long without a successful sync.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import OrderRefused, Refusal
from sync.protocol import KioskSettings

__all__ = ["OfflineExposure", "OrderRefused", "Refusal", "offline_refusal"]


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
