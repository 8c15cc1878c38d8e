"""A worker's codes (code-pool rewards), asked of the ledger for their visit only.

Codes never come in the sync feed (every kiosk mirrors every order): the kiosk asks for the
worker in front of it, with the evidence they logged in with, and keeps the answer in memory
for the visit; it is never written to the store or the log. Offline there are none to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import ValidationError

from kiosk.order_states import CodesState
from sync.client import LedgerClient, LedgerError, Refused
from sync.protocol import CodesRequest, Evidence

# The refusal of a visit that has nothing to show the ledger (a PIN visit whose token an
# order has spent): no request is sent.
NO_EVIDENCE = "no_evidence"


@dataclass(frozen=True)
class CodesAnswer:
    """What the ledger said: order id → code when ``SHOWN``."""

    state: CodesState
    codes: Mapping[str, str] = field(default_factory=dict)
    refusal: str = ""  # the ledger's error code when ``REFUSED``


class CodeFetcher(Protocol):
    def __call__(self, employee_id: str, evidence: Evidence | None) -> CodesAnswer:
        """This worker's codes, or why there are none to show (never raises)."""
        ...


def no_codes(employee_id: str, evidence: Evidence | None) -> CodesAnswer:
    """The fetcher of a kiosk not enrolled yet."""
    return CodesAnswer(CodesState.UNAVAILABLE)


class LedgerCodeFetcher:
    """Asks the ledger on a client of its own (the sync thread keeps its own)."""

    def __init__(self, make_client: Callable[[], LedgerClient]) -> None:
        self.make_client = make_client

    def __call__(self, employee_id: str, evidence: Evidence | None) -> CodesAnswer:
        if evidence is None:
            return CodesAnswer(CodesState.REFUSED, refusal=NO_EVIDENCE)
        try:
            request = CodesRequest(employee_id=employee_id, evidence=evidence)
        except ValidationError:
            return CodesAnswer(CodesState.REFUSED, refusal=NO_EVIDENCE)
        client = self.make_client()
        try:
            found = client.worker_codes(request)
        except Refused as refused:
            return CodesAnswer(CodesState.REFUSED, refusal=refused.code or "refused")
        except LedgerError:
            return CodesAnswer(CodesState.UNAVAILABLE)  # offline or down: at a later visit
        finally:
            client.close()
        return CodesAnswer(CodesState.SHOWN, {c.order_id: c.code for c in found.codes})
