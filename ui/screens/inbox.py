"""After login, what happened since the worker's last visit: orders approved, fulfilled,
rejected (with the reason) or reversed, points earned, adjusted or expiring; "Got it" marks
them read and goes on to home."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from ui import texts
from ui.tokens import METRICS
from ui.widgets import (
    Screen,
    TextLabel,
    local,
    pick,
    points,
    scrolling,
    set_state,
    signed,
    touch_button,
    wrapped_label,
)

if TYPE_CHECKING:
    from kiosk.inbox import InboxMessage

TONES = {
    "approved": "done",
    "fulfilled": "done",
    "earned": "done",
    "rejected": "bad",
    "reversed": "bad",
    "expiring": "bad",
}


class MessageRow(QFrame):
    """One message: what happened (and to what), when, why; points on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("orderRow")
        self.message: InboxMessage | None = None
        self.timezone = "Asia/Shanghai"
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 12, 20, 12)
        text = QVBoxLayout()
        self.headline = wrapped_label("orderState")
        self.title = wrapped_label("orderTitle")
        self.detail = wrapped_label("detail")
        for label in (self.headline, self.title, self.detail):
            text.addWidget(label)
        row.addLayout(text, 1)
        self.value = TextLabel(objectName="orderTitle")
        row.addWidget(self.value)

    def show_message(self, message: InboxMessage, timezone: str) -> None:
        self.message, self.timezone = message, timezone
        self.retranslate()

    def _headline(self, message: InboxMessage) -> str:
        kind = message.kind
        if kind == "approved":
            return self.tr("Your order was approved")
        if kind == "fulfilled":
            return self.tr("Your order was fulfilled")
        if kind == "rejected":
            return self.tr("Your order was rejected; the points came back to you")
        if kind == "reversed":
            return self.tr("Your order was reversed; the points came back to you")
        if kind == "earned":
            return self.tr("You earned points")
        if kind == "adjusted":
            return self.tr("HR adjusted your points")
        if kind == "expiring":
            return self.tr("Points expire soon: redeem them before they do")
        return self.tr("News about your points")

    def retranslate(self) -> None:
        message = self.message
        if message is None:
            return
        self.headline.setText(self._headline(message))
        set_state(self.headline, "tone", TONES.get(message.kind, ""))
        title = pick(message.title_zh, message.title_en)
        if message.kind == "expiring" and message.expires_at is not None:
            title = self.tr("Expire on %1").replace("%1", local(message.expires_at, self.timezone))
        elif message.kind == "adjusted":
            title = message.note or ""
        self.title.setText(title)
        self.title.setVisible(bool(title))
        detail = local(message.created_at, self.timezone)
        if message.kind in ("rejected", "reversed") and message.note:
            detail += " · " + self.tr("Reason: %1").replace(
                "%1", texts.rejection_reason(message.note)
            )
        self.detail.setText(detail)
        value = ""
        if message.points is not None:
            # Earnings and adjustments change the balance: signed; the others are amounts.
            change = message.kind in ("earned", "adjusted")
            shown = signed(message.points) if change else points(message.points)
            value = self.tr("%1 pts").replace("%1", shown)
        self.value.setText(value)


class InboxScreen(Screen):
    """The worker's unread messages, newest first, and one "Got it"."""

    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("inbox")
        self.messages: tuple[InboxMessage, ...] = ()
        self.timezone = "Asia/Shanghai"
        self.pool: list[MessageRow] = []
        layout = QVBoxLayout(self)
        self.title = TextLabel(objectName="screenTitle")
        self.hint = wrapped_label("detail")
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        self.content = QWidget()
        self.column = QVBoxLayout(self.content)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(METRICS.spacing)
        self.column.addStretch(1)
        layout.addWidget(scrolling(self.content), 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.got_it = touch_button("gotIt", role="primary")
        self.got_it.clicked.connect(self.done)
        buttons.addWidget(self.got_it)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.retranslate()

    def show_view(self, messages: tuple[InboxMessage, ...], timezone: str) -> None:
        self.messages, self.timezone = messages, timezone
        while len(self.pool) < len(messages):
            row = MessageRow()
            self.column.insertWidget(self.column.count() - 1, row)
            self.pool.append(row)
        for row, message in zip(self.pool, messages, strict=False):
            row.show_message(message, timezone)
            row.show()
        for row in self.pool[len(messages) :]:
            row.message = None
            row.hide()
        self.retranslate()

    def forget(self) -> None:
        self.show_view((), self.timezone)

    @property
    def rows(self) -> list[MessageRow]:
        return self.pool[: len(self.messages)]

    def retranslate(self) -> None:
        self.title.setText(self.tr("Since your last visit"))
        self.hint.setText(self.tr("What happened to your orders and points while you were away."))
        self.got_it.setText(self.tr("Got it"))
        for row in self.rows:
            row.retranslate()
