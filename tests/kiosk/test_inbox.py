"""A worker's inbox at real kiosks against a real ledger: what happened since their last
visit, read once across kiosks, read offline and sent later."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.order_states import OutboxState
from kiosk.store.models import Outbox, ReadMark
from ledger.storage.models import WorkerMessage
from sync.engine import OutboxKind, SyncReport
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge
from tests.ledger import factory


def ledger_unread(ledger: LiveLedger, employee_id: str) -> int:
    with ledger.service.db.read() as session:
        return len(
            session.scalars(
                select(WorkerMessage.id).where(
                    WorkerMessage.employee_id == employee_id, WorkerMessage.read_at.is_(None)
                )
            ).all()
        )


def news(ledger: LiveLedger) -> None:
    """An approval, a rejection with its reason and an earning for E1001."""
    service = ledger.service
    factory.rule(service)
    first = service.place_order(factory.order_request("E1001", "cake", 300), None).order
    second = service.place_order(factory.order_request("E1001", "leave-day", 500), None).order
    service.approve_many([first.order_id])
    service.reject_many([second.order_id], "名额已满 no places left")
    service.ingest_events([factory.event("ev-1", "E1001", service.clock())])
    service.write_inbox()


def test_the_inbox_shows_what_happened_and_is_read_once_across_kiosks(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    news(factory_floor)
    kiosk_a, kiosk_b = make_kiosk(factory_floor, "A"), make_kiosk(factory_floor, "B")
    kiosk_a.sync_once()
    kiosk_b.sync_once()
    badge = qr_badge(factory_floor, "E1001")
    kiosk_a.sync_once()

    worker = kiosk_a.service.login(badge)
    messages = worker.inbox()
    kinds = [m.kind for m in messages]
    # The furnish grant first, then the approval, the rejection and the earning.
    assert sorted(kinds) == ["adjusted", "approved", "earned", "rejected"]
    assert messages[0].created_at >= messages[-1].created_at  # newest first
    by_kind = {m.kind: m for m in messages}
    approved = by_kind["approved"]
    assert (approved.title_zh, approved.title_en) == ("生日蛋糕", "Birthday cake")
    assert by_kind["rejected"].note == "名额已满 no places left"
    assert by_kind["rejected"].title_en == "Extra day of leave"
    assert by_kind["earned"].title_en == "Quarterly performance: excellent"
    assert by_kind["earned"].points == 500
    assert kiosk_b.service.login(badge).inbox() != ()  # nobody read it yet

    worker.read_inbox([m.id for m in messages])
    assert worker.inbox() == ()  # at once, before any sync
    assert kiosk_a.sync_once().error is None
    assert ledger_unread(factory_floor, "E1001") == 0
    assert kiosk_a.service.login(badge).inbox() == ()

    kiosk_b.sync_once()
    assert kiosk_b.service.login(badge).inbox() == ()
    # Another worker's inbox is their own.
    assert [m.kind for m in kiosk_b.service.login(qr_badge(factory_floor, "E1002")).inbox()] == [
        "adjusted"
    ]


def test_a_read_mark_made_offline_is_sent_later(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    news(factory_floor)
    badge = qr_badge(factory_floor, "E1001")
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    factory_floor.stop()
    try:
        assert kiosk.sync_once().error is not None  # offline
        worker = kiosk.service.login(badge)
        ids = [m.id for m in worker.inbox()]
        assert len(ids) == 4
        worker.read_inbox(ids)
        worker.read_inbox(ids)  # a second tap queues nothing more
        assert worker.inbox() == ()
        with kiosk.store.read() as session:
            queued = session.scalars(select(Outbox).where(Outbox.kind == OutboxKind.READ)).all()
            assert [row.state for row in queued] == [OutboxState.QUEUED]
        assert ledger_unread(factory_floor, "E1001") == 4
    finally:
        restarted = factory_floor.restart()
    try:
        report = kiosk.sync_once()
        assert report.error is None and report.created == 0
        assert ledger_unread(factory_floor, "E1001") == 0
        assert kiosk.service.login(badge).inbox() == ()
        with kiosk.store.read() as session:
            assert session.scalars(select(ReadMark)).all() == []  # the ledger has said so
    finally:
        restarted.stop()


def test_a_refused_read_mark_shows_the_messages_again(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    news(factory_floor)
    serial, badge = factory_floor.service.issue_badge("E1001", "qr", None)
    assert badge is not None
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(badge)
    worker.read_inbox([m.id for m in worker.inbox()])
    factory_floor.service.revoke_badge(serial)  # before the kiosk sent the mark
    report = kiosk.sync_once()
    assert report.rejected == 1 and report.rejections[0][1] == "evidence_invalid"
    assert ledger_unread(factory_floor, "E1001") == 4
    assert len(worker.inbox()) == 4


def test_a_snapshot_does_not_bring_back_what_was_read_here(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    news(factory_floor)
    badge = qr_badge(factory_floor, "E1001")
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(badge)
    worker.read_inbox([m.id for m in worker.inbox()])
    # The mark waits in the outbox (as after a failed push) while a full snapshot comes in.
    assert kiosk.engine is not None
    kiosk.engine.store.begin_snapshot()
    kiosk.engine._pull(SyncReport())
    assert worker.inbox() == ()
    assert len(kiosk.engine.store.pending_outbox()) == 1
