"""A Chinese font for the demo's pictures, found on the system (Noto Sans CJK SC first)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from PIL import ImageFont

FAMILY = "Noto Sans CJK SC"
# Where Debian's fonts-noto-cjk, Fedora's and Arch's packages put the collection.
KNOWN_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/OTF",
)
INSTALL_HINT = "apt-get install fonts-noto-cjk"


class MissingFontError(RuntimeError):
    """No font on this machine draws Chinese; the message names the package to install."""


def _known_file(bold: bool) -> tuple[str, int] | None:
    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    for folder in KNOWN_DIRS:
        path = Path(folder) / name
        if not path.is_file():
            continue
        # The collection holds JP, KR, SC, TC, HK faces; the order is not promised.
        for index in range(10):
            try:
                family, _ = ImageFont.truetype(str(path), 12, index=index).getname()
            except OSError:
                break
            if family == FAMILY:
                return str(path), index
    return None


def _fontconfig_file(bold: bool) -> tuple[str, int] | None:
    if shutil.which("fc-list") is None:
        return None
    listing = subprocess.run(
        ["fc-list", ":lang=zh-cn", "-f", "%{file}|%{index}|%{family[0]}|%{style[0]}\n"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    faces = [line.split("|") for line in listing.splitlines() if line.count("|") == 3]
    if not faces:
        return None

    def rank(face: list[str]) -> tuple[bool, bool, bool]:
        _, _, family, style = face
        return (family != FAMILY, ("Bold" in style) != bold, "Sans" not in family)

    file, index, _, _ = min(faces, key=rank)
    return file, int(index or 0)


@cache
def cjk_face(bold: bool = True) -> tuple[str, int]:
    """The file and face index of a font that draws Simplified Chinese.

    Raises ``MissingFontError`` rather than let Pillow draw empty boxes for every character.
    """
    found = _known_file(bold) or _fontconfig_file(bold)
    if found is None:
        raise MissingFontError(
            f"no Chinese font found for the demo pictures; on Debian or Ubuntu: `{INSTALL_HINT}`"
        )
    return found


@cache
def cjk_font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    """The Chinese font at ``size`` pixels (cached: the collection is 20 MB to parse)."""
    file, index = cjk_face(bold)
    return ImageFont.truetype(file, size, index=index)
