"""Driving the real kiosk window the way the shop floor does: a wedge scanner and fingers.

Events go through ``QApplication.notify`` (``QTest``), so the application-wide event filters
(scanner, idle watcher) see exactly what a scanner's keystrokes or a touch would give them.
Shared by the UI tests and ``bench/kiosk_soak.py``.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QListView, QWidget

from ui.lists import KEY_ROLE


def wedge_scan(target: QWidget, text: str) -> None:
    """A keyboard-wedge scan: every character as a fast key press, then Enter."""
    QTest.keyClicks(target, text)
    QTest.keyClick(target, Qt.Key.Key_Return)


def tap(button: QAbstractButton) -> None:
    """A finger on a button (a left click at its centre)."""
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def tap_at(widget: QWidget, point: QPoint) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)


def tap_row(view: QListView, key: str) -> bool:
    """A finger on the list row whose key is ``key``; False if the list has no such row."""
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(KEY_ROLE) == key:
            view.scrollTo(index)
            tap_at(view.viewport(), view.visualRect(index).center())
            return True
    return False
