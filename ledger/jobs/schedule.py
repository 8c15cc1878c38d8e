"""The ledger's jobs: what each does and how often it is due."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ledger.service import LedgerService
from ledger.service.actors import Actor


@dataclass(frozen=True)
class JobSpec:
    """A job: ``run`` does the work as a system actor and returns its result as a dict.

    ``lease`` bounds how long a runner may hold it: a runner that dies mid-run loses the job
    to another after that, so every job must be safe to run twice.
    """

    name: str
    every: timedelta
    run: Callable[[LedgerService], dict[str, object]]
    lease: timedelta = timedelta(minutes=30)


def _expiry(service: LedgerService) -> dict[str, object]:
    result = service.acting_as(Actor.system("expiry")).run_expiry()
    return {"expired_points": result.expired_points, "lots": result.lots}


# Expiry is hourly although lots expire at the end of a day: a ledger started at any hour,
# or down at midnight, still expires them within the hour.
EXPIRY = JobSpec("expiry", timedelta(hours=1), _expiry)


def _webhooks(service: LedgerService) -> dict[str, object]:
    from ledger.jobs.webhooks import deliver  # requests, only where deliveries are made

    return deliver(service)


# Every few seconds: the lag from a change to its delivery is about this plus the send.
WEBHOOKS = JobSpec("webhooks", timedelta(seconds=2), _webhooks, lease=timedelta(minutes=10))


def _notify(service: LedgerService) -> dict[str, object]:
    from ledger.jobs.notifications import notify  # requests and smtplib, only where sent

    return notify(service)


def _notify_digest(service: LedgerService) -> dict[str, object]:
    from ledger.jobs.notifications import digests

    return digests(service)


def _notify_waiting(service: LedgerService) -> dict[str, object]:
    from ledger.jobs.notifications import waiting_orders

    return waiting_orders(service)


# HR's messages: made and sent every few seconds; new orders for those who chose a digest
# bundled hourly; the list of orders waiting too long looked for hourly, made once a day.
NOTIFY = JobSpec("notify", timedelta(seconds=5), _notify, lease=timedelta(minutes=10))
NOTIFY_DIGEST = JobSpec("notify-digest", timedelta(hours=1), _notify_digest)
NOTIFY_WAITING = JobSpec("notify-waiting", timedelta(hours=1), _notify_waiting)


def _fulfilment(service: LedgerService) -> dict[str, object]:
    from ledger.jobs.fulfilment import fulfil_external  # requests, only where calls are made

    return fulfil_external(service.acting_as(Actor.system("fulfilment")))


# Approved orders of external items go to their system within a few seconds.
FULFILMENT = JobSpec("fulfilment", timedelta(seconds=5), _fulfilment, lease=timedelta(minutes=10))


def _inbox(service: LedgerService) -> dict[str, object]:
    return {"messages": service.write_inbox()}


# Workers' messages from the events, every few seconds: a worker who signs in just after an
# approval hears of it once the kiosk next pulls.
INBOX = JobSpec("inbox", timedelta(seconds=5), _inbox, lease=timedelta(minutes=10))


def _reminders(service: LedgerService) -> dict[str, object]:
    return dict(service.send_expiry_reminders())


# Hourly, like expiry: a threshold reached at any hour is reminded within the hour.
EXPIRY_REMINDERS = JobSpec("expiry_reminders", timedelta(hours=1), _reminders)


def _connectors(service: LedgerService) -> dict[str, object]:
    from ledger.jobs.connectors import run_connectors  # requests, only where pulls are made

    return run_connectors(service)


# HR systems in: the job looks often, each connector runs at its own interval (a minute by
# default); a connector's run-now is picked up within these seconds.
CONNECTORS = JobSpec("connectors", timedelta(seconds=10), _connectors, lease=timedelta(minutes=30))

STANDARD_JOBS: tuple[JobSpec, ...] = (
    EXPIRY,
    WEBHOOKS,
    FULFILMENT,
    NOTIFY,
    NOTIFY_DIGEST,
    NOTIFY_WAITING,
    INBOX,
    EXPIRY_REMINDERS,
    CONNECTORS,
)


def result_text(result: dict[str, object]) -> str:
    """A job's result as stored and shown: compact JSON."""
    return json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
