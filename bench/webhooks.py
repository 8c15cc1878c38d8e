"""Webhook deliveries: events per second to a local receiver, and lag from commit to receipt.

Starts `ledger serve` (the jobs runner in its process, as in the embedded default) on a free
loopback port and a receiver (Python's threading HTTP server, checking every signature) in
this process. Throughput: a backlog of adjustments (one `points.adjusted` event each, spread
over 200 workers) is written before the server starts; the figure is deliveries per second
from the first receipt to the last. Lag: then adjustments are posted through the HR API one
every 50 ms; for each, the time from the API's answer (the change committed) to its receipt.

    python bench/webhooks.py [--backlog 3000] [--live 200]   (LEDGER_TEST_PG_URL: PostgreSQL too)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import keys  # noqa: E402
from ledger.domain.access import Role  # noqa: E402
from ledger.domain.adjustments import AdjustmentIn  # noqa: E402
from ledger.domain.people import EmployeeSpec  # noqa: E402
from ledger.domain.webhooks import SIGNATURE_HEADER, verify  # noqa: E402
from ledger.service import LedgerService  # noqa: E402
from ledger.storage.database import Database  # noqa: E402
from ledger.storage.schema import init_database  # noqa: E402

SECRET = "whsec_bench_0123456789abcdef"
WORKERS = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receipts:
    def __init__(self) -> None:
        self.at: dict[str, float] = {}  # adjustment id → first receipt
        self.count = 0
        self.bad_signatures = 0
        self.lock = threading.Lock()


def receiver(receipts: Receipts) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a production receiver would

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            now = time.monotonic()
            ok = verify(SECRET, self.headers.get(SIGNATURE_HEADER, ""), body, int(time.time()))
            with receipts.lock:
                receipts.count += 1
                if not ok:
                    receipts.bad_signatures += 1
                adjustment = json.loads(body)["data"]["adjustment_id"]
                receipts.at.setdefault(adjustment, now)
            self.send_response(204 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_backend(name: str, db_url: str, args: argparse.Namespace) -> dict[str, object]:
    import requests

    work = Path(tempfile.mkdtemp(prefix="pk-bench-"))
    key_path = work / "key.pem"
    key = keys.create_or_load(key_path)
    db = Database(db_url)
    init_database(db, keys.public_text(key))
    service = LedgerService(db, badge_key=key)
    for n in range(WORKERS):
        service.put_employee(f"E{n}", EmployeeSpec(name=f"工人{n}"))
    receipts = Receipts()
    http = receiver(receipts)
    service.add_webhook(f"http://127.0.0.1:{http.server_address[1]}/h", ["points.adjusted"], SECRET)
    hr_token = service.create_token(Role.HR, name="bench")
    for n in range(args.backlog):
        service.adjust(
            AdjustmentIn(adjustment_id=f"backlog-{n}", employee_id=f"E{n % WORKERS}", points=1,
                         reason="bench")
        )  # fmt: skip
    db.dispose()
    port = free_port()
    env = os.environ | {"LEDGER_DB_URL": db_url, "LEDGER_BADGE_KEY": str(key_path)}
    env.pop("LEDGER_JOBS", None)
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "ledger.cli", "serve", "--port", str(port), "--log-level",
         "warning"], env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 600
        while receipts.count < args.backlog and time.monotonic() < deadline:
            time.sleep(0.01)
        backlog_done = time.monotonic()
        backlog_first = min(receipts.at.values())
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {hr_token}"
        answered: dict[str, float] = {}
        for n in range(args.live):
            adjustment = f"live-{n}-{uuid.uuid4().hex[:6]}"
            response = api.post(
                f"http://127.0.0.1:{port}/api/v1/adjustments",
                json={"adjustment_id": adjustment, "employee_id": f"E{n % WORKERS}",
                      "points": 1, "reason": "bench"},
                timeout=30,
            )  # fmt: skip
            assert response.status_code == 201, response.text
            answered[adjustment] = time.monotonic()
            time.sleep(0.05)
        deadline = time.monotonic() + 120
        while not all(a in receipts.at for a in answered) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        server.terminate()
        server.wait(timeout=30)
        http.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    lags = sorted(receipts.at[a] - t for a, t in answered.items() if a in receipts.at)
    return {
        "backend": name,
        "backlog_events": args.backlog,
        "backlog_events_per_s": round(args.backlog / (backlog_done - backlog_first), 1),
        "first_receipt_after_start_s": round(backlog_first - started, 2),
        "live_events": args.live,
        "lag_p50_ms": round(statistics.median(lags) * 1000),
        "lag_p95_ms": round(lags[int(len(lags) * 0.95)] * 1000),
        "lag_max_ms": round(lags[-1] * 1000),
        "lost": args.live - len(lags),
        "receipts": receipts.count,
        "bad_signatures": receipts.bad_signatures,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backlog", type=int, default=3000)
    parser.add_argument("--live", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    results = []
    if args.only in (None, "sqlite"):
        work = Path(tempfile.mkdtemp(prefix="pk-bench-db-"))
        results.append(run_backend("sqlite", f"sqlite:///{work / 'ledger.db'}", args))
        shutil.rmtree(work, ignore_errors=True)
    pg = os.environ.get("LEDGER_TEST_PG_URL")
    if pg and args.only in (None, "postgresql"):
        url = make_url(pg)
        name = f"pk_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            target = url.set(database=name).render_as_string(hide_password=False)
            results.append(run_backend("postgresql", target, args))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    for result in results:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
