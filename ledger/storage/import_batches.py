"""Import batches: each file HR imports (events, the roster), its counts and refused rows.

A batch is created by the preview (the upload kept in ``content`` until it is imported or
dropped), runs in chunks while ``rows_done`` grows, and stays as the record of what the file
did; its refused rows keep the row's values and a reason code the console translates.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.storage.models import Base


class BatchKind(StrEnum):
    EVENTS = "events"
    ROSTER = "roster"


class BatchStatus(StrEnum):
    PREVIEWED = "previewed"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportBatch(Base):
    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    # csv or xlsx; the encoding a CSV was read in
    file_kind: Mapped[str] = mapped_column(String(8), default="csv")
    encoding: Mapped[str] = mapped_column(String(16), default="")
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # When a running batch last committed a chunk: one silent for long has stopped (the
    # server was stopped mid-way) and may be run again from rows_done.
    progressed_at: Mapped[datetime | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(12), default=BatchStatus.PREVIEWED.value)
    options: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    # events already in the ledger, or roster rows that change nothing
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    deactivated: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class RefusalStage(StrEnum):
    """Whether a refusal is what the preview foresaw or what the import did."""

    PREVIEW = "preview"
    IMPORT = "import"


class ImportRefusal(Base):
    __tablename__ = "import_refusals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    stage: Mapped[str] = mapped_column(String(8), default=RefusalStage.IMPORT.value)
    line: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))  # a stable code, translated when shown
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the reason's values
    row_values: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the row as read
    # A batch's refusals are read a page at a time in file order.
    __table_args__ = (Index("ix_import_refusals_batch", "batch_id", "stage", "line"),)
