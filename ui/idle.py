"""Logging an idle worker out: after the idle time a countdown, then back to the welcome."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ui.widgets import centred_label, touch_button

COUNTDOWN_SECONDS = 20

ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``timeout_s`` without a touch, click or key, while armed."""

    idle = Signal()

    def __init__(self, timeout_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_timeout(timeout_s)
        self.armed = False

    def install(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def set_timeout(self, seconds: float) -> None:
        self.timer.setInterval(int(seconds * 1000))

    def arm(self) -> None:
        """Start watching (a worker logged in)."""
        self.armed = True
        self.timer.start()

    def disarm(self) -> None:
        self.armed = False
        self.timer.stop()

    def poke(self) -> None:
        if self.armed:
            self.timer.start()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.poke()
        return False


class Countdown(QFrame):
    """The idle overlay: "Logging out in N s" and a big "I'm still here"."""

    still_here = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("countdown")
        self.left = COUNTDOWN_SECONDS
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = centred_label("countdownText")
        layout.addWidget(self.label)
        self.button = touch_button("stillHere", role="primary")
        self.button.clicked.connect(self._keep)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.hide()

    def start(self) -> None:
        self.left = COUNTDOWN_SECONDS
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        parent.installEventFilter(self)  # keep covering the window if it is resized
        self._show_text()
        self.show()
        self.raise_()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self.setGeometry(watched.rect())
        return False

    def _keep(self) -> None:
        self.stop()
        self.still_here.emit()

    def _tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.stop()
            self.expired.emit()
        else:
            self._show_text()

    def _show_text(self) -> None:
        self.label.setText(
            self.tr("No one there? Logging out in %1 s").replace("%1", str(self.left))
        )
        self.button.setText(self.tr("I'm still here"))
