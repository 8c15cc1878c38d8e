"""The roster from HR's system: a table's rows compared with the ledger's employees, as a plan.

Plain Python, no database: the rows (from :func:`ledger.domain.table_file.read_table`) and the
employees as they are go in; what an import would create, change, leave alone, refuse and
deactivate comes out. The preview shows this plan and the import applies the same plan,
computed again in the import's transaction, so the two cannot differ.

Rules, for HR:

- Rows are matched by employee number. A new number creates an employee, a known one is
  updated where the file differs.
- An empty cell, or a column the file does not have, keeps what the ledger has (a new
  employee: no department, Chinese, active). Only the number and the name are required.
- A row that cannot be read is refused with its reason; the other rows still import.
- "Deactivate those missing" deactivates active employees whose number is in no row of the
  file, but only when every row was read: a refused row may be a worker who is still
  employed, and an empty file (or a wrong one, all refused) would deactivate everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ledger.domain.people import EmployeeSpec, valid_employee_id
from ledger.domain.table_file import TableRow
from sync.protocol import Language

# A site's roster is a few thousand rows; a file far larger is not a roster.
MAX_ROWS = 20_000
TEXT_LENGTH = 80  # EmployeeSpec's bound for names and departments

# Column names as the importer knows them, and the headers HR's exports use for them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_id": ("工号", "员工编号", "员工号", "编号", "employee number", "employee no"),
    "name": ("姓名", "名字", "employee name", "full name"),
    "department": ("部门", "所属部门", "dept"),
    "language": ("语言", "首选语言", "preferred language", "lang"),
    "active": ("在职", "状态", "在职状态", "员工状态", "status", "employed"),
}
OPTIONAL = ("department", "language", "active")
FIELDS = ("name", "department", "language", "active")

_LANGUAGES: dict[str, Language] = {
    "zh": "zh", "zh-cn": "zh", "zh_cn": "zh", "cn": "zh", "中文": "zh", "汉语": "zh",
    "chinese": "zh", "简体中文": "zh",
    "en": "en", "en-us": "en", "en_us": "en", "en-gb": "en", "英文": "en", "英语": "en",
    "english": "en",
}  # fmt: skip
_ACTIVE = {
    "是", "在职", "在岗", "正常", "启用", "有效", "y", "yes", "true", "1", "active", "employed",
}  # fmt: skip
_INACTIVE = {
    "否", "离职", "已离职", "停用", "无效", "n", "no", "false", "0", "inactive", "left",
    "terminated",
}  # fmt: skip


class Reason(StrEnum):
    """Why a row is refused; stable codes stored with the batch, translated when shown."""

    BAD_NUMBER = "bad_number"
    NO_NAME = "no_name"
    TOO_LONG = "too_long"
    BAD_LANGUAGE = "bad_language"
    BAD_ACTIVE = "bad_active"
    BAD_TEXT = "bad_text"
    DUPLICATE = "duplicate"


class Blocked(StrEnum):
    """Why those missing from the file are not deactivated although HR asked for it."""

    REFUSED_ROWS = "refused_rows"
    EMPTY = "empty"


@dataclass(frozen=True)
class Refusal:
    line: int
    reason: Reason
    detail: dict[str, Any]
    values: dict[str, str]


@dataclass(frozen=True)
class Change:
    """A row that creates (``before`` None) or changes an employee; ``fields`` holds each
    changed field's old and new value."""

    line: int
    employee_id: str
    before: EmployeeSpec | None
    after: EmployeeSpec
    fields: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class Missing:
    """An active employee in no row of the file."""

    employee_id: str
    name: str
    department: str


@dataclass
class RosterPlan:
    rows: int = 0
    new: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    # Those an import deactivates: filled only when HR asked and nothing blocks it.
    deactivate: list[Missing] = field(default_factory=list)
    # The ones HR asked to deactivate but who are kept, and why.
    blocked: Blocked | None = None
    kept_missing: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "refused": len(self.refused),
            "deactivated": len(self.deactivate),
        }


def _clean(text: str) -> str:
    return " ".join(text.split())


def read_row(row: TableRow, current: EmployeeSpec | None) -> EmployeeSpec | Refusal:
    """The employee a row describes (over ``current``, what the ledger has), or why not."""
    values = row.values

    def refuse(reason: Reason, **detail: Any) -> Refusal:
        return Refusal(row.line, reason, detail, dict(values))

    number = values.get("employee_id", "").strip()
    if not valid_employee_id(number):
        return refuse(Reason.BAD_NUMBER, value=number[:40])
    if any("\x00" in v for v in values.values()):
        return refuse(Reason.BAD_TEXT)
    name = _clean(values.get("name", ""))
    if not name:
        return refuse(Reason.NO_NAME)
    department = _clean(values.get("department", ""))
    for column, text in (("name", name), ("department", department)):
        if len(text) > TEXT_LENGTH:
            return refuse(Reason.TOO_LONG, column=column, length=len(text), limit=TEXT_LENGTH)
    spec = current or EmployeeSpec(name=name)
    language_text = values.get("language", "").strip()
    language: Language = spec.language
    if language_text:
        found = _LANGUAGES.get(language_text.casefold())
        if found is None:
            return refuse(Reason.BAD_LANGUAGE, value=language_text[:40])
        language = found
    active_text = values.get("active", "").strip()
    active = spec.active
    if active_text:
        word = active_text.casefold()
        if word in _ACTIVE:
            active = True
        elif word in _INACTIVE:
            active = False
        else:
            return refuse(Reason.BAD_ACTIVE, value=active_text[:40])
    return EmployeeSpec(
        name=name,
        department=department or spec.department,
        language=language,
        active=active,
    )


def plan(
    rows: Sequence[TableRow],
    current: Mapping[str, EmployeeSpec],
    *,
    deactivate_missing: bool = False,
) -> RosterPlan:
    """What importing ``rows`` would do to the employees ``current`` (number → record)."""
    result = RosterPlan(rows=len(rows))
    seen: dict[str, int] = {}
    for row in rows:
        number = row.values.get("employee_id", "").strip()
        if number in seen:
            result.refused.append(
                Refusal(row.line, Reason.DUPLICATE, {"first_line": seen[number]}, dict(row.values))
            )
            continue
        before = current.get(number)
        read = read_row(row, before)
        if isinstance(read, Refusal):
            result.refused.append(read)
            if valid_employee_id(number):
                seen.setdefault(number, row.line)
            continue
        seen[number] = row.line
        if before is None:
            result.new.append(Change(row.line, number, None, read, {}))
            continue
        fields = {
            name: (getattr(before, name), getattr(read, name))
            for name in FIELDS
            if getattr(before, name) != getattr(read, name)
        }
        if fields:
            result.changed.append(Change(row.line, number, before, read, fields))
        else:
            result.unchanged.append(number)
    if deactivate_missing:
        missing = [
            Missing(number, spec.name, spec.department)
            for number, spec in sorted(current.items())
            if spec.active and number not in seen
        ]
        if not rows:
            result.blocked = Blocked.EMPTY
        elif result.refused:
            result.blocked = Blocked.REFUSED_ROWS
        if result.blocked is None:
            result.deactivate = missing
        else:
            result.kept_missing = len(missing)
    return result
