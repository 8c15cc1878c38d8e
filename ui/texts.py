"""Words for what the core reports: login problems, refusals, order states, categories.

Kept in one place so every screen says the same thing, in the current language.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QCoreApplication

from kiosk.errors import LoginError, LoginProblem, OrderRefused, Refusal
from kiosk.order_states import KioskOrderStatus


# Spelled out at every call (not wrapped) so that pyside6-lupdate finds each string.
def login_error(error: LoginError) -> str:
    """A friendly sentence for a refused login."""
    problem = error.problem
    if problem is LoginProblem.WRONG_PIN:
        return QCoreApplication.translate("Messages", "Wrong PIN. Attempts left: %1").replace(
            "%1", str(error.attempts_left or 0)
        )
    if problem is LoginProblem.LOCKED:
        seconds = int((error.retry_after or timedelta()).total_seconds())
        return QCoreApplication.translate(
            "Messages", "Too many wrong PINs. Try again in %1 seconds."
        ).replace("%1", str(seconds))
    return {
        LoginProblem.MALFORMED: QCoreApplication.translate(
            "Messages", "This is not a badge we know. Please scan your work badge."
        ),
        LoginProblem.BAD_SIGNATURE: QCoreApplication.translate(
            "Messages", "This badge is not valid here. Please ask HR."
        ),
        LoginProblem.NOT_ENROLLED: QCoreApplication.translate(
            "Messages", "This kiosk is not set up yet. Please call IT."
        ),
        LoginProblem.REVOKED: QCoreApplication.translate(
            "Messages", "This badge has been cancelled. Please ask HR for a new one."
        ),
        LoginProblem.UNKNOWN_BADGE: QCoreApplication.translate(
            "Messages", "This card is not registered. Please ask HR."
        ),
        LoginProblem.UNKNOWN_EMPLOYEE: QCoreApplication.translate(
            "Messages", "We do not know this employee yet. Please try again later or ask HR."
        ),
        LoginProblem.INACTIVE: QCoreApplication.translate(
            "Messages", "This account is not active. Please ask HR."
        ),
        LoginProblem.NO_PIN: QCoreApplication.translate(
            "Messages", "No PIN is set for this employee. Please use your badge."
        ),
        LoginProblem.NEEDS_NETWORK: QCoreApplication.translate(
            "Messages",
            "A PIN can only be checked while the kiosk is online. Please use your badge.",
        ),
    }[problem]


def refusal(error: OrderRefused) -> str:
    """A friendly sentence for an order the kiosk will not take."""
    reason, needed = error.reason, error.needed
    if reason is Refusal.INSUFFICIENT_POINTS:
        return QCoreApplication.translate("Messages", "You need %1 more points for this.").replace(
            "%1", f"{needed or 0:,}"
        )
    return {
        Refusal.UNKNOWN_ITEM: QCoreApplication.translate(
            "Messages", "This item is no longer in the catalogue."
        ),
        Refusal.ITEM_INACTIVE: QCoreApplication.translate(
            "Messages", "This item is no longer offered."
        ),
        Refusal.INVALID_QUANTITY: QCoreApplication.translate(
            "Messages", "Please choose a quantity from 1 to 99."
        ),
        Refusal.EMPLOYEE_INACTIVE: QCoreApplication.translate(
            "Messages", "This account is not active. Please ask HR."
        ),
        Refusal.INSUFFICIENT_POINTS: "",
        Refusal.OUT_OF_STOCK: QCoreApplication.translate(
            "Messages", "Sorry, not enough of this item is left."
        ),
        Refusal.LIMIT_REACHED: QCoreApplication.translate(
            "Messages", "You have reached the limit for this item in this period."
        ),
        Refusal.PIN_REQUIRED: QCoreApplication.translate(
            "Messages", "Please enter your PIN to confirm this order."
        ),
        Refusal.PIN_NEEDS_NETWORK: QCoreApplication.translate(
            "Messages",
            "This order needs your PIN, and a PIN can only be checked while the kiosk is online.",
        ),
        Refusal.OFFLINE_ORDER_LIMIT: QCoreApplication.translate(
            "Messages",
            "The kiosk is offline: orders above %1 points must wait until it reconnects.",
        ).replace("%1", f"{needed or 0:,}"),
        Refusal.OFFLINE_WORKER_LIMIT: QCoreApplication.translate(
            "Messages", "The kiosk is offline: you can spend %1 more points until it reconnects."
        ).replace("%1", f"{needed or 0:,}"),
        Refusal.OFFLINE_KIOSK_LIMIT: QCoreApplication.translate(
            "Messages", "The kiosk is offline and has reached its limit. Please try again later."
        ),
        Refusal.OFFLINE_TOO_LONG: QCoreApplication.translate(
            "Messages",
            "The kiosk has been offline too long to take orders. Please try again later.",
        ),
        Refusal.NOT_ENROLLED: QCoreApplication.translate(
            "Messages", "This kiosk is not set up yet. Please call IT."
        ),
        Refusal.KIOSK_DISABLED: QCoreApplication.translate(
            "Messages", "This kiosk has been disabled. Please use another one."
        ),
        Refusal.UNKNOWN_ORDER: QCoreApplication.translate("Messages", "This order was not found."),
        Refusal.NOT_CANCELLABLE: QCoreApplication.translate(
            "Messages", "This order can no longer be cancelled."
        ),
    }[reason]


def order_status(status: KioskOrderStatus, offline: bool = False) -> str:
    """An order's state in words; a queued one says whether it waits for the network."""
    if status is KioskOrderStatus.QUEUED:
        return (
            QCoreApplication.translate("Messages", "Queued offline")
            if offline
            else QCoreApplication.translate("Messages", "Sending")
        )
    return {
        KioskOrderStatus.PENDING: QCoreApplication.translate("Messages", "Waiting for HR"),
        KioskOrderStatus.APPROVED: QCoreApplication.translate("Messages", "Approved"),
        KioskOrderStatus.FULFILLED: QCoreApplication.translate("Messages", "Fulfilled"),
        KioskOrderStatus.REJECTED: QCoreApplication.translate("Messages", "Rejected"),
        KioskOrderStatus.CANCELLED: QCoreApplication.translate("Messages", "Cancelled"),
        KioskOrderStatus.REVERSED: QCoreApplication.translate(
            "Messages", "Reversed, points refunded"
        ),
    }[status]


