"""PostgreSQL functions the ledger installs, rendered from the templates in ``sql/``.

A template names Python constants in double braces (``{{ ORDERS_HELD }}``,
``{{ ErrorCode.LIMIT_REACHED }}``); :func:`render` writes their values as SQL literals. So an
error code, an order status or an account name exists once, in Python, and the database
function cannot drift from it.

Migration 0006 creates the functions and stores the SHA-256 of each rendered text in
``meta``; :func:`install_changed`, which ``migrate()`` runs after Alembic, re-creates a
function whenever its rendered text no longer matches the stored digest or the function is
gone. A migration per change would freeze a copy of the text, while the text follows
constants that live in code: keyed on the rendered text, any change is caught, even one made
only by a constant.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, text

from ledger.storage.accounts import ORDERS_HELD, WALLET_PREFIX, TransferKind
from ledger.storage.models import MEMO_LENGTH, Meta, table_of
from sync.periods import PERIOD_MONTHS
from sync.protocol import LIMIT_COUNTED_STATUSES, ErrorCode, OrderStatus

SQL_DIR = Path(__file__).resolve().parent / "sql"

# pg_advisory_xact_lock key for installing functions ("PKFN"): two `ledger init` at once
# would otherwise both re-create a function and one fail on the catalogue row.
INSTALL_LOCK = 0x504B464E


class PlaceOutcome(StrEnum):
    """What ``ledger_place_order`` did, besides the unknown employee and item codes."""

    CREATED = "created"
    EXISTING = "existing"


VOCABULARY: dict[str, object] = {
    "WALLET_PREFIX": WALLET_PREFIX,
    "ORDERS_HELD": ORDERS_HELD,
    "TransferKind": TransferKind,
    "OrderStatus": OrderStatus,
    "ErrorCode": ErrorCode,
    "PlaceOutcome": PlaceOutcome,
    "LIMIT_COUNTED_STATUSES": LIMIT_COUNTED_STATUSES,
    "PERIOD_MONTHS": PERIOD_MONTHS,
    "MEMO_LENGTH": MEMO_LENGTH,
}

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\}\}")


class TemplateError(ValueError):
    """A template names something the vocabulary lacks, or a value has no SQL spelling."""


def sql_literal(value: object) -> str:
    """A Python constant as SQL: a string or int as a literal, a sequence as a comma list,
    a mapping as the ``WHEN key THEN value`` arms of a ``CASE``."""
    if isinstance(value, str):
        return "'" + str.replace(value, "'", "''") + "'"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, tuple | list):
        return ", ".join(sql_literal(v) for v in value)
    if isinstance(value, Mapping):
        return " ".join(f"WHEN {sql_literal(k)} THEN {sql_literal(v)}" for k, v in value.items())
    raise TemplateError(f"no SQL literal for {value!r}")


def render(template: str, vocabulary: Mapping[str, object] | None = None) -> str:
    """Fill in every ``{{ NAME }}`` and ``{{ Enum.MEMBER }}`` of ``template`` from
    ``vocabulary`` (by default :data:`VOCABULARY`)."""
    names = VOCABULARY if vocabulary is None else vocabulary

    def fill(match: re.Match[str]) -> str:
        name, member = match.group(1), match.group(2)
        if name not in names:
            raise TemplateError(f"unknown name {match.group(0)}")
        value = names[name]
        if member is not None:
            if not hasattr(value, member):
                raise TemplateError(f"unknown name {match.group(0)}")
            value = getattr(value, member)
        return sql_literal(value)

    rendered = _PLACEHOLDER.sub(fill, template)
    if "{{" in rendered or "}}" in rendered:
        raise TemplateError("a placeholder is malformed: braces are left after rendering")
    return rendered


def digest(rendered: str) -> str:
    return hashlib.sha256(rendered.encode()).hexdigest()


@dataclass(frozen=True)
class PgFunction:
    """A function the ledger owns: its name and the template that creates it."""

    name: str
    template: str

    def text(self) -> str:
        """The ``CREATE FUNCTION`` statement, rendered."""
        return render((SQL_DIR / self.template).read_text(encoding="utf-8"))

    @property
    def meta_key(self) -> str:
        return f"pg_function_sha256:{self.name}"


PLACE_ORDER = PgFunction("ledger_place_order", "place_order.sql")
FUNCTIONS = (PLACE_ORDER,)

_meta = table_of(Meta)


def _overloads(connection: Connection, name: str) -> list[str]:
    return list(
        connection.execute(
            text(
                "SELECT p.oid::regprocedure::text FROM pg_proc p"
                " WHERE p.proname = :name AND p.pronamespace = current_schema()::regnamespace"
            ),
            {"name": name},
        ).scalars()
    )


def _run_script(connection: Connection, sql: str) -> None:
    # On the driver's cursor without parameters: through SQLAlchemy, psycopg would read the
    # ``%`` of ``%ROWTYPE`` as a placeholder.
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def stored_digest(connection: Connection, function: PgFunction) -> str | None:
    """The digest recorded when ``function`` was last installed, if ever."""
    return connection.execute(
        select(_meta.c.value).where(_meta.c.key == function.meta_key)
    ).scalar_one_or_none()


def uninstall(connection: Connection, function: PgFunction) -> None:
    """Drop every function of that name and forget its digest."""
    for signature in _overloads(connection, function.name):
        connection.exec_driver_sql(f"DROP FUNCTION {signature}")
    connection.execute(delete(_meta).where(_meta.c.key == function.meta_key))


def install(connection: Connection, function: PgFunction) -> None:
    """(Re-)create ``function`` from its rendered template and record its digest.

    Any existing function of that name goes first: ``CREATE OR REPLACE`` can change neither
    the arguments nor the result type, and a changed argument list would leave the old
    function beside the new one.
    """
    rendered = function.text()
    uninstall(connection, function)
    _run_script(connection, rendered)
    connection.execute(insert(_meta).values(key=function.meta_key, value=digest(rendered)))


def install_changed(connection: Connection) -> list[str]:
    """Re-create each installed function whose rendered text changed or that is missing.

    Functions not installed yet (a schema before migration 0006) are left to their
    migration. Returns the names re-created. Nothing to do on SQLite.
    """
    if connection.dialect.name != "postgresql":
        return []
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INSTALL_LOCK})
    installed = []
    for function in FUNCTIONS:
        stored = stored_digest(connection, function)
        if stored is None:
            continue
        if stored == digest(function.text()) and _overloads(connection, function.name):
            continue
        install(connection, function)
        installed.append(function.name)
    return installed
