"""Whether this Qt binding keeps ``None``'s reference count balanced.

PySide6 6.12.0 takes a reference from ``None`` on every call that answers with a null object
and never gives it back; Python 3.11's ``None`` is not immortal, so a kiosk making such calls
aborts with ``none_dealloc`` after some thousands of them. ``kiosk --self-test`` runs this on
the packaged build, and the UI tests run it on the development one.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

# Python moves None's count by a few while it works; a leak moves it by one a call.
TOLERANCE = 50


def null_returning_calls(keep: list[QWidget]) -> dict[str, Callable[[], object]]:
    """Qt calls the kiosk makes (or a binding update could make) that answer null here.

    ``keep`` holds the widgets the calls are made on for as long as the caller needs them.
    """
    lonely = QWidget()
    empty = QStackedWidget()
    keep += [lonely, empty]
    return {
        "QApplication.focusWidget()": QApplication.focusWidget,
        "QApplication.activePopupWidget()": QApplication.activePopupWidget,
        "QApplication.activeModalWidget()": QApplication.activeModalWidget,
        "QApplication.widgetAt(off screen)": lambda: QApplication.widgetAt(-10_000, -10_000),
        "QGuiApplication.modalWindow()": QGuiApplication.modalWindow,
        "QWidget.focusWidget()": lonely.focusWidget,
        "QWidget.parentWidget() of a window": lonely.parentWidget,
        "QWidget.childAt(outside)": lambda: lonely.childAt(-5, -5),
        "QStackedWidget.currentWidget() when empty": empty.currentWidget,
    }


def null_return_drift(calls: int = 1000) -> dict[str, int]:
    """How far ``calls`` calls of each null-answering Qt call move ``None``'s count.

    Needs a QApplication. A call that does not answer null here (something has the focus) is
    left out rather than measured wrongly.
    """
    keep: list[QWidget] = []
    drifts: dict[str, int] = {}
    for name, call in null_returning_calls(keep).items():
        if call() is not None:
            continue
        gc.collect()
        before = sys.getrefcount(None)
        for _ in range(calls):
            call()
        gc.collect()
        drifts[name] = sys.getrefcount(None) - before
    return drifts
