"""SQLite and PostgreSQL place orders alike.

Placement is written once per database: SQLAlchemy Core on SQLite, the ``ledger_place_order``
function on PostgreSQL. Hypothesis draws a catalogue (points, stock, per-employee limits per
month, quarter or year), a site timezone, a start near a period boundary and a history:
orders (some with a stale price, an unknown employee or item, offline, or showing no card
or another worker's), per-device caps per hour and day, replays of an order, reuses
of an order id with another body, HR approving, fulfilling and rejecting, workers
cancelling, points granted and taken, time passing with or without the expiry job, and the
change sequencer. The same history runs through :class:`LedgerService` on a fresh database
of each kind, orders through the API's path (``place_order_async``) or the blocking one.
Every answer (the order as JSON, refusal codes, errors) must be the same, and so must the
stored orders, transfers, lots, allocations, wallets and items, with generated ids replaced
by their rank.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ledger import keys
from ledger.domain.adjustments import AdjustmentIn
from ledger.domain.catalogue import ItemSpec
from ledger.domain.device_caps import DeviceCaps
from ledger.domain.errors import LedgerError
from ledger.service import LedgerService
from ledger.storage.database import Database
from ledger.storage.models import (
    Account,
    Adjustment,
    Base,
    Device,
    Employee,
    Item,
    Lot,
    LotAllocation,
    Order,
    Transfer,
    table_of,
)
from ledger.storage.schema import init_database
from sync.protocol import ErrorCode, Localized, OrderRequest
from tests.conftest import FakeClock, PgServer
from tests.ledger import factory

pytestmark = [pytest.mark.pg, pytest.mark.slow]

EMPLOYEES = ("E1", "E2", "E3")  # E3 is inactive
UNKNOWN_EMPLOYEE = "E404"
UNKNOWN_ITEM = "nothing"
ITEM_IDS = ("i0", "i1", "i2")
SEEDED_AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
# Starts a few hours from a month, quarter or year boundary in one of the site timezones.
STARTS = (
    datetime(2026, 3, 31, 14, 0, tzinfo=UTC),  # Shanghai: 22:00, two hours before Q2
    datetime(2026, 6, 15, 2, 0, tzinfo=UTC),
    datetime(2026, 9, 30, 20, 0, tzinfo=UTC),  # Shanghai: already Q4; New York: not yet
    datetime(2026, 12, 31, 15, 30, tzinfo=UTC),  # Shanghai: 23:30 on New Year's Eve
)
TIMEZONES = ("UTC", "Asia/Shanghai", "America/New_York")


# --- the history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemConfig:
    points: int
    stock: int | None
    limit: tuple[int, str] | None
    active: bool


@dataclass(frozen=True)
class World:
    items: tuple[ItemConfig, ...]
    caps: DeviceCaps
    timezone: str
    start: datetime
    steps: tuple[tuple[Any, ...], ...]


items_configs = st.lists(
    st.builds(
        ItemConfig,
        points=st.sampled_from([50, 100, 250]),
        stock=st.none() | st.integers(0, 5),
        limit=st.none()
        | st.tuples(st.integers(1, 3), st.sampled_from(["month", "quarter", "year"])),
        active=st.sampled_from([True] * 7 + [False]),
    ),
    min_size=len(ITEM_IDS),
    max_size=len(ITEM_IDS),
)
employee_ids = st.sampled_from(["E1", "E1", "E1", "E2", "E2", "E2", "E3", UNKNOWN_EMPLOYEE])
item_ids = st.sampled_from([*ITEM_IDS, *ITEM_IDS, *ITEM_IDS, UNKNOWN_ITEM])
picks = st.integers(0, 1000)  # which earlier order, modulo how many there are
orders = st.tuples(
    st.just("order"),
    employee_ids,
    item_ids,
    st.sampled_from([1, 1, 2, 3]),
    st.sampled_from([False] * 7 + [True]),  # a stale price
    st.booleans(),  # through the API's async path, or the blocking one
    st.sampled_from([False] * 3 + [True]),  # sent from the kiosk's outbox after being offline
    st.sampled_from(["own"] * 8 + ["other", "none"]),  # the card shown
)
device_caps = st.builds(
    DeviceCaps,
    orders_per_hour=st.sampled_from([0, 2, 4]),
    orders_per_day=st.sampled_from([0, 0, 3, 6]),
    points_per_hour=st.sampled_from([0, 0, 400, 1000]),
    points_per_day=st.sampled_from([0, 0, 900, 2000]),
)

STEPS = {
    "order": orders,
    "replay": st.tuples(st.just("replay"), picks),
    "reuse": st.tuples(st.just("reuse"), picks),
    "approve": st.tuples(st.just("approve"), picks),
    "fulfil": st.tuples(st.just("fulfil"), picks),
    "reject": st.tuples(st.just("reject"), picks),
    "cancel": st.tuples(st.just("cancel"), picks),
    "handover": st.tuples(st.just("handover"), picks),
    "grant": st.tuples(
        st.just("grant"), st.sampled_from(EMPLOYEES[:2]), st.integers(1, 600), st.integers(1, 120)
    ),
    "take": st.tuples(st.just("take"), st.sampled_from(EMPLOYEES[:2]), st.integers(1, 600)),
    "restock": st.tuples(st.just("restock"), st.sampled_from(ITEM_IDS), st.integers(0, 4)),
    "wait": st.tuples(st.just("wait"), st.integers(1, 24 * 100)),
    "expire": st.tuples(st.just("expire"), st.integers(0, 24 * 100)),
    "number": st.tuples(st.just("number")),
}
# Orders are most of a history: a kind is drawn first, orders with more weight.
steps = st.sampled_from(["order"] * 10 + sorted(STEPS)).flatmap(STEPS.__getitem__)

worlds = st.builds(
    World,
    items=items_configs.map(tuple),
    caps=device_caps,
    timezone=st.sampled_from(TIMEZONES),
    start=st.sampled_from(STARTS),
    steps=st.lists(steps, min_size=10, max_size=40).map(tuple),
)


def _item_spec(config: ItemConfig, stock: int | None) -> ItemSpec:
    count, period = config.limit if config.limit else (None, None)
    return ItemSpec(
        title=Localized(zh="物品", en="Café mug, " + "x" * 190),  # a memo's whole length
        category="physical",
        points=config.points,
        stock=stock,
        limit_per_employee=count,
        limit_period=period,
        active=config.active,
    )


class History:
    """Plays a world's history on one ledger and writes down every answer."""

    def __init__(self, service: LedgerService, clock: FakeClock, world: World) -> None:
        self.service = service
        self.clock = clock
        self.world = world
        self.sent: list[OrderRequest] = []
        self.accepted: list[str] = []
        self.answers: list[object] = []
        self.adjustments = 0

    async def play(self) -> list[object]:
        for config, item_id in zip(self.world.items, ITEM_IDS, strict=True):
            self.service.put_item(item_id, _item_spec(config, config.stock))
        self.service.update_settings({"site_timezone": self.world.timezone})
        self.service.update_device_caps(self.world.caps.model_dump())
        self._grant("E1", 1000, 365)
        self._grant("E2", 300, 10)
        self._grant("E2", 400, 60)
        self._grant("E3", 500, 365)
        for step in self.world.steps:
            try:
                self.answers.append(await self._step(*step))
            except LedgerError as error:
                self.answers.append(("refused", step[0], error.code, error.status))
        await self.service.db.close_async()
        return self.answers

    def _grant(self, employee_id: str, points: int, days: int) -> tuple[bool]:
        self.adjustments += 1
        _, created = self.service.adjust(
            AdjustmentIn(
                adjustment_id=f"adj-{self.adjustments}",
                employee_id=employee_id,
                points=points,
                reason="granted" if points > 0 else "taken",
                validity_days=days,
            )
        )
        return (created,)

    async def _place(self, request: OrderRequest, api: bool) -> tuple[object, ...]:
        if api:
            placement = await self.service.place_order_async(request, "kiosk-1")
        else:
            placement = self.service.place_order(request, "kiosk-1")
        if placement.created and placement.refusal is None:
            self.accepted.append(placement.order.order_id)
        return (placement.created, placement.refusal, placement.order.model_dump_json())

    def _earlier(self, pick: int) -> OrderRequest | None:
        return self.sent[pick % len(self.sent)] if self.sent else None

    async def _step(self, kind: str, *args: Any) -> object:
        if kind == "order":
            employee_id, item_id, quantity, stale, api, offline, shown = args
            points = dict(zip(ITEM_IDS, self.world.items, strict=True)).get(item_id)
            price = (points.points if points else 100) * quantity + (1 if stale else 0)
            request = factory.order_request(
                employee_id,
                item_id,
                price,
                quantity,
                order_id=uuid.UUID(int=len(self.sent) + 1),
                placed_at=self.clock.now - timedelta(minutes=3),
                offline=offline,
                evidence=None if shown == "none" else _card(employee_id, shown == "other"),
            )
            self.sent.append(request)
            return await self._place(request, api)
        if kind in ("replay", "reuse"):
            earlier = self._earlier(args[0])
            if earlier is None:
                return None
            if kind == "reuse":
                earlier = earlier.model_copy(update={"quantity": earlier.quantity % 3 + 1})
            return await self._place(earlier, api=args[0] % 2 == 0)
        if kind in ("approve", "fulfil", "reject", "cancel"):
            # Mostly one of the last orders accepted, so an order goes all the way to
            # fulfilled (which still counts against a limit) often enough.
            if not self.accepted:
                return None
            order_id = self.accepted[-1 - args[0] % min(3, len(self.accepted))]
            reason = "not at the counter" if kind == "reject" else None
            return self.service.transition(order_id, kind, reason).model_dump_json()
        if kind == "handover":  # approved and fulfilled at once
            if not self.accepted:
                return None
            order_id = self.accepted[-1 - args[0] % min(2, len(self.accepted))]
            self.service.transition(order_id, "approve")
            return self.service.transition(order_id, "fulfil").model_dump_json()
        if kind == "grant":
            return self._grant(args[0], args[1], args[2])
        if kind == "take":
            return self._grant(args[0], -args[1], 1)
        if kind == "restock":
            item_id, stock = args
            config = self.world.items[ITEM_IDS.index(item_id)]
            tracked = None if config.stock is None else stock
            return self.service.put_item(item_id, _item_spec(config, tracked))
        if kind == "wait":
            self.clock.advance(hours=args[0])
            return None
        if kind == "expire":
            self.clock.advance(hours=args[0])
            result = self.service.run_expiry()
            return (result.expired_points, result.lots)
        if kind == "number":
            return self.service.number_changes()
        raise AssertionError(kind)


