"""An abort kills the kiosk outright (no handler runs); the supervisor starts it again and
every order waiting in its outbox still reaches the ledger, once.

The supervisor is the systemd unit in ``packaging/linux``: the test reads its restart policy
and plays it, starting the real kiosk program again after each abort.
"""

from __future__ import annotations

import configparser
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.runtime import KioskRuntime
from kiosk.store.models import Order as KioskOrder
from kiosk.store.models import Outbox
from ledger.storage.models import Order as LedgerOrder
from tests.conftest import LiveLedger

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "packaging" / "linux" / "points-kiosk@.service"


def restart_policy() -> tuple[str, float]:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(UNIT)
    service = unit["Service"]
    assert unit["Unit"]["StartLimitIntervalSec"] == "0", "systemd must never stop restarting"
    return service["Restart"], float(service["RestartSec"])


def start_kiosk(runtime: KioskRuntime) -> subprocess.Popen[bytes]:
    """The kiosk program, as the unit starts it (windowed, offscreen, in the test's dirs)."""
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_DATA_DIR": str(runtime.config.data_dir),
        "KIOSK_CONFIG": str(runtime.config.data_dir / "absent.toml"),
        "KIOSK_LOG_DIR": str(runtime.config.log_dir),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "ui.app", "--windowed"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def starts_logged(log_dir: Path) -> int:
    log = log_dir / "kiosk.log"
    return log.read_text(encoding="utf-8").count(" starting; ") if log.exists() else 0


def ledger_orders(ledger: LiveLedger, order_ids: list[str]) -> int:
    with ledger.service.db.read() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(LedgerOrder).where(LedgerOrder.id.in_(order_ids))
            )
            or 0
        )


def test_after_aborts_the_supervisor_brings_the_kiosk_back_with_its_outbox(
    factory_floor: LiveLedger, kiosk: KioskRuntime, badge: Callable[[str], str]
) -> None:
    restart, restart_seconds = restart_policy()
    assert restart == "always"  # an abort is not a clean exit, but any exit must restart

    # Orders placed while the ledger is away wait in the outbox.
    factory_floor.stop()
    kiosk.sync_once()
    worker = kiosk.service.login(badge("E1001"))
    order_ids = [worker.place_order("leave-day").order_id for _ in range(3)]
    worker = kiosk.service.login(badge("E1002"))
    order_ids += [worker.place_order("cake").order_id]
    log_dir = kiosk.config.log_dir
    kiosk.close()

    # First life, ledger down: the kiosk runs, then aborts (what "none_dealloc" does).
    rng = random.Random(16)
    lives = 0
    process = start_kiosk(kiosk)
    wait_for(lambda: starts_logged(log_dir) > lives, 60, "the kiosk to start")
    lives += 1
    os.kill(process.pid, signal.SIGABRT)
    assert process.wait(30) == -signal.SIGABRT
    crash_log = (log_dir / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Aborted" in crash_log

    # The ledger comes back; the kiosk is aborted again at random moments while it sends.
    ledger = factory_floor.restart()
    try:
        for _ in range(3):
            time.sleep(restart_seconds)  # RestartSec
            process = start_kiosk(kiosk)

            def restarted(before: int = lives) -> bool:
                return starts_logged(log_dir) > before

            wait_for(restarted, 60, "the kiosk to start again")
            lives += 1
            time.sleep(rng.uniform(0.0, 1.5))
            os.kill(process.pid, signal.SIGABRT)
            assert process.wait(30) == -signal.SIGABRT
        time.sleep(restart_seconds)
        process = start_kiosk(kiosk)
        wait_for(lambda: ledger_orders(ledger, order_ids) == len(order_ids), 60, "the orders")
        process.terminate()
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
        ledger.stop()

    assert ledger_orders(ledger, order_ids) == len(order_ids)  # each exactly once
    reopened = KioskRuntime.open(kiosk.config, recover=False)  # the store is not damaged
    try:
        with reopened.store.read() as session:
            waiting = session.scalars(
                select(Outbox.order_id).where(
                    Outbox.order_id.in_(order_ids), Outbox.state != "delivered"
                )
            ).all()
            mirrored = dict(
                session.execute(
                    select(KioskOrder.id, KioskOrder.status).where(KioskOrder.id.in_(order_ids))
                ).all()
            )
        # Delivered rows are pruned once settled; none is still queued or was refused.
        assert waiting == []
        assert mirrored == dict.fromkeys(order_ids, "pending")
    finally:
        reopened.close()
