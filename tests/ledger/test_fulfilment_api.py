"""Code pools and external systems through the HTTP API and the CLI."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from ledger.domain.access import Role
from tests.ledger.factory import card, employee, grant, item
from tests.ledger.http import device_api, error_code, hr_api


def _order(live, kiosk, employee_id: str, item_id: str = "gift-50", points: int = 100) -> str:
    order_id = str(uuid.uuid4())
    response = kiosk.post(
        "/orders",
        json={
            "order_id": order_id,
            "employee_id": employee_id,
            "item_id": item_id,
            "quantity": 1,
            "points": points,
            "placed_at": "2026-06-15T10:00:00+08:00",
            "evidence": card(live.service, employee_id),
        },
    )
    assert response.status_code == 201, response.text
    return order_id


def test_codes_through_the_api_reach_only_their_worker(live):
    for who in ("E1001", "E1002"):
        employee(live.service, who)
        grant(live.service, who, 1000)
    item(live.service, "gift-50", points=100, fulfilment="code_pool")
    hr = hr_api(live)
    kiosk, _ = device_api(live)
    added = hr.post("/items/gift-50/codes", json={"codes": ["AAAA-1", "BBBB-2", "AAAA-1"]})
    assert added.json() == {"added": 2, "duplicates": 0, "remaining": 2}
    assert hr.get("/items/gift-50/fulfilment").json()["codes_remaining"] == 2

    mine = _order(live, kiosk, "E1001")
    assert hr.post(f"/orders/{mine}/approve").json()["status"] == "fulfilled"
    # Neither the order list nor the sync feed carries the code.
    assert "AAAA-1" not in hr.get("/orders").text
    assert "AAAA-1" not in kiosk.get("/sync").text

    asked = kiosk.post(
        "/orders/codes", json={"employee_id": "E1001", "evidence": card(live.service, "E1001")}
    )
    assert asked.json() == {"codes": [{"order_id": mine, "item_id": "gift-50", "code": "AAAA-1"}]}
    other = kiosk.post(
        "/orders/codes", json={"employee_id": "E1002", "evidence": card(live.service, "E1002")}
    )
    assert other.json() == {"codes": []}
    forged = kiosk.post(
        "/orders/codes", json={"employee_id": "E1001", "evidence": card(live.service, "E1002")}
    )
    assert forged.status_code == 403 and error_code(forged) == "evidence_invalid"
    assert hr.post("/orders/codes", json={"employee_id": "E1001"}).status_code in (401, 403, 422)

    shown = hr.post(f"/orders/{mine}/code")
    assert shown.json() == {"order_id": mine, "code": "AAAA-1"}

    _order(live, kiosk, "E1002")
    last = _order(live, kiosk, "E1002")
    hr.post(f"/orders/{_order(live, kiosk, 'E1001')}/approve")  # the last code
    empty = hr.post(f"/orders/{last}/approve")
    assert empty.status_code == 409 and error_code(empty) == "code_pool_empty"


def test_only_admins_set_an_external_system(live):
    item(live.service, "leave-day", points=500, category="virtual", fulfilment="external")
    body = {"url": "https://leave.example.com/points"}
    refused = hr_api(live).put("/items/leave-day/external", json=body)
    assert refused.status_code == 403
    done = hr_api(live, Role.ADMIN).put("/items/leave-day/external", json=body).json()
    assert done["secret"].startswith("whsec_")
    assert done["fulfilment"]["external_url"] == body["url"]
    assert "whsec_" not in hr_api(live).get("/items/leave-day/fulfilment").text


def test_codes_add_from_the_command_line(db_url: str, tmp_path: Path) -> None:
    key = tmp_path / "key.pem"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ledger.cli", *args, "--db", db_url, "--key-file", str(key)],
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert run("init").returncode == 0
    assert (tmp_path / "key.pem.code-key.txt").stat().st_mode & 0o777 == 0o600
    from ledger.domain.catalogue import ItemSpec
    from ledger.service import LedgerService
    from ledger.storage.database import Database
    from sync.protocol import Localized

    db = Database(db_url)
    LedgerService(db).put_item(
        "gift-50",
        ItemSpec(title=Localized(zh="礼品卡", en="Gift card"), category="virtual", points=100,
                 fulfilment="code_pool"),
    )  # fmt: skip
    db.dispose()
    codes = tmp_path / "codes.csv"
    codes.write_text("code\nX-1\nX-2\nX-1\n", encoding="utf-8")
    added = run("codes", "add", "gift-50", str(codes))
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "gift-50: 2 added, 0 already in a pool, 2 unused"
    again = run("codes", "add", "gift-50", str(codes))
    assert "0 added, 2 already in a pool" in again.stdout
    assert run("codes", "count", "gift-50").stdout.strip() == "gift-50: 2 unused, 0 given to orders"
    unknown = run("codes", "add", "nope", str(codes))
    assert unknown.returncode == 2 and "unknown_item" in unknown.stderr
