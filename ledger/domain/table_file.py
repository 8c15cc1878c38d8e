"""Tables HR exports: CSV in UTF-8 or GBK/GB18030, any of , ; tab, or an ``.xlsx`` sheet.

One reader for every import (HR events, the roster; console and CLI alike): the bytes as
uploaded go in, a header mapped onto the importer's column names and the data rows come out.
Headers may be English or Chinese (each importer gives its aliases); blank lines are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

# What the reader accepts; callers refuse larger uploads before reading.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
SEPARATORS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"


class Encoding(StrEnum):
    """Text encodings HR can choose; ``auto`` tries UTF-8 and falls back to GB18030."""

    AUTO = "auto"
    UTF8 = "utf-8"
    GBK = "gbk"
    GB18030 = "gb18030"


class TableProblem(StrEnum):
    """Why a file as a whole cannot be read; importers translate these for the reader."""

    EMPTY = "empty"
    NOT_TEXT = "not_text"
    BAD_XLSX = "bad_xlsx"
    MISSING_COLUMNS = "missing_columns"
    TOO_MANY_ROWS = "too_many_rows"


class TableError(ValueError):
    """The file cannot be read; ``missing`` names absent columns for MISSING_COLUMNS."""

    def __init__(self, problem: TableProblem, missing: tuple[str, ...] = ()) -> None:
        super().__init__(problem.value + (": " + ", ".join(missing) if missing else ""))
        self.problem = problem
        self.missing = missing


@dataclass(frozen=True)
class TableRow:
    """One data row: its line (or sheet row) number and its values by column name."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    """A file read: what it was (``kind``: csv or xlsx, the encoding, the separator) and rows;
    ``headers`` gives each column found the header it had in the file."""

    kind: str
    encoding: str
    separator: str
    rows: list[TableRow]
    headers: dict[str, str] = field(default_factory=dict)


def _normal(name: str) -> str:
    return "".join(name.replace("\ufeff", "").split()).casefold().replace("_", "")


def decode(data: bytes, encoding: Encoding = Encoding.AUTO) -> tuple[str, str]:
    """The text and the encoding used; raises NOT_TEXT when it is no text in that encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise TableError(TableProblem.NOT_TEXT) from exc
    tries = (
        [Encoding.UTF8.value, Encoding.GB18030.value]
        if encoding is Encoding.AUTO
        else [encoding.value]
    )
    for name in tries:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        # Binary files decode as GB18030 too (it maps almost every byte pair); control
        # characters other than line ends and tabs show it was not text.
        if any(ord(c) < 32 and c not in "\r\n\t" for c in text[:65536]):
            raise TableError(TableProblem.NOT_TEXT)
        return text, name
    raise TableError(TableProblem.NOT_TEXT)


def sniff_separator(text: str) -> str:
    """The separator of the header line: the one of , ; tab it holds most (comma on a tie)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_lines(data: bytes) -> Iterator[list[str]]:
    # openpyxl only when an xlsx arrives: it is a large import the CSV path never needs.
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(TableProblem.BAD_XLSX) from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return
        for cells in sheet.iter_rows(values_only=True):
            yield [_cell_text(c) for c in cells]
    finally:
        book.close()


def _csv_lines(text: str, separator: str) -> Iterator[list[str]]:
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    except csv.Error as exc:  # e.g. a "field" longer than the csv module takes
        raise TableError(TableProblem.NOT_TEXT) from exc


def read_table(
    data: bytes,
    columns: Mapping[str, Sequence[str]],
    *,
    encoding: Encoding = Encoding.AUTO,
    optional: Sequence[str] = (),
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read ``data`` (CSV text or xlsx) into rows keyed by ``columns``' names.

    ``columns`` maps each column's name to the headers that mean it (the name itself always
    counts, in any case, spaces and underscores aside); columns in ``optional`` may be absent
    and read as "". Raises :class:`TableError`.
    """
    if not data.strip():
        raise TableError(TableProblem.EMPTY)
    if data.startswith(XLSX_MAGIC):
        kind, used, separator = "xlsx", "", ""
        lines = _xlsx_lines(data)
    else:
        text, used = decode(data, encoding)
        separator = sniff_separator(text)
        kind = "csv"
        lines = _csv_lines(text, separator)
    header: list[str] | None = None
    titles: list[str] = []
    places: dict[str, int] = {}
    rows: list[TableRow] = []
    for number, cells in enumerate(lines, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [_normal(c) for c in cells]
            titles = [c.replace("\ufeff", "").strip() for c in cells]
            places = _places(header, columns)
            missing = tuple(c for c in columns if c not in places and c not in optional)
            if missing:
                raise TableError(TableProblem.MISSING_COLUMNS, missing)
            continue
        if len(rows) >= max_rows:
            raise TableError(TableProblem.TOO_MANY_ROWS)
        values = {
            name: (cells[at].strip() if at < len(cells) else "") for name, at in places.items()
        }
        for name in columns:
            values.setdefault(name, "")
        rows.append(TableRow(number, values))
    if header is None:
        raise TableError(TableProblem.EMPTY)
    headers = {name: titles[at] for name, at in places.items()}
    return Table(kind, used, separator, rows, headers)


def _places(header: list[str], columns: Mapping[str, Sequence[str]]) -> dict[str, int]:
    places: dict[str, int] = {}
    for name, aliases in columns.items():
        wanted = {_normal(name), *(_normal(a) for a in aliases)}
        for at, title in enumerate(header):
            if title in wanted:
                places[name] = at
                break
    return places
