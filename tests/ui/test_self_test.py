"""``kiosk --self-test`` passes with every resource and names the one that is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def self_test(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.app", "--self-test"],
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)} | env,
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


def test_self_test_passes() -> None:
    result = self_test()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout and "MISSING" not in result.stdout


def test_self_test_names_what_is_missing(tmp_path: Path) -> None:
    resources = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", resources)
    (resources / "translations" / "points_kiosk_zh_CN.qm").unlink()
    (resources / "icons" / "earn.svg").write_text("not an svg")
    result = self_test(KIOSK_RESOURCES=str(resources))
    assert result.returncode == 1
    missing = [line for line in result.stdout.splitlines() if line.startswith("MISSING")]
    assert any("points_kiosk_zh_CN.qm" in line for line in missing)
    assert any("earn.svg" in line for line in missing)
    assert any("welcome screen" in line for line in missing)  # no Chinese, no Chinese title
