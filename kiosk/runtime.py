"""Putting the kiosk together from its config: store, service, ledger client, sync thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from kiosk.clock import Clock, SystemClock
from kiosk.config import ConfigError, KioskConfig, parse_url
from kiosk.errors import EnrolmentProblem
from kiosk.mirror import KioskSyncStore
from kiosk.order_codes import LedgerCodeFetcher
from kiosk.pin_check import LedgerPinChecker
from kiosk.service import DeviceInfo, KioskService
from kiosk.store.database import Store, StoreDamaged, open_store
from kiosk.store.models import Device, SyncState
from kiosk.store.recovery import recover_store
from sync import badge_codec
from sync.client import AuthError, LedgerClient, Refused, Timeouts, TlsError, TransientError
from sync.engine import SyncEngine, SyncReport, SyncRunner
from sync.protocol import EnrollRequest, ErrorCode
from sync.status import StatusSnapshot, SyncStatus

log = logging.getLogger(__name__)


class EnrolmentError(Exception):
    """Enrolment failed; the message is one line for IT, ``reason`` says why for the UI."""

    def __init__(self, message: str, reason: EnrolmentProblem = EnrolmentProblem.REFUSED) -> None:
        super().__init__(message)
        self.reason = reason


def open_or_recover(config: KioskConfig, *, recover: bool = True) -> Store:
    """Open the store; a damaged one is set aside and rebuilt (with ``recover``) or reported."""
    try:
        return open_store(config.data_dir)
    except StoreDamaged as exc:
        if not recover:
            raise
        log.error("%s; rebuilding it", exc)
        store, report = recover_store(config.data_dir)
        log.warning(
            "damaged store moved to %s; %d orders queued again; unreadable: %s",
            report.moved_to,
            report.orders_requeued,
            report.unreadable or "nothing",
        )
        return store


@dataclass
class KioskRuntime:
    """A running kiosk: the service for the UI and, once enrolled, the sync engine."""

    config: KioskConfig
    store: Store
    service: KioskService
    status: SyncStatus
    engine: SyncEngine | None
    runner: SyncRunner | None

    @classmethod
    def open(
        cls, config: KioskConfig, *, clock: Clock | None = None, recover: bool = True
    ) -> KioskRuntime:
        clock = clock or SystemClock()
        store = open_or_recover(config, recover=recover)
        with store.read() as session:
            state = session.get_one(SyncState, 1)
            status = SyncStatus(
                StatusSnapshot(last_sync_at=state.last_success_at, last_error=state.last_error)
            )
        runtime = cls(
            config, store, KioskService(store, clock=clock, status=status), status, None, None
        )
        runtime._connect()
        return runtime

    def _connect(self) -> None:
        with self.store.read() as session:
            device = session.get(Device, 1)
            if device is None:
                return
            server, token = self.config.server_url or device.server_url, device.token

        def make_client() -> LedgerClient:
            return LedgerClient(
                server,
                token,
                timeouts=Timeouts(self.config.connect_timeout, self.config.read_timeout),
                verify=self.config.tls_verify,
            )

        client = make_client()
        clock = self.service.clock
        self.service.pin_checker = LedgerPinChecker(make_client)
        self.service.code_fetcher = LedgerCodeFetcher(make_client)
        self.engine = SyncEngine(
            client,
            KioskSyncStore(self.store, clock.now, self.config.history_days),
            self.status,
            page_size=self.config.page_size,
            max_backoff=self.config.max_backoff,
            clock=clock.now,
            monotonic=clock.monotonic,
        )
        self.runner = SyncRunner(
            self.engine, interval=self.config.sync_interval, max_backoff=self.config.max_backoff
        )
        self.service.on_order = self.runner.wake

    @property
    def enrolled(self) -> bool:
        return self.engine is not None

    def sync_once(self) -> SyncReport:
        """One sync pass in this thread (``kiosk sync --once``)."""
        if self.engine is None:
            raise EnrolmentError("this kiosk is not enrolled; run `kiosk enroll` first")
        return self.engine.run_once()

    def start(self) -> None:
        """Start syncing in the background."""
        if self.runner is not None:
            self.runner.start()

    def close(self) -> None:
        if self.runner is not None:
            self.runner.stop()
        if self.engine is not None:
            self.engine.client.close()
        self.store.close()

    def enroll(self, server_url: str, code: str, name: str) -> DeviceInfo:
        """Enrol with a one-time code; keeps the outbox, so orders waiting survive re-enrolment."""
        try:
            server_url = parse_url("server", server_url)
            request = EnrollRequest(code=code, name=name)
        except ConfigError as exc:
            raise EnrolmentError(str(exc), EnrolmentProblem.INVALID) from None
        except ValidationError:
            raise EnrolmentError(
                "the enrolment code and the kiosk name must not be empty", EnrolmentProblem.INVALID
            ) from None
        client = LedgerClient(
            server_url,
            timeouts=Timeouts(self.config.connect_timeout, self.config.read_timeout),
            verify=self.config.tls_verify,
        )
        try:
            answer = client.enroll(request.code, request.name)
        except (Refused, AuthError) as exc:
            if isinstance(exc, AuthError) or exc.code == ErrorCode.INVALID_ENROLL_CODE:
                raise EnrolmentError(
                    "the enrolment code is wrong, expired or already used", EnrolmentProblem.CODE
                ) from None
            raise EnrolmentError(f"the ledger refused the enrolment: {exc.message}") from None
        except TlsError as exc:
            raise EnrolmentError(exc.message, EnrolmentProblem.CERTIFICATE) from None
        except TransientError as exc:
            raise EnrolmentError(exc.message, EnrolmentProblem.UNREACHABLE) from None
        finally:
            client.close()
        try:
            badge_codec.verifying_key_from_text(answer.badge_public_key)
        except ValueError:
            raise EnrolmentError("the ledger sent an unusable badge key") from None
        now: datetime = self.service.clock.now()
        with self.store.write() as session:
            session.merge(
                Device(
                    id=1,
                    device_id=answer.device_id,
                    name=request.name,
                    server_url=server_url.rstrip("/"),
                    token=answer.token,
                    badge_public_key=answer.badge_public_key,
                    enrolled_at=now,
                )
            )
            # Perhaps another ledger: start the mirror afresh (the outbox stays).
            state = session.get_one(SyncState, 1)
            state.cursor = None
            state.epoch = None
            state.generation += 1
            state.snapshot_pending = True
        if self.runner is not None:
            self.runner.stop()
        if self.engine is not None:
            self.engine.client.close()
        self._connect()
        info = self.service.device()
        assert info is not None
        return info
