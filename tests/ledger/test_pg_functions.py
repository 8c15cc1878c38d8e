"""The PostgreSQL order function: rendered from the Python constants, kept current by migrate()."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Connection, text

from ledger.storage import pg_functions
from ledger.storage.accounts import SYSTEM_ACCOUNTS, WALLET_PREFIX, TransferKind
from ledger.storage.database import Database
from ledger.storage.pg_functions import (
    PLACE_ORDER,
    SQL_DIR,
    PlaceOutcome,
    TemplateError,
    digest,
    render,
    stored_digest,
)
from ledger.storage.schema import alembic_config, migrate
from sync.periods import PERIOD_MONTHS
from sync.protocol import ErrorCode, OrderStatus
from tests.conftest import PgServer

QUOTED = re.compile(r"'((?:[^']|'')*)'")


def test_the_template_types_no_constant_of_python() -> None:
    template = (SQL_DIR / PLACE_ORDER.template).read_text(encoding="utf-8")
    constants = {
        *ErrorCode,
        *OrderStatus,
        *TransferKind,
        *PlaceOutcome,
        *SYSTEM_ACCOUNTS,
        *PERIOD_MONTHS,
        WALLET_PREFIX,
    }
    typed = {literal for literal in QUOTED.findall(template) if literal in constants}
    assert typed == set()


def test_rendering_fills_in_the_python_values() -> None:
    rendered = PLACE_ORDER.text()
    assert "{{" not in rendered
    assert f"'{WALLET_PREFIX}' || p_employee" in rendered
    assert "IN ('pending', 'approved', 'fulfilled')" in rendered
    assert "WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 WHEN 'year' THEN 12" in rendered
    changed = render(
        (SQL_DIR / PLACE_ORDER.template).read_text(encoding="utf-8"),
        pg_functions.VOCABULARY | {"MEMO_LENGTH": 120},
    )
    assert "left(v_item.title_en, 120)" in changed
    assert digest(changed) != digest(rendered)


@pytest.mark.parametrize(
    "template",
    ["SELECT {{ NOPE }}", "SELECT {{ ErrorCode.NOPE }}", "SELECT {{ 1 }}", "SELECT {{ ORDERS_HELD"],
)
def test_a_placeholder_the_vocabulary_lacks_is_an_error(template: str) -> None:
    with pytest.raises(TemplateError):
        render(template)


def test_literals_are_quoted_for_sql() -> None:
    assert pg_functions.sql_literal("it's") == "'it''s'"
    assert pg_functions.sql_literal(ErrorCode.LIMIT_REACHED) == "'limit_reached'"
    with pytest.raises(TemplateError):
        pg_functions.sql_literal(True)


# --- installing on PostgreSQL ------------------------------------------------------------


@pytest.fixture
def pg_db(pg_server: PgServer) -> Iterator[Database]:
    url = pg_server.new_database()
    db = Database(url)
    yield db
    db.dispose()
    pg_server.drop(url)


def _function(conn: Connection) -> tuple[int, str, str]:
    """The function's oid, result type and source."""
    oid, result, source = conn.execute(
        text(
            "SELECT p.oid::integer, pg_get_function_result(p.oid), p.prosrc FROM pg_proc p"
            " WHERE p.proname = 'ledger_place_order'"
        )
    ).one()
    return oid, result, source


@pytest.mark.pg
def test_migrate_leaves_a_current_function_alone(pg_db: Database) -> None:
    migrate(pg_db)
    with pg_db.engine.connect() as conn:
        before = _function(conn)
        assert stored_digest(conn, PLACE_ORDER) == digest(PLACE_ORDER.text())
    migrate(pg_db)
    with pg_db.engine.connect() as conn:
        assert _function(conn) == before
        assert before[1] == "TABLE(outcome text, placed orders)"


@pytest.mark.pg
def test_migrate_recreates_the_function_when_its_rendered_text_changes(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate(pg_db)
    monkeypatch.setitem(pg_functions.VOCABULARY, "MEMO_LENGTH", 120)
    migrate(pg_db)
    with pg_db.engine.connect() as conn:
        _, _, source = _function(conn)
        assert "left(v_item.title_en, 120)" in source
        assert stored_digest(conn, PLACE_ORDER) == digest(PLACE_ORDER.text())
    monkeypatch.undo()
    migrate(pg_db)
    with pg_db.engine.connect() as conn:
        assert "left(v_item.title_en, 200)" in _function(conn)[2]


@pytest.mark.pg
def test_migrate_recreates_a_dropped_function(pg_db: Database) -> None:
    migrate(pg_db)
    with pg_db.engine.begin() as conn:
        conn.exec_driver_sql("DROP FUNCTION ledger_place_order")
    migrate(pg_db)
    with pg_db.engine.connect() as conn:
        assert _function(conn)[1] == "TABLE(outcome text, placed orders)"


@pytest.mark.pg
def test_downgrade_restores_the_function_of_0002_and_upgrade_brings_it_back(
    pg_db: Database,
) -> None:
    migrate(pg_db)
    config = alembic_config()
    with pg_db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
    with pg_db.engine.connect() as conn:
        assert _function(conn)[1] == "TABLE(outcome text, refusal text)"
        assert stored_digest(conn, PLACE_ORDER) is None
    migrate(pg_db)
    with pg_db.engine.connect() as conn:
        assert _function(conn)[1] == "TABLE(outcome text, placed orders)"
        assert stored_digest(conn, PLACE_ORDER) == digest(PLACE_ORDER.text())
