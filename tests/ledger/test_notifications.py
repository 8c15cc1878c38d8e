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
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

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
    fields = {
        "host": "127.0.0.1",
        "port": port,
        "starttls": False,
        "sender": "points@example.com",
        "timeout": 5.0,
    } | smtp
    return NotifyConfig(SmtpConfig(**fields), PUBLIC)  # type: ignore[arg-type]


def _user(
    service: LedgerService,
    name: str,
    email: str,
    language: str = "zh",
    new_orders: str = "instant",
    alerts: tuple[str, ...] = (),
) -> int:
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
    for line in (
        f"订单：{code}",
        "员工：E1 张伟（总装车间）",
        "积分：100",
        f"查看：{PUBLIC}/admin/orders/{order_id}",
    ):
        assert line in zh.text
    for line in (
        f"Order: {code}",
        "Worker: E1 张伟 (总装车间)",
        "Points: 100",
        "Item: Supermarket card 100 CNY × 1",
        f"Open: {PUBLIC}/admin/orders/{order_id}",
    ):
        assert line in en.text
    assert zh.sender == "points@example.com" and not zh.tls
    assert steady.list_notifications(status="sent")[0] == 2
    assert notify(steady, _config(server))["sent"] == 0  # nothing twice


def test_starttls_with_a_login_and_a_certificate_checked(steady: LedgerService, tmp_path: Path):
    _user(steady, "wang", "wang@example.com", "zh")
    cert, key = self_signed(tmp_path)
    with MailServer(tls=(cert, key), login=("ledger", "mail-secret")) as server:
        _orders(steady, 1)
        # The server's certificate is not trusted: nothing goes in the clear instead.
        untrusted = notify(
            steady, _config(server, starttls=True, user="ledger", password="mail-secret")
        )
        assert untrusted["sent"] == 0 and untrusted["failed_attempts"] == 1 and not server.got
        [waiting] = steady.list_notifications(status="pending")[1]
        assert "CERTIFICATE_VERIFY_FAILED" in waiting["last_error"]
        steady.clock.advance(minutes=1)  # type: ignore[attr-defined]
        trusted = _config(
            server, starttls=True, user="ledger", password="mail-secret", ca_file=str(cert)
        )
        assert notify(steady, trusted)["sent"] == 1
    [mail] = server.got
    assert mail.tls and mail.to == ["wang@example.com"] and mail.subject.startswith("新订单 ")


def test_new_orders_bundled_into_one_mail_an_hour(steady: LedgerService, clock: FakeClock):
    _user(steady, "lisa", "lisa@example.com", "en", new_orders="digest")
    _user(steady, "wang", "wang@example.com", "zh", new_orders="digest")
    with MailServer() as server:
        orders = _orders(steady, 3)
        config = _config(server)
        assert notify(steady, config)["sent"] == 0  # queued for the digest
        assert digests(steady) == {"digests": 2}
        assert notify(steady, config)["sent"] == 2
        clock.advance(hours=1)
        assert digests(steady) == {"digests": 0}  # nothing new: no empty digest
        more = steady.place_order(factory.order_request("E1", "card-100", 100), None)
        assert more.refusal is not None  # no points left: refused, so no new order
    by_address = {mail.to[0]: mail for mail in server.got}
    assert len(server.got) == 2
    en, zh = by_address["lisa@example.com"], by_address["wang@example.com"]
    assert en.subject == "3 new orders in the last hour"
    assert zh.subject == "过去一小时有 3 个新订单"
    for order_id in orders:
        assert voucher_code(order_id) in en.text and voucher_code(order_id) in zh.text
    assert steady.list_notifications(status="bundled")[0] == 6


DINGTALK_SECRET = "SEC0123456789abcdef"
FEISHU_SECRET = "feishu-secret-123"
HOOK_SECRET = "whsec_notify_0123456789"


