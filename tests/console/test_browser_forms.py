"""Forms that behave, in headless Chromium in Chinese and English (issue 14 item 5): a session
that ends mid-form signs in and comes back to the page; one-time values (API token, enrolment
code, webhook secret) shown once and gone after a reload; a form sent twice applied once; the
validation library's errors next to the field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ledger.console.i18n import translator
from tests.conftest import LiveLedger
from tests.console.chromium import sign_in
from tests.console.conftest import PASSWORD

pytestmark = pytest.mark.slow
LANGUAGES = ["zh", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_session_that_ends_mid_form_comes_back_to_the_page(
    page: Page, console: LiveLedger, clock, language: str
) -> None:
    _ = translator(language)
    sign_in(page, language=language)
    page.goto("/admin/employees/E1002")
    page.fill("#adjust-points", "50")
    page.fill("#adjust-reason", "安全培训")
    clock.advance(minutes=31)  # idle longer than a session lasts
    page.click("#adjust")
    expect(page).to_have_url(re.compile(r"/admin/login"))
    expect(page.locator("#ended")).to_have_text(
        _("Your session ended. Sign in again to go on where you were.")
    )
    page.fill("input[name=name]", "hr-wang")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/employees/E1002$"))
    expect(page.locator("#available")).to_have_text("1,700")  # nothing applied meanwhile


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_twice_applies_once_and_errors_stand_by_their_field(
    page: Page, console: LiveLedger, language: str
) -> None:
    _ = translator(language)
    sign_in(page, language=language)
    page.goto("/admin/employees/E1002")
    form = page.locator("form[action$='/adjust']")
    sent = {
        name: form.locator(f"input[name={name}]").get_attribute("value")
        for name in ("form_token", "adjustment_id")
    }
    page.fill("#adjust-points", "50")
    page.fill("#adjust-reason", "安全培训")
    page.click("#adjust")
    expect(page.locator("#available")).to_have_text("1,750")
    # The same form again (a back button and a second click): the page says so, once applied.
    for name, value in sent.items():
        form.locator(f"input[name={name}]").evaluate("(e, v) => e.value = v", value)
    page.fill("#adjust-points", "50")
    page.fill("#adjust-reason", "安全培训")
    page.click("#adjust")
    expect(page.locator("body")).to_contain_text(
        _("This form was already sent; it was not applied again.")
    )
    page.goto("/admin/employees/E1002")
    expect(page.locator("#available")).to_have_text("1,750")
    assert console.service.employee("E1002")["available"] == 1750
    # A title over 200 characters: the library's limit, worded next to the field.
    page.goto("/admin/rules/new")
    page.fill("#kind", "training.safety")
    page.fill("#title_zh", "长" * 201)
    page.fill("#title_en", "Safety")
    page.fill("#points", "50")
    page.fill("#validity_days", "365")
    page.click("#save")
    expect(page.locator("#title_zh-error")).to_have_text(_("At most %s characters.", 200))
    expect(page.locator("#title_zh")).to_have_value("长" * 201)  # what was typed is kept
    assert not any(r["kind"] == "training.safety" for r in console.service.list_rules())


def _gone_after_reload(page: Page, selector: str, value: str) -> None:
    page.reload()
    expect(page.locator(selector)).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_time_values_are_shown_once(page: Page, console: LiveLedger, language: str) -> None:
    sign_in(page, "it-admin", language=language)
    page.goto("/admin/tokens")
    page.fill("#token-name", "payroll sync")
    page.locator("form[action='/admin/tokens'] button[type=submit]").click()
    token = page.locator("#token")
    expect(token).to_contain_text("pk_hr_")
    found = re.search(r"pk_hr_\S+", token.inner_text())
    assert found
    _gone_after_reload(page, "#token", found.group(0))
    expect(page.locator("table.list tbody tr")).to_have_count(1)  # no second token
    page.goto("/admin/kiosks")
    page.locator("form[action='/admin/kiosks/code'] button").click()
    code = re.search(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4})+", page.locator("#code").inner_text())
    assert code
    _gone_after_reload(page, "#code", code.group(0))
    page.goto("/admin/webhooks")
    page.fill("input[name=url]", "https://hr.example.com/points")
    page.locator("input[name=events]").first.check()
    page.locator("form[action='/admin/webhooks'] button[type=submit]").click()
    secret = page.locator("#secret")
    expect(secret).to_be_visible()
    shown = secret.inner_text().rsplit(" ", 1)[-1].rsplit(":", 1)[-1].strip()
    assert len(shown) >= 16, shown
    _gone_after_reload(page, "#secret", shown)
    expect(page.locator("#endpoints tbody tr")).to_have_count(1)
