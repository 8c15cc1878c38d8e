"""Use cases of orders: placement by a kiosk, HR's workflow, a worker's cancel, an admin's
reversal of a fulfilled order."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ledger.domain import evidence, fulfilment, pins, placement
from ledger.domain import orders as order_rules
from ledger.domain.errors import Conflict, Forbidden, NotFound
from ledger.domain.evidence import Presence
from ledger.domain.kiosk_clock import check_kiosk_time
from ledger.domain.orders import OrderAction
from ledger.domain.placement import PlacedEvent
from ledger.domain.wallets import for_update, lock_wallet
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from ledger.service.events import ORDER_EVENTS, EventType, payload_json
from ledger.storage.fulfilment import FulfilmentKind
from ledger.storage.models import Order
from ledger.wire import order_out
from sync.protocol import ErrorCode, Evidence, OrderOut, OrderRequest, OrderStatus


def _placed_payload(request: OrderRequest, device_id: str | None) -> dict[str, Any]:
    """``order.placed``'s payload, the same on both databases."""
    return {
        "order_id": str(request.order_id),
        "employee_id": request.employee_id,
        "item_id": request.item_id,
        "quantity": request.quantity,
        "points": request.points,
        "device_id": device_id,
        "offline": request.offline,
        "placed_at": request.placed_at.isoformat(),
    }


def _placed_event(request: OrderRequest, device_id: str | None, actor: Actor) -> PlacedEvent:
    return PlacedEvent(
        id=str(uuid.uuid4()),
        type=EventType.ORDER_PLACED.value,
        actor=actor.label,
        payload=payload_json(_placed_payload(request, device_id)),
    )


# The longest reason an order keeps (the column's length).
MAX_REASON = 200

# Why a bulk change skipped an order that does not exist (any more), or whose item's code
# pool had no code left for it.
UNKNOWN = "unknown"
NO_CODE = "no_code"


@dataclass
class BulkOutcome:
    """What a bulk change did: the orders changed, and each skipped one with its state
    (``unknown`` when there is no such order)."""

    action: OrderAction
    done: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def skipped_by_state(self) -> dict[str, int]:
        """How many were skipped in each state, states in workflow order."""
        counts: dict[str, int] = {}
        for _order_id, state in self.skipped:
            counts[state] = counts.get(state, 0) + 1
        order = [s.value for s in OrderStatus] + [UNKNOWN, NO_CODE]
        return {state: counts[state] for state in order if state in counts}


