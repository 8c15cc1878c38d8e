"""Use cases of employees: their record, PIN, badges and manual adjustments."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select

from ledger.domain import adjustments, people, pins
from ledger.domain.errors import Conflict
from ledger.domain.notifications import check_email
from ledger.domain.wallets import WALLET_KINDS, get_employee, held_by_employee, wallet_id
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from ledger.storage.contacts import WorkerContact
from ledger.storage.models import Account, Badge, Employee, Item, Lot, Order, Rule, Transfer
from ledger.wire import entry_out
from sync.points import Points
from sync.protocol import ErrorCode, LanguagePreference


def _employee_record(employee: Employee) -> dict[str, Any]:
    """What the log and the events say about an employee (never the PIN hash)."""
    return {
        "id": employee.id,
        "name": employee.name,
        "department": employee.department,
        "language": employee.language,
        "active": employee.active,
        "has_pin": employee.pin_hash is not None,
    }


CONSOLE_ADJUSTMENT_ID = re.compile(r"console-[0-9a-f]{32}")


def new_console_adjustment_id() -> str:
    """The id an adjustment form is drawn with (and a replay of it is recognised by)."""
    return f"console-{uuid.uuid4().hex}"


def save_employee(
    work: Work, employee_id: str, spec: people.EmployeeSpec, *, log: bool = True
) -> bool:
    """Write an employee's record inside ``work``; its log line and ``employee.changed``
    event when anything changed. Returns whether it did.

    The one path of every change to a record: the API's PUT, the console's forms and the
    roster import (which writes one log line for its whole batch: ``log=False``).
    """
    old = work.session.get(Employee, employee_id)
    before = _employee_record(old) if old is not None else None
    employee = people.put_employee(work.session, employee_id, spec, work.now)
    after = _employee_record(employee)
    if after == before:
        return False  # a re-sent record changes nothing and announces nothing
    if log:
        work.log("employee.save", employee_id, before=before, after=after)
    work.announce(EventType.EMPLOYEE_CHANGED, employee_id, after)
    return True


class PeopleCases(ServiceBase):
    def put_employee(self, employee_id: str, spec: people.EmployeeSpec) -> None:
        """Create or update an employee (the API's PUT: the record as sent)."""
        self._run(lambda work: save_employee(work, employee_id, spec))

    def create_employee(self, employee_id: str, spec: people.EmployeeSpec) -> None:
        """A new employee; ``employee_exists`` when the number is taken."""
        people.check_employee_id(employee_id)

        def run(work: Work) -> None:
            if work.session.get(Employee, employee_id) is not None:
                raise Conflict(ErrorCode.EMPLOYEE_EXISTS, f"employee {employee_id} exists")
            save_employee(work, employee_id, spec)

        self._run(run)

    def update_employee(
        self,
        employee_id: str,
        *,
        name: str | None = None,
        department: str | None = None,
        language: str | None = None,
        active: bool | None = None,
    ) -> bool:
        """Change the given fields of an existing employee; returns whether anything changed.

        Deactivating keeps the worker's points, badges and PIN (see
        :func:`ledger.domain.people.deactivation_effects`); reactivating gives them back.
        """

        def run(work: Work) -> bool:
            employee = get_employee(work.session, employee_id)
            current = people.spec_of(employee)
            changes = {
                key: value
                for key, value in (
                    ("name", name), ("department", department),
                    ("language", language), ("active", active),
                )
                if value is not None
            }  # fmt: skip
            spec = people.EmployeeSpec.model_validate({**current.model_dump(), **changes})
            return save_employee(work, employee_id, spec)

        return self._run(run)

    def set_pin(self, employee_id: str, pin: str | None) -> None:
        """Set (or with ``None`` clear) a worker's PIN: HR's reset.

        The old PIN stops working at once (kiosks check PINs here), and with it the PIN
        tokens not yet spent and any lockout from wrong PINs: a worker locked out is exactly
        who comes to HR for a new one.
        """

        def run(work: Work) -> None:
            employee = get_employee(work.session, employee_id)
            had_pin = employee.pin_hash is not None
            people.set_pin(work.session, employee_id, pin)
            unlocked = pins.forget_failures(work.session, employee_id, work.now)
            work.log(
                "employee.pin", employee_id,
                before={"has_pin": had_pin},
                after={"has_pin": pin is not None, **({"unlocked": True} if unlocked else {})},
            )  # fmt: skip
            work.announce(EventType.EMPLOYEE_CHANGED, employee_id, _employee_record(employee))

        self._run(run)

    def set_worker_email(self, employee_id: str, email: str) -> bool:
        """Set (or with ``""`` clear) a worker's optional personal e-mail address, where
        their orders' news and expiry reminders also go; returns whether it changed.

        The address is personal data kept in the ledger only: the log line says whether one
        is set, and nothing is announced, so it reaches neither events nor kiosks.
        """
        address = check_email(email)

        def run(work: Work) -> bool:
            get_employee(work.session, employee_id)
            row = work.session.get(WorkerContact, employee_id)
            before = row.email if row is not None else ""
            if before == address:
                return False
            if row is None:
                row = WorkerContact(employee_id=employee_id, email=address, updated_at=work.now)
                work.session.add(row)
            row.email = address
            row.updated_at = work.now
            work.log(
                "employee.contact", employee_id,
                before={"has_email": bool(before)}, after={"has_email": bool(address)},
            )  # fmt: skip
            return True

        return self._run(run)

    def worker_email(self, employee_id: str) -> str:
        """A worker's personal e-mail address, ``""`` when HR set none."""
        with self.db.read() as session:
            get_employee(session, employee_id)
            row = session.get(WorkerContact, employee_id)
            return row.email if row is not None else ""

    def set_language(self, choice: LanguagePreference) -> None:
        """A worker's language preference, sent by the kiosk they chose it at.

        The badge they signed in with must be theirs and live: a kiosk cannot change anyone's
        record without that worker in front of it.
        """

        def run(work: Work) -> None:
            employee = get_employee(work.session, choice.employee_id)
            if choice.badge_serial is not None:
                badge = work.session.get(Badge, choice.badge_serial)
                if badge is None or badge.employee_id != employee.id or badge.revoked_at:
                    raise Conflict(
                        ErrorCode.UNKNOWN_BADGE, "that badge is not this worker's live badge"
                    )
            if employee.language == choice.language:
                return
            before = _employee_record(employee)
            employee.language = choice.language
            after = _employee_record(employee)
            work.log("employee.language", employee.id, before=before, after=after)
            work.announce(EventType.EMPLOYEE_CHANGED, employee.id, after)

        self._run(run)

    def issue_badge(
        self, employee_id: str, kind: str, uid: str | None = None
    ) -> tuple[str, str | None]:
        """A new QR or RFID badge; returns its serial and (QR) the signed payload to print."""

        def run(work: Work) -> tuple[str, str | None]:
            badge, payload = people.issue_badge(
                work.session, employee_id, kind, work.now, self.badge_key, uid
            )
            after = {"serial": badge.serial, "kind": kind, "uid": badge.uid}
            work.log("badge.issue", employee_id, after=after)
            work.announce(EventType.BADGE_ISSUED, employee_id, after)
            return badge.serial, payload

        return self._run(run)

    def revoke_badge(self, serial: str) -> None:
        def run(work: Work) -> None:
            badge = people.revoke_badge(work.session, serial, work.now)
            work.log(
                "badge.revoke", badge.employee_id,
                before={"serial": serial}, after={"serial": serial, "revoked": True},
            )  # fmt: skip
            work.announce(
                EventType.BADGE_REVOKED, badge.employee_id, {"serial": serial, "kind": badge.kind}
            )

        self._run(run)

    def adjust(self, request: adjustments.AdjustmentIn) -> tuple[int, bool]:
        """Apply a manual adjustment once; returns its transfer and whether it was new."""

        def run(work: Work) -> tuple[int, bool]:
            adjustment, created = adjustments.adjust(work.session, request, work.now)
            if created:
                after = {
                    "adjustment_id": request.adjustment_id,
                    "points": request.points,
                    "reason": request.reason,
                }
                work.log("employee.adjust", request.employee_id, after=after)
                work.announce(
                    EventType.POINTS_ADJUSTED,
                    request.employee_id,
                    {
                        **after,
                        "employee_id": request.employee_id,
                        "transfer_id": adjustment.transfer_id,
                    },
                )
            return adjustment.transfer_id, created

        return self._run(run)

    def adjust_by_hand(
        self, employee_id: str, points: int, reason: str, form_id: str | None = None
    ) -> bool:
        """An adjustment typed into the console; returns whether it is new.

        ``form_id`` is the id the form was drawn with: the same form sent twice (a double
        click, a reload) is one adjustment. Without it, each call is a new adjustment.
        """
        known = form_id is not None and CONSOLE_ADJUSTMENT_ID.fullmatch(form_id) is not None
        _, created = self.adjust(
            adjustments.AdjustmentIn(
                adjustment_id=form_id if known and form_id else new_console_adjustment_id(),
                employee_id=employee_id,
                points=points,
                reason=reason,
            )
        )
        return created

    # --- reads -----------------------------------------------------------------------------

    def employee(self, employee_id: str) -> dict[str, Any]:
        now = self.clock()
        with self.db.read() as session:
            employee = get_employee(session, employee_id)
            balance = session.get_one(Account, wallet_id(employee_id)).balance
            lots = session.scalars(
                select(Lot)
                .where(Lot.employee_id == employee_id, Lot.remaining > 0, Lot.expires_at > now)
                .order_by(Lot.expires_at, Lot.id)
            ).all()
            points = Points(balance, held_by_employee(session, [employee_id]).get(employee_id, 0))
            return {
                **_employee_record(employee),
                "balance": points.balance,
                "held": points.held,
                "available": points.available,
                "total": points.total,
                "expiring": [
                    {"lot_id": lot.id, "points": lot.remaining, "expires_at": lot.expires_at}
                    for lot in lots
                ],
            }

    def entries(self, employee_id: str, limit: int = 200) -> list[dict[str, Any]]:
        with self.db.read() as session:
            get_employee(session, employee_id)
            rows = session.scalars(
                select(Transfer)
                .where(Transfer.employee_id == employee_id, Transfer.kind.in_(WALLET_KINDS))
                .order_by(Transfer.id.desc())
                .limit(limit)
            )
            return [entry_out(t).model_dump(mode="json") for t in rows]

    def entries_with_titles(self, employee_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """The wallet entries as :meth:`entries` gives them, with what each was for as people
        name it: ``rule_title`` of an earned entry and ``item_id`` and ``item_title`` of an
        order's hold or refund (titles as ``{"zh": ..., "en": ...}``, None when the rule or
        item no longer exists).

        One query joins the titles in, so a long history costs no more than a short one.
        """
        with self.db.read() as session:
            get_employee(session, employee_id)
            rows = session.execute(
                select(
                    Transfer,
                    Rule.title_zh,
                    Rule.title_en,
                    Order.item_id,
                    Item.title_zh.label("item_zh"),
                    Item.title_en.label("item_en"),
                )
                .outerjoin(Rule, Rule.kind == Transfer.rule_kind)
                .outerjoin(Order, Order.id == Transfer.order_id)
                .outerjoin(Item, Item.id == Order.item_id)
                .where(Transfer.employee_id == employee_id, Transfer.kind.in_(WALLET_KINDS))
                .order_by(Transfer.id.desc())
                .limit(limit)
            ).all()
            return [
                {
                    **entry_out(transfer).model_dump(mode="json"),
                    "rule_title": None if rule_zh is None else {"zh": rule_zh, "en": rule_en},
                    "item_id": item_id,
                    "item_title": None if item_zh is None else {"zh": item_zh, "en": item_en},
                }
                for transfer, rule_zh, rule_en, item_id, item_zh, item_en in rows
            ]
