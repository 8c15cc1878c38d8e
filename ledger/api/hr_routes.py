"""Endpoints for HR (and admins): people, badges, rules, events, catalogue, orders, audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ledger.api.deps import AdminActing, HrActing, HrCaller, Service
from ledger.domain.access import Role
from ledger.domain.adjustments import AdjustmentIn
from ledger.domain.catalogue import MAX_IMAGE_BYTES, ItemSpec
from ledger.domain.device_caps import MAX_CAP
from ledger.domain.errors import LedgerError
from ledger.domain.people import EmployeeSpec
from ledger.domain.reminders import MAX_THRESHOLDS
from ledger.domain.rules import EventIn, RuleSpec
from sync.protocol import ErrorCode, OrderOut, OrderStatus, Text

router = APIRouter()

EmployeePath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
ItemPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
KindPath = Annotated[str, Path(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$", max_length=64)]
OrderPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,36}$")]
SerialPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,32}$")]
MAX_POINTS_SETTING = 100_000_000


class BadgeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    employee_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
    kind: Literal["qr", "rfid", "admin"]
    uid: Text | None = Field(default=None, max_length=64)


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text = Field(min_length=1, max_length=200)


class SettingsPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Points bounds as the catalogue's; hours within a month (kiosks add them to a clock).
    offline_spend_limit: int | None = Field(default=None, ge=0, le=MAX_POINTS_SETTING)
    offline_order_limit: int | None = Field(default=None, ge=0, le=MAX_POINTS_SETTING)
    offline_kiosk_limit: int | None = Field(default=None, ge=0, le=MAX_POINTS_SETTING)
    offline_max_hours: int | None = Field(default=None, ge=0, le=24 * 31)
    idle_timeout_seconds: int | None = Field(default=None, ge=10, le=600)
    pin_threshold: int | None = Field(default=None, ge=0, le=MAX_POINTS_SETTING)
    site_timezone: Text | None = Field(default=None, max_length=64)


class DeviceCapsPatch(BaseModel):
    """Per-device caps to change (0: no cap); the others keep their values."""

    model_config = ConfigDict(extra="forbid")
    orders_per_hour: int | None = Field(default=None, ge=0, le=MAX_CAP)
    orders_per_day: int | None = Field(default=None, ge=0, le=MAX_CAP)
    points_per_hour: int | None = Field(default=None, ge=0, le=MAX_CAP)
    points_per_day: int | None = Field(default=None, ge=0, le=MAX_CAP)


# --- employees and badges --------------------------------------------------------------


@router.put("/employees/{employee_id}")
def put_employee(
    employee_id: EmployeePath, body: EmployeeSpec, service: HrActing
) -> dict[str, Any]:
    service.put_employee(employee_id, body)
    return service.employee(employee_id)


@router.get("/employees/{employee_id}")
def get_employee(employee_id: EmployeePath, service: Service, _c: HrCaller) -> dict[str, Any]:
    return service.employee(employee_id)


class PinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pin: Text | None = Field(description="4-8 digits; null clears the PIN", max_length=8)


@router.put("/employees/{employee_id}/pin", status_code=204)
def put_pin(employee_id: EmployeePath, body: PinRequest, service: HrActing) -> Response:
    service.set_pin(employee_id, body.pin)
    return Response(status_code=204)


@router.get("/employees/{employee_id}/entries")
def get_entries(
    employee_id: EmployeePath,
    service: Service,
    _c: HrCaller,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    return {"entries": service.entries(employee_id, limit)}


@router.post("/badges", status_code=201)
def issue_badge(body: BadgeRequest, service: HrActing, caller: HrCaller) -> dict[str, Any]:
    if body.kind == "admin" and caller.role is not Role.ADMIN:
        raise LedgerError(
            ErrorCode.FORBIDDEN, "only an admin issues maintenance badges", status=403
        )
    serial, payload = service.issue_badge(body.employee_id, body.kind, body.uid)
    result: dict[str, Any] = {"serial": serial}
    if payload is not None:
        result["qr"] = payload
    return result


@router.post("/badges/{serial}/revoke")
def revoke_badge(serial: SerialPath, service: HrActing) -> dict[str, Any]:
    service.revoke_badge(serial)
    return {"serial": serial, "revoked": True}


# --- rules, events, adjustments --------------------------------------------------------


@router.get("/rules")
def list_rules(service: Service, _c: HrCaller) -> dict[str, Any]:
    return {"rules": service.list_rules()}


@router.put("/rules/{kind}")
def put_rule(kind: KindPath, body: RuleSpec, service: HrActing) -> dict[str, Any]:
    return service.put_rule(kind, body)


@router.post("/events")
def post_events(
    body: Annotated[list[EventIn], Body(max_length=5000)], service: HrActing
) -> dict[str, Any]:
    outcome = service.ingest_events(body, source="api")
    return {
        "accepted": outcome.accepted,
        "duplicates": outcome.duplicates,
        "rejected": outcome.rejected,
    }


@router.post("/adjustments", status_code=201)
def post_adjustment(body: AdjustmentIn, service: HrActing, response: Response) -> dict[str, Any]:
    transfer_id, created = service.adjust(body)
    if not created:
        response.status_code = 200
    return {"adjustment_id": body.adjustment_id, "transfer_id": transfer_id}


# --- catalogue -------------------------------------------------------------------------


@router.get("/items")
def list_items(service: Service, _c: HrCaller) -> dict[str, Any]:
    return {"items": service.list_items()}


@router.put("/items/{item_id}")
def put_item(item_id: ItemPath, body: ItemSpec, service: HrActing) -> dict[str, Any]:
    return service.put_item(item_id, body)


@router.put("/items/{item_id}/image")
async def put_image(item_id: ItemPath, request: Request, service: HrActing) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_IMAGE_BYTES:
        raise LedgerError(ErrorCode.PAYLOAD_TOO_LARGE, "the image is too large", status=413)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_IMAGE_BYTES:
            raise LedgerError(ErrorCode.PAYLOAD_TOO_LARGE, "the image is too large", status=413)
    sha = await run_in_threadpool(service.put_image, item_id, bytes(data))
    return {"item_id": item_id, "image_sha256": sha}


# --- orders ----------------------------------------------------------------------------


@router.get("/orders")
def list_orders(
    service: Service,
    _c: HrCaller,
    status: OrderStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    return {"orders": service.list_orders(status.value if status else None, limit)}


@router.post("/orders/{order_id}/approve")
def approve(order_id: OrderPath, service: HrActing) -> OrderOut:
    return service.transition(order_id, "approve")


@router.post("/orders/{order_id}/fulfil")
def fulfil(order_id: OrderPath, service: HrActing) -> OrderOut:
    return service.transition(order_id, "fulfil")


@router.post("/orders/{order_id}/reject")
def reject(order_id: OrderPath, body: RejectRequest, service: HrActing) -> OrderOut:
    return service.transition(order_id, "reject", body.reason)


class ReverseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text = Field(min_length=1, max_length=200)


@router.post("/orders/{order_id}/reverse")
def reverse(order_id: OrderPath, body: ReverseRequest, service: AdminActing) -> OrderOut:
    """An admin takes back a fulfilled order: its points are refunded to the worker's lots."""
    return service.reverse_order(order_id, body.reason)


