"""The app factory uvicorn workers import: configuration comes from the environment."""

from __future__ import annotations

from fastapi import FastAPI

from ledger import keys
from ledger.api.app import create_app
from ledger.config import LedgerConfig
from ledger.service import LedgerService
from ledger.storage.database import Database


def app_from_env() -> FastAPI:
    """Build the app from ``LEDGER_DB_URL`` and ``LEDGER_BADGE_KEY`` (or their defaults)."""
    config = LedgerConfig.resolve()
    service = LedgerService(Database(config.db_url), badge_key=keys.load(config.key_path))
    return create_app(service)
