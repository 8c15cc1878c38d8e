"""Opening the kiosk's SQLite store: durable settings, an integrity check, private files.

WAL with ``synchronous=FULL``: a commit is on disk before the worker is told "done", and
the sync thread can write while the screen reads. Writes use ``BEGIN IMMEDIATE`` so two
writers never deadlock upgrading read locks.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.store.models import SyncState

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration; a store already there opens without loading Alembic (a faster start).
HEAD_REVISION = "0004"
STORE_FILE = "kiosk.db"
_WRITE = "kiosk_write"


class StoreDamaged(Exception):
    """The store file failed its integrity check; ``recover_store`` rebuilds it."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"the kiosk's local store {path} is damaged ({detail}); "
            "run `kiosk repair` to set it aside and re-sync from the ledger"
        )
        self.path = path
        self.detail = detail


def _private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def quick_check(path: Path) -> str | None:
    """``None`` when SQLite's quick_check passes, else what it found."""
    try:
        connection = sqlite3.connect(path, timeout=30)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    results = [str(row[0]) for row in rows]
    return None if results == ["ok"] else "; ".join(results[:3])


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 30}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(
            "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
        )

    return engine


class Store:
    """The open store: sessions for reading and for writing, and the picture cache."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self.images_dir = path.parent / "images"
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )
        # One writer at a time inside this process; SQLite's lock covers other processes.
        self._write_lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent read-only view (one SQLite read transaction)."""
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction, committed (and on disk) when the block ends."""
        with self._write_lock, self._writer() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _migrate(engine: Engine) -> None:
    with engine.connect() as connection:
        known = connection.execute(
            text("SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).scalar()
        if (
            known
            and connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == HEAD_REVISION
        ):
            return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(data_dir: Path) -> Store:
    """Open (creating or upgrading) the store in ``data_dir``; raises StoreDamaged."""
    path = data_dir / STORE_FILE
    existed = path.exists() and path.stat().st_size > 0
    _private_file(path)
    if existed:
        problem = quick_check(path)
        if problem is not None:
            raise StoreDamaged(path, problem)
    engine = _make_engine(path)
    try:
        _migrate(engine)
    except Exception as exc:
        engine.dispose()
        if isinstance(exc, DBAPIError) and isinstance(exc.orig, sqlite3.DatabaseError):
            raise StoreDamaged(path, str(exc.orig)) from exc
        raise
    store = Store(path, engine)
    with store.write() as session:
        if session.get(SyncState, 1) is None:
            session.add(SyncState(id=1, generation=1, snapshot_pending=True))
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.chmod(sidecar, 0o600)
    return store
