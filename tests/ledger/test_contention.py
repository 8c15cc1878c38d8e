"""Concurrent orders through the real HTTP server: the ledger never oversells or overspends."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ledger.factory import card, employee, grant, item
from tests.ledger.http import device_api, hr_api

pytestmark = pytest.mark.slow


def fire(live, bodies: list[dict[str, object]], clients: int = 25) -> list[int]:
    apis = [device_api(live, f"kiosk-{n}")[0] for n in range(4)]

    def send(n: int) -> int:
        return apis[n % len(apis)].post("/orders", json=bodies[n]).status_code

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(send, range(len(bodies))))


def body(employee_id: str, item_id: str, points: int) -> dict[str, object]:
    return {
        "order_id": str(uuid.uuid4()),
        "employee_id": employee_id,
        "item_id": item_id,
        "quantity": 1,
        "points": points,
        "placed_at": "2026-06-15T10:00:00+08:00",
        "offline": False,
        "evidence": {"kind": "rfid", "value": f"CARD{employee_id}"},  # factory.card's
    }


def test_fifty_orders_against_points_for_ten(live):
    employee(live.service)
    card(live.service, "E1001")
    item(live.service, points=100)
    grant(live.service, "E1001", 600, adjustment_id="a")
    grant(live.service, "E1001", 400, adjustment_id="b", validity_days=30)
    statuses = fire(live, [body("E1001", "card-100", 100) for _ in range(50)])
    assert statuses.count(201) == 10
    assert statuses.count(409) == 40
    hr = hr_api(live)
    assert hr.get("/employees/E1001").json()["balance"] == 0
    assert len(hr.get("/orders", params={"status": "pending"}).json()["orders"]) == 10
    assert hr.get("/audit").json()["ok"] is True


def test_hundred_orders_for_five_in_stock(live):
    item(live.service, "cake", points=10, stock=5)
    for n in range(20):
        employee(live.service, f"E{n:04}")
        card(live.service, f"E{n:04}")
        grant(live.service, f"E{n:04}", 100)
    statuses = fire(live, [body(f"E{n % 20:04}", "cake", 10) for n in range(100)])
    assert statuses.count(201) == 5
    assert statuses.count(409) == 95
    hr = hr_api(live)
    assert hr.get("/items").json()["items"][0]["stock"] == 0
    assert hr.get("/audit").json()["ok"] is True


def test_retried_order_ids_create_once_under_concurrency(live):
    employee(live.service)
    card(live.service, "E1001")
    item(live.service, points=100)
    grant(live.service, "E1001", 1000)
    same = body("E1001", "card-100", 100)
    statuses = fire(live, [same] * 30)
    assert statuses.count(201) == 1 and statuses.count(200) == 29
    hr = hr_api(live)
    assert hr.get("/employees/E1001").json()["balance"] == 900
    assert hr.get("/audit").json()["ok"] is True
