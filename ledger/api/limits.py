"""Request body caps (and a NUL-free path) enforced before any parsing, routing or
authentication, and the headers every response carries.

A pure ASGI middleware: it answers ``413 payload_too_large`` when the declared
``Content-Length`` is over the route's cap, and stops a streamed (chunked) body as soon as the
bytes counted so far pass it. Nothing is buffered here, so a huge anonymous post costs the
ledger at most one cap of memory, and other requests keep being served meanwhile. The same
layer adds ``ledger.api.headers.EVERY_RESPONSE`` to each response: one layer instead of two
on every order a kiosk sends.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.api.headers import EVERY_RESPONSE, Header, with_headers
from sync.protocol import ErrorCode

DEFAULT_BODY_LIMIT = 1024 * 1024
# Multipart carries a picture (at most 2 MiB) or a CSV file and its previewed copy (5 MiB
# each, percent-encoded in the worst case), plus the form's other fields.
UPLOAD_BODY_LIMIT = 32 * 1024 * 1024
IMAGE_BODY_LIMIT = 2 * 1024 * 1024
# An HR table (events, the roster): the file (at most 20 MiB, the importers' own limit, so a
# file just over it gets the import page's message) and the form's few small fields.
TABLE_BODY_LIMIT = 20 * 1024 * 1024 + 256 * 1024


@dataclass(frozen=True)
class UploadRoute:
    """A route that takes more than the default body, with its own cap."""

    method: str
    path: re.Pattern[str]
    limit: int


UPLOAD_ROUTES: tuple[UploadRoute, ...] = (
    UploadRoute("PUT", re.compile(r"^/api/v1/items/[^/]+/image$"), IMAGE_BODY_LIMIT),
    UploadRoute("POST", re.compile(r"^/admin/catalogue$"), UPLOAD_BODY_LIMIT),
    UploadRoute("POST", re.compile(r"^/admin/events$"), TABLE_BODY_LIMIT),
    UploadRoute("POST", re.compile(r"^/admin/roster$"), TABLE_BODY_LIMIT),
    UploadRoute("POST", re.compile(r"^/admin/catalogue/[^/]+/codes$"), UPLOAD_BODY_LIMIT),
)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its cap.

    An ``HTTPException`` so that body parsers pass it on untouched (they turn other errors
    into 400) and the app's handler answers it as ``413 payload_too_large``.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


def _error_body(code: ErrorCode, message: str) -> bytes:
    return json.dumps({"error": {"code": code.value, "message": message}}).encode()


def _too_large_body(limit: int) -> bytes:
    return _error_body(
        ErrorCode.PAYLOAD_TOO_LARGE, f"the request body is larger than {limit} bytes"
    )


# The console's pages are for people: a refused body there gets a page, not JSON. Both
# languages, since the cap is checked before anything (the language cookie included) is read.
_CONSOLE_TOO_LARGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>413</title></head><body>'
    "<p>提交的内容过大（上限 {mb} MB），未作任何更改。</p>"
    "<p>What was sent is too large (at most {mb} MB); nothing was changed.</p>"
    '<p><a href="/admin">返回 · Back</a></p></body></html>'
)


def _console_too_large(limit: int) -> bytes:
    return _CONSOLE_TOO_LARGE.format(mb=f"{limit / 1_048_576:g}").encode()


async def _send_error(
    send: Send, status: int, body: bytes, content_type: bytes = b"application/json"
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *EVERY_RESPONSE,
                # The unread rest of the body must not be taken for the next request.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Caps every request body: ``default_limit`` unless an upload route says otherwise; adds
    ``headers`` to every response."""

    def __init__(
        self,
        app: ASGIApp,
        default_limit: int = DEFAULT_BODY_LIMIT,
        uploads: Sequence[UploadRoute] = UPLOAD_ROUTES,
        headers: Sequence[Header] = EVERY_RESPONSE,
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.uploads = tuple(uploads)
        self.headers = tuple(headers)

    def limit_for(self, method: str, path: str) -> int:
        """The body cap for a request to ``method path``."""
        for route in self.uploads:
            if route.method == method and route.path.match(path):
                return route.limit
        return self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"]:
            # No id holds NUL, and PostgreSQL refuses it in a query: answered before routing.
            await _send_error(send, 400, _error_body(ErrorCode.INVALID_REQUEST, "NUL in path"))
            return
        limit = self.limit_for(scope["method"], scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit():
                    body = _error_body(ErrorCode.INVALID_REQUEST, "invalid Content-Length")
                    await _send_error(send, 400, body)
                    return
                if int(value) > limit:
                    await self._too_large(scope, send, limit)
                    return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = with_headers(message, self.headers)
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(scope, send, limit)

    @staticmethod
    async def _too_large(scope: Scope, send: Send, limit: int) -> None:
        if scope["path"].startswith("/admin"):
            html = b"text/html; charset=utf-8"
            await _send_error(send, 413, _console_too_large(limit), html)
        else:
            await _send_error(send, 413, _too_large_body(limit))
