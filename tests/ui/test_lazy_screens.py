"""The welcome screen comes up alone; the other screens are built once the core is attached."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.runtime import KioskRuntime
from ui.i18n import Languages
from ui.main_window import MainWindow
from ui.screen_set import lazy_names


def test_only_the_welcome_screen_exists_before_the_core(qtbot) -> None:
    window = MainWindow(None, Languages(), "zh")
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(20)
    assert window.stack.count() == 1 and window.stack.currentWidget() is window.welcome
    assert window.welcome.title.text() == "请扫描工牌"


def test_attaching_the_core_builds_the_rest_while_idle(
    qtbot, kiosk: KioskRuntime, badge: Callable[[str], str]
) -> None:
    window = MainWindow(None, Languages(), "en")
    qtbot.addWidget(window)
    window.show()
    window.attach(kiosk.service)
    qtbot.waitUntil(lambda: window.stack.count() == 1 + len(lazy_names(MainWindow)), timeout=5000)
    assert window.stack.currentWidget() is window.welcome
    # Built late, still in the language of the moment.
    assert window.home.catalogue.text().isascii() and window.home.catalogue.text() != ""
    window.visit.scanned(badge("E1001"))
    window.visit.show_history()
    assert window.history.model.rowCount() > 0
    window.visit.logout()
    assert window.history.model.rowCount() == 0 and window.home.balance.text() == ""
