"""A worker's language preference: kept here at once, sent to the ledger through the outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from kiosk.order_states import OutboxState
from kiosk.store.database import Store
from kiosk.store.models import Employee, Outbox
from sync.engine import OutboxKind
from sync.protocol import LanguagePreference


def remember_language(
    store: Store, employee_id: str, language: str, badge_serial: str | None, now: datetime
) -> None:
    """Start this worker's next visits in ``language``, here at once and, once sent, everywhere.

    The mirrored employee row changes now, so the next scan on this kiosk already uses it even
    offline; the ledger hears it with the next push and every kiosk with its next pull.
    """
    body = LanguagePreference.model_validate(
        {"employee_id": employee_id, "language": language, "badge_serial": badge_serial}
    )
    with store.write() as session:
        employee = session.get_one(Employee, employee_id)
        employee.language = body.language
        session.add(
            Outbox(
                kind=OutboxKind.LANGUAGE,
                # Outbox rows are keyed like orders; a preference gets an id of its own.
                order_id=str(uuid.uuid4()),
                employee_id=employee_id,
                item_id="",
                quantity=0,
                points=0,
                offline=False,
                body=body.model_dump_json(),
                state=OutboxState.QUEUED,
                created_at=now,
            )
        )
