"""Why the kiosk core says no: typed errors a screen can translate.

Plain Python with nothing heavy to import, so the UI can catch and word these without loading
the store (SQLAlchemy) or the sync client.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class LoginProblem(StrEnum):
    MALFORMED = "malformed"  # neither a badge nor a card number
    BAD_SIGNATURE = "bad_signature"  # looks like a badge, not signed by our ledger
    NOT_ENROLLED = "not_enrolled"  # this kiosk has no badge key yet
    REVOKED = "revoked"
    UNKNOWN_BADGE = "unknown_badge"  # a card this kiosk does not know
    UNKNOWN_EMPLOYEE = "unknown_employee"
    INACTIVE = "inactive"
    NO_PIN = "no_pin"  # the employee has no PIN set
    WRONG_PIN = "wrong_pin"
    LOCKED = "locked"  # too many wrong PINs; wait ``retry_after``
    NEEDS_NETWORK = "needs_network"  # PINs are checked by the ledger, which is out of reach


class LoginError(Exception):
    """A refused login; ``problem`` says why, in a form the UI can translate."""

    def __init__(
        self,
        problem: LoginProblem,
        *,
        attempts_left: int | None = None,
        retry_after: timedelta | None = None,
    ) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.attempts_left = attempts_left
        self.retry_after = retry_after


class EnrolmentProblem(StrEnum):
    """Why enrolling this kiosk failed, in a word the setup screen translates."""

    INVALID = "invalid"  # the server address or a field
    CODE = "code"  # the enrolment code is wrong, used or expired
    CERTIFICATE = "certificate"  # the ledger's TLS certificate is not trusted
    UNREACHABLE = "unreachable"
    REFUSED = "refused"


class Refusal(StrEnum):
    UNKNOWN_ITEM = "unknown_item"
    ITEM_INACTIVE = "item_inactive"
    INVALID_QUANTITY = "invalid_quantity"
    EMPLOYEE_INACTIVE = "employee_inactive"
    INSUFFICIENT_POINTS = "insufficient_points"
    OUT_OF_STOCK = "out_of_stock"
    LIMIT_REACHED = "limit_reached"
    PIN_REQUIRED = "pin_required"
    PIN_NEEDS_NETWORK = "pin_needs_network"  # above the PIN threshold while offline
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
