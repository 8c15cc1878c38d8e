"""Start-up time of the packaged kiosk against a bare PySide6 window packaged the same way.

Builds (unless present) `dist/points-kiosk` with build.spec and a one-dir PyInstaller build of
a script that only shows a QLabel, then starts each N times, alternating, from process
spawn to "the first screen is painted" (each prints a line once its window has drawn its
first frame, fonts and all; the kiosk then loads its core and quits),
and prints the medians, their ratio and the package size. The kiosk starts on an enrolled-
free store that already exists, as on every start after the first.

    python bench/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
            self.seen = True
            QTimer.singleShot(0, lambda: (print("welcome shown", flush=True), app.quit()))
        return False


app = QApplication(sys.argv)
label = QLabel("hello")
label.resize(1280, 800)
probe = FirstPaint()
label.installEventFilter(probe)
label.show()
sys.exit(app.exec())
"""


def folder_size(path: Path) -> int:
    """Bytes on disk, each file once (PyInstaller links some libraries by symlink)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to the "welcome shown" line (the process then finishes by itself)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    rest, errors = process.communicate(timeout=120)
    if "welcome shown" not in line or process.returncode != 0:
        raise SystemExit(f"{command[0]} did not start: {line}{rest}{errors}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    pyinstaller = str(Path(sys.executable).with_name("pyinstaller"))
    kiosk = ROOT / "dist" / "points-kiosk" / "points-kiosk"
    if not kiosk.exists():
        subprocess.run(["make", "package"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        script = tmp_path / "bare.py"
        script.write_text(BARE)
        subprocess.run(
            [pyinstaller, "--noconfirm", "--onedir", "--name", "bare", "--log-level", "ERROR",
             "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
             "--specpath", str(tmp_path), str(script)],
            check=True,
        )  # fmt: skip
        bare = tmp_path / "dist" / "bare" / "bare"
        env = os.environ | {
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "KIOSK_STARTUP_PROBE": "1",
            "KIOSK_DATA_DIR": str(tmp_path / "kiosk-data"),
            "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
            "KIOSK_LOG_DIR": str(tmp_path / "logs"),
        }
        timed([str(kiosk), "--windowed"], env)  # creates the store: not a typical start
        timed([str(bare)], env)
        kiosk_times, bare_times = [], []
        for _ in range(args.runs):
            kiosk_times.append(timed([str(kiosk), "--windowed"], env))
            bare_times.append(timed([str(bare)], env))
        k, b = statistics.median(kiosk_times), statistics.median(bare_times)
        size = folder_size(kiosk.parent) / 1e6
        bare_size = folder_size(bare.parent) / 1e6
        print(
            f"start to first screen, median of {args.runs}: kiosk {k * 1000:.0f} ms, "
            f"bare PySide6 {b * 1000:.0f} ms, ratio {k / b:.2f}; "
            f"package {size:.0f} MB (bare {bare_size:.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
