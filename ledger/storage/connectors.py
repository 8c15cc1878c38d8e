"""Connectors: HR systems whose events the ledger fetches by itself (a drop folder, a JSON
endpoint), each polled at its own interval, each run kept as import batches."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.storage.models import Base


class ConnectorKind(StrEnum):
    FOLDER = "folder"  # CSV / xlsx exports dropped into a folder on the ledger's server
    HTTP = "http"  # a JSON endpoint pulled with a cursor


class Connector(Base):
    __tablename__ = "connectors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(500), default="")  # folder: an absolute path
    url: Mapped[str] = mapped_column(String(500), default="")  # http: the endpoint
    # The bearer token sent to the endpoint: the ledger needs it, so it is kept, never shown.
    token: Mapped[str] = mapped_column(String(500), default="")
    interval_seconds: Mapped[int] = mapped_column(Integer, default=60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # http: the cursor to ask with next, moved only after its page was imported.
    cursor: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))
    next_run_at: Mapped[datetime]
    # A run holds the connector until then, so two runners never poll it at once; a runner
    # that died loses it when the lease runs out.
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    last_run_at: Mapped[datetime | None] = mapped_column(default=None)
    last_ok: Mapped[bool | None] = mapped_column(Boolean, default=None)
    last_result: Mapped[str] = mapped_column(String(400), default="")
    last_batch_id: Mapped[int | None] = mapped_column(Integer, default=None)
    runs: Mapped[int] = mapped_column(Integer, default=0)
