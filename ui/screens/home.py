"""Screen 2: the balance, points held, the next expiry, and the way to everything else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout

from ui.resources import icon_path
from ui.tokens import METRICS
from ui.widgets import Screen, TextLabel, centred_label, day, points, set_state, touch_button

if TYPE_CHECKING:
    from kiosk.service import HomeView

SOON_DAYS = 60  # an expiry this close is shown in the warning colour


class HomeScreen(Screen):
    open_catalogue = Signal()
    open_history = Signal()
    open_orders = Signal()
    open_earn = Signal()
    open_expiry = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("home")
        self.view: HomeView | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(METRICS.spacing)
        self.caption = TextLabel(objectName="caption", alignment=Qt.AlignmentFlag.AlignCenter)
        self.balance = TextLabel(objectName="bigBalance", alignment=Qt.AlignmentFlag.AlignCenter)
        self.held = centred_label("held")
        for label in (self.caption, self.balance, self.held):
            layout.addWidget(label)
        # The next expiry, always: a tap opens the year's schedule.
        self.next_expiry = touch_button("nextExpiry", role="quiet")
        self.next_expiry.clicked.connect(self.open_expiry)
        layout.addWidget(self.next_expiry)
        layout.addSpacing(METRICS.spacing)
        tiles = QGridLayout()
        tiles.setSpacing(METRICS.spacing)
        self.catalogue = touch_button("tileCatalogue", role="tile")
        self.history = touch_button("tileHistory", role="tile")
        self.orders = touch_button("tileOrders", role="tile")
        self.earn = touch_button("tileEarn", role="tile")
        for n, (tile, signal, icon) in enumerate(
            (
                (self.catalogue, self.open_catalogue, "catalogue"),
                (self.history, self.open_history, "history"),
                (self.orders, self.open_orders, "orders"),
                (self.earn, self.open_earn, "earn"),
            )
        ):
            tile.setIcon(QIcon(str(icon_path(icon))))
            tile.setIconSize(QSize(56, 56))
            # Taller on a large screen, never less than the theme's tile height.
            tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            tile.setMaximumHeight(2 * METRICS.tile_height)
            tile.clicked.connect(signal)
            tiles.addWidget(tile, n // 2, n % 2)
        layout.addLayout(tiles, 1)
        self.timezone = "Asia/Shanghai"
        self.retranslate()

    def show_view(self, view: HomeView, timezone: str) -> None:
        self.view, self.timezone = view, timezone
        self.retranslate()

    def forget(self) -> None:
        self.view = None
        self.retranslate()

    def retranslate(self) -> None:
        self.catalogue.setText(self.tr("Catalogue"))
        self.history.setText(self.tr("History"))
        self.orders.setText(self.tr("My orders"))
        self.earn.setText(self.tr("How to earn"))
        self.caption.setText(self.tr("Your points"))
        view = self.view
        if view is None:
            for label in (self.balance, self.held):
                label.clear()
            self.next_expiry.setText("")
            return
        self.balance.setText(points(view.balance.available))
        self.held.setText(
            self.tr("%1 points held by orders waiting for HR").replace(
                "%1", points(view.balance.held)
            )
            if view.balance.held
            else ""
        )
        nearest = view.next_expiry
        if nearest is None:
            self.next_expiry.setText(self.tr("None of your points are due to expire"))
            set_state(self.next_expiry, "soon", False)
            return
        self.next_expiry.setText(
            self.tr("Next expiry: %1 points on %2 — see all")
            .replace("%1", points(nearest.points))
            .replace("%2", day(nearest.day))
        )
        # Something expiring within 60 days means the next expiry is that close.
        set_state(self.next_expiry, "soon", view.expiry.totals.get(SOON_DAYS, 0) > 0)
