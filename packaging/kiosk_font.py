"""The kiosk's Chinese font, cut to what it shows: ``build/fonts/NotoSansCJKsc-Kiosk.otf``.

Run by ``make package`` before PyInstaller, which bundles the result (``build.spec``). The
source is Noto Sans CJK from the system, or ``KIOSK_FONT_FILE``. Rebuilt only when the source
is newer than the cut.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "build" / "fonts" / "NotoSansCJKsc-Kiosk.otf"

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/NotoSansSC-VF.ttf",
)

# What a Chinese and English kiosk shows: Latin, Greek and Cyrillic (names), punctuation,
# symbols, CJK punctuation, every unified ideograph of the BMP with extension A (rare names),
# compatibility ideographs and full-width forms. Korean, kana and the other regional faces
# of the collection are left out: that keeps the font at about 11 MB instead of 19.
KIOSK_UNICODES = (
    "U+0020-024F,U+02B0-036F,U+0370-04FF,U+2000-22FF,U+2300-23FF,U+2460-27BF,U+3000-303F,"
    "U+3200-33FF,U+3400-4DBF,U+4E00-9FFF,U+F900-FAFF,U+FE10-FE1F,U+FE30-FE4F,U+FF00-FFEF"
)
FACE = "Noto Sans CJK SC"  # Simplified Chinese glyph shapes, in a collection of several


def font_source(environ: dict[str, str] | None = None) -> Path:
    """The font file to cut: ``KIOSK_FONT_FILE`` if set, else the first system candidate."""
    environ = dict(os.environ) if environ is None else environ
    for candidate in (environ.get("KIOSK_FONT_FILE", ""), *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit(
        "no Noto Sans CJK font to bundle: install fonts-noto-cjk or set KIOSK_FONT_FILE"
    )


def kiosk_texts(root: Path = ROOT) -> str:
    """Every character of the kiosk's own words: its translations and its Qt code."""
    files = [*(root / "resources" / "translations").glob("*.ts"), *(root / "ui").rglob("*.py")]
    return "".join(f.read_text(encoding="utf-8") for f in files)


def cut_font(source: Path, out: Path = OUTPUT) -> Path:
    """``source``'s Simplified Chinese face cut to ``KIOSK_UNICODES``, written to ``out``.

    Stops if a character of the kiosk's own texts that the full font has is lost by the cut.
    """
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    if out.exists() and out.stat().st_mtime >= source.stat().st_mtime:
        return out
    number = 0
    if source.suffix.lower() == ".ttc":
        faces = TTCollection(str(source)).fonts
        number = [face["name"].getDebugName(1) for face in faces].index(FACE)
    options = subset.Options()
    options.font_number = number
    options.hinting = False  # large text on a kiosk screen; hints are most of the weight
    options.name_languages = ["*"]
    face = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(KIOSK_UNICODES))
    subsetter.subset(face)
    out.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(face, str(out), options)
    full = TTFont(str(source), fontNumber=number).getBestCmap()
    kept = TTFont(str(out)).getBestCmap()
    lost = sorted({ch for ch in kiosk_texts() if ord(ch) in full and ord(ch) not in kept})
    if lost:
        out.unlink()
        raise SystemExit(f"the font subset lacks characters the kiosk shows: {''.join(lost)}")
    return out


def main() -> int:
    """Cut the font for the package; prints where it is."""
    print(cut_font(font_source()).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
