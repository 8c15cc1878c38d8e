"""A worker's codes (code-pool rewards), asked of the ledger for their visit only.

Codes never come in the sync feed (every kiosk mirrors every order): the kiosk asks for the
worker in front of it, with the evidence they logged in with, and keeps the answer in memory
for the visit; it is never written to the store or the log. Offline there are none to show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pydantic import ValidationError

from sync.client import LedgerClient, LedgerError
from sync.protocol import CodesRequest, Evidence


class CodeFetcher(Protocol):
    def __call__(self, employee_id: str, evidence: Evidence | None) -> dict[str, str]:
        """Order id → code for this worker; empty when the ledger cannot be asked."""
        ...


def no_codes(employee_id: str, evidence: Evidence | None) -> dict[str, str]:
    """The fetcher of a kiosk not enrolled yet."""
    return {}


class LedgerCodeFetcher:
    """Asks the ledger on a client of its own (the sync thread keeps its own)."""

    def __init__(self, make_client: Callable[[], LedgerClient]) -> None:
        self.make_client = make_client

    def __call__(self, employee_id: str, evidence: Evidence | None) -> dict[str, str]:
        if evidence is None:
            return {}
        try:
            request = CodesRequest(employee_id=employee_id, evidence=evidence)
        except ValidationError:
            return {}
        client = self.make_client()
        try:
            found = client.worker_codes(request)
        except LedgerError:
            return {}  # offline, refused or down: the codes show at a later visit
        finally:
            client.close()
        return {c.order_id: c.code for c in found.codes}
