"""Events files as stored batches: the preview's verdicts are the import's, on both databases;
a file imported twice changes nothing; an import stopped mid-way goes on where it stopped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from ledger.domain import event_import
from ledger.service import imports
from ledger.storage.import_batches import BatchStatus
from ledger.storage.models import Event, Transfer
from sync.protocol import Localized
from tests.ledger.factory import employee, event, rule

HEADER = "event_id,kind,employee_id,occurred_at\n"
# The clock is 2026-06-15 02:00 UTC; the site is in Asia/Shanghai.
ROWS = [
    "ok-1,performance.excellent,E1,2026-06-01T09:00:00+08:00",  # ready
    ",performance.excellent,E1,2026-06-01T09:00:00+08:00",  # missing_value
    "x" * 129 + ",performance.excellent,E1,2026-06-01T09:00:00+08:00",  # bad_event_id
    "bad-time,performance.excellent,E1,yesterday",  # bad_time
    "old,performance.excellent,E1,1999-12-31T09:00:00+08:00",  # time_out_of_range
    "ok-1,performance.excellent,E1,2026-06-01T09:00:00+08:00",  # duplicate (line 2)
    "hist-1,training.completed,E1,2026-06-02T09:00:00+08:00",  # unchanged
    "hist-1,training.completed,E1,2026-06-03T09:00:00+08:00",  # duplicate (line 8)
    "hist-2,training.completed,E1,2026-06-09T09:00:00+08:00",  # idempotency_mismatch
    "nobody,performance.excellent,E404,2026-06-01T09:00:00+08:00",  # unknown_employee
    "gone,performance.excellent,E2,2026-06-01T09:00:00+08:00",  # employee_inactive
    "no-rule,party.attended,E1,2026-06-01T09:00:00+08:00",  # unknown_kind
    "off,activity.attended,E1,2026-06-01T09:00:00+08:00",  # rule_inactive
    "later,performance.excellent,E1,2026-07-01T09:00:00+08:00",  # occurred_in_future
    "cap-1,training.completed,E1,2026-06-10 09:00",  # ready: history 200 + 100 = 300
    "cap-2,training.completed,E1,2026/6/11 9:00",  # cap_reached (300 + 100 > 300)
    "cap-3,training.completed,E1,2026-05-11T09:00:00+08:00",  # ready: May is empty
    "title,季度绩效优秀,E3,2026-06-01",  # ready: the rule named by its title
]
FILE = (HEADER + "\n".join(ROWS) + "\n").encode()
REASONS = {
    3: "missing_value", 4: "bad_event_id", 5: "bad_time", 6: "time_out_of_range",
    7: "duplicate", 9: "duplicate", 10: "idempotency_mismatch", 11: "unknown_employee",
    12: "employee_inactive", 13: "unknown_kind", 14: "rule_inactive",
    15: "occurred_in_future", 17: "cap_reached",
}  # fmt: skip


@pytest.fixture
def site(service, clock):
    employee(service, "E1")
    employee(service, "E2", active=False)
    employee(service, "E3")
    rule(service)
    training = Localized(zh="培训", en="Training")
    rule(
        service,
        "training.completed",
        points=100,
        cap_per_period=300,
        period="month",
        title=training,
    )
    rule(service, "activity.attended", points=200, active=False, title=training)
    june = datetime(2026, 6, 2, 1, 0, tzinfo=UTC)
    history = [
        event("hist-1", "E1", june, "training.completed"),
        event("hist-2", "E1", june, "training.completed"),
    ]
    assert service.ingest_events(history).accepted == 2
    return service


def _transfers(service) -> int:
    with service.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Transfer)) or 0)


def test_the_import_does_what_the_preview_said(site, clock):
    batch_id = site.preview_events(FILE, "events.csv")
    previewed = site.import_batch(batch_id)
    assert previewed is not None and previewed.status == BatchStatus.PREVIEWED.value
    seen = {r.line: r.reason for r in site.import_refusals(batch_id, "preview")}
    assert seen == REASONS
    assert previewed.preview == {"ready": 4, "unchanged": 1, "refused": 13}
    [cap] = [r for r in site.import_refusals(batch_id, "preview") if r.reason == "cap_reached"]
    assert cap.detail == {"cap": 300, "period": "month", "used": 300}
    balance = site.employee("E1")["balance"]

    assert site.start_import(batch_id) is imports.StartResult.STARTED
    site.run_import(batch_id)
    done = site.import_batch(batch_id)
    assert done is not None and done.status == BatchStatus.DONE.value
    assert (done.accepted, done.unchanged, done.refused) == (4, 1, 13)
    assert {r.line: r.reason for r in site.import_refusals(batch_id, "import")} == REASONS
    assert site.import_refusals(batch_id, "preview") == []  # superseded by the import's
    assert site.employee("E1")["balance"] == balance + 500 + 100 + 100
    assert site.employee("E3")["balance"] == 500
    with site.db.read() as session:
        # A time without a zone is read on the site's clock (Asia/Shanghai).
        cap_1 = session.get(Event, "cap-1")
        assert cap_1 is not None and cap_1.occurred_at == datetime(2026, 6, 10, 1, tzinfo=UTC)
    assert site.audit_report().ok


def test_the_same_file_again_changes_nothing(site):
    first = site.import_events_file(FILE, "events.csv")
    transfers, balance = _transfers(site), site.employee("E1")["balance"]
    again = site.import_events_file(FILE, "events.csv")
    assert again.accepted == 0 and again.unchanged == first.accepted + first.unchanged
    assert _transfers(site) == transfers and site.employee("E1")["balance"] == balance
    assert site.earlier_import(again) == first.id
    # A batch that is done is not run again.
    assert site.start_import(first.id) is imports.StartResult.DONE


def test_an_import_stopped_mid_way_goes_on_where_it_stopped(site, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 4)
    batch_id = site.preview_events(FILE, "events.csv")
    real = imports.record_ready  # type: ignore[attr-defined]
    calls = {"n": 0}

    def failing(session, verdicts, *args, **kwargs):
        earned = real(session, verdicts, *args, **kwargs)
        if any(v.values["event_id"] == "cap-3" for v in verdicts) and calls["n"] == 0:
            calls["n"] += 1
            raise RuntimeError("the server stopped")
        return earned

    monkeypatch.setattr(imports, "record_ready", failing)
    site.start_import(batch_id)
    with pytest.raises(RuntimeError):
        site.run_import(batch_id)
    stopped = site.import_batch(batch_id)
    assert stopped is not None and stopped.status == BatchStatus.FAILED.value
    # The chunks before the failing one are in; the failing one left nothing behind.
    assert stopped.rows_done == 16 and "the server stopped" in stopped.error
    assert site.start_import(batch_id) is imports.StartResult.STARTED
    site.run_import(batch_id)
    done = site.import_batch(batch_id)
    assert done is not None and done.status == BatchStatus.DONE.value
    assert (done.accepted, done.unchanged, done.refused) == (4, 1, 13)
    assert {r.line: r.reason for r in site.import_refusals(batch_id, "import")} == REASONS
    assert site.employee("E1")["balance"] == 200 + 500 + 100 + 100
    assert site.audit_report().ok


def test_times_without_a_zone_follow_the_site_clock(service):
    service.update_settings({"site_timezone": "Europe/Berlin"})
    employee(service, "E1")
    rule(service)
    data = "事件编号;类型;工号;发生时间\nb-1;performance.excellent;E1;2026-06-01 09:00\n"
    batch = service.import_events_file(data.encode("gbk"), "berlin.csv")
    assert batch.accepted == 1 and batch.encoding == "gb18030"
    with service.db.read() as session:
        found = session.get(Event, "b-1")
        assert found is not None and found.occurred_at == datetime(2026, 6, 1, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-01T09:00:00+08:00", datetime(2026, 6, 1, 1, tzinfo=UTC)),
        ("2026-06-01T01:00:00Z", datetime(2026, 6, 1, 1, tzinfo=UTC)),
        ("2026-06-01 09:00", datetime(2026, 6, 1, 1, tzinfo=UTC)),
        ("2026/6/1 9:00:30", datetime(2026, 6, 1, 1, 0, 30, tzinfo=UTC)),
        ("2026-06-01", datetime(2026, 5, 31, 16, tzinfo=UTC)),
        ("2026-06-01T09:00+0800", datetime(2026, 6, 1, 1, tzinfo=UTC)),
        ("2026-02-30 09:00", None),
        ("yesterday", None),
    ],
)
def test_time_formats(text: str, expected: datetime | None) -> None:
    from zoneinfo import ZoneInfo

    assert event_import.parse_time(text, ZoneInfo("Asia/Shanghai")) == expected
