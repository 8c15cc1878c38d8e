"""Screen 3: history with running balance and filter chips (earned, spent, expired, all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout

from ui import texts
from ui.lists import ListRow, touch_list
from ui.widgets import Screen, TextLabel, local, pick, points, signed, touch_button

if TYPE_CHECKING:
    from kiosk.read_models import HistoryFilter, HistoryPage

FILTERS: tuple[HistoryFilter, ...] = ("all", "earned", "spent", "expired")


class HistoryScreen(Screen):
    filter_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("history")
        self.page: HistoryPage | None = None
        self.timezone = "Asia/Shanghai"
        self.kind: HistoryFilter = "all"
        layout = QVBoxLayout(self)
        self.title = TextLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        chips = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.chips = {}
        for kind in FILTERS:
            chip = touch_button(f"chip_{kind}", role="chip")
            chip.setCheckable(True)
            chip.clicked.connect(lambda _=False, k=kind: self.filter_chosen.emit(k))
            self.group.addButton(chip)
            self.chips[kind] = chip
            chips.addWidget(chip)
        chips.addStretch(1)
        self.chips["all"].setChecked(True)
        layout.addLayout(chips)
        self.list, self.model = touch_list(self)
        layout.addWidget(self.list, 1)
        self.empty = TextLabel(objectName="empty")
        layout.addWidget(self.empty)
        self.retranslate()

    def show_view(self, page: HistoryPage, kind: HistoryFilter, timezone: str) -> None:
        self.page, self.kind, self.timezone = page, kind, timezone
        self.chips[kind].setChecked(True)
        self.refresh()

    def forget(self) -> None:
        self.page = None
        self.kind = "all"
        self.chips["all"].setChecked(True)
        self.refresh()

    def refresh(self) -> None:
        rows = []
        for entry in self.page.entries if self.page is not None else ():
            title = pick(entry.title_zh, entry.title_en)
            if not title:
                # An expiry's memo names ledger internals; an adjustment's is HR's reason.
                adjusted = entry.memo if entry.kind == "adjust" else None
                title = adjusted or texts.entry_kind(entry.kind)
            rows.append(
                ListRow(
                    key=str(entry.id),
                    title=title or "",
                    subtitle=f"{local(entry.created_at, self.timezone)} · "
                    f"{texts.entry_kind(entry.kind)} · "
                    + self.tr("balance %1").replace("%1", points(entry.balance_after)),
                    value=signed(entry.points),
                    tone="positive" if entry.points > 0 else "negative",
                )
            )
        self.model.set_rows(rows)
        self.empty.setText("" if rows else self.tr("Nothing here yet."))
        self.empty.setVisible(not rows)

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
        self.refresh()
