"""ORM rows to wire models (the shapes in :mod:`sync.protocol`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from ledger.domain.wallets import wallet_id
from ledger.storage.models import Badge, Item, Lot, Order, Rule, Transfer
from sync.protocol import (
    BadgeOut,
    EntryOut,
    ItemOut,
    Localized,
    LocalizedText,
    LotOut,
    OrderOut,
    OrderStatus,
    RuleOut,
)


def order_out(order: Order | Row[Any]) -> OrderOut:
    """An order (ORM object or Core row) on the wire."""
    return OrderOut(
        order_id=order.id,
        employee_id=order.employee_id,
        item_id=order.item_id,
        quantity=order.quantity,
        points=order.points,
        status=OrderStatus(order.status),
        reason=order.reason,
        device_id=order.device_id,
        offline=order.offline,
        placed_at=order.placed_at,
        created_at=order.created_at,
        updated_at=order.updated_at,
    )


def entry_out(transfer: Transfer) -> EntryOut:
    assert transfer.employee_id is not None
    into_wallet = transfer.to_account == wallet_id(transfer.employee_id)
    return EntryOut(
        id=transfer.id,
        employee_id=transfer.employee_id,
        points=transfer.amount if into_wallet else -transfer.amount,
        kind=transfer.kind,  # type: ignore[arg-type]
        rule_kind=transfer.rule_kind,
        order_id=transfer.order_id,
        memo=transfer.memo,
        created_at=transfer.created_at,
    )


def lot_out(lot: Lot) -> LotOut:
    return LotOut(
        id=lot.id,
        employee_id=lot.employee_id,
        points=lot.points,
        remaining=lot.remaining,
        expires_at=lot.expires_at,
    )


def item_out(item: Item) -> ItemOut:
    return ItemOut(
        id=item.id,
        title=Localized(zh=item.title_zh, en=item.title_en),
        description=LocalizedText(zh=item.description_zh, en=item.description_en),
        category=item.category,  # type: ignore[arg-type]
        points=item.points,
        stock=item.stock,
        limit_per_employee=item.limit_per_employee,
        limit_period=item.limit_period,  # type: ignore[arg-type]
        active=item.active,
        image_sha256=item.image_sha256,
    )


def rule_out(rule: Rule) -> RuleOut:
    return RuleOut(
        kind=rule.kind,
        points=rule.points,
        validity_days=rule.validity_days,
        active=rule.active,
        title=Localized(zh=rule.title_zh, en=rule.title_en),
        cap_per_period=rule.cap_per_period,
        period=rule.period,  # type: ignore[arg-type]
    )


def badge_out(badge: Badge) -> BadgeOut:
    return BadgeOut(
        serial=badge.serial,
        employee_id=badge.employee_id,
        kind=badge.kind,  # type: ignore[arg-type]
        uid=badge.uid,
        revoked=badge.revoked_at is not None,
        issued_at=badge.issued_at,
    )
