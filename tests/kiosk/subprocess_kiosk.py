"""A kiosk process for crash tests, killed with SIGKILL by the test that starts it.

``place``: place orders forever (printing ``ACK <order id>`` after each one is committed),
syncing now and then. ``pull-crash N``: sync, dying right after the rows of page N have been
written and before that page's cursor is saved.
"""

from __future__ import annotations

import os
import random
import signal
import sys

from kiosk.config import load_config
from kiosk.mirror import KioskSyncStore
from kiosk.policy import OrderRefused
from kiosk.runtime import KioskRuntime

WORKERS = ("E1001", "E1002", "E1003", "E1004")
ITEMS = ("leave-day", "cake", "card-100")


def place_forever(runtime: KioskRuntime, badges: list[str]) -> None:
    sessions = [runtime.service.login(badge) for badge in badges]
    print("READY", flush=True)
    while True:
        worker = random.choice(sessions)
        try:
            placed = worker.place_order(random.choice(ITEMS), random.randint(1, 3))
        except OrderRefused as exc:
            print(f"REFUSED {exc.reason}", flush=True)
        else:
            print(f"ACK {placed.order_id}", flush=True)
        if random.random() < 0.3:
            runtime.sync_once()


def pull_and_die(runtime: KioskRuntime, die_on_page: int) -> None:
    assert runtime.engine is not None
    store = runtime.engine.store
    assert isinstance(store, KioskSyncStore)
    pages = 0

    def maybe_die() -> None:
        nonlocal pages
        pages += 1
        if pages == die_on_page:
            os.kill(os.getpid(), signal.SIGKILL)

    store.after_rows_applied = maybe_die
    runtime.sync_once()
    print("FINISHED", flush=True)


def main() -> int:
    runtime = KioskRuntime.open(load_config(), recover=False)
    if sys.argv[1] == "place":
        place_forever(runtime, sys.argv[2:])
    else:
        pull_and_die(runtime, int(sys.argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
