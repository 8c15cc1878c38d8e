"""Use cases of HR's notifications: channels, users' preferences, and what the job does —
messages made from new events past the job's cursor, hourly digests, the daily list of
waiting orders, and each message claimed before it is sent."""

from __future__ import annotations

import functools
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger import reports
from ledger.domain import notifications as rules
from ledger.domain import settings as site_settings
from ledger.domain.errors import LedgerError
from ledger.domain.notifications import DIGEST, TEST, ChannelKind, Mode, Topic
from ledger.notify import messages
from ledger.notify.config import NotifyConfig
from ledger.notify.messages import OrderFacts, Words
from ledger.service.base import ServiceBase, Work
from ledger.service.events import BATCH as EVENT_BATCH
from ledger.service.events import (
    PublishedEvent,
    events_after,
    has_unnumbered_events,
    number_events,
)
from ledger.storage.contacts import WorkerContact
from ledger.storage.fulfilment import FulfilmentKind
from ledger.storage.models import ConsoleUser, Employee, Item, Meta, Order, Setting
from ledger.storage.notifications import (
    Notification,
    NotificationStatus,
    NotifyChannel,
    NotifyPreference,
)
from sync.protocol import ErrorCode

CURSOR_KEY = "notify_cursor"
WAITING_DAYS_KEY = "notify_waiting_days"
FAN_OUT_BATCH = 500
WAITING_LIST_LIMIT = 50  # orders named in one daily list; the rest are counted
EVENT_TOPICS = tuple(t.value for t in rules.EVENT_TOPICS)
# A worker's own news, mailed to the personal address HR set (the kiosk inbox has it too).
WORKER_ORDER_TOPICS = ("order.approved", "order.fulfilled", "order.rejected", "order.reversed")
WORKER_EXPIRING = "points.expiring"
WORKER_TOPICS = (*WORKER_ORDER_TOPICS, WORKER_EXPIRING)


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:<id>" or "channel:<id>"
    kind: str  # email or the channel's kind
    address: str
    language: str
    topics: frozenset[str]
    mode: str


@dataclass(frozen=True)
class OutgoingNotification:
    """A claimed message as the sender needs it."""

    id: int
    kind: str
    target: str  # an e-mail address or the channel's URL
    secret: str
    topic: str
    cause: str
    language: str
    subject: str
    body: str
    created_at: datetime

    def envelope(self) -> dict[str, Any]:
        """The generic webhook's ``data``."""
        return {
            "id": f"notification-{self.id}", "topic": self.topic, "cause": self.cause,
            "language": self.language, "subject": self.subject, "text": self.body,
        }  # fmt: skip


def channel_out(row: NotifyChannel) -> dict[str, Any]:
    """A channel as the console and the CLI show it (never its secret; a URL's query, which
    holds a robot's access token, is cut)."""
    shown = row.target if row.kind == ChannelKind.EMAIL else row.target.split("?", 1)[0]
    return {
        "id": row.id, "kind": row.kind, "name": row.name, "target": shown,
        "signed": bool(row.secret), "topics": _split(row.topics), "mode": row.mode,
        "language": row.language, "active": row.active, "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
    }  # fmt: skip


def notification_out(row: Notification) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "id": row.id, "recipient": row.recipient, "kind": row.kind, "address": row.address,
        "topic": row.topic, "cause": row.cause, "language": row.language,
        "subject": row.subject, "body": row.body, "status": row.status,
        "attempts": row.attempts, "created_at": row.created_at.isoformat(),
        "next_attempt_at": iso(row.next_attempt_at), "last_attempt_at": iso(row.last_attempt_at),
        "sent_at": iso(row.sent_at), "last_error": row.last_error, "bundle_id": row.bundle_id,
    }  # fmt: skip


def _split(text: str) -> list[str]:
    return [t for t in text.split(",") if t]


def preference_out(row: NotifyPreference | None, user: ConsoleUser) -> dict[str, Any]:
    topics = _split(row.topics) if row else []
    new_orders = "off"
    if row and Topic.ORDER_PLACED.value in topics:
        new_orders = row.mode
    return {
        "user_id": user.id, "user": user.name, "email": row.email if row else "",
        "language": row.language if row else "zh", "topics": topics,
        "new_orders": new_orders,
    }  # fmt: skip


