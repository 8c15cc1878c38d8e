"""Scheduled jobs' state: when each ran, how it went, when it runs next, who holds it now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.storage.models import Base


class JobState(Base):
    """One row per job; a runner claims a due job by setting its lease, then runs it.

    The lease expires, so a runner that dies mid-job does not keep the job from running;
    a job must therefore be safe to run again (expiry is).
    """

    __tablename__ = "jobs"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_run: Mapped[datetime]
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    leased_by: Mapped[str] = mapped_column(String(80), default="")
    last_started_at: Mapped[datetime | None] = mapped_column(default=None)
    last_finished_at: Mapped[datetime | None] = mapped_column(default=None)
    last_ok: Mapped[bool | None] = mapped_column(Boolean, default=None)
    last_result: Mapped[str] = mapped_column(String(400), default="")
    runs: Mapped[int] = mapped_column(Integer, default=0)
