"""Logging in at the kiosk: signed badges, RFID cards and PINs, all checked offline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect as sa_inspect

from kiosk.errors import LoginError, LoginProblem
from kiosk.runtime import KioskRuntime
from ledger.domain.people import EmployeeSpec
from sync import badge_codec
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge


@pytest.fixture
def kiosk(factory_floor: LiveLedger, make_kiosk: MakeKiosk) -> KioskRuntime:
    factory_floor.service.set_pin("E1001", "2468")
    runtime = make_kiosk(factory_floor)
    runtime.sync_once()
    factory_floor.stop()  # everything below works offline
    return runtime


def problem(kiosk: KioskRuntime, text: str) -> LoginProblem:
    with pytest.raises(LoginError) as caught:
        kiosk.service.login(text)
    return caught.value.problem


def test_qr_badges_verify_offline(factory_floor: LiveLedger, make_kiosk: MakeKiosk) -> None:
    good = qr_badge(factory_floor, "E1001")
    revoked = qr_badge(factory_floor, "E1002")
    serial = revoked.split(".")[2]
    factory_floor.service.revoke_badge(serial)
    factory_floor.service.put_employee("E1003", EmployeeSpec(name="王芳", active=False))
    inactive = qr_badge(factory_floor, "E1003")
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    # Issued after the kiosk's last sync: unknown serial, but signed, so accepted.
    fresh = qr_badge(factory_floor, "E1002")
    factory_floor.stop()

    worker = kiosk.service.login(good)
    assert (worker.employee_id, worker.identity.method) == ("E1001", "qr")
    assert worker.identity.badge_serial == good.split(".")[2]
    assert kiosk.service.login(fresh + "\r\n").employee_id == "E1002"
    assert problem(kiosk, revoked) is LoginProblem.REVOKED
    assert problem(kiosk, inactive) is LoginProblem.INACTIVE

    forged_key = Ed25519PrivateKey.generate()
    assert problem(kiosk, badge_codec.encode("E1001", "ABC", forged_key)) is (
        LoginProblem.BAD_SIGNATURE
    )
    signature = good.split(".")[3]
    middle = len(signature) // 2
    swapped = "B" if signature[middle] == "A" else "A"  # always a different signature
    tampered = good[: -len(signature)] + signature[:middle] + swapped + signature[middle + 1 :]
    assert problem(kiosk, tampered) is LoginProblem.BAD_SIGNATURE
    assert problem(kiosk, "PK1.E1001") is LoginProblem.MALFORMED
    assert problem(kiosk, "E1001") is LoginProblem.UNKNOWN_BADGE  # typed number: no login
    assert problem(kiosk, "PK1.E9999.ABC." + good.split(".")[3]) is LoginProblem.BAD_SIGNATURE


def test_a_signed_badge_for_an_employee_this_kiosk_does_not_know(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    factory_floor.service.put_employee("E2000", EmployeeSpec(name="新员工"))
    badge = qr_badge(factory_floor, "E2000")
    assert problem(kiosk, badge) is LoginProblem.UNKNOWN_EMPLOYEE
    kiosk.sync_once()
    assert kiosk.service.login(badge).employee_id == "E2000"


def test_an_unenrolled_kiosk_cannot_check_badges(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(None, enroll=False)
    assert problem(kiosk, qr_badge(factory_floor, "E1001")) is LoginProblem.NOT_ENROLLED


def test_rfid_cards_map_through_the_badge_table(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    service = factory_floor.service
    service.issue_badge("E1001", "rfid", "04A1B2C3D4")
    old, _ = service.issue_badge("E1002", "rfid", "04FFEE0011")
    service.revoke_badge(old)
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    assert kiosk.service.login("04a1b2c3d4\n").employee_id == "E1001"
    assert kiosk.service.login("04:A1:B2:C3:D4").identity.method == "rfid"
    assert problem(kiosk, "04FFEE0011") is LoginProblem.REVOKED
    assert problem(kiosk, "0000000000") is LoginProblem.UNKNOWN_BADGE
    assert problem(kiosk, "not a card!") is LoginProblem.MALFORMED
    assert problem(kiosk, "") is LoginProblem.MALFORMED
    # The card is given to someone else after the revocation: the live one wins.
    service.issue_badge("E1001", "rfid", "04FFEE0011")
    kiosk.sync_once()
    assert kiosk.service.login("04FFEE0011").employee_id == "E1001"


def test_pin_login_is_checked_by_the_ledger(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    factory_floor.service.set_pin("E1001", "2468")
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    ledger_clock = factory_floor.service.clock

    def pin_problem(pin: str, employee_id: str = "E1001") -> LoginError:
        with pytest.raises(LoginError) as caught:
            kiosk.service.login_with_pin(employee_id, pin)
        return caught.value

    worker = kiosk.service.login_with_pin("E1001", "2468")
    assert worker.identity.method == "pin" and worker.identity.pin_verified
    assert worker.identity.pin_token  # the ledger's proof, for the next order
    assert pin_problem("1111", "E1002").problem is LoginProblem.NO_PIN
    assert pin_problem("1111", "E404").problem is LoginProblem.UNKNOWN_EMPLOYEE
    assert pin_problem("1111", "../etc").problem is LoginProblem.UNKNOWN_EMPLOYEE

    lefts = [pin_problem(p).attempts_left for p in ("0000", "1234", "abcd", "")]
    assert lefts == [4, 3, 2, 1]
    locked = pin_problem("9999")
    assert locked.problem is LoginProblem.LOCKED and locked.retry_after == timedelta(seconds=30)
    # Locked: even the right PIN is refused until the delay has passed.
    assert pin_problem("2468").problem is LoginProblem.LOCKED
    ledger_clock.advance(seconds=31)
    # Each further failure doubles the delay.
    assert pin_problem("0000").retry_after == timedelta(seconds=60)
    ledger_clock.advance(seconds=61)
    assert kiosk.service.login_with_pin("E1001", "2468").employee_id == "E1001"
    # A success resets the count.
    assert pin_problem("0000").attempts_left == 4


def test_a_pin_needs_the_network_and_badges_do_not(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    factory_floor.service.set_pin("E1001", "2468")
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    with kiosk.store.read() as session:  # nothing on the kiosk could give a PIN away
        columns = {c["name"] for c in sa_inspect(session.connection()).get_columns("employees")}
        assert not any("pin" in name for name in columns)
    factory_floor.stop()
    with pytest.raises(LoginError) as caught:
        kiosk.service.login_with_pin("E1001", "2468")
    assert caught.value.problem is LoginProblem.NEEDS_NETWORK
    assert kiosk.service.login(qr_badge(factory_floor, "E1001")).employee_id == "E1001"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=700),
        st.from_regex(r"PK1\.[A-Za-z0-9_.-]{0,40}\.[A-Za-z0-9_-]{0,100}", fullmatch=True),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    )
)
def test_any_scanned_text_gives_a_typed_error_or_a_worker(kiosk: KioskRuntime, text: str) -> None:
    try:
        worker = kiosk.service.login(text)
    except LoginError as exc:
        assert isinstance(exc.problem, LoginProblem)
    else:
        assert worker.employee_id in {"E1001", "E1002"}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    employee_id=st.one_of(st.sampled_from(["E1001", "E1002"]), st.text(max_size=40)),
    pin=st.one_of(st.from_regex(r"[0-9]{4,8}", fullmatch=True), st.text(max_size=20)),
)
def test_any_keypad_input_gives_a_typed_error_or_a_worker(
    kiosk: KioskRuntime, employee_id: str, pin: str
) -> None:
    try:
        worker = kiosk.service.login_with_pin(employee_id, pin)
    except LoginError as exc:
        assert isinstance(exc.problem, LoginProblem)
    else:
        assert worker.identity.pin_verified


def test_a_maintenance_badge_opens_maintenance(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    serial_worker = qr_badge(factory_floor, "E1002")
    _, admin = factory_floor.service.issue_badge("E1002", "admin", None)
    assert admin is not None
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    assert kiosk.service.login(admin).identity.maintenance
    assert not kiosk.service.login(serial_worker).identity.maintenance
    factory_floor.service.revoke_badge(admin.split(".")[2])
    kiosk.sync_once()
    assert problem(kiosk, admin) is LoginProblem.REVOKED
