"""Screen 4: the catalogue by category, and one item's detail with a quantity stepper."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabBar, QVBoxLayout

from ui import texts
from ui.lists import KEY_ROLE, ListRow, touch_list
from ui.widgets import Screen, points, touch_button

if TYPE_CHECKING:
    from kiosk.service import WorkerSession
    from kiosk.views import CatalogueCard

CATEGORIES: tuple[str | None, ...] = (None, "physical", "virtual", "service")


def title_of(card: CatalogueCard, language: str) -> str:
    return card.title_zh if language == "zh" else card.title_en


def picture(card: CatalogueCard, size: int) -> QPixmap | None:
    if card.image_path is None:
        return None
    pixmap = QPixmap(str(card.image_path))
    if pixmap.isNull():
        return None
    return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)  # fmt: skip


class CatalogueScreen(Screen):
    item_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("catalogue")
        self.session: WorkerSession | None = None
        self.language = "zh"
        layout = QVBoxLayout(self)
        self.title = QLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        self.tabs = QTabBar(objectName="categories")
        self.tabs.setExpanding(False)
        for _ in CATEGORIES:
            self.tabs.addTab("")
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout.addWidget(self.tabs)
        self.list, self.model = touch_list(self, height=150)
        self.list.clicked.connect(self._clicked)
        layout.addWidget(self.list, 1)
        self.retranslate()

    def show_session(self, session: WorkerSession, language: str) -> None:
        self.session, self.language = session, language
        self.tabs.setCurrentIndex(0)
        self.refresh()

    def _clicked(self, index: QModelIndex) -> None:
        self.item_chosen.emit(index.data(KEY_ROLE))

    def forget(self) -> None:
        self.session = None
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            self.model.set_rows([])
            return
        cards = self.session.catalogue(CATEGORIES[max(0, self.tabs.currentIndex())])
        rows = []
        for card in cards:
            if card.can_afford:
                subtitle = texts.category(card.category)
            else:
                subtitle = self.tr("%1 more points needed").replace("%1", points(card.points_short))
            if card.stock_left is not None:
                subtitle += " · " + self.tr("%1 left").replace("%1", str(card.stock_left))
            rows.append(
                ListRow(
                    key=card.item_id,
                    title=title_of(card, self.language),
                    subtitle=subtitle,
                    value=self.tr("%1 pts").replace("%1", points(card.points)),
                    value_color="#0b57d0",
                    muted=not card.can_afford or card.stock_left == 0,
                    image=picture(card, 130),
                )
            )
        self.model.set_rows(rows)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Catalogue"))
        for n, category in enumerate(CATEGORIES):
            self.tabs.setTabText(n, texts.category(category))
        if self.session is not None:
            self.refresh()


class ItemScreen(Screen):
    """Item detail: picture, description, stock, quantity, Redeem."""

    redeem = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("item")
        self.card: CatalogueCard | None = None
        self.language = "zh"
        self.quantity = 1
        self.available = 0
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.image = QLabel(objectName="itemImage", alignment=Qt.AlignmentFlag.AlignTop)
        self.image.setMinimumWidth(200)
        self.image.setMaximumWidth(560)
        self.pixmap: QPixmap | None = None
        top.addWidget(self.image, alignment=Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        self.title = QLabel(objectName="screenTitle")
        self.title.setWordWrap(True)
        self.price = QLabel(objectName="itemPrice")
        self.stock = QLabel(objectName="itemStock")
        self.description = QLabel(objectName="itemDescription")
        self.description.setWordWrap(True)
        self.terms = QLabel(objectName="itemTerms")
        self.terms.setWordWrap(True)
        for label in (self.title, self.price, self.stock, self.description, self.terms):
            text.addWidget(label)
        text.addStretch(1)
        top.addSpacing(32)
        top.addLayout(text, 1)
        layout.addLayout(top, 1)
        stepper = QHBoxLayout()
        self.minus = touch_button("minus")
        self.minus.setText("−")
        self.minus.clicked.connect(lambda: self.step(-1))
        self.count = QLabel(objectName="quantity", alignment=Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(120)
        self.plus = touch_button("plus")
        self.plus.setText("+")
        self.plus.clicked.connect(lambda: self.step(1))
        self.total = QLabel(objectName="itemTotal")
        self.redeem_button = touch_button("redeem")
        self.redeem_button.clicked.connect(self._redeem)
        for widget in (self.minus, self.count, self.plus, self.total):
            stepper.addWidget(widget)
        stepper.addStretch(1)
        stepper.addWidget(self.redeem_button)
        layout.addLayout(stepper)
        self.retranslate()

    def show_card(self, card: CatalogueCard, available: int, language: str) -> None:
        self.card, self.available, self.language, self.quantity = card, available, language, 1
        self.pixmap = picture(card, 560)
        self._fit_picture()
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_picture()

    def _fit_picture(self) -> None:
        # Up to 560 px, less on a narrow (portrait) screen so the text keeps its room.
        if self.pixmap is None:
            self.image.clear()
            return
        width = max(200, min(560, int(self.width() * 0.45)))
        self.image.setPixmap(
            self.pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )

    def step(self, delta: int) -> None:
        if self.card is None:
            return
        most = 99 if self.card.stock_left is None else max(1, self.card.stock_left)
        self.quantity = max(1, min(most, self.quantity + delta))
        self.retranslate()

    def _redeem(self) -> None:
        if self.card is not None:
            self.redeem.emit(self.card.item_id, self.quantity)

    def forget(self) -> None:
        self.card = None

    def retranslate(self) -> None:
        self.redeem_button.setText(self.tr("Redeem"))
        card = self.card
        if card is None:
            return
        self.title.setText(title_of(card, self.language))
        self.price.setText(self.tr("%1 points each").replace("%1", points(card.points)))
        self.stock.setText(
            self.tr("%1 in stock").replace("%1", str(card.stock_left))
            if card.stock_left is not None
            else ""
        )
        self.description.setText(
            card.description_zh if self.language == "zh" else card.description_en
        )
        terms = [self.tr("HR confirms every order; the points are held until then.")]
        if card.limit_per_employee and card.limit_period:
            terms.insert(
                0,
                self.tr("At most %1 per person a %2.")
                .replace("%1", str(card.limit_per_employee))
                .replace("%2", texts.period(card.limit_period)),
            )
        self.terms.setText("\n".join(terms))
        self.count.setText(str(self.quantity))
        total = card.points * self.quantity
        self.total.setText(self.tr("Total: %1 points").replace("%1", points(total)))
        affordable = total <= self.available and card.stock_left != 0
        self.redeem_button.setEnabled(affordable)
        if not affordable and total > self.available:
            self.redeem_button.setText(
                self.tr("%1 more points needed").replace("%1", points(total - self.available))
            )
