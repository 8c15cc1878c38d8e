"""What ``make package`` adds to PyInstaller's ``dist/``: the ``kiosk-debug`` launcher and
``dist/VERSION``.

Windows tells console from windowed programs, so there ``build.spec`` makes kiosk-debug a
second program. Elsewhere both would be the same program, and kiosk-debug is a two-line
script (``packaging/linux/kiosk-debug``) that runs points-kiosk.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
LAUNCHER = ROOT / "packaging" / "linux" / "kiosk-debug"


def version(root: Path = ROOT) -> str:
    """The kiosk's version, read from ``sync/version.py`` without importing the package."""
    found = re.search(r'__version__ = "([^"]+)"', (root / "sync" / "version.py").read_text())
    if found is None:
        raise SystemExit("sync/version.py names no __version__")
    return found[1]


def finish(dist: Path = DIST) -> None:
    """Put the launcher beside points-kiosk and the version beside the folder."""
    folder = dist / "points-kiosk"
    if not (folder / ("points-kiosk.exe" if sys.platform == "win32" else "points-kiosk")).exists():
        raise SystemExit(f"{folder} holds no points-kiosk: run PyInstaller first")
    if sys.platform != "win32":
        launcher = folder / "kiosk-debug"
        shutil.copyfile(LAUNCHER, launcher)
        launcher.chmod(0o755)
    (dist / "VERSION").write_text(version() + "\n")


def main() -> int:
    finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
