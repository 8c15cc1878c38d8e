"""The redemption catalogue: items and their images."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime
from typing import Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from ledger.domain.errors import LedgerError, NotFound
from ledger.storage.models import Item, ItemImage
from sync.protocol import Category, ErrorCode, Localized, LocalizedText, Period

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4096
MAX_IMAGE_PIXELS = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE
MAX_STOCK = 10_000_000
ITEM_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_LIMIT_PER_EMPLOYEE = 10_000
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class ItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Localized
    description: LocalizedText = LocalizedText()
    category: Category
    points: int = Field(ge=1, le=10_000_000)
    stock: int | None = Field(default=None, ge=0, le=MAX_STOCK)
    limit_per_employee: int | None = Field(default=None, ge=1, le=MAX_LIMIT_PER_EMPLOYEE)
    limit_period: Period | None = None
    active: bool = True
    # How an approved order is handed over (ledger/domain/fulfilment.py); never sent to kiosks.
    fulfilment: Literal["manual", "code_pool", "external"] = "manual"
    pool_threshold: int = Field(default=5, ge=0, le=MAX_STOCK)


def put_item(session: Session, item_id: str, spec: ItemSpec, now: datetime) -> Item:
    """Create or replace an item (stock is set as given)."""
    if not ITEM_ID.match(item_id):
        raise LedgerError(ErrorCode.INVALID_REQUEST, "item id: letters, digits, . - _", status=422)
    if (spec.limit_per_employee is None) != (spec.limit_period is None):
        raise LedgerError(
            ErrorCode.INVALID_REQUEST,
            "limit_per_employee and limit_period go together: give both or neither",
            status=422,
        )
    values = {
        "title_zh": spec.title.zh,
        "title_en": spec.title.en,
        "description_zh": spec.description.zh,
        "description_en": spec.description.en,
        "category": spec.category,
        "points": spec.points,
        "stock": spec.stock,
        "limit_per_employee": spec.limit_per_employee,
        "limit_period": spec.limit_period,
        "active": spec.active,
        "fulfilment": spec.fulfilment,
        "pool_threshold": spec.pool_threshold,
        "updated_at": now,
    }
    item = session.get(Item, item_id)
    if item is None:
        item = Item(id=item_id, image_sha256=None, **values)
        session.add(item)
    else:
        for key, value in values.items():
            setattr(item, key, value)
    session.flush()
    return item


def image_type(data: bytes) -> str:
    """The content type by magic number; PNG and JPEG only."""
    for magic, content_type in _SIGNATURES.items():
        if data.startswith(magic):
            return content_type
    raise LedgerError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the image must be PNG or JPEG", status=415)


def clean_image(data: bytes) -> tuple[str, bytes]:
    """The picture decoded and encoded again: its content type and the new bytes.

    Only pixels survive (no metadata, nothing appended after the image), so what the ledger
    serves is a picture whatever was uploaded. Refused (415) when it is not a whole PNG or
    JPEG, or (413) when it has more than :data:`MAX_IMAGE_PIXELS` pixels.
    """
    content_type = image_type(data)
    fmt = "PNG" if content_type == "image/png" else "JPEG"
    too_many = LedgerError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        f"the image has more than {MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE} pixels",
        status=413,
    )
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            # The size comes from the header: checked before any pixel is decoded.
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise too_many
            image.load()
            pixels: Image.Image = image
            if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
                pixels = image.convert("RGB")
            out = io.BytesIO()
            pixels.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except Image.DecompressionBombError as exc:  # Pillow's own, far larger, cap
        raise too_many from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise LedgerError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the image is not a readable PNG or JPEG", status=415
        ) from exc
    return content_type, out.getvalue()


def put_image(session: Session, item_id: str, data: bytes, now: datetime) -> Item:
    """Store an item's image; the sha256 goes to kiosks so they re-fetch only on change."""
    if len(data) > MAX_IMAGE_BYTES:
        raise LedgerError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"the image is larger than {MAX_IMAGE_BYTES // 1024} KiB",
            status=413,
        )
    content_type, data = clean_image(data)
    item = session.get(Item, item_id)
    if item is None:
        raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {item_id}")
    image = session.get(ItemImage, item_id)
    if image is None:
        session.add(ItemImage(item_id=item_id, content_type=content_type, data=data))
    else:
        image.content_type, image.data = content_type, data
    item.image_sha256 = hashlib.sha256(data).hexdigest()
    item.updated_at = now
    session.flush()
    return item
