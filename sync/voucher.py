"""Order vouchers: a short code a person can read out and type, and the QR text for scanners.

Both derive from the order id alone, so the kiosk can print a voucher offline and the ledger
can find the order from either.
"""

from __future__ import annotations

import uuid

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
QR_PREFIX = "PKO1"


def voucher_code(order_id: str) -> str:
    """``XXXX-XXXX-XXXX``: the first 60 bits of the order id in Crockford base32."""
    number = uuid.UUID(order_id).int >> 68
    chars = "".join(_CROCKFORD[(number >> shift) & 31] for shift in range(55, -5, -5))
    return f"{chars[0:4]}-{chars[4:8]}-{chars[8:12]}"


def voucher_qr_text(order_id: str) -> str:
    """What the voucher's QR code holds: the full order id, so a scan is unambiguous."""
    return f"{QR_PREFIX}.{uuid.UUID(order_id)}"
