"""Events files in the console: the files HR has, a preview that says what the import will do,
stored batches with their refused rows (listed, downloadable), a second import that changes
nothing, too-large files, and a 100,000-row file imported in the background."""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime

import pytest
import requests
from openpyxl import Workbook

from ledger.api.limits import TABLE_BODY_LIMIT
from ledger.storage.models import Event
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


def upload(
    hr: Browser, data: str | bytes, name: str = "events.csv", encoding: str = "auto"
) -> requests.Response:
    """Preview a file; a good one lands on its batch's page."""
    hr.get("/admin/events")
    body = data.encode() if isinstance(data, str) else data
    response = hr.session.post(
        hr.base + "/admin/events",
        data={"csrf": hr.csrf, "encoding": encoding},
        files={"file": (name, body, "application/octet-stream")},
        timeout=120,
    )
    hr.get(response.url.replace(hr.base, "")) if response.ok else None
    return response


def batch_of(response: requests.Response) -> int:
    found = re.search(r"/admin/imports/(\d+)$", response.url)
    assert found is not None, response.url
    return int(found.group(1))


def import_batch(hr: Browser, batch_id: int, timeout: float = 60) -> dict:
    """Start the import from the batch page, wait for it through the progress endpoint."""
    hr.get(f"/admin/imports/{batch_id}")
    started = hr.post(f"/admin/imports/{batch_id}/run", {})
    assert started.ok
    deadline = time.monotonic() + timeout
    while True:
        state = hr.get(f"/admin/imports/{batch_id}/progress").json()
        if state["status"] != "running":
            return state
        assert time.monotonic() < deadline, state
        time.sleep(0.2)


def test_preview_says_what_the_import_does(hr: Browser, floor) -> None:
    before = {e: floor.employee(e)["balance"] for e in ("E1001", "E1002")}
    preview = upload(hr, MIXED)
    assert preview.ok
    assert "2 行可导入，0 行已导入过，3 行被拒绝" in preview.text
    assert "员工 E9999 不存在" in preview.text and "规则“party.attended”不存在" in preview.text
    assert "“yesterday”不是有效时间" in preview.text
    # Nothing is imported by a preview.
    assert {e: floor.employee(e)["balance"] for e in before} == before
    state = import_batch(hr, batch_of(preview))
    assert state["status"] == "done"
    assert (state["accepted"], state["unchanged"], state["refused"]) == (2, 0, 3)
    done = hr.get(f"/admin/imports/{batch_of(preview)}").text
    assert "导入 2 行，已存在 0 行，拒绝 3 行" in done
    assert floor.employee("E1001")["balance"] == before["E1001"] + 500
    assert floor.employee("E1002")["balance"] == before["E1002"] + 100


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_files_hr_has(hr: Browser, floor) -> None:
    cn = (
        "事件编号,类型,工号,时间\n{a},performance.excellent,E1001,2026-06-01 09:00\n"
        "{b},training.completed,E1002,2026-06-02T09:00:00+08:00\n"
    )
    files: dict[str, tuple[str | bytes, str]] = {
        "gbk.csv": (cn.format(a="绩效-1", b="培训-1").encode("gbk"), "auto"),
        "gbk-chosen.csv": (cn.format(a="绩效-2", b="培训-2").encode("gbk"), "gbk"),
        "gb18030.csv": (
            "事件编号\t事件类型\t员工编号\t发生时间\n"
            "绩效-𠀀\tperformance.excellent\tE1001\t2026/6/3 9:00\n"
            "培训-𠀀\ttraining.completed\tE1002\t2026-06-03\n".encode("gb18030"),
            "gb18030",
        ),
        "semicolon.csv": (GOOD.replace(",", ";").replace("Q2-", "S-").replace("T-", "ST-"), "auto"),
        "tab.tsv": (GOOD.replace(",", "\t").replace("Q2-", "TAB-").replace("T-", "TT-"), "auto"),
        "bom.csv": ("\ufeff" + GOOD.replace("Q2-", "BOM-").replace("T-", "BT-"), "utf-8"),
        "events.xlsx": (
            _xlsx([
                ["事件编号", "规则", "工号", "发生时间"],
                ["X-1", "performance.excellent", "E1001", datetime(2026, 6, 4, 9, 0)],
                ["X-2", "training.completed", "E1002", "2026-06-04 09:00"],
            ]),
            "auto",
        ),
    }  # fmt: skip
    balance = floor.employee("E1001")["balance"]
    for name, (data, encoding) in files.items():
        preview = upload(hr, data, name, encoding)
        assert preview.ok, (name, preview.text[:500])
        assert "2 行可导入，0 行已导入过，0 行被拒绝" in preview.text, name
        state = import_batch(hr, batch_of(preview))
        assert (state["accepted"], state["refused"]) == (2, 0), name
    assert floor.employee("E1001")["balance"] == balance + 500 * len(files)
    with floor.db.read() as session:
        # Times without a zone are on the site's clock (Asia/Shanghai), from CSV and xlsx.
        for event_id in ("绩效-1", "X-1"):
            found = session.get(Event, event_id)
            assert found is not None
            assert found.occurred_at.astimezone(UTC).hour == 1, event_id
        assert session.get(Event, "绩效-𠀀") is not None
    # GBK read as UTF-8 because HR said so: a clear message, not a traceback.
    wrong = upload(hr, cn.format(a="绩效-9", b="培训-9").encode("gbk"), "gbk.csv", "utf-8")
    assert wrong.status_code == 422 and "文件不是表格" in wrong.text


