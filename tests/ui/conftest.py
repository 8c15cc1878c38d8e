"""UI fixtures: the real kiosk window over a real kiosk core synced from a live ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from kiosk.runtime import KioskRuntime
from tests.conftest import LiveLedger
from tests.kiosk.conftest import (  # noqa: F401  (fixtures)
    MakeKiosk,
    any_db_url,
    any_live,
    db_url,
    factory_floor,
    make_kiosk,
    qr_badge,
)
from ui.app import build_application
from ui.i18n import Languages
from ui.main_window import MainWindow


@pytest.fixture
def kiosk(factory_floor: LiveLedger, make_kiosk: MakeKiosk) -> KioskRuntime:  # noqa: F811
    factory_floor.service.set_pin("E1001", "2468")
    runtime = make_kiosk(factory_floor)
    runtime.sync_once()
    return runtime


@pytest.fixture(autouse=True)
def themed(qapp) -> None:
    """The kiosk's font and stylesheet, as ``kiosk`` sets them (sizes depend on them)."""
    build_application([])


@pytest.fixture
def window(qtbot, kiosk: KioskRuntime) -> Iterator[MainWindow]:
    win = MainWindow(kiosk.service, Languages(), "zh")
    win.install_input_filters()
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    yield win
    win.close()


@pytest.fixture
def badge(factory_floor: LiveLedger) -> Callable[[str], str]:  # noqa: F811
    return lambda employee_id: qr_badge(factory_floor, employee_id)
