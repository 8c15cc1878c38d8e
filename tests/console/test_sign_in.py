"""Signing in: Argon2 passwords, lockout, sessions, CSRF, roles; API tokens get nothing."""

from __future__ import annotations

import re

import requests

from ledger.domain.access import Role
from ledger.domain.console_users import MAX_FAILURES
from ledger.storage.models import ConsoleUser
from tests.conftest import LiveLedger
from tests.console.conftest import PASSWORD, Browser


def test_every_page_needs_a_session(console: LiveLedger) -> None:
    for path in (
        "/admin",
        "/admin/orders",
        "/admin/employees/E1001",
        "/admin/reports/ranking",
        "/admin/audit",
        "/admin/users",
        "/admin/orders/export.csv",
    ):
        response = requests.get(console.url + path, timeout=10, allow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/admin/login?next=")


def test_api_tokens_get_nothing_in_the_console(console: LiveLedger) -> None:
    for role in (Role.DEVICE, Role.HR, Role.ADMIN):
        token = console.service.create_token(role, name="t")
        response = requests.get(
            console.url + "/admin/orders",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
            allow_redirects=False,
        )
        assert response.status_code == 303 and "login" in response.headers["location"]


def test_the_password_is_stored_as_argon2(console: LiveLedger) -> None:
    with console.service.db.read() as session:
        stored = session.query(ConsoleUser).filter_by(name="hr-wang").one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_and_out(console: LiveLedger) -> None:
    browser = Browser(console.url)
    wrong = browser.sign_in("hr-wang", "not the password")
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
    unknown = browser.sign_in("nobody")
    assert unknown.status_code == 401 and "用户名或密码错误" in unknown.text
    assert browser.sign_in("hr-wang").status_code == 200
    cookie = browser.session.cookies.get("pk_console")
    assert cookie and "hr-wang" in browser.get("/admin").text
    assert browser.post("/admin/logout").url.endswith("/admin/login")
    # The old cookie is dead on the server, not only forgotten by this browser.
    stolen = requests.get(
        console.url + "/admin", cookies={"pk_console": cookie}, timeout=10, allow_redirects=False
    )
    assert stolen.status_code == 303


def test_the_session_cookie_is_http_only_and_strict(console: LiveLedger) -> None:
    browser = Browser(console.url)
    page = browser.session.get(console.url + "/admin/login", timeout=10)
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    response = browser.session.post(
        console.url + "/admin/login",
        data={"name": "hr-wang", "password": PASSWORD, "csrf": token},
        timeout=10,
        allow_redirects=False,
    )
    header = response.headers["set-cookie"].lower()
    assert "pk_console=" in header and "httponly" in header and "samesite=strict" in header
    # Over HTTPS (as the reverse proxy reports it), the cookie is Secure as well.
    browser2 = Browser(console.url)
    page = browser2.session.get(console.url + "/admin/login", timeout=10)
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    secure = browser2.session.post(
        console.url + "/admin/login",
        data={"name": "hr-wang", "password": PASSWORD, "csrf": token},
        headers={"X-Forwarded-Proto": "https"},
        timeout=10,
        allow_redirects=False,
    )
    assert "secure" in secure.headers["set-cookie"].lower()


def test_sign_in_without_its_csrf_token_is_refused(console: LiveLedger) -> None:
    response = requests.post(
        console.url + "/admin/login",
        data={"name": "hr-wang", "password": PASSWORD},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 403 and "pk_console=" not in response.headers.get(
        "set-cookie", ""
    )


def test_lockout_after_repeated_failures(console: LiveLedger, clock) -> None:
    browser = Browser(console.url)
    for _ in range(MAX_FAILURES - 1):
        assert browser.sign_in("hr-wang", "guess").status_code == 401
    wrong = browser.sign_in("hr-wang", "guess")
    assert wrong.status_code == 401 and "锁定" in wrong.text
    with console.service.db.read() as session:
        locked_until = session.query(ConsoleUser).filter_by(name="hr-wang").one().locked_until
    assert locked_until is not None and locked_until > clock()
    # Even the right password is refused while locked, with the same words as a wrong one...
    locked = browser.sign_in("hr-wang")
    assert locked.status_code == 401 and _error(locked.text) == _error(wrong.text)
    clock.advance(minutes=16)
    # ...and accepted once the lock has run out.
    assert browser.sign_in("hr-wang").status_code == 200
    log = browser.get("/admin/audit").text
    assert "user.locked" in log and "user.sign_in" in log


def _error(page: str) -> str:
    found = re.search(r'<p class="error-box" role="alert">([^<]*)</p>', page)
    assert found is not None, page
    return found.group(1)


def test_a_form_without_the_csrf_token_changes_nothing(hr: Browser, floor) -> None:
    before = floor.employee("E1001")["balance"]
    refused = hr.post("/admin/employees/E1001/adjust", {"points": "100", "reason": "x"}, csrf=False)
    assert refused.status_code == 403 and "表单已失效" in refused.text
    forged = hr.post(
        "/admin/employees/E1001/adjust",
        {"points": "100", "reason": "x", "csrf": "forged"},
        csrf=False,
    )
    assert forged.status_code == 403
    assert floor.employee("E1001")["balance"] == before


def test_only_admins_manage_users_and_kiosks(hr: Browser, admin: Browser) -> None:
    for path in ("/admin/users", "/admin/kiosks"):
        assert hr.get(path).status_code == 403
        assert admin.get(path).status_code == 200
    refused = hr.post("/admin/users", {"name": "mallory", "role": "admin", "password": "x" * 12})
    assert refused.status_code == 403
    assert "mallory" not in admin.get("/admin/users").text
    assert "用户" in hr.get("/admin").text and "/admin/users" not in hr.get("/admin").text
    # The dashboard shows HR the kiosk figures, with no link to the page that would refuse them.
    dashboard = hr.get("/admin").text
    assert 'id="offline"' in dashboard and 'href="/admin/kiosks"' not in dashboard
    assert 'href="/admin/kiosks"' in admin.get("/admin").text


def test_admin_creates_and_disables_a_user(admin: Browser, console: LiveLedger) -> None:
    short = admin.post("/admin/users", {"name": "hr-li", "role": "hr", "password": "short"})
    assert short.status_code == 422 and "至少需要 12 个字符" in short.text
    # Ten digits were accepted once; common passwords are refused even when long enough.
    for weak in ("1234567890", "12345678901", "123456789012", "password1234", "qwertyuiop12"):
        refused = admin.post("/admin/users", {"name": "hr-li", "role": "hr", "password": weak})
        assert refused.status_code == 422 and "密码" in _error_field(refused.text), weak
    created = admin.post("/admin/users", {"name": "hr-li", "role": "hr", "password": PASSWORD})
    assert created.ok and "hr-li" in created.text
    li = Browser(console.url)
    assert li.sign_in("hr-li").status_code == 200
    with console.service.db.read() as session:
        user_id = session.query(ConsoleUser).filter_by(name="hr-li").one().id
    admin.get("/admin/users")
    assert admin.post(f"/admin/users/{user_id}/disable").ok
    # Disabling ends the user's sessions at once and refuses new ones.
    assert li.get("/admin").url.split("?")[0].endswith("/admin/login")
    again = Browser(console.url).sign_in("hr-li")
    assert again.status_code == 401 and "停用" in again.text


def _error_field(page: str) -> str:
    found = re.search(r'<small class="error" id="password-error">([^<]*)</small>', page)
    assert found is not None
    return found.group(1)


def test_language_switch(hr: Browser) -> None:
    assert "订单" in hr.get("/admin/orders").text
    english = hr.get("/admin/language/en?next=/admin/orders")
    assert english.url.endswith("/admin/orders") and "Orders waiting" not in english.text
    assert ">Orders<" in english.text and "订单" not in english.text
    assert "订单" in hr.get("/admin/language/zh?next=/admin/orders").text
    # Only console paths: never a redirect to another site.
    assert hr.get("/admin/language/en?next=https://evil.example/").url.endswith("/admin")


def test_pages_carry_security_headers(hr: Browser) -> None:
    page = hr.get("/admin/orders")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_admin_creates_and_revokes_api_tokens(admin: Browser, hr: Browser, console) -> None:
    assert hr.get("/admin/tokens").status_code == 403
    admin.get("/admin/tokens")
    empty = admin.post("/admin/tokens", {"name": " ", "role": "hr"})
    assert empty.status_code == 422
    created = admin.post("/admin/tokens", {"name": "payroll sync", "role": "hr"})
    shown = re.search(r"(pk_hr_[A-Za-z0-9_-]+)", created.text)
    assert shown is not None, created.text
    token = shown.group(1)
    api = requests.get(
        console.url + "/api/v1/rules", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert api.status_code == 200
    # Shown once: the list shows the name, never the token again.
    listing = admin.get("/admin/tokens").text
    assert "payroll sync" in listing and token not in listing
    revoke = re.search(r"/admin/tokens/(\d+)/revoke", listing)
    assert revoke is not None, listing
    token_id = revoke.group(1)
    assert admin.post(f"/admin/tokens/{token_id}/revoke").ok
    refused = requests.get(
        console.url + "/api/v1/rules", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert refused.status_code == 401
    assert "token.revoke" in admin.get("/admin/audit").text


def test_the_demo_users_sign_in(console: LiveLedger) -> None:
    from ledger.demo.run import DEMO_CONSOLE_USERS, demo_console_users

    demo_console_users(console.service)
    demo_console_users(console.service)  # a second `make demo` keeps them
    for name, _role, password in DEMO_CONSOLE_USERS:
        assert Browser(console.url).sign_in(name, password).status_code == 200
