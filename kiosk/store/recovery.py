"""Rebuilding a damaged store: set the file aside, keep what can be read, re-sync the rest.

The mirror can always be pulled again; the enrolment and the outbox cannot, so they are
salvaged row by row where SQLite can still read them. Orders are re-sent with their original
ids, so one the ledger already has is recognised, never doubled.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.order_states import KioskOrderStatus, OutboxState
from kiosk.store.database import STORE_FILE, Store, open_store
from kiosk.store.models import Device, Order, Outbox, SyncState
from sync.engine import OutboxKind


@dataclass(frozen=True)
class Recovery:
    moved_to: Path
    device_restored: bool
    orders_requeued: int
    unreadable: list[str]


def _read_rows(path: Path, table: str) -> tuple[list[dict[str, Any]], str | None]:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in connection.execute(f"SELECT * FROM {table}")], None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return [], f"{table}: {exc}"


def _when(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def recover_store(data_dir: Path) -> tuple[Store, Recovery]:
    """Move the damaged store aside and open a fresh one holding what could be salvaged."""
    path = data_dir / STORE_FILE
    devices, device_error = _read_rows(path, "device")
    entries, outbox_error = _read_rows(path, "outbox")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{STORE_FILE}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            os.replace(source, aside.with_name(aside.name + suffix))
    store = open_store(data_dir)
    requeued = 0
    with store.write() as session:
        if devices:
            row = devices[0]
            session.merge(
                Device(
                    id=1,
                    device_id=row["device_id"],
                    name=row["name"],
                    server_url=row["server_url"],
                    token=row["token"],
                    badge_public_key=row["badge_public_key"],
                    enrolled_at=_when(row["enrolled_at"]),
                )
            )
        generation = session.get_one(SyncState, 1).generation
        for row in entries:
            if row.get("kind") != OutboxKind.ORDER or row.get("state") == OutboxState.REJECTED:
                continue
            created = _when(row["created_at"])
            session.add(
                Outbox(
                    kind=OutboxKind.ORDER,
                    order_id=row["order_id"],
                    employee_id=row["employee_id"],
                    item_id=row["item_id"],
                    quantity=row["quantity"],
                    points=row["points"],
                    offline=bool(row["offline"]),
                    body=row["body"],
                    state=OutboxState.QUEUED,
                    created_at=created,
                )
            )
            session.merge(
                Order(
                    id=row["order_id"],
                    employee_id=row["employee_id"],
                    item_id=row["item_id"],
                    quantity=row["quantity"],
                    points=row["points"],
                    status=KioskOrderStatus.QUEUED,
                    reason=None,
                    placed_at=created,
                    created_at=None,
                    gen=generation,
                )
            )
            requeued += 1
    problems = [p for p in (device_error, outbox_error) if p]
    return store, Recovery(aside, bool(devices), requeued, problems)
