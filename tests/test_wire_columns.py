"""Items, rules and orders travel by one description taken from the protocol (sync.columns)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from kiosk.store import models as kiosk_models
from ledger.storage import models as ledger_models
from ledger.wire import item_out, order_out, rule_out, synced_order_wire
from sync.columns import (
    ITEM_COLUMNS,
    ORDER_COLUMNS,
    RULE_COLUMNS,
    SYNCED_ORDER_COLUMNS,
    WireColumns,
    wire_columns,
)
from sync.protocol import Localized, SyncedOrder

TABLES = [
    (ITEM_COLUMNS, ledger_models.Item, kiosk_models.Item),
    (RULE_COLUMNS, ledger_models.Rule, kiosk_models.Rule),
    (SYNCED_ORDER_COLUMNS, ledger_models.Order, kiosk_models.Order),
]


@pytest.mark.parametrize(("wire", "ledger_table", "kiosk_table"), TABLES)
def test_both_ends_have_a_column_for_every_field(wire, ledger_table, kiosk_table) -> None:
    # A field added to the protocol without its columns fails here, not in a kiosk.
    assert set(wire.columns) <= set(ledger_table.__table__.columns.keys())
    assert set(wire.columns) <= set(kiosk_table.__table__.columns.keys())


def test_the_api_answers_orders_from_the_ledgers_columns() -> None:
    assert set(ORDER_COLUMNS.columns) <= set(ledger_models.Order.__table__.columns.keys())


ROWS = {
    "item": dict(
        id="card-100", title_zh="购物卡", title_en="Card", description_zh="说明",
        description_en="About", category="physical", points=1000, stock=3,
        limit_per_employee=2, limit_period="month", active=True, image_sha256="ab" * 32,
    ),
    "rule": dict(
        kind="training.done", points=300, validity_days=365, active=True, title_zh="培训",
        title_en="Training", cap_per_period=None, period=None,
    ),
    "order": dict(
        id="6f1c5a52-0000-4000-8000-000000000001", employee_id="E1", item_id="card-100",
        quantity=1, points=1000, status="pending", reason=None, device_id="k1", offline=False,
        placed_at=datetime(2026, 6, 1, tzinfo=UTC), created_at=datetime(2026, 6, 1, tzinfo=UTC),
        updated_at=datetime(2026, 6, 2, tzinfo=UTC),
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("wire", "to_model", "row"),
    [
        (ITEM_COLUMNS, item_out, ROWS["item"]),
        (RULE_COLUMNS, rule_out, ROWS["rule"]),
        (ORDER_COLUMNS, order_out, ROWS["order"]),
    ],
)
def test_a_row_comes_out_at_the_kiosk_as_it_went_in(wire: WireColumns, to_model, row) -> None:
    model: BaseModel = to_model(SimpleNamespace(**row))
    pulled = type(model).model_validate_json(model.model_dump_json())
    values = wire.values(pulled, lambda v: getattr(v, "value", v))
    stored = dict(zip(wire.columns, values, strict=True))
    assert stored == row


def test_a_mirrored_order_is_the_api_order_without_device_offline_and_last_change() -> None:
    row = ROWS["order"]
    pulled = SyncedOrder.model_validate_json(
        SyncedOrder.model_validate(synced_order_wire(SimpleNamespace(**row))).model_dump_json()
    )
    values = SYNCED_ORDER_COLUMNS.values(pulled, lambda v: getattr(v, "value", v))
    stored = dict(zip(SYNCED_ORDER_COLUMNS.columns, values, strict=True))
    assert stored == {
        k: v for k, v in row.items() if k not in ("device_id", "offline", "updated_at")
    }
    # The API's order answering a push is stored the same way.
    from_api = SYNCED_ORDER_COLUMNS.values(order_out(SimpleNamespace(**row)), lambda v: v)
    assert dict(zip(SYNCED_ORDER_COLUMNS.columns, from_api, strict=True)) == stored


def test_localized_fields_are_two_columns() -> None:
    class Sample(BaseModel):
        code: str
        name: Localized

    described = wire_columns(Sample, {"code": "id"})
    assert described.columns == ("id", "name_zh", "name_en")
    row = SimpleNamespace(id="x", name_zh="名", name_en="Name")
    assert described.wire(row) == {"code": "x", "name": {"zh": "名", "en": "Name"}}
