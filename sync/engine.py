"""The kiosk's sync engine: push the outbox, then pull changes, then say hello.

The engine knows the protocol and the order of things; the kiosk's local store sits behind
the ``SyncStore`` protocol, so this module imports nothing from ``kiosk`` (imports point
``kiosk → sync``).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from sync.client import AuthError, CursorExpired, LedgerClient, Refused, TransientError
from sync.protocol import Heartbeat, OrderOut, SyncPage
from sync.status import SyncStatus

log = logging.getLogger(__name__)


class OutboxKind(StrEnum):
    """What an outbox item asks of the ledger (the kiosk stores these values)."""

    ORDER = "order"
    CANCEL = "cancel"
    LANGUAGE = "language"  # a worker's language preference
    READ = "read"  # a worker's "got it" on their inbox messages


@dataclass(frozen=True)
class OutboxItem:
    """One thing waiting to reach the ledger, in the order it was written."""

    id: int
    kind: OutboxKind
    order_id: str
    body: str
    attempts: int = 0


class SyncStore(Protocol):
    """What the engine needs from the kiosk's local store. Every method is one transaction."""

    def sync_position(self) -> tuple[str | None, str | None]:
        """(cursor, epoch) as last saved; ``(None, None)`` before the first snapshot."""
        ...

    def pending_outbox(self) -> list[OutboxItem]:
        """Items not yet delivered or refused, oldest first."""
        ...

    def mark_delivered(self, item: OutboxItem, order: OrderOut | None) -> None: ...

    def mark_rejected(self, item: OutboxItem, code: str, message: str) -> None: ...

    def mark_retry(self, item: OutboxItem, error: str) -> None: ...

    def delivered_unsettled(self) -> list[int]:
        """Delivered items whose effect on balances the mirror may not show yet."""
        ...

    def apply_page(self, page: SyncPage, settle: Sequence[int]) -> int:
        """Apply one page and save its cursor in the same transaction.

        ``settle`` is given with the last page of a pull. Returns how many delivered orders
        were queued again because a finished snapshot does not hold them (a restored ledger).
        """
        ...

    def begin_snapshot(self) -> None:
        """Forget the cursor; the next pull is a full snapshot that replaces the mirror."""
        ...

    def record_success(self, at: datetime) -> None: ...

    def record_failure(self, message: str, at: datetime) -> None: ...

    def heartbeat(self) -> Heartbeat: ...

    def missing_images(self) -> list[tuple[str, str]]:
        """(item id, sha256) of catalogue pictures not cached yet."""
        ...

    def save_image(self, sha256: str, content_type: str, data: bytes) -> None: ...


@dataclass
class SyncReport:
    """What one pass did; printed by ``kiosk sync --once``."""

    created: int = 0
    duplicates: int = 0
    rejected: int = 0
    retry: int = 0
    pages: int = 0
    rows: int = 0
    requeued: int = 0
    images: int = 0
    resnapshot: bool = False
    pulled: bool = False
    error: str | None = None
    disabled: bool = False
    rejections: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.retry == 0


def backoff_delay(failures: int, base: float = 1.0, cap: float = 60.0) -> float:
    """Exponential backoff with jitter: a random delay in [½, 1] × min(cap, base·2ⁿ)."""
    ceiling = min(cap, base * 2 ** max(0, failures - 1))
    return random.uniform(ceiling / 2, ceiling)


