"""Webhooks out against real receivers on loopback: signed, in order per subject, retried
while a receiver is down, given up after 24 hours and sent again; each event once across
runners; the API and the CLI that register endpoints."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ledger.domain import webhooks
from ledger.domain.access import Role
from ledger.jobs.runner import JobRunner
from ledger.jobs.schedule import WEBHOOKS
from ledger.jobs.webhooks import deliver
from ledger.service import LedgerService
from ledger.storage.database import Database
from tests.conftest import FakeClock
from tests.ledger import factory
from tests.ledger.http import error_code, hr_api
from tests.ledger.webhook_receiver import Receiver, receiving

SECRET = "whsec_test_0123456789abcdef"
ORDER_EVENTS = ["order.placed", "order.approved", "order.rejected", "points.adjusted"]


def _activity(service: LedgerService, employees: int = 3) -> list[str]:
    """Points and an order per worker, each order approved: the order ids."""
    factory.item(service, "mug", points=100)
    orders = []
    for n in range(employees):
        worker = f"E{n}"
        factory.employee(service, worker)
        factory.grant(service, worker, 500)
        placed = service.place_order(factory.order_request(worker, "mug", 100), None)
        assert placed.refusal is None
        orders.append(str(placed.order.order_id))
        service.transition(orders[-1], "approve")
    return orders


def _flush(service: LedgerService, clock: FakeClock, rounds: int = 40) -> None:
    """Run the job, moving the clock past each retry, until nothing is pending."""
    for _ in range(rounds):
        deliver(service)
        if not service.list_deliveries(status="pending")[0]:
            return
        clock.advance(hours=1, minutes=1)
    raise AssertionError("deliveries still pending")


@pytest.fixture
def steady(service: LedgerService) -> LedgerService:
    service.webhook_jitter = lambda: 0.5
    return service


def test_events_arrive_signed_as_the_envelope_in_order_per_subject(steady: LedgerService):
    with receiving(SECRET) as receiver:
        endpoint, secret = steady.add_webhook(receiver.url, ORDER_EVENTS, SECRET, "ERP")
        assert secret == SECRET and endpoint["events"] == sorted(ORDER_EVENTS)
        orders = _activity(steady)
        result = deliver(steady)
    assert result["sent"] == 9 and result["failed_attempts"] == 0
    assert all(r.signed for r in receiver.got)
    assert len(set(receiver.ids())) == 9
    bodies = [r.body for r in receiver.got]
    assert all(set(b) == {"id", "type", "created_at", "data"} for b in bodies)
    assert [r.event_id for r in receiver.got] == [b["id"] for b in bodies]
    for order_id in orders:
        kinds = [b["type"] for b in bodies if b["data"].get("order_id") == order_id]
        assert kinds == ["order.placed", "order.approved"]
    assert Counter(b["type"] for b in bodies)["points.adjusted"] == 3
    assert steady.list_deliveries(status="delivered")[0] == 9


def test_only_events_from_registration_on_and_of_the_chosen_types(steady: LedgerService):
    factory.employee(steady, "OLD")
    factory.grant(steady, "OLD", 10)  # before the endpoint: not sent
    with receiving(SECRET) as receiver:
        steady.add_webhook(receiver.url, ["order.approved"], SECRET)
        _activity(steady, employees=2)
        deliver(steady)
    assert [r.body["type"] for r in receiver.got] == ["order.approved", "order.approved"]


def test_a_receiver_that_is_down_gets_every_event_once_it_is_back(
    steady: LedgerService, clock: FakeClock
):
    receiver = Receiver(SECRET)
    receiver.start()
    steady.add_webhook(receiver.url, ORDER_EVENTS, SECRET)
    receiver.stop()
    orders = _activity(steady)
    first = deliver(steady)
    assert first["sent"] == 0 and first["failed_attempts"] == 1  # stops at the first refusal
    [tried] = [d for d in steady.list_deliveries()[1] if d["attempts"]]
    clock.advance(seconds=4)
    deliver(steady)  # another subject's first event is tried; the failed one waits 10 s
    assert next(d for d in steady.list_deliveries()[1] if d["id"] == tried["id"])["attempts"] == 1
    for _ in range(3):  # still down a while
        clock.advance(minutes=2)
        deliver(steady)
    receiver.start()  # back, on the same port
    try:
        _flush(steady, clock)
    finally:
        receiver.stop()
    ids = receiver.ids()
    assert len(set(ids)) == 9 and len(ids) == 9
    for order_id in orders:
        kinds = [r.body["type"] for r in receiver.got if r.body["data"].get("order_id") == order_id]
        assert kinds == ["order.placed", "order.approved"]


def test_a_failing_receiver_is_given_up_after_a_day_then_sent_again(
    steady: LedgerService, clock: FakeClock
):
    with receiving(SECRET) as receiver:
        receiver.status = 500
        steady.add_webhook(receiver.url, ["points.adjusted"], SECRET)
        factory.employee(steady, "E1")
        factory.grant(steady, "E1", 5)
        start = clock.now
        attempts = 0
        while attempts == 0 or steady.list_deliveries(status="pending")[0]:
            deliver(steady)
            attempts += 1
            [row] = steady.list_deliveries()[1]
            if row["status"] == "pending":
                clock.now = max(clock.now, _at(row["next_attempt_at"]))
            assert attempts < 100
        [failed] = steady.list_deliveries(status="failed")[1]
        # 10 s doubling to the hour (jitter fixed at 1x), then hourly, for 24 hours.
        assert failed["last_status"] == 500 and failed["last_error"] == "HTTP 500"
        assert timedelta(hours=23) < clock.now - start <= timedelta(hours=24)
        assert 28 <= failed["attempts"] <= 34
        assert receiver.got == []
        [alert] = steady.events(types=["webhook.failed"])
        assert alert.payload["delivery_id"] == failed["id"] and alert.payload["error"] == "HTTP 500"
        receiver.status = 204
        again = steady.resend_delivery(failed["id"])
        assert again["status"] == "pending"
        deliver(steady)
        assert len(receiver.got) == 1
        assert steady.list_deliveries(status="delivered")[0] == 1


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_retry_schedule_and_signatures() -> None:
    delays = [webhooks.retry_delay(n, lambda: 0.5).total_seconds() for n in (1, 2, 3, 10, 40)]
    assert delays == [10, 20, 40, 3600, 3600]
    assert webhooks.retry_delay(1, lambda: 0.0).total_seconds() == 5
    body = b'{"id":"x"}'
    header = webhooks.sign(SECRET, 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert webhooks.verify(SECRET, header, body, 1_700_000_100)
    assert not webhooks.verify(SECRET, header, body + b" ", 1_700_000_100)
    assert not webhooks.verify("whsec_another_secret_xx", header, body, 1_700_000_100)
    assert not webhooks.verify(SECRET, header, body, 1_700_000_000 + 301)  # too old
    assert not webhooks.verify(SECRET, "garbage", body, 1_700_000_000)


def test_two_runners_on_one_database_deliver_each_event_once(
    service: LedgerService, db_url: str, clock: FakeClock
):
    with receiving(SECRET) as receiver:
        service.add_webhook(receiver.url, ORDER_EVENTS, SECRET)
        _activity(service, employees=6)
        runners = [
            JobRunner(LedgerService(Database(db_url), clock=clock), [WEBHOOKS], name=f"w{i}")
            for i in range(2)
        ]
        stop = threading.Event()

        def work(runner: JobRunner) -> None:
            while not stop.is_set():
                runner.run_due()
                clock.advance(seconds=3)  # each look finds the job due again

        threads = [threading.Thread(target=work, args=(r,)) for r in runners]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(receiver.got) < 18 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(30)
        for runner in runners:
            runner.service.db.dispose()
    assert sorted(Counter(receiver.ids()).values()) == [1] * 18


def test_the_api_registers_and_lists_endpoints_for_admins_only(live) -> None:
    admin = hr_api(live, role=Role.ADMIN)
    hr = hr_api(live)
    body = {"url": "https://erp.example/points", "events": ["order.approved"]}
    assert hr.post("/webhooks", json=body).status_code == 403
    made = admin.post("/webhooks", json=body)
    assert made.status_code == 201, made.text
    secret = made.json()["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    listed = admin.get("/webhooks").json()
    assert [e["url"] for e in listed] == ["https://erp.example/points"]
    assert secret not in json.dumps(listed)
    for bad, field in (
        ({"url": "ftp://x/y", "events": ["order.approved"]}, "url"),
        ({"url": "https://x/y", "events": ["order.shipped"]}, "events"),
        ({"url": "https://x/y", "events": ["order.approved"], "secret": "short"}, "secret"),
    ):
        refused = admin.post("/webhooks", json=bad)
        assert refused.status_code == 422, (bad, refused.text)
        assert error_code(refused) in ("invalid_request", "validation_failed"), refused.text
        assert field in refused.text
    endpoint_id = listed[0]["id"]
    assert admin.post(f"/webhooks/{endpoint_id}/disable").json()["active"] is False
    deliveries = admin.get("/webhooks/deliveries?status=failed")
    assert deliveries.status_code == 200 and deliveries.headers["X-Total-Count"] == "0"
    missing = admin.post("/webhooks/deliveries/999/resend")
    assert missing.status_code == 404 and error_code(missing) == "not_found"


def test_the_cli_adds_with_a_secret_file_and_lists(db_url: str, tmp_path: Path, service) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET + "\n")
    key = tmp_path / "key.pem"
    base = [sys.executable, "-m", "ledger.cli"]
    tail = ["--db", db_url, "--key-file", str(key)]
    added = subprocess.run(
        [*base, "webhook", "add", "https://leave.example/hook", "--events",
         "order.approved,order.placed", "--secret-file", str(secret_file), *tail],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert SECRET not in added.stdout
    listed = subprocess.run(
        [*base, "webhook", "list", *tail], capture_output=True, text=True, timeout=120
    )
    [endpoint] = json.loads(listed.stdout)
    assert endpoint["events"] == ["order.approved", "order.placed"]
    bad = subprocess.run(
        [*base, "webhook", "add", "https://x/y", "--events", "nope", *tail],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "nope" in bad.stderr
