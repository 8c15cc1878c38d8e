"""Screen 7: my orders with their state; cancel a pending one after a confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from ui import texts
from ui.lists import KEY_ROLE, ListRow, touch_list
from ui.widgets import Screen, local, points, touch_button

if TYPE_CHECKING:
    from kiosk.service import WorkerSession
    from kiosk.views import OrderLine


class OrdersScreen(Screen):
    cancel_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("orders")
        self.session: WorkerSession | None = None
        self.language = "zh"
        self.timezone = "Asia/Shanghai"
        self.lines: dict[str, OrderLine] = {}
        self.selected: str | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        self.list, self.model = touch_list(self)
        self.list.clicked.connect(self._clicked)
        layout.addWidget(self.list, 1)
        self.empty = QLabel(objectName="empty")
        layout.addWidget(self.empty)
        actions = QHBoxLayout()
        self.question = QLabel(objectName="message")
        self.cancel = touch_button("cancelOrder")
        self.cancel.clicked.connect(self._ask)
        self.yes = touch_button("yesCancel")
        self.yes.clicked.connect(self._confirm)
        self.no = touch_button("noKeep")
        self.no.clicked.connect(self._reset)
        for widget in (self.question, self.cancel, self.yes, self.no):
            actions.addWidget(widget)
        actions.insertStretch(1, 1)
        layout.addLayout(actions)
        self._reset()
        self.retranslate()

    def show_session(self, session: WorkerSession, language: str, timezone: str) -> None:
        self.session, self.language, self.timezone = session, language, timezone
        self.refresh()

    def forget(self) -> None:
        self.session = None
        self.refresh()

    def refresh(self) -> None:
        self._reset()
        lines = self.session.orders() if self.session is not None else ()
        self.lines = {line.order_id: line for line in lines}
        rows = []
        for line in lines:
            state = texts.order_status(line.status, line.offline)
            if line.status == "rejected" and line.reason:
                state += ": " + texts.rejection_reason(line.reason)
            if line.cancel_requested:
                state = self.tr("Cancelling…")
            title = line.title_zh if self.language == "zh" else line.title_en
            rows.append(
                ListRow(
                    key=line.order_id,
                    title=f"{title} × {line.quantity}",
                    subtitle=f"{local(line.placed_at, self.timezone)} · {line.voucher} · {state}",
                    value=self.tr("%1 pts").replace("%1", points(line.points)),
                    muted=line.status in ("rejected", "cancelled"),
                )
            )
        self.model.set_rows(rows)
        self.empty.setText("" if rows else self.tr("No orders yet."))

    def _clicked(self, index: QModelIndex) -> None:
        self.selected = index.data(KEY_ROLE)
        line = self.lines.get(self.selected or "")
        self.cancel.setVisible(bool(line and line.cancellable))
        self.yes.hide()
        self.no.hide()
        self.question.clear()

    def _ask(self) -> None:
        self.cancel.hide()
        self.yes.show()
        self.no.show()
        self.question.setText(self.tr("Cancel this order? The points come back to you."))

    def _confirm(self) -> None:
        if self.selected is not None:
            self.cancel_requested.emit(self.selected)
        self._reset()

    def _reset(self) -> None:
        self.selected = None
        for widget in (self.cancel, self.yes, self.no):
            widget.hide()
        self.question.clear()

    def retranslate(self) -> None:
        self.title.setText(self.tr("My orders"))
        self.cancel.setText(self.tr("Cancel order"))
        self.yes.setText(self.tr("Yes, cancel it"))
        self.no.setText(self.tr("No, keep it"))
        if self.session is not None:
            self.refresh()
