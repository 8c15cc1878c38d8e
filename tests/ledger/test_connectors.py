"""HR systems in: a drop folder fed while the runner runs, a JSON endpoint pulled with a
cursor (and failing, and resuming), refused rows kept in the batches, the same idempotency
as ``POST /events``, the use cases and ``ledger connector``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ledger.domain.errors import LedgerError
from ledger.jobs.connectors import run_connectors
from ledger.jobs.runner import InProcessJobs, JobRunner
from ledger.jobs.schedule import CONNECTORS
from ledger.service import LedgerService
from ledger.storage.models import Event, HrAction
from sync.protocol import Localized
from tests.conftest import FakeClock, build_service
from tests.ledger import factory
from tests.ledger.http import hr_api


def _site(service: LedgerService) -> None:
    factory.employee(service, "E1001")
    factory.employee(service, "E1002")
    factory.rule(service)  # performance.excellent, 500
    factory.rule(
        service, "training.completed", points=100, cap_per_period=300, period="month",
        title=Localized(zh="培训完成", en="Training completed"),
    )  # fmt: skip


def _events(service: LedgerService) -> dict[str, str]:
    with service.db.read() as session:
        return {e: who for e, who in session.execute(select(Event.event_id, Event.employee_id))}


def _wait(check: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _drop(folder: Path, name: str, data: bytes) -> None:
    """As an exporting system should: written under a temporary name, then renamed."""
    part = folder / (name + ".part")
    part.write_bytes(data)
    os.replace(part, folder / name)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _result(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.name + ".result.json").read_text(encoding="utf-8"))


@pytest.fixture
def live_clock_service(db_url: str, key_path: Path) -> Iterator[LedgerService]:
    """A service on the wall clock: the runner's thread runs jobs as time really passes."""
    svc = build_service(db_url, lambda: datetime.now(UTC), key_path)  # type: ignore[arg-type]
    yield svc
    svc.db.dispose()


@pytest.mark.slow
def test_a_drop_folder_fed_while_the_runner_runs(live_clock_service: LedgerService, tmp_path):
    service = live_clock_service
    _site(service)
    drop = tmp_path / "drop"
    drop.mkdir()
    service.add_connector("folder", "hr-drop", path=str(drop), interval_seconds=1)
    runner = JobRunner(service, [replace(CONNECTORS, every=timedelta(milliseconds=200))])
    jobs = InProcessJobs(runner, poll_seconds=0.1)
    jobs.start()
    try:
        # A GBK export with Chinese headers; one row names nobody the ledger knows.
        gbk = (
            "事件编号,类型,工号,时间\n"
            "perf-1,performance.excellent,E1001,2026-03-31 17:00\n"
            "trn-1,培训完成,E1002,2026-04-02 09:00\n"
            "trn-x,training.completed,E9999,2026-04-02 09:00\n"
        ).encode("gbk")
        _drop(drop, "绩效导出.csv", gbk)
        # A file still being written is left alone, however long the runner looks.
        (drop / "training.xlsx.part").write_bytes(b"half a file")
        done_gbk = drop / "done" / "绩效导出.csv"
        assert _wait(done_gbk.exists), list(drop.rglob("*"))
        first = _result(done_gbk)
        assert (first["status"], first["accepted"], first["refused"]) == ("imported", 2, 1)
        assert first["refused_rows"][0]["event_id"] == "trn-x"
        assert first["refused_rows"][0]["reason"] == "unknown_employee"
        assert set(_events(service)) == {"perf-1", "trn-1"}
        assert (drop / "training.xlsx.part").exists()

        (drop / "training.xlsx.part").unlink()
        book = _xlsx([
            ["event_id", "kind", "employee_id", "occurred_at"],
            ["trn-2", "training.completed", "E1001", "2026-04-03 09:00"],
            ["trn-3", "training.completed", "E1001", "2026-04-04 09:00"],
        ])  # fmt: skip
        _drop(drop, "training.xlsx", book)
        _drop(drop, "attendance.csv", b"no,columns,here\n1,2,3\n")
        done_xlsx = drop / "done" / "training.xlsx"
        failed = drop / "failed" / "attendance.csv"
        assert _wait(lambda: done_xlsx.exists() and failed.exists()), list(drop.rglob("*"))
        assert _result(done_xlsx)["accepted"] == 2
        broken = _result(failed)
        assert (broken["status"], broken["reason"]) == ("failed", "missing_columns")
        assert "event_id" in broken["detail"]

        # The same export dropped again: not imported twice, moved aside under a new name.
        batches_before = service.import_batches("events", 0, 100)[1].batches
        _drop(drop, "绩效导出.csv", gbk)
        assert _wait(lambda: len(list((drop / "done").glob("绩效导出.*.csv"))) == 1)
        [again] = (drop / "done").glob("绩效导出.*.csv")
        assert _result(again) == {
            "file": "绩效导出.csv", "status": "already_imported", "batch": first["batch"],
        }  # fmt: skip
        assert service.import_batches("events", 0, 100)[1].batches == batches_before == 2
    finally:
        jobs.stop()
    assert sorted(p.name for p in drop.iterdir()) == ["done", "failed"]
    assert set(_events(service)) == {"perf-1", "trn-1", "trn-2", "trn-3"}
    row = service.connector("hr-drop")
    assert row["last_ok"] is True and row["last_batch_id"] is not None
    # Each file is a batch of kind events, made by the connector's own actor.
    batches, totals = service.import_batches("events", 0, 10)
    assert {b.actor for b in batches} == {"system:connector:hr-drop"}
    assert (totals.accepted, totals.refused) == (4, 1)
    refused = service.import_refusals(first["batch"], "import")
    assert [(r.values["event_id"], r.reason) for r in refused] == [("trn-x", "unknown_employee")]


