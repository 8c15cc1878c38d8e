"""Endpoints kiosks call: enrolment, sync, orders, heartbeat."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Query, Request, Response

from ledger.api.deps import DeviceActing, DeviceCaller, OrderingKiosk, Service
from ledger.api.errors import error_response
from ledger.domain.placement import REFUSAL_MESSAGES
from ledger.service import LedgerService
from sync.protocol import (
    CancelRequest,
    EnrollRequest,
    EnrollResponse,
    Heartbeat,
    LanguagePreference,
    MessagesRead,
    OrderOut,
    OrderRequest,
    PinCheckRequest,
    PinPassOut,
    SyncPage,
)

router = APIRouter()


@router.post("/devices/enroll", status_code=201)
def enroll(body: EnrollRequest, service: Service) -> EnrollResponse:
    device_id, token = service.enroll(body.code, body.name)
    return EnrollResponse(
        device_id=device_id, token=token, badge_public_key=service.badge_public_key()
    )


@router.get("/sync", response_model=SyncPage)
def sync(
    service: Service,
    _caller: DeviceCaller,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> Response:
    # Serialised straight from dicts: a full snapshot is millions of rows.
    return Response(service.sync_page_json(cursor, limit), media_type="application/json")


def add_order_route(app: FastAPI, prefix: str) -> None:
    """``POST {prefix}/orders`` on ``app`` itself, ahead of its routers: a request matched
    inside an included router first walks every route of each router it passes through, and
    this is the route every order takes."""
    app.add_api_route(
        f"{prefix}/orders",
        place_order,
        methods=["POST"],
        status_code=201,
        response_model=OrderOut,
        responses={200: {"model": OrderOut, "description": "a replay of an existing order"}},
    )


async def place_order(body: OrderRequest, caller: OrderingKiosk, request: Request) -> Response:
    # The hot path: on PostgreSQL one awaited statement (no thread hop), and the wire model
    # serialised once, straight to JSON. The service is taken from the app rather than
    # through a dependency: each one costs its resolution on every order.
    service: LedgerService = request.app.state.service
    placement = await service.place_order_async(body, caller.device_id)
    refusal = placement.refusal
    if refusal is not None:
        return error_response(409, refusal.value, REFUSAL_MESSAGES.get(refusal, refusal.value))
    return Response(
        placement.order.model_dump_json(),
        status_code=201 if placement.created else 200,
        media_type="application/json",
    )


@router.post("/orders/{order_id}/cancel")
def cancel_order(
    order_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,36}$")],
    service: Service,
    caller: DeviceCaller,
    body: CancelRequest | None = None,
) -> OrderOut:
    assert caller.device_id is not None
    return service.cancel_order(order_id, caller.device_id, body.evidence if body else None)


@router.post("/pin-checks", response_model=PinPassOut)
def check_pin(body: PinCheckRequest, service: Service, caller: DeviceCaller) -> PinPassOut:
    assert caller.device_id is not None
    passed = service.check_pin(caller.device_id, body.employee_id, body.pin)
    return PinPassOut(token=passed.token, expires_at=passed.expires_at)


@router.post("/preferences/language", status_code=204)
def set_language(body: LanguagePreference, service: DeviceActing) -> Response:
    service.set_language(body)
    return Response(status_code=204)


@router.post("/inbox/read", status_code=204)
def mark_messages_read(body: MessagesRead, service: Service, caller: DeviceCaller) -> Response:
    assert caller.device_id is not None
    service.mark_messages_read(body, caller.device_id)
    return Response(status_code=204)


@router.post("/devices/heartbeat", status_code=204)
def heartbeat(body: Heartbeat, service: Service, caller: DeviceCaller) -> Response:
    assert caller.device_id is not None
    service.heartbeat(caller.device_id, body)
    return Response(status_code=204)