# --- the databases -------------------------------------------------------------------------


def _card(employee_id: str, another: bool) -> dict[str, str]:
    """The RFID card a kiosk sends: the worker's own (as issued by :func:`_seed`), or the
    card of another worker."""
    holder = ("E2" if employee_id == "E1" else "E1") if another else employee_id
    return {"kind": "rfid", "value": f"CARD{holder}"}


def _seed(service: LedgerService) -> None:
    for employee_id in EMPLOYEES:
        factory.employee(service, employee_id, active=employee_id != "E3")
        assert factory.card(service, employee_id) == _card(employee_id, another=False)
    factory.kiosk(service, "kiosk-1")
    service.number_changes()


class Ledgers:
    """Seeded template databases of each kind, copied for every example."""

    def __init__(self, pg: PgServer) -> None:
        self.pg = pg
        self.work = Path(tempfile.mkdtemp(prefix="pk-diff-"))
        self.key_path = self.work / "key.pem"
        key = keys.create_or_load(self.key_path)
        self.sqlite_template = self.work / "template.db"
        self.pg_template = pg.new_database()
        for url in (f"sqlite:///{self.sqlite_template}", self.pg_template):
            db = Database(url)
            init_database(db, keys.public_text(key))
            _seed(LedgerService(db, badge_key=key, clock=FakeClock(SEEDED_AT)))
            db.dispose()

    def fresh(self, backend: str) -> tuple[str, Callable[[], None]]:
        if backend == "sqlite":
            run = Path(tempfile.mkdtemp(dir=self.work))
            shutil.copy(self.sqlite_template, run / "ledger.db")
            return f"sqlite:///{run / 'ledger.db'}", lambda: shutil.rmtree(run)
        url = self.pg.copy_database(self.pg_template)
        return url, lambda: self.pg.drop(url)

    def close(self) -> None:
        self.pg.drop(self.pg_template)
        shutil.rmtree(self.work, ignore_errors=True)


