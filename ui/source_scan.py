"""PySide6's scan of every imported module's source, done without keeping the sources.

Once PySide6 is loaded, its import hook (``shibokensupport.feature``, for
``from __feature__ import snake_case``) asks of every module imported afterwards whether its
source mentions "PySide6", with ``inspect.getsource``. That goes through ``linecache``, which
keeps each file's lines for the life of the process: the kiosk core imported after the
welcome screen (SQLAlchemy, pydantic, the HTTP client; ~500 modules) left about 26 MB of
source text in memory for nothing. Here the same question is answered from the file's bytes,
which are dropped at once. The answer is the same, so the hook's behaviour is unchanged.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

_MARK = "_reads_the_file"


def _file_answer(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def mod_uses_pyside(module: ModuleType) -> bool:
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or not file.endswith(".py"):
            return original(module)  # built-in, compiled-only or packaged: nothing is cached
        try:
            with open(file, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False  # what inspect.getsource's OSError gives too

    setattr(mod_uses_pyside, _MARK, True)
    return mod_uses_pyside


def scan_sources_without_keeping_them() -> bool:
    """Make PySide6's import hook read module files without caching them; idempotent.

    Also drops the lines cached by the modules scanned before this call. Returns False when
    the installed PySide6 has no such hook (nothing to do).
    """
    import shiboken6  # noqa: F401  # loading it creates the hook's module

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if not getattr(original, _MARK, False):
        feature._mod_uses_pyside = _file_answer(original)  # type: ignore[attr-defined]
        linecache.clearcache()
    return True
