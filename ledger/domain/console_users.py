"""Console users: Argon2 password hashes, lockout after failed sign-ins, browser sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ledger.storage.models import ConsoleSession, ConsoleUser

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=10)  # one working day; then sign in again
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class ConsoleRole(StrEnum):
    HR = "hr"
    ADMIN = "admin"


@dataclass(frozen=True)
class SignInRefused:
    """Why a sign-in failed: ``wrong`` name or password, ``locked`` (until when), ``disabled``."""

    reason: str
    until: datetime | None = None


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class SignedIn:
    """Who a browser session belongs to, and the token its forms must carry."""

    user_id: int
    name: str
    role: ConsoleRole
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role is ConsoleRole.ADMIN


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session, name: str, role: ConsoleRole, password: str, now: datetime
) -> ConsoleUser:
    """A new console user; the password is kept only as an Argon2 hash."""
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError("a user name of 1 to 80 characters is needed")
    if session.scalar(select(ConsoleUser).where(ConsoleUser.name == name)) is not None:
        raise UserError(f"user {name!r} already exists")
    check_password(password)
    user = ConsoleUser(
        name=name,
        role=role.value,
        password_hash=_hasher.hash(password),
        failed_logins=0,
        locked_until=None,
        created_at=now,
        disabled_at=None,
    )
    session.add(user)
    session.flush()
    return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")


def set_disabled(session: Session, user_id: int, disabled: bool, now: datetime) -> ConsoleUser:
    user = session.get_one(ConsoleUser, user_id)
    user.disabled_at = now if disabled else None
    if disabled:
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
    return user


def sign_in(
    session: Session, name: str, password: str, now: datetime
) -> tuple[str, SignedIn] | SignInRefused:
    """Check the password and open a session: the cookie token and who signed in, or why not.

    A refusal is returned, not raised, so that the failure count it updated is committed.

    After MAX_FAILURES wrong passwords in a row the account is locked for LOCKOUT; the
    lock is kept in the database, so every ledger worker and a restart respect it.
    """
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.name == name.strip()))
    if user is None:
        _hasher.hash(password)  # about as slow as a real check: names cannot be probed by time
        return SignInRefused("wrong")
    if user.disabled_at is not None:
        return SignInRefused("disabled")
    if user.locked_until is not None and user.locked_until > now:
        return SignInRefused("locked", user.locked_until)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.failed_logins = 0
            user.locked_until = now + LOCKOUT
            return SignInRefused("locked", user.locked_until)
        return SignInRefused("wrong")
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    # Housekeeping: this user's sessions that have run out go when a new one starts.
    session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user.id, ConsoleSession.expires_at <= now
        )
    )
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return token, SignedIn(user.id, user.name, ConsoleRole(user.role), csrf)


def session_user(session: Session, token: str, now: datetime) -> SignedIn | None:
    """Who holds this session cookie, or None when it is unknown, expired or disabled."""
    row = session.get(ConsoleSession, _digest(token))
    if row is None or row.expires_at <= now:
        return None
    user = session.get(ConsoleUser, row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    return SignedIn(user.id, user.name, ConsoleRole(user.role), row.csrf_token)


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def list_users(session: Session) -> list[ConsoleUser]:
    return list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.name)))
