"""Passwords people manage (their own change, an admin's reset) and idle sessions."""

from __future__ import annotations

import re

import requests

from ledger.domain import console_users
from ledger.domain.console_users import SESSION_IDLE, SESSION_LIFETIME
from ledger.storage.models import ConsoleUser, HrAction
from tests.conftest import LiveLedger
from tests.console.conftest import PASSWORD, Browser

NEW = "wang keeps the points honest"


def _field_error(page: str, name: str) -> str:
    found = re.search(rf'<small class="error" id="{name}-error">([^<]*)</small>', page)
    assert found is not None, page
    return found.group(1)


def _user_id(console: LiveLedger, name: str) -> int:
    with console.service.db.read() as session:
        return session.query(ConsoleUser).filter_by(name=name).one().id


def _audit_text(console: LiveLedger) -> str:
    with console.service.db.read() as session:
        rows = session.query(HrAction).all()
        return " ".join(f"{r.user_name} {r.action} {r.target} {r.before} {r.after}" for r in rows)


def test_a_user_changes_their_own_password(hr: Browser, console: LiveLedger) -> None:
    other = Browser(console.url)
    assert other.sign_in("hr-wang").status_code == 200
    assert "修改密码" in hr.get("/admin/account").text
    wrong = hr.post("/admin/account/password", {"current": "nope", "new": NEW, "again": NEW})
    assert wrong.status_code == 422 and _field_error(wrong.text, "current") == "当前密码错误。"
    differ = hr.post("/admin/account/password", {"current": PASSWORD, "new": NEW, "again": "x"})
    assert differ.status_code == 422 and "不一致" in _field_error(differ.text, "again")
    weak = "password1234"
    common = hr.post("/admin/account/password", {"current": PASSWORD, "new": weak, "again": weak})
    assert common.status_code == 422 and "过于常见" in _field_error(common.text, "new")
    same = hr.post(
        "/admin/account/password", {"current": PASSWORD, "new": PASSWORD, "again": PASSWORD}
    )
    assert same.status_code == 422 and "不能与当前密码相同" in _field_error(same.text, "new")
    done = hr.post("/admin/account/password", {"current": PASSWORD, "new": NEW, "again": NEW})
    assert done.ok and "密码已修改" in done.text
    # This browser stays signed in; the other session ends; only the new password works.
    assert hr.get("/admin").url.endswith("/admin")
    assert "/admin/login" in other.get("/admin").url
    assert Browser(console.url).sign_in("hr-wang").status_code == 401
    assert Browser(console.url).sign_in("hr-wang", NEW).status_code == 200
    audit = _audit_text(console)
    assert "hr-wang user.password_change hr-wang" in audit and NEW not in audit


def test_changing_needs_the_session_s_form_token(hr: Browser) -> None:
    forged = hr.post(
        "/admin/account/password", {"current": PASSWORD, "new": NEW, "again": NEW}, csrf=False
    )
    assert forged.status_code == 403


def test_an_admin_resets_a_password_that_must_then_change(
    admin: Browser, hr: Browser, console: LiveLedger
) -> None:
    wang = _user_id(console, "hr-wang")
    admin.get("/admin/users")
    weak = admin.post(f"/admin/users/{wang}/password", {"password": "1234567890"})
    assert "至少需要 12 个字符" in weak.text
    reset = "temporary phrase for wang"
    done = admin.post(f"/admin/users/{wang}/password", {"password": reset})
    assert done.ok and "下次登录时必须修改" in done.text
    # The reset ends wang's sessions...
    assert "/admin/login" in hr.get("/admin").url
    # ...and the new one leads to the account page until wang chooses a password.
    fresh = Browser(console.url)
    signed_in = fresh.sign_in("hr-wang", reset)
    assert signed_in.status_code == 200 and signed_in.url.endswith("/admin/account")
    detour = fresh.get("/admin/orders")
    assert detour.url.split("?")[0].endswith("/admin/account") and "请先设置新密码" in detour.text
    changed = fresh.post("/admin/account/password", {"current": reset, "new": NEW, "again": NEW})
    assert changed.ok
    assert fresh.get("/admin/orders").url.endswith("/admin/orders")
    audit = _audit_text(console)
    assert "it-admin user.password_reset hr-wang" in audit
    assert reset not in audit and NEW not in audit


def test_a_reset_lifts_a_lock(admin: Browser, console: LiveLedger) -> None:
    for _ in range(console_users.MAX_FAILURES):
        Browser(console.url).sign_in("hr-wang", "a wrong guess")
    admin.get("/admin/users")
    assert admin.post(f"/admin/users/{_user_id(console, 'hr-wang')}/password", {"password": NEW}).ok
    assert Browser(console.url).sign_in("hr-wang", NEW).status_code == 200


def test_hr_cannot_reset_passwords(hr: Browser, console: LiveLedger) -> None:
    admin_id = _user_id(console, "it-admin")
    assert hr.post(f"/admin/users/{admin_id}/password", {"password": NEW}).status_code == 403
    assert Browser(console.url).sign_in("it-admin").status_code == 200


def test_a_session_ends_after_thirty_idle_minutes(hr: Browser, console, clock) -> None:
    cookie = hr.session.cookies.get("pk_console")
    assert cookie is not None
    # Activity keeps it going, well past thirty minutes after sign-in...
    for _ in range(4):
        clock.advance(minutes=25)
        assert hr.get("/admin").url.endswith("/admin")
    # ...thirty minutes without any ends it, on the server.
    clock.advance(seconds=SESSION_IDLE.total_seconds() + 1)
    assert "/admin/login" in hr.get("/admin").url
    stale = requests.get(
        console.url + "/admin", cookies={"pk_console": cookie}, timeout=10, allow_redirects=False
    )
    assert stale.status_code == 303


def test_the_ten_hour_lifetime_still_holds(hr: Browser, clock) -> None:
    signed_in_at = clock.now
    while "/admin/login" not in hr.get("/admin").url:
        assert clock.now - signed_in_at < SESSION_LIFETIME, "the session outlived its lifetime"
        clock.advance(minutes=29)
    assert clock.now - signed_in_at >= SESSION_LIFETIME
