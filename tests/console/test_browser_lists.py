"""Lists that scale, in headless Chromium in Chinese and English (issue 14 item 4): employees
paged with a total and found by department, orders filtered by employee, department and item,
the audit log by who and what, import batches by kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ledger.console.i18n import translator
from sync.voucher import voucher_code
from tests.conftest import LiveLedger
from tests.console.chromium import sign_in, snap
from tests.ledger import factory

pytestmark = pytest.mark.slow
PACKERS = 55  # more than a page of 50
EVENTS = (
    b"event_id,kind,employee_id,occurred_at\nL-1,training.completed,E1002,2026-06-11T09:00:00\n"
)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_lists_page_count_and_filter(
    page: Page, console: LiveLedger, shots: Path, language: str
) -> None:
    _ = translator(language)
    service = console.service
    for n in range(PACKERS):
        factory.employee(service, f"E5{n:03d}", name=f"包装工{n:02d}", department="包装车间")
    service.import_events_file(EVENTS, "training.csv")
    preview = service.preview_roster("工号,姓名,部门\nE1002,李娜,质检部\n".encode(), "roster.csv")
    service.import_roster(preview.batch_id)
    sign_in(page, language=language)

    # Employees: a department chosen, a total, two pages.
    page.goto("/admin/employees")
    expect(page.locator("#summary")).to_contain_text(_("%s employees", "57"))
    page.select_option("#department", "包装车间")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#summary")).to_have_text(
        f"{_('%s employees', '55')} · {_('Page %s of %s', 1, 2)}"
    )
    expect(page.locator("table.list tbody tr")).to_have_count(50)
    snap(page, shots, f"33-employees-paged-{language}")
    page.click("nav.pager >> text=" + _("Next"))
    expect(page.locator("#summary")).to_contain_text(_("Page %s of %s", 2, 2))
    expect(page.locator("table.list tbody tr")).to_have_count(PACKERS - 50)
    expect(page.locator("#department")).to_have_value("包装车间")  # the filter kept
    # Search by a department's name finds its people too.
    page.goto("/admin/employees")
    page.fill("#q", "质检")
    page.press("#q", "Enter")
    expect(page.locator("#summary")).to_have_text(_("%s employees", "1"))
    expect(page.locator("table.list tbody")).to_contain_text("李娜")

    # Orders: by employee name, by department, by item.
    page.goto("/admin/orders")
    expect(page.locator("#summary")).to_have_text(_("%s orders, %s points", "2", "1,300"))
    page.fill("#employee", "李娜")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#summary")).to_have_text(_("%s orders, %s points", "1", "300"))
    expect(page.locator("table.list tbody tr")).to_contain_text("E1002")
    page.fill("#employee", "")
    page.select_option("#department", "总装车间")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#summary")).to_have_text(_("%s orders, %s points", "1", "1,000"))
    expect(page.locator("table.list tbody tr")).to_contain_text("E1001")
    page.select_option("#department", "")
    page.select_option("#item", "leave-day")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#summary")).to_have_text(_("%s orders, %s points", "1", "300"))
    snap(page, shots, f"34-orders-filtered-{language}")

    # The audit log: one approval by hr-wang, found by who and what.
    page.click("table.list tbody tr a.mono")
    page.click("#approve")
    page.goto("/admin/audit")
    page.fill("#actor", "hr-wang")
    page.fill("#action", "order.approve")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#summary")).to_have_text(_("%s entries", "1"))
    expect(page.locator("#audit tbody tr")).to_have_count(1)
    (order_id,) = [o["order_id"] for o in service.list_orders() if o["item_id"] == "leave-day"]
    expect(page.locator("#audit td.target")).to_have_text(voucher_code(order_id))
    snap(page, shots, f"35-audit-filtered-{language}")

    # Import batches: both kinds, then the roster's alone.
    page.goto("/admin/imports")
    expect(page.locator("#batch-list tbody tr")).to_have_count(2)
    page.select_option("#kind", "roster")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"kind=roster"))
    expect(page.locator("#batch-list tbody tr")).to_have_count(1)
    expect(page.locator("#batch-list")).to_contain_text("roster.csv")
    expect(page.locator("#batch-list")).to_contain_text(_("Roster import"))
