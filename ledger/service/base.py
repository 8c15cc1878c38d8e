"""What every use case runs with: the database, the clock, the actor; one transaction each."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Self, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledger.domain import form_tokens
from ledger.domain import settings as site_settings
from ledger.domain.code_cipher import CodeCipher, missing_key
from ledger.domain.device_caps import DeviceCaps, get_caps
from ledger.domain.evidence import BadgeVerifier
from ledger.service.actors import Actor, ActorKind
from ledger.service.events import EventType, announce
from ledger.storage.database import Database, is_unique_violation
from ledger.storage.models import HrAction
from ledger.storage.schema import get_meta
from sync import badge_codec
from sync.protocol import KioskSettings

T = TypeVar("T")

SETTINGS_CACHE_SECONDS = 5.0


class Brief(Generic[T]):
    """A value kept for a few seconds: what every order reads and an admin rarely changes.
    One object is shared by every :meth:`ServiceBase.acting_as` view of a service."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._value: T | None = None
        self._until = 0.0

    def get(self) -> T | None:
        """The value if it is still fresh, without I/O."""
        return self._value if time.monotonic() < self._until else None

    def fetch(self, load: Callable[[], T]) -> T:
        """The fresh value, loaded again when it is not."""
        found = self.get()
        if found is None:
            found = load()
            self._value, self._until = found, time.monotonic() + self.seconds
        return found

    def clear(self) -> None:
        self._until = 0.0


@dataclass
class FormClaim:
    """A console form's once-only token, claimed by the first use case its post runs (see
    :mod:`ledger.domain.form_tokens`). With ``keep``, that use case's text result is kept
    for one read (a value shown once)."""

    token: str
    user_name: str
    keep: bool = False
    used: bool = False


# A use case loses a unique-key race at most once per competing writer of that key.
UNIQUE_RACE_ATTEMPTS = 4


def utc_now() -> datetime:
    return datetime.now(UTC)


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass
class Work:
    """What a use case writes through, inside its one transaction."""

    session: Session
    now: datetime
    actor: Actor

    def log(self, action: str, target: str, before: Any = None, after: Any = None) -> None:
        """The action log's line: who, when, what, and the record before and after."""
        self.session.add(
            HrAction(
                at=self.now,
                actor_kind=self.actor.kind.value,
                user_name=self.actor.name[:80],
                action=action,
                target=target[:200],
                before=_json(before),
                after=_json(after),
            )
        )

    def announce(self, type_: EventType, subject: str, payload: dict[str, Any]) -> None:
        """A domain event, committed with the change or not at all."""
        announce(self.session, self.now, self.actor, type_, subject, payload)


class ServiceBase:
    """The database, the clock and the actor every use case runs with.

    A service made with :class:`~ledger.service.LedgerService` acts as the ``system``; the API,
    the console and the CLI take :meth:`acting_as` for their caller, so each write names who
    made it.
    """

    def __init__(
        self,
        db: Database,
        *,
        badge_key: Ed25519PrivateKey | None = None,
        clock: Callable[[], datetime] = utc_now,
        actor: Actor | None = None,
        code_key: bytes | None = None,
    ) -> None:
        self.db = db
        self.badge_key = badge_key
        # Encrypts code pools' codes (ledger/domain/code_cipher.py); None on a ledger set up
        # before code pools, which then refuse to work until `ledger init` makes the key.
        self._code_cipher = CodeCipher(code_key) if code_key is not None else None
        self.clock = clock
        self.actor = actor or Actor(ActorKind.SYSTEM, "ledger")
        self._form: FormClaim | None = None
        self._setup_caches()

    def _setup_caches(self) -> None:
        """Per-process caches; shared by every :meth:`acting_as` view of this service."""
        self._settings = Brief[KioskSettings](SETTINGS_CACHE_SECONDS)
        self._caps = Brief[DeviceCaps](SETTINGS_CACHE_SECONDS)
        # The badge key's public half never changes for a database: read once.
        self._verifier: list[BadgeVerifier | None] = [None]

    def acting_as(self, actor: Actor) -> Self:
        """This service (same database, clock and caches) with ``actor`` behind its writes."""
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view.actor = actor
        return view

    def for_form(self, claim: FormClaim | None) -> Self:
        """This service with the next use case it runs claiming ``claim``'s form token: run
        once per token; a second post of the form raises ``FormAlreadySent``."""
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view._form = claim
        return view

    def _run(self, fn: Callable[[Work], T]) -> T:
        """Run one use case in one write transaction (retried whole on a deadlock).

        Retried too when a concurrent transaction inserted the same key first (two replays
        of one adjustment, two creates of one item, one card issued twice at once): run
        again, the use case sees the committed row and answers as for any replay or update,
        or with its own conflict.
        """
        claim = self._form if self._form is not None and not self._form.used else None

        def body(session: Session) -> T:
            work = Work(session, self.clock(), self.actor)
            if claim is not None:  # the form's token first: a second post waits, then stops
                form_tokens.check_unused(session, claim.token)
                form_tokens.mark_used(session, claim.token, claim.user_name, work.now)
            result = fn(work)
            if claim is not None and claim.keep and isinstance(result, str):
                form_tokens.keep(session, claim.token, result)
            return result

        for attempt in range(UNIQUE_RACE_ATTEMPTS):
            try:
                result = self.db.run_write(body)
            except IntegrityError as exc:
                if attempt == UNIQUE_RACE_ATTEMPTS - 1 or not is_unique_violation(exc):
                    raise
            else:
                if claim is not None:
                    claim.used = True
                return result
        raise AssertionError("unreachable")

    def code_cipher(self) -> CodeCipher:
        """The code pools' cipher, or a clear refusal when the ledger has no code key."""
        if self._code_cipher is None:
            raise missing_key()
        return self._code_cipher

    # --- settings every use case may need -------------------------------------------------

    def kiosk_settings(self) -> KioskSettings:
        with self.db.read() as session:
            return site_settings.get_settings(session)

    def _cached_settings(self) -> KioskSettings | None:
        return self._settings.get()

    def current_settings(self) -> KioskSettings:
        """The settings, cached briefly: every order needs the timezone and PIN threshold."""
        return self._settings.fetch(self.kiosk_settings)

    def device_caps(self) -> DeviceCaps:
        with self.db.read() as session:
            return get_caps(session)

    def _cached_caps(self) -> DeviceCaps | None:
        return self._caps.get()

    def current_caps(self) -> DeviceCaps:
        """The per-device caps, cached as briefly as the settings."""
        return self._caps.fetch(self.device_caps)

    def badge_verifier(self) -> BadgeVerifier:
        """Signature checks for the key badges are signed for (read once, then kept)."""
        verifier = self._verifier[0]
        if verifier is None:
            with self.db.read() as session:
                key = badge_codec.public_key_from_text(get_meta(session, "badge_public_key"))
            verifier = self._verifier[0] = BadgeVerifier(key)
        return verifier

    def _cached_timezone(self) -> str | None:
        found = self._cached_settings()
        return found.site_timezone if found is not None else None

    def site_timezone(self) -> str:
        """The site timezone (cached with the settings)."""
        return self.current_settings().site_timezone

    def _forget_settings(self) -> None:
        self._settings.clear()
        self._caps.clear()
