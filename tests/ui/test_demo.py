"""`make demo` (``python -m ui.demo``): what it starts dies with it; a taken port stops it early."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from ledger.demo.run import prepare

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo(data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "ui.demo", "--data", str(data), "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def answers(url: str) -> bool:
    try:
        return requests.get(url + "/health", timeout=1).ok
    except requests.RequestException:
        return False


def processes_mentioning(text: str) -> list[int]:
    """Live processes (not zombies) whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_ledger_dies_with_a_demo_killed_outright(tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    data.mkdir()
    service, _ = prepare(f"sqlite:///{data / 'ledger.db'}", workers=5)  # a small factory, fast
    service.db.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    demo = start_demo(data, port, tmp_path / "demo.log")
    try:
        deadline = time.monotonic() + 120
        while not answers(url):
            assert demo.poll() is None, (tmp_path / "demo.log").read_text()
            assert time.monotonic() < deadline, "the demo ledger did not start"
            time.sleep(0.3)
        ledger_pids = processes_mentioning(str(data / "ledger.db"))
        assert ledger_pids, "the ledger runs as the demo's child process"
        # As a hard crash of the kiosk does: no finally, no atexit, no signal handler runs.
        demo.send_signal(signal.SIGKILL)
        demo.wait(timeout=10)
        deadline = time.monotonic() + 10
        while answers(url) or processes_mentioning(str(data / "ledger.db")):
            assert time.monotonic() < deadline, "the demo ledger outlived the demo"
            time.sleep(0.2)
    finally:
        demo.kill()
        demo.wait()
        for pid in processes_mentioning(str(data / "ledger.db")):
            os.kill(pid, signal.SIGKILL)
    # The port is free again for the next `make demo`.
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))


def test_a_port_in_use_is_one_line_and_nothing_starts(tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "ui.demo", "--data", str(data), "--port", str(port)],
            env=os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"port {port} is already in use — is another demo running? "
        f"Stop it or run `make demo DEMO_PORT={port + 1}`"
    ]
    assert result.stdout == ""
    assert not data.exists(), "nothing is started or created"
    assert processes_mentioning(str(data)) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 or Wayland displays")
def test_without_a_display_it_says_so_and_starts_nothing(tmp_path: Path) -> None:
    data = tmp_path / "demo-data"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env = env | {"QT_QPA_PLATFORM": "", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "ui.demo", "--data", str(data), "--port", str(free_port())],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    [line] = result.stderr.splitlines()
    assert line.startswith("no display for the kiosk window") and "xvfb-run" in line
    assert not data.exists()
