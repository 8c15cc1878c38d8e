"""The kiosk's HTTP client for the ledger: one kept-alive connection, timeouts, typed errors.

Every failure is sorted into what the sync engine must do about it: ``TransientError``
(network, timeouts, 5xx, a body cut short: retry later), ``Refused`` (the ledger judged the
request and said no: record the reason, never retry), ``CursorExpired`` (reload a snapshot)
and ``AuthError`` (the device token is not accepted: the kiosk has been disabled).

The connection itself (TLS, proxies, keep-alive) is ``sync.http_connection``, on the standard
library: ``requests`` with urllib3 cost the idle kiosk ~5.5 MB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from sync.http_connection import LedgerConnection, Response, TlsFailure, TransportError
from sync.protocol import (
    CodesOut,
    CodesRequest,
    EnrollRequest,
    EnrollResponse,
    ErrorCode,
    Heartbeat,
    OrderOut,
    PinCheckRequest,
    PinPassOut,
    SyncPage,
)
from sync.version import __version__

API_PREFIX = "/api/v1"


class LedgerError(Exception):
    """Base of every error the client raises."""

    def __init__(
        self,
        message: str,
        code: str = "",
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        # The error's other fields (attempts left, locked until), as the ledger sent them.
        self.details = details or {}


class TransientError(LedgerError):
    """The request may succeed if sent again later."""


class TlsError(TransientError):
    """TLS failed: most often the ledger's certificate is not trusted (wrong address or CA)."""


class Refused(LedgerError):
    """The ledger refused the request for a reason that will not change by retrying."""


class CursorExpired(LedgerError):
    """The ledger does not know our cursor: reload a full snapshot."""


class AuthError(LedgerError):
    """The device token is missing, unknown or revoked."""


@dataclass(frozen=True)
class PushOutcome:
    """What the ledger did with one pushed order: created it or recognised a replay."""

    order: OrderOut
    created: bool


@dataclass(frozen=True)
class Timeouts:
    connect: float = 3.05
    read: float = 15.0


def _error_body(response: Response) -> tuple[str, str]:
    try:
        error = response.json()["error"]
        return str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return "", (response.text[:200] or response.reason or f"HTTP {response.status}")


def _error_details(response: Response) -> dict[str, Any]:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return {}
    if not isinstance(error, dict):
        return {}
    return {k: v for k, v in error.items() if k not in ("code", "message")}


