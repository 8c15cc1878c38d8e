"""A real kiosk against a real ledger on loopback: snapshot, orders, cancel, refusals,
re-snapshots, heartbeats and a disabled device."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from kiosk.policy import OrderRefused, Refusal
from kiosk.store.models import Employee, Entry, Outbox, SyncState
from ledger.domain.catalogue import ItemSpec
from ledger.storage.database import Database
from ledger.storage.models import Order as LedgerOrder
from ledger.storage.schema import rotate_epoch
from sync.protocol import Localized
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge


def ledger_orders(ledger: LiveLedger) -> dict[str, str]:
    with ledger.service.db.read() as session:
        return dict(session.execute(select(LedgerOrder.id, LedgerOrder.status)).all())


def test_first_sync_mirrors_the_ledger(factory_floor: LiveLedger, make_kiosk: MakeKiosk) -> None:
    kiosk = make_kiosk(factory_floor)
    report = kiosk.sync_once()
    assert report.error is None and report.pulled and report.rows > 0
    assert kiosk.status.snapshot().state == "online"
    with kiosk.store.read() as session:
        balances = dict(session.execute(select(Employee.id, Employee.balance)).all())
        assert balances == {"E1001": 3000, "E1002": 800}
        assert session.get_one(SyncState, 1).cursor is not None
    again = kiosk.sync_once()
    assert again.rows == 0 and again.error is None


def test_an_order_reaches_the_ledger_once_and_the_balance_follows(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    placed = worker.place_order("leave-day", 2)
    assert not placed.offline and placed.points == 1000 and placed.balance_after == 2000
    assert worker.balance().available == 2000 and worker.balance().held == 1000
    assert [o.status for o in worker.orders()] == ["queued"]

    report = kiosk.sync_once()
    assert (report.created, report.rejected) == (1, 0)
    assert ledger_orders(factory_floor) == {placed.order_id: "pending"}
    balance = worker.balance()
    assert (balance.synced, balance.unconfirmed, balance.available) == (2000, 0, 2000)
    assert [o.status for o in worker.orders()] == ["pending"]

    # Pushing the same outbox row again (lost answer) creates nothing new.
    with kiosk.store.write() as session:
        session.execute(update(Outbox).values(state="queued"))
    assert kiosk.sync_once().duplicates == 1
    assert len(ledger_orders(factory_floor)) == 1
    assert factory_floor.service.audit_report().ok


def test_cancel_goes_through_the_outbox_and_refunds(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    placed = worker.place_order("card-100")
    worker.cancel_order(placed.order_id)  # before the order itself has been sent
    line = worker.orders()[0]
    assert line.cancel_requested and not line.cancellable
    kiosk.sync_once()
    assert ledger_orders(factory_floor) == {placed.order_id: "cancelled"}
    kiosk.sync_once()
    assert worker.balance().available == 3000 and worker.orders()[0].status == "cancelled"


def test_a_refused_order_comes_back_rejected_and_does_not_block_the_queue(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    first = worker.place_order("card-100")
    second = worker.place_order("leave-day")
    # HR changes the price before the kiosk reconnects.
    factory_floor.service.put_item(
        "card-100",
        ItemSpec(title=Localized(zh="购物卡", en="Card"), category="physical", points=1100),
    )
    report = kiosk.sync_once()
    assert (report.created, report.rejected) == (1, 1)
    assert report.rejections == [(first.order_id, "price_changed")]
    statuses = {o.order_id: (o.status, o.reason) for o in worker.orders()}
    assert statuses[first.order_id] == ("rejected", "price_changed")
    assert statuses[second.order_id] == ("pending", None)
    assert worker.balance().available == 2500
    assert kiosk.sync_once().rejected == 0  # a refusal is final, never retried


def test_unknown_cursor_reloads_a_snapshot(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    with kiosk.store.write() as session:
        session.get_one(SyncState, 1).cursor = "99999999"
        session.add(
            Employee(id="GHOST", name="x", language="zh", active=True,
                     balance=5, held=0, gen=0)
        )  # fmt: skip
    report = kiosk.sync_once()
    assert report.resnapshot and report.error is None
    with kiosk.store.read() as session:
        assert session.get(Employee, "GHOST") is None  # the new snapshot replaced the mirror
        assert session.scalar(select(func.count()).select_from(Employee)) == 2


def test_a_ledger_restored_from_backup_gets_the_lost_orders_again(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk, tmp_path: Path
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    db_file = Path(str(factory_floor.service.db.url.database))
    backup = tmp_path / "backup.db"
    source, target = sqlite3.connect(db_file), sqlite3.connect(backup)
    source.backup(target)
    source.close()
    target.close()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    placed = worker.place_order("leave-day")
    kiosk.sync_once()
    assert placed.order_id in ledger_orders(factory_floor)

    # IT restores last night's backup and gives the database a new epoch.
    factory_floor.stop()
    factory_floor.service.db.dispose()
    shutil.copy(backup, db_file)
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)
    rotate_epoch(Database(f"sqlite:///{db_file}"))
    restored = LiveLedger(factory_floor.service, factory_floor.port)
    try:
        assert placed.order_id not in ledger_orders(restored)
        report = kiosk.sync_once()
        assert report.resnapshot and report.requeued == 1 and report.error is None
        assert ledger_orders(restored) == {placed.order_id: "pending"}
        kiosk.sync_once()
        assert worker.balance().available == 2500
        assert restored.service.audit_report().ok
    finally:
        restored.stop()


def test_heartbeat_reports_backlog_and_last_sync(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor, name="Line 3")
    kiosk.sync_once()
    (device,) = factory_floor.service.list_devices()
    assert device["name"] == "Line 3"
    assert device["version"] and device["outbox"] == 0 and device["last_sync_at"] is not None


def test_a_revoked_kiosk_is_disabled_and_keeps_its_orders(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    placed = worker.place_order("leave-day")
    device_id = kiosk.service.device().device_id  # type: ignore[union-attr]
    factory_floor.service.revoke_device(device_id)
    report = kiosk.sync_once()
    assert report.disabled and kiosk.status.snapshot().state == "disabled"
    assert [o.status for o in worker.orders()] == ["queued"]
    with pytest.raises(OrderRefused) as refused:
        worker.place_order("cake")
    assert refused.value.reason is Refusal.KIOSK_DISABLED
    # Re-enrolled, it sends what waited.
    kiosk.enroll(factory_floor.url, factory_floor.service.create_enroll_code(), "Kiosk A2")
    assert kiosk.sync_once().created == 1
    assert ledger_orders(factory_floor) == {placed.order_id: "pending"}


def test_history_beyond_the_retention_is_not_kept(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor, history_months=1)
    kiosk.sync_once()
    with kiosk.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Entry)) == 2
    kiosk.service.clock.advance(40 * 86400)  # type: ignore[attr-defined]
    factory_floor.service.clock.advance(days=40)
    assert kiosk.sync_once().error is None
    with kiosk.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Entry)) == 0


def test_item_pictures_are_cached_once(factory_floor: LiveLedger, make_kiosk: MakeKiosk) -> None:
    from ledger.demo.images import item_picture

    picture = item_picture("birthday-cake")
    factory_floor.service.put_image("cake", picture)
    kiosk = make_kiosk(factory_floor)
    assert kiosk.sync_once().images == 1
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    card = worker.item("cake")
    # The ledger stores the picture re-encoded; the kiosk caches exactly what it serves.
    _content_type, stored = factory_floor.service.image("cake")
    assert card.image_path is not None and card.image_path.read_bytes() == stored
    assert worker.item("leave-day").image_path is None
    assert kiosk.sync_once().images == 0
