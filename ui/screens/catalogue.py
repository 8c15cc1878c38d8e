"""Screen 4: the catalogue by category, and one item with everything that limits an order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import texts
from ui.lists import KEY_ROLE, ListRow, touch_list
from ui.tokens import METRICS
from ui.widgets import (
    Responsive,
    Screen,
    TextLabel,
    pick,
    points,
    scrolling,
    touch_button,
    wrapped_label,
)

if TYPE_CHECKING:
    from kiosk.quote import Quote
    from kiosk.read_models import CatalogueCard
    from kiosk.service import ItemView

CATEGORIES: tuple[str | None, ...] = (None, "physical", "virtual", "service")
PICTURE_WIDTH = 480


def title_of(card: CatalogueCard) -> str:
    return pick(card.title_zh, card.title_en)


def picture(card: CatalogueCard, size: int) -> QPixmap | None:
    """The item's picture, decoded straight at ``size`` (never the full image in memory)."""
    if card.image_path is None:
        return None
    reader = QImageReader(str(card.image_path))
    original = reader.size()
    if original.isValid() and (original.width() > size or original.height() > size):
        reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else QPixmap.fromImage(image)


class CatalogueScreen(Screen):
    item_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("catalogue")
        self.cards: tuple[CatalogueCard, ...] = ()
        layout = QVBoxLayout(self)
        self.title = TextLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        # Categories as chips, like the history's filters: each a finger's size, all in view.
        chips = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.chips: list[QPushButton] = []
        for n, _category in enumerate(CATEGORIES):
            chip = touch_button(f"category_{n}", role="chip")
            chip.setCheckable(True)
            chip.clicked.connect(lambda _=False, n=n: self.choose(n))
            self.group.addButton(chip)
            self.chips.append(chip)
            chips.addWidget(chip)
        chips.addStretch(1)
        self.chips[0].setChecked(True)
        self.category = 0
        layout.addLayout(chips)
        self.list, self.model = touch_list(self, height=METRICS.card_row_height)
        self.list.clicked.connect(self._clicked)
        layout.addWidget(self.list, 1)
        self.empty = TextLabel(objectName="empty")
        layout.addWidget(self.empty)
        self.retranslate()

    def show_view(self, cards: tuple[CatalogueCard, ...]) -> None:
        self.cards = cards
        self.choose(0)

    def choose(self, category: int) -> None:
        """Show one category (0: all)."""
        self.category = category
        self.chips[category].setChecked(True)
        self.refresh()

    def _clicked(self, index: QModelIndex) -> None:
        self.item_chosen.emit(index.data(KEY_ROLE))

    def forget(self) -> None:
        self.cards = ()
        self.refresh()

    def refresh(self) -> None:
        category = CATEGORIES[self.category]
        rows = []
        for card in self.cards:
            if category is not None and card.category != category:
                continue
            if card.can_afford:
                subtitle = texts.category(card.category)
            else:
                subtitle = self.tr("%1 more points needed").replace("%1", points(card.points_short))
            if card.stock_left is not None:
                subtitle += " · " + self.tr("%1 left").replace("%1", str(card.stock_left))
            rows.append(
                ListRow(
                    key=card.item_id,
                    title=title_of(card),
                    subtitle=subtitle,
                    value=self.tr("%1 pts").replace("%1", points(card.points)),
                    tone="accent",
                    muted=not card.can_afford or card.stock_left == 0,
                    image=picture(card, METRICS.card_row_height - 24),
                )
            )
        self.model.set_rows(rows)
        self.empty.setText("" if rows or not self.cards else self.tr("Nothing in this category."))
        self.empty.setVisible(not rows)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Catalogue"))
        for chip, category in zip(self.chips, CATEGORIES, strict=True):
            chip.setText(texts.category(category))
        self.refresh()


