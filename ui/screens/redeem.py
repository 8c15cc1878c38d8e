"""Screens 5 and 6: confirm an order, then the voucher with its QR code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from sync.voucher import voucher_qr_text
from ui.widgets import Screen, points, touch_button

if TYPE_CHECKING:
    from kiosk.redemption import PlacedOrder


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
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * scale, y * scale, scale, scale, Qt.GlobalColor.black)
    painter.end()
    return QPixmap.fromImage(image)


class ConfirmScreen(Screen):
    confirmed = Signal()
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("confirm")
        self.cost = 0
        self.after = 0
        self.item_title = ""
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.question = QLabel(objectName="confirmText", alignment=Qt.AlignmentFlag.AlignCenter)
        self.question.setWordWrap(True)
        self.message = QLabel(objectName="message", alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.question)
        layout.addWidget(self.message)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.cancel = touch_button("cancel")
        self.cancel.clicked.connect(self.cancelled)
        self.confirm = touch_button("confirm")
        self.confirm.clicked.connect(self.confirmed)
        for button in (self.cancel, self.confirm):
            button.setMinimumSize(320, 110)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm)
        layout.addLayout(buttons)
        self.retranslate()

    def ask(self, item_title: str, cost: int, after: int) -> None:
        self.item_title, self.cost, self.after = item_title, cost, after
        self.message.clear()
        self.retranslate()

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def forget(self) -> None:
        self.ask("", 0, 0)

    def retranslate(self) -> None:
        self.question.setText(
            self.tr("%1\nThis uses %2 points. Balance after: %3. Confirm?")
            .replace("%1", self.item_title)
            .replace("%2", points(self.cost))
            .replace("%3", points(self.after))
        )
        self.cancel.setText(self.tr("Cancel"))
        self.confirm.setText(self.tr("Confirm"))


class DoneScreen(Screen):
    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("done")
        self.placed: PlacedOrder | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel(objectName="screenTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.voucher = QLabel(objectName="voucher", alignment=Qt.AlignmentFlag.AlignCenter)
        self.voucher.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.qr = QLabel(objectName="qr", alignment=Qt.AlignmentFlag.AlignCenter)
        self.next_steps = QLabel(objectName="nextSteps", alignment=Qt.AlignmentFlag.AlignCenter)
        self.next_steps.setWordWrap(True)
        for widget in (self.title, self.voucher, self.qr, self.next_steps):
            layout.addWidget(widget)
        self.back = touch_button("backHome")
        self.back.clicked.connect(self.finished)
        layout.addWidget(self.back, alignment=Qt.AlignmentFlag.AlignCenter)
        self.retranslate()

    def show_order(self, placed: PlacedOrder) -> None:
        self.placed = placed
        self.qr.setPixmap(qr_pixmap(voucher_qr_text(placed.order_id), 320))
        self.retranslate()

    def forget(self) -> None:
        self.placed = None
        self.voucher.clear()
        self.qr.clear()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Done! Your order number:"))
        self.back.setText(self.tr("Back to home"))
        placed = self.placed
        if placed is None:
            return
        self.voucher.setText(placed.voucher)
        steps = self.tr(
            "HR will confirm your order. Show this code at the HR counter to collect it."
        )
        if placed.offline:
            steps += "\n" + self.tr(
                "The kiosk is offline: your order will be sent when it reconnects."
            )
        self.next_steps.setText(steps)
