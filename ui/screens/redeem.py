"""Screens 5 and 6: confirm an order (the same quote the item showed), then what was done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from sync.voucher import voucher_qr_text
from ui import texts
from ui.tokens import METRICS, PALETTE
from ui.widgets import (
    Responsive,
    Screen,
    TextLabel,
    centred_label,
    pick,
    points,
    scrolling,
    touch_button,
    wrapped_label,
)

if TYPE_CHECKING:
    from kiosk.redemption import PlacedOrder
    from kiosk.service import ItemView


def qr_pixmap(text: str, size: int) -> QPixmap:
    """A QR code: ``qrcode`` computes the modules, Qt paints them (no image library needed)."""
    import qrcode  # on first use: it is not needed to draw the first screen

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    cells = len(matrix)
    scale = max(1, size // cells)
    image = QImage(cells * scale, cells * scale, QImage.Format.Format_RGB32)
    image.fill(QColor(PALETTE.qr_light))
    painter = QPainter(image)
    dark = QColor(PALETTE.qr_dark)
    for y, row in enumerate(matrix):
        for x, on in enumerate(row):
            if on:
                painter.fillRect(x * scale, y * scale, scale, scale, dark)
    painter.end()
    return QPixmap.fromImage(image)


class ConfirmScreen(Screen):
    confirmed = Signal()
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("confirm")
        self.view: ItemView | None = None
        layout = QVBoxLayout(self)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(METRICS.spacing)
        self.heading = TextLabel(objectName="screenTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.question = centred_label("confirmText")
        self.cost = centred_label("cost")
        self.after = centred_label("detail")
        self.notes = centred_label("detail")
        self.offline = centred_label("offlineNote")
        column.addStretch(1)
        for label in (self.heading, self.question, self.cost, self.after, self.notes,
                      self.offline):  # fmt: skip
            column.addWidget(label)
        column.addStretch(1)
        layout.addWidget(scrolling(content), 1)
        self.message = centred_label("message")
        layout.addWidget(self.message)
        # Cancel and Confirm far apart and unlike each other: a glove cannot hit the wrong one.
        buttons = QHBoxLayout()
        self.cancel = touch_button("cancel", role="quiet")
        self.cancel.clicked.connect(self.cancelled)
        self.confirm = touch_button("confirm", role="primary")
        self.confirm.clicked.connect(self.confirmed)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addSpacing(METRICS.apart)
        buttons.addWidget(self.confirm)
        layout.addLayout(buttons)
        self.retranslate()

    def show_view(self, view: ItemView) -> None:
        self.view = view
        self.message.clear()
        self.retranslate()

    def show_refusal(self, text: str) -> None:
        self.message.setText(text)

    def forget(self) -> None:
        self.view = None
        self.message.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Confirm your order"))
        self.cancel.setText(self.tr("Cancel"))
        self.confirm.setText(self.tr("Confirm"))
        view = self.view
        if view is None:
            for label in (self.question, self.cost, self.after, self.notes, self.offline):
                label.clear()
            return
        quote = view.quote
        self.question.setText(f"{pick(view.card.title_zh, view.card.title_en)} × {quote.quantity}")
        self.cost.setText(self.tr("This uses %1 points").replace("%1", points(quote.cost)))
        self.after.setText(
            self.tr("Your balance after: %1 points").replace(
                "%1", points(max(0, quote.balance_after))
            )
        )
        self.notes.setText(self.tr("HR confirms every order; the points are held until then."))
        self.offline.setText(
            self.tr("The kiosk is offline: your order will be sent when it reconnects.")
            if quote.offline is not None
            else ""
        )
        self.offline.setVisible(quote.offline is not None)
        self.confirm.setEnabled(quote.can_place and not quote.pin_needed)
        if quote.refusal is not None and not self.message.text():
            self.message.setText(texts.refusal(quote.refusal))


class DoneScreen(Screen):
    """The order is in: its code and QR, what it was, what it cost, and what happens next."""

    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("done")
        self.placed: PlacedOrder | None = None
        layout = QVBoxLayout(self)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        body = Responsive()
        code = QVBoxLayout()
        self.qr = TextLabel(objectName="qr", alignment=Qt.AlignmentFlag.AlignCenter)
        self.voucher = TextLabel(objectName="voucher", alignment=Qt.AlignmentFlag.AlignCenter)
        self.voucher.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.voucher_caption = centred_label("detail")
        code.addWidget(self.qr)
        code.addWidget(self.voucher_caption)
        code.addWidget(self.voucher)
        code.addStretch(1)
        body.box.addLayout(code)
        body.box.addSpacing(METRICS.spacing * 2)
        facts = QVBoxLayout()
        self.outcome = wrapped_label("outcome")
        self.what = wrapped_label("confirmText")
        self.used = wrapped_label("detail")
        self.balance = wrapped_label("detail")
        self.next_steps = wrapped_label("itemDescription")
        self.offline = wrapped_label("offlineNote")
        for label in (self.outcome, self.what, self.used, self.balance, self.next_steps,
                      self.offline):  # fmt: skip
            facts.addWidget(label)
        facts.addStretch(1)
        body.box.addLayout(facts, 1)
        column.addWidget(body)
        layout.addWidget(scrolling(content), 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back = touch_button("backHome")
        self.back.clicked.connect(self.finished)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.retranslate()

    def show_view(self, placed: PlacedOrder) -> None:
        self.placed = placed
        self.qr.setPixmap(qr_pixmap(voucher_qr_text(placed.order_id), METRICS.qr_size))
        self.retranslate()

    def forget(self) -> None:
        self.placed = None
        self.qr.clear()
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setText(self.tr("Back to home"))
        self.voucher_caption.setText(self.tr("Your order number"))
        placed = self.placed
        if placed is None:
            for label in (self.voucher, self.outcome, self.what, self.used, self.balance,
                          self.next_steps, self.offline):  # fmt: skip
                label.clear()
            return
        self.voucher.setText(placed.voucher)
        self.outcome.setText(self.tr("Submitted: HR will confirm your order"))
        self.what.setText(f"{pick(placed.title_zh, placed.title_en)} × {placed.quantity}")
        self.used.setText(self.tr("Points used: %1").replace("%1", points(placed.points)))
        self.balance.setText(
            self.tr("Your balance now: %1 points").replace("%1", points(placed.balance_after))
        )
        self.next_steps.setText(texts.next_steps(placed.category))
        self.offline.setText(
            self.tr(
                "The kiosk is offline: your order is saved here and will be sent when it "
                "reconnects; HR sees it then."
            )
            if placed.offline
            else ""
        )
        self.offline.setVisible(placed.offline)
