"""The window fits 1280×800 either way round, and every button is a finger's size."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton

from ui.main_window import MainWindow


def visit_every_screen(window: MainWindow, badge: Callable[[str], str]) -> list[str]:
    seen = []
    window.scanned(badge("E1001"))
    for show in (window.go_home, window.show_history, window.show_catalogue,
                 lambda: window.show_item("leave-day"), lambda: window.redeem("leave-day", 1),
                 window.place_order, window.show_orders, window.show_earn,
                 window.ask_login_pin):  # fmt: skip
        show()
        seen.append(window.stack.currentWidget().objectName())
    return seen


def test_every_screen_fits_800_by_800(qtbot, window: MainWindow, badge) -> None:
    window.scanned(badge("E1001"))
    margins = window.centralWidget().layout().contentsMargins()
    spacing = window.centralWidget().layout().spacing()
    chrome_height = margins.top() + margins.bottom()
    chrome_width = margins.left() + margins.right()
    header = window.header.minimumSizeHint().height() + spacing
    window.build_all_screens()
    assert window.stack.count() == 12
    without_header = {window.welcome, window.setup, window.maintenance}
    for index in range(window.stack.count()):
        page = window.stack.widget(index)
        hint = page.minimumSizeHint()
        height = hint.height() + chrome_height + (0 if page in without_header else header)
        width = max(hint.width(), window.header.minimumSizeHint().width()) + chrome_width
        assert width <= 800 and height <= 800, (page.objectName(), width, height)


def test_touch_targets_are_at_least_64_px(qtbot, window: MainWindow, badge) -> None:
    seen = visit_every_screen(window, badge)
    assert {"home", "history", "catalogue", "item", "confirm", "done", "orders"} <= set(seen)
    for size in ((1920, 1080), (1280, 800), (800, 1280)):
        window.resize(*size)
        for show in (window.go_home, window.show_catalogue, window.show_orders):
            show()
            qtbot.wait(10)
            for button in window.findChildren(QPushButton):
                if button.isVisible():
                    assert button.height() >= 64 and button.width() >= 64, (
                        button.objectName(),
                        button.size(),
                    )
