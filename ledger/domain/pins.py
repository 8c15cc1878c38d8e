"""Workers' PINs, checked here only: a lockout per employee across kiosks, single-use tokens.

Kiosks never see a PIN hash. A kiosk sends the typed PIN; a right one earns a token bound to
that employee and that kiosk, valid a few minutes and spent by the first order (or sign-in)
that shows it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict, LedgerError
from ledger.storage.models import Employee, PinLock, PinToken
from sync.protocol import ErrorCode

PIN_ATTEMPTS = 5
# After the fifth wrong PIN the employee waits 30 s, then 60 s, 120 s … up to an hour.
FIRST_LOCKOUT = timedelta(seconds=30)
MAX_LOCKOUT = timedelta(hours=1)
TOKEN_TTL = timedelta(minutes=5)


@dataclass(frozen=True)
class PinRecord:
    """What a check needs to read first (outside any write transaction)."""

    pin_hash: str | None
    locked_until: datetime | None


@dataclass(frozen=True)
class PinPass:
    token: str
    expires_at: datetime


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def locked(until: datetime, now: datetime) -> LedgerError:
    wait = max(1, round((until - now).total_seconds()))
    return LedgerError(
        ErrorCode.PIN_LOCKED,
        "too many wrong PINs; try again later",
        status=423,
        # Seconds as well as the time: a kiosk's clock may not agree with ours.
        details={"locked_until": until.isoformat(), "retry_after": wait},
    )


def read_record(session: Session, employee_id: str) -> PinRecord | None:
    """The PIN hash and lockout of an employee, or None when there is no such employee."""
    employee = session.get(Employee, employee_id)
    if employee is None or not employee.active:
        return None
    lock = session.get(PinLock, employee_id)
    return PinRecord(employee.pin_hash, lock.locked_until if lock is not None else None)


def record_check(
    session: Session, employee_id: str, device_id: str, matched: bool, now: datetime
) -> PinPass | LedgerError:
    """Count the outcome under the employee's row lock; a pass, or the refusal to raise
    once the count has committed.

    The lockout is read again here: a kiosk that verified while another locked the account
    gets the lockout, not a token.
    """
    employee = session.get(Employee, employee_id, with_for_update=True)
    if employee is None:
        raise Conflict(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {employee_id}")
    lock = session.get(PinLock, employee_id, with_for_update=True)
    if lock is None:
        lock = PinLock(employee_id=employee_id, failures=0)
        session.add(lock)
    if lock.locked_until is not None and lock.locked_until > now:
        return locked(lock.locked_until, now)
    if not matched:
        lock.failures += 1
        lock.last_failure_at = now
        if lock.failures >= PIN_ATTEMPTS:
            wait = FIRST_LOCKOUT * 2 ** min(lock.failures - PIN_ATTEMPTS, 8)
            lock.locked_until = now + min(wait, MAX_LOCKOUT)
            return locked(lock.locked_until, now)
        left = PIN_ATTEMPTS - lock.failures
        return LedgerError(
            ErrorCode.PIN_WRONG, "wrong PIN", status=401, details={"attempts_left": left}
        )
    lock.failures = 0
    lock.locked_until = None
    session.execute(delete(PinToken).where(PinToken.expires_at < now - TOKEN_TTL))
    token = secrets.token_urlsafe(24)
    session.add(
        PinToken(
            token_hash=token_digest(token),
            employee_id=employee_id,
            device_id=device_id,
            issued_at=now,
            expires_at=now + TOKEN_TTL,
        )
    )
    return PinPass(token, now + TOKEN_TTL)


def forget_failures(session: Session, employee_id: str, now: datetime) -> bool:
    """After HR set or cleared a worker's PIN: wrong PINs counted so far and PIN tokens not
    yet spent no longer count. Returns whether a lockout was lifted."""
    lock = session.get(PinLock, employee_id, with_for_update=True)
    lifted = lock is not None and lock.locked_until is not None and lock.locked_until > now
    if lock is not None:
        lock.failures = 0
        lock.locked_until = None
    session.execute(
        delete(PinToken).where(PinToken.employee_id == employee_id, PinToken.used_at.is_(None))
    )
    session.flush()
    return lifted


def spend_token(
    session: Session, token: str, employee_id: str, device_id: str, now: datetime
) -> bool:
    """Use up a PIN token if it is this employee's, from this kiosk, and still fresh."""
    return spend_token_hash(session, token_digest(token), employee_id, device_id, now)


def spend_token_hash(
    session: Session, token_hash: str, employee_id: str, device_id: str, now: datetime
) -> bool:
    """:func:`spend_token` by the token's digest."""
    row = session.get(PinToken, token_hash, with_for_update=True)
    if (
        row is None
        or row.used_at is not None
        or row.expires_at <= now
        or row.employee_id != employee_id
        or row.device_id != device_id
    ):
        return False
    row.used_at = now
    return True
