"""Ledger rows in the wire protocol's shapes (:mod:`sync.protocol`): one mapping per entity.

Each ``*_wire`` function gives the plain dict the sync feed sends (a snapshot carries millions
of rows, and a pydantic model per row cost more than reading it); each ``*_out`` gives the
validated model the API answers with, built from that same dict. A row may be an ORM object
or a Core row with the table's column names. Tests check the dicts against the models, and
every kiosk validates each page it pulls.
"""

from __future__ import annotations

from typing import Any

from ledger.domain.wallets import wallet_id
from sync.columns import ITEM_COLUMNS, ORDER_COLUMNS, RULE_COLUMNS, SYNCED_ORDER_COLUMNS
from sync.protocol import BadgeOut, EntryOut, ItemOut, LotOut, MessageOut, OrderOut, RuleOut


def employee_wire(e: Any, balance: int, held: int) -> dict[str, Any]:
    """An employee as kiosks mirror it: with the wallet's balance and held points (never the
    PIN hash: PINs are checked by the ledger only; nor the department, which no kiosk shows)."""
    return {
        "id": e.id,
        "name": e.name,
        "language": e.language,
        "active": e.active,
        "balance": balance,
        "held": held,
    }


def badge_wire(b: Any) -> dict[str, Any]:
    return {
        "serial": b.serial,
        "employee_id": b.employee_id,
        "kind": b.kind,
        "uid": b.uid,
        "revoked": b.revoked_at is not None,
    }


def entry_wire(t: Any) -> dict[str, Any]:
    """A wallet entry: the transfer signed as the employee sees it (+ in, − out)."""
    # Positional unpacking of the feed's narrow rows: entries are nearly all of a snapshot.
    id_, employee_id, to_account, amount, kind, rule_kind, order_id, memo, created_at = t
    return {
        "id": id_,
        "employee_id": employee_id,
        "points": amount if to_account == wallet_id(employee_id) else -amount,
        "kind": kind,
        "rule_kind": rule_kind,
        "order_id": order_id,
        "memo": memo,
        "created_at": created_at,
    }


# The columns entry_wire and lot_wire unpack, in order.
ENTRY_COLUMNS = (
    "id", "employee_id", "to_account", "amount", "kind", "rule_kind", "order_id", "memo",
    "created_at",
)  # fmt: skip
LOT_COLUMNS = ("id", "employee_id", "remaining", "expires_at")


def lot_wire(lot: Any) -> dict[str, Any]:
    id_, employee_id, remaining, expires_at = lot
    return {
        "id": id_,
        "employee_id": employee_id,
        "remaining": remaining,
        "expires_at": expires_at,
    }


MESSAGE_COLUMNS = (
    "id", "employee_id", "kind", "points", "order_id", "rule_kind", "note", "expires_at",
    "created_at", "read_at",
)  # fmt: skip


def message_wire(m: Any) -> dict[str, Any]:
    """A worker's inbox message: what the kiosk's inbox screen shows, and whether it is read
    (when and where it was read stay here)."""
    id_, employee_id, kind, points, order_id, rule_kind, note, expires_at, created_at, read_at = m
    return {
        "id": id_,
        "employee_id": employee_id,
        "kind": kind,
        "points": points,
        "order_id": order_id,
        "rule_kind": rule_kind,
        "note": note,
        "expires_at": expires_at,
        "created_at": created_at,
        "read": read_at is not None,
    }


# Items, rules and orders follow their protocol model field by field (sync.columns).
item_wire = ITEM_COLUMNS.wire
rule_wire = RULE_COLUMNS.wire
order_wire = ORDER_COLUMNS.wire
synced_order_wire = SYNCED_ORDER_COLUMNS.wire


def _row(obj: Any, columns: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in columns)


def message_out(message: Any) -> MessageOut:
    return MessageOut.model_validate(message_wire(_row(message, MESSAGE_COLUMNS)))


def badge_out(badge: Any) -> BadgeOut:
    return BadgeOut.model_validate(badge_wire(badge))


def entry_out(transfer: Any) -> EntryOut:
    return EntryOut.model_validate(entry_wire(_row(transfer, ENTRY_COLUMNS)))


def lot_out(lot: Any) -> LotOut:
    return LotOut.model_validate(lot_wire(_row(lot, LOT_COLUMNS)))


def item_out(item: Any) -> ItemOut:
    return ItemOut.model_validate(item_wire(item))


def rule_out(rule: Any) -> RuleOut:
    return RuleOut.model_validate(rule_wire(rule))


def order_out(order: Any) -> OrderOut:
    """An order (ORM object, Core row, or anything with its columns) on the wire."""
    return OrderOut.model_validate(order_wire(order))
