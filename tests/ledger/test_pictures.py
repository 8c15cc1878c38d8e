"""Item pictures are decoded and encoded again: only pixels are stored and served."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from tests.ledger.factory import item, picture
from tests.ledger.http import error_code, hr_api

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_header_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG start for a picture of that size, with next to no pixel data."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return SIGNATURE + header + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


def test_html_behind_a_png_signature_is_refused(live):
    item(live.service)
    hr = hr_api(live)
    page = SIGNATURE + b"<html><script>alert(document.cookie)</script></html>"
    response = hr.put("/items/card-100/image", data=page)
    assert response.status_code == 415 and error_code(response) == "unsupported_media_type"
    assert hr.get("/items/card-100/image").status_code == 404


def test_more_pixels_than_the_cap_are_refused_before_decoding(live):
    item(live.service)
    hr = hr_api(live)
    response = hr.put("/items/card-100/image", data=_png_header_claiming(4097, 4096))
    assert response.status_code == 413 and error_code(response) == "payload_too_large"
    bomb = _png_header_claiming(100_000, 100_000)
    assert hr.put("/items/card-100/image", data=bomb).status_code == 413


def test_what_is_served_is_the_picture_alone(live):
    item(live.service)
    hr = hr_api(live)
    original = picture(16, 9)
    trailer = b"<html><script>alert(1)</script></html>"
    jpeg = picture(16, 9, "JPEG")
    for upload, content_type in ((original + trailer, "image/png"), (jpeg, "image/jpeg")):
        assert hr.put("/items/card-100/image", data=upload).status_code == 200
        served = hr.get("/items/card-100/image")
        assert served.headers["content-type"] == content_type
        assert served.headers["x-content-type-options"] == "nosniff"
        assert trailer not in served.content
        assert Image.open(io.BytesIO(served.content)).size == (16, 9)
