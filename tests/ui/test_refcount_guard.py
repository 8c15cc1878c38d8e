"""The Qt binding keeps ``None``'s reference count balanced through a shop floor's day.

A binding that takes a reference from ``None`` on every null return (PySide6 6.12.0 does)
drains it one key press at a time until Python aborts with ``none_dealloc``. These tests drive
the real window offscreen with the real theme and fail, before any abort, as soon as the
count drifts.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from sync.status import StatusSnapshot
from tests.conftest import LiveLedger
from tests.ui.drive import tap, wedge_scan
from ui.binding_check import TOLERANCE, null_return_drift, null_returning_calls
from ui.main_window import MainWindow

pytestmark = pytest.mark.slow

CALLS = 2000
# Python itself moves None's count by a few while it works (frames, caches); a leak moves it
# by one a call or a key, thousands over these runs.
NONE_DRIFT = TOLERANCE
OBJECT_GROWTH = 2000


def test_qt_calls_that_answer_null_keep_none_balanced(qtbot) -> None:
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    drifts = null_return_drift(CALLS)
    assert set(drifts) == set(null_returning_calls([])), "a call did not answer null"
    for name, drift in drifts.items():
        assert abs(drift) <= NONE_DRIFT, f"{name}: None's count moved by {drift} in {CALLS} calls"


def test_focus_changes_to_nothing_keep_none_balanced(qtbot) -> None:
    """``focusChanged(old, None)``: the signal the scanner follows instead of asking per key."""
    window = QWidget()
    layout = QVBoxLayout(window)
    field = QLineEdit()
    layout.addWidget(field)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    changes: list[object] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.focusChanged.connect(lambda old, now: changes.append(now is None))
    before = sys.getrefcount(None)
    for _ in range(500):
        field.setFocus()
        app.processEvents()
        field.clearFocus()
        app.processEvents()
    drift = sys.getrefcount(None) - before
    assert any(changes), "focus never went to nothing"
    assert abs(drift) <= NONE_DRIFT, f"None's count moved by {drift} over 1,000 focus changes"


class Drift:
    """None's reference count and the number of live objects, against a starting point."""

    def __init__(self) -> None:
        self.objects = self.count_objects()
        self.none = sys.getrefcount(None)

    @staticmethod
    def count_objects() -> int:
        gc.collect()
        return len(gc.get_objects())

    def check_none(self, when: str) -> None:
        gc.collect()  # garbage still holding None is not a leak
        drift = sys.getrefcount(None) - self.none
        assert abs(drift) <= NONE_DRIFT, f"None's count moved by {drift} {when}"


@pytest.mark.no_qt_log  # captured Qt messages would pile up as objects
def test_a_day_of_scans_and_touches_leaves_none_and_objects_flat(
    qtbot, window: MainWindow, badge: Callable[[str], str], factory_floor: LiveLedger
) -> None:
    """500 wedge scans (login, home, catalogue, log out) and 10,000 other events."""
    window.resize(1280, 800)
    qtbot.waitExposed(window)
    badges = [badge("E1001"), badge("E1002")]
    for worker in badges:  # orders to list on "My orders"
        session = window.service.login(worker)
        for _ in range(2):
            session.place_order("cake" if session.balance().available < 1000 else "leave-day")
    # The kiosk has synced; the ledger's server thread would only add its own objects.
    factory_floor.stop()

    def visit(n: int) -> None:
        wedge_scan(window, badges[n % 2])
        assert window.session is not None, "the scan did not log in"
        tap(window.home.catalogue)
        QApplication.processEvents()  # paint
        tap(window.header.logout)
        QApplication.processEvents()

    statuses = [
        StatusSnapshot(state="online", last_sync_at=datetime(2026, 6, 15, 2, tzinfo=UTC)),
        StatusSnapshot(state="offline", offline_since=datetime(2026, 6, 15, 3, tzinfo=UTC)),
        StatusSnapshot(state="online", syncing=True),
    ]

    def other_events(n: int) -> None:
        """Twenty events a visit: touches, clock and idle ticks, sync status changes."""
        wedge_scan(window, badges[n % 2])
        for m, tile in enumerate((window.home.history, window.home.orders) * 2):
            tap(tile)
            QApplication.processEvents()
            tap(window.header.home)
            window.status_changed.emit(statuses[(n + m) % len(statuses)])
            window.tick()
        window.idle.idle.emit()  # the idle time is up: the countdown shows
        tap(window.countdown.button)  # "I'm still here"
        tap(window.header.logout)
        QApplication.processEvents()

    for n in range(20):  # warm up: every screen built, caches filled
        visit(n)
        other_events(n)
    start = Drift()
    for n in range(500):
        visit(n)
        if n % 10 == 9:
            start.check_none(f"after {n + 1} scans")
    for n in range(10_000 // 20):
        other_events(n)
        if n % 10 == 9:
            start.check_none(f"after {(n + 1) * 20} other events")
    start.check_none("at the end")
    growth = Drift.count_objects() - start.objects
    assert growth <= OBJECT_GROWTH, f"{growth} more live objects after the run"
