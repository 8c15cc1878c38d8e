"""One pictogram per demo catalogue item, drawn with Pillow in a 600×400 frame.

The drawings sit in the upper part of the frame (y 30–270); the lower part is the label.
Every coordinate here is in that frame; ``Pen`` scales it to the supersampled canvas.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PIL import ImageDraw

from ledger.demo.fonts import cjk_font

Colour = tuple[int, int, int]
Point = tuple[float, float]

WHITE: Colour = (255, 255, 255)
INK: Colour = (38, 42, 52)
GOLD: Colour = (255, 196, 40)
RED: Colour = (220, 40, 50)
SILVER: Colour = (214, 220, 228)


def shade(colour: Colour, factor: float) -> Colour:
    """``colour`` darker (factor < 1) or lighter (factor > 1, towards white)."""
    if factor <= 1:
        return (int(colour[0] * factor), int(colour[1] * factor), int(colour[2] * factor))
    mix = factor - 1
    return (
        int(colour[0] + (255 - colour[0]) * mix),
        int(colour[1] + (255 - colour[1]) * mix),
        int(colour[2] + (255 - colour[2]) * mix),
    )


class Pen:
    """Pillow's drawing calls in frame coordinates, scaled up for smooth edges."""

    def __init__(self, draw: ImageDraw.ImageDraw, scale: int) -> None:
        self.draw = draw
        self.scale = scale

    def _pts(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * self.scale, y * self.scale) for x, y in points]

    def _box(self, box: Sequence[float]) -> list[float]:
        return [v * self.scale for v in box]

    def rect(self, box: Sequence[float], fill: Colour, radius: float = 0) -> None:
        """A rectangle, its corners rounded by ``radius``."""
        self.draw.rounded_rectangle(self._box(box), radius * self.scale, fill=fill)

    def circle(self, centre: Point, r: float, fill: Colour, ry: float | None = None) -> None:
        """A circle, or an ellipse when ``ry`` is given."""
        x, y = centre
        ry = r if ry is None else ry
        self.draw.ellipse(self._box((x - r, y - ry, x + r, y + ry)), fill=fill)

    def poly(self, points: Sequence[Point], fill: Colour) -> None:
        """A filled polygon."""
        self.draw.polygon(self._pts(points), fill=fill)

    def line(self, points: Sequence[Point], fill: Colour, width: float) -> None:
        """A polyline with round ends and joints."""
        self.draw.line(self._pts(points), fill=fill, width=int(width * self.scale), joint="curve")
        for point in (points[0], points[-1]):
            self.circle(point, width / 2, fill)

    def arc(
        self, box: Sequence[float], start: float, end: float, fill: Colour, width: float
    ) -> None:
        """An arc of the ellipse in ``box``, angles in degrees clockwise from 3 o'clock."""
        self.draw.arc(self._box(box), start, end, fill=fill, width=int(width * self.scale))

    def chord(self, box: Sequence[float], start: float, end: float, fill: Colour) -> None:
        """The part of the ellipse in ``box`` cut off by the chord from ``start`` to ``end``."""
        self.draw.chord(self._box(box), start, end, fill=fill)

    def text(self, at: Point, text: str, size: float, fill: Colour, anchor: str = "mm") -> None:
        """``text`` in the Chinese font, ``size`` pixels high, placed by Pillow's ``anchor``."""
        font = cjk_font(int(size * self.scale))
        self.draw.text(self._pts([at])[0], text, font=font, fill=fill, anchor=anchor)

    def text_width(self, text: str, size: float) -> float:
        """How wide ``text`` is at ``size``, in frame pixels."""
        return self.draw.textlength(text, font=cjk_font(int(size * self.scale))) / self.scale


def _cart(pen: Pen, x: float, y: float, colour: Colour) -> None:
    """A shopping trolley, its handle's top-left at (x, y), about 80×70."""
    pen.line([(x, y), (x + 14, y), (x + 26, y + 44), (x + 72, y + 44)], colour, 7)
    pen.poly([(x + 16, y + 10), (x + 82, y + 10), (x + 74, y + 36), (x + 23, y + 36)], colour)
    pen.circle((x + 32, y + 60), 8, colour)
    pen.circle((x + 66, y + 60), 8, colour)


def _card(pen: Pen, box: tuple[float, float, float, float], band: Colour, amount: str) -> None:
    x0, y0, x1, y1 = box
    pen.rect((x0 + 6, y0 + 8, x1 + 6, y1 + 8), shade(band, 0.5), 18)  # shadow
    pen.rect(box, WHITE, 18)
    pen.rect((x0, y0 + 28, x1, y0 + 56), band)
    _cart(pen, x0 + 22, y0 + 78, band)
    pen.text((x1 - 22, y1 - 24), amount, 62, INK, anchor="rs")