def test_group_robots_get_their_documented_json_and_signatures(steady: LedgerService):
    with RobotServer() as robot:
        steady.add_notify_channel(
            "wecom",
            "HR 群",
            robot.url("/cgi-bin/webhook/send?key=K1"),
            ["order.placed"],
            language="zh",
        )
        steady.add_notify_channel(
            "dingtalk",
            "钉钉",
            robot.url("/robot/send?access_token=T1"),
            ["order.placed"],
            language="en",
            secret=DINGTALK_SECRET,
        )
        steady.add_notify_channel(
            "feishu",
            "飞书",
            robot.url("/open-apis/bot/v2/hook/H1"),
            ["order.placed"],
            language="zh",
            secret=FEISHU_SECRET,
        )
        steady.add_notify_channel(
            "webhook",
            "ERP",
            robot.url("/hooks/notify"),
            ["order.placed"],
            language="en",
            secret=HOOK_SECRET,
        )
        [order_id] = _orders(steady, 1)
        started = int(time.time())
        assert notify(steady, _config())["sent"] == 4
    code = voucher_code(order_id)

    [wecom] = robot.calls("/cgi-bin/webhook/send")
    assert wecom.query == {"key": "K1"}
    assert wecom.body == {"msgtype": "text", "text": {"content": wecom.body["text"]["content"]}}
    assert wecom.body["text"]["content"].startswith(f"新订单 {code}：超市购物卡 100 元\n订单：")

    [ding] = robot.calls("/robot/send")
    assert set(ding.query) == {"access_token", "timestamp", "sign"}
    stamp = ding.query["timestamp"]
    assert abs(int(stamp) / 1000 - started) < 60
    digest = hmac.new(
        DINGTALK_SECRET.encode(), f"{stamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256
    ).digest()
    # parse_qs decoded the URL-encoding the robot's documented sign carries.
    assert ding.query["sign"] == base64.b64encode(digest).decode()
    assert f"&sign={quote_plus(ding.query['sign'])}" in ding.raw_query  # sent URL-encoded
    assert ding.body == {"msgtype": "text", "text": {"content": ding.body["text"]["content"]}}
    assert ding.body["text"]["content"].startswith(f"New order {code}: Supermarket card")

    [feishu] = robot.calls("/open-apis/bot/v2/hook/H1")
    assert set(feishu.body) == {"timestamp", "sign", "msg_type", "content"}
    assert feishu.body["msg_type"] == "text" and set(feishu.body["content"]) == {"text"}
    key = f"{feishu.body['timestamp']}\n{FEISHU_SECRET}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert feishu.body["sign"] == expected and isinstance(feishu.body["timestamp"], str)
    assert feishu.body["content"]["text"].startswith(f"新订单 {code}")

    [hook] = robot.calls("/hooks/notify")
    signature = hook.headers["X-Points-Signature"]
    assert webhooks.verify(HOOK_SECRET, signature, hook.raw, int(time.time()))
    assert not webhooks.verify("another-secret-000000", signature, hook.raw, int(time.time()))
    assert hook.body["type"] == "notification" and set(hook.body) == {
        "id",
        "type",
        "created_at",
        "data",
    }
    data = hook.body["data"]
    assert data["topic"] == "order.placed" and data["cause"] and data["language"] == "en"
    assert data["subject"].startswith(f"New order {code}")
    assert hook.headers["X-Points-Event-Id"] == data["id"]
    listed = steady.list_notify_channels()
    assert all("?" not in c["target"] for c in listed)  # the robots' tokens are not shown
    assert [c["signed"] for c in listed] == [False, True, True, True]


def test_a_robot_that_refuses_is_retried_with_backoff_then_kept_as_failed(
    steady: LedgerService, clock: FakeClock
):
    with RobotServer(answer=(200, {"errcode": 310000, "errmsg": "sign not match"})) as robot:
        steady.add_notify_channel(
            "dingtalk",
            "钉钉",
            robot.url("/robot/send?access_token=T"),
            ["order.placed"],
            secret=DINGTALK_SECRET,
        )
        _orders(steady, 1)
        assert notify(steady, _config()) | {"new": 1} == {
            "new": 1,
            "sent": 0,
            "failed_attempts": 1,
            "interrupted": 0,
        }
        [row] = steady.list_notifications()[1]
        assert row["status"] == "pending" and "310000 sign not match" in row["last_error"]
        assert notify(steady, _config())["failed_attempts"] == 0  # waits its backoff
        for _ in range(40):
            clock.advance(hours=1, minutes=1)
            notify(steady, _config())
        [row] = steady.list_notifications()[1]
        assert row["status"] == "failed" and 5 < row["attempts"] < 40
        attempts = len(robot.got)
        robot.answer = (200, {"errcode": 0, "errmsg": "ok"})
        steady.resend_notification(row["id"])
        assert notify(steady, _config())["sent"] == 1
        assert len(robot.got) == attempts + 1
    assert steady.list_notifications(status="failed")[0] == 0


