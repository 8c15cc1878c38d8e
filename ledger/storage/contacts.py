"""Workers' personal contact details that HR set: kept in the ledger only, never sent to a
kiosk, never written into a domain event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.storage.models import Base


class WorkerContact(Base):
    """A worker's optional personal e-mail address, where their news also goes."""

    __tablename__ = "worker_contacts"
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime]
