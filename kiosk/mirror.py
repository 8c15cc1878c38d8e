"""The local store as the sync engine sees it (``sync.engine.SyncStore``).

Pulled rows, the cursor and the settings are written in one transaction per page, so a crash
leaves either the whole page or none of it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from kiosk.order_states import KioskOrderStatus, OutboxState
from kiosk.store.database import Store
from kiosk.store.models import (
    MIRRORED,
    Entry,
    Item,
    Message,
    Order,
    Outbox,
    ReadMark,
    SyncState,
)
from sync.columns import ITEM_COLUMNS, RULE_COLUMNS, WireColumns
from sync.columns import SYNCED_ORDER_COLUMNS as WIRE_ORDER
from sync.engine import OutboxItem, OutboxKind
from sync.protocol import Heartbeat, OrderOut, SyncedOrder, SyncPage
from sync.version import __version__

# Answered orders stay in the outbox this long, to be re-sent if the ledger is restored
# from a backup that lacks them.
OUTBOX_KEEP = timedelta(days=60)


def _text(moment: datetime | None) -> str | None:
    """A datetime as SQLAlchemy stores it on SQLite: naive UTC with microseconds."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _bulk_replace(session: Session, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    # The snapshot's hot path: straight to the driver, values already in storage form,
    # because SQLAlchemy's per-value processing cost more than SQLite itself.
    if rows:
        marks = ", ".join("?" * (columns.count(",") + 1))
        session.connection().exec_driver_sql(
            f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({marks})", rows
        )


