"""Screen 3: history with running balance and filter chips (earned, spent, expired, all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QVBoxLayout

from ui import texts
from ui.lists import ListRow, touch_list
from ui.widgets import Screen, local, points, signed, touch_button

if TYPE_CHECKING:
    from kiosk.service import WorkerSession
    from kiosk.views import HistoryFilter

FILTERS: tuple[HistoryFilter, ...] = ("all", "earned", "spent", "expired")
PAGE = 200


class HistoryScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("history")
        self.session: WorkerSession | None = None
        self.language = "zh"
        self.timezone = "Asia/Shanghai"
        self.kind: HistoryFilter = "all"
        layout = QVBoxLayout(self)
        self.title = QLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        chips = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.chips = {}
        for kind in FILTERS:
            chip = touch_button(f"chip_{kind}")
            chip.setCheckable(True)
            chip.setProperty("chip", True)
            chip.clicked.connect(lambda _=False, k=kind: self.set_filter(k))
            self.group.addButton(chip)
            self.chips[kind] = chip
            chips.addWidget(chip)
        chips.addStretch(1)
        self.chips["all"].setChecked(True)
        layout.addLayout(chips)
        self.list, self.model = touch_list(self)
        layout.addWidget(self.list, 1)
        self.empty = QLabel(objectName="empty")
        layout.addWidget(self.empty)
        self.retranslate()

    def show_session(self, session: WorkerSession, language: str, timezone: str) -> None:
        self.session, self.language, self.timezone = session, language, timezone
        self.chips["all"].setChecked(True)
        self.kind = "all"
        self.refresh()

    def set_filter(self, kind: HistoryFilter) -> None:
        self.kind = kind
        self.chips[kind].setChecked(True)
        self.refresh()

    def forget(self) -> None:
        self.session = None
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            self.model.set_rows([])
            return
        page = self.session.history(self.kind, page_size=PAGE)
        rows = []
        for entry in page.entries:
            title = entry.title_zh if self.language == "zh" else entry.title_en
            if not title:
                # An expiry's memo names ledger internals; an adjustment's is HR's reason.
                adjusted = entry.kind == "adjust" and entry.memo
                title = entry.memo if adjusted else texts.entry_kind(entry.kind)
            rows.append(
                ListRow(
                    key=str(entry.id),
                    title=title,
                    subtitle=f"{local(entry.created_at, self.timezone)} · "
                    f"{texts.entry_kind(entry.kind)} · "
                    + self.tr("balance %1").replace("%1", points(entry.balance_after)),
                    value=signed(entry.points),
                    value_color="#137333" if entry.points > 0 else "#b3261e",
                )
            )
        self.model.set_rows(rows)
        self.empty.setText("" if rows else self.tr("Nothing here yet."))

    def retranslate(self) -> None:
        self.title.setText(self.tr("History"))
        names = {
            "all": self.tr("All"),
            "earned": self.tr("Earned"),
            "spent": self.tr("Spent"),
            "expired": self.tr("Expired"),
        }
        for kind, chip in self.chips.items():
            chip.setText(names[kind])
        if self.session is not None:
            self.refresh()
