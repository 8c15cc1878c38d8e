"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import ledger.storage.connectors  # noqa: F401  (its table joins Base.metadata)
from ledger.storage import fulfilment, import_batches, inbox, job_state, notifications, webhooks  # noqa: F401  (their tables join Base.metadata)
from ledger.storage.database import Database
from ledger.storage.models import Base
from ledger.storage.schema import migrate


def test_migrations_match_the_models(db_url: str) -> None:
    db = Database(db_url)
    try:
        migrate(db)
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        db.dispose()
    assert differences == []
