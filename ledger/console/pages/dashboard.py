"""The first page: this month's points, orders waiting, kiosks in trouble."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ledger.console import queries
from ledger.console.web import User, render, service_of

router = APIRouter()


@router.get("")
def dashboard(request: Request, user: User) -> HTMLResponse:
    service = service_of(request)
    with service.db.read() as session:
        figures = queries.dashboard(session, service.clock(), service.site_timezone())
    devices = service.list_devices()
    return render(
        request,
        "dashboard.html",
        user,
        figures=figures,
        offline=[d for d in devices if d["stale"]],
        backlog=[d for d in devices if d["backlog"]],
    )
