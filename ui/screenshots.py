"""``make screenshots``: every screen in Chinese and English at 1920×1080 into docs/screenshots.

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
from collections.abc import Sequence
from pathlib import Path

from kiosk.config import load_config
from kiosk.runtime import KioskRuntime
from ui.demo import wait_for

SIZE = (1920, 1080)


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
            badges = json.loads((args.data / "demo-badges.json").read_text())
            render(runtime, badges[2]["qr"], args.out)
            runtime.close()
    finally:
        ledger.terminate()
        ledger.wait(timeout=30)
    return 0


def render(runtime: KioskRuntime, badge: str, out: Path) -> None:
    from ui.app import build_application
    from ui.i18n import Languages
    from ui.main_window import MainWindow

    app = build_application(["screenshots"])
    out.mkdir(parents=True, exist_ok=True)
    for language in ("zh", "en"):
        window = MainWindow(runtime.service, Languages(), language)
        window.resize(*SIZE)
        window.show()

        def shot(name: str, window: MainWindow = window, language: str = language) -> None:
            app.processEvents()
            window.grab().save(str(out / f"{name}-{language}.png"))
            print(out / f"{name}-{language}.png")

        shot("01-welcome")
        window.ask_login_pin()
        shot("02-pin")
        window.scanned(badge)
        window.set_language(language)  # the demo worker prefers Chinese
        shot("03-home")
        window.show_history()
        shot("04-history")
        window.show_catalogue()
        shot("05-catalogue")
        affordable = next(r.key for r in window.catalogue.model.rows if not r.muted)
        window.show_item(affordable)
        shot("06-item")
        window.redeem(affordable, 1)
        if window.stack.currentWidget() is window.confirm:
            shot("07-confirm")
            window.place_order()
            shot("08-done")
        window.show_orders()
        shot("09-orders")
        window.show_earn()
        shot("10-earn")
        window.start_countdown()
        shot("11-idle")
        window.logout()
        window.maintenance.show_state(
            runtime.service.device(), runtime.service.connection(), window.timezone
        )
        window.go(window.maintenance)
        window.header.hide()
        shot("12-maintenance")
        window.go(window.setup)
        window.header.hide()
        shot("13-setup")
        window.close()


if __name__ == "__main__":
    sys.exit(main())
