"""Console forms sent once: each form is drawn with a random token, and the post that uses
it first is the only one applied. The row is written in the transaction of the change it
allowed, so a change that fails leaves the token unused (the form may be sent again) and two
posts of one form, however close together, apply once. Kept in the database, so it holds
across several server processes.

A post may also leave a value to be shown once (a new API token, an enrolment code): it is
kept on the form's row for one read by the same user within :data:`KEPT_FOR`, then cleared.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ledger.domain.wallets import for_update
from ledger.storage.models import FormToken

# A sent form is remembered longer than any console session lasts (10 hours): a form older
# than that cannot be posted anyway, its session's CSRF token is gone.
REMEMBERED_FOR = timedelta(days=1)
# A value shown once is kept this long for the page the post redirects to.
KEPT_FOR = timedelta(minutes=10)
# What the console draws (``secrets.token_urlsafe(24)``); anything else is no token.
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class FormAlreadySent(Exception):
    """The form's token was used by an earlier post: this one applied nothing."""


def draw() -> str:
    """A new form token, for a form being rendered."""
    return secrets.token_urlsafe(24)


def usable(token: str | None) -> str | None:
    """``token`` when it looks like one the console drew, else None."""
    return token if token and TOKEN.fullmatch(token) else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_unused(session: Session, token: str) -> None:
    """Refuse a form whose token an earlier post used (read under a lock where it exists)."""
    found = session.scalar(
        for_update(select(FormToken).where(FormToken.token_hash == _hash(token)))
    )
    if found is not None:
        raise FormAlreadySent


def mark_used(session: Session, token: str, user_name: str, now: datetime) -> None:
    """Record the form as sent, first in the transaction of its change; prune old rows.

    Two posts at once both pass :func:`check_unused`; the primary key lets one insert (the
    other waits for it on PostgreSQL), and the other, run again, finds the row.
    """
    session.execute(delete(FormToken).where(FormToken.used_at < now - REMEMBERED_FOR))
    session.execute(
        update(FormToken)
        .where(FormToken.used_at < now - KEPT_FOR, FormToken.kept.is_not(None))
        .values(kept=None)
    )
    session.add(FormToken(token_hash=_hash(token), user_name=user_name[:80], used_at=now))
    session.flush()


def keep(session: Session, token: str, value: str) -> None:
    """Keep ``value`` on the form's row (written by :func:`mark_used` in this transaction)
    for one read by :func:`take_kept`."""
    session.execute(
        update(FormToken).where(FormToken.token_hash == _hash(token)).values(kept=value)
    )


def take_kept(session: Session, token: str, user_name: str, now: datetime) -> str | None:
    """The value the form's post kept for ``user_name``, once: cleared as it is read."""
    row = session.scalar(
        for_update(
            select(FormToken).where(
                FormToken.token_hash == _hash(token),
                FormToken.user_name == user_name[:80],
                FormToken.kept.is_not(None),
            )
        )
    )
    if row is None:
        return None
    value, row.kept = row.kept, None
    return value if row.used_at >= now - KEPT_FOR else None
