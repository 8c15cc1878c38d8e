"""Wire types shared by the ledger and the kiosk: one definition, used by both sides.

Points are integers. Times are timezone-aware UTC datetimes on the wire (ISO 8601).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text, and no legitimate name, reason or code holds one.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


NoNul = AfterValidator(_no_nul)
"""Refuses NUL characters; goes after any ``StringConstraints``, so stripping and lengths
are applied first, as they would be without it."""

Text = Annotated[str, NoNul]
"""Any free text that reaches the database: refuses NUL characters."""

INT32_MAX = 2**31 - 1
"""The largest value of an ``Integer`` column (counts such as a kiosk's outbox)."""

EmployeeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
RuleKind = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$", max_length=64)]
Period = Literal["month", "quarter", "year"]
Category = Literal["physical", "virtual", "service"]
Language = Literal["zh", "en"]


class OrderStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    FULFILLED = "fulfilled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    # A fulfilled order an admin took back: its points were refunded, as for a rejection.
    REVERSED = "reversed"


OPEN_ORDER_STATUSES = (OrderStatus.PENDING, OrderStatus.APPROVED)
# Orders that use up a per-employee item limit: open ones and those handed over.
LIMIT_COUNTED_STATUSES = (*OPEN_ORDER_STATUSES, OrderStatus.FULFILLED)


class ErrorCode(StrEnum):
    """Stable error codes; clients switch on these, never on messages."""

    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INVALID_REQUEST = "invalid_request"
    INTERNAL_ERROR = "internal_error"
    INVALID_ENROLL_CODE = "invalid_enroll_code"
    DEVICE_REVOKED = "device_revoked"
    CURSOR_EXPIRED = "cursor_expired"
    UNKNOWN_EMPLOYEE = "unknown_employee"
    EMPLOYEE_EXISTS = "employee_exists"
    UNKNOWN_ITEM = "unknown_item"
    UNKNOWN_ORDER = "unknown_order"
    UNKNOWN_BADGE = "unknown_badge"
    PIN_WRONG = "pin_wrong"
    PIN_LOCKED = "pin_locked"
    PIN_NOT_SET = "pin_not_set"
    EVIDENCE_INVALID = "evidence_invalid"
    DEVICE_CAP_REACHED = "device_cap_reached"
    UNKNOWN_RULE = "unknown_rule"
    EMPLOYEE_INACTIVE = "employee_inactive"
    INSUFFICIENT_POINTS = "insufficient_points"
    OUT_OF_STOCK = "out_of_stock"
    LIMIT_REACHED = "limit_reached"
    PRICE_CHANGED = "price_changed"
    ITEM_INACTIVE = "item_inactive"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    INVALID_TRANSITION = "invalid_transition"
    UID_IN_USE = "uid_in_use"
    NO_IMAGE = "no_image"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    # Fulfilment by kind of reward: no code left in an item's pool, no code key on the ledger,
    # no code for this order.
    CODE_POOL_EMPTY = "code_pool_empty"
    CODE_KEY_MISSING = "code_key_missing"
    NO_CODE = "no_code"
    # Event import outcomes (per event, not HTTP errors).
    UNKNOWN_KIND = "unknown_kind"
    RULE_INACTIVE = "rule_inactive"
    CAP_REACHED = "cap_reached"
    OCCURRED_IN_FUTURE = "occurred_in_future"


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- device enrolment and heartbeat ------------------------------------------------------


class EnrollRequest(WireModel):
    code: Annotated[
        str, StringConstraints(min_length=1, max_length=64, strip_whitespace=True), NoNul
    ]
    name: Annotated[
        str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True), NoNul
    ]


class EnrollResponse(WireModel):
    device_id: str
    token: str
    badge_public_key: str = Field(description="Ed25519 public key, raw 32 bytes, base64url")


class Heartbeat(WireModel):
    version: Annotated[str, StringConstraints(max_length=40), NoNul]
    outbox: int = Field(ge=0, le=INT32_MAX)
    last_sync_at: AwareDatetime | None = None
    oldest_unsent_at: AwareDatetime | None = None


# --- orders ------------------------------------------------------------------------------


class Evidence(WireModel):
    """That the worker was at the kiosk: the scanned badge text, the card's UID, or the token
    the ledger gave for their PIN (``POST /pin-checks``)."""

    kind: Literal["qr", "rfid", "pin"]
    value: Annotated[str, StringConstraints(min_length=1, max_length=512), NoNul]


class OrderRequest(WireModel):
    order_id: uuid.UUID
    employee_id: EmployeeId
    item_id: ItemId
    quantity: int = Field(ge=1, le=99)
    points: int = Field(ge=0, le=10_000_000, description="total the kiosk showed the worker")
    badge_serial: Annotated[str, StringConstraints(max_length=64), NoNul] | None = None
    placed_at: AwareDatetime = Field(description="kiosk clock; kept as audit metadata only")
    offline: bool = False
    evidence: Evidence | None = Field(
        default=None, description="required from kiosks: the worker's badge, card or PIN token"
    )


class PinCheckRequest(WireModel):
    """A PIN typed at a kiosk, for the ledger to check (kiosks never hold PIN hashes)."""

    employee_id: EmployeeId
    pin: Annotated[str, StringConstraints(max_length=16), NoNul]


class PinPassOut(WireModel):
    """A right PIN: a single-use token for this worker at this kiosk, valid a few minutes."""

    token: str
    expires_at: datetime


