"""Webhook endpoints and their deliveries (admin tokens): register, list, disable, resend."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from ledger.api.deps import AdminActing, AdminCaller, Service
from sync.protocol import Text

router = APIRouter(prefix="/webhooks")
IdPath = Annotated[int, Path(ge=1, le=2**62)]


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: Text = Field(min_length=1, max_length=500)
    events: list[Text] = Field(min_length=1, max_length=50)
    # Omitted: the ledger makes one and answers it this once.
    secret: Text | None = Field(default=None, min_length=16, max_length=200)
    description: Text = Field(default="", max_length=200)


@router.get("")
def list_webhooks(service: Service, _c: AdminCaller) -> list[dict[str, Any]]:
    return service.list_webhooks()


@router.post("", status_code=201)
def add_webhook(body: WebhookIn, service: AdminActing) -> dict[str, Any]:
    endpoint, secret = service.add_webhook(body.url, body.events, body.secret, body.description)
    return {"endpoint": endpoint, "secret": secret}


@router.post("/{endpoint_id}/disable")
def disable_webhook(endpoint_id: IdPath, service: AdminActing) -> dict[str, Any]:
    return service.set_webhook_active(endpoint_id, False)


@router.post("/{endpoint_id}/enable")
def enable_webhook(endpoint_id: IdPath, service: AdminActing) -> dict[str, Any]:
    return service.set_webhook_active(endpoint_id, True)


@router.get("/deliveries")
def list_deliveries(
    service: Service,
    _c: AdminCaller,
    response: Response,
    endpoint_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    status: Literal["pending", "delivered", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    total, rows = service.list_deliveries(endpoint_id, status, limit, offset)
    response.headers["X-Total-Count"] = str(total)
    return rows


@router.post("/deliveries/{delivery_id}/resend")
def resend_delivery(delivery_id: IdPath, service: AdminActing) -> dict[str, Any]:
    return service.resend_delivery(delivery_id)
