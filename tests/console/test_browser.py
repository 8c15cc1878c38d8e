"""The console in real headless Chromium at 1366×768: sign in, import events, approve and
reject orders, read a report, export CSV, switch language. Each page is photographed (into
$CONSOLE_SCREENSHOTS when set, as `make console-screenshots` does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveLedger
from tests.console.chromium import sign_in, snap
from tests.console.conftest import pending_orders
from tests.ledger import factory

EVENTS = """event_id,kind,employee_id,occurred_at
B-1,performance.excellent,E1001,2026-06-10T09:00:00+08:00
B-2,training.completed,E1002,2026-06-11T09:00:00+08:00
B-3,training.completed,E9999,2026-06-11T09:00:00+08:00
"""

pytestmark = pytest.mark.slow


def test_hr_day_in_the_console(
    page: Page, console: LiveLedger, shots: Path, tmp_path: Path
) -> None:
    service = console.service
    page.goto("/admin/login")
    snap(page, shots, "01-sign-in")
    page.fill("input[name=name]", "hr-wang")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    expect(page.locator(".error-box")).to_contain_text("用户名或密码错误")
    sign_in(page)
    expect(page.locator("#waiting")).to_have_text("2")
    snap(page, shots, "02-dashboard")

    # Import events: a preview with one bad row, then import the good ones.
    csv_file = tmp_path / "events.csv"
    csv_file.write_text(EVENTS, encoding="utf-8")
    page.click("text=事件导入")
    page.set_input_files("#file", str(csv_file))
    page.click("#preview")
    expect(page.locator("#summary")).to_contain_text("2 行可导入，0 行已导入过，1 行被拒绝")
    expect(page.locator("tr.bad")).to_contain_text("员工 E9999 不存在")
    snap(page, shots, "03-events-preview")
    before = service.employee("E1001")["balance"]
    page.click("#import")
    expect(page.locator("#summary")).to_contain_text("导入 2 行，已存在 0 行，拒绝 1 行")
    expect(page.locator("#refusals tr.bad")).to_have_count(1)
    assert service.employee("E1001")["balance"] == before + 500

    # Approve one order from its page, reject the other with a reason.
    first, second = pending_orders(service)
    page.click("nav >> text=订单")
    snap(page, shots, "04-orders")
    page.goto(f"/admin/orders/{first}")
    page.click("#approve")
    expect(page.locator(".flash")).to_contain_text("已批准")
    page.goto(f"/admin/orders/{second}")
    snap(page, shots, "05-order")
    page.click("#reject")  # without a reason: refused, with the message
    expect(page.locator(".error-box")).to_contain_text("请填写拒绝原因")
    page.fill("#reason", "库存不足")
    page.click("#reject")
    expect(page.locator(".flash")).to_contain_text("已拒绝")
    statuses = {o["order_id"]: o["status"] for o in service.list_orders()}
    assert (statuses[first], statuses[second]) == ("approved", "rejected")

    # Find an order by its voucher code, as a scanner would type it.
    from sync.voucher import voucher_code

    page.click("nav >> text=订单")
    page.fill("#voucher", voucher_code(first))
    page.press("#voucher", "Enter")
    expect(page).to_have_url(re.compile(re.escape(f"/admin/orders/{first}") + "$"))

    # Reports: the ranking with its chart, the trends, and a CSV export.
    page.click("nav >> text=报表")
    page.fill("input[name=since]", "2026-06-01")
    page.click("text=筛选")
    expect(page.locator("#report")).to_contain_text("张伟")
    expect(page.locator(".chart img")).to_be_visible()
    snap(page, shots, "06-report-ranking")
    page.click("text=兑换趋势")
    expect(page.locator(".chart img")).to_be_visible()
    snap(page, shots, "07-report-trends")
    with page.expect_download() as download:
        page.click("#export")
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert exported.startswith("month,category,orders,points")
    page.click("text=兑换占比")
    expect(page.locator(".chart img").first).to_be_visible()
    snap(page, shots, "22-report-shares")
    page.click("text=即将过期积分")
    snap(page, shots, "08-report-expiring")
    page.click("text=滞留订单")
    snap(page, shots, "09-report-stale")

    # The other pages, photographed; then English.
    pages = [
        ("/admin/employees?q=E", "10-employees"),
        ("/admin/employees/E1001", "11-employee"),
        ("/admin/rules", "12-rules"),
        ("/admin/rules/performance.excellent", "13-rule"),
        ("/admin/catalogue", "14-catalogue"),
        ("/admin/catalogue/card-100", "15-item"),
        ("/admin/audit", "16-audit"),
    ]
    for path, name in pages:
        page.goto(path)
        snap(page, shots, name)
    page.click("#lang-en")
    expect(page.locator("h1")).to_have_text("Audit log")
    expect(page.locator("nav.top, header nav")).to_contain_text("Orders")
    page.goto("/admin")
    snap(page, shots, "17-dashboard-en")
    page.click("#sign-out")
    expect(page).to_have_url(re.compile(r"/admin/login"))


def test_events_import_in_english(
    page: Page, console: LiveLedger, shots: Path, tmp_path: Path
) -> None:
    sign_in(page)
    page.click("#lang-en")
    gbk = tmp_path / "events-gbk.csv"
    gbk.write_bytes(EVENTS.replace("event_id", "事件编号").replace("B-", "G-").encode("gbk"))
    page.goto("/admin/events")
    page.set_input_files("#file", str(gbk))
    page.select_option("#encoding", "gbk")
    page.click("#preview")
    expect(page.locator("#summary")).to_contain_text("2 rows ready, 0 already imported, 1 refused")
    page.click("#import")
    expect(page.locator("#summary")).to_contain_text("2 imported, 0 already there, 1 refused")
    expect(page.locator("#refusals")).to_contain_text("No employee E9999.")
    with page.expect_download() as download:
        page.click("#download")
    refused = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert refused.splitlines()[0] == "事件编号,kind,employee_id,occurred_at,Line,Reason"
    snap(page, shots, "23-import-batch-en")
    # The same file again: the preview says so and the import adds nothing.
    page.goto("/admin/events")
    page.set_input_files("#file", str(gbk))
    page.select_option("#encoding", "gbk")
    page.click("#preview")
    expect(page.locator("#earlier")).to_contain_text("importing it again adds nothing")
    expect(page.locator("#summary")).to_contain_text("0 rows ready, 2 already imported, 1 refused")
    expect(page.locator("#nothing")).to_have_text("Nothing to import.")
    page.click("text=Import batches")
    expect(page.locator("#batch-list")).to_contain_text("events-gbk.csv")
    expect(page.locator("#batch-list tbody tr")).to_have_count(2)
    snap(page, shots, "24-import-batches-en")


def test_admin_pages(page: Page, console: LiveLedger, shots: Path) -> None:
    factory.item(
        console.service, "phone-card", points=500, category="virtual", fulfilment="code_pool"
    )
    sign_in(page, "it-admin")
    page.goto("/admin/users")
    snap(page, shots, "18-users")
    page.goto("/admin/kiosks")
    page.click("text=生成注册码")
    expect(page.locator("#code")).to_contain_text("注册码")
    snap(page, shots, "19-kiosks")
    page.goto("/admin/tokens")
    page.fill("#token-name", "payroll sync")
    page.click("text=新建令牌 >> nth=-1")
    expect(page.locator("#token")).to_contain_text("pk_hr_")
    snap(page, shots, "21-tokens")
    for path, name, heading in [
        ("/admin/jobs", "25-jobs", "定时任务"),
        ("/admin/webhooks", "26-webhooks", "Webhook"),
        ("/admin/notifications", "27-notifications", "通知"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_contain_text(heading)
        snap(page, shots, name)
    # A code pool on an item: codes pasted, counted, never shown on the page.
    page.goto("/admin/catalogue/phone-card")
    page.fill("#codes_text", "CARD-0001\nCARD-0002\nCARD-0003\n")
    page.click("#add_codes")
    expect(page.locator(".flash")).to_contain_text(
        "已添加 3 个兑换码，0 个已在码池中；未使用 3 个。"
    )
    expect(page.locator("#codes")).to_contain_text("未使用 3 个，已发放 0 个。")
    expect(page.locator("body")).not_to_contain_text("CARD-0001")
    snap(page, shots, "28-item-code-pool")


def test_badge_sheet_prints_on_a4(page: Page, console: LiveLedger, shots: Path) -> None:
    console.service.issue_badge("E1001", "qr", None)
    console.service.issue_badge("E1002", "qr", None)
    sign_in(page)
    page.goto("/admin/employees?q=E")
    page.click("text=打印工牌")
    expect(page.locator(".badge")).to_have_count(2)
    snap(page, shots, "20-badge-sheet")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "created", "exists", "new_label"),
    [("zh", "员工 E2001 已创建", "该工号已存在。", "新增"),
     ("en", "Employee E2001 created", "An employee with this number exists.", "New")],
)  # fmt: skip
def test_people_and_roster_preview(
    page: Page,
    shots: Path,
    tmp_path: Path,
    language: str,
    created: str,
    exists: str,
    new_label: str,
) -> None:
    sign_in(page)
    if language == "en":
        page.click("#lang-en")
    page.goto("/admin/employees")
    page.click("#new-employee")
    page.fill("#employee_id", "E1001")
    page.fill("#name", "王芳")
    page.click("#save")
    expect(page.locator("#employee_id-error")).to_have_text(exists)
    page.fill("#employee_id", "E2001")
    page.fill("#department", "仓储部")
    page.select_option("#language", "en")
    snap(page, shots, f"employee-new-{language}")
    page.click("#save")
    expect(page.locator(".flash")).to_contain_text(created)
    page.click("#deactivate")
    snap(page, shots, f"employee-deactivate-{language}")
    page.click("#confirm-deactivate")
    expect(page.locator("#inactive")).to_be_visible()
    roster = tmp_path / "花名册.csv"
    roster.write_bytes(
        "工号,姓名,部门,语言,在职\nE1001,张伟,质检部,,是\nE3001,新人,仓储部,中文,在职\n".encode(
            "gbk"
        )
    )
    page.goto("/admin/roster")
    page.set_input_files("#file", str(roster))
    page.click("#preview")
    expect(page.locator("#count-new")).to_have_text("1")
    expect(page.locator("#count-changed")).to_have_text("1")
    expect(page.locator("#counts")).to_contain_text(new_label)
    snap(page, shots, f"roster-preview-{language}")
    page.click("#import")
    expect(page.locator("#count-accepted")).to_have_text("2")
