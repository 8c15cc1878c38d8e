"""Request dependencies: the service and the caller's role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from ledger.domain.access import Role
from ledger.domain.errors import Forbidden, Unauthorized
from ledger.service import LedgerService
from sync.protocol import ErrorCode

# Dependencies are ``async`` so they run on the event loop: a plain ``def`` would cost a
# thread hop each, on every request.


async def get_service(request: Request) -> LedgerService:
    return request.app.state.service


Service = Annotated[LedgerService, Depends(get_service)]


@dataclass(frozen=True)
class Caller:
    role: Role
    device_id: str | None


async def get_caller(request: Request) -> Caller:
    service: LedgerService = request.app.state.service
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(ErrorCode.UNAUTHORIZED, "missing bearer token")
    cached = service.cached_caller(token.strip())
    if cached is None:
        cached = await run_in_threadpool(service.authenticate, token.strip())
    return Caller(*cached)


def require(*roles: Role) -> object:
    async def check(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
        if caller.role not in roles:
            raise Forbidden(ErrorCode.FORBIDDEN, f"needs role {' or '.join(roles)}")
        return caller

    return Depends(check)


DeviceCaller = Annotated[Caller, require(Role.DEVICE)]
HrCaller = Annotated[Caller, require(Role.HR, Role.ADMIN)]
AdminCaller = Annotated[Caller, require(Role.ADMIN)]