def _card_100(pen: Pen, bg: Colour) -> None:
    _card(pen, (155, 55, 445, 245), RED, "¥100")


def _card_200(pen: Pen, bg: Colour) -> None:
    pen.rect((120, 40, 400, 220), shade(GOLD, 0.85), 18)  # a second card behind the first
    pen.rect((120, 68, 400, 96), shade(GOLD, 0.6))
    _card(pen, (190, 80, 480, 268), (190, 130, 0), "¥200")


def _earbuds(pen: Pen, bg: Colour) -> None:
    for side in (-1, 1):
        cx = 300 + side * 75
        # The stem hangs down and out from the bud, as the pair lies on a table.
        pen.line([(cx + side * 10, 140), (cx + side * 28, 250)], WHITE, 34)
        pen.circle((cx, 120), 52, WHITE)
        pen.circle((cx - side * 14, 112), 22, INK)
        pen.circle((cx - side * 14, 112), 10, shade(INK, 1.6))
        pen.circle((cx + side * 28, 252), 9, SILVER)


def _power_bank(pen: Pen, bg: Colour) -> None:
    pen.rect((155, 70, 445, 240), INK, 34)
    pen.rect((445, 125, 462, 185), shade(INK, 1.4), 6)  # the USB port end
    bolt = [(318, 84), (238, 166), (292, 166), (270, 228), (360, 136), (304, 136), (330, 84)]
    pen.poly(bolt, GOLD)
    for n in range(4):
        pen.circle((390, 105 + n * 32), 9, (90, 220, 120) if n else SILVER)


def _thermos(pen: Pen, bg: Colour) -> None:
    pen.rect((252, 36, 348, 82), INK, 14)  # cap
    pen.rect((244, 76, 356, 96), shade(SILVER, 0.8), 6)
    pen.rect((236, 92, 364, 268), SILVER, 40)  # the flask
    pen.rect((256, 112, 276, 248), WHITE, 10)  # shine
    pen.rect((236, 150, 364, 176), INK)  # grip band
    # A filled cup beside it, steaming.
    pen.poly([(382, 180), (470, 180), (460, 262), (392, 262)], WHITE)
    pen.circle((426, 182), 44, (120, 70, 40), ry=8)
    for x in (406, 446):
        pen.arc((x - 14, 110, x + 14, 140), 90, 270, WHITE, 6)
        pen.arc((x - 14, 138, x + 14, 168), 270, 90, WHITE, 6)


def _rice_cooker(pen: Pen, bg: Colour) -> None:
    pen.rect((150, 150, 180, 176), INK, 8)  # handles
    pen.rect((420, 150, 450, 176), INK, 8)
    pen.rect((165, 120, 435, 262), WHITE, 60)
    pen.chord((170, 70, 430, 170), 180, 360, SILVER)  # lid
    pen.rect((166, 116, 434, 132), shade(SILVER, 0.75), 8)
    pen.rect((285, 58, 315, 84), INK, 8)  # steam vent
    pen.rect((240, 180, 360, 236), INK, 14)  # control panel
    pen.circle((268, 208), 11, RED)
    pen.circle((300, 208), 11, (90, 220, 120))
    pen.rect((320, 198, 346, 218), shade(SILVER, 0.9), 4)
    for x in (270, 300, 330):
        pen.arc((x - 12, 16, x + 12, 36), 90, 270, WHITE, 5)
        pen.arc((x - 12, 34, x + 12, 54), 270, 90, WHITE, 5)


def _leave_day(pen: Pen, bg: Colour) -> None:
    pen.rect((186, 56, 414, 268), shade(bg, 0.6), 20)
    pen.rect((180, 48, 408, 260), WHITE, 20)
    pen.rect((180, 48, 408, 108), RED, 20)
    pen.rect((180, 88, 408, 108), RED)
    for x in (230, 358):
        pen.rect((x - 8, 30, x + 8, 70), INK, 8)  # rings
    pen.text((294, 80), "年假", 32, WHITE)
    pen.text((294, 190), "+1 天", 76, INK)


def _course_excel(pen: Pen, bg: Colour) -> None:
    pen.rect((150, 40, 450, 222), INK, 16)  # laptop lid
    pen.rect((164, 54, 436, 208), WHITE, 4)
    for row in range(1, 5):
        pen.line([(164, 54 + row * 30), (436, 54 + row * 30)], SILVER, 2)
    for col in (218, 272):
        pen.line([(col, 54), (col, 208)], SILVER, 2)
    pen.rect((164, 54, 436, 84), (30, 130, 70))
    for n, height in enumerate((40, 70, 56, 100)):
        x = 300 + n * 32
        pen.rect((x, 200 - height, x + 22, 200), (30, 130, 70))
    pen.poly([(120, 226), (480, 226), (456, 256), (144, 256)], SILVER)  # base
    pen.rect((268, 230, 332, 238), shade(SILVER, 0.7), 4)