# --- operations ------------------------------------------------------------------------


@router.post("/expiry/run")
def run_expiry(service: HrActing) -> dict[str, int]:
    result = service.run_expiry()
    return {"expired_points": result.expired_points, "lots": result.lots}


@router.get("/devices")
def list_devices(
    service: Service,
    _c: HrCaller,
    stale_minutes: Annotated[int, Query(ge=1, le=100_000)] = 15,
    backlog_minutes: Annotated[int, Query(ge=1, le=100_000)] = 10,
) -> dict[str, Any]:
    return {
        "devices": service.list_devices(
            timedelta(minutes=stale_minutes), timedelta(minutes=backlog_minutes)
        )
    }


@router.get("/audit")
def audit(service: Service, _c: HrCaller) -> dict[str, object]:
    return service.audit_report().as_dict()


@router.get("/device-caps")
def get_device_caps(service: Service, _c: HrCaller) -> dict[str, Any]:
    return service.device_caps().model_dump()


@router.put("/device-caps")
def put_device_caps(body: DeviceCapsPatch, service: AdminActing) -> dict[str, Any]:
    return service.update_device_caps(body.model_dump(exclude_none=True)).model_dump()


@router.get("/settings")
def get_settings(service: Service, _c: HrCaller) -> dict[str, Any]:
    return service.kiosk_settings().model_dump()


@router.put("/settings")
def put_settings(body: SettingsPatch, service: AdminActing) -> dict[str, Any]:
    return service.update_settings(body.model_dump(exclude_none=True)).model_dump()


# --- domain events ---------------------------------------------------------------------


@router.get("/domain-events")
def domain_events(
    service: Service,
    _c: HrCaller,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    type: Annotated[list[Text] | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    """Events after the reader's cursor, oldest first; the next cursor is the last position."""
    events = [e.as_dict() for e in service.events(after, limit, type)]
    return {"events": events, "next": events[-1]["position"] if events else after}


# --- expiry reminders ------------------------------------------------------------------


class ReminderSettingsPut(BaseModel):
    """Days before a lot's expiry at which its worker is reminded (none: no reminders)."""

    model_config = ConfigDict(extra="forbid")
    days: list[int] = Field(max_length=MAX_THRESHOLDS)


@router.get("/expiry-reminders/settings")
def get_reminder_settings(service: Service, _c: HrCaller) -> dict[str, Any]:
    return service.reminder_settings().model_dump()


@router.put("/expiry-reminders/settings")
def put_reminder_settings(body: ReminderSettingsPut, service: HrActing) -> dict[str, Any]:
    return service.update_reminder_settings(body.days).model_dump()


@router.get("/expiry-reminders")
def list_reminders(
    service: Service,
    _c: HrCaller,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    total, rows = service.list_reminders(limit, offset)
    return {"total": total, "reminders": rows}
