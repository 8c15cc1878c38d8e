"""PySide6's import hook still tells Qt modules from others, without keeping their sources."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

from ui.source_scan import scan_sources_without_keeping_them


def test_imported_modules_are_classified_and_their_sources_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert scan_sources_without_keeping_them()
    assert scan_sources_without_keeping_them()  # a second call changes nothing
    (tmp_path / "scan_probe_qt.py").write_text("from PySide6 import QtCore\nVALUE = 1\n")
    (tmp_path / "scan_probe_plain.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("scan_probe_qt", "scan_probe_plain"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        __import__(name)  # an import statement's way in (import_module bypasses the hook)
    features = sys.modules["shibokensupport.feature"].pyside_feature_dict
    # 0: uses PySide (feature switching applies), -1: ignored; what inspect.getsource gave.
    assert features["scan_probe_qt"] == 0
    assert features["scan_probe_plain"] == -1
    kept = {Path(file).name for file in linecache.cache}
    assert "scan_probe_qt.py" not in kept and "scan_probe_plain.py" not in kept
