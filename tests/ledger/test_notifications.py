"""HR's notifications against real servers on loopback: mails through an SMTP server (plain,
and STARTTLS with a login) in each user's language, group robots' exact JSON and signatures,
hourly digests, the daily list of waiting orders, retries, and no message sent twice across
a restart or by two runners."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from sqlalchemy import select

from ledger.domain import webhooks
from ledger.domain.console_users import ConsoleRole
from ledger.domain.notifications import SENDING_TIMEOUT
from ledger.jobs.notifications import digests, notify, waiting_orders
from ledger.jobs.runner import JobRunner
from ledger.jobs.schedule import JobSpec
from ledger.notify.config import NotifyConfig, SmtpConfig
from ledger.service import Actor, LedgerService
from ledger.service.events import EventType, announce
from ledger.storage.database import Database
from ledger.storage.models import ConsoleUser
from sync.voucher import voucher_code
from tests.conftest import FakeClock
from tests.ledger import factory
from tests.ledger.notify_receivers import MailServer, RobotServer, free_port, self_signed

PASSWORD = "correct horse battery staple 42"
PUBLIC = "https://points.example.com"


def _config(server: MailServer | None = None, **smtp: object) -> NotifyConfig:
    port = server.port if server else free_port()
    fields = {"host": "127.0.0.1", "port": port, "starttls": False, "sender": "points@example.com",
              "timeout": 5.0} | smtp  # fmt: skip
    return NotifyConfig(SmtpConfig(**fields), PUBLIC)  # type: ignore[arg-type]


def _user(service: LedgerService, name: str, email: str, language: str = "zh",
          new_orders: str = "instant", alerts: tuple[str, ...] = ()) -> int:  # fmt: skip
    service.create_user(name, ConsoleRole.HR, PASSWORD)
    with service.db.read() as session:
        user_id = session.scalar(select(ConsoleUser.id).where(ConsoleUser.name == name))
    assert user_id is not None
    service.set_notify_preferences(user_id, email, language, new_orders, alerts)
    return user_id


def _orders(service: LedgerService, count: int, worker: str = "E1") -> list[str]:
    factory.item(service, "card-100", points=100)
    factory.employee(service, worker)
    factory.grant(service, worker, 100 * count)
    placed = []
    for _ in range(count):
        done = service.place_order(factory.order_request(worker, "card-100", 100), None)
        assert done.refusal is None
        placed.append(str(done.order.order_id))
    return placed


@pytest.fixture
def steady(service: LedgerService) -> LedgerService:
    service.notify_jitter = lambda: 0.5
    return service


def test_a_new_order_is_mailed_at_once_in_each_users_language(steady: LedgerService):
    _user(steady, "wang", "wang@example.com", "zh")
    _user(steady, "lisa", "lisa@example.com", "en")
    _user(steady, "quiet", "quiet@example.com", "en", new_orders="off")
    with MailServer() as server:
        [order_id] = _orders(steady, 1)
        result = notify(steady, _config(server))
    assert result["sent"] == 2 and result["failed_attempts"] == 0
    by_address = {mail.to[0]: mail for mail in server.got}
    assert set(by_address) == {"wang@example.com", "lisa@example.com"}
    code = voucher_code(order_id)
    zh, en = by_address["wang@example.com"], by_address["lisa@example.com"]
    assert zh.subject == f"新订单 {code}：超市购物卡 100 元"
    assert en.subject == f"New order {code}: Supermarket card 100 CNY"
    for line in (f"订单：{code}", "员工：E1 张伟（总装车间）", "积分：100",
                 f"查看：{PUBLIC}/admin/orders/{order_id}"):  # fmt: skip
        assert line in zh.text
    for line in (f"Order: {code}", "Worker: E1 张伟 (总装车间)", "Points: 100",
                 "Item: Supermarket card 100 CNY × 1", f"Open: {PUBLIC}/admin/orders/{order_id}"):  # fmt: skip
        assert line in en.text
    assert zh.sender == "points@example.com" and not zh.tls
    assert steady.list_notifications(status="sent")[0] == 2
    assert notify(steady, _config(server))["sent"] == 0  # nothing twice
