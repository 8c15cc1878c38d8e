"""Imports point one way: ``ui → kiosk → sync`` and ``ledger → sync``; Qt only in ``ui/``.

Every import of the four packages is read from the source with ``ast``: those inside
functions and ``TYPE_CHECKING`` blocks too (a late or type-only import still ties the packages
together), and ``importlib.import_module`` / ``__import__`` with a literal name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The packages of ours each package may import besides itself. The kiosk is packaged without
# the ledger, and the ledger runs on servers without Qt.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "sync": frozenset(),
    "kiosk": frozenset({"sync"}),
    "ledger": frozenset({"sync"}),
    "ui": frozenset({"kiosk", "sync"}),
}
QT = frozenset({"PySide6", "shiboken6"})
QT_ONLY_IN = "ui"


@dataclass(frozen=True)
class WrongImport:
    """One import against the rules, where it is and why."""

    path: str  # relative to the tree checked, with forward slashes
    line: int
    module: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.module}: {self.reason}"


def _dynamic_import(call: ast.Call) -> str | None:
    """The module named by ``importlib.import_module("…")`` or ``__import__("…")``, if any."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("import_module", "__import__") or not call.args:
        return None
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def imports_of(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in ``source``, a module of ``package``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            # A relative import stays inside the file's own package.
            yield node.lineno, package if node.level else (node.module or "")
        elif isinstance(node, ast.Call) and (name := _dynamic_import(node)) is not None:
            yield node.lineno, name


def wrong_imports(root: Path) -> list[WrongImport]:
    """Every import under ``root``'s packages that breaks the direction or brings in Qt."""
    found = []
    for package, allowed in MAY_IMPORT.items():
        for file in sorted((root / package).rglob("*.py")):
            relative = file.relative_to(root).as_posix()
            for line, module in imports_of(file.read_text(encoding="utf-8"), package):
                top = module.split(".")[0]
                if top in MAY_IMPORT and top != package and top not in allowed:
                    reason = f"{package} must not import {top}"
                elif top in QT and package != QT_ONLY_IN:
                    reason = f"Qt belongs in {QT_ONLY_IN}/ only"
                else:
                    continue
                found.append(WrongImport(relative, line, module, reason))
    return found


def test_the_project_imports_point_one_way() -> None:
    problems = wrong_imports(ROOT)
    assert not problems, "imports against the direction:\n" + "\n".join(map(str, problems))


def test_the_checker_finds_every_kind_of_wrong_import(tmp_path: Path) -> None:
    files = {
        "sync/client.py": "import json\nimport kiosk.store\n",
        "kiosk/service.py": "def later() -> None:\n    from ui.screens import home\n",
        "kiosk/store/models.py": (
            "from typing import TYPE_CHECKING\n\n"
            "if TYPE_CHECKING:\n    from ledger.service import LedgerService\n"
            "from .. import errors\nfrom . import database\n"
        ),
        "ledger/api.py": (
            "from sync import protocol\nfrom PySide6.QtCore import QTimer\nimport kiosk\n"
        ),
        "ledger/late.py": "import importlib\n\nimportlib.import_module('ui.app')\n",
        "ui/screen.py": (
            "import shiboken6\nfrom PySide6 import QtWidgets\nfrom kiosk import errors\n"
        ),
        "ui/demo.py": "import sync.version\n\n\ndef seed():\n    import ledger.demo.seed\n",
    }
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source, encoding="utf-8")

    assert [str(problem) for problem in wrong_imports(tmp_path)] == [
        "sync/client.py:2: imports kiosk.store: sync must not import kiosk",
        "kiosk/service.py:2: imports ui.screens: kiosk must not import ui",
        "kiosk/store/models.py:4: imports ledger.service: kiosk must not import ledger",
        "ledger/api.py:2: imports PySide6.QtCore: Qt belongs in ui/ only",
        "ledger/api.py:3: imports kiosk: ledger must not import kiosk",
        "ledger/late.py:3: imports ui.app: ledger must not import ui",
        "ui/demo.py:5: imports ledger.demo.seed: ui must not import ledger",
    ]
