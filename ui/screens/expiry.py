"""When the worker's points expire: every day with points due in the next twelve months."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout

from ui.lists import ListRow, touch_list
from ui.widgets import Screen, TextLabel, day, points, wrapped_label

if TYPE_CHECKING:
    from kiosk.read_models import ExpiryDay


class ExpiryScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("expiry")
        self.schedule: tuple[ExpiryDay, ...] = ()
        layout = QVBoxLayout(self)
        self.title = TextLabel(objectName="screenTitle")
        self.hint = wrapped_label("detail")
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        self.list, self.model = touch_list(self)
        layout.addWidget(self.list, 1)
        self.empty = TextLabel(objectName="empty")
        layout.addWidget(self.empty)
        self.retranslate()

    def show_view(self, schedule: tuple[ExpiryDay, ...]) -> None:
        self.schedule = schedule
        self.retranslate()

    def forget(self) -> None:
        self.schedule = ()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("When your points expire"))
        total = sum(line.points for line in self.schedule)
        self.hint.setText(
            self.tr(
                "%1 points expire in the next 12 months. Points are used soonest-expiring "
                "first when you redeem."
            ).replace("%1", points(total))
        )
        rows = [
            ListRow(
                key=line.day.isoformat(),
                title=day(line.day),
                value=self.tr("%1 pts").replace("%1", points(line.points)),
                tone="negative",
            )
            for line in self.schedule
        ]
        self.model.set_rows(rows)
        self.empty.setText(
            "" if rows else self.tr("None of your points expire in the next 12 months.")
        )
        self.empty.setVisible(not rows)
