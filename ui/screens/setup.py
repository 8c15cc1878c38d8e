"""First start: IT enrols the kiosk, by scanning the enrolment QR or typing on the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sync import enrolment_qr
from ui.tokens import METRICS
from ui.widgets import Responsive, Screen, TextLabel, touch_button

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl:", "zxcvbnm./-")


class SetupScreen(Screen):
    """Emits ``enrol(server_url, code, name)``; shows how it went."""

    enrol = Signal(str, str, str)

    def __init__(self, default_name: str = "") -> None:
        super().__init__()
        self.setObjectName("setup")
        self.upper = False
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        self.title = TextLabel(objectName="screenTitle")
        self.hint = TextLabel(objectName="welcomeHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        form = QGridLayout()
        form.setVerticalSpacing(6)
        self.captions = [TextLabel() for _ in range(3)]
        self.server, self.code, self.name = (
            QLineEdit(objectName=n) for n in ("server", "code", "name")
        )
        self.name.setText(default_name[:80])
        self.fields = (self.server, self.code, self.name)
        for row, (caption, field) in enumerate(zip(self.captions, self.fields, strict=True)):
            # Typed only through the on-screen keys, so a scanner never types into a field.
            field.setReadOnly(True)
            field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            field.installEventFilter(self)  # a tap on a field chooses it
            form.addWidget(caption, row, 0)
            form.addWidget(field, row, 1)
        body = Responsive()
        left = QVBoxLayout()
        left.addLayout(form)
        self.message = TextLabel(objectName="message")
        self.message.setWordWrap(True)
        left.addWidget(self.message)
        left.addStretch(1)
        body.box.addLayout(left, 1)
        body.box.addSpacing(METRICS.spacing)
        keyboard = QWidget(objectName="keyboard")
        keys = QVBoxLayout(keyboard)
        keys.setSpacing(4)
        keys.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        for letters in ROWS:
            line = QHBoxLayout()
            line.setSpacing(4)
            for char in letters:
                key = touch_button(f"char_{char}", role="char")
                key.setText(char)
                key.clicked.connect(lambda _=False, c=char: self.type(c))
                self.keys[char] = key
                line.addWidget(key)
            keys.addLayout(line)
        bottom = QHBoxLayout()
        self.shift = touch_button("shift")
        self.shift.setText("aA")
        self.shift.clicked.connect(self.toggle_case)
        self.backspace = touch_button("backspace")
        self.backspace.setText("⌫")
        self.backspace.clicked.connect(self.erase)
        self.submit = touch_button("enrol", role="primary")
        self.submit.clicked.connect(self._submit)
        bottom.addWidget(self.shift)
        bottom.addWidget(self.backspace)
        bottom.addStretch(1)
        bottom.addWidget(self.submit)
        keys.addLayout(bottom)
        body.box.addWidget(keyboard)
        layout.addWidget(body, 1)
        self.active = self.server
        self.choose(self.server)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(watched, QLineEdit)
            and watched in self.fields
        ):
            self.choose(watched)
        return False

    def choose(self, field: QLineEdit) -> None:
        self.active = field
        for other in self.fields:
            other.setProperty("active", other is field)
            other.style().unpolish(other)
            other.style().polish(other)

    def type(self, char: str) -> None:
        self.active.setText(self.active.text() + (char.upper() if self.upper else char))

    def erase(self) -> None:
        self.active.setText(self.active.text()[:-1])

    def toggle_case(self) -> None:
        self.upper = not self.upper
        for char, key in self.keys.items():
            key.setText(char.upper() if self.upper else char)

    def scanned(self, text: str) -> bool:
        """A scanned enrolment QR fills the form and enrols; False if it is not one."""
        parsed = enrolment_qr.parse(text)
        if parsed is None:
            return False
        self.server.setText(parsed[0])
        self.code.setText(parsed[1])
        self._submit()
        return True

    def _submit(self) -> None:
        self.enrol.emit(self.server.text().strip(), self.code.text().strip(), self.name.text())

    def show_busy(self) -> None:
        self.submit.setEnabled(False)
        self.message.setText(self.tr("Contacting the server…"))

    def show_result(self, text: str) -> None:
        self.submit.setEnabled(True)
        self.message.setText(text)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Set up this kiosk"))
        self.hint.setText(
            self.tr(
                "Scan the enrolment QR code from IT, or type the server address and the "
                "one-time code."
            )
        )
        for caption, text in zip(
            self.captions,
            (self.tr("Server"), self.tr("Enrolment code"), self.tr("Kiosk name")),
            strict=True,
        ):
            caption.setText(text)
        self.submit.setText(self.tr("Enrol"))