def test_refused_rows_are_listed_and_downloadable(hr: Browser, floor) -> None:
    batch_id = batch_of(upload(hr, MIXED.replace("event_id", "事件编号")))
    import_batch(hr, batch_id)
    page = hr.get(f"/admin/imports/{batch_id}").text
    assert page.count('<tr class="bad">') == 3 and "员工 E9999 不存在" in page
    assert "<th>事件编号</th>" in page  # the file's own headers
    download = hr.get(f"/admin/imports/{batch_id}/refused.csv")
    assert download.content.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "事件编号,kind,employee_id,occurred_at,行,原因"
    reason = "“yesterday”不是有效时间（例如 2026-03-01 08:00）。"
    assert lines[1] == "BAD-TIME,training.completed,E1001,yesterday,4," + reason
    assert len(lines) == 4
    hr.session.cookies.set("pk_console_lang", "en")
    english = hr.get(f"/admin/imports/{batch_id}/refused.csv").content.decode("utf-8-sig")
    assert english.splitlines()[0].endswith(",Line,Reason") and "No employee E9999." in english
    listing = hr.get("/admin/imports?kind=events").text
    assert f'href="/admin/imports/{batch_id}"' in listing and "1 batches, 5 rows" in listing


def test_importing_the_same_file_again_changes_nothing(hr: Browser, floor) -> None:
    first = batch_of(upload(hr, GOOD))
    import_batch(hr, first)
    balances = {e: floor.employee(e)["balance"] for e in ("E1001", "E1002")}
    again = upload(hr, GOOD)
    assert f"该文件已在批次 #{first} 中导入过" in again.text
    assert "0 行可导入，2 行已导入过" in again.text and 'id="import"' not in again.text
    # The finished batch's import posted again (an old tab) changes nothing either.
    hr.get(f"/admin/imports/{first}")
    repeat = hr.post(f"/admin/imports/{first}/run", {})
    assert "该批次已导入过，未作任何更改" in repeat.text
    assert {e: floor.employee(e)["balance"] for e in balances} == balances


def test_bad_and_too_large_files_get_a_message(hr: Browser) -> None:
    binary = upload(hr, b"\x89PNG\r\n\x1a\n\x00\x00binary", name="photo.png")
    assert binary.status_code == 422 and "文件不是表格" in binary.text
    columns = upload(hr, "id,who\n1,E1001\n")
    assert columns.status_code == 422 and "kind / 类型" in columns.text and "缺少列" in columns.text
    big = upload(hr, GOOD + "x" * (20 * 1024 * 1024))
    assert big.status_code == 422 and "文件过大（最多 20 MB）" in big.text
    # Past what the page may read at all: refused before reading, still a page in Chinese.
    huge = upload(hr, GOOD + "x" * TABLE_BODY_LIMIT)
    assert huge.status_code == 413 and huge.headers["content-type"].startswith("text/html")
    assert "提交的内容过大" in huge.text
    hr.get("/admin/events")
    empty = hr.post("/admin/events", {"encoding": "auto"})
    assert empty.status_code == 422 and "请选择 CSV 或 xlsx 文件" in empty.text


def test_the_import_is_in_the_audit_log(hr: Browser) -> None:
    import_batch(hr, batch_of(upload(hr, GOOD)))
    log = hr.get("/admin/audit?action=events.import").text
    assert "hr-wang" in log and "&#34;accepted&#34;: 2" in log


@pytest.mark.slow
def test_a_100000_row_file_imports_in_the_background(hr: Browser, floor) -> None:
    rows = ["event_id,kind,employee_id,occurred_at"]
    for n in range(100_000):
        who = "E9999" if n % 1000 == 7 else ("E1001", "E1002")[n % 2]
        rows.append(f"big-{n},training.completed,{who},2026-06-{1 + n % 14:02d} 09:{n % 60:02d}")
    data = ("\n".join(rows) + "\n").encode()
    preview = upload(hr, data, "big.csv")
    assert "99,900 行可导入，0 行已导入过，100 行被拒绝" in preview.text, preview.text[:2000]
    batch_id = batch_of(preview)
    hr.get(f"/admin/imports/{batch_id}")
    assert hr.post(f"/admin/imports/{batch_id}/run", {}).ok
    # The server answers while the import runs.
    slowest = 0.0
    while True:
        started = time.monotonic()
        state = hr.get(f"/admin/imports/{batch_id}/progress").json()
        listing = hr.get("/admin/imports")
        slowest = max(slowest, time.monotonic() - started)
        assert listing.ok
        if state["status"] != "running":
            break
        time.sleep(0.5)
    assert slowest < 5, slowest
    assert (state["accepted"], state["refused"], state["rows_done"]) == (99_900, 100, 100_000)
    page = hr.get(f"/admin/imports/{batch_id}").text
    assert "员工 E9999 不存在" in page and 'id="download"' in page
    csv_rows = hr.get(f"/admin/imports/{batch_id}/refused.csv").content.decode("utf-8-sig")
    assert len(csv_rows.splitlines()) == 101
    assert floor.audit_report().ok
