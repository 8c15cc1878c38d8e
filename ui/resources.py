"""Where the kiosk's assets are: the source tree's ``resources/`` (or a packaged copy)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resource_dir() -> Path:
    """``KIOSK_RESOURCES``, else the bundle's copy (PyInstaller), else the source tree's."""
    if os.environ.get("KIOSK_RESOURCES"):
        return Path(os.environ["KIOSK_RESOURCES"])
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def icon_path(name: str) -> Path:
    return resource_dir() / "icons" / f"{name}.svg"
