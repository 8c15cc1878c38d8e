"""Screen 2: name, big balance, held points, what expires soon, and the four tiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout

from ui.resources import icon_path
from ui.widgets import Screen, local, points, touch_button

if TYPE_CHECKING:
    from kiosk.service import HomeView

EXPIRY_NOTICE_DAYS = 60


class HomeScreen(Screen):
    open_catalogue = Signal()
    open_history = Signal()
    open_orders = Signal()
    open_earn = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("home")
        self.view: HomeView | None = None
        self.timezone = "Asia/Shanghai"
        layout = QVBoxLayout(self)
        self.greeting = QLabel(objectName="greeting")
        self.balance_caption = QLabel(objectName="caption", alignment=Qt.AlignmentFlag.AlignCenter)
        self.balance = QLabel(objectName="bigBalance", alignment=Qt.AlignmentFlag.AlignCenter)
        self.held = QLabel(objectName="held", alignment=Qt.AlignmentFlag.AlignCenter)
        self.expiry = QLabel(objectName="expiryNotice", alignment=Qt.AlignmentFlag.AlignCenter)
        for label in (self.greeting, self.balance_caption, self.balance, self.held, self.expiry):
            layout.addWidget(label)
        tiles = QGridLayout()
        self.catalogue = touch_button("tileCatalogue")
        self.history = touch_button("tileHistory")
        self.orders = touch_button("tileOrders")
        self.earn = touch_button("tileEarn")
        for n, (tile, signal, icon) in enumerate(
            (
                (self.catalogue, self.open_catalogue, "catalogue"),
                (self.history, self.open_history, "history"),
                (self.orders, self.open_orders, "orders"),
                (self.earn, self.open_earn, "earn"),
            )
        ):
            tile.setProperty("tile", True)
            tile.setIcon(QIcon(str(icon_path(icon))))
            tile.setIconSize(QSize(56, 56))
            tile.setMinimumHeight(110)
            tile.clicked.connect(signal)
            tiles.addWidget(tile, n // 2, n % 2)
        layout.addLayout(tiles, 1)
        self.retranslate()

    def show_view(self, view: HomeView) -> None:
        self.view = view
        self.retranslate()

    def forget(self) -> None:
        self.view = None
        for label in (self.greeting, self.balance, self.held, self.expiry):
            label.clear()

    def retranslate(self) -> None:
        self.catalogue.setText(self.tr("Catalogue"))
        self.history.setText(self.tr("History"))
        self.orders.setText(self.tr("My orders"))
        self.earn.setText(self.tr("How to earn"))
        self.balance_caption.setText(self.tr("Your points"))
        view = self.view
        if view is None:
            return
        self.greeting.setText(self.tr("Hello, %1").replace("%1", view.identity.name))
        self.balance.setText(points(view.balance.available))
        self.held.setText(
            self.tr("%1 points held by orders waiting for HR").replace(
                "%1", points(view.balance.held)
            )
            if view.balance.held
            else ""
        )
        soon = view.expiry.totals.get(EXPIRY_NOTICE_DAYS, 0)
        if soon and view.expiry.lots:
            first = local(view.expiry.lots[0].expires_at, self.timezone)
            self.expiry.setText(
                self.tr("%1 points expire within 60 days (first on %2)")
                .replace("%1", points(soon))
                .replace("%2", first)
            )
        else:
            self.expiry.setText("")
