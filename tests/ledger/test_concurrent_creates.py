"""Creates and replays racing each other over HTTP: each gets its answer, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from tests.ledger.factory import employee, grant, rule
from tests.ledger.http import Api, error_code, hr_api

ROUNDS = 4
CLIENTS = 12


def race(apis: list[Api], method: str, path: str, bodies: Sequence[Any]) -> list[requests.Response]:
    """Client ``n`` sends ``bodies[n]``, every client at once (a barrier lines them up)."""
    barrier = threading.Barrier(len(apis))

    def one(n: int) -> requests.Response:
        barrier.wait()
        return apis[n].call(method, path, json=bodies[n])

    with ThreadPoolExecutor(max_workers=len(apis)) as pool:
        return list(pool.map(one, range(len(apis))))


def _clients(live: Any) -> list[Api]:
    return [hr_api(live) for _ in range(CLIENTS)]


def test_replays_of_one_adjustment(live):
    employee(live.service)
    apis = _clients(live)
    for n in range(ROUNDS):
        body = {"adjustment_id": f"adj-{n}", "employee_id": "E1001", "points": 7, "reason": "x"}
        answers = race(apis, "POST", "/adjustments", [body] * CLIENTS)
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200] * (CLIENTS - 1) + [201], [a.text for a in answers]
        assert len({a.json()["transfer_id"] for a in answers}) == 1
    assert apis[0].get("/employees/E1001").json()["balance"] == 7 * ROUNDS
    assert apis[0].get("/audit").json()["ok"] is True


def test_creates_of_one_employee_item_and_rule(live):
    apis = _clients(live)
    for n in range(ROUNDS):
        person = {"name": f"Worker {n}", "department": "A"}
        answers = race(apis, "PUT", f"/employees/E2{n:03}", [person] * CLIENTS)
        assert [a.status_code for a in answers] == [200] * CLIENTS, [a.text for a in answers]
        item = {"title": {"zh": "杯", "en": "Mug"}, "category": "physical", "points": 50}
        answers = race(apis, "PUT", f"/items/mug-{n}", [item] * CLIENTS)
        assert [a.status_code for a in answers] == [200] * CLIENTS, [a.text for a in answers]
        spec = {"points": 10, "validity_days": 30, "title": {"zh": "训", "en": "Training"}}
        answers = race(apis, "PUT", f"/rules/training.r{n}", [spec] * CLIENTS)
        assert [a.status_code for a in answers] == [200] * CLIENTS, [a.text for a in answers]
    assert len(apis[0].get("/items").json()["items"]) == ROUNDS


def test_replays_of_one_event(live):
    employee(live.service)
    rule(live.service)
    apis = _clients(live)
    at = live.service.clock().isoformat()
    for n in range(ROUNDS):
        event = {"event_id": f"ev-{n}", "kind": "performance.excellent", "employee_id": "E1001",
                 "occurred_at": at}  # fmt: skip
        answers = race(apis, "POST", "/events", [[event]] * CLIENTS)
        assert [a.status_code for a in answers] == [200] * CLIENTS, [a.text for a in answers]
        assert sum(a.json()["accepted"] for a in answers) == 1
        assert sum(a.json()["duplicates"] for a in answers) == CLIENTS - 1


def test_one_rfid_card_issued_to_several_at_once(live):
    people = [employee(live.service, f"E3{n:03}") for n in range(3)]
    grant(live.service, people[0], 1)
    apis = _clients(live)[:3]
    for n in range(ROUNDS * 2):
        uid = f"04A1B2{n:02X}"
        bodies = [{"employee_id": person, "kind": "rfid", "uid": uid} for person in people]
        answers = race(apis, "POST", "/badges", bodies)
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [201, 409, 409], [a.text for a in answers]
        assert all(error_code(a) == "uid_in_use" for a in answers if a.status_code == 409)
    from ledger.storage.models import Badge

    with live.service.db.read() as session:
        live_uids = [b.uid for b in session.query(Badge).filter(Badge.revoked_at.is_(None))]
    assert len(live_uids) == len(set(live_uids)) == ROUNDS * 2
