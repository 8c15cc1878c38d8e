"""Wedge scans are caught anywhere, except while someone types into a text field."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from tests.ui.drive import wedge_scan
from ui.scanner import ScannerInput


def test_a_focused_text_field_keeps_its_keys_and_a_scan_elsewhere_is_caught(qtbot) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    field = QLineEdit()
    button = QPushButton("ok")
    layout.addWidget(field)
    layout.addWidget(button)
    qtbot.addWidget(window)
    scanner = ScannerInput(window)
    scanner.install()
    scans: list[str] = []
    scanner.scanned.connect(scans.append)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()

    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    wedge_scan(field, "E1001")
    assert field.text() == "E1001" and scans == []

    field.clearFocus()
    qtbot.waitUntil(lambda: not field.hasFocus())
    wedge_scan(window, "PK1.E1001.S1.sig")
    assert scans == ["PK1.E1001.S1.sig"] and field.text() == "E1001"
