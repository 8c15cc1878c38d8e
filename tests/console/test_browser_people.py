"""People in headless Chromium, in Chinese and English: an employee's available, held and
total points as the kiosk counts them (issue 14 item 1), editing a department and resetting a
PIN with the errors next to the fields (item 3), history with rule titles, the audit log's
readable diff and a dashboard without links HR may not follow (item 6)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ledger.console.i18n import translator
from tests.conftest import LiveLedger
from tests.console.chromium import sign_in, snap
from tests.ledger import factory

pytestmark = pytest.mark.slow
LANGUAGES = ["zh", "en"]
RULE_TITLE = {"zh": "季度绩效优秀", "en": "Quarterly performance: excellent"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_employee_figures_match_the_kiosk_and_history_names_the_rule(
    page: Page, console: LiveLedger, shots: Path, language: str
) -> None:
    service = console.service
    service.ingest_events([factory.event("P-1", "E1001", datetime(2026, 6, 10, 1, tzinfo=UTC))])
    # 5,000 granted + 500 earned; 1,000 held by the order waiting for HR.
    record = service.employee("E1001")
    assert (record["available"], record["held"], record["total"]) == (4500, 1000, 5500)
    sign_in(page, language=language)
    page.goto("/admin/employees/E1001")
    expect(page.locator("#available")).to_have_text("4,500")
    expect(page.locator("#held")).to_have_text("1,000")
    expect(page.locator("#total")).to_have_text("5,500")
    earned = page.locator("#history tr[data-kind=earn] .what-for")
    expect(earned).to_have_text(RULE_TITLE[language])
    expect(page.locator("#history")).not_to_contain_text("performance.excellent")
    snap(page, shots, f"29-employee-figures-{language}")
    # The list shows the same available figure.
    page.goto("/admin/employees?q=E1001")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody tr td.num")).to_have_text("4,500")


@pytest.mark.parametrize("language", LANGUAGES)
def test_edit_department_reset_pin_and_read_the_audit_diff(
    page: Page, console: LiveLedger, shots: Path, language: str
) -> None:
    _ = translator(language)
    sign_in(page, language=language)
    page.goto("/admin/employees/E1001")
    page.click("#edit")
    page.fill("#department", "仓储部")
    snap(page, shots, f"30-employee-edit-{language}")
    page.click("#save")
    expect(page.locator(".flash")).to_contain_text(_("Saved."))
    expect(page.locator("h1 small")).to_contain_text("仓储部")
    # The PIN: two different PINs and no tick are named next to their fields, nothing saved.
    page.click("#pin-reset")
    page.check("#mode-set")
    page.fill("#pin", "2468")
    page.fill("#pin_again", "1357")
    page.click("#reset-pin")
    expect(page.locator("#pin_again-error")).to_have_text(_("The two PINs differ."))
    expect(page.locator("#confirm-error")).to_have_text(_("Tick this box to confirm."))
    expect(page.locator("#pin")).to_have_value("")  # a PIN typed is never shown again
    snap(page, shots, f"31-employee-pin-{language}")
    assert console.service.employee("E1001")["has_pin"] is False
    page.fill("#pin", "2468")
    page.fill("#pin_again", "2468")
    page.check("#confirm")
    page.click("#reset-pin")
    expect(page.locator(".flash")).to_contain_text(_("New PIN set."))
    expect(page.locator("#has-pin")).to_have_text(_("This worker has a PIN."))
    # The audit log: the department's change as a diff, the employee by name.
    page.goto("/admin/audit?target=E1001")
    change = page.locator("li.changed[data-field=department]").first
    expect(change.locator(".was")).to_have_text("总装车间")
    expect(change.locator(".now")).to_have_text("仓储部")
    expect(page.locator("#audit td.target").first).to_contain_text("张伟")
    snap(page, shots, f"32-audit-diff-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_links_only_where_the_reader_may_go(page: Page, language: str) -> None:
    sign_in(page, language=language)
    tiles = page.locator(".tiles")
    expect(tiles.locator("#offline")).to_have_text("0")
    expect(tiles.locator("a[href='/admin/kiosks']")).to_have_count(0)
    page.click(".tiles a[href='/admin/orders?status=pending']")
    expect(page).to_have_url(re.compile(r"/admin/orders\?status=pending$"))
    expect(page.locator("#summary")).to_contain_text(
        translator(language)("%s orders, %s points", "2", "1,300")
    )
    page.goto("/admin/kiosks")  # typed by hand: a translated page, not JSON
    expect(page.locator(".error-box")).to_have_text(
        translator(language)("You do not have permission to do this.")
    )
