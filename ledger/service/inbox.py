"""Use cases of the workers' kiosk inbox: messages made from domain events, a worker's read
mark from a kiosk, expiry reminders and their thresholds."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.domain import evidence, inbox, reminders
from ledger.domain.errors import Forbidden, NotFound
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from ledger.service.events import BATCH as EVENT_BATCH
from ledger.service.events import (
    EventType,
    events_after,
    has_unnumbered_events,
    number_events,
)
from ledger.storage.inbox import ExpiryReminder, InboxCursor
from ledger.storage.models import Employee, PinToken
from sync.protocol import ErrorCode, MessagesRead

# Events read per transaction of the inbox writer.
INBOX_BATCH = 500
# How long a PIN token shown at sign-in still vouches for that visit's read mark.
PIN_READ_WINDOW = timedelta(hours=24)


def _write_batch(session: Session, now: datetime) -> tuple[int, bool]:
    """Messages for the next events past the inbox's cursor, and the cursor moved past them,
    in the caller's transaction; returns (messages written, whether more events wait)."""
    query = select(InboxCursor).where(InboxCursor.id == 1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # two runners never read the same events
    cursor = session.scalar(query)
    if cursor is None:
        cursor = InboxCursor(id=1, position=0)
        session.add(cursor)
    found = events_after(session, cursor.position, INBOX_BATCH)
    written = 0
    known: set[str] = set()
    for event in found:
        spec = inbox.message_for(event.type, event.payload)
        if spec is None:
            continue
        if spec.employee_id not in known:
            if session.get(Employee, spec.employee_id) is None:
                continue
            known.add(spec.employee_id)
        inbox.write_message(session, event.id, spec, event.occurred_at)
        written += 1
    if found:
        cursor.position = found[-1].position
    return written, len(found) == INBOX_BATCH


class InboxCases(ServiceBase):
    """The inbox writer, read marks, expiry reminders."""

    # --- the inbox writer (a job: bookkeeping, not an HR action, so no log line) ----------

    def write_inbox(self) -> int:
        """Messages for every event the inbox has not read yet; returns how many written."""
        with self.db.read() as session:
            waiting = has_unnumbered_events(session)
        if waiting:
            while self.db.run_write(number_events) >= EVENT_BATCH:
                pass
        total = 0
        while True:
            written, more = self.db.run_write(functools.partial(_write_batch, now=self.clock()))
            total += written
            if not more:
                return total

    # --- a worker's read mark, from a kiosk ------------------------------------------------

    def mark_messages_read(self, body: MessagesRead, device_id: str) -> list[int]:
        """A worker's "got it": their messages among ``body.message_ids`` are read, on every
        kiosk after its next pull. Needs the worker's evidence, as a cancel does; returns the
        ids marked now (none when sent again)."""
        now = self.clock()
        with self.db.read() as session:
            if session.get(Employee, body.employee_id) is None:
                raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {body.employee_id}")
            shown = self._presence_for_read(session, body, device_id, now)
        if not shown:
            raise Forbidden(
                ErrorCode.EVIDENCE_INVALID, "a read mark needs this worker's badge, card or PIN"
            )

        def run(work: Work) -> list[int]:
            marked = inbox.mark_read(
                work.session, body.employee_id, body.message_ids, device_id, work.now
            )
            if marked:
                work.log("inbox.read", body.employee_id, after={"messages": marked})
            return marked

        return self.acting_as(Actor.device(device_id))._run(run)

    def _presence_for_read(
        self, session: Session, body: MessagesRead, device_id: str, now: datetime
    ) -> bool:
        shown = body.evidence
        if shown is None:
            return False
        if shown.kind != "pin":
            return evidence.check(
                session, shown, body.employee_id, self.badge_verifier(), device_id, now
            ).valid
        # The PIN token of the sign-in: the visit's first order may have spent it, and an
        # offline read mark arrives after it expired. It still shows the worker was here;
        # a read mark only hides messages, so it is not spent.
        presence = evidence.assess(shown, body.employee_id, self.badge_verifier(), False)
        token = session.get(PinToken, presence.key) if presence.key else None
        return (
            token is not None
            and token.employee_id == body.employee_id
            and token.device_id == device_id
            and token.issued_at > now - PIN_READ_WINDOW
        )

    # --- expiry reminders ------------------------------------------------------------------

    def reminder_settings(self) -> reminders.ReminderSettings:
        with self.db.read() as session:
            return reminders.get_reminder_settings(session)

    def update_reminder_settings(self, days: list[int]) -> reminders.ReminderSettings:
        """Save the thresholds (days before expiry; none: no reminders) and announce them."""

        def run(work: Work) -> reminders.ReminderSettings:
            before = reminders.get_reminder_settings(work.session).model_dump()
            result = reminders.update_reminder_settings(work.session, days)
            work.log("expiry_reminders.save", "expiry_reminders", before=before,
                     after=result.model_dump())  # fmt: skip
            work.announce(EventType.SETTINGS_CHANGED, "expiry_reminders", result.model_dump())
            return result

        return self._run(run)

    def send_expiry_reminders(self) -> dict[str, int]:
        """Remind every lot that reached a threshold it has no reminder for: one
        ``points.expiring`` event each (the inbox writer makes the worker's message from it),
        one transaction each; safe to run again, from two runners at once too."""
        job = self.acting_as(Actor.system("reminders"))
        days = self.reminder_settings().days
        sent = points = 0
        skipped: set[tuple[int, int]] = set()
        while True:
            with self.db.read() as session:
                due = [
                    d
                    for d in reminders.due_reminders(session, self.clock(), days)
                    if (d.lot_id, d.threshold_days) not in skipped
                ]
            if not due:
                return {"reminders": sent, "points": points}
            for reminder in due:
                if job._run(functools.partial(_remind, due=reminder)):
                    sent += 1
                    points += reminder.points
                skipped.add((reminder.lot_id, reminder.threshold_days))

    def list_reminders(self, limit: int = 200, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Reminders sent, newest first: (how many in all, this page)."""
        with self.db.read() as session:
            total = session.scalar(select(func.count()).select_from(ExpiryReminder)) or 0
            rows = session.execute(
                select(ExpiryReminder, Employee.name)
                .join(Employee, Employee.id == ExpiryReminder.employee_id)
                .order_by(ExpiryReminder.sent_at.desc(), ExpiryReminder.lot_id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
            return total, [
                {
                    "employee_id": r.employee_id,
                    "name": name,
                    "lot_id": r.lot_id,
                    "points": r.points,
                    "expires_at": r.expires_at,
                    "threshold_days": r.threshold_days,
                    "sent_at": r.sent_at,
                }
                for r, name in rows
            ]


def _remind(work: Work, due: reminders.DueReminder) -> bool:
    if not reminders.record_reminder(work.session, due, work.now):
        return False
    payload = {
        "employee_id": due.employee_id,
        "lot_id": due.lot_id,
        "points": due.points,
        "expires_at": due.expires_at.isoformat(),
        "threshold_days": due.threshold_days,
    }
    work.log("points.remind", due.employee_id, after=payload)
    work.announce(EventType.POINTS_EXPIRING, due.employee_id, payload)
    return True
