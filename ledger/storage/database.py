"""Engines, sessions and transaction boundaries for SQLite and PostgreSQL.

Writes go through :meth:`Database.write`: on SQLite a ``BEGIN IMMEDIATE`` transaction (one
writer at a time, WAL lets readers go on); on PostgreSQL READ COMMITTED plus explicit row
locks taken by the domain (``SELECT … FOR UPDATE``). Reads that must see one consistent
state (a sync page spans several tables) use :meth:`Database.snapshot`.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager, nullcontext
from typing import Any, TypeVar

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ledger.storage.changes import install_change_marking

T = TypeVar("T")

_WRITE = "ledger_write"
_RETRY_PGCODES = {"40001", "40P01"}  # serialization failure, deadlock


# SQLite's "database is locked" and "table is locked": another writer holds the file.
_RETRY_SQLITE_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _is_transient(exc: DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    if isinstance(exc, OperationalError) and (
        getattr(orig, "sqlite_errorcode", None) in _RETRY_SQLITE_CODES
    ):
        return True
    if exc.connection_invalidated:
        # The server restarted under a pooled connection. Every write use case is
        # idempotent or fails cleanly when re-run, so one more try is safe.
        return True
    return getattr(orig, "sqlstate", None) in _RETRY_PGCODES


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether ``exc`` is a duplicate key (not a check or foreign key failing)."""
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) == "23505":
        return True
    return "UNIQUE constraint failed" in str(orig)


def _with_retries(once: Callable[[], T], attempts: int) -> T:
    """Run ``once`` until it succeeds, retrying transient database errors with jitter."""
    for attempt in range(attempts):
        try:
            return once()
        except DBAPIError as exc:
            if attempt == attempts - 1 or not _is_transient(exc):
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))
    raise AssertionError("unreachable")


class Database:
    """One ledger database: its engine, and the transactions and connections used on it."""

    def __init__(self, url: str | URL, *, pool_size: int = 10) -> None:
        self.url = make_url(url)
        self.engine = _make_engine(self.url, pool_size)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        self._snapshot_engine = (
            self.engine
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="REPEATABLE READ")
        )
        self._autocommit_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._async_pool: _AsyncPool | None = None
        self._sqlite_writer: AbstractContextManager[Any] = (
            threading.Lock() if self.is_sqlite else nullcontext()
        )
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._snapshotter = sessionmaker(self._snapshot_engine, expire_on_commit=False)
        install_change_marking(self._writer)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on error."""
        # SQLite allows one writer; queueing this process's writers on a lock is fair and
        # fast, where SQLite's busy handler would have them sleep and retry.
        with self._sqlite_writer, self._writer() as session, session.begin():
            yield session

    def run_write(self, fn: Callable[[Session], T], *, attempts: int = 8) -> T:
        """Run ``fn`` in a write transaction, retrying deadlocks and lock time-outs."""

        def once() -> T:
            with self.write() as session:
                return fn(session)

        return _with_retries(once, attempts)

    def run_statement(self, fn: Callable[[Connection], T], *, attempts: int = 8) -> T:
        """Run ``fn`` on an autocommit connection: each statement is its own transaction."""

        def once() -> T:
            with self._autocommit_engine.connect() as conn:
                return fn(conn)

        return _with_retries(once, attempts)

    async def run_statement_async(
        self, fn: Callable[[psycopg.AsyncConnection[Any]], Awaitable[T]], *, attempts: int = 8
    ) -> T:
        """:meth:`run_statement` on the event loop (PostgreSQL only), for the hot path.

        Plain psycopg on a small pool of autocommit connections: the ORM's async layer
        costs more per call than the order statement itself.
        """
        if self._async_pool is None:
            self._async_pool = _AsyncPool(self.url, size=8)
        for attempt in range(attempts):
            try:
                async with self._async_pool.connection() as conn:
                    return await fn(conn)
            except psycopg.OperationalError:
                # Deadlocks, serialization failures and dropped connections (discarded by
                # the pool); a placement is idempotent by order id, so another try is safe.
                if attempt == attempts - 1:
                    raise
            await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (each statement sees committed data)."""
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read transaction in which every statement sees the same committed state."""
        with self._snapshotter() as session, session.begin():
            yield session

    async def close_async(self) -> None:
        """Close the event loop's connections (the app calls this at shutdown)."""
        pool, self._async_pool = self._async_pool, None
        if pool is not None:
            await pool.close()

    def dispose(self) -> None:
        self.engine.dispose()


class NulInText(ValueError):
    """A statement was about to send text holding a NUL character to the database."""


def _holds_nul(parameters: Any) -> bool:
    if isinstance(parameters, str):
        return "\x00" in parameters
    if isinstance(parameters, dict):
        return any(_holds_nul(value) for value in parameters.values())
    if isinstance(parameters, (list, tuple)):
        return any(_holds_nul(value) for value in parameters)
    return False


def _refuse_nul_text(engine: Engine) -> None:
    """The last guard behind every model's own check: PostgreSQL refuses NUL in text with an
    error that would surface as a 500; SQLite would store it. Either way the writer gets
    :class:`NulInText`, which the API answers as a 422."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(
        _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        if _holds_nul(parameters):
            raise NulInText("text must not contain NUL characters")


def _make_engine(url: URL, pool_size: int) -> Engine:
    if url.get_backend_name() != "sqlite":
        pg_engine = create_engine(
            # No pre-ping: it costs a round trip per transaction on the order path; a
            # connection dropped by a server restart is retried by run_write instead.
            url,
            pool_size=pool_size,
            max_overflow=pool_size * 2,
            pool_recycle=1800,
        )
        _refuse_nul_text(pg_engine)
        return pg_engine
    memory = url.database in (None, "", ":memory:")
    if memory:
        raise ValueError("the ledger needs a SQLite file, not an in-memory database")
    # One connection per checkout; a SQLite connection is cheap and WAL needs no pool.
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"timeout": 60, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writes can say IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    _refuse_nul_text(engine)
    return engine


class _AsyncPool:
    """A few autocommit psycopg connections for one event loop, opened on demand."""

    def __init__(self, url: URL, size: int) -> None:
        self.conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.size = size
        self.idle: list[psycopg.AsyncConnection[Any]] = []
        self.slots: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        if self.slots is None:
            self.slots = asyncio.Semaphore(self.size)
        async with self.slots:
            conn = self.idle.pop() if self.idle else None
            if conn is None or conn.closed:
                conn = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
            try:
                yield conn
            finally:
                # A domain error leaves an autocommit connection idle and reusable; one
                # broken or cancelled mid-query is closed instead.
                if not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE:
                    self.idle.append(conn)
                else:
                    await conn.close()

    async def close(self) -> None:
        while self.idle:
            await self.idle.pop().close()
