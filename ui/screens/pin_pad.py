"""The PIN keypad: employee number, then PIN; also the second factor for large orders."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from ui.widgets import Screen, TextLabel, touch_button


class PinScreen(Screen):
    """Emits ``submitted(number, pin)``; in ``confirm`` mode only the PIN is asked."""

    submitted = Signal(str, str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("pinPad")
        self.confirm_only = False
        self.number = ""
        self.pin = ""
        self.step = "number"
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        self.prompt = TextLabel(objectName="screenTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.display = TextLabel(objectName="pinDisplay", alignment=Qt.AlignmentFlag.AlignCenter)
        self.message = TextLabel(objectName="message", alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.prompt)
        layout.addWidget(self.display)
        layout.addWidget(self.message)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.keys = {}
        for n, digit in enumerate("123456789"):
            self.keys[digit] = self._key(digit)
            grid.addWidget(self.keys[digit], n // 3, n % 3)
        self.back = touch_button("keyBack", role="key")
        self.back.setText("⌫")
        self.back.clicked.connect(self._backspace)
        self.keys["0"] = self._key("0")
        self.ok = touch_button("keyOk", role="key")
        self.ok.setProperty("accent", True)
        self.ok.clicked.connect(self._enter)
        grid.addWidget(self.back, 3, 0)
        grid.addWidget(self.keys["0"], 3, 1)
        grid.addWidget(self.ok, 3, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        pad = QWidget(objectName="keypad")
        pad.setLayout(grid)
        pad.setMaximumWidth(760)
        layout.addWidget(pad, 1, alignment=Qt.AlignmentFlag.AlignHCenter)
        bottom = QHBoxLayout()
        self.cancel = touch_button("cancel", role="quiet")
        self.cancel.clicked.connect(self.cancelled)
        bottom.addStretch(1)
        bottom.addWidget(self.cancel)
        layout.addLayout(bottom)
        self.retranslate()

    def _key(self, digit: str):  # noqa: ANN202 (a QPushButton)
        button = touch_button(f"key{digit}", role="key")
        button.setText(digit)
        button.clicked.connect(lambda: self._type(digit))
        return button

    def start(self, confirm_only: bool = False, number: str = "") -> None:
        """Clear the pad; ``confirm_only`` asks just the PIN of ``number``."""
        self.confirm_only = confirm_only
        self.number = number
        self.pin = ""
        self.step = "pin" if confirm_only else "number"
        self.message.clear()
        self.ok.setEnabled(True)
        self.retranslate()

    def show_message(self, text: str) -> None:
        self.pin = ""
        self.message.setText(text)
        self.set_busy(False)
        self._redraw()

    def set_busy(self, busy: bool) -> None:
        """While the ledger checks the PIN: say so, and take no second OK."""
        self.ok.setEnabled(not busy)
        if busy:
            self.message.setText(self.tr("Checking your PIN…"))

    def _type(self, digit: str) -> None:
        if self.step == "number" and len(self.number) < 12:
            self.number += digit
        elif self.step == "pin" and len(self.pin) < 8:
            self.pin += digit
        self._redraw()

    def _backspace(self) -> None:
        if self.step == "number":
            self.number = self.number[:-1]
        else:
            self.pin = self.pin[:-1]
        self._redraw()

    def _enter(self) -> None:
        if self.step == "number":
            if self.number:
                self.step = "pin"
                self.retranslate()
            return
        if self.pin:
            self.submitted.emit(self.number, self.pin)

    def _redraw(self) -> None:
        shown = self.number if self.step == "number" else "●" * len(self.pin)
        self.display.setText(shown or "_")

    def retranslate(self) -> None:
        if self.step == "number":
            self.prompt.setText(self.tr("Enter your employee number"))
            self.ok.setText(self.tr("Next"))
        else:
            self.prompt.setText(self.tr("Enter your PIN"))
            self.ok.setText(self.tr("OK"))
        self.cancel.setText(self.tr("Cancel"))
        self._redraw()
