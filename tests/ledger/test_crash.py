"""``kill -9`` the ledger under load: no acknowledged order is lost, none is doubled."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from ledger import keys
from ledger.domain.access import Role
from ledger.domain.device_caps import DeviceCaps
from ledger.service import LedgerService
from ledger.storage.database import Database
from ledger.storage.schema import init_database
from tests.ledger.factory import card, employee, grant, item

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db_url: str, key: Path) -> None:
        self.env = os.environ | {"LEDGER_DB_URL": db_url, "LEDGER_BADGE_KEY": str(key)}
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ledger.cli", "serve", "--port", str(port),
             "--log-level", "error"],
            env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/health", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("ledger did not start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


def test_kill_9_under_load_loses_and_doubles_nothing(db_url, tmp_path):
    key = tmp_path / "key.pem"
    private = keys.create_or_load(key)
    db = Database(db_url)
    init_database(db, keys.public_text(private))
    service = LedgerService(db, badge_key=private)
    item(service, points=10)
    for n in range(8):
        employee(service, f"E{n}")
        card(service, f"E{n}")
        grant(service, f"E{n}", 10_000)
    hr_token = service.create_token(Role.HR)
    # One kiosk sends hundreds of orders a minute here; what is tested is the crash.
    service.update_device_caps({name: 0 for name in DeviceCaps.model_fields})
    code = service.create_enroll_code()
    server = Server(db_url, key)
    server.start()
    device = requests.post(
        server.url + "/api/v1/devices/enroll", json={"code": code, "name": "k"}, timeout=10
    ).json()["token"]

    bodies: list[dict[str, Any]] = [
        {
            "order_id": str(uuid.uuid4()),
            "employee_id": f"E{n % 8}",
            "item_id": "card-100",
            "quantity": 1,
            "points": 10,
            "placed_at": datetime.now(UTC).isoformat(),  # the real server keeps real time
            "evidence": {"kind": "rfid", "value": f"CARDE{n % 8}"},
        }
        for n in range(400)
    ]
    acknowledged: set[str] = set()
    lock = threading.Lock()

    def client(chunk: list[dict[str, Any]]) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {device}"
        for body in chunk:
            try:
                response = session.post(server.url + "/api/v1/orders", json=body, timeout=10)
            except requests.RequestException:
                return  # the server died under us
            if response.status_code in (200, 201):
                with lock:
                    acknowledged.add(str(body["order_id"]))

    threads = [threading.Thread(target=client, args=(bodies[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    threshold = random.randint(20, 200)
    deadline = time.monotonic() + 60
    while len(acknowledged) < threshold and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill()
    for t in threads:
        t.join()
    assert threshold <= len(acknowledged) < len(bodies), "the kill came mid-load"

    server.start()
    hr = requests.Session()
    hr.headers["Authorization"] = f"Bearer {hr_token}"
    stored = {
        o["order_id"] for o in hr.get(server.url + "/api/v1/orders?limit=5000").json()["orders"]
    }
    assert acknowledged <= stored  # nothing acknowledged was lost
    assert hr.get(server.url + "/api/v1/audit").json()["ok"] is True
    # Kiosks resend everything they have no answer for: each id ends up exactly once.
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {device}"
    for body in bodies:
        status = session.post(server.url + "/api/v1/orders", json=body, timeout=10).status_code
        assert status == (200 if body["order_id"] in stored else 201)
    orders = hr.get(server.url + "/api/v1/orders?limit=5000").json()["orders"]
    assert len(orders) == len({o["order_id"] for o in orders}) == 400
    balances = [hr.get(f"{server.url}/api/v1/employees/E{n}").json()["balance"] for n in range(8)]
    assert balances == [10_000 - 500] * 8
    assert hr.get(server.url + "/api/v1/audit").json()["ok"] is True
    server.kill()
    db.dispose()