def test_the_daily_list_of_orders_waiting_longer_than_n_days(
    steady: LedgerService, clock: FakeClock
):
    _user(steady, "lisa", "lisa@example.com", "en", new_orders="off", alerts=("orders.waiting",))
    _user(steady, "wang", "wang@example.com", "zh", new_orders="off", alerts=("orders.waiting",))
    old = _orders(steady, 2)
    steady.transition(old[1], "approve")
    with MailServer() as server:
        config = _config(server)
        clock.advance(days=2)
        assert waiting_orders(steady, config) == {"lists": 0}  # none older than 3 days yet
        steady.set_notify_waiting_days(1)
        assert steady.notify_waiting_days() == 1
        assert waiting_orders(steady, config) == {"lists": 2}
        assert waiting_orders(steady, config) == {"lists": 0}  # once a day
        clock.advance(hours=1)
        assert waiting_orders(steady, config) == {"lists": 0}
        notify(steady, config)
        clock.now = clock.now.replace(hour=0) + timedelta(days=1)  # 08:00 in Shanghai
        assert waiting_orders(steady, config) == {"lists": 0}  # before 09:00 site time
        clock.advance(hours=1, minutes=5)
        assert waiting_orders(steady, config) == {"lists": 2}  # the next day's list
        notify(steady, config)
    assert len(server.got) == 4
    first = {mail.to[0]: mail for mail in server.got[:2]}
    en, zh = first["lisa@example.com"], first["wang@example.com"]
    assert en.subject == "2 orders waiting longer than 1 days"
    assert zh.subject == "2 个订单已等待超过 1 天"
    for order_id in old:
        assert voucher_code(order_id) in en.text and f"{PUBLIC}/admin/orders/{order_id}" in en.text
    assert "Waiting for approval" in en.text and "Approved, to hand over" in en.text
    assert "待审批" in zh.text and "已批准，待发放" in zh.text and "E1 张伟" in zh.text


def test_alerts_for_failed_deliveries_low_code_pools_and_failed_fulfilment(
    steady: LedgerService,
):
    _user(
        steady,
        "lisa",
        "lisa@example.com",
        "en",
        new_orders="off",
        alerts=("webhook.failed", "code_pool.low", "fulfilment.failed"),
    )
    _user(steady, "wang", "wang@example.com", "zh", new_orders="off", alerts=("code_pool.low",))
    [order_id] = _orders(steady, 1)
    system = Actor.system("test")

    def alerts(session: Session) -> None:
        now = steady.clock()
        announce(
            session,
            now,
            system,
            EventType.WEBHOOK_FAILED,
            "webhook:1",
            {
                "endpoint_id": 1,
                "url": "https://erp.example.com/hook",
                "delivery_id": 7,
                "event_id": "e-1",
                "type": "order.approved",
                "attempts": 18,
                "error": "HTTP 503",
            },
        )
        announce(
            session,
            now,
            system,
            EventType.CODE_POOL_LOW,
            "item:card-100",
            {"item_id": "card-100", "remaining": 4, "threshold": 10},
        )
        announce(
            session,
            now,
            system,
            EventType.FULFILMENT_FAILED,
            order_id,
            {"order_id": order_id, "error": "leave system answered 500"},
        )

    steady.db.run_write(alerts)
    with MailServer() as server:
        assert notify(steady, _config(server))["sent"] == 4
    lisa = {m.subject: m for m in server.got if m.to == ["lisa@example.com"]}
    assert set(lisa) == {
        "A webhook delivery failed: https://erp.example.com/hook",
        "Codes running low: Supermarket card 100 CNY",
        f"Fulfilment failed for order {voucher_code(order_id)}",
    }
    assert (
        "Last error: HTTP 503"
        in lisa["A webhook delivery failed: https://erp.example.com/hook"].text
    )
    assert "Unused codes left: 4" in lisa["Codes running low: Supermarket card 100 CNY"].text
    failed = lisa[f"Fulfilment failed for order {voucher_code(order_id)}"].text
    assert "Error: leave system answered 500" in failed and "Worker: E1 张伟" in failed
    [zh] = [m for m in server.got if m.to == ["wang@example.com"]]
    assert zh.subject == "兑换码库存不足：超市购物卡 100 元" and "剩余未使用兑换码：4" in zh.text


