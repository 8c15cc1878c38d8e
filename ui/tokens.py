"""The kiosk's design tokens: every colour and size, read by the stylesheet and by the code.

``resources/theme.qss`` is a template whose ``${name}`` placeholders are these tokens, so a
colour or a touch size is changed here once. Code that paints or lays out by hand (list rows,
the QR code, the layout checks) reads the same values; no other module in ``ui/`` spells a
colour.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from string import Template

from ui.resources import resource_dir


@dataclass(frozen=True)
class Palette:
    background: str = "#f3f5f9"
    surface: str = "#ffffff"
    text: str = "#1b1b1b"
    text_muted: str = "#444746"
    text_faint: str = "#5f6368"
    primary: str = "#0b57d0"
    primary_pressed: str = "#083f9c"
    on_primary: str = "#ffffff"
    selected: str = "#dbe8ff"
    danger: str = "#b3261e"
    danger_pressed: str = "#8c1d18"
    danger_surface: str = "#fce8e6"
    warning: str = "#8a4b00"  # offline, expiring: dark amber, readable on white
    warning_surface: str = "#fef0d0"
    success: str = "#137333"
    success_surface: str = "#e6f4ea"
    disabled_surface: str = "#e8eaed"
    disabled_text: str = "#6f7378"
    disabled_border: str = "#aeb2b7"
    scrim: str = "rgba(20, 20, 20, 215)"  # behind the idle countdown
    toast: str = "#202124"  # the message overlay
    on_toast: str = "#ffffff"
    qr_dark: str = "#000000"
    qr_light: str = "#ffffff"


@dataclass(frozen=True)
class Metrics:
    """Sizes in pixels. Targets are outer sizes (border and padding included)."""

    target: int = 64  # every touch target, at least
    primary_height: int = 96  # Confirm, Redeem, I'm still here, Cancel order
    primary_width: int = 280
    tile_height: int = 110
    key_width: int = 150  # the PIN keypad
    border: int = 2
    padding_x: int = 24
    padding_y: int = 8
    radius: int = 14
    spacing: int = 12
    apart: int = 64  # between a confirming and a destructive action
    margin: int = 16
    row_height: int = 96  # a list row
    card_row_height: int = 150  # a catalogue row with its picture
    status_height: int = 48
    toast_seconds: int = 6
    font_small: int = 20
    font_body: int = 22
    font_button: int = 24
    font_large: int = 28
    font_title: int = 36
    font_heading: int = 44
    font_display: int = 60
    font_balance: int = 96
    qr_size: int = 300

    @property
    def inner_target(self) -> int:
        """The stylesheet's min-height for a plain button (its box adds border and padding)."""
        return self.target - 2 * (self.border + self.padding_y)

    @property
    def bare_target(self) -> int:
        """min-height/min-width of a target drawn without padding (keys)."""
        return self.target - 2 * self.border

    @property
    def inner_primary_height(self) -> int:
        return self.primary_height - 2 * (self.border + self.padding_y)

    @property
    def inner_primary_width(self) -> int:
        return self.primary_width - 2 * (self.border + self.padding_x)

    @property
    def inner_tile_height(self) -> int:
        return self.tile_height - 2 * (self.border + self.padding_y)


PALETTE = Palette()
METRICS = Metrics()


def values() -> dict[str, str | int]:
    """Every token by name, as the stylesheet template uses them."""
    found: dict[str, str | int] = {**asdict(PALETTE), **asdict(METRICS)}
    for name in ("inner_target", "bare_target", "inner_primary_height",
                 "inner_primary_width", "inner_tile_height"):  # fmt: skip
        found[name] = getattr(METRICS, name)
    return found


def stylesheet(template: str | None = None) -> str:
    """The application stylesheet: ``resources/theme.qss`` with its tokens filled in."""
    if template is None:
        template = (resource_dir() / "theme.qss").read_text(encoding="utf-8")
    return Template(template).substitute(values())
