"""The inbox after login, in the real window: what happened since the last visit, in Chinese
and in English; "Got it" goes home and the messages are not shown again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.runtime import KioskRuntime
from tests.conftest import LiveLedger
from tests.ledger import factory
from tests.ui.test_journey import scan
from ui.main_window import MainWindow


def news(ledger: LiveLedger, kiosk: KioskRuntime) -> None:
    service = ledger.service
    factory.rule(service)
    approved = service.place_order(factory.order_request("E1001", "cake", 300), None).order
    rejected = service.place_order(factory.order_request("E1001", "leave-day", 500), None).order
    service.approve_many([approved.order_id])
    service.reject_many([rejected.order_id], "out_of_stock")
    service.ingest_events([factory.event("ev-1", "E1001", service.clock())])
    service.write_inbox()
    kiosk.sync_once()


EXPECTED: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "自您上次来访以来",
        "headlines": ["您获得了积分", "您的订单被拒绝，积分已退回", "您的订单已批准",
                      "人事调整了您的积分"],
        "titles": ["季度绩效优秀", "额外年假一天", "生日蛋糕", "test grant"],
        "reason": "原因：",
        "values": ["+500 积分", "500 积分", "300 积分", "+3,000 积分"],
        "got_it": "知道了",
    },
    "en": {
        "title": "Since your last visit",
        "headlines": ["You earned points", "Your order was rejected; the points came back to you",
                      "Your order was approved", "HR adjusted your points"],
        "titles": ["Quarterly performance: excellent", "Extra day of leave", "Birthday cake",
                   "test grant"],
        "reason": "Reason: out of stock",
        "values": ["+500 pts", "500 pts", "300 pts", "+3,000 pts"],
        "got_it": "Got it",
    },
}  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_inbox_shows_what_happened_since_the_last_visit(
    qtbot,
    window: MainWindow,
    badge: Callable[[str], str],
    kiosk: KioskRuntime,
    factory_floor: LiveLedger,
    language: str,
) -> None:
    news(factory_floor, kiosk)
    if language == "en":
        qtbot.mouseClick(window.welcome.english, Qt.MouseButton.LeftButton)
    scan(qtbot, window, badge("E1001"))
    assert window.stack.currentWidget() is window.inbox
    screen, expected = window.inbox, EXPECTED[language]
    assert screen.title.text() == expected["title"]
    assert screen.got_it.text() == expected["got_it"]
    rows = screen.rows
    assert [r.headline.text() for r in rows] == expected["headlines"]  # newest first
    assert [r.title.text() for r in rows] == expected["titles"]
    assert [r.value.text() for r in rows] == expected["values"]
    assert expected["reason"] in rows[1].detail.text()
    assert all(r.isVisible() for r in rows)
    assert screen.got_it.height() >= 64

    qtbot.mouseClick(screen.got_it, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.home
    qtbot.mouseClick(window.header.logout, Qt.MouseButton.LeftButton)
    assert screen.rows == []  # nothing of the last worker left
    scan(qtbot, window, badge("E1001"))
    assert window.stack.currentWidget() is window.home  # read: not shown again
    assert kiosk.sync_once().error is None
    with factory_floor.service.db.read() as session:
        from sqlalchemy import select

        from ledger.storage.models import WorkerMessage

        unread = session.scalars(
            select(WorkerMessage.id).where(
                WorkerMessage.employee_id == "E1001", WorkerMessage.read_at.is_(None)
            )
        ).all()
    assert unread == []


def test_no_news_goes_straight_home(qtbot, window: MainWindow, badge: Callable[[str], str]) -> None:
    scan(qtbot, window, badge("E1002"))
    assert window.stack.currentWidget() is window.home
