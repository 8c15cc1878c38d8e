"""scripts/system_packages.py: what Qt and the demo need from Debian, found with ldd."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system_packages.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("system_packages", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


packages = _load()

# `ldd PySide6/Qt/plugins/platforms/libqxcb.so` on Debian 12 without two of Qt's xcb libraries.
LDD_QXCB = """\
\tlinux-vdso.so.1 (0x00007ff7f07aa000)
\tlibQt6XcbQpa.so.6 => /srv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007ff7f06dc000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007ff7f064b000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007ff7f05f8000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007ff7f05f1000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007ff7f05e9000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-randr.so.0 => /lib/x86_64-linux-gnu/libxcb-randr.so.0 (0x00007ff7f05d0000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007ff7ee81e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007ff7f07ac000)
"""


def test_ldd_output_gives_each_missing_library_once() -> None:
    assert packages.missing_sonames(LDD_QXCB) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert packages.missing_sonames("\tnot a dynamic executable\n") == []


def test_sonames_map_to_debian_packages() -> None:
    qt_xcb = {
        "libxcb-cursor.so.0": "libxcb-cursor0",
        "libxcb-icccm.so.4": "libxcb-icccm4",
        "libxcb-keysyms.so.1": "libxcb-keysyms1",
        "libxcb-image.so.0": "libxcb-image0",
        "libxcb-render-util.so.0": "libxcb-render-util0",
        "libxcb-xkb.so.1": "libxcb-xkb1",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
        "libxcb-shape.so.0": "libxcb-shape0",
        "libxcb-randr.so.0": "libxcb-randr0",
        "libxcb-xinerama.so.0": "libxcb-xinerama0",
        "libX11-xcb.so.1": "libx11-xcb1",
        "libEGL.so.1": "libegl1",
        "libGL.so.1": "libgl1",
        "libfontconfig.so.1": "libfontconfig1",
        "libdbus-1.so.3": "libdbus-1-3",
        "libglib-2.0.so.0": "libglib2.0-0",
        "libz.so.1": "zlib1g",
    }
    for soname, package in qt_xcb.items():
        assert packages.package_for(soname) == package, soname
    # Not in the table: Debian's naming policy, with a dash after a trailing digit.
    assert packages.package_for("libfoo.so.3") == "libfoo3"
    assert packages.package_for("libGLESv2.so.2") == "libglesv2-2"
    assert packages.packages_for(["libGL.so.1", "libxcb-icccm.so.4", "libGL.so.1"]) == [
        "libgl1",
        "libxcb-icccm4",
    ]


def test_offscreen_needs_nothing_more_on_this_machine() -> None:
    # The packages .ci/run installs are all Qt's offscreen platform and the tests need.
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "offscreen", "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc to build a test library")
def test_a_library_the_loader_cannot_find_is_reported(tmp_path: Path) -> None:
    # A real shared object linked against a library that is then taken away.
    source = tmp_path / "empty.c"
    source.write_text("int answer(void) { return 42; }\n")
    libs = tmp_path / "libs"
    libs.mkdir()
    gcc = ["gcc", "-shared", "-fPIC", "-o"]
    library = [str(libs / "libpkgone.so.7"), "-Wl,-soname,libpkgone.so.7", str(source)]
    subprocess.run([*gcc, *library], check=True)
    (libs / "libpkgone.so").symlink_to("libpkgone.so.7")
    plugin = tmp_path / "libqfake.so"
    linked = [str(plugin), str(source), "-Wl,--no-as-needed", f"-L{libs}", "-lpkgone"]
    subprocess.run([*gcc, *linked], check=True)
    shutil.rmtree(libs)
    missing = packages.ldd_missing([plugin])
    assert missing == ["libpkgone.so.7"]
    assert packages.packages_for(missing) == ["libpkgone7"]


@pytest.fixture
def xcb_lacks_two_libraries(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Qt's xcb plugin misses two libraries and the font, until apt-get has run."""
    commands: list[list[str]] = []
    monkeypatch.setattr(packages, "qt_files", lambda platform, pyside: [Path("libqxcb.so")])
    monkeypatch.setattr(
        packages,
        "ldd_missing",
        lambda files: [] if commands else ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"],
    )
    monkeypatch.setattr(packages, "has_chinese_font", lambda: bool(commands))
    return commands


def test_without_root_it_prints_the_one_apt_get_line(
    xcb_lacks_two_libraries: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(packages.os, "geteuid", lambda: 1000)
    assert packages.main(["xcb"]) == 1
    err = capsys.readouterr().err
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in err
    lines = [line for line in err.splitlines() if "apt-get" in line and "install" in line]
    assert lines == ["sudo apt-get install -y fonts-noto-cjk libxcb-icccm4 libxcb-keysyms1"]
    assert xcb_lacks_two_libraries == []


def record(commands: list[list[str]], code: int = 0) -> Callable[[Sequence[str]], int]:
    def run(command: Sequence[str]) -> int:
        commands.append(list(command))
        return code

    return run


def test_as_root_it_updates_once_and_installs(
    xcb_lacks_two_libraries: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packages, "can_install", lambda: True)
    assert packages.main(["xcb"], run=record(xcb_lacks_two_libraries)) == 0
    assert xcb_lacks_two_libraries == [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
         "fonts-noto-cjk", "libxcb-icccm4", "libxcb-keysyms1"],
    ]  # fmt: skip


def test_as_root_a_failed_install_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(packages, "qt_files", lambda platform, pyside: [Path("libqxcb.so")])
    monkeypatch.setattr(packages, "ldd_missing", lambda files: ["libxcb-icccm.so.4"])
    monkeypatch.setattr(packages, "can_install", lambda: True)
    assert packages.main(["xcb"], run=record(commands, code=100)) == 1
    assert commands == [["apt-get", "update", "-qq"]]
    assert "apt-get could not install" in capsys.readouterr().err


def test_check_only_reports_even_as_root(
    xcb_lacks_two_libraries: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packages, "can_install", lambda: True)
    assert packages.main(["xcb", "--check"], run=record(xcb_lacks_two_libraries)) == 1
    assert xcb_lacks_two_libraries == []


def test_a_python_without_ensurepip_needs_its_venv_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        packages.importlib.util,
        "find_spec",
        lambda name, *rest: None if name == "ensurepip" else real(name, *rest),
    )
    wanted, reasons = packages.needed("venv", [])
    assert wanted == [f"python3.{sys.version_info.minor}-venv"]
    assert "ensurepip" in reasons[0]


def test_extra_packages_are_checked_with_dpkg() -> None:
    if shutil.which("dpkg-query") is None:
        pytest.skip("not a Debian system")
    assert packages.not_installed(["libc6", "no-such-package-here"]) == ["no-such-package-here"]
