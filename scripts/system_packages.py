#!/usr/bin/env python3
"""The Debian packages `make demo` and `make test` need from the system, installed or named.

    python3 scripts/system_packages.py venv              # python3.X-venv, before .venv exists
    .venv/bin/python scripts/system_packages.py xcb      # Qt in a real X session (make demo)
    .venv/bin/python scripts/system_packages.py offscreen   # Qt without a display (make test)

For ``xcb`` and ``offscreen`` it runs ``ldd`` on the installed PySide6's platform plugin and
the Qt modules the kiosk loads, and maps every library that is "not found" to its Debian
package; the kiosk's Chinese font (fonts-noto-cjk) is checked too. Run as root where apt-get
exists, it installs what is missing; otherwise it prints the one ``sudo apt-get install``
line and exits with 1. ``--check`` only reports. Standard library only: it runs before
anything is installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

# What Qt 6 and its platform plugins link against, by soname, in Debian's package names.
# Qt's own error names only the first library it misses (libxcb-cursor0), so this table lists
# the whole set; a soname that is not here is named by Debian's library policy (see
# ``package_for``).
PACKAGES = {
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
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libGLdispatch.so.0": "libglvnd0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libpng16.so.16": "libpng16-16",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libexpat.so.1": "libexpat1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libsystemd.so.0": "libsystemd0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
FONT_PACKAGE = "fonts-noto-cjk"  # the kiosk's Chinese screens and the demo's pictures
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
# The Qt modules the kiosk imports (QtTest for the tests) and the plugins it loads.
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtTest")
PLATFORM_PLUGINS = {
    "xcb": ("platforms/libqxcb.so", "xcbglintegrations/*.so", "imageformats/libqsvg.so"),
    "offscreen": ("platforms/libqoffscreen.so", "imageformats/libqsvg.so"),
}
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)
SONAME = re.compile(r"^(lib[^/]+?)\.so\.(\d+)")

Runner = Callable[[Sequence[str]], int]


def missing_sonames(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as "not found", in order, each once."""
    return list(dict.fromkeys(NOT_FOUND.findall(ldd_output)))


def package_for(soname: str) -> str:
    """The Debian package that ships ``soname``: from the table, else by Debian's policy.

    The policy names a library package after its soname: ``libfoo.so.3`` is ``libfoo3``,
    ``libfoo-1.2.so.0`` is ``libfoo-1.2-0`` (a dash when the name ends in a digit).
    """
    if soname in PACKAGES:
        return PACKAGES[soname]
    match = SONAME.match(soname)
    if match is None:
        return soname
    name, version = match[1].lower(), match[2]
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def packages_for(sonames: Iterable[str]) -> list[str]:
    """The packages for ``sonames``, each once, sorted."""
    return sorted({package_for(soname) for soname in sonames})


def pyside_dir() -> Path:
    """The installed PySide6 package's folder, found without importing it."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            f"PySide6 is not installed for {sys.executable}; run this with the project's "
            ".venv/bin/python (`make install` creates it)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def qt_files(platform: str, pyside: Path) -> list[Path]:
    """The Qt binaries that must load for ``platform``: modules, platform plugin, helpers."""
    files = [path for name in QT_MODULES for path in sorted(pyside.glob(f"{name}.*.so"))]
    plugins = pyside / "Qt" / "plugins"
    for pattern in PLATFORM_PLUGINS[platform]:
        found = sorted(plugins.glob(pattern))
        if not found and pattern.startswith("platforms/"):
            raise SystemExit(f"this PySide6 has no Qt plugin {plugins / pattern}")
        files += found
    return files


def ldd_missing(files: Iterable[Path]) -> list[str]:
    """Every library that one of ``files`` needs and the dynamic loader cannot find."""
    missing: dict[str, None] = {}
    for file in files:
        result = subprocess.run(["ldd", str(file)], capture_output=True, text=True, check=False)
        missing.update(dict.fromkeys(missing_sonames(result.stdout)))
    return list(missing)


def has_chinese_font() -> bool:
    """Whether a Simplified Chinese font is installed (Noto Sans CJK, or any fontconfig knows)."""
    if any(Path(path).is_file() for path in FONT_FILES):
        return True
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(
        ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False
    )
    return bool(listing.stdout.strip())


def not_installed(packages: Iterable[str]) -> list[str]:
    """Of ``packages``, those dpkg does not have installed (all of them without dpkg)."""
    if shutil.which("dpkg-query") is None:
        return list(packages)
    missing = []
    for package in packages:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if not status.endswith(" installed"):  # "install ok installed"; not "not-installed"
            missing.append(package)
    return missing


def needed(target: str, also: Sequence[str]) -> tuple[list[str], list[str]]:
    """What ``target`` lacks: (the packages to install, the reasons, for the message)."""
    packages: set[str] = set()
    reasons: list[str] = []
    if target == "venv":
        if importlib.util.find_spec("ensurepip") is None:
            packages.add(f"python3.{sys.version_info.minor}-venv")
            reasons.append(f"{sys.executable} cannot create a virtual environment (no ensurepip)")
    else:
        sonames = ldd_missing(qt_files(target, pyside_dir()))
        if sonames:
            packages.update(packages_for(sonames))
            reasons.append(f"Qt's {target} platform cannot load: {', '.join(sonames)}")
        if not has_chinese_font():
            packages.add(FONT_PACKAGE)
            reasons.append("no Chinese font is installed")
    extra = not_installed(also)
    if extra:
        packages.update(extra)
        reasons.append(f"not installed: {', '.join(extra)}")
    return sorted(packages), reasons


def install(packages: Sequence[str], run: Runner) -> bool:
    """``apt-get update`` once, then install ``packages`` without recommends; True if it worked."""
    quiet = ["-qq"]
    if run(["apt-get", "update", *quiet]) != 0:
        return False
    return run(["apt-get", "install", "-y", *quiet, "--no-install-recommends", *packages]) == 0


def _run(command: Sequence[str]) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(list(command), env=env, check=False).returncode


def can_install() -> bool:
    """Root, with apt-get on the PATH."""
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def main(argv: Sequence[str] | None = None, run: Runner = _run) -> int:
    """Check ``target``'s system packages; install them as root, else name the apt-get line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=("venv", *PLATFORM_PLUGINS))
    parser.add_argument(
        "--also",
        nargs="*",
        default=[],
        metavar="PACKAGE",
        help="more Debian packages to have installed (CI: chromium, gcc, ...)",
    )
    parser.add_argument("--check", action="store_true", help="report only, never install")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        return 0  # the wheels carry what Qt needs on Windows and macOS
    if args.target != "venv" and shutil.which("ldd") is None:
        print("system_packages: no ldd here; Qt's system libraries were not checked")
        return 0

    packages, reasons = needed(args.target, args.also)
    if not packages:
        return 0
    for reason in reasons:
        print(f"{args.target}: {reason}", file=sys.stderr)
    if not args.check and can_install():
        if install(packages, run):
            packages, reasons = needed(args.target, args.also)
            if not packages:
                return 0
            for reason in reasons:
                print(f"{args.target}: still missing after apt-get: {reason}", file=sys.stderr)
        print("apt-get could not install everything; fix that and run again", file=sys.stderr)
        return 1
    print(
        "Install the missing system packages (Debian/Ubuntu), then run make again:", file=sys.stderr
    )
    print(f"sudo apt-get install -y {' '.join(packages)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