class _Feed:
    """A JSON endpoint on loopback: pages by cursor; may be told to fail."""

    def __init__(self, pages: dict[str, dict[str, Any]], token: str = "") -> None:
        self.pages = pages
        self.token = token
        self.fail: int | bytes | None = None
        self.asked: list[str] = []
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                cursor = query.get("cursor", [""])[0]
                feed.asked.append(cursor)
                if feed.token and self.headers.get("Authorization") != f"Bearer {feed.token}":
                    self._send(401, b"{}")
                elif isinstance(feed.fail, int):
                    self._send(feed.fail, b"down")
                elif isinstance(feed.fail, bytes):
                    self._send(200, feed.fail)
                else:
                    page = feed.pages.get(cursor, {"events": [], "next_cursor": cursor})
                    self._send(200, json.dumps(page).encode())

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hr/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _ev(event_id: str, employee: str = "E1001", kind: str = "training.completed",
        at: str = "2026-05-0{d}T09:00:00+08:00", day: int = 1) -> dict[str, str]:  # fmt: skip
    return {"event_id": event_id, "kind": kind, "employee_id": employee,
            "occurred_at": at.format(d=day)}  # fmt: skip


@pytest.fixture
def feed() -> Iterator[_Feed]:
    server = _Feed(
        {
            "": {"events": [_ev("lms-1"), _ev("lms-2", "E1002")], "next_cursor": "c2"},
            "c2": {
                "events": [_ev("lms-3", day=2), _ev("lms-4", "E404"), {"event_id": "lms-5"}],
                "next_cursor": "c3",
            },
            "c3": {"events": [], "next_cursor": "c3"},
        },
        token="s3cret-token",
    )
    yield server
    server.close()


