"""A large factory written straight into databases, for the kiosk benchmarks.

20,000 workers with 100 history entries each (2,000,000 in all) over the last 13 months:
earnings (each with its own lot), orders and expiries, which use up lots earliest first as
the ledger does. Rows go in with plain
``sqlite3`` in the exact formats the ORMs write, because going through the service would
take hours; the ledger's change numbers are given in order, as the sequencer would.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import badge_codec

if TYPE_CHECKING:
    from kiosk.store.database import Store

DEPARTMENTS = ("总装车间", "冲压车间", "焊装车间", "涂装车间", "质检部", "物流部")
RULES = (
    ("performance.excellent", 500, "季度绩效优秀", "Quarterly performance: excellent"),
    ("training.completed", 100, "完成培训课程", "Training course completed"),
    ("activity.attended", 200, "参加企业文化活动", "Company culture activity"),
    ("attendance.full_month", 100, "当月全勤", "Full attendance this month"),
)
ITEMS = (
    ("card-100", 1000, "physical", "超市购物卡 100 元", "Supermarket card 100 CNY"),
    ("leave-day", 500, "virtual", "额外年假一天", "Extra day of leave"),
    ("course", 300, "virtual", "培训课程", "Training course"),
    ("health-check", 800, "service", "体检升级", "Health check upgrade"),
    ("cake", 300, "service", "生日蛋糕", "Birthday cake"),
)


def ts(moment: datetime) -> str:
    """The text SQLAlchemy writes for a naive UTC datetime on SQLite."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass
class Row:
    employee: str
    entry_id: int
    points: int  # signed, seen from the wallet
    kind: str
    rule_kind: str | None
    order_id: str | None
    created_at: datetime
    lot_expires: datetime | None
    lot_remaining: int = 0  # what is left of this earning's lot after later spends


def employee_id(n: int) -> str:
    return f"W{n:06d}"


def history(workers: int, per_worker: int, now: datetime, seed: int = 1) -> Iterator[list[Row]]:
    """Per worker, ``per_worker`` entries, oldest first, with plausible amounts."""
    rng = random.Random(seed)
    span = timedelta(days=390)
    entry_id = 0
    for n in range(workers):
        rows = []
        balance = 0
        times = sorted(now - span * rng.random() for _ in range(per_worker))
        open_lots: list[Row] = []  # earliest expiry first, as the ledger spends them
        for moment in times:
            entry_id += 1
            roll = rng.random()
            if roll < 0.75 or balance < 1000:
                rule = rng.choice(RULES)
                points = rule[1]
                row = Row(employee_id(n), entry_id, points, "earn", rule[0], None, moment,
                          moment + timedelta(days=365), points)  # fmt: skip
                rows.append(row)
                open_lots.append(row)
                balance += points
                continue
            if roll < 0.95:
                item = rng.choice(ITEMS)
                spend = item[1]
                rows.append(
                    Row(employee_id(n), entry_id, -spend, "hold", None, str(uuid.uuid4()),
                        moment, None)
                )  # fmt: skip
            else:
                spend = min(balance, 100) or 1
                rows.append(
                    Row(employee_id(n), entry_id, -spend, "expire", None, None, moment, None)
                )
            balance -= spend
            while spend > 0 and open_lots:
                take = min(spend, open_lots[0].lot_remaining)
                open_lots[0].lot_remaining -= take
                spend -= take
                if open_lots[0].lot_remaining == 0:
                    open_lots.pop(0)
        yield rows


def badge_payloads(workers: int, key: Ed25519PrivateKey) -> list[tuple[str, str, str]]:
    """(employee, serial, QR text) for every worker."""
    out = []
    for n in range(workers):
        serial = f"S{n:09d}"
        out.append((employee_id(n), serial, badge_codec.encode(employee_id(n), serial, key)))
    return out


