"""Screen 1: scan your badge (or use the PIN), language, clock and connection."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from ui.resources import icon_path
from ui.widgets import Screen, centred_label, local, touch_button

if TYPE_CHECKING:
    from sync.status import StatusSnapshot


class WelcomeScreen(Screen):
    pin_requested = Signal()
    language_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("welcome")
        self.status: StatusSnapshot | None = None  # none until the core reports
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
        self.title = centred_label("welcomeTitle")
        layout.addWidget(self.title)
        # A QIcon draws the SVG through Qt's image plugin: cheaper at start than QtSvgWidgets.
        picture = centred_label("scanPicture")
        picture.setPixmap(QIcon(str(icon_path("scan"))).pixmap(260, 260))
        picture.setFixedHeight(260)
        layout.addWidget(picture)
        self.hint = centred_label("welcomeHint")
        layout.addWidget(self.hint)
        self.message = centred_label("message")
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

    def show_status(self, status: StatusSnapshot | None) -> None:
        self.status = status
        if status is None:
            self.connection.setText(self.tr("Connecting…"))
            return
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
