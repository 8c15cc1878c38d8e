"""Least data to kiosks: every field the sync feed sends has a documented reason, and the
fields no kiosk shows or checks are not sent."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from sync.protocol import SyncPage
from tests.ledger.factory import card, employee, grant, item
from tests.ledger.http import device_api

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "docs" / "SECURITY.md"
SECTION = "## What a kiosk receives"


def sent_models(model: type[BaseModel] = SyncPage) -> dict[str, type[BaseModel]]:
    """The page's model and every model nested in it (lists and single fields), by name."""
    found = {model.__name__: model}
    for info in model.model_fields.values():
        annotation = info.annotation
        candidates = get_args(annotation) if get_origin(annotation) is not None else (annotation,)
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found |= sent_models(candidate)
    return found


def documented() -> dict[str, list[tuple[str, str]]]:
    """The section's tables: for each ``### … (`Model`, …)`` heading, its (field, reason) rows,
    under every model the heading names."""
    text = SECURITY.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/SECURITY.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    tables: dict[str, list[tuple[str, str]]] = {}
    current: list[str] = []
    for line in section.splitlines():
        heading = re.match(r"^### .*\(((?:`\w+`(?:, )?)+)\)\s*$", line)
        if heading:
            current = re.findall(r"`(\w+)`", heading.group(1))
            for name in current:
                assert name not in tables, f"two tables for {name}"
                tables[name] = []
            continue
        row = re.match(r"^\| `(\w+)` \| (.+) \|\s*$", line)
        if row:
            assert current, f"a table row under no model's heading: {line}"
            for name in current:
                tables[name].append((row.group(1), row.group(2).strip()))
    return tables


def test_every_field_the_feed_sends_has_a_documented_reason() -> None:
    models = sent_models()
    tables = documented()
    assert set(tables) == set(models), "one table per model the feed sends, and no other"
    for name, model in models.items():
        fields = [field for field, _ in tables[name]]
        assert len(fields) == len(set(fields)), f"{name}: a field documented twice"
        assert set(fields) == set(model.model_fields), (
            f"{name}: sent but undocumented {sorted(set(model.model_fields) - set(fields))}, "
            f"documented but not sent {sorted(set(fields) - set(model.model_fields))}"
        )


def test_each_reason_names_a_module_that_exists() -> None:
    for name, rows in documented().items():
        for field, reason in rows:
            modules = re.findall(r"`([\w/]+\.py)", reason)
            assert modules, f"{name}.{field}: the reason names no module"
            for module in modules:
                assert (ROOT / module).is_file(), f"{name}.{field}: no file {module}"


def _rows(page: dict[str, Any], entity: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = page[entity]
    assert rows, f"the page carries no {entity}: the check below would prove nothing"
    return rows


def test_a_real_page_leaves_out_what_no_kiosk_shows_or_checks(live) -> None:
    service = live.service
    employee(service, "E1001", department="总装车间")
    item(service, points=300)
    grant(service, "E1001", 1000)
    evidence = card(service, "E1001")
    device, _ = device_api(live)

    def order() -> str:
        body = {
            "order_id": str(uuid.uuid4()),
            "employee_id": "E1001",
            "item_id": "card-100",
            "quantity": 1,
            "points": 300,
            "placed_at": "2026-06-15T10:00:00+08:00",
            "evidence": evidence,
        }
        placed = device.post("/orders", json=body)
        assert placed.status_code == 201, placed.text
        # The kiosk that placed it hears its own device and last change in the answer.
        assert placed.json()["device_id"] and placed.json()["updated_at"]
        return str(body["order_id"])

    approved, rejected = order(), order()
    service.transition(approved, "approve", reason="handed to the supplier by Li")
    service.transition(rejected, "reject", reason="supplier out")

    service.write_inbox()
    response = device.get("/sync", params={"limit": 5000})
    assert response.status_code == 200
    page = response.json()
    assert "server_time" not in page
    assert "总装车间" not in response.text
    assert all("department" not in e for e in _rows(page, "employees"))
    assert all("issued_at" not in b for b in _rows(page, "badges"))
    assert all("points" not in lot and lot["remaining"] for lot in _rows(page, "lots"))
    orders = {o["order_id"]: o for o in _rows(page, "orders")}
    assert all(not {"device_id", "offline", "updated_at"} & set(o) for o in orders.values())
    # HR's words reach a kiosk only as a rejection's reason, which the worker is shown.
    assert orders[approved]["reason"] is None and orders[rejected]["reason"] == "supplier out"
    notes = {(m["kind"], m["note"]) for m in _rows(page, "messages")}
    assert notes == {("adjusted", "test grant"), ("approved", None), ("rejected", "supplier out")}
    # A memo only as an adjustment's title; a hold's names the item, known from its order.
    memos = {(e["kind"], e["memo"]) for e in _rows(page, "entries")}
    assert memos == {("adjust", "test grant"), ("hold", None), ("refund", None)}
