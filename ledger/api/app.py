"""The ledger's HTTP application: ``/health`` and everything else under ``/api/v1``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import Response

from ledger.api import device_routes, fulfilment_routes, hr_routes, webhook_routes
from ledger.api.deps import Service, get_caller
from ledger.api.errors import install_error_handlers
from ledger.api.limits import DEFAULT_BODY_LIMIT, BodyLimitMiddleware
from ledger.console.mount import install_console
from ledger.jobs.runner import InProcessJobs
from ledger.service import LedgerService
from sync.version import __version__

API_PREFIX = "/api/v1"


def create_app(
    service: LedgerService,
    body_limit: int = DEFAULT_BODY_LIMIT,
    jobs: InProcessJobs | None = None,
) -> FastAPI:
    """The FastAPI app serving ``service``; request bodies over ``body_limit`` bytes (other
    than uploads, which have their own caps) are refused before they are read. ``jobs``, when
    given, run on a thread of this process while it serves."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if jobs is not None:
            jobs.start()
        try:
            yield
        finally:
            if jobs is not None:
                jobs.stop()
            await service.db.close_async()

    app = FastAPI(
        title="Points Ledger", version=__version__, docs_url="/api/docs", lifespan=lifespan
    )
    app.state.service = service
    install_error_handlers(app)

    def health(service: Service) -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "epoch": service.epoch()}

    app.add_api_route("/health", health, methods=["GET"])
    device_routes.add_order_route(app, API_PREFIX)
    api = APIRouter(prefix=API_PREFIX)
    api.add_api_route("/health", health, methods=["GET"])
    api.include_router(device_routes.router)
    # Before the HR routes: /orders/codes is a kiosk's, not /orders/{order_id}/...
    api.include_router(fulfilment_routes.router)
    api.include_router(hr_routes.router)
    api.include_router(webhook_routes.router)

    @api.get("/items/{item_id}/image", response_class=Response)
    def item_image(
        item_id: str, service: Service, _caller: Annotated[object, Depends(get_caller)]
    ) -> Response:
        content_type, data = service.image(item_id)
        return Response(data, media_type=content_type, headers={"Cache-Control": "max-age=86400"})

    app.include_router(api)
    install_console(app)
    # Added last, so outermost: bodies are capped before routing, parsing or authentication,
    # and every response, errors included, carries the common headers.
    app.add_middleware(BodyLimitMiddleware, default_limit=body_limit)
    return app
