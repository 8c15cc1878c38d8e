"""Fulfilment by kind of reward: what an approval does beyond approving.

- ``manual``: nothing; HR hands the reward over and marks the order fulfilled.
- ``code_pool``: the approval takes one free code of the item's pool for the order (on
  PostgreSQL ``FOR UPDATE SKIP LOCKED``, so approvals at once take different codes without
  waiting for each other; SQLite writes one at a time) and the order is fulfilled with it in
  the same transaction. No free code: the approval is refused and the order stays pending.
- ``external``: the approval queues the order for the external system's job
  (:mod:`ledger.jobs.fulfilment`), whose 2xx fulfils it.

Items have no "needs no approval" flag: every order is approved by HR (or an API token),
so the approval is when a code is assigned or an external system called.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.domain.code_cipher import CodeCipher
from ledger.domain.errors import Conflict, LedgerError, NotFound
from ledger.domain.wallets import for_update
from ledger.storage.fulfilment import (
    CodePool,
    ExternalFulfilment,
    ExternalStatus,
    FulfilmentKind,
    PoolCode,
)
from ledger.storage.models import Item, Order
from sync.protocol import ErrorCode

MAX_CODE_LENGTH = 200
MAX_CODES_PER_UPLOAD = 20_000
DEFAULT_THRESHOLD = 5


def kind_of(session: Session, item_id: str) -> FulfilmentKind:
    kind = session.scalar(select(Item.fulfilment).where(Item.id == item_id))
    return FulfilmentKind(kind or FulfilmentKind.MANUAL.value)


# --- uploading codes ----------------------------------------------------------------------


def split_codes(text: str) -> list[str]:
    """The lines of a paste or a text/CSV file: a CSV line's first cell, a ``code`` header
    skipped (checked by :func:`clean_codes`)."""
    cells: list[str] = []
    for row in csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"))):
        cell = row[0].strip() if row else ""
        if not cells and cell.lower() in ("code", "codes", "编码", "兑换码"):
            continue
        cells.append(cell)
    return cells


def clean_codes(cells: Iterable[str]) -> list[str]:
    """Codes with the spaces around each removed, blanks skipped, in order, each once; a
    refusal for a code too long, or for none at all, or too many."""
    codes: list[str] = []
    seen: set[str] = set()
    for raw in cells:
        cell = raw.strip()
        if not cell:
            continue
        if len(cell) > MAX_CODE_LENGTH or "\x00" in cell:
            raise LedgerError(
                ErrorCode.INVALID_REQUEST,
                f"a code is longer than {MAX_CODE_LENGTH} characters: {cell[:20]}…",
                status=422,
            )
        if cell not in seen:
            seen.add(cell)
            codes.append(cell)
    if not codes:
        raise LedgerError(ErrorCode.INVALID_REQUEST, "no code found: one code a line", status=422)
    if len(codes) > MAX_CODES_PER_UPLOAD:
        raise LedgerError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"more than {MAX_CODES_PER_UPLOAD} codes in one upload",
            status=413,
        )
    return codes


@dataclass(frozen=True)
class PoolCounts:
    """An item's pool: codes free and codes given to orders."""

    remaining: int
    used: int


def pool_counts(session: Session, item_id: str) -> PoolCounts:
    rows = dict(
        session.execute(
            select(PoolCode.order_id.is_(None), func.count())
            .where(PoolCode.item_id == item_id)
            .group_by(PoolCode.order_id.is_(None))
        ).all()
    )
    return PoolCounts(remaining=int(rows.get(True, 0)), used=int(rows.get(False, 0)))


