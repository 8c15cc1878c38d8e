"""Sizes and colours come from one set of tokens (``ui/tokens.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from ui.tokens import METRICS, PALETTE, stylesheet, values

ROOT = Path(__file__).resolve().parents[2]
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(")


def test_no_colour_is_spelled_outside_the_tokens() -> None:
    spelled = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "tokens.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if COLOUR.search(line):
                spelled.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    theme = (ROOT / "resources" / "theme.qss").read_text(encoding="utf-8")
    spelled += [f"theme.qss: {m.group(0)}" for m in COLOUR.finditer(theme)]
    assert spelled == []


def test_the_theme_is_filled_from_the_tokens() -> None:
    sheet = stylesheet()
    assert "${" not in sheet and "$" not in sheet.replace("$$", "")
    assert PALETTE.primary in sheet and PALETTE.warning in sheet
    # Button sizes are outer sizes: the stylesheet's box adds border and padding.
    assert f"min-height: {METRICS.inner_primary_height}px" in sheet
    assert METRICS.inner_primary_height + 2 * (METRICS.border + METRICS.padding_y) == 96
    assert METRICS.inner_primary_width + 2 * (METRICS.border + METRICS.padding_x) == 280
    assert set(values()) >= {"primary", "target", "primary_height", "inner_target"}
