"""What a printed badge carries: the newest live QR badge of each employee, re-signed.

Ed25519 signatures are deterministic, so a badge printed again is the same badge.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.storage.models import Badge, Employee
from sync import badge_codec


@dataclass(frozen=True)
class BadgeCard:
    employee_id: str
    name: str
    department: str
    serial: str
    payload: str


def cards(session: Session, employee_ids: list[str], key: Ed25519PrivateKey) -> list[BadgeCard]:
    """One card per employee (in the order given) that has a live QR badge."""
    if not employee_ids:
        return []
    rows = session.execute(
        select(Employee, Badge)
        .join(Badge, Badge.employee_id == Employee.id)
        .where(
            Employee.id.in_(employee_ids),
            Badge.kind == "qr",
            Badge.revoked_at.is_(None),
        )
        .order_by(Badge.issued_at.desc())
    ).all()
    newest: dict[str, BadgeCard] = {}
    for employee, badge in rows:
        if employee.id not in newest:
            newest[employee.id] = BadgeCard(
                employee.id,
                employee.name,
                employee.department,
                badge.serial,
                badge_codec.encode(employee.id, badge.serial, key),
            )
    return [newest[i] for i in dict.fromkeys(employee_ids) if i in newest]
