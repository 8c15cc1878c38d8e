"""What the kiosk loads before its first screen is drawn, and the constants that allows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from ui.widgets import ALIGN_CENTER, NO_FOCUS, PLAIN_TEXT, centred_label, touch_button

ROOT = Path(__file__).resolve().parents[2]

FIRST_SCREEN = """
import sys
from PySide6 import QtCore
from ui.app import build_application
from ui.i18n import Languages
from ui.main_window import MainWindow

app = build_application(["kiosk"])
window = MainWindow(None, Languages(), "zh")
window.install_input_filters()
window.resize(1280, 800)
window.show()
for _ in range(3):
    app.processEvents()
heavy = [m for m in ("sqlalchemy", "kiosk.service", "requests", "ui.lists", "ui.screens.home")
         if m in sys.modules]
print("qt-namespace" if "Qt" in vars(QtCore) else "no-qt-namespace", *heavy)
print(window.welcome.title.text())
"""


def test_the_first_screen_needs_neither_the_core_nor_the_qt_namespace() -> None:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN],
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    loaded, title = result.stdout.splitlines()
    assert loaded == "no-qt-namespace"
    assert title == "请扫描工牌"


def test_the_values_set_by_property_are_qts(qtbot) -> None:
    assert Qt.AlignmentFlag.AlignCenter.value == ALIGN_CENTER
    assert Qt.FocusPolicy.NoFocus.value == NO_FOCUS
    assert Qt.TextFormat.PlainText.value == PLAIN_TEXT
    button, label = touch_button("b"), centred_label("l")
    qtbot.addWidget(button)
    qtbot.addWidget(label)
    assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter and label.wordWrap()
