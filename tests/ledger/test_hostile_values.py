"""Values at and past every column's bounds, NUL characters and far-off times: every route
answers them with a clean 4xx (or takes them), and nothing it took breaks a later read."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from ledger.domain.access import Role
from tests.ledger.factory import employee, grant, item, order_request, rule
from tests.ledger.http import Api, device_api, hr_api

HOSTILE: list[Any] = [
    "\x00", "a\x00b", "", 2**31, 2**63, 2**64, -(2**63) - 1, 10**30, 1e308,
    "9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59-08:00", "0001-01-01T00:00:00+08:00",
    "0001-01-01T00:00:00Z",
]  # fmt: skip


def _bodies(clock_now: str) -> list[tuple[str, str, str, Any]]:
    """(role, method, path, a valid body) for every route that takes a body or a path id."""
    return [
        ("device", "POST", "/orders", {
            "order_id": str(uuid.uuid4()), "employee_id": "E1001", "item_id": "card-100",
            "quantity": 1, "points": 300, "badge_serial": "S1", "placed_at": clock_now,
            "offline": False, "evidence": {"kind": "rfid", "value": "CARDE1001"},
        }),
        ("device", "POST", "/pin-checks", {"employee_id": "E1001", "pin": "1234"}),
        ("device", "POST", "/devices/heartbeat", {
            "version": "1.0", "outbox": 0, "last_sync_at": clock_now,
            "oldest_unsent_at": clock_now,
        }),
        ("device", "POST", "/preferences/language", {
            "employee_id": "E1001", "language": "en", "badge_serial": "S1",
        }),
        ("anonymous", "POST", "/devices/enroll", {"code": "AAAA-BBBB", "name": "Line 9"}),
        ("hr", "PUT", "/employees/E2001", {
            "name": "王", "department": "总装", "language": "zh", "active": True,
        }),
        ("hr", "PUT", "/employees/E1001/pin", {"pin": "1234"}),
        ("hr", "POST", "/badges", {"employee_id": "E1001", "kind": "rfid", "uid": "04A1B2C3"}),
        ("hr", "PUT", "/rules/training.safety", {
            "points": 10, "validity_days": 30, "active": True,
            "title": {"zh": "安全", "en": "Safety"}, "cap_per_period": 5, "period": "month",
        }),
        ("hr", "POST", "/adjustments", {
            "adjustment_id": "adj-1", "employee_id": "E1001", "points": 5, "reason": "fix",
            "validity_days": 30,
        }),
        ("hr", "PUT", "/items/mug", {
            "title": {"zh": "杯", "en": "Mug"}, "description": {"zh": "", "en": ""},
            "category": "physical", "points": 100, "stock": 5, "limit_per_employee": 1,
            "limit_period": "month", "active": True,
        }),
        ("admin", "PUT", "/settings", {
            "offline_spend_limit": 2000, "offline_order_limit": 1500,
            "offline_kiosk_limit": 20000, "offline_max_hours": 24,
            "idle_timeout_seconds": 45, "pin_threshold": 1000, "site_timezone": "Asia/Shanghai",
        }),
    ]  # fmt: skip


EVENT = {"event_id": "ev-1", "kind": "performance.excellent", "employee_id": "E1001"}
PATHS = [
    ("hr", "POST", "/badges/{}/revoke"),
    ("hr", "POST", "/orders/{}/approve"),
    ("hr", "GET", "/employees/{}"),
    ("hr", "PUT", "/items/{}/image"),
    ("device", "POST", "/orders/{}/cancel"),
]
QUERIES = [
    ("hr", "/orders", ["limit", "status"]),
    ("hr", "/devices", ["stale_minutes", "backlog_minutes"]),
    ("hr", "/domain-events", ["after", "limit", "type"]),
    ("hr", "/employees/E1001/entries", ["limit"]),
    ("device", "/sync", ["cursor", "limit"]),
]


@pytest.fixture
def apis(live) -> dict[str, Api]:
    employee(live.service)
    rule(live.service)
    item(live.service, points=300)
    grant(live.service, "E1001", 1000)
    device, _ = device_api(live)
    return {
        "device": device,
        "hr": hr_api(live),
        "admin": hr_api(live, Role.ADMIN),
        "anonymous": Api(live.url),
    }


def _fields(body: dict[str, Any]) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for key, value in body.items():
        if isinstance(value, dict):
            paths.extend((key, inner) for inner in value)
        else:
            paths.append((key,))
    return paths


def _with(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    copy = {k: dict(v) if isinstance(v, dict) else v for k, v in body.items()}
    if len(path) == 1:
        copy[path[0]] = value
    else:
        copy[path[0]][path[1]] = value
    if "order_id" in copy and path != ("order_id",):
        copy["order_id"] = str(uuid.uuid4())  # a new order each time, not a replay
    return copy


def _clean(response: requests.Response, what: object) -> None:
    assert response.status_code < 500, (what, response.text[:300])
    if response.status_code >= 400:
        assert response.json()["error"]["code"], what


def test_every_field_of_every_route_takes_hostile_values(apis, live):
    now = live.service.clock().isoformat()
    for role, method, path, body in _bodies(now):
        for field in _fields(body):
            for value in HOSTILE:
                response = apis[role].call(method, path, json=_with(body, field, value))
                _clean(response, (path, field, value))
    for name in ("event_id", "kind", "employee_id", "occurred_at"):
        for value in HOSTILE:
            event: dict[str, Any] = {**EVENT, "occurred_at": now, name: value}
            _clean(apis["hr"].post("/events", json=[event]), ("/events", field, value))


def test_hostile_path_ids_and_queries(apis):
    for role, method, template in PATHS:
        for value in ("%00", "a%00b", "9" * 200, "%C2%B2", "..%2Fa%20b"):
            response = apis[role].call(method, template.format(value), data=b"")
            _clean(response, (template, value))
    for role, path, names in QUERIES:
        for name in names:
            for value in ("%00", "1e20", str(2**63), str(2**64), "-1", "%C2%B2", "9" * 50):
                response = apis[role].get(f"{path}?{name}={value}")
                _clean(response, (path, name, value))


def test_out_of_range_values_are_refused(apis, live):
    now = live.service.clock().isoformat()
    order = _bodies(now)[0][3]
    for placed_at in ("9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+08:00"):
        response = apis["device"].post("/orders", json={**order, "placed_at": placed_at})
        assert response.status_code == 422, response.text
    for field, value in (("stock", 2**63), ("limit_per_employee", 2**31)):
        body = _bodies(now)[9][3] | {field: value}
        assert apis["hr"].put("/items/mug", json=body).status_code == 422
    beat = _bodies(now)[1][3] | {"outbox": 2**31}
    assert apis["device"].post("/devices/heartbeat", json=beat).status_code == 422
    person = {"name": "a\x00b", "department": "", "language": "zh", "active": True}
    assert apis["hr"].put("/employees/E2002", json=person).status_code == 422


def test_what_was_taken_reads_back(apis, live):
    test_every_field_of_every_route_takes_hostile_values(apis, live)
    # Whatever the hostile round stored, every read of it still answers.
    for path in ("/orders", "/devices", "/items", "/rules", "/audit", "/domain-events"):
        assert apis["hr"].get(path).status_code == 200, path
    assert apis["device"].get("/sync").status_code == 200
    placed = live.service.place_order(
        order_request("E1001", "card-100", 300, placed_at=live.service.clock()), None
    )
    assert placed.refusal is None
    assert apis["hr"].get("/audit").json()["ok"] is True