class OrderCases(ServiceBase):
    def _order_actor(self, device_id: str | None) -> Actor:
        return Actor.device(device_id) if device_id else self.actor

    def presence(self, request: OrderRequest, device_id: str | None) -> Presence | None:
        """The verdict on a kiosk's evidence as far as it needs no rows (``None`` for an order
        not from a kiosk); the order's own statement checks the rows. Above the PIN
        threshold only a PIN token will do."""
        if device_id is None:
            return None
        pin_needed = request.points > self.current_settings().pin_threshold
        return evidence.assess(
            request.evidence, request.employee_id, self.badge_verifier(), pin_needed
        )

    def place_order(self, request: OrderRequest, device_id: str | None) -> placement.Placement:
        """Place an order from a blocking caller (CLI, demo seed, tests, the async path's
        SQLite twin); a kiosk's order must carry its worker's evidence."""
        check_kiosk_time("placed_at", request.placed_at, self.clock())
        tz = self.site_timezone()
        caps = self.current_caps()
        actor = self._order_actor(device_id)
        presence = self.presence(request, device_id)
        if not self.db.is_sqlite:
            event = _placed_event(request, device_id, actor)
            return self.db.run_statement(
                lambda conn: placement.place_order_in_postgres_blocking(
                    conn, request, self.clock(), device_id, tz, presence, event, caps
                )
            )

        def run(work: Work) -> placement.Placement:
            result = placement.place_order(
                work.session, request, work.now, device_id, tz, presence, caps
            )
            if result.created and result.refusal is None:
                payload = _placed_payload(request, device_id)
                work.announce(EventType.ORDER_PLACED, str(request.order_id), payload)
            return result

        return self.acting_as(actor)._run(run)

    async def place_order_async(
        self, request: OrderRequest, device_id: str | None
    ) -> placement.Placement:
        """Place an order from the event loop: on PostgreSQL one awaited statement."""
        check_kiosk_time("placed_at", request.placed_at, self.clock())
        if self.db.is_sqlite:
            return await asyncio.to_thread(self.place_order, request, device_id)
        cached = self._cached_timezone()
        tz = cached if cached is not None else await asyncio.to_thread(self.site_timezone)
        if self._cached_settings() is None or self._verifier[0] is None:
            await asyncio.to_thread(self.presence, request, device_id)  # fills both caches
        cached_caps = self._cached_caps()
        caps = (
            cached_caps if cached_caps is not None else await asyncio.to_thread(self.current_caps)
        )
        presence = self.presence(request, device_id)  # CPU only: a signature at most
        event = _placed_event(request, device_id, self._order_actor(device_id))
        return await self.db.run_statement_async(
            lambda conn: placement.place_order_in_postgres(
                conn, request, self.clock(), device_id, tz, presence, event, caps
            )
        )

    def transition(
        self, order_id: str, action: OrderAction | str, reason: str | None = None
    ) -> OrderOut:
        """HR's approve, fulfil or reject, or a cancel; logged and announced with the change."""
        chosen = OrderAction(action)
        if chosen is OrderAction.REVERSE:
            return self.reverse_order(order_id, reason or "")
        return self._run(lambda work: self._transition(work, order_id, chosen, reason))

    def reverse_order(self, order_id: str, reason: str) -> OrderOut:
        """An admin takes back a fulfilled order, with a reason: its points go back to the
        worker's lots as a rejection's do (an expired lot's share expires), its stock comes
        back, and the order ends ``reversed``; logged (``order.reverse``) and announced
        (``order.reversed``). Who may do it is the caller's check (admins only)."""
        reason = reason.replace("\x00", "").strip()
        if not reason:
            raise Conflict(ErrorCode.INVALID_REQUEST, "a reversal needs a reason", status=422)
        if len(reason) > MAX_REASON:
            raise Conflict(
                ErrorCode.INVALID_REQUEST,
                f"the reason may have at most {MAX_REASON} characters",
                status=422,
            )
        return self._run(lambda work: self._transition(work, order_id, OrderAction.REVERSE, reason))

    @staticmethod
    def _transition(work: Work, order_id: str, action: OrderAction, reason: str | None) -> OrderOut:
        found = work.session.get(Order, order_id)
        before = {"status": found.status} if found is not None else None
        # An approval fulfils by the item's kind (ledger/domain/fulfilment.py). A code is
        # taken first, before anything is written: none left refuses the approval whole.
        kind, code = FulfilmentKind.MANUAL, None
        if action is OrderAction.APPROVE and found is not None and found.status == "pending":
            kind = fulfilment.kind_of(work.session, found.item_id)
            if kind is FulfilmentKind.CODE_POOL:
                code = fulfilment.take_code(work.session, found.item_id)
        order = order_rules.transition(work.session, order_id, action, work.now, reason)
        after: dict[str, Any] = {"status": order.status}
        if reason:
            after["reason"] = reason
        work.log(f"order.{action.value}", order_id, before=before, after=after)
        out = order_out(order)
        work.announce(ORDER_EVENTS[action], order_id, out.model_dump(mode="json"))
        if code is not None:
            low = fulfilment.assign_code(work.session, code, order, work.now)
            work.log("order.code_assigned", order_id, after={"item_id": order.item_id})
            if low is not None:
                work.announce(EventType.CODE_POOL_LOW, low.item_id, low.payload())
            return OrderCases._transition(work, order_id, OrderAction.FULFIL, None)
        if kind is FulfilmentKind.EXTERNAL:
            fulfilment.queue_external(work.session, order, work.now)
        elif action in (OrderAction.FULFIL, OrderAction.REJECT):
            fulfilment.close_external(work.session, order_id)
        return out

    def cancel_order(
        self, order_id: str, device_id: str, shown: Evidence | None = None
    ) -> OrderOut:
        """A worker's cancel at a kiosk, the kiosk as actor: from the kiosk that placed the
        order, or from any kiosk with the worker's evidence; otherwise ``forbidden``."""
        with self.db.read() as session:
            order = session.get(Order, order_id)
            if order is None:
                raise NotFound(ErrorCode.UNKNOWN_ORDER, f"no order {order_id}")
            owner, placed_here = order.employee_id, order.device_id == device_id
            found = (
                evidence.NONE
                if placed_here
                else evidence.check(
                    session, shown, owner, self.badge_verifier(), device_id, self.clock()
                )
            )
        if not placed_here and not found.valid:
            raise Forbidden(
                ErrorCode.EVIDENCE_INVALID,
                "another kiosk's order: cancel it with the worker's badge or card",
            )

        def run(work: Work) -> OrderOut:
            if found.pin_token_hash is not None and not pins.spend_token_hash(
                work.session, found.pin_token_hash, owner, device_id, work.now
            ):
                raise Forbidden(ErrorCode.EVIDENCE_INVALID, "the PIN token is used or expired")
            return self._transition(work, order_id, OrderAction.CANCEL, None)

        return self.acting_as(Actor.device(device_id))._run(run)

    def approve_many(self, order_ids: list[str]) -> int:
        """Approve every pending order of the list in one transaction; returns how many."""
        return len(self.change_many(order_ids, OrderAction.APPROVE).done)

    def fulfil_many(self, order_ids: list[str]) -> BulkOutcome:
        """Fulfil every approved order of the list in one transaction; the rest are skipped."""
        return self.change_many(order_ids, OrderAction.FULFIL)

    def reject_many(self, order_ids: list[str], reason: str) -> BulkOutcome:
        """Reject every open order of the list with one reason, each refunded, in one
        transaction; the rest are skipped."""
        if not reason.strip():
            raise Conflict(ErrorCode.INVALID_REQUEST, "a rejection needs a reason", status=422)
        return self.change_many(order_ids, OrderAction.REJECT, reason.strip())

    def change_many(
        self, order_ids: list[str], action: OrderAction, reason: str | None = None
    ) -> BulkOutcome:
        """HR's action on many orders at once: each order that may take it is changed,
        logged and announced exactly as alone; the others (already done, closed, unknown)
        are skipped, so posting the same list again changes nothing."""
        wanted = sorted(set(order_ids))

        def run(work: Work) -> BulkOutcome:
            outcome = BulkOutcome(action)
            owners = {
                order_id: employee_id
                for order_id, employee_id in work.session.execute(
                    select(Order.id, Order.employee_id).where(Order.id.in_(wanted))
                )
            }
            outcome.skipped.extend((i, UNKNOWN) for i in wanted if i not in owners)
            # Wallets are locked in employee order, as every bulk change does, so two of
            # them at once cannot wait on each other's wallets.
            for order_id in sorted(owners, key=lambda i: (owners[i], i)):
                lock_wallet(work.session, owners[order_id])
                # Read under the lock: another change may have moved the order meanwhile.
                order = work.session.scalar(for_update(select(Order).where(Order.id == order_id)))
                assert order is not None
                if not order_rules.allows(action, order.status):
                    outcome.skipped.append((order_id, order.status))
                    continue
                try:
                    self._transition(work, order_id, action, reason)
                except Conflict as refused:
                    # Refused before it wrote anything: the others go on without it.
                    if refused.code is not ErrorCode.CODE_POOL_EMPTY:
                        raise
                    outcome.skipped.append((order_id, NO_CODE))
                    continue
                outcome.done.append(order_id)
            return outcome

        return self._run(run)

    def list_orders(self, status: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        with self.db.read() as session:
            query = select(Order).order_by(Order.created_at.desc()).limit(limit)
            if status:
                query = query.where(Order.status == status)
            return [order_out(o).model_dump(mode="json") for o in session.scalars(query)]