def test_a_pull_over_several_pages_then_failing_then_resuming(
    service: LedgerService, clock: FakeClock, feed: _Feed, tmp_path: Path
):
    _site(service)
    service.add_connector("http", "lms", url=feed.url, token="s3cret-token", interval_seconds=60)
    runner = JobRunner(service, [CONNECTORS])
    [run] = runner.run_due()
    assert run.ok and json.loads(run.result) == {"lms": "ok"}
    assert feed.asked == ["", "c2", "c3"]
    row = service.connector("lms")
    assert row["cursor"] == "c3" and row["last_ok"] is True
    assert json.loads(row["last_result"]) == {"accepted": 3, "pages": 3, "refused": 2}
    assert set(_events(service)) == {"lms-1", "lms-2", "lms-3"}
    # Each page with events is a batch; the refused rows are listed in it.
    batches, _totals = service.import_batches("events", 0, 10)
    assert [(b.rows_total, b.accepted, b.refused) for b in batches] == [(3, 1, 2), (2, 2, 0)]
    assert row["last_batch_id"] == batches[0].id
    refused = service.import_refusals(batches[0].id, "import")
    assert [(r.values["event_id"], r.reason) for r in refused] == [
        ("lms-4", "unknown_employee"), ("lms-5", "missing_value"),
    ]  # fmt: skip
    assert "token" not in json.dumps(service.list_connectors()).replace("token_set", "")

    # Not due again before its interval.
    clock.advance(seconds=30)
    asked = len(feed.asked)
    [quiet] = runner.run_due()  # the job looks; the connector is not due
    assert json.loads(quiet.result) == {} and len(feed.asked) == asked
    # The endpoint fails: the error is kept, the cursor stays.
    feed.fail = 503
    clock.advance(seconds=61)
    assert run_connectors(service) == {"lms": "failed"}
    row = service.connector("lms")
    assert (row["cursor"], row["last_ok"]) == ("c3", False)
    assert "HTTP 503" in row["last_result"]
    feed.fail = b"<html>not json</html>"
    clock.advance(seconds=61)
    assert run_connectors(service) == {"lms": "failed"}
    assert "not JSON" in service.connector("lms")["last_result"]
    assert service.connector("lms")["cursor"] == "c3"
    with service.db.read() as session:
        failures = session.scalar(select(func.count()).where(HrAction.action == "connector.failed"))
    assert failures == 2

    # Back, with more since c3: the next run asks from c3 and goes on.
    feed.fail = None
    feed.pages["c3"] = {"events": [_ev("lms-6", day=3)], "next_cursor": "c4"}
    asked = len(feed.asked)
    clock.advance(seconds=61)
    assert run_connectors(service) == {"lms": "ok"}
    assert feed.asked[asked:] == ["c3", "c4"]
    assert service.connector("lms")["cursor"] == "c4"
    assert set(_events(service)) == {"lms-1", "lms-2", "lms-3", "lms-6"}


def test_a_wrong_token_is_an_error_and_moves_nothing(service: LedgerService, feed: _Feed):
    _site(service)
    service.add_connector("http", "lms", url=feed.url, token="wrong")
    assert run_connectors(service) == {"lms": "failed"}
    row = service.connector("lms")
    assert "HTTP 401" in row["last_result"] and row["cursor"] == ""
    assert _events(service) == {}


def test_connector_events_meet_the_rules_caps_and_idempotency_of_post_events(
    service: LedgerService, live: Any
):
    _site(service)
    hr = hr_api(live)
    posted = [_ev("same-1"), _ev("other-1", "E1002", day=2)]
    assert hr.post("/events", json=posted).json()["accepted"] == 2
    feed = _Feed({
        "": {
            "events": [
                _ev("same-1"),  # posted already, same values: a duplicate, not earned twice
                _ev("other-1", "E1001", day=2),  # posted already with other values
                _ev("new-1", day=3), _ev("new-2", day=4),  # the cap: 300 a month, 100 each
                _ev("new-3", day=5),
            ],
            "next_cursor": "end",
        },
    })  # fmt: skip
    try:
        service.add_connector("http", "lms", url=feed.url)
        assert run_connectors(service) == {"lms": "ok"}
    finally:
        feed.close()
    [batch], _ = service.import_batches("events", 0, 10)
    assert (batch.accepted, batch.unchanged, batch.refused) == (2, 1, 2)
    reasons = {r.values["event_id"]: r.reason for r in service.import_refusals(batch.id, "import")}
    assert reasons == {"other-1": "idempotency_mismatch", "new-3": "cap_reached"}
    # And the other way: an event the connector brought, posted again, is a duplicate.
    again = hr.post("/events", json=[_ev("new-1", day=3)]).json()
    assert (again["accepted"], again["duplicates"]) == (0, 1)


