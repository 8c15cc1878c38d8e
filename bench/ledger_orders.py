"""Orders per second through the real ledger HTTP server, on SQLite and on PostgreSQL.

Starts `ledger serve` as its own process on a free loopback port, fills a fresh database with
workers who can afford every order, and sends orders from 32 concurrent keep-alive
connections (a small asyncio client, so the load generator takes little CPU from the server),
each connection a kiosk of its own (a kiosk places one order at a time, and the per-device
caps count each kiosk's orders under its own row lock); each order shows its worker's signed
QR badge, as a kiosk's does, and the ledger checks it. The caps are set as high as they go, so
they are checked but never refuse.
With LEDGER_TEST_PG_URL set it also runs on PostgreSQL and runs pgbench (TPC-B-like) on the
same server for a ratio. Prints one line per backend.

    python bench/ledger_orders.py [--seconds 20] [--clients 32] [--workers 2] [--jobs worker]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import keys  # noqa: E402
from ledger.domain.adjustments import AdjustmentIn  # noqa: E402
from ledger.domain.catalogue import ItemSpec  # noqa: E402
from ledger.domain.device_caps import MAX_CAP, DeviceCaps  # noqa: E402
from ledger.domain.people import EmployeeSpec  # noqa: E402
from ledger.service import LedgerService  # noqa: E402
from ledger.storage.database import Database  # noqa: E402
from ledger.storage.schema import init_database  # noqa: E402
from sync.protocol import Localized  # noqa: E402

EMPLOYEES = 2000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Each worker's QR badge, shown with every order as a kiosk does (filled by prepare()).
BADGES: list[str] = []


def prepare(db_url: str, key_path: Path, kiosks: int) -> list[str]:
    key = keys.create_or_load(key_path)
    db = Database(db_url)
    init_database(db, keys.public_text(key))
    service = LedgerService(db, badge_key=key)
    BADGES.clear()  # this backend's badges, signed with its own key
    service.put_item(
        "mug",
        ItemSpec(title=Localized(zh="杯子", en="Mug"), category="physical", points=10),
    )
    for n in range(EMPLOYEES):
        service.put_employee(f"E{n}", EmployeeSpec(name=f"工人{n}"))
        service.adjust(
            AdjustmentIn(adjustment_id=f"seed-{n}", employee_id=f"E{n}", points=10**6, reason="b")
        )
        _serial, badge = service.issue_badge(f"E{n}", "qr")
        assert badge is not None
        BADGES.append(badge)
    service.update_device_caps({name: MAX_CAP for name in DeviceCaps.model_fields})
    codes = [service.create_enroll_code() for _ in range(kiosks)]
    db.dispose()
    return codes


async def _client(port: int, token: str, stop: float, latencies: list[float], codes: dict) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random()
    while time.perf_counter() < stop:
        worker = rng.randrange(EMPLOYEES)
        body = json.dumps(
            {
                "order_id": str(uuid.uuid4()),
                "employee_id": f"E{worker}",
                "item_id": "mug",
                "quantity": 1,
                "points": 10,
                "placed_at": datetime.now(UTC).isoformat(),
                "offline": False,
                "evidence": {"kind": "qr", "value": BADGES[worker]},
            }
        ).encode()
        head = (
            f"POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        started = time.perf_counter()
        writer.write(head + body)
        status_line = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        status = int(status_line.split()[1])
        codes[status] = codes.get(status, 0) + 1
    writer.close()


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[int]:
    """The process and its descendants (uvicorn's worker processes)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _postgres_pids() -> list[int]:
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == "postgres":
                pids.append(int(comm.parent.name))
        except OSError:
            continue
    return pids


def cpu_snapshot(server_pid: int) -> dict[int, float]:
    """CPU seconds so far of the server's processes (positive keys) and PostgreSQL's
    (negated keys), so a later snapshot gives what the measured run cost each side."""
    snap = {pid: _proc_cpu(pid) for pid in _tree(server_pid)}
    snap |= {-pid: _proc_cpu(pid) for pid in _postgres_pids()}
    return snap


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> tuple[float, float]:
    """(server, postgres) CPU seconds between two snapshots."""
    server = sum(v - before.get(k, 0.0) for k, v in after.items() if k > 0)
    postgres = sum(v - before.get(k, 0.0) for k, v in after.items() if k < 0)
    return server, postgres


async def load(port: int, tokens: list[str], seconds: float) -> tuple[dict, list[float]]:
    """One client per token, until ``seconds`` have passed."""
    latencies: list[float] = []
    codes: dict[int, int] = {}
    stop = time.perf_counter() + seconds
    await asyncio.gather(*(_client(port, token, stop, latencies, codes) for token in tokens))
    return codes, latencies


def run_backend(name: str, db_url: str, args: argparse.Namespace) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="pk-bench-"))
    key = work / "key.pem"
    enrol_codes = prepare(db_url, key, args.clients)
    port = free_port()
    env = os.environ | {"LEDGER_DB_URL": db_url, "LEDGER_BADGE_KEY": str(key)}
    server = subprocess.Popen(
        [sys.executable, "-m", "ledger.cli", "serve", "--port", str(port),
         "--log-level", "warning", "--workers", str(args.workers), "--jobs", args.jobs],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        import requests

        for _ in range(200):
            try:
                requests.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        tokens = [
            requests.post(
                f"http://127.0.0.1:{port}/api/v1/devices/enroll",
                json={"code": code, "name": f"bench {n}"},
                timeout=10,
            ).json()["token"]
            for n, code in enumerate(enrol_codes)
        ]
        asyncio.run(load(port, tokens, 2))  # warm-up
        before = cpu_snapshot(server.pid)
        codes, latencies = asyncio.run(load(port, tokens, args.seconds))
        server_cpu, postgres_cpu = cpu_spent(before, cpu_snapshot(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    created = codes.get(201, 0)
    latencies.sort()
    return {
        "backend": name,
        "orders_per_s": round(created / args.seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        "status_counts": codes,
        # CPU per order, less noisy than the rate on a shared machine: the ledger's
        # processes, and every PostgreSQL process (0 on SQLite).
        "server_cpu_ms_per_order": round(server_cpu * 1000 / max(created, 1), 3),
        "postgres_cpu_ms_per_order": round(postgres_cpu * 1000 / max(created, 1), 3),
    }


def pgbench(base_url: str, clients: int, seconds: int) -> float | None:
    if not shutil.which("pgbench"):
        return None
    url = make_url(base_url)
    name = f"pk_pgbench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    conn_args = [
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]
    try:
        subprocess.run(
            ["pgbench", "-i", "-q", "-s", "10", *conn_args, name], check=True, capture_output=True
        )
        out = subprocess.run(
            ["pgbench", "-c", str(clients), "-j", "2", "-T", str(seconds), *conn_args, name],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        match = re.search(r"tps = ([\d.]+)", out)
        return float(match.group(1)) if match else None
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=32, help="connections, a kiosk each")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--jobs",
        choices=["worker", "in-process"],
        default="worker",
        help="worker (default): the server leaves its jobs to a `ledger worker`, none runs, "
        "so the figure is the order path's alone; in-process: the jobs (notifications, the "
        "inbox, webhooks) run in the serving processes and work through each order's event",
    )
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, jobs {args.jobs}")
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
        tps = pgbench(pg, args.clients, int(args.seconds))
        results[-1]["pgbench_tps"] = tps
        if tps:
            results[-1]["ratio_to_pgbench"] = round(results[-1]["orders_per_s"] / tps, 3)  # type: ignore[operator]
    for result in results:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
