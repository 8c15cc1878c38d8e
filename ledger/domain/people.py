"""Employees and their badges (signed QR and RFID cards)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict, LedgerError, NotFound
from ledger.domain.wallets import get_employee, wallet_id
from ledger.storage.models import Account, Badge, Employee
from sync import badge_codec, pin_hash
from sync.protocol import EmployeeId, ErrorCode, Language, Text

_SERIAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_UID = re.compile(r"^[0-9A-Z]{4,32}$")


class EmployeeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text = Field(min_length=1, max_length=80)
    department: Text = Field(default="", max_length=80)
    language: Language = "zh"
    active: bool = True


EMPLOYEE_ID: TypeAdapter[str] = TypeAdapter(EmployeeId)


def valid_employee_id(employee_id: str) -> bool:
    """Whether ``employee_id`` is an employee number as the protocol has them."""
    try:
        EMPLOYEE_ID.validate_python(employee_id)
    except ValidationError:
        return False
    return True


def check_employee_id(employee_id: str) -> None:
    """Refuse a number the protocol (kiosks, badges, the API's paths) could not carry."""
    if not valid_employee_id(employee_id):
        raise LedgerError(
            ErrorCode.INVALID_REQUEST,
            "employee_id: 1 to 32 letters, digits, - or _ expected",
            status=422,
        )


def spec_of(employee: Employee) -> EmployeeSpec:
    """An employee's record as a spec (to change some fields and keep the rest)."""
    return EmployeeSpec.model_validate(
        {
            "name": employee.name,
            "department": employee.department,
            "language": employee.language,
            "active": employee.active,
        }
    )


def departments(session: Session) -> list[str]:
    """The departments employees belong to (derived from the employees; no table of its
    own), sorted here: the databases' collations order Chinese names differently."""
    query = select(Employee.department).where(Employee.department != "").distinct()
    return sorted(session.scalars(query))


def put_employee(session: Session, employee_id: str, spec: EmployeeSpec, now: datetime) -> Employee:
    """Create or update an employee; a new one gets an empty wallet.

    ``active=False`` deactivates: nothing else is touched here, the other parts read the
    flag. Kiosks refuse the worker's badges and PIN (``kiosk/login.py``, ``pins.read_record``),
    the ledger refuses their new orders (``placement``) and HR events (``rules``); points,
    lots (which still expire on their dates), badges, PIN and open orders are kept, so
    reactivating gives everything back as it was.
    """
    employee = session.get(Employee, employee_id)
    if employee is None:
        employee = Employee(id=employee_id, created_at=now, **spec.model_dump())
        session.add(employee)
        session.flush()
        session.add(Account(id=wallet_id(employee_id), employee_id=employee_id, balance=0))
    else:
        for key, value in spec.model_dump().items():
            setattr(employee, key, value)
    session.flush()
    return employee


def set_pin(session: Session, employee_id: str, pin: str | None) -> None:
    """Set (or with ``None`` clear) an employee's PIN; kiosks get the hash at their next sync."""
    employee = get_employee(session, employee_id)
    if pin is None:
        employee.pin_hash = None
    elif not pin_hash.valid_pin(pin):
        raise LedgerError(ErrorCode.INVALID_REQUEST, "pin: 4 to 8 digits expected", status=422)
    else:
        employee.pin_hash = pin_hash.hash_pin(pin)
    session.flush()


def normalize_uid(uid: str) -> str:
    """RFID readers type hex in either case, sometimes with separators: keep hex digits only."""
    cleaned = re.sub(r"[\s:-]", "", uid).upper()
    if not _UID.match(cleaned):
        raise LedgerError(
            ErrorCode.INVALID_REQUEST, "uid: 4-32 letters or digits expected", status=422
        )
    return cleaned


def new_serial() -> str:
    return "".join(secrets.choice(_SERIAL_ALPHABET) for _ in range(10))


def issue_badge(
    session: Session,
    employee_id: str,
    kind: str,
    now: datetime,
    key: Ed25519PrivateKey | None,
    uid: str | None = None,
) -> tuple[Badge, str | None]:
    """Issue a badge; returns it and, for a QR badge, the signed payload to print.

    ``admin`` badges open a kiosk's maintenance panel; they are QR badges of IT staff.
    """
    employee = get_employee(session, employee_id)
    payload = None
    if kind == "rfid":
        if uid is None:
            raise LedgerError(ErrorCode.INVALID_REQUEST, "uid: required for rfid", status=422)
        uid = normalize_uid(uid)
        taken = session.scalar(select(Badge).where(Badge.uid == uid, Badge.revoked_at.is_(None)))
        if taken is not None:
            raise Conflict(ErrorCode.UID_IN_USE, "this card is already issued; revoke it first")
    elif kind in ("qr", "admin"):
        if uid is not None:
            raise LedgerError(ErrorCode.INVALID_REQUEST, "uid: only for rfid badges", status=422)
        if key is None:
            raise RuntimeError("the badge key is needed to issue QR badges")
    else:
        raise LedgerError(ErrorCode.INVALID_REQUEST, "kind: qr, rfid or admin", status=422)
    serial = new_serial()
    while session.get(Badge, serial) is not None:
        serial = new_serial()
    badge = Badge(
        serial=serial, employee_id=employee.id, kind=kind, uid=uid, issued_at=now, revoked_at=None
    )
    session.add(badge)
    if kind in ("qr", "admin"):
        assert key is not None
        payload = badge_codec.encode(employee.id, serial, key, admin=kind == "admin")
    session.flush()
    return badge, payload


def revoke_badge(session: Session, serial: str, now: datetime) -> Badge:
    """Revoke a badge (idempotent); kiosks refuse it after their next sync."""
    badge = session.get(Badge, serial)
    if badge is None:
        raise NotFound(ErrorCode.UNKNOWN_BADGE, f"no badge {serial}")
    if badge.revoked_at is None:
        badge.revoked_at = now
    session.flush()
    return badge