def test_connectors_as_use_cases(service: LedgerService, clock: FakeClock, tmp_path: Path):
    def refused(fn: Callable[[], object]) -> int:
        with pytest.raises(LedgerError) as caught:
            fn()
        return caught.value.status

    assert refused(lambda: service.add_connector("folder", "Bad Name", path=str(tmp_path))) == 422
    assert refused(lambda: service.add_connector("folder", "x", path="relative/dir")) == 422
    assert refused(lambda: service.add_connector("http", "x", url="ftp://host/x")) == 422
    assert refused(lambda: service.add_connector("ftp", "x", url="http://h/x")) == 422
    assert refused(lambda: service.add_connector("folder", "x", path="/d", interval_seconds=0))
    service.add_connector("folder", "drop", path=str(tmp_path / "missing"))
    assert refused(lambda: service.add_connector("folder", "drop", path="/other")) == 409
    # A missing folder is the run's error, kept on the connector.
    assert run_connectors(service) == {"drop": "failed"}
    assert "folder not found" in service.connector("drop")["last_result"]
    (tmp_path / "missing").mkdir()
    service.edit_connector("drop", interval_seconds=5)
    service.set_connector_active("drop", False)
    clock.advance(seconds=10)
    assert run_connectors(service) == {}
    assert refused(lambda: service.run_connector_soon("drop")) == 409
    service.set_connector_active("drop", True)
    assert run_connectors(service) == {"drop": "ok"}
    assert run_connectors(service) == {}  # not due again yet
    service.run_connector_soon("drop")
    assert run_connectors(service) == {"drop": "ok"}
    assert refused(lambda: service.edit_connector("nobody", interval_seconds=5)) == 404
    with service.db.read() as session:
        actions = list(session.scalars(select(HrAction.action).order_by(HrAction.id)))
    assert [a for a in actions if a.startswith("connector.")] == [
        "connector.add", "connector.failed", "connector.edit", "connector.disable",
        "connector.enable", "connector.run_now",
    ]  # fmt: skip


@pytest.mark.slow
def test_ledger_connector_commands(db_url: str, tmp_path: Path):
    key = tmp_path / "key.pem"

    def ledger(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ledger.cli", *args, "--db", db_url, "--key-file", str(key)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    assert ledger("init").returncode == 0
    drop = tmp_path / "drop"
    drop.mkdir()
    added = ledger("connector", "add", "folder", "hr-drop", "--path", str(drop), "--interval", "30")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["interval_seconds"] == 30
    (tmp_path / "token").write_text("tok-123\n")
    added = ledger("connector", "add", "http", "lms", "--url", "http://127.0.0.1:9/none",
                   "--token-file", str(tmp_path / "token"))  # fmt: skip
    assert added.returncode == 0 and json.loads(added.stdout)["token_set"] is True
    assert "tok-123" not in added.stdout
    listed = json.loads(ledger("connector", "list").stdout)
    assert [c["name"] for c in listed] == ["hr-drop", "lms"]
    _drop(drop, "x.csv", b"event_id,kind,employee_id,occurred_at\ne1,k.x,E1,2026-01-01\n")
    past = time.time() - 5
    os.utime(drop / "x.csv", (past, past))
    ran = ledger("connector", "run", "hr-drop")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(json.loads(ran.stdout)["last_result"])["refused"] == 1
    assert (drop / "done" / "x.csv").exists()
    failed = ledger("connector", "run", "lms")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert ledger("connector", "disable", "lms").returncode == 0
    assert ledger("connector", "run", "lms").returncode == 1
    missing = ledger("connector", "run", "nobody")
    assert missing.returncode == 2 and "not_found" in missing.stderr
