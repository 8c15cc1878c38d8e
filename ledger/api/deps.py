"""Request dependencies: the service and the caller's role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ledger.domain.access import Role
from ledger.domain.errors import Forbidden, Unauthorized
from ledger.service import LedgerService
from sync.protocol import ErrorCode


def get_service(request: Request) -> LedgerService:
    return request.app.state.service


Service = Annotated[LedgerService, Depends(get_service)]


@dataclass(frozen=True)
class Caller:
    role: Role
    device_id: str | None


def get_caller(request: Request, service: Service) -> Caller:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(ErrorCode.UNAUTHORIZED, "missing bearer token")
    role, device_id = service.authenticate(token.strip())
    return Caller(role, device_id)


def require(*roles: Role) -> object:
    def check(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
        if caller.role not in roles:
            raise Forbidden(ErrorCode.FORBIDDEN, f"needs role {' or '.join(roles)}")
        return caller

    return Depends(check)


DeviceCaller = Annotated[Caller, require(Role.DEVICE)]
HrCaller = Annotated[Caller, require(Role.HR, Role.ADMIN)]
AdminCaller = Annotated[Caller, require(Role.ADMIN)]
