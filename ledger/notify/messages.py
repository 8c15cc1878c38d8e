"""The words of HR's notifications, in the recipient's language (the console's translations).

Each function returns ``(subject, body)``; a robot shows the subject as the first line. The
facts come from the service, which reads them when the message is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ledger.console.i18n import translator
from ledger.notify.config import NotifyConfig
from sync.voucher import voucher_code

Say = Callable[..., str]


@dataclass(frozen=True)
class OrderFacts:
    order_id: str
    employee_id: str
    employee_name: str
    department: str
    item_title_zh: str
    item_title_en: str
    quantity: int
    points: int
    placed_at: datetime | None
    status: str = ""
    days_waiting: int = 0
    item_id: str = ""

    @property
    def voucher(self) -> str:
        try:
            return voucher_code(self.order_id)
        except ValueError:  # not a UUID: show the id as it is
            return self.order_id

    def title(self, language: str) -> str:
        return (self.item_title_en if language == "en" else self.item_title_zh) or (
            self.item_title_zh or self.item_title_en
        )


@dataclass(frozen=True)
class Words:
    """What every message needs: the language, the site's clock and the console's address."""

    language: str
    zone: ZoneInfo
    config: NotifyConfig

    @property
    def say(self) -> Say:
        return translator(self.language)

    def time(self, moment: datetime | None) -> str:
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    def link_line(self, path: str) -> list[str]:
        link = self.config.link(path)
        return [self.say("Open: %s", link)] if link else []


STATUS_WORDS = {"pending": "Waiting for approval", "approved": "Approved, to hand over"}


def _order_lines(words: Words, order: OrderFacts) -> list[str]:
    _ = words.say
    worker = f"{order.employee_id} {order.employee_name}".strip()
    if order.department:
        worker = _("%s (%s)", worker, order.department)
    return [
        _("Order: %s", order.voucher),
        _("Worker: %s", worker),
        _("Item: %s × %s", order.title(words.language), order.quantity),
        _("Points: %s", order.points),
        _("Placed: %s", words.time(order.placed_at)),
    ]


def order_placed(words: Words, order: OrderFacts) -> tuple[str, str]:
    _ = words.say
    subject = _("New order %s: %s", order.voucher, order.title(words.language))
    lines = _order_lines(words, order) + words.link_line(f"/admin/orders/{order.order_id}")
    return subject, "\n".join(lines)


def digest(words: Words, bodies: Sequence[str]) -> tuple[str, str]:
    _ = words.say
    subject = _("%s new orders in the last hour", len(bodies))
    return subject, ("\n\n").join(bodies)


def orders_waiting(
    words: Words, orders: Sequence[OrderFacts], days: int, total: int
) -> tuple[str, str]:
    _ = words.say
    subject = _("%s orders waiting longer than %s days", total, days)
    lines = []
    for order in orders:
        lines.append(
            "· " + _("%s, %s %s, %s × %s, %s points, %s since %s (%s days)",
                     order.voucher, order.employee_id, order.employee_name,
                     order.title(words.language), order.quantity, order.points,
                     _(STATUS_WORDS.get(order.status, order.status)),
                     words.time(order.placed_at), order.days_waiting)
        )  # fmt: skip
        lines += ["  " + line for line in words.link_line(f"/admin/orders/{order.order_id}")]
    if total > len(orders):
        lines.append(_("… and %s more.", total - len(orders)))
    lines += words.link_line(f"/admin/reports/stale?days={days}")
    return subject, "\n".join(lines)


def webhook_failed(words: Words, payload: dict[str, Any]) -> tuple[str, str]:
    _ = words.say
    subject = _("A webhook delivery failed: %s", payload.get("url", ""))
    lines = [
        _("Event: %s (%s)", payload.get("type", ""), payload.get("event_id", "")),
        _("Attempts: %s", payload.get("attempts", "")),
        _("Last error: %s", payload.get("error", "")),
        _("It was tried for 24 hours and is kept as failed; it can be sent again."),
        *words.link_line("/admin/webhooks?status=failed"),
    ]
    return subject, "\n".join(lines)


def code_pool_low(words: Words, payload: dict[str, Any], title: str) -> tuple[str, str]:
    _ = words.say
    name = title or str(payload.get("pool", payload.get("item_id", "")))
    left = payload.get("remaining", payload.get("available", payload.get("left", "?")))
    subject = _("Codes running low: %s", name)
    lines = [_("Unused codes left: %s", left)]
    if "threshold" in payload:
        lines.append(_("Alert threshold: %s", payload["threshold"]))
    lines.append(_("Upload more codes before the pool runs out."))
    item = payload.get("item_id")
    lines += words.link_line(f"/admin/catalogue/{item}" if item else "/admin/catalogue")
    return subject, "\n".join(lines)


def fulfilment_failed(
    words: Words, payload: dict[str, Any], order: OrderFacts | None
) -> tuple[str, str]:
    _ = words.say
    shown = order.voucher if order else str(payload.get("order_id", ""))
    subject = _("Fulfilment failed for order %s", shown)
    lines = _order_lines(words, order) if order else []
    error = payload.get("error", payload.get("reason", ""))
    if error:
        lines.append(_("Error: %s", error))
    lines.append(_("The order stays approved; fulfil it by hand or try again."))
    if order:
        lines += words.link_line(f"/admin/orders/{order.order_id}")
    return subject, "\n".join(lines)


def test_message(words: Words, channel_name: str) -> tuple[str, str]:
    _ = words.say
    return _("Test message from the points ledger"), _(
        "If you can read this, notifications reach %s.", channel_name
    )


# --- a worker's own news, to the personal address HR set (never a code: kiosks show it) ---


def worker_order(
    words: Words, event_type: str, order: OrderFacts, reason: str, code_item: bool
) -> tuple[str, str] | None:
    """A worker's order approved, fulfilled, rejected (with the reason) or reversed."""
    _ = words.say
    title = order.title(words.language)
    subjects = {
        "order.approved": _("Your order %s is approved: %s", order.voucher, title),
        "order.fulfilled": _("Your order %s is fulfilled: %s", order.voucher, title),
        "order.rejected": _("Your order %s was rejected: %s", order.voucher, title),
        "order.reversed": _("Your order %s was reversed: %s", order.voucher, title),
    }
    subject = subjects.get(event_type)
    if subject is None:
        return None
    lines = [
        _("Order: %s", order.voucher),
        _("Item: %s × %s", title, order.quantity),
        _("Points: %s", order.points),
    ]
    if event_type == "order.approved" and not code_item:
        lines.append(_("HR will hand it over to you."))
    if event_type == "order.fulfilled" and code_item:
        lines.append(_("Your code is shown at a kiosk, under My orders."))
    if event_type in ("order.rejected", "order.reversed"):
        if reason:
            lines.append(_("Reason: %s", reason))
        lines.append(_("The points spent on it are back in your wallet."))
    return subject, "\n".join(lines)


def worker_expiring(words: Words, points: int, expires_at: datetime | None) -> tuple[str, str]:
    """A worker's points that expire soon: how many and when."""
    _ = words.say
    when = words.time(expires_at)
    subject = _("%s of your points expire on %s", points, when[:10])
    lines = [
        _("Points expiring: %s", points),
        _("Expire at: %s", when),
        _("Redeem them at a kiosk before then."),
    ]
    return subject, "\n".join(lines)
