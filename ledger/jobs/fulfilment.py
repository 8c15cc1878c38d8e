"""The external fulfilment job: each approved order of an external item, POSTed, signed, to
its item's system; a 2xx fulfils the order, a failure is tried again with backoff."""

from __future__ import annotations

import random
import time

import requests

from ledger.domain.webhooks import EVENT_ID_HEADER, SIGNATURE_HEADER, sign
from ledger.jobs.webhooks import CONNECT_TIMEOUT, READ_TIMEOUT
from ledger.service import LedgerService
from ledger.service.fulfilment import ExternalCall
from ledger.storage.fulfilment import ExternalStatus
from sync.version import __version__


def call(http: requests.Session, outgoing: ExternalCall) -> tuple[int | None, str]:
    """One signed POST of an order; the HTTP status, or None and what went wrong."""
    if not outgoing.url:
        return None, "no external system set for this item"
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"points-ledger/{__version__}",
        EVENT_ID_HEADER: outgoing.order_id,
        SIGNATURE_HEADER: sign(outgoing.secret, int(time.time()), outgoing.body),
    }
    try:
        response = http.post(
            outgoing.url, data=outgoing.body, headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False,
        )  # fmt: skip
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"
    response.close()
    return response.status_code, "" if response.ok else f"HTTP {response.status_code}"


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