def _free_codes(session: Session, item_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(PoolCode)
            .where(PoolCode.item_id == item_id, PoolCode.order_id.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class Upload:
    added: int
    duplicates: int
    remaining: int


def add_codes(
    session: Session,
    item_id: str,
    codes: list[str],
    cipher: CodeCipher,
    now: datetime,
    added_by: str,
) -> Upload:
    """Add codes to an item's pool; codes already in any pool are counted, not added."""
    item = session.get(Item, item_id)
    if item is None:
        raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {item_id}")
    pool = _lock_pool(session, item_id)
    digests = {code: cipher.digest(code) for code in codes}
    known: set[str] = set()
    wanted = list(digests.values())
    for start in range(0, len(wanted), 1000):
        known.update(
            session.scalars(
                select(PoolCode.code_hash).where(PoolCode.code_hash.in_(wanted[start:start + 1000]))
            )
        )  # fmt: skip
    added = 0
    for code, digest in digests.items():
        if digest in known:
            continue
        session.add(
            PoolCode(
                item_id=item_id,
                code_hash=digest,
                ciphertext=cipher.encrypt(code),
                added_at=now,
                added_by=added_by[:120],
            )
        )
        added += 1
    session.flush()
    remaining = _free_codes(session, item_id)
    if remaining > item.pool_threshold:
        pool.low_announced = False  # a later fall to the threshold is a new crossing
    return Upload(added=added, duplicates=len(codes) - added, remaining=remaining)


def _lock_pool(session: Session, item_id: str) -> CodePool:
    pool = session.scalar(for_update(select(CodePool).where(CodePool.item_id == item_id)))
    if pool is None:
        session.add(CodePool(item_id=item_id, low_announced=False))
        session.flush()  # two first uploads at once: one loses the key race and is run again
        pool = session.scalar(for_update(select(CodePool).where(CodePool.item_id == item_id)))
        assert pool is not None
    return pool


# --- approval -----------------------------------------------------------------------------


def take_code(session: Session, item_id: str) -> PoolCode:
    """The item's first free code, locked for this transaction; codes other approvals hold
    are skipped (PostgreSQL), so concurrent approvals never wait on, nor share, a code."""
    query = (
        select(PoolCode)
        .where(PoolCode.item_id == item_id, PoolCode.order_id.is_(None))
        .order_by(PoolCode.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    code = session.scalar(query)
    if code is None:
        raise Conflict(
            ErrorCode.CODE_POOL_EMPTY,
            f"no code left in the pool of {item_id}: upload codes, then approve again",
        )
    return code


@dataclass(frozen=True)
class LowPool:
    """A pool that just fell to its threshold: what ``code_pool.low`` says."""

    item_id: str
    remaining: int
    threshold: int

    def payload(self) -> dict[str, object]:
        return {"item_id": self.item_id, "remaining": self.remaining, "threshold": self.threshold}


def assign_code(session: Session, code: PoolCode, order: Order, now: datetime) -> LowPool | None:
    """Give ``code`` to ``order``; the pool's crossing of its threshold when this made it.

    The pool row is locked after the code (never before: approvals take codes without
    waiting), then the free codes are counted: whoever holds that lock last sees every
    earlier assignment committed, so a crossing is never missed, and the flag under the
    lock says it once.
    """
    code.order_id = order.id
    code.assigned_at = now
    session.flush()
    pool = _lock_pool(session, code.item_id)
    threshold = session.scalar(select(Item.pool_threshold).where(Item.id == code.item_id))
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    remaining = _free_codes(session, code.item_id)
    if remaining <= threshold and not pool.low_announced:
        pool.low_announced = True
        return LowPool(code.item_id, remaining, threshold)
    return None


def code_of(session: Session, order_id: str) -> PoolCode | None:
    return session.scalar(select(PoolCode).where(PoolCode.order_id == order_id))


def queue_external(session: Session, order: Order, now: datetime) -> None:
    """Queue an approved order of an external item for the external system's job."""
    session.add(
        ExternalFulfilment(
            order_id=order.id,
            item_id=order.item_id,
            status=ExternalStatus.PENDING.value,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
            last_error="",
        )
    )


def close_external(session: Session, order_id: str) -> None:
    """The order left ``approved`` another way (HR fulfilled or rejected it): not sent."""
    due = session.get(ExternalFulfilment, order_id)
    if due is not None and due.status in (
        ExternalStatus.PENDING.value,
        ExternalStatus.FAILED.value,
    ):
        due.status = ExternalStatus.CLOSED.value
