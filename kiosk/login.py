"""Who is at the kiosk: signed QR badges and RFID cards checked here (offline too), and PINs,
which only the ledger checks (:mod:`kiosk.pin_check`).

Every refusal is a ``LoginError`` with a ``LoginProblem`` (``kiosk/errors.py``) the UI
translates; nothing else is raised for anything a scanner or a keypad can type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import LoginError, LoginProblem
from kiosk.pin_check import PinChecker
from kiosk.store.database import Store
from kiosk.store.models import Badge, Device, Employee
from sync import badge_codec
from sync.protocol import Evidence

MAX_SCAN = 512
_UID = re.compile(r"^[0-9A-Z]{4,32}$")
_EMPLOYEE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


Method = Literal["qr", "rfid", "pin"]


@dataclass(frozen=True)
class Identity:
    """A worker the kiosk has recognised."""

    employee_id: str
    name: str
    language: str
    method: Method
    badge_serial: str | None
    pin_verified: bool
    maintenance: bool = False  # an IT maintenance badge: the kiosk's panel, not a wallet
    # The ledger's single-use proof of the PIN typed in this visit, spent by the next order.
    pin_token: str | None = None
    # What the badge or card showed, for the ledger to check again with each order.
    badge_evidence: Evidence | None = None


def normalize_uid(text: str) -> str | None:
    """The ledger's spelling of a card UID (hex digits, upper case), or None if it is not one."""
    cleaned = re.sub(r"[\s:-]", "", text).upper()
    return cleaned if _UID.match(cleaned) else None


def _identity(
    session: Session, employee_id: str, method: Method, serial: str | None, pin: bool = False
) -> Identity:
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise LoginError(LoginProblem.UNKNOWN_EMPLOYEE)
    if not employee.active:
        raise LoginError(LoginProblem.INACTIVE)
    return Identity(employee.id, employee.name, employee.language, method, serial, pin)


def login(store: Store, scan_text: str) -> Identity:
    """Identify the worker from what a scanner typed: a signed QR badge or an RFID UID."""
    if not isinstance(scan_text, str) or len(scan_text) > MAX_SCAN:
        raise LoginError(LoginProblem.MALFORMED)
    text = scan_text.strip()
    with store.read() as session:
        if badge_codec.looks_like_badge(text):
            device = session.get(Device, 1)
            if device is None:
                raise LoginError(LoginProblem.NOT_ENROLLED)
            try:
                claim = badge_codec.verify(
                    text, badge_codec.verifying_key_from_text(device.badge_public_key)
                )
            except badge_codec.BadgeError as exc:
                problem = (
                    LoginProblem.BAD_SIGNATURE
                    if exc.problem is badge_codec.BadgeProblem.BAD_SIGNATURE
                    else LoginProblem.MALFORMED
                )
                raise LoginError(problem) from None
            except ValueError:
                raise LoginError(LoginProblem.NOT_ENROLLED) from None
            badge = session.get(Badge, claim.serial)
            # A badge issued after our last sync is unknown here but validly signed: accept.
            if badge is not None and (
                badge.revoked
                or badge.employee_id != claim.employee_id
                or (badge.kind == "admin") != claim.admin
            ):
                raise LoginError(LoginProblem.REVOKED)
            identity = _identity(session, claim.employee_id, "qr", claim.serial)
            shown = Evidence(kind="qr", value=text)
            return replace(identity, maintenance=claim.admin, badge_evidence=shown)
        uid = normalize_uid(text)
        if uid is None:
            raise LoginError(LoginProblem.MALFORMED)
        cards = session.scalars(
            select(Badge).where(Badge.kind == "rfid", Badge.uid == uid).order_by(Badge.revoked)
        ).all()
        if not cards:
            raise LoginError(LoginProblem.UNKNOWN_BADGE)
        if cards[0].revoked:
            raise LoginError(LoginProblem.REVOKED)
        identity = _identity(session, cards[0].employee_id, "rfid", cards[0].serial)
        return replace(identity, badge_evidence=Evidence(kind="rfid", value=uid))


def login_with_pin(store: Store, employee_id: str, pin: str, checker: PinChecker) -> Identity:
    """Identify a worker by employee number and PIN (the keypad fallback); the ledger checks
    the PIN, so this needs the network."""
    if not isinstance(employee_id, str) or not _EMPLOYEE.match(employee_id):
        raise LoginError(LoginProblem.UNKNOWN_EMPLOYEE)
    with store.read() as session:
        _identity(session, employee_id, "pin", None)  # known here and active
    passed = checker(employee_id, pin)
    with store.read() as session:
        identity = _identity(session, employee_id, "pin", None, pin=True)
    return replace(identity, pin_token=passed.token)
