"""Employees' records in the console: create, edit, deactivate and reactivate, PIN reset,
the department filter; each through the use case the API calls, logged and announced."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ledger.domain.errors import LedgerError
from ledger.domain.pins import PIN_ATTEMPTS
from ledger.storage.models import DomainEvent, HrAction
from sync.protocol import ErrorCode
from tests.console.conftest import Browser
from tests.console.test_employees_and_catalogue import field_error
from tests.ledger import factory


def actions(service, action: str, target: str) -> list[HrAction]:
    with service.db.read() as session:
        return list(
            session.scalars(
                select(HrAction).where(HrAction.action == action, HrAction.target == target)
            )
        )


def changed_events(service, subject: str) -> int:
    with service.db.read() as session:
        return len(
            session.scalars(
                select(DomainEvent).where(
                    DomainEvent.type == "employee.changed", DomainEvent.subject == subject
                )
            ).all()
        )


def test_create_an_employee(hr: Browser, floor) -> None:
    hr.get("/admin/new-employee")
    created = hr.post(
        "/admin/new-employee",
        {"employee_id": "E2001", "name": " 王 芳 ", "department": "仓储部", "language": "en"},
    )
    assert created.ok and "员工 E2001 已创建" in created.text
    assert "/admin/employees/E2001?" in created.url
    record = floor.employee("E2001")
    assert (record["name"], record["department"], record["language"], record["active"]) == (
        "王 芳", "仓储部", "en", True,
    )  # fmt: skip
    assert record["balance"] == 0
    assert len(actions(floor, "employee.save", "E2001")) == 1
    assert changed_events(floor, "E2001") == 1
    # The new department is in the list's filter at once.
    assert '<option value="仓储部"' in hr.get("/admin/employees").text


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        ("zh", ("该工号已存在。", "此项必填。", "最多 80 个字符。",
                "请输入 1 到 32 位字母、数字、- 或 _。")),
        ("en", ("An employee with this number exists.", "This field is required.",
                "At most 80 characters.", "1 to 32 letters, digits, - or _.")),
    ],
)  # fmt: skip
def test_field_errors_next_to_the_fields(
    hr: Browser, floor, language: str, messages: tuple[str, ...]
) -> None:
    exists, required, too_long, bad_number = messages
    hr.get(f"/admin/language/{language}?next=/admin/new-employee")
    taken = hr.post(
        "/admin/new-employee", {"employee_id": "E1001", "name": "某人", "language": "zh"}
    )
    assert taken.status_code == 422
    assert field_error(taken.text, "employee_id") == exists
    assert 'value="某人"' in taken.text  # what was typed is kept
    empty = hr.post("/admin/new-employee", {"employee_id": "E3001", "name": "  ", "language": "zh"})
    assert empty.status_code == 422 and field_error(empty.text, "name") == required
    long_name = hr.post(
        "/admin/new-employee",
        {"employee_id": "E3001", "name": "名" * 81, "department": "部" * 81, "language": "zh"},
    )
    assert field_error(long_name.text, "name") == too_long
    assert field_error(long_name.text, "department") == too_long
    for number in ("E 3001", "工号1", "E" * 33):
        bad = hr.post("/admin/new-employee", {"employee_id": number, "name": "x", "language": "zh"})
        assert bad.status_code == 422 and field_error(bad.text, "employee_id") == bad_number
    with floor.db.read() as session:
        assert session.scalar(select(HrAction).where(HrAction.target == "E3001")) is None
    assert floor.employee("E1001")["name"] == "张伟"


def test_edit_an_employee(hr: Browser, floor) -> None:
    page = hr.get("/admin/employees/E1001/edit").text
    assert 'value="张伟"' in page and 'value="总装车间"' in page
    bad = hr.post("/admin/employees/E1001/edit", {"name": "", "department": "x", "language": "zh"})
    assert bad.status_code == 422 and field_error(bad.text, "name") == "此项必填。"
    saved = hr.post(
        "/admin/employees/E1001/edit",
        {"name": "张伟", "department": "质检部", "language": "en"},
    )
    assert saved.ok and "已保存" in saved.text
    record = floor.employee("E1001")
    assert (record["department"], record["language"], record["active"]) == ("质检部", "en", True)
    line = actions(floor, "employee.save", "E1001")[-1]
    assert "总装车间" in (line.before or "") and "质检部" in (line.after or "")
    # Saving the same record again changes nothing and announces nothing.
    events = changed_events(floor, "E1001")
    again = hr.post(
        "/admin/employees/E1001/edit",
        {"name": "张伟", "department": "质检部", "language": "en"},
    )
    assert "没有改动" in again.text and changed_events(floor, "E1001") == events
    assert hr.get("/admin/employees/NOPE/edit").status_code == 404


def test_deactivate_and_reactivate(hr: Browser, floor, service) -> None:
    factory.rule(service, "training.done", points=100)
    page = hr.get("/admin/employees/E1002").text
    assert 'id="deactivate"' in page and 'id="inactive"' not in page
    confirm = hr.get("/admin/employees/E1002/deactivate").text
    # What deactivating does is said before it is done.
    assert "终端下次同步后将拒绝" in confirm and "积分、工牌和 PIN 保留不变" in confirm
    assert floor.employee("E1002")["active"] is True  # the confirmation page changes nothing
    balance = floor.employee("E1002")["balance"]
    done = hr.post("/admin/employees/E1002/active", {"active": "off"})
    assert done.ok and "已停用" in done.text and 'id="inactive"' in done.text
    assert 'id="reactivate"' in done.text
    assert floor.employee("E1002")["active"] is False
    assert floor.employee("E1002")["balance"] == balance  # points are kept
    # What the page says is what the ledger does: no earning, no orders, no PIN check.
    outcome = floor.ingest_events([factory.event("ev-x", "E1002", floor.clock(), "training.done")])
    assert [r["code"] for r in outcome.rejected] == [ErrorCode.EMPLOYEE_INACTIVE.value]
    placed = floor.place_order(
        factory.order_request("E1002", "leave-day", 300, placed_at=floor.clock()), None
    )
    assert placed.refusal == ErrorCode.EMPLOYEE_INACTIVE
    assert "停用" in hr.get("/admin/employees?status=inactive").text
    back = hr.post("/admin/employees/E1002/active", {"active": "on"})
    assert "已重新启用" in back.text and floor.employee("E1002")["active"] is True
    lines = actions(floor, "employee.save", "E1002")
    assert [('"active": false' in (x.after or "")) for x in lines][-2:] == [True, False]


def test_pin_reset_sets_or_clears_and_lifts_the_lockout(hr: Browser, floor, service) -> None:
    device, _token = service.enroll(service.create_enroll_code(), "Line 1")
    floor.set_pin("E1001", "1234")
    for _ in range(PIN_ATTEMPTS):
        with pytest.raises(LedgerError):
            floor.check_pin(device, "E1001", "9999")
    with pytest.raises(LedgerError) as locked:
        floor.check_pin(device, "E1001", "1234")
    assert locked.value.code == ErrorCode.PIN_LOCKED
    page = hr.get("/admin/employees/E1001/pin").text
    assert "旧 PIN 立即失效" in page and "该员工已设置 PIN" in page
    unconfirmed = hr.post(
        "/admin/employees/E1001/pin", {"mode": "set", "pin": "5678", "pin_again": "5678"}
    )
    assert unconfirmed.status_code == 422
    assert field_error(unconfirmed.text, "confirm") == "请勾选以确认。"
    assert "5678" not in unconfirmed.text  # a PIN typed is not sent back
    differ = hr.post(
        "/admin/employees/E1001/pin",
        {"mode": "set", "pin": "5678", "pin_again": "5679", "confirm": "yes"},
    )
    assert field_error(differ.text, "pin_again") == "两次输入的 PIN 不一致。"
    short = hr.post(
        "/admin/employees/E1001/pin",
        {"mode": "set", "pin": "12", "pin_again": "12", "confirm": "yes"},
    )
    assert field_error(short.text, "pin") == "请输入 4 到 8 位数字。"
    with pytest.raises(LedgerError):  # nothing was reset yet
        floor.check_pin(device, "E1001", "1234")
    done = hr.post(
        "/admin/employees/E1001/pin",
        {"mode": "set", "pin": "5678", "pin_again": "5678", "confirm": "yes"},
    )
    assert done.ok and "新 PIN 已设置" in done.text
    assert floor.check_pin(device, "E1001", "5678").token  # the lockout is lifted
    with pytest.raises(LedgerError):
        floor.check_pin(device, "E1001", "1234")
    line = actions(floor, "employee.pin", "E1001")[-1]
    assert '"unlocked": true' in (line.after or "") and "5678" not in (line.after or "")
    cleared = hr.post("/admin/employees/E1001/pin", {"mode": "clear", "confirm": "yes"})
    assert "PIN 已清除" in cleared.text and "该员工未设置 PIN" in cleared.text
    with pytest.raises(LedgerError) as unset:
        floor.check_pin(device, "E1001", "5678")
    assert unset.value.code == ErrorCode.PIN_NOT_SET


def test_pin_reset_in_english(hr: Browser) -> None:
    hr.get("/admin/language/en?next=/admin/employees/E1001/pin")
    bad = hr.post("/admin/employees/E1001/pin", {"mode": "set", "pin": "abc", "pin_again": ""})
    assert field_error(bad.text, "pin") == "4 to 8 digits."
    assert field_error(bad.text, "confirm") == "Tick this box to confirm."


def test_department_filter(hr: Browser, floor) -> None:
    factory.employee(floor, "E1003", name="赵强", department="质检部")
    page = hr.get("/admin/employees", params={"department": "质检部"}).text
    assert "李娜" in page and "赵强" in page and "张伟" not in page
    select_ = page.split('id="department"')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]*)"', select_)
    assert options == ["", "总装车间", "质检部"]  # each department once, sorted


def test_expiring_report_by_department(hr: Browser, floor) -> None:
    factory.grant(floor, "E1002", 70, validity_days=20)
    factory.grant(floor, "E1001", 40, validity_days=50)
    page = hr.get("/admin/reports/expiring", params={"days": "60", "department": "质检部"}).text
    assert '<b id="total">70</b>' in page and "E1002" in page and "E1001" not in page
    assert '<option value="质检部" selected>' in page
    export = hr.get(
        "/admin/reports/expiring", params={"days": "60", "department": "总装车间", "format": "csv"}
    )
    assert [line.split(",")[0] for line in export.text.splitlines()[1:]] == ["E1001", "TOTAL"]
    everyone = hr.get("/admin/reports/expiring", params={"days": "60"}).text
    assert '<b id="total">110</b>' in everyone
