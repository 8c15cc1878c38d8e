"""PINs are checked by the ledger: this kiosk sends the typed PIN and gets a token or a reason.

Kiosks hold no PIN hashes (a stolen kiosk would give every PIN away to a few minutes of
guessing), so a PIN needs the network; badges keep working offline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import ValidationError

from kiosk.errors import LoginError, LoginProblem
from sync.client import AuthError, LedgerClient, Refused, TransientError
from sync.protocol import ErrorCode, PinCheckRequest


@dataclass(frozen=True)
class PinPass:
    """The ledger's word that this worker typed their PIN here just now (single use)."""

    token: str
    expires_at: datetime


class PinChecker(Protocol):
    def __call__(self, employee_id: str, pin: str) -> PinPass:
        """A pass for a right PIN; raises :class:`LoginError` otherwise."""
        ...


def no_network(employee_id: str, pin: str) -> PinPass:
    """The checker of a kiosk not enrolled yet."""
    raise LoginError(LoginProblem.NEEDS_NETWORK)


class LedgerPinChecker:
    """Asks the ledger, on a client of its own (the sync thread keeps its own)."""

    def __init__(self, make_client: Callable[[], LedgerClient]) -> None:
        self.make_client = make_client

    def __call__(self, employee_id: str, pin: str) -> PinPass:
        try:
            request = PinCheckRequest(employee_id=employee_id, pin=pin)
        except ValidationError:
            raise LoginError(LoginProblem.UNKNOWN_EMPLOYEE) from None
        client = self.make_client()
        try:
            passed = client.check_pin(request)
        except Refused as refused:
            raise _login_error(refused) from None
        except (TransientError, AuthError):
            raise LoginError(LoginProblem.NEEDS_NETWORK) from None
        finally:
            client.close()
        return PinPass(passed.token, passed.expires_at)


def _login_error(refused: Refused) -> LoginError:
    code = refused.code
    if code == ErrorCode.PIN_WRONG:
        left = refused.details.get("attempts_left")
        return LoginError(
            LoginProblem.WRONG_PIN, attempts_left=left if isinstance(left, int) else 0
        )
    if code == ErrorCode.PIN_LOCKED:
        seconds = refused.details.get("retry_after")
        wait = timedelta(seconds=seconds if isinstance(seconds, int) and seconds > 0 else 60)
        return LoginError(LoginProblem.LOCKED, retry_after=wait)
    if code == ErrorCode.PIN_NOT_SET:
        return LoginError(LoginProblem.NO_PIN)
    if code in (ErrorCode.UNKNOWN_EMPLOYEE, ErrorCode.INVALID_REQUEST):
        return LoginError(LoginProblem.UNKNOWN_EMPLOYEE)
    return LoginError(LoginProblem.NEEDS_NETWORK)
