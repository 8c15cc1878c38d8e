"""Notifications to HR: admins add group robots, webhooks and mailboxes, set how long an order
may wait, see what was sent and what failed; each user sets their own address and choices
(the account page), and admins set them for a user."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from ledger.console.i18n import translator
from ledger.console.web import (
    Admin,
    AdminPoster,
    acting,
    back_to,
    language_of,
    page_number,
    posted,
    query_text,
    render,
    service_of,
)
from ledger.domain import notifications as rules
from ledger.domain.console_users import SignedIn
from ledger.domain.errors import LedgerError
from ledger.notify import config as notify_config
from ledger.service import LedgerService

router = APIRouter()
PAGE = 50
STATUSES = ("pending", "queued", "sending", "sent", "failed", "bundled")
STATUS_LABELS = {
    "pending": "Waiting", "queued": "In the next digest", "sending": "Sending",
    "sent": "Sent", "failed": "Failed", "bundled": "Sent in a digest",
}  # fmt: skip
KIND_LABELS = {
    "email": "E-mail", "wecom": "WeCom group robot", "dingtalk": "DingTalk group robot",
    "feishu": "Feishu group robot", "webhook": "Webhook (signed)",
}  # fmt: skip
TOPIC_LABELS = {
    "order.placed": "New orders",
    "orders.waiting": "Orders waiting too long (daily list)",
    "webhook.failed": "Failed webhook deliveries",
    "code_pool.low": "Code pools running low",
    "fulfilment.failed": "Failed fulfilment",
}
ALERTS = tuple(t for t in rules.TOPICS if t != rules.Topic.ORDER_PLACED)
NEW_ORDER_CHOICES = {"instant": "At once", "digest": "Hourly digest", "off": "Not at all"}
LABELS = {
    "statuses_map": STATUS_LABELS, "kinds": KIND_LABELS, "topics": TOPIC_LABELS,
    "new_orders": NEW_ORDER_CHOICES, "alerts": ALERTS, "topic_list": rules.TOPICS,
}  # fmt: skip


def _page(
    request: Request, user: SignedIn, *, errors: dict[str, str] | None = None,
    form: Mapping[str, object] | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    service = service_of(request)
    status = query_text(request, "status", 12)
    status = status if status in STATUSES else ""
    page = page_number(request)
    total, rows = service.list_notifications(status or None, PAGE, (page - 1) * PAGE)
    try:
        smtp = notify_config.load().smtp
    except (OSError, ValueError):  # a broken file is the server's to fix; the page still shows
        smtp = None
    return render(
        request, "notifications.html", user, status_code=status_code,
        channels=service.list_notify_channels(), notifications=rows, total=total, page=page,
        pages=max(1, -(-total // PAGE)), status=status, statuses=STATUSES,
        query=urlencode({"status": status}), smtp=smtp,
        waiting_days=service.notify_waiting_days(), people=_people(service),
        errors=errors or {}, form=form or {"topics": ["order.placed"], "mode": "instant"},
        **LABELS,
    )  # fmt: skip


def _people(service: LedgerService) -> list[dict[str, object]]:
    from ledger.domain import console_users

    with service.db.read() as session:
        users = [(u.id, u.disabled_at) for u in console_users.list_users(session)]
    return [service.notify_preferences(user_id) | {"disabled": bool(off)} for user_id, off in users]


@router.get("/notifications")
def notifications_page(request: Request, user: Admin) -> HTMLResponse:
    return _page(request, user)


def _field_of(error: LedgerError) -> str:
    return str(error).split(":", 1)[0].strip() or "target"


@router.post("/notifications/channels")
async def add_channel(request: Request) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    form = {
        "kind": str(data.get("kind", "")), "name": str(data.get("name", "")),
        "target": str(data.get("target", "")).strip(), "secret": "",
        "topics": [str(v) for v in data.getlist("topics")],
        "mode": str(data.get("mode", "instant")), "language": str(data.get("language", "zh")),
    }  # fmt: skip
    errors: dict[str, str] = {}
    if not form["target"]:
        errors["target"] = _("This field is required.")
    if not form["topics"]:
        errors["topics"] = _("Choose at least one topic.")
    if not errors:
        try:
            acting(request, user).add_notify_channel(
                str(form["kind"]), str(form["name"]), str(form["target"]), list(form["topics"]),
                str(form["mode"]), str(form["language"]), str(data.get("secret", "")),
            )  # fmt: skip
        except LedgerError as error:
            field = _field_of(error)
            errors[field if field in ("secret", "topics", "email") else "target"] = _channel_error(
                field, _
            )
        else:
            return back_to("/admin/notifications", _("Saved."))
    return _page(request, user, errors=errors, form=form, status_code=422)


def _channel_error(field: str, _: Callable[..., str]) -> str:
    if field == "secret":
        return _("A webhook needs a secret of 16 to 200 characters.")
    if field == "topics":
        return _("Choose at least one topic.")
    if field == "email":
        return _("Enter an e-mail address like name@example.com.")
    return _("Enter an address that starts with http:// or https://.")


@router.post("/notifications/channels/{channel_id}/active")
async def set_active(request: Request, channel_id: int) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    try:
        acting(request, user).set_notify_channel_active(channel_id, data.get("active") == "1")
    except LedgerError:
        return back_to("/admin/notifications", _("Nothing found."), problem=True)
    return back_to("/admin/notifications", _("Saved."))


@router.post("/notifications/channels/{channel_id}/test")
def test_channel(request: Request, user: AdminPoster, channel_id: int) -> Response:
    _ = translator(language_of(request))
    try:
        acting(request, user).queue_test_notification(channel_id)
    except LedgerError:
        return back_to("/admin/notifications", _("Nothing found."), problem=True)
    return back_to("/admin/notifications", _("A test message is sent within a few seconds."))


@router.post("/notifications/waiting-days")
async def waiting_days(request: Request) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    text = str(data.get("days", "")).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= rules.MAX_WAITING_DAYS:
        return _page(request, user, status_code=422, errors={
            "days": _("Enter a whole number from 1 to %s.", rules.MAX_WAITING_DAYS)})  # fmt: skip
    acting(request, user).set_notify_waiting_days(int(text))
    return back_to("/admin/notifications", _("Saved."))


@router.post("/notifications/{notification_id}/resend")
def resend(request: Request, user: AdminPoster, notification_id: int) -> Response:
    _ = translator(language_of(request))
    try:
        acting(request, user).resend_notification(notification_id)
    except LedgerError:
        return back_to("/admin/notifications?status=failed",
                       _("Only a failed message is sent again."), problem=True)  # fmt: skip
    return back_to("/admin/notifications?status=failed", _("The message is sent again shortly."))


# --- a user's own choices -----------------------------------------------------------------


def preferences_from(data: FormData) -> dict[str, object]:
    return {
        "email": str(data.get("email", "")).strip(),
        "language": str(data.get("notify_language", "zh")),
        "new_orders": str(data.get("new_orders", "off")),
        "topics": [str(v) for v in data.getlist("alerts")],
    }


def save_preferences(
    request: Request, user: SignedIn, target_user: int, form: Mapping[str, object]
) -> dict[str, str]:
    """Save a user's choices; the errors by field (empty when saved)."""
    _ = translator(language_of(request))
    try:
        acting(request, user).set_notify_preferences(
            target_user, str(form["email"]), str(form["language"]), str(form["new_orders"]),
            list(form["topics"]),  # type: ignore[call-overload]
        )  # fmt: skip
    except LedgerError as error:
        if _field_of(error) == "email":
            return {"email": _("Enter an e-mail address like name@example.com.")}
        return {
            "new_orders": _("Something in the form was not valid. Please check it and try again.")
        }
    return {}


@router.get("/notifications/users/{user_id}")
def user_preferences(request: Request, user: Admin, user_id: int) -> HTMLResponse:
    return _user_page(request, user, user_id)


def _user_page(
    request: Request, user: SignedIn, user_id: int, errors: dict[str, str] | None = None,
    form: Mapping[str, object] | None = None,
) -> HTMLResponse:  # fmt: skip
    try:
        prefs = service_of(request).notify_preferences(user_id)
    except LedgerError:
        _ = translator(language_of(request))
        return render(request, "message.html", user, status_code=404, message=_("Not found."))
    return render(
        request, "user_notifications.html", user, status_code=422 if errors else 200,
        prefs=dict(form) if form else prefs, who=prefs["user"], errors=errors or {},
        action=f"/admin/notifications/users/{user_id}", **LABELS,
    )  # fmt: skip


@router.post("/notifications/users/{user_id}")
async def set_user_preferences(request: Request, user_id: int) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    form = preferences_from(data)
    errors = save_preferences(request, user, user_id, form)
    if errors:
        return _user_page(request, user, user_id, errors, form)
    return back_to("/admin/notifications", _("Saved."))
