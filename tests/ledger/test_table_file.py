"""The one reader of HR's tables: encodings, separators, xlsx, header aliases, bad files."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from ledger.domain.table_file import Encoding, TableError, TableProblem, read_table

COLUMNS = {
    "event_id": ("事件编号",),
    "kind": ("类型",),
    "employee_id": ("工号",),
    "occurred_at": ("时间",),
}
ROWS = [("ev-1", "training.safety", "E1001", "2026-03-01T08:00:00"), ("ev-2", "q", "E1002", "")]


def _csv(header: tuple[str, ...], sep: str = ",") -> str:
    lines = [sep.join(header), *(sep.join(r) for r in ROWS)]
    return "\r\n".join(lines) + "\r\n"


def _values(data: bytes, **kwargs: object) -> list[dict[str, str]]:
    return [row.values for row in read_table(data, COLUMNS, **kwargs).rows]  # type: ignore[arg-type]


EXPECTED = [dict(zip(COLUMNS, r, strict=True)) for r in ROWS]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separators_are_found(sep: str) -> None:
    table = read_table(_csv(tuple(COLUMNS), sep).encode(), COLUMNS)
    assert table.separator == sep
    assert [r.values for r in table.rows] == EXPECTED
    assert [r.line for r in table.rows] == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_chinese_headers_in_the_encodings_hr_has(encoding: str) -> None:
    data = _csv(("事件编号", "类型", "工号", "时间")).replace("ev-1", "培训-1").encode(encoding)
    values = _values(data)
    assert values[0]["event_id"] == "培训-1"
    assert values[1] == EXPECTED[1]


def test_gbk_detected_and_choosable() -> None:
    data = "事件编号,类型,工号,时间\n张三,q,E1,x\n".encode("gbk")
    assert read_table(data, COLUMNS).encoding == "gb18030"
    assert read_table(data, COLUMNS, encoding=Encoding.GBK).rows[0].values["event_id"] == "张三"
    with pytest.raises(TableError) as caught:
        read_table(data, COLUMNS, encoding=Encoding.UTF8)
    assert caught.value.problem is TableProblem.NOT_TEXT


def test_headers_ignore_case_spaces_and_underscores() -> None:
    data = b"Event ID;KIND;employeeid;Occurred_At\nx;y;z;w\n"
    assert _values(data) == [{"event_id": "x", "kind": "y", "employee_id": "z", "occurred_at": "w"}]


def test_xlsx_with_dates_and_numbers() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["事件编号", "类型", "工号", "时间"])
    sheet.append([1001, "q", "E1001", datetime(2026, 3, 1, 8, 0)])
    sheet.append([None, None, None, None])
    sheet.append(["ev-2", "q", "E1002", "2026-03-02T08:00:00+08:00"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), COLUMNS)
    assert table.kind == "xlsx"
    assert [r.values for r in table.rows] == [
        {
            "event_id": "1001",
            "kind": "q",
            "employee_id": "E1001",
            "occurred_at": "2026-03-01T08:00:00",
        },
        {
            "event_id": "ev-2",
            "kind": "q",
            "employee_id": "E1002",
            "occurred_at": "2026-03-02T08:00:00+08:00",
        },
    ]
    assert [r.line for r in table.rows] == [2, 4]


def test_missing_columns_are_named() -> None:
    with pytest.raises(TableError) as caught:
        read_table(b"event_id,kind\n1,2\n", COLUMNS)
    assert caught.value.problem is TableProblem.MISSING_COLUMNS
    assert caught.value.missing == ("employee_id", "occurred_at")


def test_optional_columns_read_as_empty() -> None:
    table = read_table(b"event_id,kind,employee_id\n1,2,3\n", COLUMNS, optional=("occurred_at",))
    assert table.rows[0].values["occurred_at"] == ""


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", TableProblem.EMPTY),
        (b"\n\n  \n", TableProblem.EMPTY),
        (bytes(range(256)) * 40, TableProblem.NOT_TEXT),
        (b"PK\x03\x04not really a zip", TableProblem.BAD_XLSX),
    ],
)
def test_files_that_are_not_tables(data: bytes, problem: TableProblem) -> None:
    with pytest.raises(TableError) as caught:
        read_table(data, COLUMNS)
    assert caught.value.problem is problem


def test_row_limit() -> None:
    data = ("event_id,kind,employee_id,occurred_at\n" + "a,b,c,d\n" * 11).encode()
    assert len(read_table(data, COLUMNS, max_rows=11).rows) == 11
    with pytest.raises(TableError) as caught:
        read_table(data, COLUMNS, max_rows=10)
    assert caught.value.problem is TableProblem.TOO_MANY_ROWS
