"""``make screenshots``: every screen in Chinese and English, at 1280×800 and 1920×1080.

Runs the demo ledger (seeding it on first use) in its own process, enrols a throw-away kiosk
with it, and renders the real window offscreen, driving it as a worker would.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from kiosk.config import load_config
from kiosk.runtime import KioskRuntime
from ui.demo import wait_for

SIZES = ((1280, 800), (1920, 1080))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots")
    parser.add_argument("--data", type=Path, required=True, help="the demo folder")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--port", type=int, default=8711)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.data.mkdir(parents=True, exist_ok=True)
    code_file = args.data / "screenshots-code.txt"
    url = f"http://127.0.0.1:{args.port}"
    ledger = subprocess.Popen(
        [sys.executable, "-m", "ledger.demo.run", "--db", f"sqlite:///{args.data / 'ledger.db'}",
         "--port", str(args.port), "--code-file", str(code_file)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(url, ledger)
        with tempfile.TemporaryDirectory() as kiosk_dir:
            os.environ["KIOSK_DATA_DIR"] = kiosk_dir
            os.environ["KIOSK_CONFIG"] = str(Path(kiosk_dir) / "kiosk.toml")
            runtime = KioskRuntime.open(load_config())
            runtime.enroll(url, code_file.read_text().strip(), "Screenshots")
            runtime.sync_once()
            wait_for_inbox(runtime)
            badges = json.loads((args.data / "demo-badges.json").read_text())
            render(runtime, [badge["qr"] for badge in badges[2:]], args.out)
            runtime.close()
    finally:
        ledger.terminate()
        ledger.wait(timeout=30)
    return 0


def wait_for_inbox(runtime: KioskRuntime, seconds: float = 20.0) -> None:
    """Sync until the demo ledger's inbox job has written the workers' messages (it runs
    every few seconds), so the inbox after login is in the pictures."""
    from sqlalchemy import select

    from kiosk.store.models import Message

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with runtime.store.read() as session:
            if session.scalar(select(Message.id).limit(1)) is not None:
                return
        time.sleep(1)
        runtime.sync_once()


def render(runtime: KioskRuntime, badges: list[str], out: Path) -> None:
    """Every screen at each size in each language; each pass places an order, so each pass
    takes the next worker."""
    from ui.app import build_application
    from ui.i18n import Languages
    from ui.main_window import MainWindow

    app = build_application(["screenshots"])
    workers = iter(badges)
    for width, height in SIZES:
        folder = out / f"kiosk-{width}x{height}"
        folder.mkdir(parents=True, exist_ok=True)
        for language in ("zh", "en"):
            window = MainWindow(runtime.service, Languages(), language)
            window.resize(width, height)
            window.show()
            visit = window.visit

            def shot(name: str, window: MainWindow = window, language: str = language,
                     folder: Path = folder) -> None:  # fmt: skip
                app.processEvents()
                path = folder / f"{name}-{language}.png"
                window.grab().save(str(path))
                print(path)

            shot("01-welcome")
            visit.ask_login_pin()
            shot("02-pin")
            visit.choose_language(language)
            visit.scanned(next(workers))
            if window.nav.showing("inbox"):
                shot("03-inbox")
                visit.go_home()
            shot("03-home")
            visit.show_history()
            shot("04-history")
            visit.show_catalogue()
            shot("05-catalogue")
            cards = visit.session.catalogue() if visit.session else ()
            affordable = next(c.item_id for c in cards if c.can_afford)
            visit.show_item(affordable)
            shot("06-item")
            dear = next((c.item_id for c in cards if not c.can_afford), None)
            if dear is not None:
                visit.show_item(dear)
                shot("06-item-not-enough")
            visit.redeem(affordable, 1)
            if window.nav.showing("confirm"):
                shot("07-confirm")
                visit.place_order()
                shot("08-done")
            visit.show_orders()
            shot("09-orders")
            visit.show_earn()
            shot("10-earn")
            visit.show_expiry()
            shot("11-expiry")
            visit.start_countdown()
            shot("12-idle")
            window.countdown.stop()
            visit.scanned("not a badge")
            shot("13-message")
            visit.logout()
            window.maintenance.show_state(
                runtime.service.device(), runtime.service.connection(), window.timezone
            )
            window.nav.go(window.maintenance)
            shot("14-maintenance")
            window.nav.go(window.setup)
            shot("15-setup")
            window.close()


if __name__ == "__main__":
    sys.exit(main())
