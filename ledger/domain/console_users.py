"""Console users: Argon2 password hashes, lockout after failed sign-ins, browser sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ledger.domain import passwords
from ledger.storage.models import ConsoleSession, ConsoleUser

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=10)  # one working day; then sign in again
SESSION_IDLE = timedelta(minutes=30)  # and sooner when the browser is left unused
SEEN_EVERY = timedelta(minutes=1)  # how stale last_seen_at may be before a request writes it
MIN_PASSWORD = passwords.MIN_LENGTH


class ConsoleRole(StrEnum):
    HR = "hr"
    ADMIN = "admin"


@dataclass(frozen=True)
class SignInRefused:
    """Why a sign-in failed: ``wrong`` name or password, ``locked`` (until when),
    ``disabled`` (only said after the right password), ``throttled`` (too many attempts)."""

    reason: str
    until: datetime | None = None


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


class PasswordRefused(UserError):
    """A new password the policy refuses; ``reason`` as in :class:`passwords.WeakPassword`."""

    def __init__(self, weak: passwords.WeakPassword) -> None:
        super().__init__(str(weak))
        self.reason = weak.reason


@dataclass(frozen=True)
class Credentials:
    """What a sign-in reads before it checks a password, outside any write transaction."""

    user_id: int | None  # None for an unknown name
    password_hash: str


@dataclass(frozen=True)
class SignedIn:
    """Who a browser session belongs to, and the token its forms must carry."""

    user_id: int
    name: str
    role: ConsoleRole
    csrf_token: str
    must_change_password: bool = False
    last_seen_at: datetime | None = None  # of the session, when read from its cookie

    @property
    def is_admin(self) -> bool:
        return self.role is ConsoleRole.ADMIN


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str, user_name: str = "") -> None:
    """Raise :class:`PasswordRefused` unless ``password`` is long and uncommon enough."""
    try:
        passwords.check_password(password, user_name)
    except passwords.WeakPassword as weak:
        raise PasswordRefused(weak) from None


def check_name(session: Session, name: str) -> str:
    """The new user's name, stripped; :class:`UserError` when empty, too long or taken."""
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError("a user name of 1 to 80 characters is needed")
    if session.scalar(select(ConsoleUser.id).where(ConsoleUser.name == name)) is not None:
        raise UserError(f"user {name!r} already exists")
    return name


def create_user(
    session: Session, name: str, role: ConsoleRole, password_hash: str, now: datetime
) -> ConsoleUser:
    """A new console user with an Argon2 hash made beforehand, outside the transaction."""
    user = ConsoleUser(
        name=check_name(session, name),
        role=role.value,
        password_hash=password_hash,
        failed_logins=0,
        locked_until=None,
        created_at=now,
        disabled_at=None,
        must_change_password=False,
    )
    session.add(user)
    session.flush()
    return user


def set_disabled(session: Session, user_id: int, disabled: bool, now: datetime) -> ConsoleUser:
    """Disable (ending every session of the user at once) or enable a user."""
    user = session.get_one(ConsoleUser, user_id)
    user.disabled_at = now if disabled else None
    if disabled:
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
    return user


def credentials(session: Session, name: str) -> Credentials:
    """The stored hash to check a sign-in against; a dummy one for an unknown name, so that
    unknown names take as long as known ones and cannot be told apart by time."""
    row = session.execute(
        select(ConsoleUser.id, ConsoleUser.password_hash).where(ConsoleUser.name == name.strip())
    ).first()
    if row is None:
        return Credentials(None, passwords.dummy_hash())
    return Credentials(row.id, row.password_hash)


