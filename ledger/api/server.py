"""The app factory uvicorn workers import: configuration comes from the environment."""

from __future__ import annotations

import os

from fastapi import FastAPI

from ledger import keys
from ledger.api.app import create_app
from ledger.config import LedgerConfig
from ledger.jobs.runner import IN_PROCESS, WORKER, InProcessJobs, JobRunner
from ledger.service import LedgerService
from ledger.storage.database import Database


def app_from_env() -> FastAPI:
    """Build the app from ``LEDGER_DB_URL`` and ``LEDGER_BADGE_KEY`` (or their defaults).

    The jobs run in this process unless ``LEDGER_JOBS=worker`` says a ``ledger worker``
    runs them.
    """
    config = LedgerConfig.resolve()
    service = LedgerService(
        Database(config.db_url),
        badge_key=keys.load(config.key_path),
        code_key=keys.load_code_key_if_present(config.code_key_path),
    )
    in_process = os.environ.get("LEDGER_JOBS", IN_PROCESS) != WORKER
    return create_app(service, jobs=InProcessJobs(JobRunner(service)) if in_process else None)
