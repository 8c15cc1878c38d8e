"""Alembic environment: the connection comes from ``ledger.storage.schema.migrate``."""

from __future__ import annotations

from alembic import context

import ledger.storage.connectors  # noqa: F401  (its table joins Base.metadata)
from ledger.storage import (  # noqa: F401  (their tables join Base.metadata)
    contacts,
    fulfilment,
    import_batches,
    inbox,
    job_state,
    notifications,
    webhooks,
)
from ledger.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
