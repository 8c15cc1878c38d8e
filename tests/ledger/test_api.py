"""The HTTP API against a live server: auth, roles, error envelopes, every endpoint's shape."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from PIL import Image
from sqlalchemy import text

from ledger.domain.access import Role
from tests.ledger.factory import card, employee, grant, item, picture
from tests.ledger.http import Api, device_api, error_code, hr_api

PNG = picture()


def order_body(points: int = 300, quantity: int = 1, **fields: object) -> dict[str, object]:
    return {
        "order_id": str(uuid.uuid4()),
        "employee_id": "E1001",
        "item_id": "card-100",
        "quantity": quantity,
        "points": points,
        "badge_serial": "ABC",
        "placed_at": "2026-06-15T10:00:00+08:00",
        "offline": False,
        "evidence": {"kind": "rfid", "value": "CARDE1001"},  # the card `world` issues
    } | fields


@pytest.fixture
def world(live):
    employee(live.service)
    item(live.service, points=300)
    grant(live.service, "E1001", 1000)
    card(live.service, "E1001")
    return live


def test_health_needs_no_token(live):
    for path in ("/health", "/api/v1/health"):
        body = requests.get(live.url + path, timeout=10).json()
        assert body["status"] == "ok" and body["epoch"] == live.service.epoch()
        assert body["version"]


def test_missing_or_unknown_token_is_401(live):
    assert error_code(Api(live.url).get("/rules")) == "unauthorized"
    response = Api(live.url, "pk_hr_nope").get("/rules")
    assert response.status_code == 401 and error_code(response) == "unauthorized"


def test_wrong_role_is_403(world):
    device, _ = device_api(world)
    response = device.get("/rules")
    assert response.status_code == 403 and error_code(response) == "forbidden"
    hr = hr_api(world)
    response = hr.get("/sync")
    assert response.status_code == 403 and error_code(response) == "forbidden"
    response = hr.put("/settings", json={"pin_threshold": 5})
    assert response.status_code == 403
    admin = hr_api(world, Role.ADMIN)
    assert admin.put("/settings", json={"pin_threshold": 5}).json()["pin_threshold"] == 5


def test_enrolment_code_works_once(live):
    code = live.service.create_enroll_code()
    url = live.url + "/api/v1/devices/enroll"
    first = requests.post(url, json={"code": code.lower(), "name": "Line 3"}, timeout=10)
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {"device_id", "token", "badge_public_key"}
    assert body["badge_public_key"] == live.service.badge_public_key()
    again = requests.post(url, json={"code": code, "name": "Line 4"}, timeout=10)
    assert again.status_code == 401 and error_code(again) == "invalid_enroll_code"
    unknown = requests.post(url, json={"code": "AAAA-BBBB-CCCC", "name": "x"}, timeout=10)
    assert unknown.status_code == 401


def test_malformed_input_is_422_naming_the_field(world):
    device, _ = device_api(world)
    response = device.post("/orders", json=order_body(quantity=0))
    assert response.status_code == 422 and error_code(response) == "invalid_request"
    assert "quantity" in response.json()["error"]["message"]
    assert response.json()["error"]["fields"][0]["field"] == "quantity"
    bad_json = device.post(
        "/orders", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status_code == 422 and error_code(bad_json) == "invalid_request"
    assert device.post("/orders", json=order_body(order_id="nope")).status_code == 422
    assert device.get("/sync", params={"limit": "many"}).status_code == 422


def test_unknown_route_and_method_have_envelopes(live):
    response = requests.get(live.url + "/api/v1/nowhere", timeout=10)
    assert response.status_code == 404 and error_code(response) == "not_found"
    response = requests.delete(live.url + "/health", timeout=10)
    assert response.status_code == 405 and error_code(response) == "method_not_allowed"


def test_order_lifecycle_over_http(world):
    device, enrolled = device_api(world)
    hr = hr_api(world)
    body = order_body()
    created = device.post("/orders", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending"
    assert created.json()["device_id"] == enrolled["device_id"]
    replay = device.post("/orders", json=body)
    assert replay.status_code == 200 and replay.json() == created.json()
    mismatch = device.post("/orders", json=body | {"quantity": 2, "points": 600})
    assert mismatch.status_code == 409 and error_code(mismatch) == "idempotency_mismatch"
    order_id = body["order_id"]
    assert [
        o["order_id"] for o in hr.get("/orders", params={"status": "pending"}).json()["orders"]
    ] == [order_id]
    fulfil_early = hr.post(f"/orders/{order_id}/fulfil")
    assert fulfil_early.status_code == 409 and error_code(fulfil_early) == "invalid_transition"
    assert hr.post(f"/orders/{order_id}/approve").json()["status"] == "approved"
    cancel = device.post(f"/orders/{order_id}/cancel")
    assert cancel.status_code == 409 and error_code(cancel) == "invalid_transition"
    rejected = hr.post(f"/orders/{order_id}/reject", json={"reason": "supplier out"})
    assert rejected.json()["status"] == "rejected" and rejected.json()["reason"] == "supplier out"
    assert hr.get("/employees/E1001").json()["balance"] == 1000
    assert hr.get("/audit").json()["ok"] is True


def test_refusals_over_http(world):
    world.service.update_settings({"pin_threshold": 5000})  # a card is enough for these
    device, _ = device_api(world)
    too_much = device.post("/orders", json=order_body(points=1200, quantity=4))
    assert too_much.status_code == 409 and error_code(too_much) == "insufficient_points"
    price = device.post("/orders", json=order_body(points=250))
    assert error_code(price) == "price_changed"
    assert error_code(device.post("/orders", json=order_body(employee_id="E4040"))) == (
        "unknown_employee"
    )
    missing = device.post("/orders", json=order_body(item_id="ghost"))
    assert missing.status_code == 404 and error_code(missing) == "unknown_item"
    unknown_cancel = device.post(f"/orders/{uuid.uuid4()}/cancel")
    assert unknown_cancel.status_code == 404


def test_reject_needs_a_reason(world):
    hr = hr_api(world)
    device, _ = device_api(world)
    body = order_body()
    device.post("/orders", json=body)
    response = hr.post(f"/orders/{body['order_id']}/reject", json={})
    assert response.status_code == 422 and "reason" in response.json()["error"]["message"]


def test_employees_badges_rules_events_adjustments(live):
    hr = hr_api(live)
    created = hr.put("/employees/E2001", json={"name": "李娜", "department": "质检部"})
    assert created.status_code == 200 and created.json()["balance"] == 0
    assert hr.put("/employees/E2001", json={"name": "李娜", "language": "fr"}).status_code == 422
    assert hr.put("/employees/bad.id", json={"name": "x"}).status_code == 422
    badge = hr.post("/badges", json={"employee_id": "E2001", "kind": "qr"})
    assert badge.status_code == 201 and badge.json()["qr"].startswith("PK1.E2001.")
    rfid = hr.post("/badges", json={"employee_id": "E2001", "kind": "rfid", "uid": "04:a1:b2:c3"})
    assert rfid.status_code == 201 and "qr" not in rfid.json()
    dup = hr.post("/badges", json={"employee_id": "E2001", "kind": "rfid", "uid": "04A1B2C3"})
    assert dup.status_code == 409 and error_code(dup) == "uid_in_use"
    assert hr.post(f"/badges/{rfid.json()['serial']}/revoke").status_code == 200
    assert hr.post("/badges/NOPE/revoke").status_code == 404
    rule = {
        "points": 200,
        "validity_days": 365,
        "active": True,
        "title": {"zh": "参加企业文化活动", "en": "Company activity"},
        "cap_per_period": 400,
        "period": "month",
    }
    assert hr.put("/rules/activity.attended", json=rule).status_code == 200
    half = rule | {"cap_per_period": None}
    assert hr.put("/rules/activity.attended", json=half).status_code == 422
    assert [r["kind"] for r in hr.get("/rules").json()["rules"]] == ["activity.attended"]
    at = datetime(2026, 6, 1, 9, tzinfo=UTC).isoformat()
    events = [
        {
            "event_id": f"ev-{n}",
            "kind": "activity.attended",
            "employee_id": "E2001",
            "occurred_at": at,
        }
        for n in range(3)
    ] + [{"event_id": "ev-x", "kind": "nope.kind", "employee_id": "E2001", "occurred_at": at}]
    outcome = hr.post("/events", json=events).json()
    assert outcome == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [
            {"event_id": "ev-2", "code": "cap_reached"},
            {"event_id": "ev-x", "code": "unknown_kind"},
        ],
    }
    assert hr.post("/events", json=events[:2]).json()["duplicates"] == 2
    adj = {"adjustment_id": "a-1", "employee_id": "E2001", "points": -100, "reason": "correction"}
    assert hr.post("/adjustments", json=adj).status_code == 201
    assert hr.post("/adjustments", json=adj).status_code == 200
    over = adj | {"adjustment_id": "a-2", "points": -1000}
    assert error_code(hr.post("/adjustments", json=over)) == "insufficient_points"
    detail = hr.get("/employees/E2001").json()
    assert detail["balance"] == 300
    assert [lot["points"] for lot in detail["expiring"]] == [100, 200]
    entries = hr.get("/employees/E2001/entries").json()["entries"]
    assert [e["points"] for e in entries] == [-100, 200, 200]
    assert hr.get("/employees/E404").status_code == 404


def test_items_and_images(live):
    hr = hr_api(live)
    spec = {
        "title": {"zh": "额外年假一天", "en": "One extra day of leave"},
        "description": {"zh": "与主管确认日期", "en": "Agree the date with your lead"},
        "category": "virtual",
        "points": 500,
        "stock": None,
        "limit_per_employee": 2,
        "limit_period": "year",
        "active": True,
    }
    assert hr.put("/items/leave-1d", json=spec).status_code == 200
    assert hr.put("/items/leave-1d", json=spec | {"category": "food"}).status_code == 422
    assert hr.put("/items/leave-1d", json=spec | {"limit_period": None}).status_code == 422
    upload = hr.put("/items/leave-1d/image", data=PNG, headers={"Content-Type": "image/png"})
    assert upload.status_code == 200 and len(upload.json()["image_sha256"]) == 64
    gif = hr.put("/items/leave-1d/image", data=b"GIF89a....")
    assert gif.status_code == 415 and error_code(gif) == "unsupported_media_type"
    huge = hr.put("/items/leave-1d/image", data=PNG + b"\x00" * (3 * 1024 * 1024))
    assert huge.status_code == 413 and error_code(huge) == "payload_too_large"
    assert hr.put("/items/ghost/image", data=PNG).status_code == 404
    image = hr.get("/items/leave-1d/image")
    assert image.status_code == 200
    assert hashlib.sha256(image.content).hexdigest() == upload.json()["image_sha256"]
    assert Image.open(io.BytesIO(image.content)).size == Image.open(io.BytesIO(PNG)).size
    assert image.headers["content-type"] == "image/png"
    items = hr.get("/items").json()["items"]
    assert items[0]["image_sha256"] == upload.json()["image_sha256"]


def test_expiry_devices_and_heartbeat(live, clock):
    hr = hr_api(live)
    employee(live.service)
    grant(live.service, "E1001", 100, validity_days=10)
    clock.advance(days=11)
    assert hr.post("/expiry/run").json() == {"expired_points": 100, "lots": 1}
    assert hr.post("/expiry/run").json() == {"expired_points": 0, "lots": 0}
    device, enrolled = device_api(live, "Gate kiosk")
    beat = {"version": "0.1.0", "outbox": 3, "last_sync_at": "2026-06-26T01:00:00Z"}
    assert device.post("/devices/heartbeat", json=beat).status_code == 204
    assert device.post("/devices/heartbeat", json={"outbox": -1}).status_code == 422
    [row] = hr.get("/devices").json()["devices"]
    assert row["device_id"] == enrolled["device_id"] and row["outbox"] == 3
    assert row["version"] == "0.1.0" and row["last_seen_at"]
    live.service.revoke_device(enrolled["device_id"])
    response = device.get("/sync")
    assert response.status_code == 401 and error_code(response) == "device_revoked"


def test_times_without_a_timezone_are_refused(world):
    device, _ = device_api(world)
    naive = device.post("/orders", json=order_body(placed_at="2026-06-15T10:00:00"))
    assert naive.status_code == 422 and "placed_at" in naive.json()["error"]["message"]
    hr = hr_api(world)
    event = {"event_id": "n-1", "kind": "x.y", "employee_id": "E1001", "occurred_at": "2026-06-01"}
    response = hr.post("/events", json=[event])
    assert response.status_code == 422 and "occurred_at" in response.json()["error"]["message"]
    beat = device.post(
        "/devices/heartbeat",
        json={"version": "1", "outbox": 0, "last_sync_at": "2026-06-01T00:00:00"},
    )
    assert beat.status_code == 422


def test_implausible_event_times_are_refused_cleanly(world):
    hr = hr_api(world)
    from tests.ledger.factory import rule

    rule(world.service)
    events = [
        {"event_id": "f-1", "kind": "performance.excellent", "employee_id": "E1001",
         "occurred_at": "2099-12-31T23:59:59+00:00"},
        {"event_id": "f-2", "kind": "performance.excellent", "employee_id": "E1001",
         "occurred_at": "2001-01-02T00:00:00+08:00"},
    ]  # fmt: skip
    outcome = hr.post("/events", json=events)
    assert outcome.status_code == 200, outcome.text
    assert outcome.json()["accepted"] == 1
    assert outcome.json()["rejected"] == [{"event_id": "f-1", "code": "occurred_in_future"}]
    for year in ("0001", "9999"):
        odd = [events[0] | {"event_id": "f-3", "occurred_at": f"{year}-01-02T00:00:00+00:00"}]
        response = hr.post("/events", json=odd)
        assert response.status_code == 422 and "occurred_at" in response.json()["error"]["message"]
    assert hr.get("/audit").json()["ok"] is True
    # The 2001 event expired long ago: earned and expired at once, balance unchanged.
    assert hr.get("/employees/E1001").json()["balance"] == 1000


def test_many_refused_and_unknown_orders_leave_the_server_healthy(world):
    """Errors on the order path must not leak database connections."""
    device, _ = device_api(world)
    for n in range(60):
        body = order_body(employee_id="E404") if n % 2 else order_body(points=1)
        assert device.post("/orders", json=body).status_code in (404, 409)
    assert device.post("/orders", json=order_body()).status_code == 201
    db = world.service.db
    if not db.is_sqlite:
        with db.read() as session:
            open_connections = session.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            )
        assert open_connections <= 12  # the pools' sizes, not one per failed order


def test_pin_is_set_by_hr_and_never_reaches_a_kiosk(world):
    hr = hr_api(world)
    device, _ = device_api(world)
    assert hr.put("/employees/E1001/pin", json={"pin": "12ab"}).status_code == 422
    assert error_code(hr.put("/employees/NOPE/pin", json={"pin": "1234"})) == "unknown_employee"
    assert device.put("/employees/E1001/pin", json={"pin": "1234"}).status_code == 403
    assert hr.put("/employees/E1001/pin", json={"pin": "4321"}).status_code == 204
    assert hr.get("/employees/E1001").json()["has_pin"] is True
    page = device.get("/sync")
    assert "pin_hash" not in page.json()["employees"][0] and "scrypt" not in page.text


def test_only_an_admin_issues_maintenance_badges(world):
    hr, admin = hr_api(world), hr_api(world, Role.ADMIN)
    refused = hr.post("/badges", json={"employee_id": "E1001", "kind": "admin"})
    assert refused.status_code == 403 and error_code(refused) == "forbidden"
    issued = admin.post("/badges", json={"employee_id": "E1001", "kind": "admin"})
    assert issued.status_code == 201 and issued.json()["qr"].startswith("PKA1.E1001.")


def test_devices_are_flagged_stale_or_with_a_backlog(world):
    hr = hr_api(world)
    quiet, _ = device_api(world, "Kiosk quiet")
    busy, _ = device_api(world, "Kiosk busy")
    device_api(world, "Kiosk never seen")
    clock = world.service.clock
    assert quiet.post("/devices/heartbeat", json={"version": "0.1.0", "outbox": 0}).ok
    stuck = (clock() - timedelta(minutes=30)).isoformat()
    beat = {"version": "0.1.0", "outbox": 3, "oldest_unsent_at": stuck}
    assert busy.post("/devices/heartbeat", json=beat).ok

    def flags() -> dict[str, tuple[bool, bool]]:
        devices = hr.get("/devices").json()["devices"]
        return {d["name"]: (d["stale"], d["backlog"]) for d in devices}

    assert flags() == {
        "Kiosk busy": (False, True),
        "Kiosk never seen": (True, False),
        "Kiosk quiet": (False, False),
    }
    clock.advance(minutes=16)
    assert flags()["Kiosk quiet"] == (True, False)
    loose = hr.get("/devices", params={"stale_minutes": 60}).json()["devices"]
    assert not any(d["stale"] for d in loose if d["name"] != "Kiosk never seen")
    busy_row = next(d for d in loose if d["name"] == "Kiosk busy")
    assert busy_row["oldest_unsent_age_seconds"] == 46 * 60


def test_an_unexpected_error_is_a_generic_500_and_is_logged(live, monkeypatch, caplog):
    def broken() -> None:
        raise RuntimeError("secret detail: postgresql://ledger:hunter2@db/points")

    monkeypatch.setattr(live.service, "list_rules", broken)
    with caplog.at_level("ERROR"):
        response = hr_api(live).get("/rules")
    assert response.status_code == 500 and error_code(response) == "internal_error"
    assert "secret" not in response.text and "hunter2" not in response.text
    assert any("secret detail" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
