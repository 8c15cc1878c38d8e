"""Workers' own mails, on SQLite and PostgreSQL against an SMTP server on loopback: a worker
HR gave a personal address is told of approvals, rejections (with the reason) and expiring
points in their language, once each; others get nothing new; the address reaches neither
events nor kiosks."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ledger.jobs.notifications import notify
from ledger.notify import messages
from ledger.notify.config import NotifyConfig
from ledger.notify.messages import OrderFacts, Words
from ledger.service import LedgerService
from ledger.storage.models import DomainEvent, HrAction
from sync.voucher import voucher_code
from tests.ledger import factory
from tests.ledger.http import device_api
from tests.ledger.notify_receivers import MailServer
from tests.ledger.test_notifications import _config

ADDRESS = "zhang.wei@example.net"


@pytest.fixture
def steady(service: LedgerService) -> LedgerService:
    service.notify_jitter = lambda: 0.5
    return service


def _place(service: LedgerService, worker: str) -> str:
    done = service.place_order(factory.order_request(worker, "card-100", 100), None)
    assert done.refusal is None
    return str(done.order.order_id)


def _expiry_date(service: LedgerService, worker: str) -> str:
    with service.db.read() as session:
        payloads = [
            json.loads(p)
            for p in session.scalars(
                select(DomainEvent.payload).where(
                    DomainEvent.type == "points.expiring", DomainEvent.subject == worker
                )
            )
        ]
    [payload] = payloads
    moment = datetime.fromisoformat(payload["expires_at"])
    return moment.astimezone(ZoneInfo(service.site_timezone())).strftime("%Y-%m-%d")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", ("您的订单 {} 已批准：超市购物卡 100 元", "您的订单 {} 被驳回：超市购物卡 100 元",
                "原因：缺货", "您有 50 积分将于 {} 过期", "即将过期的积分：50")),
        ("en", ("Your order {} is approved: Supermarket card 100 CNY",
                "Your order {} was rejected: Supermarket card 100 CNY", "Reason: 缺货",
                "50 of your points expire on {}", "Points expiring: 50")),
    ],
)  # fmt: skip
def test_a_worker_with_an_address_is_mailed_once_each_in_their_language(
    steady: LedgerService, language: str, expected: tuple[str, ...]
) -> None:
    approved_subject, rejected_subject, reason_line, expiring_subject, expiring_line = expected
    factory.item(steady, "card-100", points=100)
    factory.employee(steady, "E1", language=language)
    factory.employee(steady, "E2", name="李娜")  # no address: the kiosk inbox only
    assert steady.set_worker_email("E1", f"  {ADDRESS} ") is True
    assert steady.set_worker_email("E1", ADDRESS) is False  # the same again changes nothing
    for worker in ("E1", "E2"):
        factory.grant(steady, worker, 200)
    placed = {worker: (_place(steady, worker), _place(steady, worker)) for worker in ("E1", "E2")}
    for worker in ("E1", "E2"):  # after the orders, which spend the soonest to expire first
        factory.grant(steady, worker, 50, validity_days=5)  # reminded at 7 days
    for approved, rejected in placed.values():
        steady.transition(approved, "approve")
        steady.transition(rejected, "reject", reason="缺货")
    assert steady.send_expiry_reminders()["reminders"] == 2
    with MailServer() as server:
        first = notify(steady, _config(server))
        again = notify(steady, _config(server))  # the job runs again: nothing twice
    assert first["sent"] == 3 and first["failed_attempts"] == 0
    assert again == {"new": 0, "sent": 0, "failed_attempts": 0, "interrupted": 0}
    assert all(mail.to == [ADDRESS] for mail in server.got)
    by_subject = {mail.subject: mail.text for mail in server.got}
    approved, rejected = placed["E1"]
    date = _expiry_date(steady, "E1")
    assert set(by_subject) == {
        approved_subject.format(voucher_code(approved)),
        rejected_subject.format(voucher_code(rejected)),
        expiring_subject.format(date),
    }
    assert reason_line in by_subject[rejected_subject.format(voucher_code(rejected))]
    assert expiring_line in by_subject[expiring_subject.format(date)]
    _, rows = steady.list_notifications()
    assert {r["recipient"] for r in rows} == {"employee:E1"}
    assert {r["topic"] for r in rows} == {"order.approved", "order.rejected", "points.expiring"}


def test_a_fulfilment_mail_and_a_code_items_pointing_to_the_kiosk(steady: LedgerService) -> None:
    factory.item(steady, "card-100", points=100)
    factory.employee(steady, "E1", language="en")
    steady.set_worker_email("E1", ADDRESS)
    factory.grant(steady, "E1", 100)
    order_id = _place(steady, "E1")
    steady.transition(order_id, "approve")
    steady.transition(order_id, "fulfil")
    with MailServer() as server:
        assert notify(steady, _config(server))["sent"] == 2
    fulfilled = {m.subject: m.text for m in server.got}[
        f"Your order {voucher_code(order_id)} is fulfilled: Supermarket card 100 CNY"
    ]
    assert "Item: Supermarket card 100 CNY × 1" in fulfilled and "My orders" not in fulfilled
    # A code item's mail says where the code is, never the code (a kiosk shows it).
    words = Words("zh", ZoneInfo("Asia/Shanghai"), NotifyConfig())
    facts = OrderFacts(order_id, "E1", "张伟", "", "购物卡", "Card", 1, 100, None)
    found = messages.worker_order(words, "order.fulfilled", facts, "", code_item=True)
    assert found is not None and "兑换码可在自助终端的“我的订单”中查看。" in found[1]


def test_clearing_the_address_stops_the_mails(steady: LedgerService) -> None:
    factory.item(steady, "card-100", points=100)
    factory.employee(steady, "E1")
    factory.grant(steady, "E1", 300)
    steady.set_worker_email("E1", ADDRESS)
    first = _place(steady, "E1")
    steady.transition(first, "approve")
    with MailServer() as server:
        # Made while the address was set, cleared before it went out: not sent.
        steady.fan_out_notifications(_config(server))
        assert steady.set_worker_email("E1", "") is True
        assert steady.worker_email("E1") == ""
        second = _place(steady, "E1")
        steady.transition(second, "approve")
        result = notify(steady, _config(server))
    assert result["new"] == 0 and result["sent"] == 0 and not server.got
    [row] = steady.list_notifications(status="failed")[1]
    assert row["recipient"] == "employee:E1" and "removed" in row["last_error"]
    with steady.db.read() as session:
        logged = session.scalars(
            select(HrAction).where(HrAction.action == "employee.contact")
        ).all()
    assert [json.loads(a.after or "{}")["has_email"] for a in logged] == [True, False]
    assert all(ADDRESS not in (a.before or "") + (a.after or "") for a in logged)


def test_a_bad_address_is_refused(steady: LedgerService) -> None:
    factory.employee(steady, "E1")
    for bad in ("not-an-address", "a@b", "x@example.com, y@example.com"):
        with pytest.raises(Exception, match="email"):
            steady.set_worker_email("E1", bad)
    assert steady.worker_email("E1") == ""


def test_the_address_is_in_no_event_and_not_in_the_sync_feed(live) -> None:
    service = live.service
    factory.item(service, "card-100", points=100)
    factory.employee(service, "E1001")
    factory.grant(service, "E1001", 100)
    service.set_worker_email("E1001", ADDRESS)
    evidence = factory.card(service, "E1001")
    device, _ = device_api(live)
    order = {
        "order_id": str(uuid.uuid4()), "employee_id": "E1001", "item_id": "card-100",
        "quantity": 1, "points": 100, "placed_at": "2026-06-15T10:00:00+08:00",
        "evidence": evidence,
    }  # fmt: skip
    placed = device.post("/orders", json=order)
    assert placed.status_code == 201, placed.text
    service.transition(str(order["order_id"]), "approve")
    service.write_inbox()
    page = device.get("/sync", params={"limit": 5000})
    assert page.status_code == 200 and page.json()["employees"]
    assert ADDRESS not in page.text and "example.net" not in page.text
    with service.db.read() as session:
        payloads = session.scalars(select(DomainEvent.payload)).all()
    assert payloads and all("example.net" not in p for p in payloads)


def test_the_cli_sets_shows_and_clears_the_address(
    steady: LedgerService, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from ledger import cli

    factory.employee(steady, "E1001")
    assert cli.main(["employee", "contact", "E1001", "--email", ADDRESS, "--db", db_url]) == 0
    assert steady.worker_email("E1001") == ADDRESS
    assert ADDRESS in capsys.readouterr().out
    assert cli.main(["employee", "contact", "E1001", "--email", "nope", "--db", db_url]) == 2
    assert "email" in capsys.readouterr().err and steady.worker_email("E1001") == ADDRESS
    assert cli.main(["employee", "contact", "E1001", "--clear", "--db", db_url]) == 0
    assert steady.worker_email("E1001") == "" and "(none)" in capsys.readouterr().out
