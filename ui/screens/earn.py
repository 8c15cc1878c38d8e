"""Screen 8: how to earn points: the active rules from the synced data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout

from ui import texts
from ui.lists import ListRow, touch_list
from ui.widgets import Screen, TextLabel, pick, signed

if TYPE_CHECKING:
    from kiosk.read_models import RuleLine


class EarnScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("earn")
        self.rules: tuple[RuleLine, ...] = ()
        layout = QVBoxLayout(self)
        self.title = TextLabel(objectName="screenTitle")
        layout.addWidget(self.title)
        self.list, self.model = touch_list(self)
        layout.addWidget(self.list, 1)
        self.retranslate()

    def show_view(self, rules: tuple[RuleLine, ...]) -> None:
        self.rules = rules
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("How to earn points"))
        rows = []
        for rule in self.rules:
            subtitle = self.tr("Valid for %1 days").replace("%1", str(rule.validity_days))
            if rule.cap_per_period and rule.period:
                subtitle += " · " + self.tr("up to %1 points a %2").replace(
                    "%1", str(rule.cap_per_period)
                ).replace("%2", texts.period(rule.period))
            rows.append(
                ListRow(
                    key=rule.kind,
                    title=pick(rule.title_zh, rule.title_en),
                    subtitle=subtitle,
                    value=signed(rule.points),
                    tone="positive",
                )
            )
        self.model.set_rows(rows)
