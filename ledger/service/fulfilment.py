"""Use cases of fulfilment by kind of reward: code pools and external systems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ledger.domain import evidence
from ledger.domain import fulfilment as rules
from ledger.domain.errors import Forbidden, LedgerError, NotFound
from ledger.domain.orders import OrderAction
from ledger.domain.webhooks import ERROR_LENGTH, check_url, envelope, new_secret, retry_delay
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from ledger.service.orders import OrderCases
from ledger.storage.fulfilment import ExternalFulfilment, ExternalStatus, PoolCode
from ledger.storage.models import Item, Order
from ledger.wire import order_out
from sync.protocol import ErrorCode, Evidence, OrderStatus

# An external system gets this many tries (10 s doubling: about ten minutes in all); then
# the order stays approved, HR is told (``fulfilment.failed``) and may send it again.
EXTERNAL_ATTEMPTS = 6
# The envelope's ``type`` of an external fulfilment call.
FULFILMENT_REQUEST = "order.fulfilment_requested"


@dataclass(frozen=True)
class ExternalCall:
    """One order to send to its item's external system."""

    order_id: str
    item_id: str
    url: str | None
    secret: str
    body: bytes


@dataclass(frozen=True)
class WorkerCode:
    order_id: str
    item_id: str
    code: str


class FulfilmentCases(ServiceBase):
    # --- code pools ---------------------------------------------------------------------

    def add_codes(self, item_id: str, *texts: str) -> rules.Upload:
        """HR's upload of codes for an item: pastes or text/CSV files, one code a line."""
        return self.add_code_list(item_id, [c for t in texts for c in rules.split_codes(t)])

    def add_code_list(self, item_id: str, given: list[str]) -> rules.Upload:
        """Codes added to an item's pool, encrypted; codes already in a pool are skipped."""
        cipher = self.code_cipher()
        codes = rules.clean_codes(given)

        def run(work: Work) -> rules.Upload:
            upload = rules.add_codes(
                work.session, item_id, codes, cipher, work.now, self.actor.label
            )
            after = {"added": upload.added, "duplicates": upload.duplicates,
                     "remaining": upload.remaining}  # fmt: skip
            work.log("item.codes_add", item_id, after=after)
            return upload

        return self._run(run)

    def pool_counts(self, item_id: str) -> rules.PoolCounts:
        with self.db.read() as session:
            return rules.pool_counts(session, item_id)

    def fulfilment_of(self, item_id: str) -> dict[str, Any]:
        """An item's fulfilment as HR sees it (never the external secret)."""
        with self.db.read() as session:
            item = session.get(Item, item_id)
            if item is None:
                raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {item_id}")
            counts = rules.pool_counts(session, item_id)
            return {
                "item_id": item_id,
                "fulfilment": item.fulfilment,
                "pool_threshold": item.pool_threshold,
                "codes_remaining": counts.remaining,
                "codes_used": counts.used,
                "external_url": item.external_url,
                "external_secret_set": bool(item.external_secret),
            }

    def order_has_code(self, order_id: str) -> bool:
        with self.db.read() as session:
            return rules.code_of(session, order_id) is not None

    def reveal_code(self, order_id: str) -> str:
        """An order's code for HR, on an explicit request: the action log says who saw it."""
        cipher = self.code_cipher()

        def run(work: Work) -> str:
            code = rules.code_of(work.session, order_id)
            if code is None:
                raise NotFound(ErrorCode.NO_CODE, f"order {order_id} has no code")
            work.log("order.code_shown", order_id, after={"item_id": code.item_id})
            return cipher.decrypt(code.ciphertext)

        return self._run(run)

    def worker_codes(
        self, device_id: str, employee_id: str, shown: Evidence | None
    ) -> list[WorkerCode]:
        """A worker's codes, for the kiosk they stand at: only with their evidence (badge,
        card or a PIN token this kiosk got for them; reading spends no token)."""
        cipher = self.code_cipher()
        with self.db.read() as session:
            found = evidence.check(
                session, shown, employee_id, self.badge_verifier(), device_id, self.clock()
            )
            if not found.valid:
                raise Forbidden(ErrorCode.EVIDENCE_INVALID, "codes need the worker's badge")
            rows = session.execute(
                select(PoolCode.order_id, PoolCode.item_id, PoolCode.ciphertext)
                .join(Order, Order.id == PoolCode.order_id)
                .where(Order.employee_id == employee_id)
                .order_by(PoolCode.assigned_at.desc())
                .limit(200)
            ).all()
        return [WorkerCode(str(o), i, cipher.decrypt(c)) for o, i, c in rows]

    # --- external systems ---------------------------------------------------------------

    def set_external_endpoint(
        self, item_id: str, url: str | None, secret: str | None = None
    ) -> str | None:
        """An admin sets (or, with no URL, clears) an item's external system; returns the
        signing secret when a new one was made (shown once), else ``None``."""
        checked = check_url(url) if url else None
        made = new_secret() if checked and not secret else None

        def run(work: Work) -> str | None:
            item = work.session.get(Item, item_id)
            if item is None:
                raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {item_id}")
            before = {"external_url": item.external_url}
            item.external_url = checked
            if checked is None:
                item.external_secret = None
            elif secret or made:
                item.external_secret = secret or made
            after = {"external_url": checked, "secret_changed": bool(secret or made)}
            work.log("item.external", item_id, before=before, after=after)
            return made

        return self._run(run)

    def due_external_calls(self, limit: int = 50) -> list[ExternalCall]:
        """Approved orders of external items whose call is due, oldest first."""
        now = self.clock()
        with self.db.read() as session:
            rows = session.execute(
                select(ExternalFulfilment, Order, Item)
                .join(Order, Order.id == ExternalFulfilment.order_id)
                .join(Item, Item.id == ExternalFulfilment.item_id)
                .where(
                    ExternalFulfilment.status == ExternalStatus.PENDING.value,
                    ExternalFulfilment.next_attempt_at <= now,
                    Order.status == OrderStatus.APPROVED.value,
                )
                .order_by(ExternalFulfilment.next_attempt_at, ExternalFulfilment.order_id)
                .limit(limit)
            ).all()
            calls = []
            for due, order, item in rows:
                data = order_out(order).model_dump(mode="json")
                data["item"] = {"id": item.id, "title": {"zh": item.title_zh, "en": item.title_en},
                                "category": item.category}  # fmt: skip
                calls.append(
                    ExternalCall(
                        order_id=due.order_id,
                        item_id=due.item_id,
                        url=item.external_url,
                        secret=item.external_secret or "",
                        body=envelope(order.id, FULFILMENT_REQUEST, due.created_at, data),
                    )
                )
            return calls

    def record_external_call(
        self,
        order_id: str,
        status: int | None,
        error: str,
        jitter: Callable[[], float] = lambda: 0.5,
    ) -> str:
        """The outcome of one call: a 2xx fulfils the order (this service's actor, a system
        job, is its actor); a failure is tried again later, and after
        :data:`EXTERNAL_ATTEMPTS` the order stays approved and HR is told. Returns the
        row's status after."""

        def run(work: Work) -> str:
            due = work.session.get(ExternalFulfilment, order_id, with_for_update=True)
            if due is None or due.status != ExternalStatus.PENDING.value:
                return due.status if due is not None else ExternalStatus.CLOSED.value
            order = work.session.get(Order, order_id)
            assert order is not None
            if order.status != OrderStatus.APPROVED.value:
                due.status = ExternalStatus.CLOSED.value  # rejected or fulfilled meanwhile
                return due.status
            due.attempts += 1
            due.last_attempt_at = work.now
            due.last_status = status
            if status is not None and 200 <= status < 300:
                OrderCases._transition(work, order_id, OrderAction.FULFIL, None)
                due.status = ExternalStatus.DONE.value
                due.done_at = work.now
                due.last_error = ""
                return due.status
            due.last_error = (error or f"HTTP {status}")[:ERROR_LENGTH]
            if due.attempts < EXTERNAL_ATTEMPTS:
                due.next_attempt_at = work.now + retry_delay(due.attempts, jitter)
                return due.status
            due.status = ExternalStatus.FAILED.value
            payload = {"order_id": order_id, "item_id": due.item_id, "error": due.last_error}
            work.log("order.fulfilment_failed", order_id, after=payload)
            work.announce(EventType.FULFILMENT_FAILED, order_id, payload)
            return due.status

        return self._run(run)

    def retry_external(self, order_id: str) -> None:
        """HR's "send again" of a failed (or waiting) external fulfilment: at once."""

        def run(work: Work) -> None:
            due = work.session.get(ExternalFulfilment, order_id, with_for_update=True)
            if due is None or due.status not in (
                ExternalStatus.FAILED.value,
                ExternalStatus.PENDING.value,
            ):
                raise LedgerError(
                    ErrorCode.INVALID_TRANSITION, "no external fulfilment to send again"
                )
            before = {"status": due.status, "attempts": due.attempts}
            due.status = ExternalStatus.PENDING.value
            due.attempts = 0
            due.next_attempt_at = work.now
            work.log("order.fulfilment_retry", order_id, before=before)

        self._run(run)

    def external_state(self, order_id: str) -> dict[str, Any] | None:
        """Where an order's external fulfilment stands (for the order page), or ``None``."""
        with self.db.read() as session:
            due = session.get(ExternalFulfilment, order_id)
            if due is None:
                return None
            return {
                "status": due.status,
                "attempts": due.attempts,
                "last_error": due.last_error,
                "last_attempt_at": due.last_attempt_at,
                "next_attempt_at": due.next_attempt_at,
            }
