"""A job runner: claims due jobs through the ``jobs`` table, runs them, records how it went.

Any number of runners may share one database: ``ledger worker`` processes, and the thread
``ledger serve`` starts when no worker is configured. A due job is claimed by setting its
lease in one transaction (on PostgreSQL rows another runner is claiming are skipped with
``FOR UPDATE SKIP LOCKED``; SQLite's write transactions are serial), so each due run happens
once.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledger.jobs.schedule import STANDARD_JOBS, JobSpec, result_text
from ledger.service import LedgerService
from ledger.storage.job_state import JobState

log = logging.getLogger("ledger.jobs")

# Short, because deliveries wait for the next look; a look is one small transaction.
POLL_SECONDS = 2.0
# Where the jobs run (``LEDGER_JOBS``, ``ledger serve --jobs``): in the serving process,
# or in separate ``ledger worker`` processes.
IN_PROCESS = "in-process"
WORKER = "worker"
RESULT_LENGTH = 400


def runner_name() -> str:
    """Host, process and a short random part: which runner holds a job, for the console."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class JobRun:
    name: str
    ok: bool
    result: str


class JobRunner:
    """Runs ``jobs`` for ``service`` when they are due."""

    def __init__(
        self,
        service: LedgerService,
        jobs: Sequence[JobSpec] = STANDARD_JOBS,
        name: str | None = None,
    ) -> None:
        self.service = service
        self.jobs = {job.name: job for job in jobs}
        self.name = name or runner_name()
        self._known = False

    def ensure_rows(self) -> None:
        """A row per job, due now, for jobs this database has not seen yet."""
        now = self.service.clock()
        for job in self.jobs.values():
            # Another runner may add it first.
            with contextlib.suppress(IntegrityError):
                self.service.db.run_write(functools.partial(_add_row, name=job.name, now=now))
        self._known = True

    def claim_due(self) -> list[str]:
        """Lease every due job not held by a live lease; the names claimed."""
        now = self.service.clock()

        def claim(session: Session) -> list[str]:
            query = select(JobState).where(
                JobState.name.in_(list(self.jobs)),
                JobState.next_run <= now,
                or_(JobState.lease_until.is_(None), JobState.lease_until < now),
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            claimed = []
            for row in session.scalars(query.order_by(JobState.name)):
                row.lease_until = now + self.jobs[row.name].lease
                row.leased_by = self.name
                row.last_started_at = now
                claimed.append(row.name)
            return claimed

        return self.service.db.run_write(claim)

    def run_due(self) -> list[JobRun]:
        """Run every job that is due now, one after another; what each did."""
        if not self._known:
            self.ensure_rows()
        runs = []
        for name in self.claim_due():
            runs.append(self._run(self.jobs[name]))
        return runs

    def _run(self, job: JobSpec) -> JobRun:
        try:
            text, ok = result_text(job.run(self.service)), True
        except Exception as exc:  # a failed job is recorded and tried at its next time
            log.exception("job %s failed", job.name)
            text, ok = f"{type(exc).__name__}: {exc}", False
        finished = self.service.clock()

        def finish(session: Session) -> None:
            row = session.get(JobState, job.name)
            if row is None or row.leased_by != self.name:
                return  # the lease ran out and another runner took the job over
            row.last_finished_at = finished
            row.last_ok = ok
            row.last_result = text[:RESULT_LENGTH]
            row.runs += 1
            # On the job's own beat; after a long outage, one run now rather than a backlog.
            row.next_run = row.next_run + job.every
            if row.next_run <= finished:
                row.next_run = finished + job.every
            row.lease_until = None
            row.leased_by = ""

        self.service.db.run_write(finish)
        return JobRun(job.name, ok, text)

    def run_forever(self, stop: threading.Event, poll_seconds: float = POLL_SECONDS) -> None:
        """Run due jobs until ``stop`` is set, looking every ``poll_seconds``."""
        while not stop.is_set():
            try:
                self.run_due()
            except Exception:  # the database may be away for a while; try again later
                log.exception("job runner: could not claim or record jobs")
            stop.wait(poll_seconds)


def _add_row(session: Session, name: str, now: datetime) -> None:
    if session.get(JobState, name) is None:
        session.add(JobState(name=name, next_run=now))
        session.flush()


class InProcessJobs:
    """The runner on a daemon thread of the serving process (the embedded default)."""

    def __init__(self, runner: JobRunner, poll_seconds: float = POLL_SECONDS) -> None:
        self.runner = runner
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=runner.run_forever, args=(self._stop, poll_seconds), name="ledger-jobs",
            daemon=True,
        )  # fmt: skip

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def job_states(session: Session) -> list[JobState]:
    """Every job's row, by name (the console's and ``ledger jobs``' view)."""
    return list(session.scalars(select(JobState).order_by(JobState.name)))
