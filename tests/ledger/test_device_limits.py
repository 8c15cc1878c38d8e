"""What one kiosk's token can do: caps per hour and day, and revocation without delay."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from ledger import keys
from ledger.domain import access
from ledger.domain.access import Role
from ledger.service import LedgerService
from ledger.storage.database import Database
from ledger.storage.schema import init_database
from tests.conftest import FakeClock
from tests.ledger import factory
from tests.ledger.http import Api, device_api, error_code


def _order(kiosk: Api, employee_id: str, quantity: int = 1, **fields: Any) -> requests.Response:
    request = factory.order_request(employee_id, "mug", 100 * quantity, quantity, **fields)
    return kiosk.post("/orders", json=request.model_dump(mode="json"))


def test_caps_refuse_a_kiosk_beyond_its_hour_and_day_and_flag_it(live) -> None:
    service: LedgerService = live.service
    clock: FakeClock = service.clock  # type: ignore[assignment]  # the tests' clock
    for worker in ("E1", "E2"):
        factory.employee(service, worker)
        factory.grant(service, worker, 50_000)
    factory.item(service, "mug", points=100)
    service.update_settings({"site_timezone": "UTC", "pin_threshold": 10_000})
    service.update_device_caps(
        {"orders_per_hour": 2, "orders_per_day": 0, "points_per_hour": 0, "points_per_day": 1000}
    )
    clock.now = clock.now.replace(hour=9, minute=0)
    kiosk, enrolled = device_api(live, "Line 1")
    other, _ = device_api(live, "Line 2")
    hr = Api(live.url, service.create_token(Role.HR))

    def placed(
        at: Api, employee_id: str = "E1", quantity: int = 1, **fields: Any
    ) -> requests.Response:
        shown = factory.card(service, employee_id)
        return _order(at, employee_id, quantity, evidence=shown, **fields)

    assert placed(kiosk).status_code == 201
    assert placed(kiosk, "E2").status_code == 201
    capped_body = factory.order_request(
        "E1", "mug", 100, evidence=factory.card(service, "E1")
    ).model_dump(mode="json")
    refused = kiosk.post("/orders", json=capped_body)
    assert refused.status_code == 409 and error_code(refused) == "device_cap_reached"
    again = kiosk.post("/orders", json=capped_body)  # stored as refused: a replay says the same
    assert again.status_code == 409 and error_code(again) == "device_cap_reached"
    assert placed(other).status_code == 201  # the cap is per kiosk
    assert service.employee("E1")["held"] == 200

    # Sent after being offline: counted, but only the daily caps refuse it.
    assert placed(kiosk, offline=True).status_code == 201
    listed = {d["name"]: d for d in hr.get("/devices").json()["devices"]}
    line1 = listed["Line 1"]
    assert (line1["hour_orders"], line1["day_orders"], line1["day_points"]) == (3, 3, 300)
    assert line1["capped"] is True and listed["Line 2"]["capped"] is False

    clock.advance(hours=1)  # a new hour, the same day
    assert placed(kiosk).status_code == 201
    over_the_day = placed(kiosk, quantity=7)  # 400 + 700 > 1000 points today
    assert error_code(over_the_day) == "device_cap_reached"
    assert error_code(placed(kiosk, quantity=7, offline=True)) == "device_cap_reached"
    assert placed(kiosk, quantity=6).status_code == 201  # exactly 1000

    clock.advance(hours=15)  # the next day
    assert placed(kiosk, quantity=7).status_code == 201
    listed = {d["name"]: d for d in hr.get("/devices").json()["devices"]}
    assert (listed["Line 1"]["day_orders"], listed["Line 1"]["day_points"]) == (1, 700)
    assert listed["Line 1"]["capped"] is True  # flagged for a day after the last refusal
    clock.advance(hours=24)
    assert service.list_devices()[0]["capped"] is False
    assert enrolled["device_id"] in {d["device_id"] for d in service.list_devices()}

    # No cap at all when they are 0.
    service.update_device_caps({"orders_per_hour": 0, "points_per_day": 0})
    assert all(placed(kiosk).status_code == 201 for _ in range(4))
    assert service.audit_report().ok


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_a_revocation_holds_at_once_in_every_server_process(db_url: str, tmp_path: Path) -> None:
    """Two `ledger serve` processes on one database; what one revokes, the other refuses on
    the very next request, orders included."""
    key_path = tmp_path / "key.pem"
    key = keys.create_or_load(key_path)
    db = Database(db_url)
    init_database(db, keys.public_text(key))
    service = LedgerService(db, badge_key=key)
    factory.employee(service, "E1")
    factory.grant(service, "E1", 50_000)
    factory.item(service, "mug", points=100)
    shown = factory.card(service, "E1")
    hr_token = service.create_token(Role.HR, name="payroll")
    env = os.environ | {"LEDGER_DB_URL": db_url, "LEDGER_BADGE_KEY": str(key_path)}
    servers: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "ledger.cli", "serve", "--port", str(port),
                 "--log-level", "error"],
                env=env,
            )  # fmt: skip
            servers.append((process, f"http://127.0.0.1:{port}"))
        for process, url in servers:
            deadline = time.monotonic() + 30
            while True:
                try:
                    requests.get(url + "/health", timeout=1)
                    break
                except requests.ConnectionError:
                    assert time.monotonic() < deadline and process.poll() is None
                    time.sleep(0.05)
        (_, first), (_, second) = servers
        code = service.create_enroll_code()
        enrolled = requests.post(
            first + "/api/v1/devices/enroll", json={"code": code, "name": "Line 1"}, timeout=30
        ).json()
        kiosk = Api(second, enrolled["token"])
        hr = Api(second, hr_token)
        # Every route of the second process has just accepted both tokens.
        assert _order(kiosk, "E1", evidence=shown).status_code == 201
        assert kiosk.get("/sync").status_code == 200
        assert hr.get("/employees/E1").status_code == 200

        service.revoke_device(enrolled["device_id"])  # as the console or CLI would
        late = _order(kiosk, "E1", evidence=shown)
        assert late.status_code == 401 and error_code(late) == "device_revoked"
        assert error_code(kiosk.get("/sync")) == "device_revoked"
        heartbeat = {"version": "1", "outbox": 0}
        assert kiosk.post("/devices/heartbeat", json=heartbeat).status_code == 401

        with service.db.read() as session:
            token_id = next(t.id for t in access.people_tokens(session) if t.name == "payroll")
        service.revoke_token(token_id)
        assert hr.get("/employees/E1").status_code == 401
        assert service.employee("E1")["held"] == 100
    finally:
        for process, _url in servers:
            process.terminate()
            process.wait(timeout=30)
        db.dispose()


def test_caps_are_refused_with_clear_errors(live) -> None:
    admin = Api(live.url, live.service.create_token(Role.ADMIN))
    for body in ({"orders_per_hour": -1}, {"points_per_day": 2**31}, {"nope": 1}):
        answer = admin.put("/device-caps", json=body)
        assert answer.status_code == 422 and error_code(answer) == "invalid_request", body
    assert live.service.device_caps().orders_per_hour == 120  # the default, untouched
