"""Use cases of connectors: HR systems whose events the ledger fetches by itself.

Admins add, edit, disable and run connectors (the console, the CLI); the ``connectors`` job
(:mod:`ledger.jobs.connectors`) claims each due connector, fetches what it has and imports it
as an events batch acting as ``system:connector:<name>``, so its events meet the same rules,
caps and idempotency as ``POST /events`` and its batches show in the console's import pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ledger.domain import connectors as rules
from ledger.domain.errors import LedgerError
from ledger.service.actors import Actor
from ledger.service.base import ServiceBase, Work
from ledger.storage.connectors import Connector, ConnectorKind
from ledger.storage.import_batches import BatchKind, BatchStatus, ImportBatch
from sync.protocol import ErrorCode

# How long a run may hold a connector before another runner may take it over.
LEASE = timedelta(minutes=10)
RESULT_LENGTH = 400


@dataclass(frozen=True)
class Claimed:
    """A connector as a run needs it (the token included: it is sent, never shown)."""

    id: int
    name: str
    kind: str
    path: str
    url: str
    token: str
    cursor: str

    @property
    def actor(self) -> Actor:
        return connector_actor(self.name)


def connector_actor(name: str) -> Actor:
    """The system actor a connector's imports run as: ``system:connector:<name>``."""
    return Actor.system(f"connector:{name}")


def connector_out(row: Connector) -> dict[str, Any]:
    """A connector as the console and the CLI show it (never its token)."""
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "path": row.path,
        "url": row.url,
        "token_set": bool(row.token),
        "interval_seconds": row.interval_seconds,
        "active": row.active,
        "cursor": row.cursor,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
        "next_run_at": row.next_run_at.isoformat(),
        "last_run_at": row.last_run_at.isoformat() if row.last_run_at else None,
        "last_ok": row.last_ok,
        "last_result": row.last_result,
        "last_batch_id": row.last_batch_id,
        "runs": row.runs,
    }


def _named(session: Session, name: str) -> Connector:
    row = session.scalar(select(Connector).where(Connector.name == name))
    if row is None:
        raise LedgerError(ErrorCode.NOT_FOUND, f"no connector named {name}", status=404)
    return row


def _shown(row: Connector) -> dict[str, Any]:
    """What the action log keeps of a connector (no token, no run state)."""
    return {
        "name": row.name, "kind": row.kind, "path": row.path, "url": row.url,
        "token_set": bool(row.token), "interval_seconds": row.interval_seconds,
        "active": row.active,
    }  # fmt: skip


