"""The roster import: GBK CSV and .xlsx exports with Chinese headers, the preview equal to the
import, refused rows kept with the batch, deactivation of those missing, re-import a no-op."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ledger.storage.import_batches import ImportBatch, ImportRefusal
from ledger.storage.models import DomainEvent, HrAction
from tests.console.conftest import Browser
from tests.ledger import factory

# As Chinese Excel saves a CSV: GBK, Chinese headers.
GBK_ROSTER = (
    "工号,姓名,部门,语言,在职\r\n"
    "E1001,张伟,质检部,,是\r\n"  # changed department
    "E1002,李娜,质检部,中文,在职\r\n"  # unchanged
    "E2001,陈静,仓储部,英文,在职\r\n"  # new
    "E2002,周杰,仓储部,法语,在职\r\n"  # refused: language
    "E 9,吴磊,仓储部,zh,在职\r\n"  # refused: number
    "E2001,陈静,仓储部,en,在职\r\n"  # refused: duplicate
).encode("gbk")


def preview(
    hr: Browser, data: bytes, name: str = "roster.csv", **fields: str
) -> tuple[str, int | None]:
    hr.get("/admin/roster")
    response = hr.post("/admin/roster", fields, files={"file": (name, data)})
    found = re.search(r'action="/admin/roster/(\d+)/import"', response.text)
    return response.text, int(found.group(1)) if found else None


def count(page: str, name: str) -> int:
    found = re.search(rf'id="count-{name}">([\d,]+)<', page)
    assert found, name
    return int(found.group(1).replace(",", ""))


def changed_events(service) -> int:
    with service.db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(DomainEvent)
                .where(DomainEvent.type == "employee.changed")
            )
            or 0
        )


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_gbk_csv_with_chinese_headers_preview_equals_import(hr: Browser, floor) -> None:
    page, batch = preview(hr, GBK_ROSTER)
    assert batch is not None, page
    counts = {n: count(page, n) for n in ("rows", "new", "changed", "unchanged", "refused")}
    assert counts == {"rows": 6, "new": 1, "changed": 1, "unchanged": 1, "refused": 3}
    assert 'data-field="department">部门：总装车间 → 质检部' in page.replace(": ", "：")
    assert "无法识别的语言“法语”" in page and "工号须为 1 到 32 位" in page
    assert "同一工号已在第 4 行出现" in page
    # The preview changed nothing.
    assert floor.employee("E1001")["department"] == "总装车间"
    events = changed_events(floor)
    done = hr.post(f"/admin/roster/{batch}/import")
    assert done.ok and f"/admin/roster/{batch}" in done.url
    assert {n: count(done.text, n) for n in ("rows", "accepted", "unchanged", "refused")} == {
        "rows": 6, "accepted": 2, "unchanged": 1, "refused": 3,
    }  # fmt: skip
    assert "无法识别的语言“法语”" in done.text  # the refused rows, listed with why
    assert floor.employee("E1001")["department"] == "质检部"
    new = floor.employee("E2001")
    assert (new["name"], new["department"], new["language"], new["active"]) == (
        "陈静", "仓储部", "en", True,
    )  # fmt: skip
    assert changed_events(floor) == events + 2  # one per employee created or changed
    with floor.db.read() as session:
        stored = session.get_one(ImportBatch, batch)
        assert (stored.kind, stored.status, stored.encoding, stored.content) == (
            "roster", "done", "gb18030", None,
        )  # fmt: skip
        refusals = session.scalars(
            select(ImportRefusal)
            .where(ImportRefusal.batch_id == batch)
            .order_by(ImportRefusal.line)
        ).all()
        assert [(r.line, r.reason) for r in refusals] == [
            (5, "bad_language"), (6, "bad_number"), (7, "duplicate"),
        ]  # fmt: skip
        assert json.loads(refusals[0].row_values)["name"] == "周杰"
        lines = session.scalars(select(HrAction).where(HrAction.action == "roster.import")).all()
        assert len(lines) == 1 and '"new": 1' in (lines[0].after or "")
    # The same batch posted again (a double click) imports nothing twice.
    again = hr.post(f"/admin/roster/{batch}/import")
    assert again.ok and changed_events(floor) == events + 2


def test_reimport_is_a_no_op(hr: Browser, floor) -> None:
    _, batch = preview(hr, GBK_ROSTER)
    hr.post(f"/admin/roster/{batch}/import")
    events = changed_events(floor)
    page, _again = preview(hr, GBK_ROSTER)
    assert count(page, "new") == 0 and count(page, "changed") == 0
    assert count(page, "unchanged") == 3 and count(page, "refused") == 3
    assert 'id="nothing-to-do"' in page and 'id="import"' not in page
    assert changed_events(floor) == events


def test_xlsx_with_deactivation_of_those_missing(hr: Browser, floor) -> None:
    factory.employee(floor, "E1003", name="赵强", department="质检部")
    floor.update_employee("E1003", active=False)  # already inactive: not "deactivated" again
    data = xlsx([["员工编号", "姓名", "部门", "状态"], [1001, "张伟", "总装车间", "在职"]])
    page, batch = preview(hr, data, "花名册.xlsx", deactivate_missing="on")
    # 1001 is not E1001: the number is read as the file has it, and the preview shows
    # whom such a file would deactivate before anyone is.
    assert count(page, "new") == 1 and count(page, "deactivated") == 2
    data = xlsx([["员工编号", "姓名", "部门", "状态"], ["E1001", "张伟", "总装车间", "在职"]])
    page, batch = preview(hr, data, "花名册.xlsx", deactivate_missing="on")
    assert count(page, "new") == 0 and count(page, "deactivated") == 1
    table = page.split('id="deactivate"')[1].split("</table>")[0]
    assert 'data-employee="E1002"' in table and "E1003" not in table and "E1001" not in table
    assert floor.employee("E1002")["active"] is True
    done = hr.post(f"/admin/roster/{batch}/import")
    assert count(done.text, "deactivated") == 1
    assert floor.employee("E1002")["active"] is False and floor.employee("E1001")["active"]


def test_no_deactivation_when_rows_are_refused_or_the_file_is_empty(hr: Browser, floor) -> None:
    with_refusal = "工号,姓名\nE1001,张伟\nE1009,\n".encode()
    page, batch = preview(hr, with_refusal, deactivate_missing="on")
    assert count(page, "deactivated") == 0 and 'id="blocked"' in page
    assert "文件中没有的 1 名员工不会被停用" in page
    assert batch is None  # nothing to import: E1001 is unchanged
    header_only = "工号,姓名\n".encode()
    page, batch = preview(hr, header_only, deactivate_missing="on")
    assert "文件没有数据行" in page and batch is None
    assert floor.employee("E1002")["active"] is True


@pytest.mark.parametrize(
    ("language", "missing", "too_many", "no_file"),
    [
        ("zh", "文件缺少列：姓名。", "文件超过 20,000 行", "请选择 CSV 或 .xlsx 文件。"),
        ("en", "The file lacks the columns: Name.", "more than 20,000 rows",
         "Choose a CSV or .xlsx file."),
    ],
)  # fmt: skip
def test_files_that_cannot_be_read(
    hr: Browser, floor, language: str, missing: str, too_many: str, no_file: str
) -> None:
    hr.get(f"/admin/language/{language}?next=/admin/roster")
    page, _ = preview(hr, b"employee_id;department\nE1001;x\n")
    assert missing in page
    big = "工号,姓名\n" + "".join(f"X{i},n\n" for i in range(20_001))
    page, _ = preview(hr, big.encode())
    assert too_many in page
    hr.get("/admin/roster")
    empty = hr.post("/admin/roster", {"encoding": "auto"})
    assert empty.status_code == 422 and no_file in empty.text
    with floor.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_english_preview(hr: Browser, floor) -> None:
    hr.get("/admin/language/en?next=/admin/roster")
    data = (
        "Employee number\tName\tLanguage\tStatus\nE1002\tLi Na\tEnglish\tno\nE1001\t张伟\t\tmaybe\n"
    )
    page, batch = preview(hr, data.encode("utf-8"))
    assert 'data-field="name">Name: 李娜 → Li Na' in page
    assert "Preferred language: Chinese → English" in page
    assert "Active: Active → Inactive" in page
    assert "Unknown status maybe" in page
    assert batch is not None


def test_cli_import_roster(db_url: str, tmp_path: Path, service) -> None:
    factory.employee(service, "E1001", name="张伟", department="总装车间")
    factory.employee(service, "E1002", name="李娜", department="质检部")
    roster = tmp_path / "roster.csv"
    roster.write_bytes("工号;姓名;部门\nE1001;张伟;质检部\nE3001;新人;仓储部\n".encode("gbk"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ledger.cli", "import-roster", str(roster), *args,
             "--db", db_url, "--key-file", str(tmp_path / "key.pem")],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    dry = run("--encoding", "gbk", "--deactivate-missing", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert (report["new"], report["changed"], report["deactivated"]) == (1, 1, 1)
    assert report["changed_employees"] == {"E1001": {"department": ["总装车间", "质检部"]}}
    assert service.employee("E1001")["department"] == "总装车间"  # a dry run changes nothing
    done = run("--encoding", "gbk", "--deactivate-missing")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["deactivated_employees"] == ["E1002"]
    assert service.employee("E3001")["name"] == "新人"
    assert service.employee("E1002")["active"] is False
    again = json.loads(run("--encoding", "gbk").stdout)
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 2)
    roster.write_bytes(b"name\nx\n")
    bad = run()
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr


def test_roster_batches_in_the_list_of_imports_with_their_reasons_in_words(
    hr: Browser, floor
) -> None:
    _page, batch = preview(hr, GBK_ROSTER)
    assert batch is not None
    hr.post(f"/admin/roster/{batch}/import")
    listing = hr.get("/admin/imports")
    assert listing.status_code == 200 and f"/admin/imports/{batch}" in listing.text
    assert "员工名单导入" in listing.text
    page = hr.get(f"/admin/imports/{batch}")
    assert page.status_code == 200, page.text
    assert "无法识别的语言“法语”" in page.text and "同一工号已在第 4 行出现" in page.text
    assert "<td>bad_language" not in page.text and "<td>bad_number" not in page.text
    refused = hr.get(f"/admin/imports/{batch}/refused.csv")
    assert refused.status_code == 200
    text = refused.content.decode("utf-8-sig")
    assert "周杰" in text and "无法识别的语言“法语”" in text
