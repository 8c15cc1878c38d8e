"""The kiosk's connection status, shared by the sync thread and the screens.

Kept apart from the engine so a screen can show it without loading the HTTP client.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, TypedDict, Unpack

log = logging.getLogger(__name__)

ConnectionState = Literal["online", "offline", "disabled", "unknown"]


@dataclass(frozen=True)
class StatusSnapshot:
    state: ConnectionState = "unknown"
    last_sync_at: datetime | None = None
    offline_since: datetime | None = None
    backlog: int = 0
    last_error: str | None = None
    syncing: bool = False
    # time.monotonic() of the last successful sync in this process, if any
    last_success_monotonic: float | None = None


class StatusChanges(TypedDict, total=False):
    """Fields of ``StatusSnapshot`` that ``SyncStatus.update`` may change, with their types."""

    state: ConnectionState
    last_sync_at: datetime | None
    offline_since: datetime | None
    backlog: int
    last_error: str | None
    syncing: bool
    last_success_monotonic: float | None


class SyncStatus:
    """Thread-safe connection status for the UI: poll ``snapshot()`` or ``subscribe``.

    Subscribers are called on the sync thread; a UI marshals the call to its own thread.
    """

    def __init__(self, initial: StatusSnapshot | None = None) -> None:
        self._lock = threading.Lock()
        self._value = initial or StatusSnapshot()
        self._subscribers: list[Callable[[StatusSnapshot], None]] = []

    def snapshot(self) -> StatusSnapshot:
        with self._lock:
            return self._value

    def subscribe(self, callback: Callable[[StatusSnapshot], None]) -> Callable[[], None]:
        """Call ``callback`` on every change; returns a function that unsubscribes."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def update(self, **changes: Unpack[StatusChanges]) -> StatusSnapshot:
        """Change some fields of the status and tell the subscribers; returns the new status."""
        with self._lock:
            self._value = replace(self._value, **changes)
            value, subscribers = self._value, list(self._subscribers)
        for callback in subscribers:
            try:
                callback(value)
            except Exception:  # a broken subscriber must not stop syncing
                log.exception("status subscriber failed")
        return value
