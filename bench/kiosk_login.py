"""From a badge scan to a complete home screen, with a big factory cached on the kiosk.

Fills a kiosk store with 20,000 workers and 2,000,000 history entries (plus their lots and
orders), then times ``login(scan)`` followed by ``home()`` (balance, expiring lots and the
last 20 entries) for random workers. Prints the median, p95 and p99.

    python bench/kiosk_login.py [--workers 20000] [--entries-per-worker 100] [--logins 2000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.factory_data import filled_kiosk_store  # noqa: E402
from kiosk.service import KioskService  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--entries-per-worker", type=int, default=100)
    parser.add_argument("--logins", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store, badges = filled_kiosk_store(Path(tmp), args.workers, args.entries_per_worker)
        fill_seconds = time.perf_counter() - started
        size_mb = store.path.stat().st_size / 1e6
        service = KioskService(store)
        rng = random.Random(7)
        for badge in rng.sample(badges, 50):  # warm the page cache like a running kiosk
            service.login(badge).home()
        samples = []
        for badge in rng.choices(badges, k=args.logins):
            t0 = time.perf_counter()
            home = service.login(badge).home()
            samples.append((time.perf_counter() - t0) * 1000)
            assert len(home.recent) == 20
        samples.sort()
        p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]  # noqa: E731
        print(
            f"kiosk login→home: {args.workers:,} workers, "
            f"{args.workers * args.entries_per_worker:,} entries, store {size_mb:.0f} MB "
            f"(filled in {fill_seconds:.0f} s); {args.logins} logins: "
            f"median {statistics.median(samples):.2f} ms, p95 {p(0.95):.2f} ms, "
            f"p99 {p(0.99):.2f} ms, max {samples[-1]:.2f} ms"
        )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
