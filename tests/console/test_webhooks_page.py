"""The webhooks page: admins add an endpoint (its secret shown once), see deliveries and
failures, send a failed one again, and disable it; errors next to the fields, zh and en."""

from __future__ import annotations

import re

from ledger.console.web import LANGUAGE_COOKIE
from ledger.jobs.webhooks import deliver
from ledger.service import LedgerService
from tests.conftest import FakeClock
from tests.console.conftest import Browser
from tests.ledger import factory
from tests.ledger.webhook_receiver import Receiver

SECRET_SHOWN = re.compile(r'<p class="flash" id="secret">[^<]*?(whsec_[A-Za-z0-9_-]+)')


def test_add_see_failures_send_again_and_disable(
    admin: Browser, floor: LedgerService, clock: FakeClock
) -> None:
    floor.webhook_jitter = lambda: 0.5
    assert "Webhook 推送" in admin.get("/admin/webhooks").text
    receiver = Receiver("")
    receiver.start()
    made = admin.post(
        "/admin/webhooks",
        [("url", receiver.url), ("events", "points.adjusted"), ("description", "薪资系统")],
    )
    assert made.status_code == 200, made.text
    found = SECRET_SHOWN.search(made.text)
    assert found is not None
    receiver.secret = found.group(1)
    assert found.group(1) not in made.url  # shown after a redirect, never in an address
    assert found.group(1) not in admin.get(made.url.removeprefix(admin.base)).text  # once
    assert len(floor.list_webhooks()) == 1
    receiver.status = 503
    factory.grant(floor, "E1001", 10)
    deliver(floor)
    page = admin.get("/admin/webhooks?status=pending")
    assert 'data-status="pending"' in page.text and "HTTP 503" in page.text
    for _ in range(40):  # a day of retries
        clock.advance(hours=1, minutes=1)
        deliver(floor)
    assert admin.sign_in("it-admin").status_code == 200  # a day on: a new session
    failed = admin.get("/admin/webhooks?status=failed")
    [delivery_id] = re.findall(r'data-delivery="(\d+)" data-status="failed"', failed.text)
    receiver.status = 204
    again = admin.post(f"/admin/webhooks/deliveries/{delivery_id}/resend")
    assert "将很快重新发送" in again.text
    deliver(floor)
    assert len(receiver.got) == 1 and receiver.got[0].body["data"]["points"] == 10
    twice = admin.post(f"/admin/webhooks/deliveries/{delivery_id}/resend")
    assert "只有发送失败的记录可以重新发送" in twice.text
    [endpoint_id] = re.findall(r'data-endpoint="(\d+)"', admin.get("/admin/webhooks").text)
    admin.post(f"/admin/webhooks/{endpoint_id}/active", {"active": "0"})
    assert "已停用" in admin.get("/admin/webhooks").text
    receiver.stop()


def test_field_errors_in_both_languages(admin: Browser) -> None:
    bad = admin.post("/admin/webhooks", [("url", "ftp://files.example/x")])
    assert bad.status_code == 422
    assert "请至少选择一种事件" in bad.text and 'value="ftp://files.example/x"' in bad.text
    admin.session.cookies.set(LANGUAGE_COOKIE, "en")
    admin.get("/admin/webhooks")
    bad = admin.post("/admin/webhooks", [("url", "ftp://x/y"), ("events", "order.placed")])
    assert bad.status_code == 422
    assert "Enter an address that starts with http:// or https://." in bad.text
    assert re.search(r'value="order.placed" checked', bad.text)


def test_hr_may_not_manage_webhooks(hr: Browser) -> None:
    assert hr.get("/admin/webhooks").status_code == 403
    refused = hr.post("/admin/webhooks", [("url", "https://x/y"), ("events", "order.placed")])
    assert refused.status_code == 403
