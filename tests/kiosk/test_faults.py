"""500 orders flow from a kiosk to the ledger through a proxy that drops, delays, resets,
answers 502 and cuts bodies short: every order arrives once, and the mirror converges."""

from __future__ import annotations

import random
import time

import pytest

from ledger.domain.people import EmployeeSpec
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge
from tests.kiosk.fault_proxy import FAULTS, FaultProxy
from tests.kiosk.test_crash import WORKERS, busy_factory, check_ledger_matches, mirror_dump

pytestmark = pytest.mark.slow


def test_500_orders_through_a_faulty_network(live: LiveLedger, make_kiosk: MakeKiosk) -> None:
    busy_factory(live)
    proxy = FaultProxy(live.port, rate=0.0)
    kiosk = make_kiosk(
        live,
        connect_timeout=1.0,
        read_timeout=1.0,
        page_size=50,
        sync_interval=0.2,
        max_backoff=0.3,
    )
    # Enrolled through the proxy, the kiosk talks to the ledger only through it.
    kiosk.enroll(proxy.url, live.service.create_enroll_code(), "Kiosk behind a bad switch")
    assert kiosk.runner is not None
    assert kiosk.sync_once().error is None
    badges = [qr_badge(live, w) for w in WORKERS]
    kiosk.sync_once()
    workers = [kiosk.service.login(b) for b in badges]
    rng = random.Random(500)

    proxy.rate = 0.35
    kiosk.start()
    acked = set()
    for n in range(500):
        placed = rng.choice(workers).place_order(
            rng.choice(("leave-day", "cake", "card-100")), rng.randint(1, 2)
        )
        acked.add(placed.order_id)
        if n % 50 == 0:
            # HR works at the same time: more rows to pull.
            live.service.put_employee(f"H{n}", EmployeeSpec(name=f"新人{n}"))
        time.sleep(rng.uniform(0, 0.01))
    deadline = time.monotonic() + 120
    while kiosk.status.snapshot().backlog or kiosk.status.snapshot().state != "online":
        assert time.monotonic() < deadline, kiosk.status.snapshot()
        time.sleep(0.1)
    kiosk.runner.stop()
    proxy.rate = 0.0
    for _ in range(3):
        if kiosk.sync_once().ok:
            break

    assert len(acked) == 500
    assert all(proxy.counts[f] > 0 for f in FAULTS), proxy.counts
    check_ledger_matches(live, kiosk, acked)
    fresh = make_kiosk(live)
    fresh.sync_once()
    assert mirror_dump(kiosk) == mirror_dump(fresh)
    proxy.close()
