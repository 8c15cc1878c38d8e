"""Kiosk test fixtures: real kiosks (store, service, sync engine) against a live ledger.

The ledger here runs on SQLite; tests that must also run on PostgreSQL ask for
``any_db_url`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import KioskConfig, load_config
from kiosk.runtime import KioskRuntime
from tests.conftest import BACKENDS, LiveLedger, build_service
from tests.ledger.factory import employee, grant, item


class KioskClock:
    """The kiosk's wall and monotonic clocks, moved by tests."""

    def __init__(self, start: datetime) -> None:
        self.wall = start
        self.mono = 10_000.0

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


def kiosk_config(data_dir: Path, **overrides: object) -> KioskConfig:
    base = load_config({"KIOSK_CONFIG": str(data_dir / "absent.toml")})
    settings: dict[str, object] = {
        "data_dir": data_dir,
        "log_dir": data_dir / "logs",
        "connect_timeout": 2.0,
        "read_timeout": 10.0,
    }
    return replace(base, **(settings | overrides))  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Kiosk tests use a SQLite ledger unless they ask for ``any_db_url``."""
    yield f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(params=BACKENDS)
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    server = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    server.drop(url)


MakeKiosk = Callable[..., KioskRuntime]


@pytest.fixture
def make_kiosk(tmp_path: Path, clock) -> Iterator[MakeKiosk]:
    """``make_kiosk(ledger, name=…)``: a new kiosk enrolled with ``ledger``."""
    made: list[KioskRuntime] = []

    def make(
        ledger: LiveLedger | None, name: str = "Kiosk A", enroll: bool = True, **config: object
    ) -> KioskRuntime:
        data_dir = tmp_path / f"kiosk-{len(made)}"
        runtime = KioskRuntime.open(kiosk_config(data_dir, **config), clock=KioskClock(clock()))
        made.append(runtime)
        if enroll:
            assert ledger is not None
            runtime.enroll(ledger.url, ledger.service.create_enroll_code(), name)
        return runtime

    yield make
    for runtime in made:
        runtime.close()


@pytest.fixture
def any_live(any_db_url: str, clock, key_path: Path) -> Iterator[LiveLedger]:
    """A live ledger on SQLite and on PostgreSQL."""
    ledger = LiveLedger(build_service(any_db_url, clock, key_path))
    yield ledger
    ledger.stop()
    ledger.service.db.dispose()


@pytest.fixture
def factory_floor(live: LiveLedger) -> LiveLedger:
    return furnish(live)


@pytest.fixture
def any_factory_floor(any_live: LiveLedger) -> LiveLedger:
    return furnish(any_live)


def furnish(live: LiveLedger) -> LiveLedger:
    """Two workers and a small catalogue."""
    service = live.service
    employee(service, "E1001", name="张伟")
    employee(service, "E1002", name="李娜", language="en")
    item(service, "card-100", points=1000)
    item(service, "leave-day", points=500, category="virtual",
         title={"zh": "额外年假一天", "en": "Extra day of leave"})  # fmt: skip
    item(service, "cake", points=300, category="service", stock=3,
         title={"zh": "生日蛋糕", "en": "Birthday cake"})  # fmt: skip
    grant(service, "E1001", 3000)
    grant(service, "E1002", 800)
    return live


def qr_badge(ledger: LiveLedger, employee_id: str) -> str:
    _, payload = ledger.service.issue_badge(employee_id, "qr", None)
    assert payload is not None
    return payload