class LedgerClient:
    """Talks to one ledger; thread-compatible (one caller at a time per instance)."""

    def __init__(
        self,
        server_url: str,
        token: str | None = None,
        *,
        timeouts: Timeouts | None = None,
        verify: bool | str = True,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.timeouts = timeouts or Timeouts()
        # True verifies against certifi's bundle (requests' default, which REQUESTS_CA_BUNDLE
        # may replace); a path pins a private CA file, which nothing in the environment replaces.
        self.verify = verify
        self.headers = {"User-Agent": f"points-kiosk/{__version__}"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.connection = LedgerConnection(
            self.server_url + API_PREFIX,
            connect_timeout=self.timeouts.connect,
            read_timeout=self.timeouts.read,
            verify=verify,
            headers=self.headers,
        )

    def close(self) -> None:
        """Close the connection held open, so the ledger sees the kiosk go."""
        self.connection.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Response:
        try:
            response = self.connection.request(method, path, **kwargs)
        except TlsFailure as exc:
            raise TlsError(f"TLS error talking to {self.server_url}: {exc}") from exc
        except TransportError as exc:
            cause = type(exc.__cause__ or exc).__name__
            raise TransientError(f"cannot reach {self.server_url}: {cause}") from exc
        if 300 <= response.status < 400:
            # Not followed: the kiosk's address must be the ledger's own (a redirect would
            # turn an order's POST into a GET, or carry the token elsewhere).
            location = response.headers.get("Location", "")
            raise TransientError(
                f"{self.server_url} redirects to {location or 'another address'}; "
                "set the server address to the ledger's own",
                "",
                response.status,
            )
        if response.status >= 500 or response.status in (408, 429):
            code, message = _error_body(response)
            raise TransientError(
                f"ledger answered {response.status}: {message}", code, response.status
            )
        if response.status == 401:
            code, message = _error_body(response)
            # A 401 about the token; a wrong PIN is also a 401, answered to its caller.
            if code != ErrorCode.PIN_WRONG:
                raise AuthError(message, code or ErrorCode.UNAUTHORIZED.value, 401)
        return response

    @staticmethod
    def _parse(model: type[Any], response: Response) -> Any:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            # A body cut short or mangled on the way: the request may be sent again.
            count = exc.error_count()
            raise TransientError(f"unreadable answer from the ledger ({count} errors)") from None

    def enroll(self, code: str, name: str) -> EnrollResponse:
        """Enrol this kiosk with a one-time code; raises Refused for a bad or used code."""
        body = EnrollRequest(code=code, name=name).model_dump(mode="json")
        response = self._request("POST", "/devices/enroll", json_body=body)
        if response.status != 201:
            code_, message = _error_body(response)
            raise Refused(message, code_, response.status)
        parsed: EnrollResponse = self._parse(EnrollResponse, response)
        return parsed

    def pull(self, cursor: str | None, limit: int = 1000) -> SyncPage:
        """One page of changes after ``cursor`` (``None``: a full snapshot)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = self._request("GET", "/sync", params=params)
        if response.status == 409:
            code, message = _error_body(response)
            if code == ErrorCode.CURSOR_EXPIRED:
                raise CursorExpired(message, code, 409)
        if response.status != 200:
            code, message = _error_body(response)
            raise TransientError(f"sync failed: {message}", code, response.status)
        page: SyncPage = self._parse(SyncPage, response)
        return page

    def push_order(self, body: str) -> PushOutcome:
        """Send one order (its JSON body, byte for byte as first written)."""
        response = self._request(
            "POST", "/orders", body=body.encode(), headers={"Content-Type": "application/json"}
        )
        if response.status in (200, 201):
            return PushOutcome(self._parse(OrderOut, response), response.status == 201)
        code, message = _error_body(response)
        if response.status in (400, 403, 404, 409, 413, 422):
            raise Refused(message, code or ErrorCode.INVALID_REQUEST.value, response.status)
        raise TransientError(f"order push failed: {message}", code, response.status)

    def cancel_order(self, order_id: str, body: str = "") -> OrderOut:
        """Ask the ledger to cancel a pending order (``body``: a ``CancelRequest``, or none)."""
        response = self._request(
            "POST",
            f"/orders/{order_id}/cancel",
            body=(body or "{}").encode(),
            headers={"Content-Type": "application/json"},
        )
        if response.status == 200:
            parsed: OrderOut = self._parse(OrderOut, response)
            return parsed
        code, message = _error_body(response)
        if response.status in (400, 403, 404, 409, 422):
            raise Refused(message, code, response.status)
        raise TransientError(f"cancel failed: {message}", code, response.status)

    def check_pin(self, request: PinCheckRequest) -> PinPassOut:
        """Have the ledger check a typed PIN; a pass, else ``Refused`` with its details."""
        response = self._request("POST", "/pin-checks", json_body=request.model_dump(mode="json"))
        if response.status == 200:
            passed: PinPassOut = self._parse(PinPassOut, response)
            return passed
        code, message = _error_body(response)
        if response.status in (401, 404, 409, 422, 423):
            raise Refused(message, code, response.status, _error_details(response))
        if response.status == 403:
            raise AuthError(message, code, response.status)
        raise TransientError(f"PIN check failed: {message}", code, response.status)

    def worker_codes(self, request: CodesRequest) -> CodesOut:
        """The codes of the worker in front of the kiosk (their evidence in ``request``)."""
        response = self._request("POST", "/orders/codes", json_body=request.model_dump(mode="json"))
        if response.status == 200:
            found: CodesOut = self._parse(CodesOut, response)
            return found
        code, message = _error_body(response)
        if response.status in (400, 403, 404, 409, 422, 503):
            raise Refused(message, code, response.status)
        raise TransientError(f"codes failed: {message}", code, response.status)

    def set_language(self, body: str) -> None:
        """Tell the ledger a worker's language preference (a ``LanguagePreference`` body)."""
        response = self._request(
            "POST",
            "/preferences/language",
            body=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        if response.status == 204:
            return
        code, message = _error_body(response)
        if response.status in (400, 403, 404, 409, 422):
            raise Refused(message, code, response.status)
        raise TransientError(f"preference not delivered: {message}", code, response.status)

    def mark_messages_read(self, body: str) -> None:
        """Tell the ledger a worker read inbox messages (a ``MessagesRead`` body)."""
        response = self._request(
            "POST", "/inbox/read", body=body.encode(), headers={"Content-Type": "application/json"}
        )
        if response.status == 204:
            return
        code, message = _error_body(response)
        if response.status in (400, 403, 404, 409, 422):
            raise Refused(message, code, response.status)
        raise TransientError(f"read mark not delivered: {message}", code, response.status)

    def heartbeat(self, beat: Heartbeat) -> None:
        response = self._request(
            "POST", "/devices/heartbeat", json_body=beat.model_dump(mode="json")
        )
        if response.status != 204:
            code, message = _error_body(response)
            raise TransientError(f"heartbeat failed: {message}", code, response.status)

    def item_image(self, item_id: str) -> tuple[str, bytes]:
        """An item's picture: (content type, bytes)."""
        response = self._request("GET", f"/items/{item_id}/image")
        if response.status != 200:
            code, message = _error_body(response)
            raise Refused(message, code, response.status)
        return response.headers.get("Content-Type", "application/octet-stream"), response.content
