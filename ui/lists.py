"""Touch lists: a row of title, subtitle and value, its model, its painter and the view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QScroller,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui.tokens import METRICS, PALETTE

ROW_HEIGHT = METRICS.row_height
TONES = {
    "normal": PALETTE.text,
    "accent": PALETTE.primary,
    "positive": PALETTE.success,
    "negative": PALETTE.danger,
}
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ListRow:
    """One line of a list: a title, a smaller line below, a value on the right."""

    key: str
    title: str
    subtitle: str = ""
    value: str = ""
    tone: str = "normal"  # the value's colour: normal, accent, positive, negative
    muted: bool = False
    image: QPixmap | None = None


KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class RowsModel(QAbstractListModel):
    """A list of ``ListRow`` for a ``QListView``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ListRow] = []

    def set_rows(self, rows: list[ListRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.title} {row.value}"
        if role == KEY_ROLE:
            return row.key
        if role == ROW_ROLE:
            return row
        return None


class RowDelegate(QStyledItemDelegate):
    """Paints a ``ListRow``: image, title and subtitle on the left, value on the right."""

    def __init__(self, parent: QWidget | None = None, height: int = ROW_HEIGHT) -> None:
        super().__init__(parent)
        self.height = height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), self.height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row: ListRow = index.data(ROW_ROLE)
        painter.save()
        rect = option.rect.adjusted(8, 4, -8, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(PALETTE.selected if selected else PALETTE.surface))
        painter.drawRoundedRect(rect, 12, 12)
        left = rect.left() + 20
        if row.image is not None:
            side = rect.height() - 16
            painter.drawPixmap(QRect(left, rect.top() + 8, side, side), row.image)
            left += side + 20
        text_color = QColor(PALETTE.text_faint if row.muted else PALETTE.text)
        font = QFont(option.font)
        # The theme sets sizes in pixels, so scale whichever unit the font has.
        if font.pixelSize() > 0:
            font.setPixelSize(round(font.pixelSize() * 1.25))
        else:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        value_width = min(220, rect.width() // 4)
        painter.setFont(font)
        painter.setPen(QColor(PALETTE.text_faint if row.muted else TONES[row.tone]))
        value_rect = QRect(rect.right() - value_width - 20, rect.top(), value_width, rect.height())
        painter.drawText(
            value_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, row.value
        )
        # Titles and lines too long for a narrow (portrait) screen end in "…", never overlap.
        text_width = max(0, value_rect.left() - 16 - left)
        painter.setPen(text_color)
        if row.subtitle:
            text_rect = QRect(left, rect.top() + 10, text_width, rect.height() // 2)
        else:
            text_rect = QRect(left, rect.top(), text_width, rect.height())
        title = painter.fontMetrics().elidedText(row.title, Qt.TextElideMode.ElideRight, text_width)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
        small = QFont(option.font)
        painter.setFont(small)
        painter.setPen(QColor(PALETTE.text_muted))
        sub_rect = QRect(left, rect.top() + rect.height() // 2, text_width, rect.height() // 2 - 6)
        subtitle = painter.fontMetrics().elidedText(
            row.subtitle, Qt.TextElideMode.ElideRight, text_width
        )
        painter.drawText(
            sub_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, subtitle
        )
        painter.restore()


def touch_list(
    parent: QWidget | None = None, height: int = ROW_HEIGHT
) -> tuple[QListView, RowsModel]:
    """A list view for fingers: kinetic scrolling, per-pixel scrolling, no hover states."""
    view = QListView(parent)
    model = RowsModel(view)
    view.setModel(model)
    view.setItemDelegate(RowDelegate(view, height))
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setUniformItemSizes(True)
    QScroller.grabGesture(view.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return view, model
