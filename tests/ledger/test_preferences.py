"""A worker's language preference, sent by a kiosk: only with that worker's own live badge."""

from __future__ import annotations

import requests

from ledger.service import LedgerService
from tests.ledger import factory
from tests.ledger.http import device_api, error_code, hr_api


def test_a_kiosk_sets_a_language_only_with_the_workers_badge(live) -> None:
    service: LedgerService = live.service
    factory.employee(service, "E1")
    factory.employee(service, "E2")
    mine, _ = service.issue_badge("E1", "qr")
    theirs, _ = service.issue_badge("E2", "qr")
    revoked, _ = service.issue_badge("E1", "qr")
    service.revoke_badge(revoked)
    kiosk, enrolled = device_api(live)

    def choose(**body: object) -> requests.Response:
        return kiosk.post("/preferences/language", json={"employee_id": "E1"} | body)

    for serial in (theirs, revoked, "NO-SUCH"):
        refused = choose(language="en", badge_serial=serial)
        assert refused.status_code == 409 and error_code(refused) == "unknown_badge"
    assert service.employee("E1")["language"] == "zh"
    assert choose(language="fr", badge_serial=mine).status_code == 422
    missing = kiosk.post("/preferences/language", json={"employee_id": "E9", "language": "en"})
    assert missing.status_code == 404 and error_code(missing) == "unknown_employee"
    assert hr_api(live).post("/preferences/language", json={}).status_code == 403

    assert choose(language="en", badge_serial=mine).status_code == 204
    assert service.employee("E1")["language"] == "en"
    assert choose(language="en", badge_serial=mine).status_code == 204  # again: no change
    changes = [e for e in service.events() if e.type == "employee.changed" and e.subject == "E1"]
    assert [e.payload["language"] for e in changes] == ["zh", "en"]
    assert changes[-1].actor == f"device:{enrolled['device_id']}"
