"""Fulfilment by kind of reward: code pools (HR), external systems (admins), and a worker's
codes for the kiosk they stand at."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from ledger.api.deps import AdminActing, DeviceCaller, HrActing, HrCaller, Service
from sync.protocol import CodesOut, CodesRequest, OrderCode, Text

router = APIRouter()
ItemPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
OrderPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,36}$")]


class CodesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    codes: list[Text] = Field(min_length=1, max_length=20_000)


class ExternalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # None clears the item's external system.
    url: Text | None = Field(default=None, max_length=500)
    # Omitted: the ledger makes one and answers it this once.
    secret: Text | None = Field(default=None, min_length=16, max_length=200)


@router.get("/items/{item_id}/fulfilment")
def get_fulfilment(item_id: ItemPath, service: Service, _c: HrCaller) -> dict[str, Any]:
    return service.fulfilment_of(item_id)


@router.post("/items/{item_id}/codes")
def add_codes(item_id: ItemPath, body: CodesIn, service: HrActing) -> dict[str, int]:
    upload = service.add_code_list(item_id, body.codes)
    return {"added": upload.added, "duplicates": upload.duplicates, "remaining": upload.remaining}


@router.put("/items/{item_id}/external")
def put_external(item_id: ItemPath, body: ExternalIn, service: AdminActing) -> dict[str, Any]:
    made = service.set_external_endpoint(item_id, body.url, body.secret)
    return {"fulfilment": service.fulfilment_of(item_id), "secret": made}


@router.post("/orders/{order_id}/code")
def reveal_code(order_id: OrderPath, service: HrActing) -> dict[str, str]:
    """An order's code, on purpose: a POST, written to the action log."""
    return {"order_id": order_id, "code": service.reveal_code(order_id)}


@router.post("/orders/{order_id}/fulfilment/retry", status_code=202)
def retry_fulfilment(order_id: OrderPath, service: HrActing) -> dict[str, str]:
    service.retry_external(order_id)
    return {"order_id": order_id, "status": "pending"}


@router.post("/orders/codes")
def worker_codes(body: CodesRequest, service: Service, caller: DeviceCaller) -> CodesOut:
    assert caller.device_id is not None
    found = service.worker_codes(caller.device_id, body.employee_id, body.evidence)
    return CodesOut(
        codes=[OrderCode(order_id=c.order_id, item_id=c.item_id, code=c.code) for c in found]
    )
