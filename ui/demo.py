"""``make demo``: the demo ledger in its own process, a kiosk enrolled with it, the window.

The ledger is started as a separate program (the kiosk never imports it), seeded once with
the demo factory; the kiosk's data lives beside it in the demo folder.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from http.client import HTTPException
from pathlib import Path
from urllib.request import urlopen

from kiosk.config import load_config
from kiosk.runtime import KioskRuntime

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class PortInUse(Exception):
    """Something else listens on the demo's port."""


def reserve_port(port: int) -> socket.socket:
    """The demo ledger's listening socket, bound here so nothing can take the port meanwhile.

    Raises ``PortInUse`` when the port is taken (another demo, another program): the demo
    must not start a second ledger and then talk to the first one.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # As uvicorn does: a previous demo's connections in TIME_WAIT do not block a restart.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(port) from None
        raise
    return sock


def missing_display(environ: Mapping[str, str]) -> str | None:
    """Why the kiosk window could not open here, or None.

    Without a display Qt aborts with a message about libxcb-cursor0 that sends people
    installing packages; this says what is really missing before anything is started.
    """
    if not sys.platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display for the kiosk window (DISPLAY is not set): run `make demo` in a desktop "
        "session, or without one `xvfb-run -a make demo`"
    )


def die_with_parent() -> Callable[[], None] | None:
    """For ``preexec_fn``: the child gets SIGTERM when this process dies, even by SIGKILL.

    A hard crash of the kiosk (SIGABRT, SIGSEGV) skips every ``finally``; without this the
    ledger would stay on the port. Linux only (``prctl(PR_SET_PDEATHSIG)``).
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the forked child only calls it
    parent = os.getpid()

    def arm() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return arm


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the demo ledger stopped; see the messages above")
        try:
            with urlopen(url + "/health", timeout=1) as answer:
                if answer.status == 200:
                    return
        except (OSError, HTTPException):  # not up yet (URLError is an OSError)
            pass
        time.sleep(0.3)
    raise SystemExit("the demo ledger did not start in time")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.demo")
    parser.add_argument("--data", type=Path, required=True, help="the demo folder")
    parser.add_argument("--port", type=int, default=8700)
    args = parser.parse_args(argv)
    problem = missing_display(os.environ)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    try:
        listener = reserve_port(args.port)
    except PortInUse:
        print(
            f"port {args.port} is already in use — is another demo running? "
            f"Stop it or run `make demo DEMO_PORT={args.port + 1}`",
            file=sys.stderr,
        )
        return 1
    data: Path = args.data
    data.mkdir(parents=True, exist_ok=True)
    code_file = data / "enroll-code.txt"
    url = f"http://127.0.0.1:{args.port}"
    # A SIGTERM (from a service manager or `timeout`) must still stop the ledger below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with listener:
        ledger = subprocess.Popen(
            [sys.executable, "-m", "ledger.demo.run", "--db", f"sqlite:///{data / 'ledger.db'}",
             "--port", str(args.port), "--fd", str(listener.fileno()),
             "--code-file", str(code_file)],
            pass_fds=[listener.fileno()],
            preexec_fn=die_with_parent(),  # safe: no thread has started yet
        )  # fmt: skip
    try:
        wait_for(url, ledger)
        os.environ["KIOSK_DATA_DIR"] = str(data / "kiosk")
        os.environ["KIOSK_CONFIG"] = str(data / "kiosk.toml")
        # The ledger's address on this run's port, whatever port the kiosk enrolled on.
        os.environ["KIOSK_SERVER_URL"] = url
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
        try:
            ledger.wait(timeout=30)
        except subprocess.TimeoutExpired:
            ledger.kill()
            ledger.wait()


if __name__ == "__main__":
    sys.exit(main())