class ConnectorCases(ServiceBase):
    # --- admins -----------------------------------------------------------------------------

    def add_connector(
        self,
        kind: str,
        name: str,
        *,
        path: str = "",
        url: str = "",
        token: str = "",
        interval_seconds: int = rules.DEFAULT_INTERVAL,
    ) -> dict[str, Any]:
        """A new connector, due at once: a drop ``path`` or a JSON endpoint's ``url``."""
        from ledger.domain.webhooks import check_url

        which = rules.check_kind(kind)
        name = rules.check_name(name)
        interval = rules.check_interval(interval_seconds)
        if which is ConnectorKind.FOLDER:
            path, url, token = rules.check_folder(path), "", ""
        else:
            path, url, token = "", check_url(url), rules.check_token(token)

        def run(work: Work) -> dict[str, Any]:
            taken = work.session.scalar(select(func.count()).where(Connector.name == name))
            if taken:
                raise LedgerError(ErrorCode.INVALID_REQUEST, "name: taken", status=409)
            row = Connector(
                name=name, kind=which.value, path=path, url=url, token=token,
                interval_seconds=interval, active=True, cursor="", created_at=work.now,
                created_by=work.actor.label[:120], next_run_at=work.now, last_result="", runs=0,
            )  # fmt: skip
            work.session.add(row)
            work.session.flush()
            work.log("connector.add", f"connector:{name}", after=_shown(row))
            return connector_out(row)

        return self._run(run)

    def edit_connector(
        self,
        name: str,
        *,
        path: str | None = None,
        url: str | None = None,
        token: str | None = None,
        interval_seconds: int | None = None,
    ) -> dict[str, Any]:
        """Change what is given (a token of "" removes it); the cursor stays."""
        from ledger.domain.webhooks import check_url

        def run(work: Work) -> dict[str, Any]:
            row = _named(work.session, name)
            before = _shown(row)
            if interval_seconds is not None:
                row.interval_seconds = rules.check_interval(interval_seconds)
            if row.kind == ConnectorKind.FOLDER.value:
                if url or token:
                    raise LedgerError(
                        ErrorCode.INVALID_REQUEST, "url: a folder has none", status=422
                    )
                if path is not None:
                    row.path = rules.check_folder(path)
            else:
                if path:
                    raise LedgerError(
                        ErrorCode.INVALID_REQUEST, "path: an endpoint has none", status=422
                    )
                if url is not None:
                    row.url = check_url(url)
                if token is not None:
                    row.token = rules.check_token(token)
            work.log("connector.edit", f"connector:{name}", before=before, after=_shown(row))
            return connector_out(row)

        return self._run(run)

    def set_connector_active(self, name: str, active: bool) -> dict[str, Any]:
        """Disable (no more runs) or enable (due at once) a connector."""

        def run(work: Work) -> dict[str, Any]:
            row = _named(work.session, name)
            before = _shown(row)
            row.active = active
            if active:
                row.next_run_at = work.now
            action = "connector.enable" if active else "connector.disable"
            work.log(action, f"connector:{name}", before=before, after=_shown(row))
            return connector_out(row)

        return self._run(run)

    def run_connector_soon(self, name: str) -> dict[str, Any]:
        """Make an active connector due now; the ``connectors`` job runs it at its next look."""

        def run(work: Work) -> dict[str, Any]:
            row = _named(work.session, name)
            if not row.active:
                raise LedgerError(ErrorCode.INVALID_REQUEST, "connector: disabled", status=409)
            before = {"next_run_at": row.next_run_at.isoformat()}
            row.next_run_at = work.now
            work.log(
                "connector.run_now", f"connector:{name}", before=before,
                after={"next_run_at": work.now.isoformat()},
            )  # fmt: skip
            return connector_out(row)

        return self._run(run)

    def list_connectors(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            return [connector_out(r) for r in session.scalars(select(Connector).order_by("name"))]

    def connector(self, name: str) -> dict[str, Any]:
        with self.db.read() as session:
            return connector_out(_named(session, name))

    # --- the job ----------------------------------------------------------------------------

    def claim_connectors(self, name: str | None = None) -> list[Claimed]:
        """Lease the active connectors that are due (or the one named, due or not) and not
        held by another run; what each run needs."""

        def run(work: Work) -> list[Claimed]:
            query = select(Connector).where(
                Connector.active.is_(True),
                or_(Connector.lease_until.is_(None), Connector.lease_until < work.now),
            )
            if name is not None:
                query = query.where(Connector.name == name)
            else:
                query = query.where(Connector.next_run_at <= work.now)
            if work.session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            claimed = []
            for row in work.session.scalars(query.order_by(Connector.name)):
                row.lease_until = work.now + LEASE
                claimed.append(
                    Claimed(row.id, row.name, row.kind, row.path, row.url, row.token, row.cursor)
                )
            return claimed

        return self.db.run_write(lambda session: run(Work(session, self.clock(), self.actor)))

    def advance_connector_cursor(
        self, connector_id: int, cursor: str, batch_id: int | None
    ) -> None:
        """Keep the cursor once the page asked with the old one is imported as ``batch_id``
        (None: the page had no events)."""

        def run(work: Work) -> None:
            row = work.session.get(Connector, connector_id)
            if row is None:
                return
            before = {"cursor": row.cursor}
            row.cursor = cursor
            if batch_id is not None:
                row.last_batch_id = batch_id
            work.log(
                "connector.cursor", f"connector:{row.name}", before=before,
                after={"cursor": cursor, "batch": batch_id},
            )  # fmt: skip

        self._run(run)

    def finish_connector_run(
        self, connector_id: int, ok: bool, result: str, batch_id: int | None
    ) -> None:
        """A run's outcome: kept on the connector, the lease given back, the next run set."""

        def run(work: Work) -> None:
            row = work.session.get(Connector, connector_id)
            if row is None:
                return
            row.last_run_at = work.now
            row.last_ok = ok
            row.last_result = result[:RESULT_LENGTH]
            if batch_id is not None:
                row.last_batch_id = batch_id
            row.runs += 1
            row.lease_until = None
            row.next_run_at = work.now + timedelta(seconds=row.interval_seconds)
            if not ok:
                work.log(
                    "connector.failed", f"connector:{row.name}",
                    after={"error": row.last_result},
                )  # fmt: skip

        self._run(run)

    def connector_imported(self, name: str, file_name: str, sha256: str) -> int | None:
        """The batch in which this connector imported this very file (name and content)."""
        with self.db.read() as session:
            found = session.scalar(
                select(func.min(ImportBatch.id)).where(
                    ImportBatch.kind == BatchKind.EVENTS.value,
                    ImportBatch.actor == connector_actor(name).label,
                    ImportBatch.file_name == file_name[:200],
                    ImportBatch.file_sha256 == sha256,
                    ImportBatch.status == BatchStatus.DONE.value,
                )
            )
            return int(found) if found is not None else None
