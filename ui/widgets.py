"""Building blocks of every screen: the screen base, touch buttons, numbers and dates."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QPushButton, QWidget


class Screen(QWidget):
    """A page of the kiosk; retranslates itself when the language changes."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def forget(self) -> None:
        """Drop whatever this screen shows of the last worker (at log-out)."""


# The window and the welcome screen are built before Python reads any Qt.* enum: the first
# such read builds every enum of the Qt namespace (~11 ms of a ~150 ms start). So they set
# these by value through Qt's property system (tests/ui/test_widgets.py checks the values).
ALIGN_CENTER = 0x84  # Qt.AlignmentFlag.AlignCenter
NO_FOCUS = 0  # Qt.FocusPolicy.NoFocus


def touch_button(name: str, parent: QWidget | None = None) -> QPushButton:
    """A big button (the theme gives it ≥ 64 px); never takes keyboard focus."""
    button = QPushButton(parent)
    button.setObjectName(name)
    button.setProperty("focusPolicy", NO_FOCUS)
    button.setMinimumHeight(64)
    return button


def centred_label(name: str, parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label with its text centred."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setProperty("alignment", ALIGN_CENTER)
    label.setWordWrap(True)
    return label


def points(value: int) -> str:
    return f"{value:,}"


def signed(value: int) -> str:
    return f"+{value:,}" if value > 0 else f"−{abs(value):,}"


def local(moment: datetime, timezone: str, with_time: bool = False) -> str:
    """A date (and time) on the site's clock."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    shown = moment.astimezone(zone)
    return shown.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
