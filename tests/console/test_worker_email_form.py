"""A worker's optional personal e-mail address on the employee's edit form: set, refused
with a message next to the field (zh and en), shown on the employee's page, cleared."""

from __future__ import annotations

import pytest

from tests.console.conftest import Browser
from tests.console.test_employees_and_catalogue import field_error

RECORD = {"name": "张伟", "department": "总装车间", "language": "zh"}


@pytest.mark.parametrize(
    ("language", "refused"),
    [("zh", "请填写类似 name@example.com 的地址。"), ("en", "An address like name@example.com.")],
)
def test_set_refuse_and_clear_a_workers_address(
    hr: Browser, floor, language: str, refused: str
) -> None:
    hr.get(f"/admin/language/{language}?next=/admin/employees/E1001")
    form = hr.get("/admin/employees/E1001/edit").text
    assert 'name="email"' in form and 'value=""' in form
    bad = hr.post("/admin/employees/E1001/edit", RECORD | {"email": "zhang wei@example"})
    assert bad.status_code == 422 and field_error(bad.text, "email") == refused
    assert 'value="zhang wei@example"' in bad.text  # what was typed is kept
    assert floor.worker_email("E1001") == ""

    saved = hr.post("/admin/employees/E1001/edit", RECORD | {"email": " zw@example.net "})
    assert saved.ok and floor.worker_email("E1001") == "zw@example.net"
    assert "zw@example.net" in hr.get("/admin/employees/E1001").text
    assert 'value="zw@example.net"' in hr.get("/admin/employees/E1001/edit").text

    cleared = hr.post("/admin/employees/E1001/edit", RECORD | {"email": ""})
    assert cleared.ok and floor.worker_email("E1001") == ""
    assert "zw@example.net" not in hr.get("/admin/employees/E1001").text


def test_a_form_without_the_field_keeps_the_address(hr: Browser, floor) -> None:
    floor.set_worker_email("E1001", "zw@example.net")
    saved = hr.post("/admin/employees/E1001/edit", RECORD | {"department": "质检部"})
    assert saved.ok and floor.worker_email("E1001") == "zw@example.net"