def fill_kiosk(path: str, workers: int, per_worker: int, key: Ed25519PrivateKey,
               now: datetime) -> list[str]:  # fmt: skip
    """Fill an opened (migrated, enrolled) kiosk store; returns the QR texts."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    badges = badge_payloads(workers, key)
    conn.executemany(
        "INSERT INTO badges VALUES (?, ?, 'qr', NULL, 0, ?, 1)",
        [(serial, emp, ts(now)) for emp, serial, _ in badges],
    )
    conn.executemany(
        "INSERT INTO rules VALUES (?, ?, 365, 1, ?, ?, NULL, NULL, 1)",
        [(kind, points, zh, en) for kind, points, zh, en in RULES],
    )
    conn.executemany(
        "INSERT INTO items VALUES (?, ?, ?, '', '', ?, ?, NULL, NULL, NULL, 1, NULL, 1)",
        [(i, zh, en, cat, pts) for i, pts, cat, zh, en in ITEMS],
    )
    lot_id = 0
    for rows in history(workers, per_worker, now):
        emp = rows[0].employee
        balance = sum(r.points for r in rows)
        conn.execute(
            "INSERT INTO employees VALUES (?, ?, ?, 'zh', 1, ?, 0, NULL, 1)",
            (emp, f"工人{emp}", DEPARTMENTS[hash(emp) % len(DEPARTMENTS)], max(0, balance)),
        )
        conn.executemany(
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, NULL, ?, 1)",
            [(r.entry_id, emp, r.points, r.kind, r.rule_kind, r.order_id, ts(r.created_at))
             for r in rows],
        )  # fmt: skip
        lots = []
        for r in rows:
            if r.lot_expires is not None:
                lot_id += 1
                lots.append((lot_id, emp, r.points, r.lot_remaining, ts(r.lot_expires)))
        conn.executemany("INSERT INTO lots VALUES (?, ?, ?, ?, ?, 1)", lots)
        conn.executemany(
            "INSERT INTO orders VALUES (?, ?, ?, 1, ?, 'fulfilled', NULL, NULL, 0, ?, ?, ?, 1)",
            [(r.order_id, emp, "card-100", -r.points, ts(r.created_at), ts(r.created_at),
              ts(r.created_at)) for r in rows if r.order_id],
        )  # fmt: skip
    conn.commit()
    conn.close()
    return [qr for _, _, qr in badges]


def fill_ledger(path: str, workers: int, per_worker: int, key: Ed25519PrivateKey,
                now: datetime) -> int:  # fmt: skip
    """Fill an initialised ledger SQLite database; returns the last change number."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    seq = 0

    def next_seq() -> int:
        nonlocal seq
        seq += 1
        return seq

    stamp = ts(now)
    conn.executemany(
        "INSERT INTO rules (kind, points, validity_days, active, title_zh, title_en, "
        "cap_per_period, period, updated_at, change_seq) VALUES (?, ?, 365, 1, ?, ?, NULL, NULL,"
        " ?, ?)",
        [(kind, pts, zh, en, stamp, next_seq()) for kind, pts, zh, en in RULES],
    )
    conn.executemany(
        "INSERT INTO items (id, title_zh, title_en, description_zh, description_en, category, "
        "points, stock, limit_per_employee, limit_period, active, image_sha256, updated_at, "
        "change_seq) VALUES (?, ?, ?, '', '', ?, ?, NULL, NULL, NULL, 1, NULL, ?, ?)",
        [(i, zh, en, cat, pts, stamp, next_seq()) for i, pts, cat, zh, en in ITEMS],
    )
    transfer_id = 0
    for rows in history(workers, per_worker, now):
        emp = rows[0].employee
        wallet = f"wallet:{emp}"
        balance = max(0, sum(r.points for r in rows))
        conn.execute(
            "INSERT INTO employees (id, name, department, language, active, created_at, "
            "change_seq, pin_hash) VALUES (?, ?, ?, 'zh', 1, ?, ?, NULL)",
            (emp, f"工人{emp}", DEPARTMENTS[hash(emp) % len(DEPARTMENTS)], stamp, next_seq()),
        )
        conn.execute("INSERT INTO accounts (id, employee_id, balance) VALUES (?, ?, ?)",
                     (wallet, emp, balance))  # fmt: skip
        transfers, lots = [], []
        for r in rows:
            transfer_id += 1
            source, target = ("issuance", wallet) if r.points > 0 else (wallet, "orders_held")
            if r.kind == "expire":
                target = "expired"
            transfers.append(
                (transfer_id, source, target, abs(r.points), r.kind, emp, r.rule_kind,
                 r.order_id, ts(r.created_at), next_seq())
            )  # fmt: skip
            if r.lot_expires is not None:
                lots.append(
                    (emp, transfer_id, r.points, r.lot_remaining, 0, ts(r.lot_expires),
                     ts(r.created_at), next_seq())
                )  # fmt: skip
        conn.executemany(
            "INSERT INTO transfers (id, from_account, to_account, amount, kind, employee_id, "
            "rule_kind, order_id, created_at, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            transfers,
        )
        conn.executemany(
            "INSERT INTO lots (employee_id, earn_transfer_id, points, remaining, expired, "
            "expires_at, created_at, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            lots,
        )
    conn.execute("UPDATE change_counter SET value = ? WHERE id = 1", (seq,))
    conn.commit()
    conn.close()
    return seq


