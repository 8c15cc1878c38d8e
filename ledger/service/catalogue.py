"""Use cases of the catalogue: items and their pictures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ledger.domain import catalogue
from ledger.domain.errors import NotFound
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from ledger.storage.models import Item, ItemImage
from ledger.wire import item_out
from sync.protocol import ErrorCode


class CatalogueCases(ServiceBase):
    def put_item(
        self, item_id: str, spec: catalogue.ItemSpec, image: bytes | None = None
    ) -> dict[str, Any]:
        """Create or replace an item, with its picture when one is given, in one change."""

        def run(work: Work) -> dict[str, Any]:
            old = work.session.get(Item, item_id)
            before = item_out(old).model_dump(mode="json") if old is not None else None
            item = catalogue.put_item(work.session, item_id, spec, work.now)
            if image is not None:
                item = catalogue.put_image(work.session, item_id, image, work.now)
            after = item_out(item).model_dump(mode="json")
            work.log("item.save", item_id, before=before, after=after)
            work.announce(EventType.ITEM_CHANGED, item_id, after)
            return after

        return self._run(run)

    def put_image(self, item_id: str, data: bytes) -> str:
        def run(work: Work) -> str:
            old = work.session.get(Item, item_id)
            before = {"image_sha256": old.image_sha256} if old is not None else None
            item = catalogue.put_image(work.session, item_id, data, work.now)
            after = {"image_sha256": item.image_sha256}
            work.log("item.image", item_id, before=before, after=after)
            work.announce(EventType.ITEM_CHANGED, item_id, item_out(item).model_dump(mode="json"))
            assert item.image_sha256 is not None
            return item.image_sha256

        return self._run(run)

    def list_items(self) -> list[dict[str, Any]]:
        with self.db.read() as session:
            rows = session.scalars(select(Item).order_by(Item.category, Item.points, Item.id))
            return [item_out(i).model_dump(mode="json") for i in rows]

    def image(self, item_id: str) -> tuple[str, bytes]:
        with self.db.read() as session:
            image = session.get(ItemImage, item_id)
            if image is None:
                raise NotFound(ErrorCode.NO_IMAGE, f"item {item_id} has no image")
            return image.content_type, image.data
