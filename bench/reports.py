"""The HR console's report pages over a big factory on PostgreSQL.

Creates a PostgreSQL database with 20,000 employees and 2,000,000 ledger entries (lots for
earnings, orders for redemptions), serves the ledger on loopback, signs in to the console
and times each report page (HTTP GET to the last byte, the chart and the query included)
and its CSV export, N times each; prints median and worst. Target: ≤ 500 ms per page.

    python bench/reports.py [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.factory_data import fill_ledger_pg  # noqa: E402
from ledger import keys  # noqa: E402
from ledger.domain.console_users import ConsoleRole  # noqa: E402
from ledger.service import Actor, LedgerService  # noqa: E402
from ledger.storage.database import Database  # noqa: E402
from ledger.storage.schema import init_database  # noqa: E402

if TYPE_CHECKING:
    import uvicorn

DB_NAME = "pk_bench_reports"
PASSWORD = "bench password 1"


def serve(service: LedgerService) -> tuple[str, uvicorn.Server]:
    import socket

    import uvicorn

    from ledger.api.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(service), log_level="warning"))
    threading.Thread(target=server.run, args=([sock],), daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--entries-per-worker", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse a filled database")
    args = parser.parse_args()

    base = args.pg.rsplit("/", 1)[0]
    dsn = f"{base}/{DB_NAME}"
    url = "postgresql+psycopg://" + dsn.split("://", 1)[1]
    with psycopg.connect(args.pg, autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)
        ).fetchone()
        fresh = not (args.keep and exists)
        if fresh:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            admin.execute(f"CREATE DATABASE {DB_NAME}")
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        key = keys.create_or_load(Path(tmp) / "key.pem")
        db = Database(url)
        if fresh:
            started = time.perf_counter()
            init_database(db, keys.public_text(key))
            fill_ledger_pg(dsn, args.workers, args.entries_per_worker, now)
            print(f"filled {args.workers:,} employees in {time.perf_counter() - started:.0f} s")
        else:
            # The key is only used for badges, which these pages never print.
            with db.write() as session:
                from ledger.storage.models import Meta

                session.get_one(Meta, "badge_public_key").value = keys.public_text(key)
        service = LedgerService(db, badge_key=key)
        with psycopg.connect(dsn) as conn:
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM employees), (SELECT count(*) FROM transfers), "
                "(SELECT count(*) FROM orders), (SELECT count(*) FROM lots)"
            ).fetchone()
        assert counts is not None
        print("employees {:,}, entries {:,}, orders {:,}, lots {:,}".format(*counts))
        with contextlib.suppress(ValueError):  # kept from an earlier run
            service.acting_as(Actor.system("bench")).create_user("bench", ConsoleRole.HR, PASSWORD)
        base_url, server = serve(service)
        browser = requests.Session()
        page = browser.get(base_url + "/admin/login", timeout=30).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None, "no sign-in form"
        token = csrf.group(1)
        form = {"name": "bench", "password": PASSWORD, "csrf": token}
        browser.post(base_url + "/admin/login", data=form, timeout=30)
        month_start = now.replace(day=1).date().isoformat()
        year_ago = (now - timedelta(days=365)).date().isoformat()
        pages = [
            ("dashboard", "/admin"),
            ("ranking, this month", f"/admin/reports/ranking?since={month_start}"),
            ("ranking, a year, one department",
             f"/admin/reports/ranking?since={year_ago}&department=质检部"),
            ("ranking, page 10", f"/admin/reports/ranking?since={year_ago}&page=10"),
            ("trends, 12 months", "/admin/reports/trends?months=12"),
            ("trends, 24 months", "/admin/reports/trends?months=24"),
            ("shares, this month", "/admin/reports/shares"),
            ("shares, a year by month",
             f"/admin/reports/shares?since={year_ago}&until={now.date().isoformat()}"),
            ("expiring, 30 days", "/admin/reports/expiring?days=30"),
            ("expiring, 90 days", "/admin/reports/expiring?days=90"),
            ("expiring, 90 days, page 20", "/admin/reports/expiring?days=90&page=20"),
            ("stale orders, 7 days", "/admin/reports/stale?days=7"),
            ("order queue, pending", "/admin/orders?status=pending"),
            ("employee search", "/admin/employees?q=W0123"),
            ("employee page", "/admin/employees/W012345"),
            ("CSV: ranking, this month", f"/admin/reports/ranking?since={month_start}&format=csv"),
            ("CSV: expiring, 90 days", "/admin/reports/expiring?days=90&format=csv"),
        ]  # fmt: skip
        print(f"{'page':<34} {'median':>8} {'worst':>8}  size")
        for name, path in pages:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                response = browser.get(base_url + path, timeout=120)
                times.append(time.perf_counter() - started)
                assert response.ok and "/admin/login" not in response.url, (path, response.url)
            median, worst = statistics.median(times) * 1000, max(times) * 1000
            size = len(response.content) / 1024
            print(f"{name:<34} {median:7.0f}ms {worst:7.0f}ms  {size:.0f} KiB")
        server.should_exit = True
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