class SyncEngine:
    """One pass at a time: push, pull (to the end), images, heartbeat."""

    MAX_RESNAPSHOTS = 2

    def __init__(
        self,
        client: LedgerClient,
        store: SyncStore,
        status: SyncStatus | None = None,
        *,
        page_size: int = 1000,
        max_backoff: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.store = store
        self.status = status or SyncStatus()
        self.page_size = page_size
        self.max_backoff = max_backoff
        self.clock = clock
        self.monotonic = monotonic
        # Items whose last try met a server error wait here (id → monotonic time) so one bad
        # item does not hold the queue; a network error stops the whole pass instead.
        self._not_before: dict[int, float] = {}
        self._lock = threading.Lock()

    def next_item_due(self) -> float | None:
        """Seconds until the earliest item in per-item backoff is due, if any."""
        if not self._not_before:
            return None
        return max(0.0, min(self._not_before.values()) - time.monotonic())

    def run_once(self) -> SyncReport:
        """One full pass. Never raises for network or server trouble: it is in the report."""
        with self._lock:
            report = SyncReport()
            self.status.update(syncing=True)
            try:
                self._push(report)
                if report.error is None:
                    self._pull(report)
                    if report.requeued:
                        self._push(report)
                    self._fetch_images(report)
            except AuthError as exc:
                report.error = f"device not accepted by the ledger: {exc.message}"
                report.disabled = True
            except TransientError as exc:
                report.error = exc.message
            self._finish(report)
            if report.error is None:
                # After _finish, so the ledger hears about the sync that just succeeded.
                try:
                    self.client.heartbeat(self.store.heartbeat())
                except (TransientError, AuthError) as exc:
                    log.info("heartbeat not delivered: %s", exc.message)
            return report

    # --- push ----------------------------------------------------------------------------

    def _push(self, report: SyncReport) -> None:
        # Scheduling runs on real time; ``self.monotonic`` is the clock the kiosk's offline
        # policy reads, which tests move by hand.
        now = time.monotonic()
        blocked: set[str] = set()  # orders not delivered yet: their cancels must wait
        for item in self.store.pending_outbox():
            due = self._not_before.get(item.id)
            if item.kind is OutboxKind.CANCEL and item.order_id in blocked:
                continue
            if due is not None and due > now:
                blocked.add(item.order_id)
                report.retry += 1
                continue
            try:
                if item.kind is OutboxKind.ORDER:
                    outcome = self.client.push_order(item.body)
                    self.store.mark_delivered(item, outcome.order)
                    if outcome.created:
                        report.created += 1
                    else:
                        report.duplicates += 1
                elif item.kind is OutboxKind.LANGUAGE:
                    self.client.set_language(item.body)
                    self.store.mark_delivered(item, None)
                elif item.kind is OutboxKind.READ:
                    self.client.mark_messages_read(item.body)
                    self.store.mark_delivered(item, None)
                else:
                    cancelled = self.client.cancel_order(item.order_id, item.body)
                    self.store.mark_delivered(item, cancelled)
                    report.created += 1
                self._not_before.pop(item.id, None)
            except Refused as exc:
                self.store.mark_rejected(item, exc.code or "refused", exc.message)
                self._not_before.pop(item.id, None)
                report.rejected += 1
                report.rejections.append((item.order_id, exc.code))
            except TransientError as exc:
                self.store.mark_retry(item, exc.message)
                report.retry += 1
                if exc.status is None:
                    # Not reachable: nothing behind this item would get through either.
                    report.error = exc.message
                    return
                delay = backoff_delay(item.attempts + 1, cap=self.max_backoff)
                self._not_before[item.id] = now + delay
                blocked.add(item.order_id)

    # --- pull ----------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        settle = self.store.delivered_unsettled()
        cursor, epoch = self.store.sync_position()
        resnapshots = 0
        # The next page is fetched while this one is written: the ledger and the kiosk's
        # disk work at the same time, which nearly halves a full snapshot.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-pull") as ahead:
            pending: Future[SyncPage] = ahead.submit(self.client.pull, cursor, self.page_size)
            while True:
                try:
                    page: SyncPage | None = pending.result()
                except CursorExpired:
                    page = None
                if page is None or (epoch is not None and page.epoch != epoch):
                    # The ledger forgot our cursor or was restored from a backup.
                    resnapshots += 1
                    if resnapshots > self.MAX_RESNAPSHOTS:
                        raise TransientError("the ledger keeps changing its epoch; try later")
                    self.store.begin_snapshot()
                    report.resnapshot = True
                    cursor, epoch = None, None
                    pending = ahead.submit(self.client.pull, None, self.page_size)
                    continue
                last = not page.has_more
                if not last:
                    pending = ahead.submit(self.client.pull, page.cursor, self.page_size)
                try:
                    report.requeued += self.store.apply_page(page, settle if last else ())
                except BaseException:
                    if not last:
                        pending.cancel()
                    raise
                report.pages += 1
                report.rows += sum(
                    len(rows)
                    for rows in (
                        page.employees,
                        page.badges,
                        page.entries,
                        page.lots,
                        page.items,
                        page.rules,
                        page.orders,
                        page.messages,
                    )
                )
                cursor, epoch = page.cursor, page.epoch
                if last:
                    report.pulled = True
                    return

    def _fetch_images(self, report: SyncReport) -> None:
        import hashlib

        for item_id, sha in self.store.missing_images():
            try:
                content_type, data = self.client.item_image(item_id)
            except Refused:
                continue  # the item lost its picture since the page was built
            except TransientError as exc:
                # Pictures are not worth failing a good sync for; the next pass tries again.
                log.info("picture of %s not fetched: %s", item_id, exc.message)
                return
            if hashlib.sha256(data).hexdigest() != sha:
                continue  # changed again since; the next pull brings the new hash
            self.store.save_image(sha, content_type, data)
            report.images += 1

    def _finish(self, report: SyncReport) -> None:
        now = self.clock()
        backlog = len(self.store.pending_outbox())
        before = self.status.snapshot()
        if report.disabled:
            self.store.record_failure(report.error or "disabled", now)
            self.status.update(
                state="disabled", last_error=report.error, backlog=backlog, syncing=False
            )
        elif report.error is None and report.pulled:
            self.store.record_success(now)
            self.status.update(
                state="online",
                last_sync_at=now,
                offline_since=None,
                backlog=backlog,
                last_error=None,
                syncing=False,
                last_success_monotonic=self.monotonic(),
            )
        else:
            message = report.error or "some orders wait for a retry"
            self.store.record_failure(message, now)
            offline = report.error is not None
            self.status.update(
                state="offline" if offline else before.state,
                offline_since=(before.offline_since or now) if offline else before.offline_since,
                backlog=backlog,
                last_error=message,
                syncing=False,
            )


class SyncRunner:
    """Runs the engine on a background thread: every ``interval`` seconds, at once after
    ``wake()``, and after failures with backoff and jitter."""

    def __init__(self, engine: SyncEngine, interval: float = 30.0, max_backoff: float = 60.0):
        self.engine = engine
        self.interval = interval
        self.max_backoff = max_backoff
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_report: SyncReport | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="kiosk-sync", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Sync now (a new order is waiting, or the worker asked)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                report = self.engine.run_once()
            except Exception:  # a bug must not kill syncing for good; it is logged
                log.exception("sync pass failed")
                report = SyncReport(error="internal error; see the log")
            self.last_report = report
            if report.error is None:
                failures = 0
                delay = self.interval
            else:
                failures += 1
                delay = backoff_delay(failures, cap=self.max_backoff)
            due = self.engine.next_item_due()
            if due is not None:
                delay = min(delay, max(due, 0.05))
            self._wake.wait(delay)
            self._wake.clear()
