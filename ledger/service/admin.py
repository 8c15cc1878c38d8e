"""Use cases of administration: console users and the kiosks' settings."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain import console_users, form_tokens, passwords
from ledger.domain import settings as site_settings
from ledger.domain.device_caps import DeviceCaps, get_caps, update_caps
from ledger.domain.errors import LedgerError
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from ledger.service.throttle import SignInThrottle
from ledger.storage.job_state import JobState
from ledger.storage.models import ConsoleUser, HrAction
from sync.protocol import ErrorCode, KioskSettings

SignInOutcome = tuple[str, console_users.SignedIn] | console_users.SignInRefused

FAILED_SIGN_IN = "user.sign_in_failed"
_SIGN_IN_ACTOR = Actor.system("console-sign-in")


def _minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _note_failure(work: Work, name: str, address: str) -> None:
    """Failed sign-ins go to the log as one line per account name and minute, with a count,
    so that a password-guessing burst cannot flood the log (nor the write lock)."""
    line = work.session.scalar(
        select(HrAction)
        .where(
            HrAction.action == FAILED_SIGN_IN,
            HrAction.target == name,
            HrAction.at >= _minute(work.now),
        )
        .order_by(HrAction.id.desc())
        .limit(1)
    )
    if line is None:
        work.log(FAILED_SIGN_IN, name, after={"failures": 1, "addresses": [address]})
        return
    after = json.loads(line.after) if line.after else {}
    addresses = list(after.get("addresses", []))
    if address not in addresses and len(addresses) < 20:
        addresses.append(address)
    line.after = json.dumps(
        {"addresses": addresses, "failures": int(after.get("failures", 0)) + 1},
        ensure_ascii=False,
        sort_keys=True,
    )


class AdminCases(ServiceBase):
    def _setup_caches(self) -> None:
        super()._setup_caches()
        self.sign_in_throttle = SignInThrottle()

    def sign_in(self, name: str, password: str, address: str = "") -> SignInOutcome:
        """A console sign-in from the client ``address``.

        Argon2 runs outside any write transaction (on SQLite a write holds the one writer
        lock every kiosk order needs): the hash is read, checked, then the outcome is written
        in a short transaction that re-reads the user's row under a lock. Unknown names, wrong
        passwords and locked accounts cost the same hashing work. Failures, lockouts and
        throttled attempts go to the action log.
        """
        name = name.strip()[:80]
        now = self.clock()
        verdict = self.sign_in_throttle.admit(name, address, now)
        if not verdict.admitted:
            if verdict.first_refusal:
                self._log_as(_SIGN_IN_ACTOR, "user.sign_in_throttled", name, {"address": address})
            return console_users.SignInRefused("throttled")
        with self.db.read() as session:
            checked = console_users.credentials(session, name)
        right = passwords.verify(checked.password_hash, password)
        if not right or checked.user_id is None:
            return self._sign_in_failed(checked.user_id, name, address)
        new_hash = None
        if passwords.needs_rehash(checked.password_hash):
            new_hash = passwords.hash_password(password)

        def succeed(work: Work) -> SignInOutcome:
            outcome = console_users.open_session(work.session, checked, new_hash, work.now)
            if isinstance(outcome, tuple):
                work.actor = Actor.user(outcome[1].name)
                work.log("user.sign_in", outcome[1].name)
            else:
                work.actor = _SIGN_IN_ACTOR
                _note_failure(work, name, address)
            return outcome

        outcome = self._run(succeed)
        if not isinstance(outcome, console_users.SignInRefused):
            self.sign_in_throttle.succeeded(name, address)
        return outcome

    def _sign_in_failed(
        self, user_id: int | None, name: str, address: str
    ) -> console_users.SignInRefused:
        def run(work: Work) -> console_users.SignInRefused:
            work.actor = _SIGN_IN_ACTOR
            refused = console_users.SignInRefused("wrong")
            if user_id is not None:
                refused, locks = console_users.record_failure(work.session, user_id, work.now)
                if locks:
                    work.log("user.locked", name, after={"until": refused.until})
            _note_failure(work, name, address)
            return refused

        return self._run(run)

    def _log_as(self, actor: Actor, action: str, target: str, after: Any = None) -> None:
        def run(work: Work) -> None:
            work.actor = actor
            work.log(action, target, after=after)

        self._run(run)

    def keep_session_alive(self, token: str) -> None:
        """A request on a session: it stays open another SESSION_IDLE (written once a minute)."""
        self._run(lambda work: console_users.keep_alive(work.session, token, work.now))

    def take_shown_once(self, form_token: str, user_name: str) -> str | None:
        """The value a console post kept under its form's token for ``user_name`` (a new API
        token, an enrolment code), read once: cleared as it is read."""
        return self._run(
            lambda work: form_tokens.take_kept(work.session, form_token, user_name, work.now)
        )

    def sign_out(self, token: str) -> None:
        """End the browser session of this cookie token."""
        self._run(lambda work: console_users.sign_out(work.session, token))

    def create_user(self, name: str, role: console_users.ConsoleRole, password: str) -> None:
        """A new console user; the password must pass the policy and is kept as a hash."""
        with self.db.read() as session:
            console_users.check_name(session, name)  # a clear error before the slow hash
        console_users.check_password(password, name.strip())
        password_hash = passwords.hash_password(password)

        def run(work: Work) -> None:
            user = console_users.create_user(work.session, name, role, password_hash, work.now)
            work.log("user.create", user.name, after={"role": role.value})

        self._run(run)

    def change_own_password(self, user_id: int, current: str, new: str, token: str) -> None:
        """A user sets their own password, proving the current one; their other sessions end.

        Raises :class:`console_users.UserError` for a wrong current password or a refused
        new one (``PasswordRefused``).
        """
        with self.db.read() as session:
            user = self._user(session, user_id)
            stored, name = user.password_hash, user.name
        if not passwords.verify(stored, current):
            raise console_users.UserError("the current password is wrong")
        if new == current:
            raise console_users.PasswordRefused(passwords.WeakPassword("same"))
        console_users.check_password(new, name)
        new_hash = passwords.hash_password(new)

        def run(work: Work) -> None:
            changed = console_users.change_password(work.session, user_id, stored, new_hash, token)
            if changed is None:
                raise console_users.UserError("the password was changed meanwhile")
            work.log("user.password_change", changed.name)

        self._run(run)

    def reset_password(self, user_id: int, new: str) -> None:
        """An admin gives a user a new password, to be changed at their next sign-in."""
        with self.db.read() as session:
            name = self._user(session, user_id).name
        console_users.check_password(new, name)
        new_hash = passwords.hash_password(new)

        def run(work: Work) -> None:
            user = console_users.reset_password(work.session, user_id, new_hash)
            work.log("user.password_reset", user.name, after={"must_change_password": True})

        self._run(run)

    @staticmethod
    def _user(session: Session, user_id: int) -> ConsoleUser:
        user = session.get(ConsoleUser, user_id)
        if user is None:
            raise console_users.UserError("no such user")
        return user

    def set_user_disabled(self, user_id: int, disabled: bool) -> None:
        """Disable or enable a console user."""

        def run(work: Work) -> None:
            user = console_users.set_disabled(work.session, user_id, disabled, work.now)
            action = "user.disable" if disabled else "user.enable"
            work.log(action, user.name, after={"disabled": disabled})

        self._run(run)

    def update_settings(self, changes: dict[str, Any]) -> KioskSettings:
        """Save the kiosks' settings and announce them."""

        def run(work: Work) -> KioskSettings:
            before = site_settings.get_settings(work.session).model_dump(mode="json")
            result = site_settings.update_settings(work.session, changes)
            after = result.model_dump(mode="json")
            work.log("settings.save", "kiosk", before=before, after=after)
            work.announce(EventType.SETTINGS_CHANGED, "kiosk", after)
            return result

        result = self._run(run)
        self._forget_settings()
        return result

    def update_device_caps(self, changes: dict[str, Any]) -> DeviceCaps:
        """Save the per-device caps (the ledger's own, never sent to kiosks) and announce them."""

        def run(work: Work) -> DeviceCaps:
            before = get_caps(work.session).model_dump()
            result = update_caps(work.session, changes)
            work.log("device_caps.save", "kiosks", before=before, after=result.model_dump())
            work.announce(EventType.SETTINGS_CHANGED, "device_caps", result.model_dump())
            return result

        result = self._run(run)
        self._forget_settings()
        return result

    def run_job_now(self, name: str) -> None:
        """Make a scheduled job due now; a runner starts it at its next look (within a minute)."""

        def run(work: Work) -> None:
            row = work.session.get(JobState, name)
            if row is None:
                raise LedgerError(ErrorCode.NOT_FOUND, f"no job named {name}", status=404)
            before = {"next_run": row.next_run.isoformat()}
            row.next_run = work.now
            work.log("job.run_now", name, before=before, after={"next_run": work.now.isoformat()})

        self._run(run)
