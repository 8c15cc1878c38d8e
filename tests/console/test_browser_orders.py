"""Order work and reports in headless Chromium, in Chinese and English (issue 14 items 7 and
8): bulk approve, fulfil and reject with one reason, an admin's reversal of a fulfilled order,
redemption shares with their chart, equal points ranked equal, CSV times on the site's clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ledger.console.i18n import translator
from sync.voucher import voucher_code
from tests.conftest import LiveLedger
from tests.console.chromium import sign_in, snap
from tests.ledger import factory

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("language", ["zh", "en"])
def test_bulk_work_reversal_and_reports(
    page: Page, console: LiveLedger, shots: Path, language: str
) -> None:
    _ = translator(language)
    service = console.service
    service.ingest_events(
        [
            factory.event(f"T-{e}", e, datetime(2026, 6, 10, 1, tzinfo=UTC))
            for e in ("E1001", "E1002")
        ]
    )
    orders = {o["employee_id"]: o["order_id"] for o in service.list_orders("pending")}
    sign_in(page, language=language)

    # Both approved at once, then E1001's fulfilled and E1002's rejected with one reason.
    page.goto("/admin/orders?status=pending")
    page.check("input[data-select-all=order]")
    page.click("#approve-selected")
    expect(page.locator(".flash")).to_contain_text(_("%s orders approved.", 2))
    page.goto("/admin/orders?status=approved")
    page.check(f"input[name=order][value='{orders['E1001']}']")
    page.click("#fulfil-selected")
    expect(page.locator(".flash")).to_contain_text(_("%s orders fulfilled.", 1))
    page.goto("/admin/orders?status=approved")
    page.check(f"input[name=order][value='{orders['E1002']}']")
    page.fill("#bulk-reason", "库存不足")
    page.click("#reject-selected")
    expect(page.locator(".flash")).to_contain_text(
        _("%s orders rejected and their points refunded.", 1)
    )
    statuses = {o["order_id"]: o["status"] for o in service.list_orders()}
    assert statuses == {orders["E1001"]: "fulfilled", orders["E1002"]: "rejected"}

    # Reports: shares with a chart; E1001 and E1002 earned 500 each, both ranked first.
    page.goto("/admin/reports/shares?since=2026-06-01&until=2026-06-30")
    expect(page.locator("#category-chart")).to_be_visible()
    expect(page.locator("#categories tr[data-key=physical] td").last).to_have_text("100.0")
    snap(page, shots, f"36-report-shares-{language}")
    page.goto("/admin/reports/ranking?since=2026-06-01&until=2026-06-30")
    ranks = page.locator("#report tbody tr td:first-child")
    expect(ranks).to_have_text(["1", "1"])
    page.goto("/admin/orders")
    page.select_option("#status", "fulfilled")
    page.click("form.filters button[type=submit]")
    with page.expect_download() as download:
        page.click("#export")
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    times = re.findall(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d[^,\n]*", exported)
    assert times, exported
    # 10:00 on the site's clock (Asia/Shanghai) as the kiosk placed it; no microseconds.
    assert all("." not in t for t in times), times

    # An admin takes back the fulfilled order; its points go back to E1001.
    before = service.employee("E1001")["available"]
    page.click("#sign-out")
    sign_in(page, "it-admin", language=language)
    page.goto(f"/admin/orders/{orders['E1001']}")
    page.fill("#reverse-reason", "质量问题退回")
    page.check("#confirm")
    page.click("#reverse")
    expect(page.locator(".flash")).to_contain_text(
        _("Order %s: %s", voucher_code(orders["E1001"]), _("reversed"))
    )
    expect(page.locator("h1 .status")).to_have_text(_("reversed"))
    assert service.employee("E1001")["available"] == before + 1000
    snap(page, shots, f"37-order-reversed-{language}")
