"""Sliding windows that bound how often one account or one client address may try to sign in.

Kept in process memory: each ledger worker process has its own windows, so with N worker
processes an address gets up to N times its limit. The lockout in the database still holds
across workers; these windows bound the hashing work and the probing of unknown names.

Memory is bounded: a window keeps at most ``limit`` instants per key and at most ``max_keys``
keys, dropping the least recently used key first (a flood of new keys can thus age out old
ones early, which only lets those keys try again sooner than their window says).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may go on; ``first_refusal`` marks the first one refused in a row."""

    admitted: bool
    first_refusal: bool = False


class SlidingWindow:
    """At most ``limit`` attempts per key within any span of ``span``."""

    def __init__(self, limit: int, span: timedelta, max_keys: int = 10_000) -> None:
        self.limit = limit
        self.span = span
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._refusing: set[str] = set()

    def admit(self, key: str, now: datetime) -> Verdict:
        """Count an attempt for ``key`` if the window has room; refuse it otherwise."""
        with self._lock:
            times = self._seen.pop(key, None) or deque()
            while times and times[0] <= now - self.span:
                times.popleft()
            self._seen[key] = times  # now the most recently used
            if len(times) >= self.limit:
                first = key not in self._refusing
                self._refusing.add(key)
                return Verdict(False, first)
            times.append(now)
            self._refusing.discard(key)
            while len(self._seen) > self.max_keys:
                old, _ = self._seen.popitem(last=False)
                self._refusing.discard(old)
            return Verdict(True)

    def give_back(self, key: str) -> None:
        """Take back the last attempt counted for ``key`` (it turned out to be legitimate)."""
        with self._lock:
            times = self._seen.get(key)
            if times:
                times.pop()

    def keys(self) -> int:
        """How many keys are kept (for tests of the memory bound)."""
        with self._lock:
            return len(self._seen)


class SignInThrottle:
    """The sign-in windows: per account name and per client address."""

    def __init__(
        self,
        per_account: int = 10,
        per_address: int = 30,
        span: timedelta = timedelta(minutes=15),
        max_keys: int = 10_000,
    ) -> None:
        self.accounts = SlidingWindow(per_account, span, max_keys)
        self.addresses = SlidingWindow(per_address, span, max_keys)

    def admit(self, name: str, address: str, now: datetime) -> Verdict:
        """Count a sign-in attempt against both windows; refused when either is full."""
        by_address = self.addresses.admit(address, now)
        if not by_address.admitted:
            return by_address
        by_account = self.accounts.admit(name.casefold(), now)
        if not by_account.admitted:
            self.addresses.give_back(address)
        return by_account

    def succeeded(self, name: str, address: str) -> None:
        """A right password: its attempt does not count against the account or the address."""
        self.accounts.give_back(name.casefold())
        self.addresses.give_back(address)
