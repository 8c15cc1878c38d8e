"""The window's frame around every screen: the worker's header, the status bar, messages.

Built with the window before the first frame, so nothing here reads a ``Qt.*`` enum (see
``ui/widgets.py``) or loads the kiosk core.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ui.tokens import METRICS
from ui.widgets import ElidedLabel, TextLabel, local, points, set_state, touch_button, wrapped_label

if TYPE_CHECKING:
    from sync.status import StatusSnapshot


class HeaderBar(QFrame):
    """Shown while a worker is logged in: home, who it is, language, log out."""

    home_requested = Signal()
    language_requested = Signal()
    remember_requested = Signal()
    logout_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        bar = QHBoxLayout(self)
        bar.setContentsMargins(METRICS.margin, 8, METRICS.margin, 8)
        bar.setSpacing(METRICS.spacing)
        self.home = touch_button("back", role="quiet")
        self.home.clicked.connect(self.home_requested)
        self.who = ElidedLabel(objectName="who")
        self.language = touch_button("language", role="quiet")
        self.language.clicked.connect(self.language_requested)
        # Offered while the visit's language is not the worker's saved preference.
        self.remember = touch_button("rememberLanguage", role="quiet")
        self.remember.clicked.connect(self.remember_requested)
        self.remember.hide()
        self.logout = touch_button("logout", role="leave")
        self.logout.clicked.connect(self.logout_requested)
        bar.addWidget(self.home)
        bar.addWidget(self.who, 1)
        bar.addWidget(self.remember)
        bar.addWidget(self.language)
        bar.addSpacing(METRICS.apart // 2)
        bar.addWidget(self.logout)

    def retranslate(self, language: str) -> None:
        self.home.setText(self.tr("Home"))
        self.logout.setText(self.tr("Not me / log out"))
        self.remember.setText(self.tr("Keep this language"))
        # The button names the other language in that language, untranslated.
        self.language.setText("English" if language == "zh" else "中文")


class StatusBar(QFrame):
    """On every screen: the connection, the logged-in worker's balance and the clock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setFixedHeight(METRICS.status_height)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(METRICS.margin, 0, METRICS.margin, 0)
        bar.setSpacing(METRICS.spacing * 2)
        self.connection = TextLabel(objectName="connection")
        self.balance = TextLabel(objectName="statusBalance")
        self.clock = TextLabel(objectName="clock")
        bar.addWidget(self.connection)
        bar.addStretch(1)
        bar.addWidget(self.balance)
        bar.addWidget(self.clock)
        self.status: StatusSnapshot | None = None
        self.timezone = "Asia/Shanghai"
        self.worker_points: int | None = None
        self.show_status(None)

    def show_status(self, status: StatusSnapshot | None) -> None:
        """Online, offline since when (in the warning colour), syncing, or disabled."""
        self.status = status
        if status is None:
            state, text = "unknown", self.tr("Connecting…")
        elif status.state == "disabled":
            state, text = "disabled", self.tr("This kiosk has been disabled")
        elif status.state == "offline":
            state = "offline"
            if status.offline_since is not None:
                since = local(status.offline_since, self.timezone, with_time=True)[-5:]
                text = self.tr("Offline since %1").replace("%1", since)
            else:
                text = self.tr("Offline")
        elif status.syncing:
            state, text = "syncing", self.tr("Syncing…")
        elif status.state == "online":
            state, text = "online", self.tr("Online")
        else:
            state, text = "unknown", self.tr("Connecting…")
        if state in ("online", "syncing") and status is not None and status.last_sync_at:
            last = local(status.last_sync_at, self.timezone, with_time=True)[-5:]
            text += " · " + self.tr("synced %1").replace("%1", last)
        self.connection.setText("● " + text)
        set_state(self.connection, "state", state)

    def show_balance(self, value: int | None) -> None:
        """The logged-in worker's points, or nothing between visits."""
        self.worker_points = value
        self.balance.setText(
            "" if value is None else self.tr("Balance: %1 points").replace("%1", points(value))
        )

    def tick(self, now: datetime) -> None:
        self.clock.setText(local(now, self.timezone, with_time=True))

    def retranslate(self) -> None:
        self.show_status(self.status)
        self.show_balance(self.worker_points)


class MessageOverlay(QFrame):
    """A message over the bottom of the window, inside it whatever its size.

    It goes away after a few seconds, at a tap, at log-out and at the next scan, so nobody
    reads the last worker's problem.
    """

    def __init__(self, host: QWidget, bottom_margin: int) -> None:
        super().__init__(host)
        self.setObjectName("toast")
        self.host = host
        self.bottom_margin = bottom_margin
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 18)
        self.label = wrapped_label("toastText")
        layout.addWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear)
        host.installEventFilter(self)
        self.hide()

    def show_message(self, text: str, tone: str = "error", seconds: float | None = None) -> None:
        if not text:
            self.clear()
            return
        set_state(self, "tone", tone)
        self.label.setText(text)
        self._place()
        self.show()
        self.raise_()
        self.timer.start(int(1000 * (seconds or METRICS.toast_seconds)))

    def clear(self) -> None:
        self.timer.stop()
        self.label.clear()
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _place(self) -> None:
        area = self.host.rect()
        width = min(area.width() - 2 * METRICS.margin, 960)
        layout = self.layout()
        assert layout is not None
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else 0
        height = max(height, self.sizeHint().height(), METRICS.target)
        height = min(height, area.height() - self.bottom_margin - METRICS.margin)
        x = area.x() + (area.width() - width) // 2
        y = area.bottom() - self.bottom_margin - METRICS.margin - height
        self.setGeometry(x, max(area.y(), y), width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def mousePressEvent(self, event: object) -> None:
        self.clear()  # a tap on the message puts it away
