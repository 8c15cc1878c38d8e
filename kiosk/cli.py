"""The ``kiosk`` command: enrol this kiosk, sync it, and show its state."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.order_states import OutboxState
from kiosk.runtime import EnrolmentError, KioskRuntime
from kiosk.store.database import StoreDamaged
from kiosk.store.models import (
    Badge,
    Device,
    Employee,
    Entry,
    Item,
    Lot,
    Order,
    Outbox,
    Rule,
    SyncState,
)
from kiosk.store.recovery import recover_store
from sync.engine import SyncReport
from sync.version import __version__


def _runtime(config: KioskConfig) -> KioskRuntime:
    # The CLI reports damage instead of repairing behind IT's back; `kiosk repair` fixes it.
    return KioskRuntime.open(config, recover=False)


def cmd_enroll(config: KioskConfig, args: argparse.Namespace) -> int:
    runtime = _runtime(config)
    try:
        info = runtime.enroll(args.server, args.code, args.name or socket.gethostname()[:80])
    finally:
        runtime.close()
    print(f"enrolled as {info.name} (device {info.device_id}) with {info.server_url}")
    return 0


def summary(report: SyncReport) -> str:
    """One line a person can read."""
    parts = [
        f"pushed {report.created} new, {report.duplicates} already known, "
        f"{report.rejected} refused, {report.retry} to retry"
    ]
    if report.rejections:
        parts.append(
            "refused: " + ", ".join(f"{oid[:8]} {code}" for oid, code in report.rejections[:10])
        )
    if report.resnapshot:
        parts.append("reloaded a full snapshot")
    parts.append(f"pulled {report.rows} rows in {report.pages} pages")
    if report.images:
        parts.append(f"{report.images} pictures")
    if report.error:
        parts.append(f"error: {report.error}")
    return "; ".join(parts)


def cmd_sync(config: KioskConfig, _args: argparse.Namespace) -> int:
    runtime = _runtime(config)
    try:
        report = runtime.sync_once()
    finally:
        runtime.close()
    print(summary(report))
    return 0 if report.error is None else 1


def status_document(runtime: KioskRuntime) -> dict[str, Any]:
    """What ``kiosk status`` prints: enrolment, sync position, outbox and mirror sizes."""
    with runtime.store.read() as session:
        device = session.get(Device, 1)
        state = session.get_one(SyncState, 1)
        outbox = dict(
            session.execute(select(Outbox.state, func.count()).group_by(Outbox.state)).all()
        )
        counts = {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Employee, Badge, Entry, Lot, Item, Rule, Order)
        }
        return {
            "version": __version__,
            "data_dir": str(runtime.config.data_dir),
            "device": None
            if device is None
            else {"id": device.device_id, "name": device.name, "enrolled_at": device.enrolled_at},
            "server": runtime.config.server_url or (device.server_url if device else None),
            "cursor": state.cursor,
            "epoch": state.epoch,
            "last_sync": state.last_success_at,
            "last_error": state.last_error,
            "outbox": {
                "unsent": int(outbox.get(OutboxState.QUEUED, 0)),
                "delivered": int(outbox.get(OutboxState.DELIVERED, 0)),
                "refused": int(outbox.get(OutboxState.REJECTED, 0)),
            },
            "counts": counts,
        }


def cmd_status(config: KioskConfig, _args: argparse.Namespace) -> int:
    runtime = _runtime(config)
    try:
        document = status_document(runtime)
    finally:
        runtime.close()
    print(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    return 0


def cmd_repair(config: KioskConfig, _args: argparse.Namespace) -> int:
    store, report = recover_store(config.data_dir)
    store.close()
    print(f"the old store is at {report.moved_to}")
    print(
        f"enrolment {'kept' if report.device_restored else 'lost: run `kiosk enroll` again'}; "
        f"{report.orders_requeued} orders will be sent again (the ledger ignores repeats)"
    )
    for problem in report.unreadable:
        print(f"could not read {problem}")
    print("run `kiosk sync --once` to reload everything else from the ledger")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Points Kiosk")
    parser.add_argument("--version", action="version", version=f"points-kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    enroll = sub.add_parser("enroll", help="enrol this kiosk with a one-time code from IT")
    enroll.add_argument("--server", required=True, help="the ledger's URL, e.g. https://points")
    enroll.add_argument("--code", required=True, help="the one-time enrolment code")
    enroll.add_argument("--name", help="this kiosk's name (default: the host name)")
    enroll.set_defaults(fn=cmd_enroll)
    sync = sub.add_parser("sync", help="sync with the ledger")
    sync.add_argument("--once", action="store_true", required=True, help="one pass, then exit")
    sync.set_defaults(fn=cmd_sync)
    sub.add_parser("status", help="this kiosk's state as JSON").set_defaults(fn=cmd_status)
    sub.add_parser("repair", help="set a damaged store aside and start a fresh one").set_defaults(
        fn=cmd_repair
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(load_config(), args))
    except (ConfigError, EnrolmentError, StoreDamaged) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
