"""A kiosk's first full sync of a big factory from a real ledger on loopback, then an
incremental sync of 1,000 changes.

Fills a ledger SQLite database with 20,000 workers and 2,000,000 history entries (plus a lot
per earning), starts ``ledger serve`` in its own process, enrols a kiosk and runs
``kiosk sync --once`` as a child process, reporting its wall time and peak memory (max RSS).
Then makes 1,000 adjustments through the ledger service and times one incremental pass.

    python bench/sync_initial.py [--workers 20000] [--entries-per-worker 100] [--page-size N]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.factory_data import employee_id, fill_ledger  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.runtime import KioskRuntime  # noqa: E402
from ledger import keys  # noqa: E402
from ledger.domain.adjustments import AdjustmentIn  # noqa: E402
from ledger.service import LedgerService  # noqa: E402
from ledger.storage.database import Database  # noqa: E402
from ledger.storage.schema import init_database  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--entries-per-worker", type=int, default=100)
    parser.add_argument("--page-size", type=int, default=None, help="default: the kiosk's")
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db_url = f"sqlite:///{tmp_path / 'ledger.db'}"
        key_path = tmp_path / "badge-key.pem"
        key = keys.create_or_load(key_path)
        db = Database(db_url)
        init_database(db, keys.public_text(key))
        now = datetime.now(UTC)
        started = time.perf_counter()
        last_seq = fill_ledger(str(tmp_path / "ledger.db"), args.workers,
                               args.entries_per_worker, key, now)  # fmt: skip
        print(f"ledger filled: {last_seq:,} rows in {time.perf_counter() - started:.0f} s")
        service = LedgerService(db, badge_key=key)

        port = free_port()
        env = os.environ | {"LEDGER_DB_URL": db_url, "LEDGER_BADGE_KEY": str(key_path),
                            "PYTHONPATH": str(ROOT)}  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "ledger.cli", "serve", "--port", str(port),
             "--log-level", "warning"], env=env,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    requests.get(url + "/health", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            kiosk_env = {
                "KIOSK_DATA_DIR": str(tmp_path / "kiosk"),
                "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
                "KIOSK_READ_TIMEOUT": "120",
            }
            if args.page_size:
                kiosk_env["KIOSK_PAGE_SIZE"] = str(args.page_size)
            config = load_config(kiosk_env)
            runtime = KioskRuntime.open(config)
            runtime.enroll(url, service.create_enroll_code(), "bench kiosk")
            runtime.close()

            started = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-m", "kiosk.cli", "sync", "--once"],
                env=os.environ | kiosk_env | {"PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert child.stdout is not None
            output = child.stdout.read()
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - started
            assert status == 0, output
            print(f"initial sync: {seconds:.1f} s, peak memory {usage.ru_maxrss / 1024:.0f} MB")
            print(f"  {output.strip()}")

            for n in range(args.changes):
                service.adjust(
                    AdjustmentIn(adjustment_id=uuid.uuid4().hex,
                                 employee_id=employee_id(n % args.workers), points=10,
                                 reason="bench", validity_days=365)
                )  # fmt: skip
            runtime = KioskRuntime.open(load_config(kiosk_env))
            started = time.perf_counter()
            report = runtime.sync_once()
            seconds = time.perf_counter() - started
            runtime.close()
            assert report.error is None, report.error
            print(
                f"incremental sync of {args.changes:,} adjustments ({report.rows:,} rows, "
                f"{report.pages} pages): {seconds:.2f} s"
            )
        finally:
            server.terminate()
            server.wait()
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