class NotificationCases(ServiceBase):
    notify_jitter: Callable[[], float] = random.random

    # --- channels ------------------------------------------------------------------------

    def add_notify_channel(
        self, kind: str, name: str, target: str, topics: Iterable[str], mode: str = "instant",
        language: str = "zh", secret: str = "",
    ) -> dict[str, Any]:  # fmt: skip
        """A group robot, generic webhook or mailbox that is told of ``topics``."""
        kind = rules.check_choice("kind", kind, rules.CHANNEL_KINDS)
        target = rules.check_target(kind, target)
        chosen = rules.check_topics(topics)
        rules.check_choice("mode", mode, rules.MODES)
        rules.check_choice("language", language, rules.LANGUAGES)
        name = name.strip()[:80] or kind
        secret = secret.strip()
        if len(secret) > 200:
            raise LedgerError(
                ErrorCode.INVALID_REQUEST, "secret: at most 200 characters", status=422
            )
        if kind == ChannelKind.WEBHOOK and len(secret) < 16:
            raise LedgerError(
                ErrorCode.INVALID_REQUEST,
                "secret: 16 characters at least for a webhook",
                status=422,
            )

        def run(work: Work) -> dict[str, Any]:
            row = NotifyChannel(
                kind=kind, name=name, target=target, secret=secret, topics=",".join(chosen),
                mode=mode, language=language, active=True, created_at=work.now,
                created_by=work.actor.label[:120],
            )  # fmt: skip
            work.session.add(row)
            work.session.flush()
            shown = channel_out(row)
            work.log("notify.channel_add", f"notify_channel:{row.id}", after=shown)
            return shown

        return self._run(run)

    def set_notify_channel_active(self, channel_id: int, active: bool) -> dict[str, Any]:
        def run(work: Work) -> dict[str, Any]:
            row = _channel(work.session, channel_id)
            before = channel_out(row)
            row.active = active
            after = channel_out(row)
            action = "notify.channel_enable" if active else "notify.channel_disable"
            work.log(action, f"notify_channel:{row.id}", before=before, after=after)
            return after

        return self._run(run)

    def list_notify_channels(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            rows = session.scalars(select(NotifyChannel).order_by(NotifyChannel.id))
            return [channel_out(r) for r in rows]

    def queue_test_notification(self, channel_id: int) -> int:
        """A test message to a channel, sent by the next run of the job; its id."""

        def run(work: Work) -> int:
            row = _channel(work.session, channel_id)
            words = Words(row.language, ZoneInfo("UTC"), NotifyConfig())
            subject, body = messages.test_message(words, row.name)
            note = _new(
                f"channel:{row.id}", row.kind, "", TEST, f"test:{work.now.isoformat()}",
                row.language, subject, body, NotificationStatus.PENDING, work.now,
            )  # fmt: skip
            work.session.add(note)
            work.session.flush()
            work.log("notify.channel_test", f"notify_channel:{row.id}")
            return note.id

        return self._run(run)

    # --- users' preferences ----------------------------------------------------------------

    def notify_preferences(self, user_id: int) -> dict[str, Any]:
        with self.db.read() as session:
            user = _user(session, user_id)
            return preference_out(session.get(NotifyPreference, user_id), user)

    def set_notify_preferences(
        self, user_id: int, email: str, language: str, new_orders: str, alerts: Iterable[str]
    ) -> dict[str, Any]:
        """A user's address and language, how they hear of new orders (``instant``,
        ``digest`` or ``off``), and which alerts (the other topics) they get."""
        email = rules.check_email(email)
        rules.check_choice("language", language, rules.LANGUAGES)
        rules.check_choice("new_orders", new_orders, (*rules.MODES, "off"))
        chosen = [t for t in rules.check_topics(alerts) if t != Topic.ORDER_PLACED]
        if new_orders != "off":
            chosen.append(Topic.ORDER_PLACED.value)
        mode = new_orders if new_orders != "off" else Mode.INSTANT.value

        def run(work: Work) -> dict[str, Any]:
            user = _user(work.session, user_id)
            row = work.session.get(NotifyPreference, user_id)
            before = preference_out(row, user) if row else None
            if row is None:
                row = NotifyPreference(user_id=user_id, updated_at=work.now)
                work.session.add(row)
            row.email, row.language, row.mode = email, language, mode
            row.topics = ",".join(sorted(chosen))
            row.updated_at = work.now
            after = preference_out(row, user)
            work.log("notify.preferences", user.name, before=before, after=after)
            return after

        return self._run(run)

    def notify_waiting_days(self) -> int:
        with self.db.read() as session:
            return _waiting_days(session)

    def set_notify_waiting_days(self, days: int) -> int:
        if not 1 <= days <= rules.MAX_WAITING_DAYS:
            raise LedgerError(
                ErrorCode.INVALID_REQUEST, f"days: 1 to {rules.MAX_WAITING_DAYS}", status=422
            )

        def run(work: Work) -> int:
            before = _waiting_days(work.session)
            site_settings.store(work.session, WAITING_DAYS_KEY, days)
            work.log("notify.waiting_days", "notifications", before={"days": before},
                     after={"days": days})  # fmt: skip
            return days

        return self._run(run)

    # --- the messages ----------------------------------------------------------------------

    def list_notifications(
        self, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> tuple[int, list[dict[str, Any]]]:
        """Messages, newest first, with their total (``status`` filters)."""
        query = select(Notification)
        if status:
            query = query.where(Notification.status == status)
        with self.db.read() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(Notification.id.desc()).limit(limit).offset(offset)
            )
            return total, [notification_out(r) for r in rows]

    def resend_notification(self, notification_id: int) -> dict[str, Any]:
        """A failed message pending again, with a new 24-hour window."""

        def run(work: Work) -> dict[str, Any]:
            row = work.session.get(Notification, notification_id)
            if row is None:
                raise LedgerError(ErrorCode.NOT_FOUND, "no such notification", status=404)
            if row.status != NotificationStatus.FAILED.value:
                raise LedgerError(
                    ErrorCode.INVALID_REQUEST,
                    "only a failed notification is sent again",
                    status=409,
                )
            before = {"status": row.status, "attempts": row.attempts, "error": row.last_error}
            row.status = NotificationStatus.PENDING.value
            row.next_attempt_at = work.now
            row.first_attempt_at = None
            work.log("notify.resend", f"notification:{row.id}", before=before,
                     after={"status": row.status})  # fmt: skip
            return notification_out(row)

        return self._run(run)

    # --- what the job calls: bookkeeping, not HR actions, so no log line -------------------

    def fan_out_notifications(self, config: NotifyConfig) -> int:
        """Messages for the alert events past the job's cursor; how many were made."""
        with self.db.read() as session:
            waiting = has_unnumbered_events(session)
        if waiting:
            while self.db.run_write(number_events) >= EVENT_BATCH:
                pass
        zone = ZoneInfo(self.site_timezone())
        made = 0
        while True:
            count, more = self.db.run_write(
                functools.partial(_fan_out, now=self.clock(), config=config, zone=zone)
            )
            made += count
            if not more:
                return made

    def bundle_notification_digests(self) -> int:
        """Each recipient's queued new orders as one digest message; how many digests."""
        return self.db.run_write(functools.partial(_bundle, now=self.clock()))

    def list_waiting_orders(self, config: NotifyConfig) -> int:
        """Once a site day (from 09:00), the list of orders waiting longer than N days to
        each recipient of that topic; how many lists were made."""
        zone = ZoneInfo(self.site_timezone())
        now = self.clock()
        local = now.astimezone(zone)
        if local.hour < rules.WAITING_LIST_HOUR:
            return 0
        cause = f"waiting:{local.date().isoformat()}"
        return self.db.run_write(
            functools.partial(_waiting, now=now, cause=cause, config=config, zone=zone)
        )

    def recover_interrupted_notifications(self) -> int:
        """Messages left ``sending`` by a runner that stopped: failed, not sent again."""
        cutoff = self.clock() - rules.SENDING_TIMEOUT

        def run(session: Session) -> int:
            rows = list(
                session.scalars(
                    select(Notification).where(
                        Notification.status == NotificationStatus.SENDING.value,
                        Notification.last_attempt_at < cutoff,
                    )
                )
            )
            for row in rows:
                row.status = NotificationStatus.FAILED.value
                row.last_error = rules.INTERRUPTED
            return len(rows)

        return self.db.run_write(run)

    def claim_notification(self, only: int | None = None) -> OutgoingNotification | None:
        """The next due message, marked ``sending`` (committed) before anyone sends it."""
        now = self.clock()

        def run(session: Session) -> OutgoingNotification | None:
            query = select(Notification).where(
                Notification.status == NotificationStatus.PENDING.value,
                Notification.next_attempt_at <= now,
            )
            if only is not None:
                query = query.where(Notification.id == only)
            query = query.order_by(Notification.next_attempt_at, Notification.id).limit(1)
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            row = session.scalar(query)
            if row is None:
                return None
            target, secret = row.address, ""
            if row.recipient.startswith("channel:"):
                channel = session.get(NotifyChannel, int(row.recipient.split(":", 1)[1]))
                if channel is None or not channel.active:
                    row.status = NotificationStatus.FAILED.value
                    row.last_error = "the channel is disabled"
                    return None
                target, secret = channel.target, channel.secret
            if row.recipient.startswith("employee:"):
                # HR may have changed or cleared the address since the message was made.
                contact = session.get(WorkerContact, row.recipient.split(":", 1)[1])
                if contact is None or not contact.email:
                    row.status = NotificationStatus.FAILED.value
                    row.last_error = "the worker's e-mail address was removed"
                    return None
                target = row.address = contact.email
            row.status = NotificationStatus.SENDING.value
            row.attempts += 1
            row.last_attempt_at = now
            if row.first_attempt_at is None:
                row.first_attempt_at = now
            return OutgoingNotification(
                row.id, row.kind, target, secret, row.topic, row.cause, row.language,
                row.subject, row.body, row.created_at,
            )  # fmt: skip

        return self.db.run_write(run)

    def record_notification_outcome(self, notification_id: int, error: str) -> None:
        """A send's outcome: ``""`` sent; else retried later or, past 24 hours, failed."""
        now = self.clock()

        def run(session: Session) -> None:
            row = session.get(Notification, notification_id)
            if row is None or row.status != NotificationStatus.SENDING.value:
                return
            rules.record_outcome(row, now, error, self.notify_jitter)

        self.db.run_write(run)


def _channel(session: Session, channel_id: int) -> NotifyChannel:
    row = session.get(NotifyChannel, channel_id)
    if row is None:
        raise LedgerError(ErrorCode.NOT_FOUND, "no such notification channel", status=404)
    return row


def _user(session: Session, user_id: int) -> ConsoleUser:
    user = session.get(ConsoleUser, user_id)
    if user is None:
        raise LedgerError(ErrorCode.NOT_FOUND, "no such console user", status=404)
    return user


def _waiting_days(session: Session) -> int:
    row = session.get(Setting, WAITING_DAYS_KEY)
    return int(json.loads(row.value)) if row else rules.DEFAULT_WAITING_DAYS


def _new(
    recipient: str, kind: str, address: str, topic: str, cause: str, language: str,
    subject: str, body: str, status: NotificationStatus, now: datetime,
) -> Notification:  # fmt: skip
    return Notification(
        recipient=recipient, kind=kind, address=address, topic=topic, cause=cause[:80],
        language=language, subject=subject[:200], body=body, status=status.value, attempts=0,
        created_at=now, next_attempt_at=now, last_error="",
    )  # fmt: skip


def recipients(session: Session) -> list[Recipient]:
    """Who is told now: users with an address (not disabled), and active channels."""
    found = []
    for pref, _user_id in session.execute(
        select(NotifyPreference, ConsoleUser.id)
        .join(ConsoleUser, ConsoleUser.id == NotifyPreference.user_id)
        .where(NotifyPreference.email != "", ConsoleUser.disabled_at.is_(None))
        .order_by(NotifyPreference.user_id)
    ):
        found.append(
            Recipient(
                f"user:{pref.user_id}",
                ChannelKind.EMAIL.value,
                pref.email,
                pref.language,
                frozenset(_split(pref.topics)),
                pref.mode,
            )
        )
    for channel in session.scalars(
        select(NotifyChannel).where(NotifyChannel.active.is_(True)).order_by(NotifyChannel.id)
    ):
        address = channel.target if channel.kind == ChannelKind.EMAIL else ""
        found.append(
            Recipient(
                f"channel:{channel.id}",
                channel.kind,
                address,
                channel.language,
                frozenset(_split(channel.topics)),
                channel.mode,
            )
        )
    return found


def order_facts(session: Session, order_ids: Sequence[str], now: datetime) -> dict[str, OrderFacts]:
    """What a message says of each order: the worker, the item, points, placed when."""
    rows = session.execute(
        select(Order, Employee.name, Employee.department, Item.title_zh, Item.title_en)
        .join(Employee, Employee.id == Order.employee_id)
        .join(Item, Item.id == Order.item_id)
        .where(Order.id.in_(list(order_ids)))
    ).all()
    return {
        order.id: OrderFacts(
            order.id,
            order.employee_id,
            name,
            department or "",
            title_zh,
            title_en,
            order.quantity,
            order.points,
            order.placed_at,
            order.status,
            (now - order.placed_at).days,
            order.item_id,
        )
        for order, name, department, title_zh, title_en in rows
    }


def _item_title(session: Session, item_id: object, language: str) -> str:
    item = session.get(Item, str(item_id)) if item_id else None
    if item is None:
        return ""
    return (item.title_en if language == "en" else item.title_zh) or item.title_zh


def _render(
    session: Session, event: PublishedEvent, words: Words, facts: dict[str, OrderFacts]
) -> tuple[str, str] | None:
    payload = event.payload
    order = facts.get(str(payload.get("order_id", "")))
    if event.type == Topic.ORDER_PLACED:
        return messages.order_placed(words, order) if order else None
    if event.type == Topic.WEBHOOK_FAILED:
        return messages.webhook_failed(words, payload)
    if event.type == Topic.CODE_POOL_LOW:
        title = _item_title(session, payload.get("item_id"), words.language)
        return messages.code_pool_low(words, payload, title)
    if event.type == Topic.FULFILMENT_FAILED:
        return messages.fulfilment_failed(words, payload, order)
    return None


def _cursor(session: Session) -> tuple[Meta, int]:
    query = select(Meta).where(Meta.key == CURSOR_KEY)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # two runners never fan out at once
    row = session.scalar(query)
    if row is None:
        row = Meta(key=CURSOR_KEY, value="0")
        session.add(row)
    return row, int(row.value)


def _fan_out(
    session: Session, now: datetime, config: NotifyConfig, zone: ZoneInfo
) -> tuple[int, bool]:
    row, cursor = _cursor(session)
    events = events_after(session, cursor, FAN_OUT_BATCH, [*EVENT_TOPICS, *WORKER_TOPICS])
    if not events:
        return 0, False
    people = recipients(session)
    order_ids = [str(e.payload["order_id"]) for e in events if e.payload.get("order_id")]
    facts = order_facts(session, order_ids, now) if order_ids else {}
    rendered: dict[tuple[str, str], tuple[str, str] | None] = {}
    made = 0
    workers = worker_recipients(session, events)
    for event in events:
        if event.type in WORKER_TOPICS:
            made += _to_worker(session, event, workers, facts, now, config, zone)
            continue
        for person in people:
            if event.type not in person.topics:
                continue
            key = (event.id, person.language)
            if key not in rendered:
                words = Words(person.language, zone, config)
                rendered[key] = _render(session, event, words, facts)
            found = rendered[key]
            if found is None:
                continue
            later = event.type == Topic.ORDER_PLACED and person.mode == Mode.DIGEST
            status = NotificationStatus.QUEUED if later else NotificationStatus.PENDING
            session.add(
                _new(
                    person.key,
                    person.kind,
                    person.address,
                    event.type,
                    event.id,
                    person.language,
                    found[0],
                    found[1],
                    status,
                    now,
                )
            )
            made += 1
    row.value = str(events[-1].position)
    return made, len(events) == FAN_OUT_BATCH


def worker_recipients(
    session: Session, events: Sequence[PublishedEvent]
) -> dict[str, tuple[str, str]]:
    """The workers named by ``events`` who have a personal address: id -> (address,
    language). Workers without one are told at the kiosk only."""
    ids = {
        str(e.payload.get("employee_id"))
        for e in events
        if e.type in WORKER_TOPICS and e.payload.get("employee_id")
    }
    if not ids:
        return {}
    rows = session.execute(
        select(WorkerContact.employee_id, WorkerContact.email, Employee.language)
        .join(Employee, Employee.id == WorkerContact.employee_id)
        .where(WorkerContact.employee_id.in_(sorted(ids)), WorkerContact.email != "")
    ).all()
    return {employee_id: (email, language) for employee_id, email, language in rows}


def _to_worker(
    session: Session, event: PublishedEvent, workers: dict[str, tuple[str, str]],
    facts: dict[str, OrderFacts], now: datetime, config: NotifyConfig, zone: ZoneInfo,
) -> int:  # fmt: skip
    """The worker's own mail of one event, if they have an address; how many were made."""
    payload = event.payload
    employee_id = str(payload.get("employee_id", ""))
    found = workers.get(employee_id)
    if found is None:
        return 0
    address, language = found
    language = language if language in rules.LANGUAGES else "zh"
    words = Words(language, zone, config)
    text: tuple[str, str] | None
    if event.type == WORKER_EXPIRING:
        points = payload.get("points")
        expires = payload.get("expires_at")
        try:
            moment = datetime.fromisoformat(str(expires)) if expires else None
        except ValueError:
            moment = None
        text = messages.worker_expiring(words, int(points or 0), moment)
    else:
        order = facts.get(str(payload.get("order_id", "")))
        if order is None:
            return 0
        item = session.get(Item, order.item_id)
        code_item = item is not None and item.fulfilment == FulfilmentKind.CODE_POOL.value
        reason = str(payload.get("reason") or "")
        text = messages.worker_order(words, event.type, order, reason, code_item)
    if text is None:
        return 0
    session.add(
        _new(f"employee:{employee_id}", ChannelKind.EMAIL.value, address, event.type, event.id,
             language, text[0], text[1], NotificationStatus.PENDING, now)
    )  # fmt: skip
    return 1


def _bundle(session: Session, now: datetime) -> int:
    queued = list(
        session.scalars(
            select(Notification)
            .where(Notification.status == NotificationStatus.QUEUED.value)
            .order_by(Notification.id)
        )
    )
    groups: dict[str, list[Notification]] = defaultdict(list)
    for row in queued:
        groups[row.recipient].append(row)
    for recipient, rows in groups.items():
        first = rows[0]
        words = Words(first.language, ZoneInfo("UTC"), NotifyConfig())
        subject, body = messages.digest(words, [r.body for r in rows])
        digest = _new(recipient, first.kind, rows[-1].address, DIGEST, f"digest:{first.id}",
                      first.language, subject, body, NotificationStatus.PENDING, now)  # fmt: skip
        session.add(digest)
        session.flush()
        for row in rows:
            row.status = NotificationStatus.BUNDLED.value
            row.bundle_id = digest.id
    return len(groups)


def _waiting(
    session: Session, now: datetime, cause: str, config: NotifyConfig, zone: ZoneInfo
) -> int:
    people = [p for p in recipients(session) if Topic.ORDERS_WAITING in p.topics]
    if not people:
        return 0
    done = set(
        session.scalars(
            select(Notification.recipient).where(
                Notification.topic == Topic.ORDERS_WAITING.value, Notification.cause == cause
            )
        )
    )
    people = [p for p in people if p.key not in done]
    if not people:
        return 0
    days = _waiting_days(session)
    rows, total = reports.stale_orders(session, now, days, limit=WAITING_LIST_LIMIT)
    if not rows:
        return 0
    facts = order_facts(session, [r.order_id for r in rows], now)
    orders = [facts[r.order_id] for r in rows if r.order_id in facts]
    for person in people:
        words = Words(person.language, zone, config)
        subject, body = messages.orders_waiting(words, orders, days, total)
        session.add(
            _new(
                person.key,
                person.kind,
                person.address,
                Topic.ORDERS_WAITING.value,
                cause,
                person.language,
                subject,
                body,
                NotificationStatus.PENDING,
                now,
            )
        )
    return len(people)
