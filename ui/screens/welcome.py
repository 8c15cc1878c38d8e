"""Screen 1: scan your badge (or use the PIN), and the language for the visit.

The clock and the connection are in the status bar under every screen; messages (a badge
refused) show over the window.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from ui.resources import icon_path
from ui.tokens import METRICS
from ui.widgets import Screen, centred_label, touch_button


class WelcomeScreen(Screen):
    pin_requested = Signal()
    language_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("welcome")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = centred_label("welcomeTitle")
        layout.addWidget(self.title)
        # A QIcon draws the SVG through Qt's image plugin: cheaper at start than QtSvgWidgets.
        picture = centred_label("scanPicture")
        picture.setPixmap(QIcon(str(icon_path("scan"))).pixmap(240, 240))
        picture.setFixedHeight(240)
        layout.addWidget(picture)
        self.hint = centred_label("welcomeHint")
        layout.addWidget(self.hint)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.use_pin = touch_button("usePin")
        self.use_pin.clicked.connect(self.pin_requested)
        self.chinese = touch_button("langZh", role="quiet")
        self.chinese.setText("中文")  # each language names itself, untranslated
        self.chinese.clicked.connect(lambda: self.language_chosen.emit("zh"))
        self.english = touch_button("langEn", role="quiet")
        self.english.setText("English")
        self.english.clicked.connect(lambda: self.language_chosen.emit("en"))
        buttons.addWidget(self.use_pin)
        buttons.addStretch(1)
        buttons.addWidget(self.chinese)
        buttons.addSpacing(METRICS.spacing)
        buttons.addWidget(self.english)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scan your badge"))
        self.hint.setText(self.tr("Hold your badge or card to the reader to see your points."))
        self.use_pin.setText(self.tr("Use PIN"))
