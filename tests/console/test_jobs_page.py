"""The jobs page: admins see each job's last run, result and next run, and run one now."""

from __future__ import annotations

from ledger.console.web import LANGUAGE_COOKIE
from ledger.jobs.runner import JobRunner
from ledger.jobs.schedule import EXPIRY
from ledger.service import LedgerService
from tests.conftest import FakeClock
from tests.console.conftest import Browser
from tests.ledger import factory


def test_admin_sees_the_runs_and_runs_a_job_now(
    admin: Browser, floor: LedgerService, clock: FakeClock
) -> None:
    empty = admin.get("/admin/jobs")
    assert empty.status_code == 200 and "尚无任务运行" in empty.text
    factory.grant(floor, "E1002", 40, validity_days=1)
    clock.advance(days=2)
    assert admin.sign_in("it-admin").status_code == 200  # two days on: a new session
    runner = JobRunner(floor, [EXPIRY])
    runner.run_due()
    page = admin.get("/admin/jobs")
    assert 'data-job="expiry"' in page.text and "清除已过期积分" in page.text
    assert "成功: expired_points: 40, lots: 1" in page.text
    assert runner.run_due() == []  # next run an hour away
    done = admin.post("/admin/jobs/expiry/run")
    assert done.status_code == 200 and "任务将在一分钟内运行" in done.text
    assert [r.name for r in runner.run_due()] == ["expiry"]
    admin.session.cookies.set(LANGUAGE_COOKIE, "en")
    english = admin.get("/admin/jobs")
    assert "Expire points past their date" in english.text and "OK: expired_points" in english.text
    admin.session.cookies.set(LANGUAGE_COOKIE, "zh")
    missing = admin.post("/admin/jobs/nothing/run")
    assert "没有这个任务" in missing.text


def test_hr_may_not_see_or_run_jobs(hr: Browser) -> None:
    assert hr.get("/admin/jobs").status_code == 403
    assert hr.post("/admin/jobs/expiry/run").status_code == 403
