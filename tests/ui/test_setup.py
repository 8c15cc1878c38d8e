"""First start: an unenrolled kiosk shows the setup screen; IT enrols it by QR or by typing."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from kiosk.runtime import KioskRuntime
from sync import enrolment_qr
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk
from tests.ui.test_journey import scan
from ui.i18n import Languages
from ui.main_window import MainWindow


@pytest.fixture
def fresh(make_kiosk: MakeKiosk) -> KioskRuntime:
    return make_kiosk(None, enroll=False, connect_timeout=1.0)


@pytest.fixture
def setup_window(qtbot, fresh: KioskRuntime) -> Iterator[MainWindow]:
    def enroll(url: str, code: str, name: str):
        return fresh.enroll(url, code, name)

    win = MainWindow(fresh.service, Languages(), "en", enroll)
    win.install_input_filters()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.close()


def type_into(qtbot, window: MainWindow, field: str, text: str) -> None:
    setup = window.setup
    qtbot.mouseClick(getattr(setup, field), Qt.MouseButton.LeftButton)
    getattr(setup, field).clear()
    for char in text:
        key = setup.keys[char.lower()]
        if char.isupper() != setup.upper and char.isalpha():
            qtbot.mouseClick(setup.shift, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(key, Qt.MouseButton.LeftButton)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_enrolment_by_typing_with_clear_errors(
    qtbot, setup_window: MainWindow, factory_floor: LiveLedger
) -> None:
    window = setup_window
    assert window.stack.currentWidget() is window.setup
    type_into(qtbot, window, "server", f"http://127.0.0.1:{closed_port()}")
    type_into(qtbot, window, "code", "ABCD-EFGH-JKLM")
    qtbot.mouseClick(window.setup.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cannot be reached" in window.setup.message.text(), timeout=10000)

    type_into(qtbot, window, "server", factory_floor.url)
    qtbot.mouseClick(window.setup.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "wrong, expired or already used" in window.setup.message.text())

    type_into(qtbot, window, "server", "points.local")
    qtbot.mouseClick(window.setup.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "http:// or https://" in window.setup.message.text())

    type_into(qtbot, window, "server", factory_floor.url)
    type_into(qtbot, window, "code", factory_floor.service.create_enroll_code())
    type_into(qtbot, window, "name", "line-3")
    qtbot.mouseClick(window.setup.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.setup.message.text() == "Enrolled as line-3", timeout=10000)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.welcome, timeout=5000)


def test_enrolment_by_scanning_the_qr(
    qtbot, setup_window: MainWindow, factory_floor: LiveLedger, fresh: KioskRuntime
) -> None:
    window = setup_window
    scan(qtbot, window, "PK1.nothing")
    assert window.setup.message.text() == "This is not an enrolment code."
    code = factory_floor.service.create_enroll_code()
    scan(qtbot, window, enrolment_qr.encode(factory_floor.url, code))
    qtbot.waitUntil(lambda: "Enrolled as" in window.setup.message.text(), timeout=10000)
    assert fresh.service.device() is not None and fresh.sync_once().error is None


def test_a_disabled_kiosk_is_enrolled_again_from_maintenance(
    qtbot, factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    from tests.kiosk.conftest import qr_badge

    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    _, admin = factory_floor.service.issue_badge("E1002", "admin", None)
    worker = qr_badge(factory_floor, "E1001")
    kiosk.sync_once()
    waiting = kiosk.service.login(worker).place_order("cake")
    factory_floor.service.revoke_device(kiosk.service.device().device_id)  # type: ignore[union-attr]
    kiosk.sync_once()

    window = MainWindow(kiosk.service, Languages(), "en", kiosk.enroll)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "disabled" in window.status_bar.connection.text())
    window.visit.scanned(admin)
    qtbot.mouseClick(window.maintenance.reenrol, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.setup
    code = factory_floor.service.create_enroll_code()
    window.visit.scanned(enrolment_qr.encode(factory_floor.url, code))
    qtbot.waitUntil(lambda: "Enrolled as" in window.setup.message.text(), timeout=10000)
    report = kiosk.sync_once()
    assert report.created == 1 and report.error is None  # the order that waited
    statuses = {o.order_id: o.status for o in kiosk.service.login(worker).orders()}
    assert statuses[waiting.order_id] == "pending"
    window.close()