class LanguagePreference(WireModel):
    """A worker's choice, made at a kiosk, of the language their visits start in."""

    employee_id: EmployeeId
    language: Language
    badge_serial: Annotated[str, StringConstraints(max_length=64), NoNul] | None = Field(
        default=None, description="the badge the worker signed in with; must be theirs and live"
    )


class MessageKind(StrEnum):
    """What a message in a worker's kiosk inbox tells (the kiosk stores these values)."""

    APPROVED = "approved"
    FULFILLED = "fulfilled"
    REJECTED = "rejected"
    REVERSED = "reversed"
    EARNED = "earned"
    ADJUSTED = "adjusted"
    EXPIRING = "expiring"


class MessagesRead(WireModel):
    """A worker's "got it" on their inbox at a kiosk, with the evidence of their presence."""

    employee_id: EmployeeId
    message_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        min_length=1, max_length=200
    )
    evidence: Evidence | None = Field(
        default=None, description="required: the worker's badge, card or PIN token"
    )


class CancelRequest(WireModel):
    """A worker's cancel; from a kiosk other than the order's, with the worker's evidence."""

    evidence: Evidence | None = None


class CodesRequest(WireModel):
    """A kiosk asking for the codes of the worker in front of it (``POST /orders/codes``)."""

    employee_id: EmployeeId
    evidence: Evidence


class OrderCode(WireModel):
    """The code a code-pool order was fulfilled with; only ever sent to its worker's kiosk
    visit, never in the sync feed (docs/SECURITY.md)."""

    order_id: str
    item_id: str
    code: str


class CodesOut(WireModel):
    codes: list[OrderCode]


class SyncedOrder(WireModel):
    """An order as every kiosk mirrors it: what the worker's order list shows and what the
    per-person limits count (docs/SECURITY.md, "What a kiosk receives")."""

    order_id: str
    employee_id: str
    item_id: str
    quantity: int
    points: int
    status: OrderStatus
    reason: str | None = Field(description="in the sync feed, only on rejected orders")
    placed_at: datetime
    created_at: datetime


class OrderOut(SyncedOrder):
    """An order as the API answers for it: the mirrored fields, plus the kiosk that placed it,
    whether it was placed offline and when it last changed, which HR and the placing kiosk
    get and the feed does not carry."""

    device_id: str | None
    offline: bool
    updated_at: datetime


# --- sync --------------------------------------------------------------------------------


class EmployeeOut(WireModel):
    id: str
    name: str
    language: Language
    active: bool
    balance: int
    held: int


class BadgeOut(WireModel):
    serial: str
    employee_id: str
    kind: Literal["qr", "rfid", "admin"]
    uid: str | None
    revoked: bool


class EntryOut(WireModel):
    """One line of an employee's history: a transfer seen from the wallet."""

    id: int
    employee_id: str
    points: int = Field(description="signed: + into the wallet, − out of it")
    kind: Literal["earn", "hold", "refund", "expire", "adjust"]
    rule_kind: str | None
    order_id: str | None
    memo: str | None = Field(description="in the sync feed, only on adjustments (HR's reason)")
    created_at: datetime


class LotOut(WireModel):
    id: int
    employee_id: str
    remaining: int
    expires_at: datetime


class Localized(WireModel):
    zh: Annotated[str, StringConstraints(max_length=200), NoNul]
    en: Annotated[str, StringConstraints(max_length=200), NoNul]


class LocalizedText(WireModel):
    zh: Annotated[str, StringConstraints(max_length=4000), NoNul] = ""
    en: Annotated[str, StringConstraints(max_length=4000), NoNul] = ""


class ItemOut(WireModel):
    id: str
    title: Localized
    description: LocalizedText
    category: Category
    points: int
    stock: int | None
    limit_per_employee: int | None
    limit_period: Period | None
    active: bool
    image_sha256: str | None


class RuleOut(WireModel):
    kind: str
    points: int
    validity_days: int
    active: bool
    title: Localized
    cap_per_period: int | None
    period: Period | None


class MessageOut(WireModel):
    """One message of a worker's kiosk inbox, as kiosks mirror it: only what the screen shows."""

    id: int
    employee_id: str
    kind: MessageKind
    points: int | None = Field(description="earned, adjusted (signed), expiring, or the order's")
    order_id: str | None = Field(description="the order it is about; its item names it")
    rule_kind: str | None = Field(description="an earning's rule; its title names it")
    note: str | None = Field(description="a rejection's or an adjustment's reason")
    expires_at: datetime | None = Field(description="when expiring points expire")
    created_at: datetime
    read: bool


class KioskSettings(WireModel):
    """Settings the ledger serves to every kiosk."""

    offline_spend_limit: int = Field(default=2000, ge=0, description="per worker between syncs")
    offline_order_limit: int = Field(default=1500, ge=0, description="per order while offline")
    offline_kiosk_limit: int = Field(default=20000, ge=0, description="per kiosk between syncs")
    offline_max_hours: int = Field(default=24, ge=0, description="no offline orders after this")
    idle_timeout_seconds: int = Field(default=45, ge=10, le=600)
    pin_threshold: int = Field(default=1000, ge=0, description="orders above need the PIN")
    site_timezone: str = "Asia/Shanghai"


class SyncPage(WireModel):
    cursor: str
    has_more: bool
    epoch: str
    settings: KioskSettings
    employees: list[EmployeeOut]
    badges: list[BadgeOut]
    entries: list[EntryOut]
    lots: list[LotOut]
    items: list[ItemOut]
    rules: list[RuleOut]
    orders: list[SyncedOrder]
    messages: list[MessageOut] = []
