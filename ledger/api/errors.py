"""Every error the API returns is ``{"error": {"code", "message"}}`` with a fitting status."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.domain.errors import LedgerError
from ledger.storage.database import NulInText
from sync.protocol import ErrorCode

log = logging.getLogger(__name__)

_STATUS_CODES = {
    400: ErrorCode.INVALID_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: list[dict[str, str]] | None = None,
    details: dict[str, object] | None = None,
) -> JSONResponse:
    body: dict[str, object] = {**(details or {}), "code": code, "message": message}
    if fields:
        body["fields"] = fields
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _field_name(loc: tuple[object, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


# A page for a browser instead of JSON: (request, status) -> response; the HR console sets it
# for its own paths (``app.state.error_page``), so no JSON ever reaches a person.
ErrorPage = Callable[[Request, int], Response]
CONSOLE_PREFIX = "/admin"


def _page_for(request: Request, status: int) -> Response | None:
    page: ErrorPage | None = getattr(request.app.state, "error_page", None)
    if page is None or not request.url.path.startswith(CONSOLE_PREFIX):
        return None
    return page(request, status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LedgerError)
    async def _ledger_error(request: Request, exc: LedgerError) -> Response:
        if (page := _page_for(request, exc.status)) is not None:
            return page
        return error_response(exc.status, exc.code.value, exc.message, details=exc.details)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if (page := _page_for(request, 422)) is not None:
            return page
        fields = [
            {"field": _field_name(tuple(err.get("loc", ()))), "message": str(err.get("msg", ""))}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
        return error_response(422, ErrorCode.INVALID_REQUEST.value, summary, fields)

    @app.exception_handler(ValidationError)
    async def _invalid_value(request: Request, exc: ValidationError) -> Response:
        # A model built inside a use case (from a console form, say) refused a value.
        if (page := _page_for(request, 422)) is not None:
            return page
        fields = [
            {"field": _field_name(tuple(err.get("loc", ()))), "message": str(err.get("msg", ""))}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
        return error_response(422, ErrorCode.INVALID_REQUEST.value, summary, fields)

    @app.exception_handler(NulInText)
    async def _nul(request: Request, exc: NulInText) -> Response:
        if (page := _page_for(request, 422)) is not None:
            return page
        return error_response(422, ErrorCode.INVALID_REQUEST.value, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if (page := _page_for(request, exc.status_code)) is not None:
            return page
        code = _STATUS_CODES.get(exc.status_code, ErrorCode.INVALID_REQUEST)
        return error_response(exc.status_code, code.value, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        if (page := _page_for(request, 500)) is not None:
            return page
        return error_response(500, ErrorCode.INTERNAL_ERROR.value, "internal error; see the log")
