"""Screen 7: my orders and their state; every pending one has its own Cancel button, every
fulfilled one its code when it has one (asked of the ledger for this visit only)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.order_states import CodesState, KioskOrderStatus
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
    touch_button,
    wrapped_label,
)

if TYPE_CHECKING:
    from kiosk.read_models import OrderLine
    from kiosk.service import CodesView, OrdersView

# A long code (up to 200 characters) may break anywhere rather than widen the window.
BREAK_ANYWHERE = "\u200b"
# Refusals that mean the ledger was not shown this worker (a badge revoked since the login, a
# PIN visit whose token an order spent): their badge shows the codes.
NOT_SHOWN_YOU = frozenset({"evidence_invalid", "no_evidence"})

TONES = {
    KioskOrderStatus.FULFILLED: "done",
    KioskOrderStatus.APPROVED: "done",
    KioskOrderStatus.REJECTED: "bad",
    KioskOrderStatus.CANCELLED: "bad",
    KioskOrderStatus.REVERSED: "bad",
}


class OrderRow(QFrame):
    """One order: what, when, its code, its state; Cancel while HR has not answered.

    Rows are kept and filled again (``show_line``) rather than made for every refresh: the
    list is shown again after each sync, all day.
    """

    def __init__(self, index: int) -> None:
        super().__init__()
        self.setObjectName("orderRow")
        self.index = index
        self.line: OrderLine | None = None
        self.timezone = "Asia/Shanghai"
        self.code_text: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 12, 20, 12)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(row)
        text = QVBoxLayout()
        self.title = wrapped_label("orderTitle")
        self.when = wrapped_label("detail")
        self.state = wrapped_label("orderState")
        for label in (self.title, self.when, self.state):
            text.addWidget(label)
        row.addLayout(text, 1)
        side = QVBoxLayout()
        self.value = TextLabel(objectName="orderTitle")
        side.addWidget(self.value)
        self.cancel = touch_button(f"cancelOrder{index}", role="danger")
        side.addWidget(self.cancel)
        row.addLayout(side)
        # The code of a fulfilled code-pool order, under the row, in large monospace type.
        self.code_caption = wrapped_label("detail")
        self.code = wrapped_label("orderCode")
        outer.addWidget(self.code_caption)
        outer.addWidget(self.code)

    def show_line(self, line: OrderLine, timezone: str, code: str | None = None) -> None:
        self.line, self.timezone, self.code_text = line, timezone, code
        self.code.setText(BREAK_ANYWHERE.join(code) if code else "")
        self.code.setVisible(bool(code))
        self.code_caption.setVisible(bool(code))
        self.retranslate()

    def retranslate(self) -> None:
        line = self.line
        if line is None:
            return
        self.title.setText(f"{pick(line.title_zh, line.title_en)} × {line.quantity}")
        self.when.setText(f"{local(line.placed_at, self.timezone)} · {line.voucher}")
        state = texts.order_status(line.status, line.offline)
        if line.status is KioskOrderStatus.REJECTED and line.reason:
            state += ": " + texts.rejection_reason(line.reason)
        tone = TONES.get(line.status, "")
        if line.cancel_requested:
            state, tone = self.tr("Cancelling…"), "busy"
        self.state.setText(state)
        set_state(self.state, "tone", tone)
        self.value.setText(self.tr("%1 pts").replace("%1", points(line.points)))
        self.cancel.setText(self.tr("Cancel order"))
        self.cancel.setVisible(line.cancellable)
        self.code_caption.setText(self.tr("Your code"))


class OrdersScreen(Screen):
    cancel_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("orders")
        self.lines: tuple[OrderLine, ...] = ()
        self.codes: CodesView | None = None
        self.timezone = "Asia/Shanghai"
        self.pool: list[OrderRow] = []  # made once, filled again at each refresh
        self.rows: list[OrderRow] = []  # the rows showing an order now
        self.selected: str | None = None
        layout = QVBoxLayout(self)
        self.title = TextLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        # Where the codes are: being fetched, offline, refused (nothing once they are shown).
        self.codes_note = wrapped_label("codesNote")
        layout.addWidget(self.codes_note)
        self.content = QWidget()
        self.column = QVBoxLayout(self.content)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(METRICS.spacing)
        self.column.addStretch(1)
        self.area = scrolling(self.content)
        layout.addWidget(self.area, 1)
        self.empty = TextLabel(objectName="empty")
        layout.addWidget(self.empty)
        # The question before a cancel: "keep" and "cancel" far apart, unlike each other.
        self.question = QFrame(objectName="question")
        ask = QVBoxLayout(self.question)
        self.question_text = wrapped_label("confirmText")
        ask.addWidget(self.question_text)
        answers = QHBoxLayout()
        self.no = touch_button("noKeep", role="quiet")
        self.no.clicked.connect(self._reset)
        self.yes = touch_button("yesCancel", role="dangerFilled")
        self.yes.clicked.connect(self._confirm)
        answers.addWidget(self.no)
        answers.addStretch(1)
        answers.addSpacing(METRICS.apart)
        answers.addWidget(self.yes)
        ask.addLayout(answers)
        layout.addWidget(self.question)
        self._reset()
        self.retranslate()

    def show_view(self, view: OrdersView, timezone: str) -> None:
        lines = view.lines
        self.lines, self.codes, self.timezone = lines, view.codes, timezone
        if self.selected is not None and not any(
            line.order_id == self.selected and line.cancellable for line in lines
        ):
            self._reset()
        self._rebuild()

    def forget(self) -> None:
        self.lines, self.codes = (), None
        self._reset()
        self._rebuild()

    def _rebuild(self) -> None:
        while len(self.pool) < len(self.lines):
            row = OrderRow(len(self.pool))
            row.cancel.clicked.connect(partial(self._ask_row, row.index))
            self.column.insertWidget(self.column.count() - 1, row)
            self.pool.append(row)
        codes = self.codes.codes if self.codes is not None else {}
        for row, line in zip(self.pool, self.lines, strict=False):
            row.show_line(line, self.timezone, codes.get(line.order_id))
            row.show()
        for row in self.pool[len(self.lines) :]:
            row.line = None
            row.hide()
        self.rows = self.pool[: len(self.lines)]
        self.empty.setText("" if self.lines else self.tr("No orders yet."))
        self.empty.setVisible(not self.lines)
        self._show_codes_note()

    def _show_codes_note(self) -> None:
        codes = self.codes
        state = codes.state if codes is not None else CodesState.NONE
        if state is CodesState.LOADING:
            note, tone = self.tr("Getting your codes…"), "busy"
        elif state is CodesState.UNAVAILABLE:
            note, tone = self.tr("Your codes can be seen when the kiosk is online."), "offline"
        elif state is CodesState.REFUSED and codes is not None and codes.refusal in NOT_SHOWN_YOU:
            note, tone = (
                self.tr("Your codes cannot be shown: please scan your badge to see them."),
                "bad",
            )
        elif state is CodesState.REFUSED:
            note, tone = self.tr("Your codes cannot be shown now. Please ask HR."), "bad"
        else:
            note, tone = "", ""
        self.codes_note.setText(note)
        set_state(self.codes_note, "tone", tone)
        self.codes_note.setVisible(bool(note))

    def _ask_row(self, index: int) -> None:
        line = self.pool[index].line
        if line is not None:
            self._ask(line.order_id)

    def _ask(self, order_id: str) -> None:
        self.selected = order_id
        self.question.show()

    def _confirm(self) -> None:
        selected = self.selected
        self._reset()
        if selected is not None:
            self.cancel_requested.emit(selected)

    def _reset(self) -> None:
        self.selected = None
        self.question.hide()

    def row(self, order_id: str) -> OrderRow | None:
        return next((r for r in self.rows if r.line and r.line.order_id == order_id), None)

    def retranslate(self) -> None:
        self.title.setText(self.tr("My orders"))
        self.question_text.setText(self.tr("Cancel this order? The points come back to you."))
        self.yes.setText(self.tr("Yes, cancel it"))
        self.no.setText(self.tr("No, keep it"))
        for row in self.rows:
            row.retranslate()
        self.empty.setText("" if self.lines else self.tr("No orders yet."))
        self._show_codes_note()
