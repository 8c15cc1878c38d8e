"""The ``kiosk`` command, run as a real process against a live ledger."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import LiveLedger

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def kiosk_cmd(tmp_path: Path) -> Run:
    env_base = {
        "KIOSK_DATA_DIR": str(tmp_path / "kiosk"),
        "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
        "KIOSK_CONNECT_TIMEOUT": "2",
        "PYTHONPATH": str(ROOT),
    }

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        import os

        return subprocess.run(
            [sys.executable, "-m", "kiosk.cli", *args],
            env=os.environ | env_base | env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    return run


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_enroll_sync_and_status(factory_floor: LiveLedger, kiosk_cmd: Run) -> None:
    status = json.loads(kiosk_cmd("status").stdout)
    assert status["device"] is None and status["cursor"] is None

    code = factory_floor.service.create_enroll_code()
    enrolled = kiosk_cmd("enroll", "--server", factory_floor.url, "--code", code, "--name", "L3")
    assert enrolled.returncode == 0, enrolled.stderr
    assert "enrolled as L3" in enrolled.stdout
    again = one_line_error(
        kiosk_cmd("enroll", "--server", factory_floor.url, "--code", code, "--name", "L4")
    )
    assert "already used" in again

    synced = kiosk_cmd("sync", "--once")
    assert synced.returncode == 0, synced.stderr
    assert "pulled" in synced.stdout and "error" not in synced.stdout
    status = json.loads(kiosk_cmd("status").stdout)
    assert status["device"]["name"] == "L3" and status["server"] == factory_floor.url
    assert status["cursor"] and status["last_sync"] and status["outbox"]["unsent"] == 0
    assert status["counts"]["employees"] == 2 and status["counts"]["items"] == 3

    factory_floor.stop()
    offline = kiosk_cmd("sync", "--once")
    assert offline.returncode == 1 and "error: cannot reach" in offline.stdout
    assert json.loads(kiosk_cmd("status").stdout)["last_error"].startswith("cannot reach")


def test_enrolment_errors_are_one_clear_line(factory_floor: LiveLedger, kiosk_cmd: Run) -> None:
    url = factory_floor.url
    assert "wrong, expired or already used" in one_line_error(
        kiosk_cmd("enroll", "--server", url, "--code", "NOPE-NOPE-NOPE")
    )
    unreachable = f"http://127.0.0.1:{closed_port()}"
    assert "cannot reach" in one_line_error(
        kiosk_cmd("enroll", "--server", unreachable, "--code", "X")
    )
    assert "http:// or https:// URL expected" in one_line_error(
        kiosk_cmd("enroll", "--server", "points.local", "--code", "X")
    )
    assert "must not be empty" in one_line_error(
        kiosk_cmd("enroll", "--server", url, "--code", " ")
    )
    assert "not enrolled" in one_line_error(kiosk_cmd("sync", "--once"))
    assert "sync_interval: a number of seconds expected" in one_line_error(
        kiosk_cmd("status", KIOSK_SYNC_INTERVAL="often")
    )


def test_a_damaged_store_is_reported_and_repaired(
    factory_floor: LiveLedger, kiosk_cmd: Run, tmp_path: Path
) -> None:
    code = factory_floor.service.create_enroll_code()
    assert kiosk_cmd("enroll", "--server", factory_floor.url, "--code", code).returncode == 0
    store = tmp_path / "kiosk" / "kiosk.db"
    store.write_bytes(b"\0" * 4096 + store.read_bytes()[4096:])
    assert "kiosk repair" in one_line_error(kiosk_cmd("status"))
    repaired = kiosk_cmd("repair")
    assert repaired.returncode == 0 and "enrolment lost" in repaired.stdout
    assert json.loads(kiosk_cmd("status").stdout)["device"] is None
    # Nothing readable was left, so it enrols afresh and works.
    code = factory_floor.service.create_enroll_code()
    assert kiosk_cmd("enroll", "--server", factory_floor.url, "--code", code).returncode == 0
    assert kiosk_cmd("sync", "--once").returncode == 0
    assert json.loads(kiosk_cmd("status").stdout)["counts"]["employees"] == 2
