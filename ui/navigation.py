"""Which screen is up: the page stack, and what the window's chrome shows around it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize
from PySide6.QtWidgets import QStackedWidget, QWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class PageStack(QStackedWidget):
    """A stack of screens that asks the window for the room of the screen shown only.

    A plain stack takes the largest minimum of all its pages, so one crowded screen (IT's
    setup keyboard) would push every worker screen off a small display.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else QSize(0, 0)

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else QSize(0, 0)


# Screens a worker is on without being logged in, or that are IT's.
WITHOUT_HEADER = ("welcome", "setup", "maintenance")


class Navigator(QObject):
    """Shows one screen at a time and keeps the header and its Home button right for it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def go(self, screen: QWidget) -> None:
        window = self.window
        window.stack.setCurrentWidget(screen)
        name = screen.objectName()
        window.header.setVisible(window.visit.session is not None and name not in WITHOUT_HEADER)
        window.header.home.setVisible(name != "home")

    def showing(self, name: str) -> bool:
        """Whether that screen is up (without building it)."""
        screen = self.window.built(name)
        return screen is not None and self.window.stack.currentWidget() is screen

    def current_name(self) -> str:
        page = self.window.stack.currentWidget()
        return page.objectName() if page is not None else ""