def _locked_row(session: Session, user_id: int) -> ConsoleUser | None:
    # The row lock (PostgreSQL; SQLite has one writer anyway) makes each outcome see the
    # counts of every attempt committed before it: concurrent failures cannot overwrite each
    # other's increments.
    return session.scalar(
        select(ConsoleUser)
        .where(ConsoleUser.id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def record_failure(session: Session, user_id: int, now: datetime) -> tuple[SignInRefused, bool]:
    """Count a wrong password (a short write, after the check): the MAX_FAILURES-th in a row
    locks the account for LOCKOUT. Attempts while locked neither count nor extend the lock.
    The flag says whether this failure is the one that locked the account."""
    user = _locked_row(session, user_id)
    if user is None:
        return SignInRefused("wrong"), False
    if user.locked_until is not None and user.locked_until > now:
        return SignInRefused("locked", user.locked_until), False
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.failed_logins = 0
        user.locked_until = now + LOCKOUT
        return SignInRefused("locked", user.locked_until), True
    return SignInRefused("wrong"), False


def open_session(
    session: Session, checked: Credentials, new_hash: str | None, now: datetime
) -> tuple[str, SignedIn] | SignInRefused:
    """After the right password: open a session, unless the account was locked, disabled or
    given another password since the hash was read. ``new_hash``: the same password hashed
    with today's parameters, when the stored hash is weaker."""
    assert checked.user_id is not None
    user = _locked_row(session, checked.user_id)
    if user is None or user.password_hash != checked.password_hash:
        return SignInRefused("wrong")
    if user.locked_until is not None and user.locked_until > now:
        return SignInRefused("locked", user.locked_until)
    if user.disabled_at is not None:
        return SignInRefused("disabled")
    user.failed_logins = 0
    user.locked_until = None
    if new_hash is not None:
        user.password_hash = new_hash
    # Housekeeping: this user's sessions that have run out go when a new one starts.
    session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user.id,
            (ConsoleSession.expires_at <= now)
            | (ConsoleSession.last_seen_at <= now - SESSION_IDLE),
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
            last_seen_at=now,
        )
    )
    signed_in = SignedIn(
        user.id, user.name, ConsoleRole(user.role), csrf, user.must_change_password
    )
    return token, signed_in


def session_user(session: Session, token: str, now: datetime) -> SignedIn | None:
    """Who holds this session cookie, or None when it is unknown, expired, idle for longer
    than SESSION_IDLE, or its user is disabled."""
    row = session.get(ConsoleSession, _digest(token))
    if row is None or row.expires_at <= now:
        return None
    if (row.last_seen_at or row.created_at) <= now - SESSION_IDLE:
        return None
    user = session.get(ConsoleUser, row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    return SignedIn(
        user.id,
        user.name,
        ConsoleRole(user.role),
        row.csrf_token,
        user.must_change_password,
        row.last_seen_at,
    )


def needs_keep_alive(user: SignedIn, now: datetime) -> bool:
    """Whether this request should write the session's activity (once per SEEN_EVERY)."""
    return user.last_seen_at is None or user.last_seen_at <= now - SEEN_EVERY


def keep_alive(session: Session, token: str, now: datetime) -> None:
    """Note activity on a live session, at most once per SEEN_EVERY (few writes per page)."""
    session.execute(
        update(ConsoleSession)
        .where(
            ConsoleSession.token_hash == _digest(token),
            ConsoleSession.expires_at > now,
            ConsoleSession.last_seen_at > now - SESSION_IDLE,
            ConsoleSession.last_seen_at <= now - SEEN_EVERY,
        )
        .values(last_seen_at=now)
    )


def password_hash_of(session: Session, user_id: int) -> str:
    """The user's stored hash, read to check their current password outside a write."""
    return session.get_one(ConsoleUser, user_id).password_hash


def change_password(
    session: Session, user_id: int, checked_hash: str, new_hash: str, keep_token: str
) -> ConsoleUser | None:
    """Set the user's own new password; None when the password changed since it was checked.
    Their other sessions end: whoever else knew the old password is signed out."""
    user = _locked_row(session, user_id)
    if user is None or user.password_hash != checked_hash:
        return None
    user.password_hash = new_hash
    user.must_change_password = False
    session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user_id, ConsoleSession.token_hash != _digest(keep_token)
        )
    )
    return user


def reset_password(session: Session, user_id: int, new_hash: str) -> ConsoleUser:
    """An admin sets a password the user must change at their next sign-in; the lock is
    lifted and every session of the user ends."""
    user = session.get_one(ConsoleUser, user_id)
    user.password_hash = new_hash
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
    return user


def sign_out(session: Session, token: str) -> None:
    """End the session of this cookie token."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token)))


def list_users(session: Session) -> list[ConsoleUser]:
    """Every console user, by name."""
    return list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.name)))