@pytest.fixture(scope="module")
def ledgers(pg_server: PgServer) -> Iterator[Ledgers]:
    made = Ledgers(pg_server)
    yield made
    made.close()


_LOT_MEMO = re.compile(r"^lot (\d+)$")


def _rows(db: Database, model: type[Base]) -> list[dict[str, Any]]:
    table = table_of(model)
    with db.engine.connect() as conn:
        keys = list(table.primary_key.columns)
        return [dict(row._mapping) for row in conn.execute(select(table).order_by(*keys))]


def _ranks(rows: list[dict[str, Any]]) -> dict[int, int]:
    return {row["id"]: rank for rank, row in enumerate(rows)}


def stored(db: Database) -> dict[str, list[dict[str, Any]]]:
    """The rows placement and its neighbours write, generated ids replaced by their rank."""
    transfers = _rows(db, Transfer)
    lots = _rows(db, Lot)
    transfer_rank, lot_rank = _ranks(transfers), _ranks(lots)

    def normal(row: dict[str, Any]) -> dict[str, Any]:
        row = dict(row)
        for name, ranks in (
            ("id", None),
            ("transfer_id", transfer_rank),
            ("earn_transfer_id", transfer_rank),
            ("reverses_id", transfer_rank),
            ("lot_id", lot_rank),
        ):
            if name in row and isinstance(row[name], int):
                row[name] = None if ranks is None else ranks[row[name]]
        if "change_seq" in row:
            row["change_seq"] = row["change_seq"] is None  # waits for the sequencer
        if isinstance(memo := row.get("memo"), str) and (match := _LOT_MEMO.match(memo)):
            row["memo"] = f"lot #{lot_rank[int(match.group(1))]}"
        return row

    tables = {
        "orders": _rows(db, Order),
        "transfers": transfers,
        "lots": lots,
        "allocations": _rows(db, LotAllocation),
        "accounts": _rows(db, Account),
        "items": _rows(db, Item),
        "employees": _rows(db, Employee),
        "adjustments": _rows(db, Adjustment),
        "devices": _rows(db, Device),
    }
    return {name: [normal(row) for row in rows] for name, rows in tables.items()}