def fill_ledger_pg(dsn: str, workers: int, per_worker: int, now: datetime) -> None:
    """The same factory into an initialised PostgreSQL ledger, with COPY; holds become orders
    (mostly fulfilled, some waiting) so order reports have something to read."""
    import psycopg

    rng = random.Random(2)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for kind, pts, zh, en in RULES:
            cur.execute(
                "INSERT INTO rules (kind, points, validity_days, active, title_zh, title_en, "
                "updated_at) VALUES (%s, %s, 365, true, %s, %s, %s)",
                (kind, pts, zh, en, now),
            )
        for item_id, pts, cat, zh, en in ITEMS:
            cur.execute(
                "INSERT INTO items (id, title_zh, title_en, description_zh, description_en, "
                "category, points, active, updated_at) VALUES (%s, %s, %s, '', '', %s, %s, "
                "true, %s)",
                (item_id, zh, en, cat, pts, now),
            )
        prices = {item_id: pts for item_id, pts, *_ in ITEMS}
        transfer_id = 0
        batch: list[list[Row]] = []

        def flush() -> None:
            nonlocal transfer_id
            with cur.copy(
                "COPY employees (id, name, department, language, active, created_at) FROM STDIN"
            ) as copy:
                for rows in batch:
                    emp = rows[0].employee
                    copy.write_row(
                        (emp, f"工人{emp}", DEPARTMENTS[int(emp[1:]) % 6], "zh", True, now)
                    )
            with cur.copy("COPY accounts (id, employee_id, balance) FROM STDIN") as copy:
                for rows in batch:
                    emp = rows[0].employee
                    copy.write_row((f"wallet:{emp}", emp, max(0, sum(r.points for r in rows))))
            transfers, lots, orders = [], [], []
            for rows in batch:
                emp = rows[0].employee
                wallet = f"wallet:{emp}"
                for r in rows:
                    transfer_id += 1
                    source, target = (
                        ("issuance", wallet)
                        if r.points > 0
                        else (wallet, "expired" if r.kind == "expire" else "orders_held")
                    )
                    transfers.append(
                        (
                            transfer_id,
                            source,
                            target,
                            abs(r.points),
                            r.kind,
                            emp,
                            r.rule_kind,
                            r.order_id,
                            r.created_at,
                        )
                    )
                    if r.lot_expires is not None:
                        lots.append(
                            (
                                emp,
                                transfer_id,
                                r.points,
                                r.lot_remaining,
                                0,
                                r.lot_expires,
                                r.created_at,
                            )
                        )
                    if r.order_id is not None:
                        item_id = next(i for i, p in prices.items() if p == -r.points)
                        waiting = now - r.created_at < timedelta(days=30)
                        status = (
                            rng.choice(("pending", "approved"))
                            if waiting and rng.random() < 0.5
                            else "fulfilled"
                        )
                        orders.append(
                            (
                                r.order_id,
                                emp,
                                item_id,
                                1,
                                -r.points,
                                status,
                                False,
                                False,
                                "0" * 64,
                                r.created_at,
                                r.created_at,
                                r.created_at,
                            )
                        )
            with cur.copy(
                "COPY transfers (id, from_account, to_account, amount, kind, "
                "employee_id, rule_kind, order_id, created_at) FROM STDIN"
            ) as copy:
                for transfer in transfers:
                    copy.write_row(transfer)
            with cur.copy(
                "COPY lots (employee_id, earn_transfer_id, points, remaining, expired, "
                "expires_at, created_at) FROM STDIN"
            ) as copy:
                for lot in lots:
                    copy.write_row(lot)
            with cur.copy(
                "COPY orders (id, employee_id, item_id, quantity, points, status, "
                "refused, offline, request_hash, placed_at, created_at, updated_at) "
                "FROM STDIN"
            ) as copy:
                for order in orders:
                    copy.write_row(order)
            batch.clear()

        for rows in history(workers, per_worker, now):
            batch.append(rows)
            if len(batch) == 500:
                flush()
        if batch:
            flush()
        cur.execute("SELECT setval(pg_get_serial_sequence('transfers', 'id'), %s)", (transfer_id,))
        conn.commit()
        conn.autocommit = True
        cur.execute("ANALYZE")


def filled_kiosk_store(folder: Path, workers: int, per_worker: int) -> tuple[Store, list[str]]:
    """A kiosk store in ``folder``, enrolled with a new badge key and filled with the factory;
    returns it open, with the workers' QR texts."""
    from kiosk.store.database import open_store
    from kiosk.store.models import Device
    from ledger import keys

    key = Ed25519PrivateKey.generate()
    now = datetime.now(UTC)
    store = open_store(folder)
    with store.write() as session:
        session.add(
            Device(id=1, device_id="bench", name="bench", server_url="http://bench",
                   token="x", badge_public_key=keys.public_text(key), enrolled_at=now)
        )  # fmt: skip
    return store, fill_kiosk(str(store.path), workers, per_worker, key, now)