def test_no_message_twice_after_a_crash_mid_send_or_a_restart(
    db_url: str, steady: LedgerService, clock: FakeClock
):
    _user(steady, "wang", "wang@example.com", "zh")
    with MailServer() as server:
        config = _config(server)
        _orders(steady, 2)
        steady.fan_out_notifications(config)
        claimed = steady.claim_notification()  # the runner dies after this, before sending
        assert claimed is not None
        # A new process on the same database: the other message goes, the claimed one not.
        again = LedgerService(Database(db_url), clock=clock)
        assert notify(again, config) == {
            "new": 0,
            "sent": 1,
            "failed_attempts": 0,
            "interrupted": 0,
        }
        clock.advance(seconds=SENDING_TIMEOUT.total_seconds() + 1)
        assert notify(again, config)["interrupted"] == 1
        [failed] = again.list_notifications(status="failed")[1]
        assert failed["id"] == claimed.id and "not sent again" in failed["last_error"]
        assert len(server.got) == 1
        again.resend_notification(claimed.id)  # HR checked: it did not arrive
        assert notify(again, config)["sent"] == 1
        assert notify(LedgerService(Database(db_url), clock=clock), config)["sent"] == 0
    assert sorted(m.subject for m in server.got) == sorted(
        n["subject"] for n in again.list_notifications(status="sent")[1]
    )
    assert len(server.got) == 2


def test_two_runners_send_each_message_once(db_url: str, steady: LedgerService):
    _user(steady, "wang", "wang@example.com", "zh")
    _user(steady, "lisa", "lisa@example.com", "en")
    with MailServer() as server:
        config = _config(server)
        _orders(steady, 5)
        spec = JobSpec(
            "notify", timedelta(seconds=5), lambda s: notify(s, config), lease=timedelta(minutes=10)
        )
        runners = [
            JobRunner(LedgerService(Database(db_url), clock=steady.clock), [spec]) for _ in range(2)
        ]
        for runner in runners:
            runner.ensure_rows()
        barrier = threading.Barrier(2)

        def run(runner: JobRunner) -> None:
            barrier.wait()
            for _ in range(3):
                runner.run_due()
                steady.clock.advance(seconds=6)  # type: ignore[attr-defined]

        threads = [threading.Thread(target=run, args=(r,)) for r in runners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    subjects = [(m.to[0], m.subject) for m in server.got]
    assert len(subjects) == 10 and len(set(subjects)) == 10


def test_the_cli_adds_lists_and_tests_channels_and_lists_failures(
    db_url: str, service: LedgerService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    from ledger.cli import main
    from ledger.storage.notifications import Notification

    tail = ["--db", db_url, "--key-file", str(tmp_path / "key.pem")]
    secret_file = tmp_path / "ding.txt"
    secret_file.write_text(DINGTALK_SECRET + "\n")
    with RobotServer() as robot:
        assert (
            main(
                [
                    "notify",
                    "channel",
                    "add",
                    "dingtalk",
                    robot.url("/robot/send?access_token=T"),
                    "--name",
                    "HR 钉钉群",
                    "--topics",
                    "order.placed,orders.waiting",
                    "--mode",
                    "digest",
                    "--language",
                    "en",
                    "--secret-file",
                    str(secret_file),
                    *tail,
                ]
            )
            == 0
        )
        added = capsys.readouterr().out
        assert DINGTALK_SECRET not in added and "access_token" not in added
        assert main(["notify", "channel", "list", *tail]) == 0
        assert '"mode": "digest"' in capsys.readouterr().out
        [channel] = service.list_notify_channels()
        assert main(["notify", "channel", "test", str(channel["id"]), *tail]) == 0
        assert '"status": "sent"' in capsys.readouterr().out
    [call] = robot.got
    assert call.body["text"]["content"].startswith("Test message from the points ledger\n")
    assert set(call.query) == {"access_token", "timestamp", "sign"}
    # The robot is gone now: the test says so and exits 1.
    assert main(["notify", "channel", "test", str(channel["id"]), *tail]) == 1
    assert "ConnectionError" in capsys.readouterr().out
    service.db.run_write(
        lambda s: (
            s.query(Notification)
            .filter(Notification.status == "pending")
            .update({"status": "failed"})
        )
    )
    assert main(["notify", "list", "--failed", *tail]) == 0
    listed = capsys.readouterr().out
    assert '"total": 1' in listed and '"status": "failed"' in listed
    assert main(["notify", "channel", "add", "wecom", "ftp://x", "--topics", "nope", *tail]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["notify", "waiting-days", "5", *tail]) == 0 and service.notify_waiting_days() == 5
