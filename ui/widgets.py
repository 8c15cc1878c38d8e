"""Building blocks of every screen: the screen base, touch buttons, numbers and dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QScrollArea, QWidget

from ui.i18n import current_language


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
PLAIN_TEXT = 0  # Qt.TextFormat.PlainText


def touch_button(name: str, parent: QWidget | None = None, role: str = "") -> QPushButton:
    """A button for fingers that never takes keyboard focus.

    ``role`` picks its size and look from the theme: "" (a plain target, ≥ 64 px),
    ``primary`` (Confirm, Redeem: ≥ 96 × 280), ``danger`` and ``dangerFilled`` (destructive,
    same size), ``quiet``, ``leave``, ``tile``, ``key``, ``chip``, ``char``.
    """
    button = QPushButton(parent)
    button.setObjectName(name)
    button.setProperty("focusPolicy", NO_FOCUS)
    if role:
        button.setProperty("role", role)
    return button


class TextLabel(QLabel):
    """A label that shows its text as text. Names, titles and reasons are typed by HR, and
    Qt would draw one that looks like markup as rich text; no kiosk label needs markup."""

    def __init__(self, text: str = "", parent: QWidget | None = None, **properties: Any) -> None:
        super().__init__(text, parent, **properties)
        self.setProperty("textFormat", PLAIN_TEXT)


def centred_label(name: str, parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label with its text centred."""
    label = TextLabel("", parent)
    label.setObjectName(name)
    label.setProperty("alignment", ALIGN_CENTER)
    label.setWordWrap(True)
    return label


def wrapped_label(name: str, parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label (long translations take more lines, never more width)."""
    label = TextLabel("", parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def set_state(widget: QWidget, name: str, value: object) -> None:
    """Set a property the theme styles by (``[state="offline"]``) and restyle the widget."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    # Before the window is first shown nothing is styled yet (and restyling here would read
    # the Qt namespace before the first frame); showing it styles every widget as it is then.
    if widget.window().isVisible():
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


def scrolling(content: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """``content`` in a frameless scroll area that scrolls by dragging, never sideways.

    A screen puts what may be longer than the window in here and keeps its actions outside,
    so they never scroll away.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFrame, QScroller

    area = QScrollArea(parent)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class Responsive(QWidget):
    """A row in landscape, a column in portrait: its box layout turns with the screen.

    The direction follows the window's shape whenever Qt asks for sizes, so a screen built
    while the window was landscape does not make a portrait window grow to its width.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)

    def _orient(self) -> None:
        window = self.window()
        wide = window.width() >= window.height()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)

    def minimumSizeHint(self) -> QSize:
        self._orient()
        return super().minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._orient()
        super().resizeEvent(event)


class ElidedLabel(TextLabel):
    """One line that ends in "…" when there is not room for all of it (a long name)."""

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(min(super().sizeHint().width(), 480), super().sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        from PySide6.QtCore import Qt

        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        painter.drawText(
            self.contentsRect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown
        )


def pick(zh: str | None, en: str | None) -> str:
    """The text in the kiosk's current language (the ledger keeps both)."""
    if current_language() == "zh":
        return zh or en or ""
    return en or zh or ""


def points(value: int) -> str:
    return f"{value:,}"


def signed(value: int) -> str:
    return f"+{value:,}" if value > 0 else f"−{abs(value):,}"


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local(moment: datetime, timezone: str, with_time: bool = False) -> str:
    """A date (and time) on the site's clock."""
    shown = moment.astimezone(_zone(timezone))
    return shown.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def day(value: date) -> str:
    return value.strftime("%Y-%m-%d")