class ItemScreen(Screen):
    """An item: picture, description, and before Redeem everything that limits the order
    (stock, the per-person limit, the PIN, offline the floor limit)."""

    quantity_chosen = Signal(str, int)
    redeem = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("item")
        self.view: ItemView | None = None
        self.pixmap: QPixmap | None = None
        layout = QVBoxLayout(self)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        top = Responsive()
        self.image = TextLabel(objectName="itemImage", alignment=Qt.AlignmentFlag.AlignCenter)
        top.box.addWidget(self.image, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        self.title = wrapped_label("screenTitle")
        self.price = TextLabel(objectName="itemPrice")
        self.description = wrapped_label("itemDescription")
        text.addWidget(self.title)
        text.addWidget(self.price)
        # What limits the order comes before the description, so it is seen without scrolling.
        self.facts = QFrame(objectName="facts")
        facts = QVBoxLayout(self.facts)
        self.fact_lines = [wrapped_label("detail") for _ in range(5)]
        for line in self.fact_lines:
            facts.addWidget(line)
        text.addWidget(self.facts)
        text.addWidget(self.description)
        text.addStretch(1)
        top.box.addSpacing(METRICS.spacing * 2)
        top.box.addLayout(text, 1)
        column.addWidget(top)
        layout.addWidget(scrolling(content), 1)
        # The decision stays in view however long the description: outside the scroll area.
        self.total = wrapped_label("total")
        self.why = wrapped_label("why")
        layout.addWidget(self.total)
        layout.addWidget(self.why)
        actions = QHBoxLayout()
        self.minus = touch_button("minus")
        self.minus.setText("−")
        self.minus.clicked.connect(lambda: self.step(-1))
        self.count = TextLabel(objectName="quantity", alignment=Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(96)
        self.plus = touch_button("plus")
        self.plus.setText("+")
        self.plus.clicked.connect(lambda: self.step(1))
        self.redeem_button = touch_button("redeem", role="primary")
        self.redeem_button.clicked.connect(self._redeem)
        for widget in (self.minus, self.count, self.plus):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.redeem_button)
        layout.addLayout(actions)
        self.retranslate()

    def show_view(self, view: ItemView) -> None:
        self.view = view
        self.pixmap = picture(view.card, PICTURE_WIDTH)
        self._fit_picture()
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_picture()

    def _fit_picture(self) -> None:
        if self.pixmap is None:
            self.image.clear()
            self.image.hide()
            return
        wide = self.window().width() >= self.window().height()
        width = min(PICTURE_WIDTH, int(self.width() * (0.4 if wide else 0.9)))
        # In portrait the picture sits above the text: keep it short enough to leave room.
        height = min(self.pixmap.height(), 320 if wide else 260)
        self.image.setPixmap(
            self.pixmap.scaled(
                width,
                height,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.image.show()

    def step(self, delta: int) -> None:
        view = self.view
        if view is None:
            return
        quantity = max(1, min(view.quote.max_quantity, view.quote.quantity + delta))
        if quantity != view.quote.quantity:
            self.quantity_chosen.emit(view.card.item_id, quantity)

    def _redeem(self) -> None:
        if self.view is not None:
            self.redeem.emit(self.view.card.item_id, self.view.quote.quantity)

    def forget(self) -> None:
        self.view = None
        self.pixmap = None
        self.image.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self.redeem_button.setText(self.tr("Redeem"))
        view = self.view
        if view is None:
            for label in (self.title, self.price, self.description, self.total, self.why,
                          self.count, *self.fact_lines):  # fmt: skip
                label.clear()
            return
        card, quote = view.card, view.quote
        self.title.setText(title_of(card))
        self.price.setText(self.tr("%1 points each").replace("%1", points(card.points)))
        self.description.setText(pick(card.description_zh, card.description_en))
        for line, text in zip(self.fact_lines, self._facts(quote), strict=True):
            line.setText(text)
            line.setVisible(bool(text))
        self.count.setText(str(quote.quantity))
        self.total.setText(
            self.tr("Total: %1 points · balance after: %2")
            .replace("%1", points(quote.cost))
            .replace("%2", points(max(0, quote.balance_after)))
        )
        self.minus.setEnabled(quote.quantity > 1)
        self.plus.setEnabled(quote.quantity < quote.max_quantity)
        self.redeem_button.setEnabled(quote.can_place)
        if quote.refusal is not None:
            self.why.setText(texts.refusal(quote.refusal))
        elif quote.quantity >= quote.max_quantity and quote.max_quantity < 99:
            self.why.setText(self.tr("That is as many as you can order now."))
        else:
            self.why.setText("")
        self.why.setVisible(bool(self.why.text()))

    def _facts(self, quote: Quote) -> list[str]:
        """Stock, limit, PIN, offline cap, and who confirms: one line each (or empty)."""
        stock = (
            self.tr("In stock: %1").replace("%1", str(quote.stock_left))
            if quote.stock_left is not None
            else ""
        )
        limit = ""
        if quote.limit is not None:
            limit = (
                self.tr("At most %1 per person a %2; you can order %3 more.")
                .replace("%1", str(quote.limit.per_person))
                .replace("%2", texts.period(quote.limit.period))
                .replace("%3", str(quote.limit.left))
            )
        if quote.pin_needed:
            pin = self.tr("Orders over %1 points need your PIN: you will be asked for it.")
        else:
            pin = self.tr("Orders over %1 points need your PIN.")
        pin = pin.replace("%1", points(quote.pin_threshold))
        offline = ""
        if quote.offline is not None:
            offline = self.tr(
                "The kiosk is offline: you can spend up to %1 points until it reconnects."
            ).replace("%1", points(quote.offline.allowance))
        confirm = self.tr("HR confirms every order; the points are held until then.")
        return [stock, limit, pin, offline, confirm]
