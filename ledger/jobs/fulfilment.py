"""The external fulfilment job: each approved order of an external item, POSTed, signed, to
its item's system; a 2xx fulfils the order, a failure is tried again with backoff."""

from __future__ import annotations

import random

import requests

from ledger.jobs.webhooks import signed_post
from ledger.service import LedgerService
from ledger.service.fulfilment import ExternalCall
from ledger.storage.fulfilment import ExternalStatus


def call(http: requests.Session, outgoing: ExternalCall) -> tuple[int | None, str]:
    """One signed POST of an order (signed as webhooks are, the order id as the event id)."""
    if not outgoing.url:
        return None, "no external system set for this item"
    return signed_post(http, outgoing.url, outgoing.secret, outgoing.order_id, outgoing.body)


def fulfil_external(service: LedgerService) -> dict[str, object]:
    """The job: send every due call once; record each outcome in its own transaction."""
    done = retried = failed = 0
    with requests.Session() as http:
        for outgoing in service.due_external_calls():
            status, error = call(http, outgoing)
            after = service.record_external_call(outgoing.order_id, status, error, random.random)
            if after == ExternalStatus.DONE.value:
                done += 1
            elif after == ExternalStatus.FAILED.value:
                failed += 1
            elif after == ExternalStatus.PENDING.value:
                retried += 1
    return {"fulfilled": done, "retry_later": retried, "failed": failed}
