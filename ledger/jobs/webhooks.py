"""The webhook job: deliveries for new events, then a POST of each that may go now."""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import requests

from ledger.domain.webhooks import EVENT_ID_HEADER, SIGNATURE_HEADER, sign
from ledger.service import LedgerService
from ledger.service.webhooks import Outgoing
from sync.version import __version__

# Endpoints served at once; one endpoint's deliveries go one after another, in order.
PARALLEL_ENDPOINTS = 4
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
ROUNDS_PER_RUN = 20  # a run keeps sending while there is more, up to this many pages


def signed_post(
    http: requests.Session, url: str, secret: str, event_id: str, body: bytes
) -> tuple[int | None, str]:
    """One POST signed with ``secret``; the HTTP status, or None and what went wrong.

    Redirects are not followed: a receiver's address is the one an admin set.
    """
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"points-ledger/{__version__}",
        EVENT_ID_HEADER: event_id,
        SIGNATURE_HEADER: sign(secret, int(time.time()), body),
    }
    try:
        response = http.post(
            url, data=body, headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False,
        )  # fmt: skip
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"
    response.close()
    return response.status_code, "" if response.ok else f"HTTP {response.status_code}"


def post(http: requests.Session, outgoing: Outgoing) -> tuple[int | None, str]:
    """One delivery, signed with its endpoint's secret."""
    return signed_post(http, outgoing.url, outgoing.secret, outgoing.event_id, outgoing.body)


def _send_endpoint(service: LedgerService, batch: list[Outgoing]) -> tuple[int, int]:
    """An endpoint's deliveries in order; stops at its first failure (it is likely down).

    The outcomes are recorded together after the batch: a crash in between sends some again,
    which at-least-once allows (the receiver knows them by their event id).
    """
    outcomes: list[tuple[int, int | None, str]] = []
    with requests.Session() as http:
        for outgoing in batch:
            status, error = post(http, outgoing)
            outcomes.append((outgoing.delivery_id, status, error))
            if status is None or not 200 <= status < 300:
                break
    service.record_webhook_attempts(outcomes)
    failed = sum(1 for _id, status, _e in outcomes if status is None or not 200 <= status < 300)
    return len(outcomes) - failed, failed


def deliver(service: LedgerService) -> dict[str, object]:
    """The job: fan out new events, then send what may go, until nothing more can."""
    made = service.fan_out_webhooks()
    sent = failed = 0
    with ThreadPoolExecutor(PARALLEL_ENDPOINTS, thread_name_prefix="webhook") as pool:
        for _ in range(ROUNDS_PER_RUN):
            ready = service.sendable_deliveries()
            if not ready:
                break
            by_endpoint: dict[int, list[Outgoing]] = defaultdict(list)
            for outgoing in ready:
                by_endpoint[outgoing.endpoint_id].append(outgoing)
            results = list(pool.map(lambda b: _send_endpoint(service, b), by_endpoint.values()))
            sent += sum(r[0] for r in results)
            failed += sum(r[1] for r in results)
            if sum(r[0] for r in results) == 0:
                break  # only failures this round: their retries come later
            made += service.fan_out_webhooks()
    return {"new": made, "sent": sent, "failed_attempts": failed}
