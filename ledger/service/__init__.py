"""The ledger's one use-case layer.

Every write — HTTP API, HR console, CLI, demo seed, jobs — is one method here: it runs the
domain functions under its actor, writes its action-log line and its domain events, and
commits once. HTTP handlers, console pages and CLI commands only translate to and from these.
The domain functions below never commit.
"""

from __future__ import annotations

from typing import Any

import pydantic_core

from ledger.domain.audit import AuditReport, run_audit
from ledger.feed import build_page, parse_cursor
from ledger.service.actors import Actor, ActorKind
from ledger.service.admin import AdminCases
from ledger.service.base import ServiceBase, utc_now
from ledger.service.catalogue import CatalogueCases
from ledger.service.connectors import ConnectorCases
from ledger.service.devices import BACKLOG_AFTER, STALE_AFTER, Caller, DeviceCases
from ledger.service.earning import EarningCases
from ledger.service.events import BATCH as EVENT_BATCH
from ledger.service.events import (
    EventType,
    PublishedEvent,
    events_after,
    has_unnumbered_events,
    number_events,
)
from ledger.service.fulfilment import FulfilmentCases
from ledger.service.imports import ImportCases
from ledger.service.inbox import InboxCases
from ledger.service.notifications import NotificationCases
from ledger.service.orders import OrderCases
from ledger.service.people import PeopleCases
from ledger.service.pins import PinCases
from ledger.service.roster import RosterCases
from ledger.service.webhooks import WebhookCases
from ledger.storage import changes
from ledger.storage.schema import get_meta
from sync.protocol import SyncPage

__all__ = [
    "BACKLOG_AFTER",
    "STALE_AFTER",
    "Actor",
    "ActorKind",
    "Caller",
    "EventType",
    "LedgerService",
    "utc_now",
]


class LedgerService(
    OrderCases,
    PeopleCases,
    PinCases,
    RosterCases,
    EarningCases,
    ImportCases,
    CatalogueCases,
    DeviceCases,
    AdminCases,
    WebhookCases,
    NotificationCases,
    FulfilmentCases,
    InboxCases,
    ConnectorCases,
    ServiceBase,
):
    """Use cases over one database, with the server clock and (optionally) the badge key."""

    # --- identity --------------------------------------------------------------------------

    def epoch(self) -> str:
        with self.db.read() as session:
            return get_meta(session, "epoch")

    def badge_public_key(self) -> str:
        with self.db.read() as session:
            return get_meta(session, "badge_public_key")

    # --- sync ------------------------------------------------------------------------------

    def number_changes(self) -> int:
        """Run the change sequencer if anything waits for a number; returns rows numbered."""
        with self.db.read() as session:
            if not changes.has_unnumbered(session):
                return 0
        total = 0
        while True:  # a run numbers at most BATCH rows a table
            numbered = self.db.run_write(changes.assign_change_numbers)
            total += numbered
            if numbered < changes.BATCH:
                return total

    def _page(self, cursor: str | None, limit: int) -> dict[str, Any]:
        position = parse_cursor(cursor)
        self.number_changes()
        with self.db.snapshot() as session:
            return build_page(session, position, limit, self.clock())

    def sync_page(self, cursor: str | None, limit: int) -> SyncPage:
        """One page of the sync feed after ``cursor``."""
        return SyncPage.model_validate(self._page(cursor, limit))

    def sync_page_json(self, cursor: str | None, limit: int) -> bytes:
        """The same page, serialised for the wire without building a model per row."""
        return pydantic_core.to_json(self._page(cursor, limit))

    # --- domain events ---------------------------------------------------------------------

    def events(
        self, after: int = 0, limit: int = 500, types: list[str] | None = None
    ) -> list[PublishedEvent]:
        """Domain events after a reader's cursor (a position), oldest first."""
        with self.db.read() as session:
            waiting = has_unnumbered_events(session)
        if waiting:
            while self.db.run_write(number_events) >= EVENT_BATCH:
                pass
        with self.db.read() as session:
            return events_after(session, after, limit, types)

    # --- audit -----------------------------------------------------------------------------

    def audit_report(self) -> AuditReport:
        """The ledger's invariants checked from the rows."""
        with self.db.snapshot() as session:
            return run_audit(session)
