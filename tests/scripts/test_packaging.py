"""packaging/: the steps `make package` runs around PyInstaller (the whole build is checked by
`make package-check`)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


trimmed_icu = _load("trimmed_icu")
finish_dist = _load("finish_dist")
kiosk_font = _load("kiosk_font")


def test_icu_keeps_root_chinese_and_english_data_only() -> None:
    items = [
        "root.res", "zh.res", "zh_Hans_CN.res", "en_GB.res", "coll/zh.res", "brkitr/cjdict.dict",
        "de.res", "coll/fr_CA.res", "ibm-943_P15A-2003.cnv", "brkitr/thaidict.dict",
        "metaZones.res", "uts46.nrm",
    ]  # fmt: skip
    assert trimmed_icu.dropped_items(items) == {
        "de.res", "coll/fr_CA.res", "ibm-943_P15A-2003.cnv", "brkitr/thaidict.dict"
    }  # fmt: skip


def test_the_launcher_and_version_are_added_to_the_built_folder(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="run PyInstaller first"):
        finish_dist.finish(tmp_path)
    program = "points-kiosk.exe" if sys.platform == "win32" else "points-kiosk"
    (tmp_path / "points-kiosk").mkdir()
    (tmp_path / "points-kiosk" / program).write_bytes(b"")
    finish_dist.finish(tmp_path)
    assert (tmp_path / "VERSION").read_text() == finish_dist.version() + "\n"
    if sys.platform != "win32":
        launcher = tmp_path / "points-kiosk" / "kiosk-debug"
        assert launcher.read_text().startswith("#!/bin/sh\n")
        assert os.access(launcher, os.X_OK)


def test_the_font_comes_from_the_setting_first(tmp_path: Path) -> None:
    font = tmp_path / "own.ttf"
    font.write_bytes(b"")
    assert kiosk_font.font_source({"KIOSK_FONT_FILE": str(font)}) == font
    assert "订单" in kiosk_font.kiosk_texts()  # the cut keeps what the screens say
