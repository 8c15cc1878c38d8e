"""Freed memory goes back to the system at log-out (glibc's malloc_trim; nothing elsewhere)."""

from __future__ import annotations

import sys

import pytest

from ui import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_linux_gives_freed_memory_back() -> None:
    assert memory.give_back_freed_memory() is True


def test_elsewhere_nothing_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory.sys, "platform", "win32")
    assert memory.give_back_freed_memory() is False
