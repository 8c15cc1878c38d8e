"""``make demo``: the demo ledger in its own process, a kiosk enrolled with it, the window.

The ledger is started as a separate program (the kiosk never imports it), seeded once with
the demo factory; the kiosk's data lives beside it in the demo folder.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import requests

from kiosk.config import load_config
from kiosk.runtime import KioskRuntime


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the demo ledger stopped; see the messages above")
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("the demo ledger did not start in time")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.demo")
    parser.add_argument("--data", type=Path, required=True, help="the demo folder")
    parser.add_argument("--port", type=int, default=8700)
    args = parser.parse_args(argv)
    data: Path = args.data
    data.mkdir(parents=True, exist_ok=True)
    code_file = data / "enroll-code.txt"
    url = f"http://127.0.0.1:{args.port}"
    # A SIGTERM (from a service manager or `timeout`) must still stop the ledger below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ledger = subprocess.Popen(
        [sys.executable, "-m", "ledger.demo.run", "--db", f"sqlite:///{data / 'ledger.db'}",
         "--port", str(args.port), "--code-file", str(code_file)]
    )  # fmt: skip
    try:
        wait_for(url, ledger)
        os.environ["KIOSK_DATA_DIR"] = str(data / "kiosk")
        os.environ["KIOSK_CONFIG"] = str(data / "kiosk.toml")
        os.environ.setdefault("KIOSK_LOG_DIR", str(data / "logs"))
        os.environ.setdefault("KIOSK_SYNC_INTERVAL", "10")
        # In the demo a badge's text may be typed by hand to stand in for a scanner.
        os.environ.setdefault("KIOSK_ACCEPT_TYPED_SCANS", "1")
        runtime = KioskRuntime.open(load_config())
        try:
            if not runtime.enrolled:
                info = runtime.enroll(url, code_file.read_text().strip(), "Demo kiosk")
                print(f"kiosk enrolled as {info.name}", flush=True)
            runtime.sync_once()
        finally:
            runtime.close()
        from ui.app import main as kiosk_main

        return kiosk_main(["--windowed"])
    finally:
        ledger.terminate()
        ledger.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
