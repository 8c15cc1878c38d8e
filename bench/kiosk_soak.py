"""A week on the shop floor, compressed: the real kiosk window, a wedge scanner and fingers.

Starts the demo ledger in its own process, enrols a kiosk with it and opens the real window
(offscreen, the real theme, 1280×800) with its sync thread running. Then it plays visits at
shop-floor pace on a simulated clock that covers seven days (nights included): a badge scan
typed as fast keystrokes, the home screen, a few screens touched (catalogue, an item, history,
orders, how to earn), now and then an order placed or cancelled, and a log-out by the button,
by a new scan or by the idle countdown. Every 1,000 scans it prints the process's resident
memory, open file descriptors, threads, live Python objects and ``None``'s reference count;
at the end, the RSS growth per 1,000 scans (least squares over the run after warm-up).

    python bench/kiosk_soak.py [--scans 20000] [--days 7] [--seed 16]

An order goes for the cheapest item the worker may take now (the kiosk's own quote); a
refusal is counted when none is within reach or the ledger's answer refuses it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import requests  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.runtime import KioskRuntime  # noqa: E402
from tests.kiosk.conftest import KioskClock  # noqa: E402

WARM_UP = 1000  # scans before the growth is measured: screens built, caches filled
NIGHT = timedelta(hours=8)


@dataclass
class Sample:
    scans: int
    simulated: datetime
    rss_mb: float
    fds: int
    threads: int
    objects: int
    none_refs: int


def process_figures() -> tuple[float, int, int]:
    """Resident memory in MB, open file descriptors and threads of this process."""
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    rss_kb = int(fields["VmRSS"].split()[0])
    threads = int(fields["Threads"])
    return rss_kb / 1024, len(os.listdir("/proc/self/fd")), threads


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_ledger(data: Path, port: int) -> tuple[subprocess.Popen[bytes], str, list[str]]:
    code_file = data / "enroll-code.txt"
    ledger = subprocess.Popen(
        [sys.executable, "-m", "ledger.demo.run", "--db", f"sqlite:///{data / 'ledger.db'}",
         "--port", str(port), "--code-file", str(code_file)],
        cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        if ledger.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the demo ledger did not start")
        try:
            if requests.get(url + "/health", timeout=1).ok:
                break
        except requests.RequestException:
            time.sleep(0.5)
    badges = json.loads((data / "demo-badges.json").read_text())
    return ledger, code_file.read_text().strip(), [b["qr"] for b in badges]


def slope_per_thousand(samples: list[Sample]) -> float:
    """RSS growth in MB per 1,000 scans, least squares."""
    xs = [s.scans / 1000 for s in samples]
    ys = [s.rss_mb for s in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mean_x) ** 2 for x in xs)
    if den == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / den


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=20_000)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    warm_up = min(WARM_UP, args.scans // 2)
    # A SIGTERM still runs the clean-up below, so the demo ledger does not outlive the run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    from tests.ui.drive import tap, tap_row, wedge_scan
    from ui.app import build_application
    from ui.i18n import Languages
    from ui.idle import COUNTDOWN_SECONDS
    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        port = free_port()
        ledger, code, badges = start_ledger(data, port)
        started = time.perf_counter()
        try:
            config = replace(
                load_config({"KIOSK_CONFIG": str(data / "absent.toml")}),
                data_dir=data / "kiosk",
                log_dir=data / "logs",
                sync_interval=2.0,
            )
            clock = KioskClock(datetime.now(UTC))  # moved by the script: a week in minutes
            runtime = KioskRuntime.open(config, clock=clock)
            runtime.enroll(f"http://127.0.0.1:{port}", code, "Soak kiosk")
            runtime.sync_once()
            app = build_application([])
            window = MainWindow(runtime.service, Languages(), "zh")
            window.install_input_filters()
            window.resize(1280, 800)
            window.show()
            runtime.start()  # the sync thread runs throughout, as on a kiosk

            # Visits spread over the days with a night's pause each day.
            per_day = max(1, round(args.scans / args.days))
            gap = (timedelta(days=1) - NIGHT).total_seconds() / per_day
            samples: list[Sample] = []
            orders = refused = idle_logouts = 0
            began = clock.wall

            def sample(scans: int) -> Sample:
                app.processEvents()
                gc.collect()
                rss, fds, threads = process_figures()
                return Sample(scans, clock.wall, rss, fds, threads, len(gc.get_objects()),
                              sys.getrefcount(None))  # fmt: skip

            print("scans  simulated         RSS MB  fds  threads  objects  None refs", flush=True)
            for scan in range(1, args.scans + 1):
                clock.advance(rng.expovariate(1 / gap))
                if scan % per_day == 0:
                    clock.advance(NIGHT.total_seconds())
                wedge_scan(window, rng.choice(badges))
                app.processEvents()
                if window.session is None:
                    raise SystemExit(f"scan {scan} did not log in: {window.messages.text}")
                for _ in range(rng.randint(1, 4)):
                    screen = rng.choice(("catalogue", "history", "orders", "earn", "item"))
                    if screen == "catalogue":
                        tap(window.home.catalogue)
                    elif screen == "history":
                        tap(window.home.history)
                    elif screen == "orders":
                        tap(window.home.orders)
                    elif screen == "earn":
                        tap(window.home.earn)
                    else:
                        tap(window.home.catalogue)
                        rows = window.catalogue.model.rows
                        if rows:
                            tap_row(window.catalogue.list, rng.choice(rows).key)
                    app.processEvents()
                    tap(window.header.home)
                if rng.random() < 0.02:  # an order: the cheapest item this worker may take now
                    session = window.session
                    assert session is not None
                    cards = sorted(session.catalogue(), key=lambda card: card.points)
                    choice = next(
                        (c for c in cards if session.quote(c.item_id).can_place), cards[0]
                    )
                    window.visit.redeem(choice.item_id, 1)  # refusals are shown, not raised
                    if window.stack.currentWidget() is window.confirm:
                        tap(window.confirm.confirm)
                    if window.stack.currentWidget() is window.done:
                        orders += 1
                    else:
                        refused += 1
                    app.processEvents()
                ending = rng.random()
                if ending < 0.6:
                    tap(window.header.logout)
                elif ending < 0.8:
                    window.idle.idle.emit()  # idle time up: the countdown runs out
                    for _ in range(COUNTDOWN_SECONDS):
                        window.countdown.timer.timeout.emit()
                    idle_logouts += 1
                # else: the next worker's scan takes over
                app.processEvents()
                if scan == warm_up or scan % 1000 == 0 or scan == args.scans:
                    s = sample(scan)
                    samples.append(s)
                    print(f"{scan:>6}  {s.simulated:%a %m-%d %H:%M}  {s.rss_mb:7.1f}  "
                          f"{s.fds:3d}  {s.threads:7d}  {s.objects:7d}  {s.none_refs:9d}",
                          flush=True)  # fmt: skip
            elapsed = time.perf_counter() - started
            measured = [s for s in samples if s.scans >= warm_up]
            days = (clock.wall - began).total_seconds() / 86400
            print(
                f"\nkiosk soak: {args.scans:,} scans over {days:.1f} simulated days in "
                f"{elapsed / 60:.1f} min; {orders} orders placed, {refused} refused; "
                f"{idle_logouts} idle log-outs; sync thread alive: "
                f"{any(t.name == 'kiosk-sync' for t in threading.enumerate())}\n"
                f"RSS after warm-up {measured[0].rss_mb:.1f} MB, at the end "
                f"{measured[-1].rss_mb:.1f} MB: {slope_per_thousand(measured):+.2f} MB per "
                f"1,000 scans; fds {min(s.fds for s in measured)}–"
                f"{max(s.fds for s in measured)}; threads "
                f"{min(s.threads for s in measured)}–{max(s.threads for s in measured)}; "
                f"objects {measured[0].objects:,} → {measured[-1].objects:,}; None refs "
                f"{measured[0].none_refs:,} → {measured[-1].none_refs:,}",
                flush=True,
            )
            window.close()
            runtime.close()
        finally:
            ledger.terminate()
            ledger.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
