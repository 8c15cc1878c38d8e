"""Screen 1: scan your badge (or use the PIN), language, clock and connection."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from sync.status import StatusSnapshot
from ui.resources import icon_path
from ui.widgets import Screen, local, touch_button


class WelcomeScreen(Screen):
    pin_requested = Signal()
    language_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("welcome")
        self.status = StatusSnapshot()
        self.timezone = "Asia/Shanghai"
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.clock = QLabel(objectName="clock")
        self.connection = QLabel(objectName="connection")
        top.addWidget(self.clock)
        top.addStretch(1)
        top.addWidget(self.connection)
        layout.addLayout(top)
        layout.addStretch(1)
        self.title = QLabel(objectName="welcomeTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        picture = QSvgWidget(str(icon_path("scan")))
        picture.setFixedSize(260, 260)
        layout.addWidget(picture, alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(objectName="welcomeHint", alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.message = QLabel(objectName="message", alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.use_pin = touch_button("usePin")
        self.use_pin.clicked.connect(self.pin_requested)
        self.chinese = touch_button("langZh")
        self.chinese.setText("中文")  # each language names itself, untranslated
        self.chinese.clicked.connect(lambda: self.language_chosen.emit("zh"))
        self.english = touch_button("langEn")
        self.english.setText("English")
        self.english.clicked.connect(lambda: self.language_chosen.emit("en"))
        buttons.addWidget(self.use_pin)
        buttons.addStretch(1)
        buttons.addWidget(self.chinese)
        buttons.addWidget(self.english)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scan your badge"))
        self.hint.setText(self.tr("Hold your badge or card to the reader to see your points."))
        self.use_pin.setText(self.tr("Use PIN"))
        self.show_status(self.status)

    def tick(self, now: datetime) -> None:
        self.clock.setText(local(now, self.timezone, with_time=True))

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def show_status(self, status: StatusSnapshot) -> None:
        self.status = status
        if status.state == "online":
            text = self.tr("Online")
        elif status.state == "disabled":
            text = self.tr("This kiosk has been disabled")
        elif status.offline_since is not None:
            since = local(status.offline_since, self.timezone, with_time=True)[-5:]
            text = self.tr("Offline since %1").replace("%1", since)
        else:
            text = self.tr("Connecting…")
        if status.last_sync_at is not None:
            last = local(status.last_sync_at, self.timezone, with_time=True)
            text += " · " + self.tr("last sync %1").replace("%1", last)
        self.connection.setText(text)
        self.connection.setProperty("state", status.state)
