"""PINs are checked by the ledger only: tokens, a lockout per worker across kiosks."""

from __future__ import annotations

from sqlalchemy import select

from ledger.domain import pins
from ledger.service import LedgerService
from ledger.storage.models import HrAction
from tests.ledger import factory
from tests.ledger.http import device_api, error_code, hr_api


def test_a_right_pin_earns_a_single_use_token_for_that_kiosk(live, clock) -> None:
    service: LedgerService = live.service
    factory.employee(service, "E1")
    service.set_pin("E1", "2468")
    kiosk, enrolled = device_api(live, "Line 1")
    answer = kiosk.post("/pin-checks", json={"employee_id": "E1", "pin": "2468"})
    assert answer.status_code == 200, answer.text
    token = answer.json()["token"]
    assert len(token) >= 32 and answer.json()["expires_at"]
    device_id = enrolled["device_id"]
    with service.db.write() as session:
        now = service.clock()
        assert not pins.spend_token(session, token, "E2", device_id, now)  # someone else's
        assert not pins.spend_token(session, token, "E1", "another-kiosk", now)
        assert pins.spend_token(session, token, "E1", device_id, now)
        assert not pins.spend_token(session, token, "E1", device_id, now)  # used once
    stale = kiosk.post("/pin-checks", json={"employee_id": "E1", "pin": "2468"}).json()["token"]
    clock.advance(minutes=6)
    with service.db.write() as session:
        assert not pins.spend_token(session, stale, "E1", device_id, service.clock())


def test_wrong_pins_lock_the_worker_on_every_kiosk(live, clock) -> None:
    service: LedgerService = live.service
    factory.employee(service, "E1")
    service.set_pin("E1", "2468")
    first, a = device_api(live, "Line 1")
    second, _ = device_api(live, "Line 2")

    def check(kiosk, pin: str):
        return kiosk.post("/pin-checks", json={"employee_id": "E1", "pin": pin})

    for attempt, kiosk in enumerate((first, second, first, second), start=1):
        wrong = check(kiosk, "0000")
        assert wrong.status_code == 401 and error_code(wrong) == "pin_wrong"
        assert wrong.json()["error"]["attempts_left"] == 5 - attempt
    locked = check(second, "0000")
    assert locked.status_code == 423 and error_code(locked) == "pin_locked"
    assert locked.json()["error"]["locked_until"]
    # Locked everywhere, even for the right PIN.
    assert error_code(check(first, "2468")) == "pin_locked"
    clock.advance(seconds=31)
    assert check(first, "2468").status_code == 200  # and the count starts again
    assert check(second, "0000").json()["error"]["attempts_left"] == 4
    with service.db.read() as session:
        refused = session.scalars(
            select(HrAction).where(HrAction.action == "employee.pin_refused")
        ).all()
        assert len(refused) == 6 and {r.actor_kind for r in refused} == {"device"}
        assert a["device_id"] in {r.user_name for r in refused}
        assert all("0000" not in (r.after or "") for r in refused)


def test_pin_checks_refuse_what_they_should(live) -> None:
    service: LedgerService = live.service
    factory.employee(service, "E1")
    kiosk, _ = device_api(live)
    no_pin = kiosk.post("/pin-checks", json={"employee_id": "E1", "pin": "1234"})
    assert no_pin.status_code == 409 and error_code(no_pin) == "pin_not_set"
    unknown = kiosk.post("/pin-checks", json={"employee_id": "E404", "pin": "1234"})
    assert unknown.status_code == 404 and error_code(unknown) == "unknown_employee"
    too_long = kiosk.post("/pin-checks", json={"employee_id": "E1", "pin": "1" * 100})
    assert too_long.status_code == 422
    hr = hr_api(live)
    assert hr.post("/pin-checks", json={"employee_id": "E1", "pin": "1234"}).status_code == 403
    service.set_pin("E1", "2468")
    malformed = kiosk.post("/pin-checks", json={"employee_id": "E1", "pin": "abcd"})
    assert malformed.status_code == 401 and error_code(malformed) == "pin_wrong"
