"""Importing a 100,000-row HR events file: the preview, the background import, and how fast
the server answers meanwhile.

On SQLite (and on PostgreSQL with ``--pg URL`` or ``LEDGER_TEST_PG_URL``): 2,000 employees,
three rules (one with a monthly cap), a CSV of 100,000 events (1 % refused: unknown employees).
Times the preview (read, judge, store the batch), then starts the import in a thread of the
serving process, as the console does, and GETs ``/health`` and the batch list every 200 ms
until it is done; prints the import's time and the GETs' median and worst.

    python bench/import_events.py [--rows 100000] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import keys  # noqa: E402
from ledger.console.pages.imports import start_in_background  # noqa: E402
from ledger.domain.console_users import ConsoleRole  # noqa: E402
from ledger.domain.people import EmployeeSpec  # noqa: E402
from ledger.domain.rules import RuleSpec  # noqa: E402
from ledger.service import Actor, LedgerService  # noqa: E402
from ledger.storage.database import Database  # noqa: E402
from ledger.storage.schema import init_database  # noqa: E402
from sync.protocol import Localized  # noqa: E402

PASSWORD = "bench password 1"
KINDS = ("training.completed", "activity.attended", "performance.excellent")


def make_file(rows: int, employees: int) -> bytes:
    lines = ["事件编号,类型,工号,时间"]
    for n in range(rows):
        who = f"X{n}" if n % 100 == 42 else f"E{10000 + n % employees}"
        day = 1 + n % 28
        lines.append(f"bench-{n},{KINDS[n % 3]},{who},2026-05-{day:02d} {8 + n % 10}:{n % 60:02d}")
    return ("\n".join(lines) + "\n").encode("gbk")


def seed(service: LedgerService, employees: int) -> None:
    for n in range(employees):
        service.put_employee(f"E{10000 + n}", EmployeeSpec(name=f"工人{n}", department="总装"))
    title = Localized(zh="培训", en="Training")
    service.put_rule(KINDS[0], RuleSpec(points=100, validity_days=365, title=title))
    service.put_rule(
        KINDS[1],
        RuleSpec(
            points=50,
            validity_days=365,
            title=Localized(zh="活动", en="Activity"),
            cap_per_period=1000,
            period="month",
        ),
    )
    service.put_rule(
        KINDS[2], RuleSpec(points=500, validity_days=365, title=Localized(zh="绩效", en="Perf"))
    )
    service.acting_as(Actor.cli()).create_user("bench-hr", ConsoleRole.HR, PASSWORD)


def serve(service: LedgerService) -> str:
    import uvicorn

    from ledger.api.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(service), log_level="warning"))
    threading.Thread(target=server.run, args=([sock],), daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


def run(label: str, url: str, rows: int, employees: int, workdir: Path) -> None:
    key = keys.create_or_load(workdir / f"{label}.pem")
    db = Database(url)
    init_database(db, keys.public_text(key))
    service = LedgerService(db, badge_key=key)
    seed(service, employees)
    data = make_file(rows, employees)
    hr = service.acting_as(Actor.user("bench-hr"))
    started = time.perf_counter()
    batch_id = hr.preview_events(data, "bench.csv")
    preview = time.perf_counter() - started
    base = serve(service)
    session = requests.Session()
    page = session.get(base + "/admin/login", timeout=30)
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    session.post(
        base + "/admin/login",
        data={"name": "bench-hr", "password": PASSWORD, "csrf": csrf},
        timeout=30,
    )
    hr.start_import(batch_id)
    started = time.perf_counter()
    thread = start_in_background(hr, batch_id)
    health: list[float] = []
    listing: list[float] = []
    while thread.is_alive():
        for path, times in (("/health", health), ("/admin/imports", listing)):
            asked = time.perf_counter()
            assert session.get(base + path, timeout=60).ok
            times.append(time.perf_counter() - asked)
        time.sleep(0.2)
    imported = time.perf_counter() - started
    info = service.import_batch(batch_id)
    assert info is not None and info.status == "done", info
    print(
        f"{label}: {rows:,} rows, preview {preview:.1f} s, import {imported:.1f} s "
        f"({rows / imported:,.0f} rows/s; {info.accepted:,} accepted, {info.refused:,} refused); "
        f"GET /health during it: median {statistics.median(health) * 1000:.0f} ms, "
        f"worst {max(health) * 1000:.0f} ms ({len(health)} GETs); GET /admin/imports: "
        f"median {statistics.median(listing) * 1000:.0f} ms, worst {max(listing) * 1000:.0f} ms"
    )
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--pg", default=os.environ.get("LEDGER_TEST_PG_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        run("SQLite", f"sqlite:///{workdir / 'bench.db'}", args.rows, args.employees, workdir)
        if args.pg:
            name = f"pk_bench_import_{uuid.uuid4().hex[:8]}"
            admin = create_engine(make_url(args.pg), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                run("PostgreSQL", url, args.rows, args.employees, workdir)
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
