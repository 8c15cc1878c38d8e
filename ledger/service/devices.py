"""Use cases of kiosks and API callers: who is calling, enrolment, heartbeats, revocation."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ledger.domain import access, device_caps
from ledger.domain.kiosk_clock import check_kiosk_time
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from ledger.storage.models import Device
from sync.protocol import Heartbeat

AUTH_CACHE_SECONDS = 5.0

# A kiosk heartbeats after every sync (every 30 s by default).
STALE_AFTER = timedelta(minutes=15)
BACKLOG_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Caller:
    """An authenticated API caller: its role, its device (kiosks only), its token's name."""

    role: access.Role
    device_id: str | None
    name: str = ""

    @property
    def actor(self) -> Actor:
        """Who the caller's writes are attributed to."""
        if self.device_id is not None:
            return Actor.device(self.device_id)
        return Actor.token(self.name or f"{self.role.value} token")


class DeviceCases(ServiceBase):
    def _setup_caches(self) -> None:
        super()._setup_caches()
        # token digest -> (caller, valid until), read only by the order path, whose own
        # statement refuses a revoked kiosk; every other request reads the token's row.
        self._auth_cache: dict[str, tuple[Caller, float]] = {}

    # --- who is calling --------------------------------------------------------------------

    def cached_caller(self, token: str) -> Caller | None:
        """The caller if seen in the last few seconds, without I/O. Only for placing orders:
        the placement itself refuses a kiosk revoked since (``device_revoked``)."""
        cached = self._auth_cache.get(access.digest(token))
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        return None

    def authenticate(self, token: str) -> Caller:
        """The caller's role, device and name, read from the database: a revoked token or
        kiosk is refused at once, whichever server process revoked it."""
        key = access.digest(token)
        with self.db.read() as session:
            row = access.authenticate(session, token)
            caller = Caller(access.Role(row.role), row.device_id, row.name)
        self._auth_cache[key] = (caller, time.monotonic() + AUTH_CACHE_SECONDS)
        return caller

    def forget_callers(self) -> None:
        """Drop cached token checks (after a revocation in this process)."""
        self._auth_cache.clear()

    # --- kiosks ----------------------------------------------------------------------------

    def create_enroll_code(self, ttl: timedelta = access.ENROLL_CODE_TTL) -> str:
        def run(work: Work) -> str:
            code = access.create_enroll_code(work.session, work.now, ttl)
            work.log("device.enroll_code", "", after={"valid_hours": ttl.total_seconds() / 3600})
            return code

        return self._run(run)

    def enroll(self, code: str, name: str) -> tuple[str, str]:
        """A kiosk spends its one-time code; the new device is the actor of its enrolment."""

        def run(work: Work) -> tuple[str, str]:
            device, token = access.enroll(work.session, code, name, work.now)
            work.actor = Actor.device(device.id)
            work.log("device.enroll", f"{device.name} ({device.id})", after={"name": name})
            work.announce(
                EventType.DEVICE_ENROLLED, device.id, {"device_id": device.id, "name": name}
            )
            return device.id, token

        return self._run(run)

    def heartbeat(self, device_id: str, beat: Heartbeat) -> None:
        # Telemetry, not a change anyone acts on: neither logged nor announced.
        now = self.clock()
        check_kiosk_time("last_sync_at", beat.last_sync_at, now)
        check_kiosk_time("oldest_unsent_at", beat.oldest_unsent_at, now)
        self._run(lambda work: access.record_heartbeat(work.session, device_id, beat, work.now))

    def revoke_device(self, device_id: str) -> None:
        def run(work: Work) -> None:
            device = access.revoke_device(work.session, device_id, work.now)
            work.log("device.revoke", f"{device.name} ({device_id})")
            work.announce(
                EventType.DEVICE_REVOKED, device_id, {"device_id": device_id, "name": device.name}
            )

        self._run(run)
        self.forget_callers()

    def list_devices(
        self, stale_after: timedelta = STALE_AFTER, backlog_after: timedelta = BACKLOG_AFTER
    ) -> list[dict[str, Any]]:
        """Every kiosk with its last heartbeat and what it ordered this hour and today,
        flagged ``stale`` (silent longer than ``stale_after``), ``backlog`` (an order unsent
        for longer than ``backlog_after``) or ``capped`` (a cap refused an order within a
        day)."""
        now = self.clock()
        hour, day = device_caps.hour_start(now), device_caps.day_start(now, self.site_timezone())
        with self.db.read() as session:
            rows = session.scalars(select(Device).order_by(Device.name)).all()
            return [
                {
                    "device_id": d.id,
                    "name": d.name,
                    "enrolled_at": d.enrolled_at,
                    "revoked": d.revoked_at is not None,
                    "version": d.version,
                    "last_seen_at": d.last_seen_at,
                    "last_sync_at": d.last_sync_at,
                    "outbox": d.outbox,
                    "oldest_unsent_at": d.oldest_unsent_at,
                    "oldest_unsent_age_seconds": None
                    if d.oldest_unsent_at is None
                    else int((now - d.oldest_unsent_at).total_seconds()),
                    "stale": d.revoked_at is None
                    and (d.last_seen_at is None or now - d.last_seen_at > stale_after),
                    "backlog": d.outbox > 0
                    and d.oldest_unsent_at is not None
                    and now - d.oldest_unsent_at > backlog_after,
                    "hour_orders": d.hour_orders if d.hour_start == hour else 0,
                    "hour_points": d.hour_points if d.hour_start == hour else 0,
                    "day_orders": d.day_orders if d.day_start == day else 0,
                    "day_points": d.day_points if d.day_start == day else 0,
                    "capped_at": d.capped_at,
                    "capped": d.revoked_at is None
                    and device_caps.capped_recently(d.capped_at, now),
                }
                for d in rows
            ]

    # --- API tokens ------------------------------------------------------------------------

    def create_token(self, role: access.Role, name: str = "") -> str:
        """A new API token for a script or system; its value is shown once."""

        def run(work: Work) -> str:
            token = access.create_token(work.session, role, work.now, name=name)
            work.log("token.create", name, after={"role": role.value})
            return token

        return self._run(run)

    def revoke_token(self, token_id: int) -> None:
        def run(work: Work) -> None:
            row = access.revoke_token(work.session, token_id, work.now)
            work.log("token.revoke", f"{row.name} ({row.role})")

        self._run(run)
        self.forget_callers()
