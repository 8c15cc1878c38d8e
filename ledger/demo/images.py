"""Catalogue pictures for the demo, drawn with Pillow so the repository carries no binaries."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from ledger.demo.data import CATALOGUE
from ledger.demo.pictograms import GOLD, PICTOGRAMS, WHITE, Colour, Drawing, Pen, shade

SIZE = (600, 400)
SUPERSAMPLE = 2  # drawn at twice the size, then scaled down: Pillow's shapes have no anti-aliasing
LABEL_TOP = 286
CATEGORY_TAGS = {"physical": "实物", "virtual": "权益", "service": "服务"}


def item_picture(item_id: str) -> bytes:
    """A PNG of a demo catalogue item: its own pictogram and colour, the Chinese title, points.

    Raises ``MissingFontError`` (naming the package to install) when no Chinese font is found.
    """
    category, points, _, _, _, title_zh, *_ = CATALOGUE[item_id]
    background, drawing = PICTOGRAMS[item_id]
    image = compose(drawing, background, category, points, title_zh)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def compose(
    drawing: Drawing, background: Colour, category: str, points: int, title: str
) -> Image.Image:
    """A picture of ``SIZE``: the drawing on its background, the title and points below."""
    scale = SUPERSAMPLE
    image = Image.new("RGB", (SIZE[0] * scale, SIZE[1] * scale), background)
    pen = Pen(ImageDraw.Draw(image), scale)
    pen.circle((300, 150), 150, shade(background, 1.12))  # a soft halo behind the drawing
    drawing(pen, background)
    _label(pen, background, category, points, title)
    return image.resize(SIZE, Image.Resampling.LANCZOS)


def _label(pen: Pen, background: Colour, category: str, points: int, title: str) -> None:
    width, height = SIZE
    pen.rect((0, LABEL_TOP, width, height), shade(background, 0.55))
    size = 46.0
    while pen.text_width(title, size) > width - 48 and size > 20:
        size -= 2
    pen.text((width / 2, LABEL_TOP + 40), title, size, WHITE)
    pen.text((width / 2, LABEL_TOP + 88), f"{points:,} 积分", 30, shade(GOLD, 1.3))
    tag = CATEGORY_TAGS[category]
    pen.rect((16, 14, 16 + pen.text_width(tag, 24) + 28, 52), shade(background, 0.55), 19)
    pen.text((30, 33), tag, 24, WHITE, anchor="lm")


def badge_sheet(badges: list[dict[str, str]]) -> bytes:
    """A printable PNG of the demo badges: QR code, employee number and PIN for each."""
    import qrcode

    cell_w, cell_h, columns = 420, 500, 5
    rows = -(-len(badges) // columns)
    sheet = Image.new("RGB", (cell_w * columns, cell_h * rows), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=30)
    for n, badge in enumerate(badges):
        x, y = (n % columns) * cell_w, (n // columns) * cell_h
        code = qrcode.make(badge["qr"], box_size=6, border=2).get_image().convert("RGB")
        code = code.resize((360, 360))
        sheet.paste(code, (x + 30, y + 20))
        label = f"{badge['employee_id']}   PIN {badge.get('pin', '-')}"
        draw.text((x + cell_w // 2, y + 410), label, font=font, fill="black", anchor="mm")
        draw.rectangle([x, y, x + cell_w - 1, y + cell_h - 1], outline="#bbbbbb")  # cut lines
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
