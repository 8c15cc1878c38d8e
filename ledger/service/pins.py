"""Use case of a PIN typed at a kiosk: checked here, counted across kiosks, answered by a token."""

from __future__ import annotations

from ledger.domain import pins
from ledger.domain.errors import Conflict, LedgerError, NotFound
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from sync import pin_hash
from sync.protocol import ErrorCode


class PinCases(ServiceBase):
    def check_pin(self, device_id: str, employee_id: str, pin: str) -> pins.PinPass:
        """A single-use token for a right PIN; ``pin_wrong`` (attempts left) or ``pin_locked``.

        The scrypt check runs outside any write transaction (it takes tens of milliseconds,
        and on SQLite a write transaction holds up every order); the outcome is then counted
        under the employee's row lock, where a lockout reached meanwhile still wins.
        """
        with self.db.read() as session:
            record = pins.read_record(session, employee_id)
        if record is None:
            raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {employee_id}")
        if record.pin_hash is None:
            raise Conflict(ErrorCode.PIN_NOT_SET, "this worker has no PIN; ask HR for one")
        now = self.clock()
        if record.locked_until is not None and record.locked_until > now:
            raise pins.locked(record.locked_until, now)
        matched = pin_hash.valid_pin(pin) and pin_hash.verify_pin(pin, record.pin_hash)

        def run(work: Work) -> pins.PinPass | LedgerError:
            outcome = pins.record_check(work.session, employee_id, device_id, matched, work.now)
            if isinstance(outcome, LedgerError):
                work.log(
                    "employee.pin_refused",
                    employee_id,
                    after={"code": outcome.code.value, **outcome.details},
                )
            return outcome

        outcome = self.acting_as(Actor.device(device_id))._run(run)
        if isinstance(outcome, LedgerError):
            raise outcome
        return outcome
