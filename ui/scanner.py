"""Keyboard-wedge scanners: a badge or card arrives as fast keystrokes ending with Enter.

An application-wide event filter collects printable keys; a run whose gaps are all short
(a scanner types a character every few milliseconds, a person every hundred or more) and
that ends with Enter is a scan, wherever the focus is. A paste counts as a scan too, so a
badge's text can be pasted on a desktop. Keys typed into a text field pass through.

Every key of a scan passes through here, so this path asks Qt nothing that can answer with a
null object: whether a text field has the focus is kept up to date from ``focusChanged``
instead of asking ``QApplication.focusWidget()`` per key (a binding that mishandles a null
return drains ``None``'s reference count a key at a time; see pyproject.toml).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget

MAX_GAP_MS = 50
MIN_LENGTH = 4


class ScannerInput(QObject):
    """Emits ``scanned(text)`` for each scan typed anywhere in the application."""

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        max_gap_ms: float = MAX_GAP_MS,
        clock: Callable[[], float] = time.monotonic,
        accept_typing: bool = False,
    ) -> None:
        super().__init__(parent)
        # A demo or test bench may let a person type a badge's text by hand.
        self.max_gap = float("inf") if accept_typing else max_gap_ms / 1000
        self.clock = clock
        self._buffer: list[str] = []
        self._last = 0.0
        self._typing_into_field = False

    def install(self) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)
        app.focusChanged.connect(self._focus_moved)

    def _focus_moved(self, _old: QWidget | None, now: QWidget | None) -> None:
        self._typing_into_field = isinstance(now, QLineEdit | QAbstractSpinBox)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if self._typing_into_field:
            return False  # someone is typing into a field on purpose
        assert isinstance(event, QKeyEvent)
        now = self.clock()
        gap, self._last = now - self._last, now
        if event.matches(QKeySequence.StandardKey.Paste):
            text = QGuiApplication.clipboard().text().strip()
            if text:
                self.scanned.emit(text)
            return True
        # QtCore.Qt read here, not imported: see ui/widgets.py on the Qt namespace at start.
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            text = "".join(self._buffer)
            self._buffer.clear()
            if len(text) >= MIN_LENGTH and gap <= self.max_gap:
                self.scanned.emit(text)
            return True
        char = event.text()
        if char and char.isprintable():
            if gap > self.max_gap:
                self._buffer.clear()  # a pause: whatever came before was a person
            self._buffer.append(char)
            return True
        return False
