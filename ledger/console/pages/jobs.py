"""The scheduled jobs (admins): each job's last run, result and next run; run one now."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.console.i18n import translator
from ledger.console.web import Admin, AdminPoster, acting, back_to, language_of, render, service_of
from ledger.domain.errors import LedgerError
from ledger.jobs.runner import job_states

router = APIRouter()

# What each job does, as the console names it (translated in i18n).
JOB_TITLES = {
    "expiry": "Expire points past their date",
    "webhooks": "Send webhooks",
    "notify": "Send notifications to HR",
    "notify-digest": "Bundle the hourly digests of new orders",
    "notify-waiting": "List the orders waiting too long (once a day)",
    "fulfilment": "Send approved orders to external systems",
    "inbox": "Write workers' kiosk messages",
    "expiry_reminders": "Remind workers of expiring points",
    "connectors": "Import events from HR systems",
}


def _result(text: str) -> str:
    """A stored result (compact JSON, or an error line) as ``key: value`` pairs."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return text


@router.get("/jobs")
def jobs_page(request: Request, user: Admin) -> HTMLResponse:
    with service_of(request).db.read() as session:
        rows = [
            {
                "name": row.name,
                "title": JOB_TITLES.get(row.name, row.name),
                "last_run": row.last_started_at,
                "ok": row.last_ok,
                "result": _result(row.last_result),
                "next_run": row.next_run,
                "running_on": row.leased_by,
                "runs": row.runs,
            }
            for row in job_states(session)
        ]
    return render(request, "jobs.html", user, jobs=rows)


@router.post("/jobs/{name}/run")
def run_now(request: Request, user: AdminPoster, name: str) -> Response:
    _ = translator(language_of(request))
    try:
        acting(request, user).run_job_now(name)
    except LedgerError:
        return back_to("/admin/jobs", _("No such job."), problem=True)
    return back_to("/admin/jobs", _("The job runs within a minute."))
