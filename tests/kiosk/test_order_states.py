"""The states the kiosk stores are enums whose values are the text its store has always held,
so rows written before (or by the mirror's bulk writes, as plain text) read back as members."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text

from kiosk.order_states import CANCELLABLE, KioskOrderStatus, OutboxState
from kiosk.store.database import open_store
from kiosk.store.models import Order, Outbox
from sync.engine import OutboxKind
from sync.protocol import OrderStatus


def test_the_stored_values_are_unchanged() -> None:
    # Values are only ever added ("reversed" came with the admin's reversal), never renamed.
    assert {s.value for s in KioskOrderStatus} == {
        "queued", "pending", "approved", "fulfilled", "rejected", "cancelled", "reversed"
    }  # fmt: skip
    assert {s.value for s in OutboxState} == {"queued", "delivered", "rejected"}
    assert {k.value for k in OutboxKind} == {"order", "cancel", "language", "read"}


def test_every_ledger_status_has_a_kiosk_status() -> None:
    # The mirror writes the ledger's statuses into the kiosk's orders table as they come.
    assert {s.value for s in OrderStatus} <= {s.value for s in KioskOrderStatus}
    assert {s.value for s in CANCELLABLE} == {"queued", "pending"}


def test_rows_written_as_text_read_back_as_members(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    try:
        with store.write() as session:
            session.execute(
                text(
                    "INSERT INTO outbox (kind, order_id, employee_id, item_id, quantity, points,"
                    " offline, body, state, settled, attempts, created_at) VALUES"
                    " ('cancel', 'o-1', 'E1', 'cake', 0, 0, 0, '', 'delivered', 0, 0,"
                    " '2026-06-01 08:00:00.000000')"
                )
            )
            session.execute(
                text(
                    "INSERT INTO orders (id, employee_id, item_id, quantity, points, status,"
                    " placed_at, gen) VALUES ('o-1', 'E1', 'cake', 1, 300,"
                    " 'pending', '2026-06-01 08:00:00.000000', 1)"
                )
            )
        with store.read() as session:
            row = session.scalars(select(Outbox)).one()
            order = session.get_one(Order, "o-1")
            assert row.kind is OutboxKind.CANCEL and row.state is OutboxState.DELIVERED
            assert order.status is KioskOrderStatus.PENDING
            assert (
                session.scalar(select(Outbox.id).where(Outbox.state == OutboxState.DELIVERED))
                == row.id
            )
    finally:
        store.close()