def rejection_reason(code: str | None) -> str:
    """Why the ledger rejected an order (stable codes, or HR's own words)."""
    if not code:
        return ""
    known = {
        "insufficient_points": QCoreApplication.translate("Messages", "not enough points"),
        "out_of_stock": QCoreApplication.translate("Messages", "out of stock"),
        "limit_reached": QCoreApplication.translate("Messages", "limit reached"),
        "price_changed": QCoreApplication.translate("Messages", "the price changed"),
        "item_inactive": QCoreApplication.translate("Messages", "no longer offered"),
        "employee_inactive": QCoreApplication.translate("Messages", "account not active"),
        "evidence_invalid": QCoreApplication.translate(
            "Messages", "the badge or card was not valid"
        ),
        "device_cap_reached": QCoreApplication.translate(
            "Messages", "this kiosk has reached its limit for now"
        ),
    }
    return known.get(code, code)


def category(name: str | None) -> str:
    return {
        None: QCoreApplication.translate("Messages", "All"),
        "physical": QCoreApplication.translate("Messages", "Goods"),
        "virtual": QCoreApplication.translate("Messages", "Rights"),
        "service": QCoreApplication.translate("Messages", "Services"),
    }.get(name, name or "")


def period(name: str) -> str:
    """A limit or cap period, as in "a month"."""
    return {
        "month": QCoreApplication.translate("Messages", "month"),
        "quarter": QCoreApplication.translate("Messages", "quarter"),
        "year": QCoreApplication.translate("Messages", "year"),
    }.get(name, name)


def entry_kind(kind: str) -> str:
    return {
        "earn": QCoreApplication.translate("Messages", "Earned"),
        "hold": QCoreApplication.translate("Messages", "Redeemed"),
        "refund": QCoreApplication.translate("Messages", "Refunded"),
        "expire": QCoreApplication.translate("Messages", "Expired"),
        "adjust": QCoreApplication.translate("Messages", "Adjustment"),
    }.get(kind, kind)


def next_steps(category: str) -> str:
    """What happens after an order, by the kind of reward."""
    return {
        "physical": QCoreApplication.translate(
            "Messages",
            "Once HR has confirmed it, collect it at the HR counter: show this code there.",
        ),
        "virtual": QCoreApplication.translate(
            "Messages",
            "Once HR has confirmed it, HR books it for you: leave days with your team lead, "
            "courses and memberships in your name. Keep this code.",
        ),
        "service": QCoreApplication.translate(
            "Messages",
            "Once HR has confirmed it, HR arranges the service with you. Keep this code.",
        ),
    }.get(
        category,
        QCoreApplication.translate(
            "Messages", "HR will tell you when it is ready. Keep this code."
        ),
    )