def _stored(value: Any) -> Any:
    """A pulled value in the form the store keeps: datetimes as text, enums as their value."""
    if isinstance(value, datetime):
        return _text(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _columns(wire: WireColumns) -> str:
    return ", ".join((*wire.columns, "gen"))


ORDER_COLUMNS = _columns(WIRE_ORDER)


def _order(o: SyncedOrder, gen: int) -> tuple[Any, ...]:
    # An order the ledger answered a push with (``OrderOut``) is stored as the feed's would
    # be: only the fields the feed carries.
    return (*WIRE_ORDER.values(o, _stored), gen)


def _write_page(session: Session, page: SyncPage, gen: int) -> None:
    _bulk_replace(
        session,
        "employees",
        "id, name, language, active, balance, held, gen",
        [(e.id, e.name, e.language, e.active, e.balance, e.held, gen) for e in page.employees],
    )
    _bulk_replace(
        session,
        "badges",
        "serial, employee_id, kind, uid, revoked, gen",
        [(b.serial, b.employee_id, b.kind, b.uid, b.revoked, gen) for b in page.badges],
    )
    _bulk_replace(
        session,
        "entries",
        "id, employee_id, points, kind, rule_kind, order_id, memo, created_at, gen",
        [
            (e.id, e.employee_id, e.points, e.kind, e.rule_kind, e.order_id, e.memo,
             _text(e.created_at), gen)
            for e in page.entries
        ],
    )  # fmt: skip
    _bulk_replace(
        session,
        "lots",
        "id, employee_id, remaining, expires_at, gen",
        [(lot.id, lot.employee_id, lot.remaining, _text(lot.expires_at), gen) for lot in page.lots],
    )
    # Items and rules are stored field by field as the protocol defines them (sync.columns).
    _bulk_replace(
        session,
        "items",
        _columns(ITEM_COLUMNS),
        [(*ITEM_COLUMNS.values(i, _stored), gen) for i in page.items],
    )
    _bulk_replace(
        session,
        "rules",
        _columns(RULE_COLUMNS),
        [(*RULE_COLUMNS.values(r, _stored), gen) for r in page.rules],
    )
    _bulk_replace(session, "orders", ORDER_COLUMNS, [_order(o, gen) for o in page.orders])
    _bulk_replace(
        session,
        "messages",
        "id, employee_id, kind, points, order_id, rule_kind, note, expires_at, created_at, read,"
        " gen",
        [
            (m.id, m.employee_id, m.kind.value, m.points, m.order_id, m.rule_kind, m.note,
             _text(m.expires_at), _text(m.created_at), m.read, gen)
            for m in page.messages
        ],
    )  # fmt: skip


class KioskSyncStore:
    """Implements ``sync.engine.SyncStore`` over the kiosk's SQLite store."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        history_days: int = 396,
    ) -> None:
        self.store = store
        self.clock = clock
        self.history = timedelta(days=history_days)
        # Tests set this to die between writing a page's rows and saving its cursor.
        self.after_rows_applied: Callable[[], None] | None = None

    # --- position and snapshots ----------------------------------------------------------

    def sync_position(self) -> tuple[str | None, str | None]:
        with self.store.read() as session:
            state = session.get_one(SyncState, 1)
            return state.cursor, state.epoch

    def begin_snapshot(self) -> None:
        with self.store.write() as session:
            state = session.get_one(SyncState, 1)
            state.generation += 1
            state.cursor = None
            state.epoch = None
            state.snapshot_pending = True

    def apply_page(self, page: SyncPage, settle: Sequence[int]) -> int:
        requeued = 0
        with self.store.write() as session:
            state = session.get_one(SyncState, 1)
            gen = state.generation
            _write_page(session, page, gen)
            if self.after_rows_applied is not None:
                session.flush()
                self.after_rows_applied()
            if settle:
                session.execute(update(Outbox).where(Outbox.id.in_(settle)).values(settled=True))
            if not page.has_more:
                if state.snapshot_pending:
                    requeued = self._finish_snapshot(session, gen)
                    state.snapshot_pending = False
                now = self.clock()
                session.execute(delete(Entry).where(Entry.created_at < now - self.history))
                # Read messages are not shown again; marks made here are kept while their
                # message is still unread in the mirror (the ledger has not said otherwise).
                session.execute(delete(Message).where(Message.read.is_(True)))
                session.execute(
                    delete(ReadMark).where(
                        ReadMark.message_id.not_in(
                            select(Message.id).where(Message.read.is_(False))
                        )
                    )
                )
                session.execute(
                    delete(Outbox).where(
                        Outbox.created_at < now - OUTBOX_KEEP,
                        or_(Outbox.state == OutboxState.REJECTED, Outbox.settled.is_(True)),
                    )
                )
            state.cursor = page.cursor
            state.epoch = page.epoch
            state.settings_json = page.settings.model_dump_json()
        return requeued

    @staticmethod
    def _finish_snapshot(session: Session, gen: int) -> int:
        """Drop rows the new snapshot did not carry; queue again orders it does not hold."""
        ours = select(Outbox.order_id)
        for model in MIRRORED:
            query = delete(model).where(model.gen < gen)
            if model is Order:
                query = query.where(Order.id.not_in(ours))
            session.execute(query)
        # Orders the ledger acknowledged but no longer has (it was restored from a backup):
        # send them again; the order id makes that safe.
        lost = session.scalars(
            select(Outbox.id).where(
                Outbox.kind == OutboxKind.ORDER,
                Outbox.state == OutboxState.DELIVERED,
                Outbox.order_id.not_in(select(Order.id).where(Order.gen == gen)),
            )
        ).all()
        if lost:
            session.execute(
                update(Outbox)
                .where(Outbox.id.in_(lost))
                .values(state=OutboxState.QUEUED, settled=False)
            )
            session.execute(
                update(Order)
                .where(Order.id.in_(select(Outbox.order_id).where(Outbox.id.in_(lost))))
                .values(status=KioskOrderStatus.QUEUED, gen=gen)
            )
        return len(lost)

    # --- outbox --------------------------------------------------------------------------

    def pending_outbox(self) -> list[OutboxItem]:
        with self.store.read() as session:
            rows = session.scalars(
                select(Outbox).where(Outbox.state == OutboxState.QUEUED).order_by(Outbox.id)
            ).all()
            return [OutboxItem(r.id, r.kind, r.order_id, r.body, r.attempts) for r in rows]

    def mark_delivered(self, item: OutboxItem, order: OrderOut | None) -> None:
        with self.store.write() as session:
            row = session.get_one(Outbox, item.id)
            row.state = OutboxState.DELIVERED
            row.delivered_at = self.clock()
            row.last_error = None
            if order is not None:
                gen = session.get_one(SyncState, 1).generation
                _bulk_replace(session, "orders", ORDER_COLUMNS, [_order(order, gen)])

    def mark_rejected(self, item: OutboxItem, code: str, message: str) -> None:
        with self.store.write() as session:
            row = session.get_one(Outbox, item.id)
            row.state = OutboxState.REJECTED
            row.reason = code[:64]
            row.last_error = message
            if item.kind is OutboxKind.READ:
                # The ledger did not take this read mark: the messages show again.
                session.execute(delete(ReadMark).where(ReadMark.outbox_id == item.id))
            if item.kind is OutboxKind.ORDER:
                session.execute(
                    update(Order)
                    .where(Order.id == item.order_id, Order.status == KioskOrderStatus.QUEUED)
                    .values(status=KioskOrderStatus.REJECTED, reason=code[:64])
                )

    def mark_retry(self, item: OutboxItem, error: str) -> None:
        with self.store.write() as session:
            row = session.get_one(Outbox, item.id)
            row.attempts += 1
            row.last_error = error

    def delivered_unsettled(self) -> list[int]:
        with self.store.read() as session:
            return list(
                session.scalars(
                    select(Outbox.id).where(
                        Outbox.state == OutboxState.DELIVERED, Outbox.settled.is_(False)
                    )
                )
            )

    # --- status, heartbeat, pictures -----------------------------------------------------

    def record_success(self, at: datetime) -> None:
        with self.store.write() as session:
            state = session.get_one(SyncState, 1)
            state.last_success_at = at
            state.last_error = None

    def record_failure(self, message: str, at: datetime) -> None:
        with self.store.write() as session:
            state = session.get_one(SyncState, 1)
            state.last_error = message[:1000]
            state.last_error_at = at

    def heartbeat(self) -> Heartbeat:
        with self.store.read() as session:
            count, oldest = session.execute(
                select(func.count(), func.min(Outbox.created_at)).where(
                    Outbox.state == OutboxState.QUEUED
                )
            ).one()
            state = session.get_one(SyncState, 1)
            return Heartbeat(
                version=__version__,
                outbox=int(count),
                last_sync_at=state.last_success_at,
                oldest_unsent_at=oldest.replace(tzinfo=UTC) if oldest is not None else None,
            )

    def missing_images(self) -> list[tuple[str, str]]:
        with self.store.read() as session:
            rows = session.execute(
                select(Item.id, Item.image_sha256).where(
                    Item.active.is_(True), Item.image_sha256.is_not(None)
                )
            ).all()
        return [
            (item_id, sha)
            for item_id, sha in rows
            if sha is not None and not (self.store.images_dir / sha).exists()
        ]

    def save_image(self, sha256: str, content_type: str, data: bytes) -> None:
        self.store.images_dir.mkdir(parents=True, exist_ok=True)
        target = self.store.images_dir / sha256
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, target)
