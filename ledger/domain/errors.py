"""Domain errors: a stable code (from the wire protocol), a readable message, an HTTP status."""

from __future__ import annotations

from sync.protocol import ErrorCode


class LedgerError(Exception):
    """A refused request; the API turns it into ``{"error": {"code", "message"}}``."""

    status = 409

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        status: int | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # Extra fields a client acts on (attempts left, locked until), beside code and message.
        self.details = details or {}
        if status is not None:
            self.status = status


class NotFound(LedgerError):
    status = 404


class Conflict(LedgerError):
    status = 409


class Unauthorized(LedgerError):
    status = 401


class Forbidden(LedgerError):
    status = 403


class InsufficientPoints(Conflict):
    def __init__(self, needed: int, balance: int) -> None:
        super().__init__(
            ErrorCode.INSUFFICIENT_POINTS,
            f"needs {needed} points but the balance is {balance}",
        )
        self.needed = needed
        self.balance = balance
