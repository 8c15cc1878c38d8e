"""Building blocks for ledger tests: employees, rules, items and orders in one call."""

from __future__ import annotations

import io
import uuid
from datetime import datetime

from PIL import Image

from ledger.domain.adjustments import AdjustmentIn
from ledger.domain.catalogue import ItemSpec
from ledger.domain.people import EmployeeSpec
from ledger.domain.rules import EventIn, RuleSpec
from ledger.service import LedgerService
from ledger.storage.models import Device
from sync.protocol import Localized, OrderRequest


def kiosk(service: LedgerService, device_id: str = "kiosk-1", name: str = "Line 1") -> str:
    """A device row with a fixed id (enrolment draws a random one), for service-level tests
    that place a kiosk's orders and compare ids across databases."""
    with service.db.write() as session:
        session.add(Device(id=device_id, name=name, enrolled_at=service.clock()))
    return device_id


def picture(width: int = 8, height: int = 6, fmt: str = "PNG") -> bytes:
    """A real, decodable picture (the ledger decodes and re-encodes every upload)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def employee(service: LedgerService, employee_id: str = "E1001", **fields: object) -> str:
    spec = {"name": "张伟", "department": "总装车间"} | fields
    service.put_employee(employee_id, EmployeeSpec(**spec))
    return employee_id


def rule(service: LedgerService, kind: str = "performance.excellent", **fields: object) -> str:
    spec = {
        "points": 500,
        "validity_days": 365,
        "title": Localized(zh="季度绩效优秀", en="Quarterly performance: excellent"),
    } | fields
    service.put_rule(kind, RuleSpec(**spec))
    return kind


def item(service: LedgerService, item_id: str = "card-100", **fields: object) -> str:
    spec = {
        "title": Localized(zh="超市购物卡 100 元", en="Supermarket card 100 CNY"),
        "category": "physical",
        "points": 1000,
    } | fields
    service.put_item(item_id, ItemSpec(**spec))
    return item_id


def grant(
    service: LedgerService,
    employee_id: str,
    points: int,
    validity_days: int = 365,
    adjustment_id: str | None = None,
) -> None:
    """Give points with a manual adjustment (one lot of ``points``)."""
    service.adjust(
        AdjustmentIn(
            adjustment_id=adjustment_id or uuid.uuid4().hex,
            employee_id=employee_id,
            points=points,
            reason="test grant",
            validity_days=validity_days,
        )
    )


def event(
    event_id: str, employee_id: str, occurred_at: datetime, kind: str = "performance.excellent"
) -> EventIn:
    return EventIn(event_id=event_id, kind=kind, employee_id=employee_id, occurred_at=occurred_at)


def order_request(
    employee_id: str,
    item_id: str,
    points: int,
    quantity: int = 1,
    order_id: uuid.UUID | None = None,
    **fields: object,
) -> OrderRequest:
    body = {
        "order_id": order_id or uuid.uuid4(),
        "employee_id": employee_id,
        "item_id": item_id,
        "quantity": quantity,
        "points": points,
        "badge_serial": "SER1",
        "placed_at": datetime(2026, 6, 15, 10, 0).astimezone(),
        "offline": False,
    } | fields
    return OrderRequest(**body)


def card(service: LedgerService, employee_id: str) -> dict[str, str]:
    """An RFID card for ``employee_id`` (issued once), as the evidence a kiosk sends."""
    uid = f"CARD{employee_id}".upper().replace("-", "").replace("_", "")
    with service.db.read() as session:
        from ledger.storage.models import Badge

        issued = session.query(Badge).filter_by(uid=uid, revoked_at=None).first()
    if issued is None:
        service.issue_badge(employee_id, "rfid", uid)
    return {"kind": "rfid", "value": uid}
