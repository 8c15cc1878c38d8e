"""The job runner: due jobs run once, across runners and restarts; the serving process runs
them when no worker is configured; `ledger worker` and `ledger jobs`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ledger import keys
from ledger.domain.errors import LedgerError
from ledger.jobs.runner import InProcessJobs, JobRunner, job_states
from ledger.jobs.schedule import EXPIRY, JobSpec
from ledger.service import LedgerService
from ledger.service.actors import Actor
from ledger.storage.database import Database
from ledger.storage.models import HrAction, Lot
from ledger.storage.schema import init_database
from sync.protocol import ErrorCode
from tests.conftest import FakeClock
from tests.ledger import factory


def _states(service: LedgerService) -> dict[str, tuple[datetime, bool | None, str, int]]:
    with service.db.read() as session:
        return {r.name: (r.next_run, r.last_ok, r.last_result, r.runs) for r in job_states(session)}


def _expired(service: LedgerService, employee_id: str = "E1001") -> list[int]:
    with service.db.read() as session:
        return list(session.scalars(select(Lot.expired).where(Lot.employee_id == employee_id)))


def test_expiry_runs_when_due_and_then_on_its_beat(service: LedgerService, clock: FakeClock):
    factory.employee(service)
    factory.grant(service, "E1001", 100, validity_days=1)
    runner = JobRunner(service, [EXPIRY])
    start = clock.now
    clock.advance(days=3)
    [run] = runner.run_due()
    assert run.ok and json.loads(run.result) == {"expired_points": 100, "lots": 1}
    assert _expired(service) == [100]
    next_run, ok, result, runs = _states(service)["expiry"]
    # It was due since the runner first saw it; after three days, one run, not 72.
    assert start < clock.now and next_run == clock.now + timedelta(hours=1)
    assert (ok, runs) == (True, 1) and json.loads(result)["lots"] == 1
    assert runner.run_due() == []  # not due again yet
    clock.advance(minutes=59)
    assert runner.run_due() == []
    clock.advance(minutes=1)
    assert [r.name for r in runner.run_due()] == ["expiry"]
    assert _states(service)["expiry"][0] == start + timedelta(days=3, hours=2)


def _counting_job(name: str, calls: list[str], pause: float = 0.0) -> JobSpec:
    def run(_service: LedgerService) -> dict[str, object]:
        calls.append(name)
        time.sleep(pause)
        return {"n": len(calls)}

    return JobSpec(name, timedelta(minutes=10), run)


def test_a_failing_job_is_recorded_and_the_others_still_run(service: LedgerService):
    calls: list[str] = []

    def broken(_service: LedgerService) -> dict[str, object]:
        raise RuntimeError("the drop folder is not mounted")

    runner = JobRunner(service, [JobSpec("a-broken", timedelta(hours=1), broken),
                                 _counting_job("b-fine", calls)])  # fmt: skip
    runs = {r.name: r for r in runner.run_due()}
    assert not runs["a-broken"].ok and "not mounted" in runs["a-broken"].result
    assert runs["b-fine"].ok and calls == ["b-fine"]
    states = _states(service)
    assert states["a-broken"][1] is False and "RuntimeError" in states["a-broken"][2]
    assert states["a-broken"][0] > service.clock()  # tried again at its next time


def _runners(db_url: str, clock: FakeClock, jobs: list[JobSpec], n: int) -> list[JobRunner]:
    return [
        JobRunner(LedgerService(Database(db_url), clock=clock), jobs, name=f"runner-{i}")
        for i in range(n)
    ]


def test_runners_sharing_a_database_run_each_due_job_once(
    service: LedgerService, db_url: str, clock: FakeClock
) -> None:
    calls: list[str] = []
    jobs = [_counting_job(f"job-{i}", calls, pause=0.2) for i in range(3)]
    runners = _runners(db_url, clock, jobs, 4)
    runners[0].ensure_rows()
    barrier = threading.Barrier(len(runners))
    done: list[list[str]] = []

    def work(runner: JobRunner) -> None:
        barrier.wait()
        done.append([r.name for r in runner.run_due()])

    threads = [threading.Thread(target=work, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(calls) == ["job-0", "job-1", "job-2"]
    assert sorted(name for names in done for name in names) == sorted(calls)
    for runner in runners:
        runner.service.db.dispose()


def test_a_runner_that_died_loses_its_job_when_the_lease_runs_out(
    service: LedgerService, db_url: str, clock: FakeClock
) -> None:
    calls: list[str] = []
    job = _counting_job("job", calls)
    first, second = _runners(db_url, clock, [job], 2)
    first.ensure_rows()
    assert first.claim_due() == ["job"]  # ... and the process dies before running it
    assert second.run_due() == []  # held
    clock.advance(minutes=31)
    assert [r.name for r in second.run_due()] == ["job"]
    assert _states(second.service)["job"][3] == 1
    first._run(job)  # the first comes back late: its record is not kept
    assert _states(second.service)["job"][3] == 1
    for runner in (first, second):
        runner.service.db.dispose()


def test_run_now_is_audited_and_makes_the_job_due(service: LedgerService, clock: FakeClock):
    calls: list[str] = []
    runner = JobRunner(service, [_counting_job("job", calls)])
    runner.run_due()
    assert runner.run_due() == []
    service.acting_as(Actor.user("it-admin")).run_job_now("job")
    assert [r.name for r in runner.run_due()] == ["job"]
    with service.db.read() as session:
        line = session.scalars(select(HrAction).where(HrAction.action == "job.run_now")).one()
    assert (line.target, line.actor_kind, line.user_name) == ("job", "user", "it-admin")
    with pytest.raises(LedgerError) as caught:
        service.run_job_now("no-such-job")
    assert caught.value.code is ErrorCode.NOT_FOUND


def test_in_process_runner_thread_runs_and_stops(service: LedgerService):
    calls: list[str] = []
    jobs = InProcessJobs(JobRunner(service, [_counting_job("job", calls)]), poll_seconds=0.05)
    jobs.start()
    deadline = time.monotonic() + 20
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    started = time.monotonic()
    jobs.stop()
    assert calls == ["job"] and time.monotonic() - started < 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(check: Callable[[], bool], seconds: float = 40) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_ledger_serve_runs_the_jobs_unless_a_worker_is_configured(db_url: str, tmp_path: Path):
    """`ledger serve` expires due lots by itself; with `--jobs worker` it leaves that to
    `ledger worker`, which does it; `ledger jobs` shows the run."""
    key_path = tmp_path / "key.pem"
    key = keys.create_or_load(key_path)
    db = Database(db_url)
    init_database(db, keys.public_text(key))
    # Granted half a year ago, valid 30 days: due for expiry on the real clock.
    past = LedgerService(db, clock=FakeClock(datetime.now(UTC) - timedelta(days=180)))
    for employee_id in ("E1", "E2"):
        factory.employee(past, employee_id)
        factory.grant(past, employee_id, 70, validity_days=30)
    cli = [sys.executable, "-m", "ledger.cli"]
    env = os.environ | {"LEDGER_DB_URL": db_url, "LEDGER_BADGE_KEY": str(key_path)}
    env.pop("LEDGER_JOBS", None)

    def serve(*extra: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*cli, "serve", "--port", str(_free_port()), "--log-level", "error", *extra], env=env
        )

    service = LedgerService(db)
    with_worker = serve("--jobs", "worker")
    try:
        time.sleep(3)  # time enough to have run them, had it run jobs
        assert with_worker.poll() is None
        assert _expired(service, "E1") == [0] and _states(service) == {}
    finally:
        with_worker.terminate()
        with_worker.wait(30)
    worker = subprocess.run(
        [*cli, "worker", "--once"], env=env, capture_output=True, text=True, timeout=120
    )
    assert worker.returncode == 0 and "expiry: ok {" in worker.stdout, worker.stderr
    assert _expired(service, "E1") == [70]
    listed = subprocess.run(
        [*cli, "jobs", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {
        "expiry",
        "webhooks",
        "fulfilment",
        "notify",
        "notify-digest",
        "notify-waiting",
        "inbox",
        "expiry_reminders",
        "connectors",
    }
    assert rows["expiry"]["ok"] is True and rows["expiry"]["runs"] == 1

    factory.grant(past, "E2", 5, validity_days=30)  # due again, and the job made due now
    service.run_job_now("expiry")
    alone = serve()
    try:
        assert _wait(lambda: _expired(service, "E2") == [70, 5]), _states(service)
    finally:
        alone.terminate()
        alone.wait(30)
    assert _states(service)["expiry"][3] == 2
    db.dispose()
