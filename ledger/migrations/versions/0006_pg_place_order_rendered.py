"""PostgreSQL: the order function rendered from ledger/storage/sql/place_order.sql

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

The function now lives in its own template, filled in from the Python constants, and returns
the stored order row. Its result type changed, so the 0002 function is dropped first. From
here on ``migrate()`` re-creates it whenever the rendered text changes (the digest in
``meta``), so later changes to the template need no migration of their own unless they
change the schema.
"""

import importlib.util
from pathlib import Path

from alembic import op

from ledger.storage.pg_functions import PLACE_ORDER, install, uninstall

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _function_of_0002() -> str:
    path = Path(__file__).with_name("0002_pg_place_order.py")
    spec = importlib.util.spec_from_file_location("ledger_migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.PLACE_ORDER)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        install(bind, PLACE_ORDER)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        uninstall(bind, PLACE_ORDER)
        op.execute(_function_of_0002())