def _course_forklift(pen: Pen, bg: Colour) -> None:
    yellow = GOLD
    pen.rect((342, 40, 358, 244), INK)  # mast
    pen.rect((366, 40, 376, 244), INK)
    pen.rect((376, 232, 470, 244), INK)  # forks
    pen.rect((384, 150, 466, 228), (176, 120, 64), 4)  # the load
    pen.line([(384, 190), (466, 190)], shade((176, 120, 64), 0.7), 4)
    pen.line([(220, 150), (236, 78), (330, 78), (338, 150)], INK, 10)  # overhead guard
    pen.rect((150, 150, 342, 232), yellow, 14)  # body
    pen.rect((140, 120, 200, 232), shade(yellow, 0.8), 12)  # counterweight
    pen.circle((260, 118), 16, INK)  # driver
    pen.rect((246, 132, 274, 152), INK, 6)
    for x, r in ((200, 32), (308, 28)):
        pen.circle((x, 240), r, INK)
        pen.circle((x, 240), r / 2.6, SILVER)


def _video_vip(pen: Pen, bg: Colour) -> None:
    pen.rect((140, 44, 460, 232), INK, 18)
    pen.rect((156, 60, 444, 216), (52, 64, 96), 6)
    pen.poly([(280, 138), (300, 172), (320, 138)], INK)  # stand
    pen.rect((240, 234, 360, 250), INK, 6)
    pen.rect((290, 228, 310, 240), INK)
    pen.circle((300, 138), 52, WHITE)
    pen.poly([(284, 110), (284, 166), (332, 138)], bg)
    pen.rect((370, 26, 472, 72), GOLD, 23)
    pen.text((421, 50), "VIP", 32, INK)


def _reading_vip(pen: Pen, bg: Colour) -> None:
    # An open book under a graduate's cap.
    pen.poly([(300, 150), (140, 130), (140, 262), (300, 276)], shade(bg, 0.55))
    pen.poly([(300, 150), (460, 130), (460, 262), (300, 276)], shade(bg, 0.55))
    pen.poly([(300, 142), (152, 122), (152, 250), (300, 266)], WHITE)
    pen.poly([(300, 142), (448, 122), (448, 250), (300, 266)], (240, 240, 236))
    for n in range(4):
        y = 156 + n * 24
        pen.line([(176, y - 8 + n * 1), (278, y + 4 + n * 1)], SILVER, 5)
        pen.line([(322, y + 4 + n * 1), (424, y - 8 + n * 1)], SILVER, 5)
    pen.poly([(300, 30), (410, 68), (300, 106), (190, 68)], INK)  # mortarboard
    pen.poly([(240, 86), (360, 86), (360, 122), (300, 134), (240, 122)], INK)
    pen.line([(300, 68), (392, 76), (392, 118)], GOLD, 5)
    pen.circle((392, 124), 9, GOLD)


def _heart(pen: Pen, cx: float, cy: float, scale: float, colour: Colour) -> None:
    """The classic parametric heart, (cx, cy) its centre, about 32×29 × ``scale``."""
    outline = []
    for step in range(120):
        t = 2 * math.pi * step / 120
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        outline.append((cx + x * scale, cy - (y + 2.5) * scale))
    pen.poly(outline, colour)


def _health_upgrade(pen: Pen, bg: Colour) -> None:
    beat = [(96, 200), (150, 200), (166, 170), (184, 226), (200, 200), (404, 200)]
    pen.line(beat, WHITE, 8)
    pen.line([(404, 200), (420, 170), (436, 226), (452, 200), (504, 200)], WHITE, 8)
    _heart(pen, 300, 150, 7.2, WHITE)
    pen.rect((280, 88, 320, 198), RED, 6)
    pen.rect((245, 123, 355, 163), RED, 6)


def _birthday_cake(pen: Pen, bg: Colour) -> None:
    cream, sponge = WHITE, (250, 214, 160)
    pen.circle((300, 256), 170, shade(bg, 0.7), ry=16)  # plate
    pen.rect((160, 170, 440, 254), sponge, 14)
    pen.rect((160, 170, 440, 196), cream, 14)
    for x in range(172, 440, 34):  # icing drips
        pen.circle((x + 8, 196), 13, cream)
    pen.rect((210, 118, 390, 176), sponge, 12)
    pen.rect((210, 118, 390, 138), cream, 12)
    pen.line([(180, 226), (420, 226)], (236, 90, 120), 8)
    for x in (250, 300, 350):
        pen.rect((x - 7, 70, x + 7, 120), (80, 160, 230), 3)
        pen.circle((x, 56), 11, GOLD, ry=17)
        pen.circle((x, 60), 5, (255, 120, 40), ry=8)


