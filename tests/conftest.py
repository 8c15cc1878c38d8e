"""Fixtures shared by every test: databases on both backends, a clock, a live ledger."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("LEDGER_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


class FakeClock:
    """The server clock, moved by tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 6, 15, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class PgServer:
    """Makes a throw-away database per test from a migrated template."""

    def __init__(self, url: str) -> None:
        self.base = make_url(url)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.template: str | None = None

    def _create(self, name: str, template: str | None = None) -> str:
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return self.base.set(database=name).render_as_string(hide_password=False)

    def new_database(self) -> str:
        if self.template is None:
            from ledger.storage.database import Database
            from ledger.storage.schema import migrate

            name = f"pk_tmpl_{uuid.uuid4().hex[:10]}"
            db = Database(self._create(name))
            migrate(db)
            db.dispose()
            self.template = name
        return self._create(f"pk_test_{uuid.uuid4().hex[:12]}", self.template)

    def copy_database(self, template_url: str) -> str:
        """A new database copied from another (which must have no open connections)."""
        return self._create(f"pk_test_{uuid.uuid4().hex[:12]}", make_url(template_url).database)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self.template:
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set LEDGER_TEST_PG_URL: the PostgreSQL tier may not skip")
        pytest.skip("LEDGER_TEST_PG_URL is not set")
    server = PgServer(PG_URL)
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    server.drop(url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    return tmp_path / "badge-key.pem"


def build_service(db_url: str, clock: FakeClock, key_path: Path):
    """An initialised ledger service over ``db_url``, with a fake clock."""
    from ledger import keys
    from ledger.service import LedgerService
    from ledger.storage.database import Database
    from ledger.storage.schema import init_database

    key = keys.create_or_load(key_path)
    code_key = keys.create_or_load_code_key(key_path.with_name("code-key.txt"))
    db = Database(db_url)
    init_database(db, keys.public_text(key))
    return LedgerService(db, badge_key=key, clock=clock, code_key=code_key)


@pytest.fixture
def service(db_url: str, clock: FakeClock, key_path: Path):
    """An initialised ledger service over a fresh database, with a fake clock."""
    svc = build_service(db_url, clock, key_path)
    yield svc
    svc.db.dispose()


class LiveLedger:
    """A real ledger HTTP server on 127.0.0.1 and a free port, run in a thread."""

    def __init__(self, service, port: int = 0, tls: tuple[Path, Path] | None = None) -> None:
        """``tls``: (certificate, key) files to serve HTTPS instead of HTTP."""
        import socket
        import threading

        import uvicorn

        from ledger.api.app import create_app

        self.service = service
        self.sock = socket.socket()
        # A restarted ledger takes the same port, as a real one would.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.tls = tls
        config = uvicorn.Config(
            create_app(service),
            log_level="warning",
            limit_concurrency=500,
            backlog=512,
            ssl_certfile=str(tls[0]) if tls else None,
            ssl_keyfile=str(tls[1]) if tls else None,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.sock],), daemon=True)
        self.thread.start()
        import time

        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ledger did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()

    def restart(self) -> LiveLedger:
        """Stop this server and start another on the same port and service."""
        self.stop()
        return LiveLedger(self.service, self.port, self.tls)


@pytest.fixture
def live(service) -> Iterator[LiveLedger]:
    ledger = LiveLedger(service)
    yield ledger
    ledger.stop()
