"""What console users change, each in one transaction with its line in the HR action log."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from ledger.console import actions, users
from ledger.domain import access, adjustments, catalogue, orders, people, rules
from ledger.service import LedgerService
from ledger.storage.models import Item, Order, Rule
from ledger.views import item_out, rule_out
from sync.protocol import OrderStatus

T = TypeVar("T")


class Operations:
    """The console's writes for one signed-in user."""

    def __init__(self, service: LedgerService, user: str) -> None:
        self.service = service
        self.user = user

    def _run(self, fn: Callable[[Session, datetime], T]) -> T:
        return self.service.db.run_write(lambda session: fn(session, self.service.clock()))

    def _log(
        self, session: Session, now: datetime, action: str, target: str, **change: Any
    ) -> None:
        actions.record(
            session, now, self.user, action, target, change.get("before"), change.get("after")
        )

    # --- orders ----------------------------------------------------------------------------

    def transition(self, order_id: str, action: str, reason: str | None = None) -> Order:
        def run(session: Session, now: datetime) -> Order:
            found = session.get(Order, order_id)
            before = {"status": found.status} if found is not None else None
            order = orders.transition(session, order_id, action, now, reason)
            after: dict[str, Any] = {"status": order.status}
            if reason:
                after["reason"] = reason
            self._log(session, now, f"order.{action}", order_id, before=before, after=after)
            return order

        return self._run(run)

    def approve_many(self, order_ids: list[str]) -> int:
        """Approve every pending order of the list in one transaction; returns how many."""

        def run(session: Session, now: datetime) -> int:
            done = 0
            for order_id in order_ids:
                found = session.get(Order, order_id)
                if found is None or found.status != OrderStatus.PENDING.value:
                    continue
                orders.transition(session, order_id, "approve", now)
                self._log(
                    session, now, "order.approve", order_id,
                    before={"status": "pending"}, after={"status": "approved"},
                )  # fmt: skip
                done += 1
            return done

        return self._run(run)

    # --- people ----------------------------------------------------------------------------

    def adjust(self, employee_id: str, points: int, reason: str) -> None:
        request = adjustments.AdjustmentIn(
            adjustment_id=f"console-{uuid.uuid4()}",
            employee_id=employee_id,
            points=points,
            reason=reason,
        )

        def run(session: Session, now: datetime) -> None:
            adjustments.adjust(session, request, now)
            self._log(
                session, now, "employee.adjust", employee_id,
                after={"points": points, "reason": reason},
            )  # fmt: skip

        self._run(run)

    def issue_badge(self, employee_id: str, kind: str, uid: str | None = None) -> str:
        def run(session: Session, now: datetime) -> str:
            badge, _payload = people.issue_badge(
                session, employee_id, kind, now, self.service.badge_key, uid
            )
            after = {"serial": badge.serial, "kind": kind, "uid": badge.uid}
            self._log(session, now, "badge.issue", employee_id, after=after)
            return badge.serial

        return self._run(run)

    def revoke_badge(self, serial: str) -> None:
        def run(session: Session, now: datetime) -> None:
            badge = people.revoke_badge(session, serial, now)
            self._log(
                session, now, "badge.revoke", badge.employee_id,
                before={"serial": serial}, after={"serial": serial, "revoked": True},
            )  # fmt: skip

        self._run(run)

    # --- rules, events, catalogue -----------------------------------------------------------

    def put_rule(self, kind: str, spec: rules.RuleSpec) -> None:
        def run(session: Session, now: datetime) -> None:
            old = session.get(Rule, kind)
            before = rule_out(old).model_dump(mode="json") if old is not None else None
            rule = rules.put_rule(session, kind, spec, now)
            after = rule_out(rule).model_dump(mode="json")
            self._log(session, now, "rule.save", kind, before=before, after=after)

        self._run(run)

    def import_events(self, events: list[rules.EventIn], source: str) -> rules.EventOutcome:
        def run(session: Session, now: datetime) -> rules.EventOutcome:
            outcome = rules.ingest_events(session, events, now)
            after = {
                "rows": len(events),
                "accepted": outcome.accepted,
                "duplicates": outcome.duplicates,
                "rejected": len(outcome.rejected),
            }
            self._log(session, now, "events.import", source, after=after)
            return outcome

        return self._run(run)

    def put_item(self, item_id: str, spec: catalogue.ItemSpec, image: bytes | None) -> None:
        def run(session: Session, now: datetime) -> None:
            old = session.get(Item, item_id)
            before = item_out(old).model_dump(mode="json") if old is not None else None
            item = catalogue.put_item(session, item_id, spec, now)
            if image is not None:
                item = catalogue.put_image(session, item_id, image, now)
            after = item_out(item).model_dump(mode="json")
            self._log(session, now, "item.save", item_id, before=before, after=after)

        self._run(run)

    # --- users and kiosks (admin) -----------------------------------------------------------

    def create_user(self, name: str, role: users.ConsoleRole, password: str) -> None:
        def run(session: Session, now: datetime) -> None:
            users.create_user(session, name, role, password, now)
            self._log(session, now, "user.create", name, after={"role": role.value})

        self._run(run)

    def set_user_disabled(self, user_id: int, disabled: bool) -> None:
        def run(session: Session, now: datetime) -> None:
            user = users.set_disabled(session, user_id, disabled, now)
            action = "user.disable" if disabled else "user.enable"
            self._log(session, now, action, user.name, after={"disabled": disabled})

        self._run(run)

    def revoke_device(self, device_id: str) -> None:
        def run(session: Session, now: datetime) -> None:
            device = access.revoke_device(session, device_id, now)
            self._log(session, now, "device.revoke", f"{device.name} ({device_id})")

        self._run(run)
        self.service.forget_callers()

    def enroll_code(self) -> str:
        def run(session: Session, now: datetime) -> str:
            code = access.create_enroll_code(session, now)
            self._log(session, now, "device.enroll_code", "")
            return code

        return self._run(run)

    def create_token(self, role: access.Role, name: str) -> str:
        """A new API token for a script or system; its value is shown once."""

        def run(session: Session, now: datetime) -> str:
            token = access.create_token(session, role, now, name=name)
            self._log(session, now, "token.create", name, after={"role": role.value})
            return token

        return self._run(run)

    def revoke_token(self, token_id: int) -> None:
        def run(session: Session, now: datetime) -> None:
            row = access.revoke_token(session, token_id, now)
            self._log(session, now, "token.revoke", f"{row.name} ({row.role})")

        self._run(run)
        self.service.forget_callers()
