"""Events from CSV: a preview with each row's problem, then import; again changes nothing."""

from __future__ import annotations

import re

import requests

from tests.console.conftest import Browser

GOOD = """event_id,kind,employee_id,occurred_at
Q2-E1001,performance.excellent,E1001,2026-06-01T09:00:00+08:00
T-E1002,training.completed,E1002,2026-06-02T09:00:00+08:00
"""
MIXED = (
    GOOD
    + """BAD-TIME,training.completed,E1001,yesterday
NOBODY,training.completed,E9999,2026-06-02T09:00:00+08:00
NO-RULE,party.attended,E1001,2026-06-02T09:00:00+08:00
"""
)


def upload(hr: Browser, text: str | bytes, name: str = "events.csv") -> requests.Response:
    hr.get("/admin/events")
    data = text.encode() if isinstance(text, str) else text
    return hr.session.post(
        hr.base + "/admin/events",
        data={"csrf": hr.csrf, "step": "preview"},
        files={"file": (name, data, "text/csv")},
        timeout=30,
    )


def import_previewed(hr: Browser, preview_html: str) -> requests.Response:
    content = re.search(r'name="content" value="([^"]*)"', preview_html, re.S)
    assert content is not None
    import html

    return hr.post(
        "/admin/events",
        {"step": "import", "filename": "events.csv", "content": html.unescape(content.group(1))},
    )


def test_preview_shows_each_rows_problem_then_imports_the_ready_ones(hr: Browser, floor) -> None:
    before = {e: floor.employee(e)["balance"] for e in ("E1001", "E1002")}
    preview = upload(hr, MIXED)
    assert preview.ok
    assert "2 行可导入，0 行已导入过，3 行有错误" in preview.text
    assert "员工不存在" in preview.text and "规则不存在或已停用" in preview.text
    assert "occurred_at" in preview.text  # the bad time names its column
    # Nothing is imported by a preview.
    assert {e: floor.employee(e)["balance"] for e in before} == before
    done = import_previewed(hr, preview.text)
    assert "新增 2 条" in done.text
    assert floor.employee("E1001")["balance"] == before["E1001"] + 500
    assert floor.employee("E1002")["balance"] == before["E1002"] + 100


def test_importing_the_same_file_again_changes_nothing(hr: Browser, floor) -> None:
    import_previewed(hr, upload(hr, GOOD).text)
    balances = {e: floor.employee(e)["balance"] for e in ("E1001", "E1002")}
    again = upload(hr, GOOD)
    assert "0 行可导入，2 行已导入过" in again.text and 'id="import"' not in again.text
    # Even an old preview's import form, posted again, imports nothing twice.
    stale = hr.post("/admin/events", {"step": "import", "filename": "e.csv", "content": GOOD})
    assert "新增 0 条" in stale.text
    assert {e: floor.employee(e)["balance"] for e in balances} == balances


def test_bad_files_are_refused_with_a_message(hr: Browser) -> None:
    binary = upload(hr, b"\x89PNG\r\n\x1a\n\x00\x00binary", name="photo.png")
    assert binary.status_code == 422 and "不是 UTF-8" in binary.text
    columns = upload(hr, "id,who\n1,E1001\n")
    assert columns.status_code == 422 and "event_id" in columns.text and "缺少列" in columns.text
    big = upload(hr, GOOD + "x" * (5 * 1024 * 1024))
    assert big.status_code == 422 and "文件过大" in big.text
    hr.get("/admin/events")
    empty = hr.post("/admin/events", {"step": "preview"})
    assert empty.status_code == 422 and "请选择 CSV 文件" in empty.text


def test_the_import_is_in_the_audit_log(hr: Browser) -> None:
    import_previewed(hr, upload(hr, GOOD).text)
    log = hr.get("/admin/audit?action=events.import").text
    assert "hr-wang" in log and "&#34;accepted&#34;: 2" in log
