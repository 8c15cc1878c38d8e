"""Qt's ICU data library rebuilt with the Chinese and English data only, in ``build/icu/``.

ICU's data (32 MB, every locale of the world) is linked by QtCore. On Linux the kiosk ships
the same library rebuilt with ICU's own icupkg to hold Chinese and English only (8 MB): root
data, normalisation, break rules with the CJK dictionary, time zones, and the zh/en locales
with their collations. Run by ``make package`` before PyInstaller; ``build.spec`` ships what
it finds in ``build/icu/`` in place of the library of the same name. ``KIOSK_FULL_ICU=1``
ships the full data instead (and elsewhere than Linux there is nothing to do).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT_DIR = ROOT / "build" / "icu"

ICU_LOCALES = re.compile(r"(en|zh)(_|$)")
ICU_LOCALE_ITEM = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")
ICU_UNUSED = ("burmesedict", "khmerdict", "laodict", "thaidict")


def qt_icu_libraries() -> list[Path]:
    """The ICU data libraries that come with the installed PySide6 (found without importing)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"PySide6 is not installed for {sys.executable}")
    package = Path(next(iter(spec.submodule_search_locations)))
    return sorted((package / "Qt" / "lib").glob("libicudata.so.*"))


def dropped_items(items: list[str]) -> set[str]:
    """The data items of a full package that a Chinese and English kiosk never reads."""
    drop = set()
    for item in items:
        base = item.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if (
            item.endswith(".cnv")
            or base in ICU_UNUSED
            or (ICU_LOCALE_ITEM.fullmatch(base) and not ICU_LOCALES.match(base))
        ):
            drop.add(item)
    return drop


def _data_bytes(library: Path, symbol: str) -> bytes:
    """The library's one exported object, the ICU data, read straight out of the file."""
    table = subprocess.run(
        ["readelf", "-SWs", str(library)], capture_output=True, text=True, check=True
    ).stdout
    sym = re.search(
        rf"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+{symbol}$",
        table,
        re.M,
    )
    section = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)", table)
    if sym is None or section is None:
        raise SystemExit(f"{library}: no {symbol} to trim; set KIOSK_FULL_ICU=1")
    start = int(sym[1], 16) - int(section[1], 16) + int(section[2], 16)
    return library.read_bytes()[start : start + int(sym[2], 0)]


def trim(library: Path, out_dir: Path = OUTPUT_DIR) -> Path:
    """``library`` (libicudata) rebuilt with the Chinese and English data only, in ``out_dir``.

    Rebuilt only when the library is newer than the trimmed one.
    """
    for tool in ("icupkg", "cc", "readelf"):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} not found: install icu-devtools, binutils and gcc, or set KIOSK_FULL_ICU=1"
            )
    out = out_dir / library.name
    if out.exists() and out.stat().st_mtime >= library.stat().st_mtime:
        return out
    out_dir.mkdir(parents=True, exist_ok=True)
    symbol = "icudt" + library.name.split(".so.")[1] + "_dat"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # icupkg wants the package's own name (icudt73l: the data's name and byte order).
        package = symbol.removesuffix("_dat") + ("l" if sys.byteorder == "little" else "b")
        full = work / f"{package}.dat"
        full.write_bytes(_data_bytes(library, symbol))
        listing = subprocess.run(
            ["icupkg", "-l", str(full)], capture_output=True, text=True, check=True
        )
        drop = dropped_items(listing.stdout.split())
        (work / "small").mkdir()
        small = work / "small" / f"{package}.dat"
        for _ in range(10):  # a kept item may depend on a dropped one: drop it as well
            (work / "drop.txt").write_text("\n".join(sorted(drop)) + "\n")
            run = subprocess.run(
                ["icupkg", str(full), str(small), "-r", str(work / "drop.txt")],
                capture_output=True,
                text=True,
            )
            missing = set(
                re.findall(r"Item (\S+) depends on missing item", run.stdout + run.stderr)
            )
            if not missing - drop and run.returncode == 0:
                break
            drop |= missing
        else:
            raise SystemExit(f"icupkg could not trim {library}: {run.stderr}")
        assembly = work / "data.S"
        assembly.write_text(
            f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n"
            f'\t.balign 16\n{symbol}:\n\t.incbin "{small}"\n'
            f'\t.size {symbol}, . - {symbol}\n\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(
            [
                "cc",
                "-shared",
                "-nostdlib",
                f"-Wl,-soname,{library.name}",
                "-o",
                str(out),
                str(assembly),
            ],
            check=True,
        )
    return out


def main() -> int:
    """Trim each ICU data library for the package, or clear ``build/icu`` when none is wanted."""
    if not sys.platform.startswith("linux") or os.environ.get("KIOSK_FULL_ICU"):
        # Nothing left from an earlier build may replace the full data.
        shutil.rmtree(OUTPUT_DIR, ignore_errors=True)
        print("ICU data shipped in full")
        return 0
    libraries = qt_icu_libraries()
    if not libraries:
        raise SystemExit("no libicudata in PySide6's Qt to trim; set KIOSK_FULL_ICU=1")
    for library in libraries:
        print(trim(library).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
