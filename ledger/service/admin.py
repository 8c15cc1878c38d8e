"""Use cases of administration: console users and the kiosks' settings."""

from __future__ import annotations

from typing import Any

from ledger.domain import console_users
from ledger.domain import settings as site_settings
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from sync.protocol import KioskSettings


class AdminCases(ServiceBase):
    def sign_in(
        self, name: str, password: str
    ) -> tuple[str, console_users.SignedIn] | console_users.SignInRefused:
        """A console sign-in; sign-ins and lockouts go to the log like everything people do."""

        def run(work: Work) -> tuple[str, console_users.SignedIn] | console_users.SignInRefused:
            outcome = console_users.sign_in(work.session, name, password, work.now)
            if isinstance(outcome, console_users.SignInRefused):
                if outcome.reason == "locked" and outcome.until is not None:
                    work.actor = Actor.user(name[:80])
                    work.log("user.locked", name[:80])
            else:
                work.actor = Actor.user(outcome[1].name)
                work.log("user.sign_in", outcome[1].name)
            return outcome

        return self._run(run)

    def sign_out(self, token: str) -> None:
        self._run(lambda work: console_users.sign_out(work.session, token))

    def create_user(self, name: str, role: console_users.ConsoleRole, password: str) -> None:
        def run(work: Work) -> None:
            console_users.create_user(work.session, name, role, password, work.now)
            work.log("user.create", name, after={"role": role.value})

        self._run(run)

    def set_user_disabled(self, user_id: int, disabled: bool) -> None:
        def run(work: Work) -> None:
            user = console_users.set_disabled(work.session, user_id, disabled, work.now)
            action = "user.disable" if disabled else "user.enable"
            work.log(action, user.name, after={"disabled": disabled})

        self._run(run)

    def update_settings(self, changes: dict[str, Any]) -> KioskSettings:
        def run(work: Work) -> KioskSettings:
            before = site_settings.get_settings(work.session).model_dump(mode="json")
            result = site_settings.update_settings(work.session, changes)
            after = result.model_dump(mode="json")
            work.log("settings.save", "kiosk", before=before, after=after)
            work.announce(EventType.SETTINGS_CHANGED, "kiosk", after)
            return result

        result = self._run(run)
        self._forget_timezone()
        return result
