"""A bug in a screen is logged, the worker sees "restarting", and the kiosk carries on."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication

from ui.app import EXIT_RESTART, install_crash_handler
from ui.main_window import MainWindow


@pytest.fixture
def handler(window: MainWindow):
    import sys

    previous = sys.excepthook
    yield install_crash_handler(window, limit=3)
    sys.excepthook = previous


def test_an_unexpected_error_returns_to_the_welcome_screen(
    qtbot, window: MainWindow, badge: Callable[[str], str], handler, caplog, monkeypatch
) -> None:
    window.visit.scanned(badge("E1001"))
    try:
        raise RuntimeError("a bug in a screen")
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR):
            handler(type(error), error, error.__traceback__)
    assert "unexpected error" in caplog.text and "a bug in a screen" in caplog.text
    assert window.trouble.isVisible() and "出了点问题" in window.trouble.text()
    qtbot.waitUntil(lambda: not window.trouble.isVisible(), timeout=5000)
    assert window.session is None and window.stack.currentWidget() is window.welcome

    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", lambda code=0: exits.append(code))
    handler(RuntimeError, RuntimeError("again"), None)
    assert exits == []
    handler(RuntimeError, RuntimeError("and again"), None)  # the third within a minute
    assert exits == [EXIT_RESTART]
