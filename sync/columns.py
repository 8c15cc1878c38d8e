"""How a wire model lies in table columns, for both ends of the wire.

The ledger reads its rows into the wire shape and the kiosk writes what it pulled into its
own tables through the same description, taken from the protocol model itself: a field is
one column of the same name, a localized field (``Localized``, ``LocalizedText``) is two,
``<name>_zh`` and ``<name>_en``, and a few fields have another column name (``order_id`` is
the orders table's ``id``). Adding a field to the protocol and to both tables is then all it
takes to carry it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from sync.protocol import ItemOut, Localized, LocalizedText, OrderOut, RuleOut, SyncedOrder

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class WireColumns:
    """One wire model's fields and the columns that hold them."""

    model: type[BaseModel]
    # (wire field, its columns): one column, or one per language for localized text
    fields: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for _, columns in self.fields for column in columns)

    def wire(self, row: Any) -> dict[str, Any]:
        """A row (anything with the columns as attributes) as the wire's plain dict."""
        out: dict[str, Any] = {}
        for name, columns in self.fields:
            if len(columns) == 1:
                out[name] = getattr(row, columns[0])
            else:
                out[name] = {
                    lang: getattr(row, col) for lang, col in zip(LANGUAGES, columns, strict=True)
                }
        return out

    def values(self, obj: BaseModel, convert: Callable[[Any], Any]) -> tuple[Any, ...]:
        """A pulled model's values in :attr:`columns` order, each passed through ``convert``."""
        values: list[Any] = []
        for name, columns in self.fields:
            value = getattr(obj, name)
            if len(columns) == 1:
                values.append(convert(value))
            else:
                values.extend(convert(getattr(value, lang)) for lang in LANGUAGES)
        return tuple(values)


def wire_columns(model: type[BaseModel], renamed: dict[str, str] | None = None) -> WireColumns:
    """Describe ``model`` by its fields; ``renamed`` maps a field to a differently named column."""
    renamed = renamed or {}
    fields: list[tuple[str, tuple[str, ...]]] = []
    for name, info in model.model_fields.items():
        column = renamed.get(name, name)
        if info.annotation in (Localized, LocalizedText):
            fields.append((name, tuple(f"{column}_{lang}" for lang in LANGUAGES)))
        else:
            fields.append((name, (column,)))
    return WireColumns(model, tuple(fields))


ITEM_COLUMNS = wire_columns(ItemOut)
RULE_COLUMNS = wire_columns(RuleOut)
ORDER_COLUMNS = wire_columns(OrderOut, {"order_id": "id"})
# The part of an order the sync feed carries and the kiosk's orders table holds.
SYNCED_ORDER_COLUMNS = wire_columns(SyncedOrder, {"order_id": "id"})
