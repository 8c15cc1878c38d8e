"""The notification jobs: messages for new alert events, sent one by one; the hourly digests;
the daily list of orders waiting too long."""

from __future__ import annotations

from datetime import UTC, datetime

import requests

from ledger.domain.notifications import ChannelKind
from ledger.notify import config as notify_config
from ledger.notify import mail, robots
from ledger.notify.config import NotifyConfig
from ledger.service import LedgerService
from ledger.service.notifications import OutgoingNotification
from sync.version import __version__

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
# At most this many sends a run; the rest wait for the next run a few seconds later.
SENDS_PER_RUN = 200


def send(config: NotifyConfig, note: OutgoingNotification, http: requests.Session) -> str:
    """Send one message on its channel; ``""`` when taken, else what went wrong."""
    if note.kind == ChannelKind.EMAIL:
        return mail.send(config.smtp, note.target, note.subject, note.body, f"n{note.id}")
    # Signed with the wall clock: robots refuse a timestamp an hour off theirs.
    message = robots.robot_message(
        note.kind, note.target, note.secret, f"{note.subject}\n{note.body}", datetime.now(UTC),
        note.envelope(),
    )  # fmt: skip
    headers = message.headers | {"User-Agent": f"points-ledger/{__version__}"}
    try:
        response = http.post(
            message.url, data=message.body, headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False,
        )  # fmt: skip
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}"
    with response:
        return robots.answer_error(note.kind, response.status_code, response.content)


def send_due(
    service: LedgerService, config: NotifyConfig, only: int | None = None
) -> tuple[int, int]:
    """Claim and send due messages one at a time (each marked ``sending`` first); how many
    were sent and how many attempts failed."""
    sent = failed = 0
    with requests.Session() as http:
        for _ in range(SENDS_PER_RUN):
            note = service.claim_notification(only)
            if note is None:
                break
            error = send(config, note, http)
            service.record_notification_outcome(note.id, error)
            if error:
                failed += 1
            else:
                sent += 1
            if only is not None:
                break
    return sent, failed


def notify(service: LedgerService, config: NotifyConfig | None = None) -> dict[str, object]:
    """The job: messages for new events, then every due one sent."""
    config = config or notify_config.load()
    made = service.fan_out_notifications(config)
    interrupted = service.recover_interrupted_notifications()
    sent, failed = send_due(service, config)
    return {"new": made, "sent": sent, "failed_attempts": failed, "interrupted": interrupted}


def digests(service: LedgerService) -> dict[str, object]:
    """The hourly job: each recipient's queued new orders bundled into one message."""
    return {"digests": service.bundle_notification_digests()}


def waiting_orders(service: LedgerService, config: NotifyConfig | None = None) -> dict[str, object]:
    """The daily list (checked hourly, made once a site day) of orders waiting too long."""
    return {"lists": service.list_waiting_orders(config or notify_config.load())}
