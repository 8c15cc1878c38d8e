"""Catalogue pictures for the demo, drawn with Pillow so the repository carries no binaries."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from ledger.demo.data import CATEGORY_COLOURS

SIZE = (480, 320)


def item_picture(title_en: str, category: str, points: int) -> bytes:
    """A PNG card: the category colour, a pictogram and the English title."""
    colour = CATEGORY_COLOURS[category]
    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 70) for c in colour)
    for band in range(0, SIZE[1], 16):  # a soft diagonal texture
        draw.line([(0, band), (SIZE[0], band - 120)], fill=light, width=3)
    cx, cy = SIZE[0] // 2, 130
    if category == "physical":
        draw.rounded_rectangle([cx - 90, cy - 55, cx + 90, cy + 55], 14, fill="white")
        draw.rectangle([cx - 90, cy - 30, cx + 90, cy - 12], fill=colour)
    elif category == "virtual":
        draw.ellipse([cx - 65, cy - 65, cx + 65, cy + 65], fill="white")
        draw.polygon([(cx - 20, cy - 35), (cx - 20, cy + 35), (cx + 35, cy)], fill=colour)
    else:
        draw.pieslice([cx - 70, cy - 70, cx + 70, cy + 70], 200, 340, fill="white")
        draw.rectangle([cx - 70, cy, cx + 70, cy + 20], fill="white")
    size = 32
    font = ImageFont.load_default(size=size)
    while draw.textlength(title_en, font=font) > SIZE[0] - 40 and size > 14:
        size -= 2
        font = ImageFont.load_default(size=size)
    small = ImageFont.load_default(size=24)
    draw.text((SIZE[0] // 2, 240), title_en, font=font, fill="white", anchor="mm")
    draw.text((SIZE[0] // 2, 285), f"{points:,} pts", font=small, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


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
