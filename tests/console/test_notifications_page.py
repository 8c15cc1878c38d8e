"""The notifications page: admins add robots (errors next to the fields), send a test, set
the waiting days, see failures and send again, and set a user's choices; each user sets
their own on the account page; zh and en."""

from __future__ import annotations

from ledger.console.web import LANGUAGE_COOKIE
from ledger.jobs.notifications import notify
from ledger.notify.config import NotifyConfig
from ledger.service import LedgerService
from tests.conftest import FakeClock
from tests.console.conftest import Browser
from tests.ledger.notify_receivers import RobotServer


def test_admins_add_a_robot_test_it_and_send_a_failure_again(
    admin: Browser, floor: LedgerService, clock: FakeClock
) -> None:
    floor.notify_jitter = lambda: 0.5
    page = admin.get("/admin/notifications")
    assert page.status_code == 200 and "消息通知" in page.text and "尚未配置电子邮件" in page.text
    refused = admin.post(
        "/admin/notifications/channels", [("kind", "wecom"), ("name", "HR"), ("target", "ftp://x")]
    )
    assert refused.status_code == 422
    assert "请至少选择一个主题" in refused.text and 'id="target-error"' not in refused.text
    refused = admin.post(
        "/admin/notifications/channels",
        [
            ("kind", "webhook"),
            ("target", "https://erp.example.com/n"),
            ("topics", "order.placed"),
            ("secret", "short"),
        ],
    )
    assert refused.status_code == 422 and "16 到 200 个字符" in refused.text
    with RobotServer(answer=(500, {})) as robot:
        made = admin.post(
            "/admin/notifications/channels",
            [
                ("kind", "wecom"),
                ("name", "HR 群"),
                ("target", robot.url("/send?key=SECRETKEY")),
                ("topics", "order.placed"),
                ("topics", "orders.waiting"),
                ("mode", "digest"),
                ("language", "en"),
            ],
        )
        assert made.status_code == 200 and "已保存" in made.text
        assert 'data-channel="1"' in made.text and "SECRETKEY" not in made.text
        assert "企业微信群机器人" in made.text and "每小时汇总" in made.text
        sent = admin.post("/admin/notifications/channels/1/test")
        assert "测试消息将在几秒内发送" in sent.text
        config = NotifyConfig()
        for _ in range(40):  # a day of refusals
            notify(floor, config)
            clock.advance(hours=1, minutes=1)
        assert admin.sign_in("it-admin").status_code == 200
        failed = admin.get("/admin/notifications?status=failed")
        assert 'data-status="failed"' in failed.text and "HTTP 500" in failed.text
        assert "积分系统测试消息" not in failed.text  # the channel's language: English
        assert "Test message from the points ledger" in failed.text
        robot.answer = (200, {"errcode": 0})
        again = admin.post("/admin/notifications/1/resend")
        assert "消息将很快重新发送" in again.text
        notify(floor, config)
    assert robot.got[-1].body["text"]["content"].startswith("Test message from the points ledger")
    assert floor.list_notifications(status="sent")[0] == 1
    days = admin.post("/admin/notifications/waiting-days", {"days": "0"})
    assert days.status_code == 422 and "1 到 365" in days.text
    assert admin.post("/admin/notifications/waiting-days", {"days": "5"}).status_code == 200
    assert floor.notify_waiting_days() == 5
    admin.session.cookies.set(LANGUAGE_COOKIE, "en")
    english = admin.get("/admin/notifications")
    assert "WeCom group robot" in english.text and "E-mail is not configured" in english.text
    off = admin.post("/admin/notifications/channels/1/active", {"active": "0"})
    assert 'data-channel="1"' in off.text and "Enable" in off.text


def test_each_user_sets_their_own_address_and_admins_set_others(
    hr: Browser, admin: Browser, floor: LedgerService
) -> None:
    account = hr.get("/admin/account")
    assert 'id="notify-preferences"' in account.text and "新订单" in account.text
    bad = hr.post(
        "/admin/account/notifications", {"email": "not an address", "new_orders": "instant"}
    )
    assert bad.status_code == 422 and 'id="email-error"' in bad.text
    saved = hr.post(
        "/admin/account/notifications",
        [
            ("email", "wang@example.com"),
            ("notify_language", "en"),
            ("new_orders", "digest"),
            ("alerts", "orders.waiting"),
        ],
    )
    assert saved.status_code == 200 and "已保存" in saved.text
    [me] = [p for p in admin_people(floor) if p["user"] == "hr-wang"]
    assert me["email"] == "wang@example.com" and me["new_orders"] == "digest"
    assert me["language"] == "en" and me["topics"] == ["order.placed", "orders.waiting"]
    assert hr.get("/admin/notifications").status_code == 403  # admins only
    listed = admin.get("/admin/notifications")
    assert "wang@example.com" in listed.text
    user_id = int(str(me["user_id"]))
    page = admin.get(f"/admin/notifications/users/{user_id}")
    assert "hr-wang 的消息通知" in page.text
    changed = admin.post(
        f"/admin/notifications/users/{user_id}",
        [("email", "wang@example.com"), ("notify_language", "zh"), ("new_orders", "off")],
    )
    assert changed.status_code == 200
    assert floor.notify_preferences(user_id)["new_orders"] == "off"
    assert hr.post(f"/admin/notifications/users/{user_id}", {"email": ""}).status_code == 403


def admin_people(service: LedgerService) -> list[dict[str, object]]:
    from ledger.console.pages.notifications import _people

    return _people(service)
