"""The kiosk's HTTP client for the ledger: one ``requests.Session``, timeouts, typed errors.

Every failure is sorted into what the sync engine must do about it: ``TransientError``
(network, timeouts, 5xx, a body cut short: retry later), ``Refused`` (the ledger judged the
request and said no: record the reason, never retry), ``CursorExpired`` (reload a snapshot)
and ``AuthError`` (the device token is not accepted: the kiosk has been disabled).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from pydantic import ValidationError

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


def _error_body(response: requests.Response) -> tuple[str, str]:
    try:
        error = response.json()["error"]
        return str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        return "", (response.text[:200] or response.reason or f"HTTP {response.status_code}")


def _error_details(response: requests.Response) -> dict[str, Any]:
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
        self.session = requests.Session()
        # True verifies against the system store; a path pins a private CA bundle. Passed with
        # each request: requests lets REQUESTS_CA_BUNDLE in the environment override a
        # session's own setting, which would drop the pinned bundle.
        self.verify = verify
        self.session.headers["User-Agent"] = f"points-kiosk/{__version__}"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        """Close the session and every connection it holds open."""
        # urllib3 2 forgets its pools on clear() without closing their connections, which
        # then stay open until garbage collected (later still while an exception's traceback
        # refers to them): close them here, so the ledger sees the kiosk go.
        for adapter in self.session.adapters.values():
            if isinstance(adapter, requests.adapters.HTTPAdapter):
                pools = adapter.poolmanager.pools
                keys = pools.keys()  # a copy; the container itself cannot be iterated
                for key in keys:
                    pool = pools.get(key)
                    if pool is not None:
                        pool.close()
        self.session.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = self.server_url + API_PREFIX + path
        try:
            response = self.session.request(
                method,
                url,
                timeout=(self.timeouts.connect, self.timeouts.read),
                verify=self.verify,
                **kwargs,
            )
            # Read the whole body here so a connection cut mid-body is a transient error.
            response.content  # noqa: B018
        except requests.exceptions.SSLError as exc:
            raise TlsError(f"TLS error talking to {self.server_url}: {exc}") from exc
        except requests.RequestException as exc:
            raise TransientError(f"cannot reach {self.server_url}: {type(exc).__name__}") from exc
        if response.status_code >= 500 or response.status_code in (408, 429):
            code, message = _error_body(response)
            raise TransientError(
                f"ledger answered {response.status_code}: {message}", code, response.status_code
            )
        if response.status_code == 401:
            code, message = _error_body(response)
            # A 401 about the token; a wrong PIN is also a 401, answered to its caller.
            if code != ErrorCode.PIN_WRONG:
                raise AuthError(message, code or ErrorCode.UNAUTHORIZED.value, 401)
        return response

    @staticmethod
    def _parse(model: type[Any], response: requests.Response) -> Any:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            # A body cut short or mangled on the way: the request may be sent again.
            count = exc.error_count()
            raise TransientError(f"unreadable answer from the ledger ({count} errors)") from None

    def enroll(self, code: str, name: str) -> EnrollResponse:
        """Enrol this kiosk with a one-time code; raises Refused for a bad or used code."""
        body = EnrollRequest(code=code, name=name).model_dump(mode="json")
        response = self._request("POST", "/devices/enroll", json=body)
        if response.status_code != 201:
            code_, message = _error_body(response)
            raise Refused(message, code_, response.status_code)
        parsed: EnrollResponse = self._parse(EnrollResponse, response)
        return parsed

    def pull(self, cursor: str | None, limit: int = 1000) -> SyncPage:
        """One page of changes after ``cursor`` (``None``: a full snapshot)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = self._request("GET", "/sync", params=params)
        if response.status_code == 409:
            code, message = _error_body(response)
            if code == ErrorCode.CURSOR_EXPIRED:
                raise CursorExpired(message, code, 409)
        if response.status_code != 200:
            code, message = _error_body(response)
            raise TransientError(f"sync failed: {message}", code, response.status_code)
        page: SyncPage = self._parse(SyncPage, response)
        return page

    def push_order(self, body: str) -> PushOutcome:
        """Send one order (its JSON body, byte for byte as first written)."""
        response = self._request(
            "POST", "/orders", data=body.encode(), headers={"Content-Type": "application/json"}
        )
        if response.status_code in (200, 201):
            return PushOutcome(self._parse(OrderOut, response), response.status_code == 201)
        code, message = _error_body(response)
        if response.status_code in (400, 403, 404, 409, 413, 422):
            raise Refused(message, code or ErrorCode.INVALID_REQUEST.value, response.status_code)
        raise TransientError(f"order push failed: {message}", code, response.status_code)

    def cancel_order(self, order_id: str, body: str = "") -> OrderOut:
        """Ask the ledger to cancel a pending order (``body``: a ``CancelRequest``, or none)."""
        response = self._request(
            "POST",
            f"/orders/{order_id}/cancel",
            data=(body or "{}").encode(),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code == 200:
            parsed: OrderOut = self._parse(OrderOut, response)
            return parsed
        code, message = _error_body(response)
        if response.status_code in (400, 403, 404, 409, 422):
            raise Refused(message, code, response.status_code)
        raise TransientError(f"cancel failed: {message}", code, response.status_code)

    def check_pin(self, request: PinCheckRequest) -> PinPassOut:
        """Have the ledger check a typed PIN; a pass, else ``Refused`` with its details."""
        response = self._request("POST", "/pin-checks", json=request.model_dump(mode="json"))
        if response.status_code == 200:
            passed: PinPassOut = self._parse(PinPassOut, response)
            return passed
        code, message = _error_body(response)
        if response.status_code in (401, 404, 409, 422, 423):
            raise Refused(message, code, response.status_code, _error_details(response))
        if response.status_code == 403:
            raise AuthError(message, code, response.status_code)
        raise TransientError(f"PIN check failed: {message}", code, response.status_code)

    def worker_codes(self, request: CodesRequest) -> CodesOut:
        """The codes of the worker in front of the kiosk (their evidence in ``request``)."""
        response = self._request("POST", "/orders/codes", json=request.model_dump(mode="json"))
        if response.status_code == 200:
            found: CodesOut = self._parse(CodesOut, response)
            return found
        code, message = _error_body(response)
        if response.status_code in (400, 403, 404, 409, 422, 503):
            raise Refused(message, code, response.status_code)
        raise TransientError(f"codes failed: {message}", code, response.status_code)

    def set_language(self, body: str) -> None:
        """Tell the ledger a worker's language preference (a ``LanguagePreference`` body)."""
        response = self._request(
            "POST",
            "/preferences/language",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code == 204:
            return
        code, message = _error_body(response)
        if response.status_code in (400, 403, 404, 409, 422):
            raise Refused(message, code, response.status_code)
        raise TransientError(f"preference not delivered: {message}", code, response.status_code)

    def mark_messages_read(self, body: str) -> None:
        """Tell the ledger a worker read inbox messages (a ``MessagesRead`` body)."""
        response = self._request(
            "POST", "/inbox/read", data=body.encode(), headers={"Content-Type": "application/json"}
        )
        if response.status_code == 204:
            return
        code, message = _error_body(response)
        if response.status_code in (400, 403, 404, 409, 422):
            raise Refused(message, code, response.status_code)
        raise TransientError(f"read mark not delivered: {message}", code, response.status_code)

    def heartbeat(self, beat: Heartbeat) -> None:
        response = self._request("POST", "/devices/heartbeat", json=beat.model_dump(mode="json"))
        if response.status_code != 204:
            code, message = _error_body(response)
            raise TransientError(f"heartbeat failed: {message}", code, response.status_code)

    def item_image(self, item_id: str) -> tuple[str, bytes]:
        """An item's picture: (content type, bytes)."""
        response = self._request("GET", f"/items/{item_id}/image")
        if response.status_code != 200:
            code, message = _error_body(response)
            raise Refused(message, code, response.status_code)
        return response.headers.get("Content-Type", "application/octet-stream"), response.content
