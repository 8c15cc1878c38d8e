"""The sync feed: pages, cursors, epoch, and no change lost to concurrent writers."""

from __future__ import annotations

import threading
import uuid

import pytest

from ledger.domain.errors import LedgerError
from ledger.storage.schema import rotate_epoch
from sync.protocol import ErrorCode, SyncPage
from tests.ledger.factory import employee, grant, item, order_request, rule
from tests.ledger.http import device_api, error_code


def pull_all(service, cursor: str | None = None, limit: int = 1000) -> tuple[list[SyncPage], str]:
    pages = []
    while True:
        page = service.sync_page(cursor, limit)
        pages.append(page)
        cursor = page.cursor
        if not page.has_more:
            return pages, cursor


def test_snapshot_in_small_pages_holds_every_row(service):
    for n in range(7):
        employee(service, f"E{n}")
        grant(service, f"E{n}", 100 + n)
    item(service)
    rule(service)
    pages, _ = pull_all(service, limit=3)
    assert len(pages) > 3 and all(p.has_more for p in pages[:-1])
    assert [int(p.cursor) for p in pages] == sorted(int(p.cursor) for p in pages)
    employees = {e.id: e for p in pages for e in p.employees}
    assert {k: v.balance for k, v in employees.items()} == {f"E{n}": 100 + n for n in range(7)}
    assert len({lot.id for p in pages for lot in p.lots}) == 7
    assert len([e for p in pages for e in p.entries]) == 7
    assert [i.id for p in pages for i in p.items] == ["card-100"]
    assert [r.kind for p in pages for r in p.rules] == ["performance.excellent"]
    assert pages[-1].settings.idle_timeout_seconds == 45


def test_after_the_cursor_only_changes_come(service):
    employee(service, "E1")
    employee(service, "E2")
    item(service, points=50, stock=10)
    grant(service, "E1", 100)
    _, cursor = pull_all(service)
    assert service.sync_page(cursor, 100).employees == []
    placement = service.place_order(order_request("E1", "card-100", 50), None)
    page = service.sync_page(cursor, 100)
    assert [e.id for e in page.employees] == ["E1"]
    assert page.employees[0].balance == 50 and page.employees[0].held == 50
    assert [o.order_id for o in page.orders] == [placement.order.order_id]
    assert [(e.kind, e.points) for e in page.entries] == [("hold", -50)]
    assert [i.stock for i in page.items] == [9]
    assert [lot.remaining for lot in page.lots] == [50]
    assert not page.has_more and int(page.cursor) > int(cursor)


def test_a_cursor_from_the_future_or_garbage_is_expired(service):
    employee(service)
    for bad in ("999999", "abc", "-1"):
        with pytest.raises(LedgerError) as err:
            service.sync_page(bad, 10)
        assert err.value.code is ErrorCode.CURSOR_EXPIRED


def test_sync_over_http_and_epoch_rotation(live):
    employee(live.service)
    device, _ = device_api(live)
    first = device.get("/sync", params={"limit": 10})
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {
        "cursor", "has_more", "epoch", "settings",
        "employees", "badges", "entries", "lots", "items", "rules", "orders", "messages",
    }  # fmt: skip
    expired = device.get("/sync", params={"cursor": "123456789"})
    assert expired.status_code == 409 and error_code(expired) == "cursor_expired"
    rotate_epoch(live.service.db)
    assert device.get("/sync").json()["epoch"] != body["epoch"]


@pytest.mark.slow
def test_concurrent_writers_lose_no_change(service):
    """Pull while orders commit in parallel; the mirror ends equal to the ledger."""
    item(service, points=10)
    ids = [f"E{n}" for n in range(6)]
    for e in ids:
        employee(service, e)
        grant(service, e, 10_000)
    _, cursor = pull_all(service)
    mirror: dict[str, int] = {}
    orders_seen: set[str] = set()
    placed: list[str] = []
    done = threading.Event()

    def writer(employee_id: str) -> None:
        for _ in range(25):
            request = order_request(employee_id, "card-100", 10, order_id=uuid.uuid4())
            placed.append(service.place_order(request, None).order.order_id)

    def absorb(page: SyncPage) -> None:
        for e in page.employees:
            mirror[e.id] = e.balance
        orders_seen.update(o.order_id for o in page.orders)

    threads = [threading.Thread(target=writer, args=(e,)) for e in ids]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        pages, cursor = pull_all(service, cursor, limit=7)
        for page in pages:
            absorb(page)
    done.set()
    for t in threads:
        t.join()
    pages, cursor = pull_all(service, cursor)
    for page in pages:
        absorb(page)
    assert orders_seen == set(placed) and len(placed) == 150
    assert mirror == {e: service.employee(e)["balance"] for e in ids}
    assert set(mirror.values()) == {10_000 - 250}


def test_the_sequencer_numbers_everything_before_a_page(service, monkeypatch):
    from ledger.storage import changes

    monkeypatch.setattr(changes, "BATCH", 3)
    for n in range(10):
        employee(service, f"E{n}")
    pages, _ = pull_all(service, limit=4)
    assert sorted(e.id for p in pages for e in p.employees) == sorted(f"E{n}" for n in range(10))
    with service.db.read() as session:
        assert not changes.has_unnumbered(session)


@pytest.mark.parametrize("path", [["approve", "fulfil"], ["reject"], ["cancel"]])
def test_closing_an_order_syncs_the_employees_held_points(service, path):
    employee(service, "E1")
    item(service, points=50)
    grant(service, "E1", 100)
    order = service.place_order(order_request("E1", "card-100", 50), None).order
    _, cursor = pull_all(service)
    for action in path:
        service.transition(order.order_id, action, reason="r")
    pages, _ = pull_all(service, cursor)
    [synced] = [e for p in pages for e in p.employees]
    assert synced.held == 0
    assert synced.balance == (50 if path[-1] == "fulfil" else 100)
    assert [o.status for p in pages for o in p.orders][-1] == service.list_orders()[0]["status"]


def test_the_wire_page_is_the_model_page(service):
    from sync.protocol import SyncPage
    from tests.ledger.factory import employee, grant, item

    employee(service)
    item(service, points=300)
    grant(service, "E1001", 1000)
    service.issue_badge("E1001", "rfid", "04AABBCC")
    wire = SyncPage.model_validate_json(service.sync_page_json(None, 100))
    assert wire == service.sync_page(None, 100)
    assert wire.employees[0].balance == 1000 and wire.entries[0].points == 1000
    assert wire.items[0].title.en and wire.badges[0].uid == "04AABBCC"
