"""Screen 9: the maintenance panel for IT, opened with a maintenance badge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGridLayout, QVBoxLayout

from sync.status import StatusSnapshot
from sync.version import __version__
from ui.widgets import Screen, TextLabel, local, touch_button

if TYPE_CHECKING:
    from kiosk.service import DeviceInfo


class MaintenanceScreen(Screen):
    sync_now = Signal()
    leave_fullscreen = Signal()
    enrol_again = Signal()
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("maintenance")
        self.device: DeviceInfo | None = None
        self.status = StatusSnapshot()
        self.timezone = "Asia/Shanghai"
        layout = QVBoxLayout(self)
        self.title = TextLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        form = QFormLayout()
        self.captions = [TextLabel() for _ in range(7)]
        self.values = [TextLabel(objectName="maintenanceValue") for _ in range(7)]
        for caption, value in zip(self.captions, self.values, strict=True):
            value.setWordWrap(True)
            form.addRow(caption, value)
        layout.addLayout(form)
        layout.addStretch(1)
        # Two by two, so the panel fits a portrait screen's width too.
        buttons = QGridLayout()
        self.sync = touch_button("syncNow")
        self.sync.clicked.connect(self.sync_now)
        self.window_mode = touch_button("exitFullscreen")
        self.window_mode.clicked.connect(self.leave_fullscreen)
        self.reenrol = touch_button("enrolAgain")
        self.reenrol.clicked.connect(self.enrol_again)
        self.close_panel = touch_button("closePanel", role="leave")
        self.close_panel.clicked.connect(self.done)
        for n, button in enumerate((self.sync, self.window_mode, self.reenrol, self.close_panel)):
            buttons.addWidget(button, n // 2, n % 2)
        layout.addLayout(buttons)
        self.retranslate()

    def show_state(self, device: DeviceInfo | None, status: StatusSnapshot, timezone: str) -> None:
        self.device, self.status, self.timezone = device, status, timezone
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Kiosk maintenance"))
        captions = (
            self.tr("Kiosk name"),
            self.tr("Server"),
            self.tr("Version"),
            self.tr("Connection"),
            self.tr("Last sync"),
            self.tr("Orders waiting to be sent"),
            self.tr("Last error"),
        )
        for label, text in zip(self.captions, captions, strict=True):
            label.setText(text)
        device, status = self.device, self.status
        states = {
            "online": self.tr("Online"),
            "offline": self.tr("Offline"),
            "disabled": self.tr("Disabled by IT"),
            "unknown": self.tr("Not synced yet"),
        }
        values = (
            device.name if device else self.tr("Not enrolled"),
            device.server_url if device else "",
            __version__,
            states.get(status.state, status.state),
            local(status.last_sync_at, self.timezone, with_time=True)
            if status.last_sync_at
            else "—",
            str(status.backlog),
            status.last_error or "—",
        )
        for label, text in zip(self.values, values, strict=True):
            label.setText(text)
        self.sync.setText(self.tr("Sync now"))
        self.window_mode.setText(self.tr("Exit full screen"))
        self.reenrol.setText(self.tr("Enrol again"))
        self.close_panel.setText(self.tr("Close"))
