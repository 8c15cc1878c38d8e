"""From the Enter key of a wedge scan to the home screen painted, in the real window; and the
kiosk's memory when it stands idle after a visit.

1. Scan to home: a kiosk store filled with 20,000 workers and 2,000,000 history entries
   (``bench/factory_data.py``), the real window offscreen with the theme at 1280×800. For
   random badges the scanner's keystrokes are typed, then the time runs from sending Enter to
   the end of the frame in which the home screen painted (login, the home view model, the
   screen switch and the paint). Prints the median, p95 and p99.
2. Idle memory: the demo ledger (its catalogue with pictures) in its own process and the
   kiosk in another, set up as ``kiosk`` sets itself up (theme, fonts, translations, store,
   sync thread); it plays one visit (scan, home, catalogue, an item, history, orders, log
   out), stands idle for a while, then reports its resident memory.

    python bench/ui_scan_to_home.py [--workers 20000] [--entries-per-worker 100] [--scans 300]
    python bench/ui_scan_to_home.py --memory-only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

IDLE_SECONDS = 20


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def scan_to_home(workers: int, entries: int, scans: int) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from bench.factory_data import filled_kiosk_store
    from kiosk.service import KioskService
    from ui.app import build_application
    from ui.i18n import Languages
    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store, badges = filled_kiosk_store(Path(tmp), workers, entries)
        filled = time.perf_counter() - started
        app = build_application(["bench"])
        window = MainWindow(KioskService(store), Languages(), "zh")
        window.install_input_filters()
        window.resize(1280, 800)
        window.show()
        window.build_all_screens()
        app.processEvents()

        class Painted(QObject):
            seen = False

            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.seen = True
                return False

        painted = Painted()
        window.home.installEventFilter(painted)
        rng = random.Random(11)
        samples = []
        for n, badge in enumerate(rng.choices(badges, k=scans + 20)):
            window.visit.logout()
            app.processEvents()
            QTest.keyClicks(window, badge)  # the scanner's characters, not timed
            painted.seen = False
            t0 = time.perf_counter()
            QTest.keyClick(window, Qt.Key.Key_Return)
            while not painted.seen:
                QApplication.processEvents()
            elapsed = (time.perf_counter() - t0) * 1000
            assert window.nav.showing("home"), window.messages.text
            if n >= 20:  # warm-up: screens' first use, the page cache
                samples.append(elapsed)
        samples.sort()

        def pct(q: float) -> float:
            return samples[min(len(samples) - 1, int(q * len(samples)))]

        print(
            f"scan → home painted: {workers:,} workers, {workers * entries:,} entries "
            f"(store filled in {filled:.0f} s), {len(samples)} scans at 1280×800: median "
            f"{statistics.median(samples):.1f} ms, p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms, "
            f"max {samples[-1]:.1f} ms",
            flush=True,
        )
        window.close()
        store.close()


def idle_child(data: Path, url: str, badge: str) -> int:
    """The kiosk as ``kiosk`` starts it, one visit, then idle: prints its RSS."""
    from kiosk.config import load_config
    from ui.app import build_application

    os.environ["KIOSK_DATA_DIR"] = str(data / "kiosk")
    os.environ["KIOSK_CONFIG"] = str(data / "kiosk.toml")
    os.environ["KIOSK_LOG_DIR"] = str(data / "logs")
    config = load_config()
    # Qt and the application first, the window and the core after, in ``kiosk``'s order.
    app = build_application(["kiosk"])
    from PySide6.QtCore import QTimer

    from kiosk.runtime import KioskRuntime
    from ui.i18n import Languages
    from ui.main_window import MainWindow

    window = MainWindow(None, Languages(), config.language)
    window.install_input_filters()
    window.resize(1280, 800)
    window.show()
    runtime = KioskRuntime.open(config)
    if not runtime.enrolled:
        runtime.enroll(url, (data / "code.txt").read_text().strip(), "Idle bench")
    runtime.sync_once()
    window.attach(runtime.service)
    runtime.start()
    started = rss_mb()
    visit = window.visit
    visit.scanned(badge)
    for show in (visit.show_catalogue, visit.show_history, visit.show_orders, visit.go_home):
        show()
        app.processEvents()
    cards = visit.session.catalogue() if visit.session else ()
    for card in cards:
        visit.show_item(card.item_id)
        app.processEvents()
    visit.logout()
    after_visit = rss_mb()
    QTimer.singleShot(IDLE_SECONDS * 1000, app.quit)
    app.exec()
    idle = rss_mb()
    print(json.dumps({"start": started, "visit": after_visit, "idle": idle, "items": len(cards)}))
    runtime.close()
    return 0


def idle_memory() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        ledger = subprocess.Popen(
            [sys.executable, "-m", "ledger.demo.run", "--db", f"sqlite:///{data / 'ledger.db'}",
             "--port", str(port), "--code-file", str(data / "code.txt")],
            cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            import requests

            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 300
            while True:
                try:
                    if requests.get(url + "/health", timeout=1).ok:
                        break
                except requests.RequestException:
                    if time.monotonic() > deadline or ledger.poll() is not None:
                        raise SystemExit("the demo ledger did not start") from None
                    time.sleep(0.5)
            badge = json.loads((data / "demo-badges.json").read_text())[0]["qr"]
            # The first start creates and enrols the store; the kiosk of every later day
            # starts on a store that exists (no migrations): that second start is measured.
            for _ in range(2):
                child = subprocess.run(
                    [sys.executable, __file__, "--idle-child", str(data), url, badge],
                    cwd=ROOT, capture_output=True, text=True, timeout=600,
                )  # fmt: skip
                if child.returncode != 0:
                    raise SystemExit(child.stderr)
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"kiosk memory with the demo catalogue ({figures['items']} items with pictures): "
                f"RSS {figures['start']:.0f} MB when started, {figures['visit']:.0f} MB after a "
                f"visit, {figures['idle']:.0f} MB after {IDLE_SECONDS} s idle",
                flush=True,
            )
        finally:
            ledger.terminate()
            ledger.wait(30)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--idle-child":
        return idle_child(Path(sys.argv[2]), sys.argv[3], sys.argv[4])
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--entries-per-worker", type=int, default=100)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--skip-idle", action="store_true")
    parser.add_argument(
        "--memory-only", action="store_true", help="only the idle memory part (about a minute)"
    )
    args = parser.parse_args()
    if not args.memory_only:
        scan_to_home(args.workers, args.entries_per_worker, args.scans)
    if not args.skip_idle:
        idle_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
