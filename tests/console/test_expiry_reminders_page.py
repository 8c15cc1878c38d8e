"""The expiring-points report lists the expiry reminders sent and edits their days."""

from __future__ import annotations

from ledger.console.web import LANGUAGE_COOKIE
from ledger.service import LedgerService
from tests.console.conftest import Browser
from tests.ledger import factory


def test_hr_sees_the_reminders_sent_and_sets_the_days(hr: Browser, floor: LedgerService) -> None:
    page = hr.get("/admin/reports/expiring")
    assert page.status_code == 200 and "尚未发送提醒" in page.text
    assert 'value="30, 7"' in page.text
    factory.grant(floor, "E1002", 45, validity_days=5)
    assert floor.send_expiry_reminders()["reminders"] >= 1
    page = hr.get("/admin/reports/expiring")
    assert "已发送的过期提醒" in page.text
    table = page.text.split('id="reminders"', 1)[1]
    assert "E1002" in table and ">45<" in table and ">7<" in table

    saved = hr.post("/admin/reports/expiring/reminders", data={"days": "14，3"})
    assert saved.status_code == 200 and "提醒天数已保存" in saved.text
    assert floor.reminder_settings().days == [14, 3]
    for bad in ("0", "x", "1,2,3,4,5,6", "9999"):
        refused = hr.post("/admin/reports/expiring/reminders", data={"days": bad})
        assert "请填写最多 5 个" in refused.text, bad
    assert floor.reminder_settings().days == [14, 3]
    hr.session.cookies.set(LANGUAGE_COOKIE, "en")
    english = hr.get("/admin/reports/expiring")
    assert "Expiry reminders sent" in english.text and 'value="14, 3"' in english.text