def play(ledgers: Ledgers, backend: str, world: World) -> tuple[list[object], dict[str, Any]]:
    url, discard = ledgers.fresh(backend)
    clock = FakeClock(world.start)
    key = keys.create_or_load(ledgers.key_path)
    service = LedgerService(Database(url), badge_key=key, clock=clock)
    try:
        answers = asyncio.run(History(service, clock, world).play())
        report = service.audit_report()
        assert report.ok, (backend, report.as_dict())
        return answers, stored(service.db)
    finally:
        service.db.dispose()
        discard()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(world=worlds)
def test_sqlite_and_postgresql_answer_and_store_the_same(ledgers: Ledgers, world: World) -> None:
    sqlite_answers, sqlite_rows = play(ledgers, "sqlite", world)
    pg_answers, pg_rows = play(ledgers, "postgresql", world)
    for answer in sqlite_answers:
        if isinstance(answer, tuple) and len(answer) == 3:  # a placement
            event(f"placed: {answer[1] or 'accepted'}")
        elif isinstance(answer, tuple) and answer[0] == "refused":
            event(f"refused: {answer[1]} {answer[2]}")
    assert pg_answers == sqlite_answers
    for table, rows in sqlite_rows.items():
        assert pg_rows[table] == rows, table


def test_a_known_history_is_placed_refused_and_capped_alike(ledgers: Ledgers) -> None:
    """A fixed history that must reach acceptance, bad evidence and each kind of cap, so the
    random ones above cannot pass by refusing everything alike."""
    plain = ItemConfig(points=100, stock=None, limit=None, active=True)
    world = World(
        items=(plain, plain, plain),
        caps=DeviceCaps(orders_per_hour=2, orders_per_day=4, points_per_hour=0, points_per_day=0),
        timezone="Asia/Shanghai",
        start=STARTS[0],
        steps=(
            ("order", "E1", "i0", 1, False, True, False, "own"),  # accepted
            ("order", "E1", "i0", 1, False, False, False, "other"),  # another's card
            ("order", "E1", "i0", 1, False, True, False, "none"),  # no card
            ("order", "E2", "i1", 1, False, False, False, "own"),  # accepted: 2 this hour
            ("order", "E1", "i0", 1, False, True, False, "own"),  # the hourly cap
            ("order", "E1", "i0", 1, False, False, True, "own"),  # offline: daily caps only
            ("wait", 1),
            ("order", "E2", "i2", 1, False, True, False, "own"),  # a new hour: 4 today
            ("order", "E1", "i0", 1, False, False, True, "own"),  # the daily cap, offline too
            ("wait", 2),  # Shanghai's midnight: a new site day
            ("order", "E1", "i0", 1, False, True, False, "own"),
        ),
    )
    answers = {}
    for backend in ("sqlite", "postgresql"):
        answers[backend], _rows = play(ledgers, backend, world)
    refusals = [a[1] for a in answers["sqlite"] if isinstance(a, tuple) and len(a) == 3]
    assert refusals == [
        None,
        ErrorCode.EVIDENCE_INVALID,
        ErrorCode.EVIDENCE_INVALID,
        None,
        ErrorCode.DEVICE_CAP_REACHED,
        None,
        None,
        ErrorCode.DEVICE_CAP_REACHED,
        None,
    ]
    assert answers["postgresql"] == answers["sqlite"]
