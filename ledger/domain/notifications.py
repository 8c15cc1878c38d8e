"""Notifications to HR: topics, channel kinds, what a channel or a user may choose, and the
retry schedule of one message.

A message is made once per recipient and cause (an event, a day's list, a digest) and sent
until the channel takes it, with backoff for 24 hours, then kept as failed. Before a send it
is marked ``sending`` in its own transaction: a runner that dies mid-send leaves it so, and it
becomes failed ("may not have been sent") rather than going out twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from ledger.domain import webhooks
from ledger.domain.errors import LedgerError
from ledger.storage.notifications import Notification, NotificationStatus
from sync.protocol import ErrorCode


class Topic(StrEnum):
    """What HR may be told of; the first four are the events' own types."""

    ORDER_PLACED = "order.placed"
    ORDERS_WAITING = "orders.waiting"  # a daily list of orders waiting longer than N days
    WEBHOOK_FAILED = "webhook.failed"
    CODE_POOL_LOW = "code_pool.low"
    FULFILMENT_FAILED = "fulfilment.failed"


TOPICS = tuple(t.value for t in Topic)
# Topics that come from one domain event each.
EVENT_TOPICS = (
    Topic.ORDER_PLACED, Topic.WEBHOOK_FAILED, Topic.CODE_POOL_LOW, Topic.FULFILMENT_FAILED,
)  # fmt: skip
# Not a topic one chooses: a bundle of new orders, and a channel's test message.
DIGEST = "digest"
TEST = "test"


class ChannelKind(StrEnum):
    EMAIL = "email"  # a shared mailbox; console users have their own address too
    WECOM = "wecom"  # 企业微信 group robot
    DINGTALK = "dingtalk"  # 钉钉 group robot
    FEISHU = "feishu"  # 飞书 group robot
    WEBHOOK = "webhook"  # a POST signed like the ledger's webhooks


CHANNEL_KINDS = tuple(k.value for k in ChannelKind)


class Mode(StrEnum):
    """How new orders are told: each at once, or bundled into one message an hour."""

    INSTANT = "instant"
    DIGEST = "digest"


MODES = tuple(m.value for m in Mode)
LANGUAGES = ("zh", "en")
RETRY_WINDOW = timedelta(hours=24)
# A message left "sending" longer than this was cut off by a crash (sends time out sooner).
SENDING_TIMEOUT = timedelta(minutes=10)
INTERRUPTED = "interrupted while sending; not sent again in case it arrived: send again if not"
ERROR_LENGTH = 300
DEFAULT_WAITING_DAYS = 3
MAX_WAITING_DAYS = 365
# The site-clock hour from which the daily list of waiting orders goes out.
WAITING_LIST_HOUR = 9
_EMAIL = re.compile(r"^[^@\s,;<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251})\.[A-Za-z]{2,}$")


def _invalid(message: str) -> LedgerError:
    return LedgerError(ErrorCode.INVALID_REQUEST, message, status=422)


def check_email(address: str) -> str:
    """An e-mail address as typed (trimmed), if it looks like one; ``""`` stays empty."""
    address = address.strip()
    if address and (len(address) > 254 or not _EMAIL.match(address)):
        raise _invalid("email: an address like name@example.com")
    return address


def check_topics(topics: Iterable[str]) -> list[str]:
    """The topics chosen, each known, without repeats (none is allowed: told of nothing)."""
    chosen = sorted({t.strip() for t in topics if t.strip()})
    unknown = [t for t in chosen if t not in TOPICS]
    if unknown:
        raise _invalid("topics: any of " + ", ".join(TOPICS) + f" (unknown: {', '.join(unknown)})")
    return chosen


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _invalid(f"{field}: one of " + ", ".join(allowed))
    return value


def check_target(kind: str, target: str) -> str:
    """Where a channel sends: an e-mail address for a mailbox, else an http(s) URL."""
    if kind == ChannelKind.EMAIL:
        found = check_email(target)
        if not found:
            raise _invalid("email: an address like name@example.com")
        return found
    return webhooks.check_url(target)


def retry_at(row: Notification, now: datetime, jitter: Callable[[], float]) -> datetime | None:
    """When a failed attempt is tried again (the webhooks' schedule), or None: give up."""
    first = row.first_attempt_at or now
    later = now + webhooks.retry_delay(max(row.attempts, 1), jitter)
    return None if later - first > RETRY_WINDOW else later


def record_outcome(
    row: Notification, now: datetime, error: str, jitter: Callable[[], float]
) -> None:
    """A send's outcome: sent when ``error`` is empty; else pending again later, or failed."""
    if not error:
        row.status = NotificationStatus.SENT.value
        row.sent_at = now
        row.last_error = ""
        return
    row.last_error = error[:ERROR_LENGTH]
    later = retry_at(row, now, jitter)
    if later is None:
        row.status = NotificationStatus.FAILED.value
    else:
        row.status = NotificationStatus.PENDING.value
        row.next_attempt_at = later