def _home_cleaning(pen: Pen, bg: Colour) -> None:
    # A bucket with a handle, and a broom leaning on it.
    pen.arc((170, 86, 310, 200), 180, 360, INK, 8)
    pen.poly([(160, 140), (320, 140), (300, 262), (180, 262)], (70, 140, 230))
    pen.rect((154, 132, 326, 150), shade((70, 140, 230), 0.7), 8)
    pen.circle((214, 118), 16, WHITE)  # suds
    pen.circle((246, 110), 22, WHITE)
    pen.circle((280, 120), 15, WHITE)
    pen.line([(440, 36), (372, 192)], (150, 95, 45), 14)  # broom handle
    pen.poly([(352, 180), (396, 198), (410, 266), (318, 228)], GOLD)
    for n in range(4):
        pen.line([(350 + n * 12, 196 + n * 5), (330 + n * 20, 232 + n * 8)], (200, 150, 20), 4)


def _tech_salon(pen: Pen, bg: Colour) -> None:
    pen.arc((236, 70, 364, 200), 0, 180, WHITE, 10)  # holder
    pen.line([(300, 200), (300, 246)], WHITE, 10)
    pen.rect((250, 242, 350, 258), WHITE, 8)
    pen.rect((262, 30, 338, 168), SILVER, 38)  # the microphone's head
    for y in (60, 82, 104):
        pen.line([(276, y), (324, y)], shade(SILVER, 0.7), 4)
    pen.rect((262, 122, 338, 134), INK)
    for r in (150, 200):  # sound spreading to both sides
        box = (300 - r / 2, 100 - r / 2, 300 + r / 2, 100 + r / 2)
        pen.arc(box, 140, 220, WHITE, 7)
        pen.arc(box, 320, 40, WHITE, 7)
    pen.rect((392, 34, 484, 84), WHITE, 16)  # speech bubble
    pen.poly([(404, 80), (396, 104), (426, 82)], WHITE)
    for n in range(3):
        pen.circle((414 + n * 24, 59), 7, bg)


def _lunch_exec(pen: Pen, bg: Colour) -> None:
    # A necktie (the executive), a plate with a bowl of rice and chopsticks.
    pen.poly([(150, 60), (186, 60), (178, 84), (158, 84)], INK)
    pen.poly([(158, 84), (178, 84), (198, 214), (168, 244), (138, 214)], INK)
    pen.line([(150, 120), (190, 150)], shade(INK, 1.5), 5)
    pen.line([(145, 170), (194, 204)], shade(INK, 1.5), 5)
    pen.circle((318, 160), 104, (206, 214, 226))
    pen.circle((318, 160), 86, (234, 238, 244))
    pen.chord((256, 110, 380, 230), 0, 180, RED)  # the bowl
    pen.chord((266, 128, 370, 212), 180, 360, WHITE)  # rice heaped in it
    pen.circle((318, 170), 62, shade(RED, 0.8), ry=6)
    wood = (244, 208, 150)
    pen.line([(436, 60), (412, 262)], wood, 9)  # chopsticks
    pen.line([(462, 64), (432, 262)], wood, 9)


Drawing = Callable[[Pen, Colour], None]

# item id: (background colour, drawing)
PICTOGRAMS: dict[str, tuple[Colour, Drawing]] = {
    "card-100": ((200, 60, 60), _card_100),
    "card-200": ((120, 60, 170), _card_200),
    "earbuds": ((140, 150, 230), _earbuds),
    "power-bank": ((0, 150, 150), _power_bank),
    "thermos": ((40, 120, 200), _thermos),
    "rice-cooker": ((240, 140, 40), _rice_cooker),
    "leave-1d": ((110, 180, 70), _leave_day),
    "course-excel": ((0, 110, 80), _course_excel),
    "course-forklift": ((100, 110, 125), _course_forklift),
    "video-vip": ((210, 50, 120), _video_vip),
    "reading-vip": ((60, 80, 170), _reading_vip),
    "health-upgrade": ((230, 90, 100), _health_upgrade),
    "birthday-cake": ((245, 160, 190), _birthday_cake),
    "home-cleaning": ((60, 190, 200), _home_cleaning),
    "tech-salon": ((30, 40, 80), _tech_salon),
    "lunch-exec": ((160, 100, 60), _lunch_exec),
}
