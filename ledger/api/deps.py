"""Request dependencies: the service and the caller's role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from ledger.domain.access import Role
from ledger.domain.errors import Forbidden, Unauthorized
from ledger.service import Caller, LedgerService
from sync.protocol import ErrorCode

# Dependencies are ``async`` so they run on the event loop: a plain ``def`` would cost a
# thread hop each, on every request.


async def get_service(request: Request) -> LedgerService:
    return request.app.state.service


Service = Annotated[LedgerService, Depends(get_service)]


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(ErrorCode.UNAUTHORIZED, "missing bearer token")
    return token.strip()


async def get_caller(request: Request) -> Caller:
    """The caller, checked against the token's row on every request (no cache window)."""
    service: LedgerService = request.app.state.service
    return await run_in_threadpool(service.authenticate, _bearer(request))


async def get_ordering_kiosk(request: Request) -> Caller:
    """A kiosk placing an order: its token's check may be a few seconds old, because the
    order's own statement refuses a kiosk revoked since; orders are the hot path."""
    service: LedgerService = request.app.state.service
    token = _bearer(request)
    caller = service.cached_caller(token)
    if caller is None:
        caller = await run_in_threadpool(service.authenticate, token)
    if caller.role is not Role.DEVICE:
        raise Forbidden(ErrorCode.FORBIDDEN, f"needs role {Role.DEVICE}")
    return caller


def require(*roles: Role) -> object:
    async def check(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
        if caller.role not in roles:
            raise Forbidden(ErrorCode.FORBIDDEN, f"needs role {' or '.join(roles)}")
        return caller

    return Depends(check)


DeviceCaller = Annotated[Caller, require(Role.DEVICE)]
OrderingKiosk = Annotated[Caller, Depends(get_ordering_kiosk)]
HrCaller = Annotated[Caller, require(Role.HR, Role.ADMIN)]
AdminCaller = Annotated[Caller, require(Role.ADMIN)]


# The service acting for the caller: every write it makes is logged and announced as theirs.


async def _acting_for_hr(request: Request, caller: HrCaller) -> LedgerService:
    return request.app.state.service.acting_as(caller.actor)


async def _acting_for_admin(request: Request, caller: AdminCaller) -> LedgerService:
    return request.app.state.service.acting_as(caller.actor)


async def _acting_for_device(request: Request, caller: DeviceCaller) -> LedgerService:
    return request.app.state.service.acting_as(caller.actor)


HrActing = Annotated[LedgerService, Depends(_acting_for_hr)]
AdminActing = Annotated[LedgerService, Depends(_acting_for_admin)]
DeviceActing = Annotated[LedgerService, Depends(_acting_for_device)]
