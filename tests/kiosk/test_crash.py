"""``kill -9`` the kiosk: while it places and sends orders, and between writing pulled rows
and saving the cursor. Nothing acknowledged is lost, nothing is doubled, and the mirror ends
up equal to a fresh full sync."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.runtime import KioskRuntime
from kiosk.store.models import MIRRORED, Outbox
from ledger.domain.device_caps import DeviceCaps
from ledger.storage.models import Account
from ledger.storage.models import Order as LedgerOrder
from tests.conftest import LiveLedger
from tests.kiosk.conftest import KioskClock, MakeKiosk, qr_badge
from tests.ledger.factory import employee, grant, item
from tests.ledger.http import hr_api

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WORKERS = ("E1001", "E1002", "E1003", "E1004")
START_POINTS = 1_000_000


def kiosk_env(runtime: KioskRuntime, **extra: str) -> dict[str, str]:
    return os.environ | {
        "KIOSK_DATA_DIR": str(runtime.config.data_dir),
        "KIOSK_CONFIG": str(runtime.config.data_dir / "absent.toml"),
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def busy_factory(ledger: LiveLedger) -> None:
    service = ledger.service
    for worker in WORKERS:
        employee(service, worker)
        grant(service, worker, START_POINTS)
    item(service, "card-100", points=1000)
    item(service, "leave-day", points=500, category="virtual")
    item(service, "cake", points=300, category="service")
    # The kiosk processes start offline each time; let them keep selling.
    service.update_settings(
        {"offline_order_limit": 10**7, "offline_spend_limit": 10**8,
         "offline_kiosk_limit": 10**9, "offline_max_hours": 10**4, "pin_threshold": 10**7}
    )  # fmt: skip
    # ... and the ledger take hundreds of one kiosk's orders a minute (no device caps).
    service.update_device_caps({name: 0 for name in DeviceCaps.model_fields})


def mirror_dump(runtime: KioskRuntime) -> dict[str, list[tuple[Any, ...]]]:
    """Every mirrored row without the snapshot generation, in a stable order."""
    dump = {}
    with runtime.store.read() as session:
        for model in MIRRORED:
            columns = [c for c in model.__table__.columns if c.name != "gen"]
            rows = session.execute(select(*columns)).all()
            dump[model.__tablename__] = sorted(tuple(r) for r in rows)
    return dump


def check_ledger_matches(ledger: LiveLedger, runtime: KioskRuntime, acked: set[str]) -> None:
    with ledger.service.db.read() as session:
        orders = session.execute(
            select(LedgerOrder.id, LedgerOrder.employee_id, LedgerOrder.points)
        ).all()
        balances = dict(session.execute(select(Account.id, Account.balance)).all())
    with runtime.store.read() as session:
        outbox = session.scalars(select(Outbox.order_id).where(Outbox.kind == "order")).all()
        unsent = session.scalars(select(Outbox.id).where(Outbox.state != "delivered")).all()
    ledger_ids = {str(o.id) for o in orders}
    assert not unsent
    assert acked <= ledger_ids, f"{len(acked - ledger_ids)} acknowledged orders lost"
    assert len(outbox) == len(set(outbox)) == len(ledger_ids)
    assert set(outbox) == ledger_ids  # no order the kiosk does not know, none twice
    for worker in WORKERS:
        spent = sum(o.points for o in orders if o.employee_id == worker)
        assert balances[f"wallet:{worker}"] == START_POINTS - spent
    audit = hr_api(ledger).get("/audit")
    assert audit.status_code == 200 and audit.json()["ok"] is True, audit.text


def test_kill_9_while_placing_and_sending_orders(live: LiveLedger, make_kiosk: MakeKiosk) -> None:
    busy_factory(live)
    kiosk = make_kiosk(live)
    kiosk.sync_once()
    badges = [qr_badge(live, w) for w in WORKERS]
    kiosk.sync_once()
    kiosk.close()
    env = kiosk_env(kiosk)
    rng = random.Random(20261128)
    acked: set[str] = set()
    for _ in range(200):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.kiosk.subprocess_kiosk", "place", *badges],
            env=env, stdout=subprocess.PIPE, cwd=ROOT, text=True,
        )  # fmt: skip
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0, 0.25))
        proc.send_signal(signal.SIGKILL)
        output = proc.stdout.read()
        proc.wait()
        # Only whole lines count: a line cut by the kill was not an acknowledgement.
        acked |= {line[4:] for line in output.split("\n")[:-1] if line.startswith("ACK ")}
    assert len(acked) > 200

    survivor = KioskRuntime.open(kiosk.config, clock=KioskClock(live.service.clock()))
    try:
        for _ in range(5):
            if survivor.sync_once().ok:
                break
        check_ledger_matches(live, survivor, acked)
        # The kiosk's balances are the ledger's.
        with live.service.db.read() as session:
            balances = dict(session.execute(select(Account.id, Account.balance)).all())
        for worker, badge in zip(WORKERS, badges, strict=True):
            shown = survivor.service.login(badge).balance()
            assert shown.available == balances[f"wallet:{worker}"]
    finally:
        survivor.close()


def churn(ledger: LiveLedger, rounds: int) -> None:
    """Changes of every kind for the kiosk to pull."""
    service = ledger.service
    for n in range(rounds):
        employee(service, f"N{n:03d}", name=f"新人{n}")
        grant(service, f"N{n:03d}", 100 + n)
        service.issue_badge(f"N{n:03d}", "qr", None)
        if n % 5 == 0:
            item(service, f"extra-{n}", points=50 + n)


def test_kill_between_pulled_rows_and_cursor_equals_a_fresh_sync(
    live: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    busy_factory(live)
    churn(live, 40)
    kiosk = make_kiosk(live, page_size=10)
    kiosk.close()
    env = kiosk_env(kiosk, KIOSK_PAGE_SIZE="10")

    def sync_and_die(page: int) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "tests.kiosk.subprocess_kiosk", "pull-crash", str(page)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert "FINISHED" not in proc.stdout

    sync_and_die(3)  # in the middle of the first snapshot
    sync_and_die(1)  # again, right at the start of the rest
    churn_more = [f"M{n}" for n in range(15)]
    for worker in churn_more:
        employee(live.service, worker)
    live.service.revoke_badge(qr_badge(live, "E1001").split(".")[2])
    subprocess.run(
        [sys.executable, "-m", "tests.kiosk.subprocess_kiosk", "pull-crash", "0"],
        env=env, cwd=ROOT, check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    churn(live, 45)  # 5 new workers, and changes to the 40 known ones
    sync_and_die(2)  # during an incremental pull

    resumed = KioskRuntime.open(kiosk.config, clock=KioskClock(live.service.clock()))
    fresh = make_kiosk(live, page_size=1000)
    try:
        assert resumed.sync_once().error is None
        assert fresh.sync_once().error is None
        assert mirror_dump(resumed) == mirror_dump(fresh)
    finally:
        resumed.close()
