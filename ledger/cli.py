"""The ``ledger`` command: set up, run and operate the central ledger."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from ledger import keys
from ledger.config import LedgerConfig
from ledger.domain import table_file
from ledger.domain.access import Role
from ledger.domain.device_caps import DeviceCaps
from ledger.domain.errors import LedgerError
from ledger.service import Actor, LedgerService
from ledger.storage.database import Database
from ledger.storage.schema import init_database, rotate_epoch


def _open(args: argparse.Namespace, *, with_key: bool = False) -> LedgerService:
    config = LedgerConfig.resolve(args.db, args.key_file)
    db = Database(config.db_url)
    key = keys.load(config.key_path) if with_key else None
    code_key = keys.load_code_key_if_present(config.code_key_path)
    return LedgerService(db, badge_key=key, actor=Actor.cli(), code_key=code_key)


def cmd_init(args: argparse.Namespace) -> int:
    config = LedgerConfig.resolve(args.db, args.key_file)
    config.ensure_sqlite_dir()
    key = keys.create_or_load(config.key_path)
    keys.create_or_load_code_key(config.code_key_path)
    db = Database(config.db_url)
    epoch = init_database(db, keys.public_text(key))
    print(f"ledger ready: {db.url.render_as_string(hide_password=True)} (epoch {epoch})")
    print(f"badge key: {config.key_path}")
    print(f"code key: {config.code_key_path}")
    return 0


# Sized for a site's kiosks and console users behind one reverse proxy (docs/DEPLOYMENT.md).
SERVE_LIMIT_CONCURRENCY = 1000
SERVE_KEEP_ALIVE_SECONDS = 5
SERVE_BACKLOG = 2048


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    config = LedgerConfig.resolve(args.db, args.key_file)
    keys.load(config.key_path)  # fail now, with one clear line, rather than in every worker
    # Workers are separate processes that build the app from the environment.
    os.environ["LEDGER_DB_URL"] = config.db_url
    os.environ["LEDGER_BADGE_KEY"] = str(config.key_path)
    os.environ["LEDGER_CODE_KEY"] = str(config.code_key_path)
    os.environ["LEDGER_JOBS"] = args.jobs
    uvicorn.run(
        "ledger.api.server:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=args.log_level in ("debug", "trace"),
        # Past this many open connections and requests a worker answers 503 at once rather
        # than queueing without bound; idle keep-alive connections are closed after a few
        # seconds so slow or idle clients cannot hold every slot.
        limit_concurrency=SERVE_LIMIT_CONCURRENCY,
        timeout_keep_alive=SERVE_KEEP_ALIVE_SECONDS,
        backlog=SERVE_BACKLOG,
    )
    return 0


def cmd_demo_seed(args: argparse.Namespace) -> int:
    from ledger.demo.seed import seed_demo

    summary = seed_demo(_open(args, with_key=True), workers=args.workers, seed=args.seed)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    print(_open(args).create_token(Role(args.role), name=args.name))
    return 0


def cmd_enroll_code(args: argparse.Namespace) -> int:
    code = _open(args).create_enroll_code(timedelta(hours=args.ttl_hours))
    print(code)
    if args.qr:
        if not args.url:
            raise ValueError("--qr needs --url, the ledger's address as kiosks reach it")
        import qrcode

        from sync import enrolment_qr

        qrcode.make(enrolment_qr.encode(args.url, code), box_size=8, border=4).save(args.qr)
        print(f"enrolment QR written to {args.qr}", file=sys.stderr)
    return 0


def cmd_badge_issue(args: argparse.Namespace) -> int:
    service = _open(args, with_key=True)
    kind = "rfid" if args.rfid else "admin" if args.admin else "qr"
    serial, payload = service.issue_badge(args.employee, kind, args.rfid)
    if payload is None:
        print(serial)
        return 0
    print(payload)
    if args.png:
        import qrcode

        qrcode.make(payload, box_size=8, border=4).save(args.png)
        print(f"QR image written to {args.png}", file=sys.stderr)
    return 0


def cmd_import_events(args: argparse.Namespace) -> int:
    """Import an events file as a batch (as the console does); exit 1 if a row was refused."""
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if len(data) > table_file.MAX_BYTES:
        print(f"error: {args.file}: larger than {table_file.MAX_BYTES >> 20} MB", file=sys.stderr)
        return 1
    service = _open(args)
    try:
        batch = service.import_events_file(data, path.name, table_file.Encoding(args.encoding))
    except table_file.TableError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1
    refused = service.import_refusals(batch.id, "import")
    report: dict[str, Any] = {
        "batch": batch.id,
        "file": path.name,
        "rows": batch.rows_total,
        "accepted": batch.accepted,
        "duplicates": batch.unchanged,
        "refused": batch.refused,
        "refused_rows": [
            {
                "line": r.line,
                "event_id": r.values.get("event_id", ""),
                "reason": r.reason,
                **({"detail": r.detail} if r.detail else {}),
            }
            for r in refused
        ],
    }
    earlier = service.earlier_import(batch)
    if earlier is not None:
        report["imported_before_in_batch"] = earlier
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if batch.refused else 0


def cmd_worker(args: argparse.Namespace) -> int:
    import threading

    from ledger.jobs.runner import JobRunner

    runner = JobRunner(_open(args).acting_as(Actor.system("jobs")))
    if args.once:
        for run in runner.run_due():
            print(f"{run.name}: {'ok' if run.ok else 'failed'} {run.result}")
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"ledger worker {runner.name}: running the jobs; Ctrl+C stops", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        runner.run_forever(stop, args.poll)
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    from ledger.jobs.runner import job_states

    service = _open(args)
    if args.run:
        service.run_job_now(args.run)
        print(f"{args.run}: due now; a runner starts it within a minute")
        return 0
    with service.db.read() as session:
        rows = [
            {
                "name": r.name,
                "last_run": r.last_started_at.isoformat() if r.last_started_at else None,
                "ok": r.last_ok,
                "result": r.last_result,
                "next_run": r.next_run.isoformat(),
                "running_on": r.leased_by or None,
                "runs": r.runs,
            }
            for r in job_states(session)
        ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no job has run yet: start `ledger serve` or `ledger worker`")
    for r in rows:
        state = "never" if r["ok"] is None else ("ok" if r["ok"] else "FAILED")
        print(
            f"{r['name']:<18} last {r['last_run'] or '-':<32} {state:<6} "
            f"next {r['next_run']:<32} {r['result']}"
        )
    return 0


def cmd_webhook_add(args: argparse.Namespace) -> int:
    secret = args.secret_file.read_text(encoding="utf-8").strip() if args.secret_file else None
    endpoint, made = _open(args).add_webhook(
        args.url, args.events.split(","), secret, args.description
    )
    print(json.dumps(endpoint, indent=2, ensure_ascii=False))
    if secret is None:
        # Printed once: the receiver needs it to check signatures.
        print(f"secret: {made}")
    return 0


def cmd_codes_add(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8-sig")
    upload = _open(args).add_codes(args.item, text)
    print(
        f"{args.item}: {upload.added} added, {upload.duplicates} already in a pool, "
        f"{upload.remaining} unused"
    )
    return 0


def cmd_codes_count(args: argparse.Namespace) -> int:
    counts = _open(args).pool_counts(args.item)
    print(f"{args.item}: {counts.remaining} unused, {counts.used} given to orders")
    return 0


def cmd_webhook_list(args: argparse.Namespace) -> int:
    print(json.dumps(_open(args).list_webhooks(), indent=2, ensure_ascii=False))
    return 0


def cmd_webhook_deliveries(args: argparse.Namespace) -> int:
    total, rows = _open(args).list_deliveries(args.endpoint, args.status, args.limit)
    print(json.dumps({"total": total, "deliveries": rows}, indent=2, ensure_ascii=False))
    return 0


def cmd_webhook_resend(args: argparse.Namespace) -> int:
    print(json.dumps(_open(args).resend_delivery(args.delivery_id), indent=2))
    return 0


def cmd_webhook_disable(args: argparse.Namespace) -> int:
    print(json.dumps(_open(args).set_webhook_active(args.endpoint_id, False), indent=2))
    return 0


def cmd_connector_add(args: argparse.Namespace) -> int:
    """A drop folder or a JSON endpoint whose events the ledger imports by itself."""
    token = args.token_file.read_text(encoding="utf-8").strip() if args.token_file else ""
    made = _open(args).add_connector(
        args.kind, args.name, path=args.path or "", url=args.url or "", token=token,
        interval_seconds=args.interval,
    )  # fmt: skip
    print(json.dumps(made, indent=2, ensure_ascii=False))
    return 0


def cmd_connector_edit(args: argparse.Namespace) -> int:
    token = args.token_file.read_text(encoding="utf-8").strip() if args.token_file else None
    changed = _open(args).edit_connector(
        args.name, path=args.path, url=args.url, token=token, interval_seconds=args.interval
    )
    print(json.dumps(changed, indent=2, ensure_ascii=False))
    return 0


def cmd_connector_list(args: argparse.Namespace) -> int:
    print(json.dumps(_open(args).list_connectors(), indent=2, ensure_ascii=False))
    return 0


def cmd_connector_active(args: argparse.Namespace) -> int:
    changed = _open(args).set_connector_active(args.name, args.action == "enable")
    print(json.dumps(changed, indent=2, ensure_ascii=False))
    return 0


def cmd_connector_run(args: argparse.Namespace) -> int:
    """Run one connector now, here; exit 1 when the run failed or another run holds it."""
    from ledger.jobs.connectors import run_connectors

    service = _open(args)
    service.connector(args.name)  # not found: said as such
    done = run_connectors(service, args.name)
    row = service.connector(args.name)
    if not done:
        print(f"error: {args.name} is disabled or being run elsewhere", file=sys.stderr)
        return 1
    print(json.dumps(row, indent=2, ensure_ascii=False))
    return 0 if row["last_ok"] else 1


def cmd_import_roster(args: argparse.Namespace) -> int:
    """The console's roster import from a file: the same reading, plan and use case."""
    from ledger.domain.table_file import Encoding, TableError

    service = _open(args)
    data = Path(args.file).read_bytes()
    encoding = Encoding(args.encoding)
    try:
        if args.dry_run:
            plan = service.plan_roster(
                data, encoding=encoding, deactivate_missing=args.deactivate_missing
            ).plan
        else:
            made = service.preview_roster(
                data, Path(args.file).name, encoding=encoding,
                deactivate_missing=args.deactivate_missing,
            )  # fmt: skip
            plan = made.reading.plan
            service.import_roster(made.batch_id)
    except TableError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    report: dict[str, Any] = {"dry_run": args.dry_run, **plan.counts()}
    if not args.dry_run:
        report["batch"] = made.batch_id
    report["new_employees"] = [c.employee_id for c in plan.new]
    report["changed_employees"] = {
        c.employee_id: {name: list(pair) for name, pair in c.fields.items()} for c in plan.changed
    }
    report["deactivated_employees"] = [m.employee_id for m in plan.deactivate]
    if plan.blocked is not None:
        report["not_deactivated"] = {"reason": plan.blocked.value, "employees": plan.kept_missing}
    report["refused_rows"] = [
        {"line": r.line, "reason": r.reason.value, **r.detail} for r in plan.refused
    ]
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 1 if plan.refused else 0


def cmd_notify_channel_add(args: argparse.Namespace) -> int:
    secret = args.secret_file.read_text(encoding="utf-8").strip() if args.secret_file else ""
    channel = _open(args).add_notify_channel(
        args.kind, args.name, args.target, args.topics.split(","), args.mode, args.language,
        secret,
    )  # fmt: skip
    print(json.dumps(channel, indent=2, ensure_ascii=False))
    return 0


def cmd_notify_channel_list(args: argparse.Namespace) -> int:
    print(json.dumps(_open(args).list_notify_channels(), indent=2, ensure_ascii=False))
    return 0


def cmd_notify_channel_test(args: argparse.Namespace) -> int:
    """Send a test message now and say how it went (also listed with the others)."""
    from ledger.jobs.notifications import send_due
    from ledger.notify import config as notify_config

    service = _open(args)
    note_id = service.queue_test_notification(args.channel_id)
    send_due(service, notify_config.load(), only=note_id)
    [row] = [n for n in service.list_notifications(limit=50)[1] if n["id"] == note_id]
    print(json.dumps(row, indent=2, ensure_ascii=False))
    return 0 if row["status"] == "sent" else 1


def cmd_notify_channel_disable(args: argparse.Namespace) -> int:
    print(json.dumps(_open(args).set_notify_channel_active(args.channel_id, False), indent=2))
    return 0


def cmd_notify_list(args: argparse.Namespace) -> int:
    total, rows = _open(args).list_notifications("failed" if args.failed else None, args.limit)
    print(json.dumps({"total": total, "notifications": rows}, indent=2, ensure_ascii=False))
    return 0


def cmd_notify_resend(args: argparse.Namespace) -> int:
    print(json.dumps(_open(args).resend_notification(args.notification_id), indent=2,
                     ensure_ascii=False))  # fmt: skip
    return 0


def cmd_notify_waiting_days(args: argparse.Namespace) -> int:
    service = _open(args)
    days = (
        service.set_notify_waiting_days(args.days) if args.days else service.notify_waiting_days()
    )
    print(days)
    return 0


def cmd_expire(args: argparse.Namespace) -> int:
    result = _open(args).run_expiry()
    print(json.dumps({"expired_points": result.expired_points, "lots": result.lots}))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    report = _open(args).audit_report()
    print(json.dumps(report.as_dict(), indent=2))
    return 0 if report.ok else 1


def cmd_rotate_epoch(args: argparse.Namespace) -> int:
    config = LedgerConfig.resolve(args.db, args.key_file)
    print(rotate_epoch(Database(config.db_url)))
    return 0


def cmd_pin_set(args: argparse.Namespace) -> int:
    # Read the PIN from stdin (or a prompt), never from argv, where `ps` would show it.
    if sys.stdin.isatty():
        import getpass

        pin = getpass.getpass(f"PIN for {args.employee}: ")
    else:
        pin = sys.stdin.readline().strip()
    _open(args).set_pin(args.employee, pin)
    print(f"PIN set for {args.employee}")
    return 0


def cmd_pin_clear(args: argparse.Namespace) -> int:
    _open(args).set_pin(args.employee, None)
    print(f"PIN cleared for {args.employee}")
    return 0


def cmd_employee_contact(args: argparse.Namespace) -> int:
    """Set or clear a worker's personal e-mail address; without either, show it."""
    service = _open(args)
    if args.clear or args.email is not None:
        changed = service.set_worker_email(args.employee, "" if args.clear else args.email)
        print(f"{'changed' if changed else 'unchanged'}: {args.employee}")
    shown = service.worker_email(args.employee)
    print(f"{args.employee} e-mail: {shown or '(none)'}")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    devices = _open(args).list_devices(
        timedelta(minutes=args.stale_minutes), timedelta(minutes=args.backlog_minutes)
    )
    if args.json:
        print(json.dumps(devices, indent=2, default=str, ensure_ascii=False))
        return 0
    print(
        f"{'name':<24} {'version':<9} {'last seen':<17} {'last sync':<17} {'unsent':>6} "
        f"{'today':>15}  flags"
    )
    for d in devices:
        flags = [f for f in ("revoked", "stale", "backlog", "capped") if d[f]]
        today = f"{d['day_orders']}/{d['day_points']}"
        seen = d["last_seen_at"].strftime("%Y-%m-%d %H:%M") if d["last_seen_at"] else "never"
        synced = d["last_sync_at"].strftime("%Y-%m-%d %H:%M") if d["last_sync_at"] else "never"
        print(
            f"{d['name'][:24]:<24} {d['version'] or '-':<9} {seen:<17} {synced:<17} "
            f"{d['outbox']:>6} {today:>15}  {' '.join(flags).upper() or 'ok'}"
        )
    return 0


def cmd_device_caps(args: argparse.Namespace) -> int:
    service = _open(args)
    changes = {
        name: getattr(args, name)
        for name in DeviceCaps.model_fields
        if getattr(args, name) is not None
    }
    caps = service.update_device_caps(changes) if changes else service.device_caps()
    for name, value in caps.model_dump().items():
        print(f"{name:<16} {value if value else 'no cap'}")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    """Expiry reminders: the days before expiry (shown, or set with --days), the latest sent."""
    service = _open(args)
    if args.days is not None:
        days = [int(part) for part in args.days.split(",") if part.strip()]
        settings = service.update_reminder_settings(days)
    else:
        settings = service.reminder_settings()
    shown = ", ".join(str(d) for d in settings.days) or "off"
    print(f"reminder days before expiry: {shown}")
    total, rows = service.list_reminders(args.limit)
    print(f"reminders sent: {total}")
    for row in rows:
        print(
            f"{row['sent_at']:%Y-%m-%d %H:%M}  {row['employee_id']:<12} {row['points']:>9,}  "
            f"expires {row['expires_at']:%Y-%m-%d}  ({row['threshold_days']} days before)"
        )
    return 0


def cmd_device_revoke(args: argparse.Namespace) -> int:
    _open(args).revoke_device(args.device_id)
    print(f"device {args.device_id} revoked")
    return 0


def _read_password(prompt: str) -> str:
    """From the terminal (twice) or, when piped, the first line of stdin."""
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt)
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_user_create(args: argparse.Namespace) -> int:
    from ledger.domain.console_users import ConsoleRole

    password = _read_password(f"password for {args.name}: ")
    _open(args).create_user(args.name, ConsoleRole(args.role), password)
    print(f"console user {args.name} ({args.role}) created")
    return 0


def cmd_user_reset_password(args: argparse.Namespace) -> int:
    from ledger.domain.console_users import UserError, list_users

    service = _open(args)
    with service.db.read() as session:
        found = [u.id for u in list_users(session) if u.name == args.name]
    if not found:
        raise UserError(f"no console user {args.name!r}")
    password = _read_password(f"new password for {args.name}: ")
    # The way back in for an admin who is locked out or forgot: the lock is lifted too.
    service.reset_password(found[0], password)
    print(f"password of {args.name} reset; it must be changed at the next sign-in")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from ledger.domain.console_users import list_users

    service = _open(args)
    with service.db.read() as session:
        for user in list_users(session):
            state = "disabled" if user.disabled_at else "active"
            print(f"{user.name:<24} {user.role:<6} {state}")
    return 0


def _common_options(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=default, help="database URL (default: LEDGER_DB_URL or a local SQLite file)"
    )
    common.add_argument(
        "--key-file",
        default=default,
        help="badge key PEM (default: LEDGER_BADGE_KEY, or beside a SQLite database)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ledger", description=__doc__, parents=[_common_options(None)]
    )
    # The options work after the subcommand too; SUPPRESS keeps a value given before it.
    common = _common_options(argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, fn: Any, help_text: str, parent: Any = sub) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, parents=[common])
        p.set_defaults(fn=fn)
        return p

    add("init", cmd_init, "create or upgrade the database and the badge key")
    serve = add("serve", cmd_serve, "run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.add_argument(
        "--jobs",
        choices=["in-process", "worker"],
        default=os.environ.get("LEDGER_JOBS", "in-process"),
        help="run the scheduled jobs here (default), or leave them to `ledger worker`",
    )
    worker = add("worker", cmd_worker, "run the scheduled jobs (expiry, ...) until stopped")
    worker.add_argument("--poll", type=float, default=2.0, help="seconds between looks")
    worker.add_argument("--once", action="store_true", help="run what is due, then exit")
    codes = sub.add_parser("codes", help="code pools of code_pool items").add_subparsers(
        dest="action", required=True
    )
    codes_add = add("add", cmd_codes_add, "add codes (one a line) to ITEM's pool", codes)
    codes_add.add_argument("item")
    codes_add.add_argument("file", type=Path, help="a text or CSV file, one code a line; - stdin")
    codes_count = add("count", cmd_codes_count, "ITEM's unused and given codes", codes)
    codes_count.add_argument("item")
    webhook = sub.add_parser("webhook", help="webhooks out").add_subparsers(
        dest="action", required=True
    )
    hook_add = add("add", cmd_webhook_add, "send events of these types to URL", webhook)
    hook_add.add_argument("url")
    hook_add.add_argument("--events", required=True, help="comma-separated, e.g. order.placed")
    hook_add.add_argument(
        "--secret-file", type=Path, help="the signing secret (default: a new one, printed once)"
    )
    hook_add.add_argument("--description", default="")
    add("list", cmd_webhook_list, "the endpoints and their deliveries' counts", webhook)
    hook_deliveries = add("deliveries", cmd_webhook_deliveries, "deliveries, newest first", webhook)
    hook_deliveries.add_argument("--endpoint", type=int)
    hook_deliveries.add_argument("--status", choices=["pending", "delivered", "failed"])
    hook_deliveries.add_argument("--limit", type=int, default=50)
    hook_resend = add("resend", cmd_webhook_resend, "send a failed delivery again", webhook)
    hook_resend.add_argument("delivery_id", type=int)
    hook_disable = add("disable", cmd_webhook_disable, "stop sending to an endpoint", webhook)
    hook_disable.add_argument("endpoint_id", type=int)
    connector = sub.add_parser("connector", help="HR systems in").add_subparsers(
        dest="action", required=True
    )
    conn_add = connector.add_parser("add", help="a drop folder or a JSON endpoint")
    conn_kinds = conn_add.add_subparsers(dest="kind", required=True)
    conn_folder = add("folder", cmd_connector_add, "CSV/xlsx files dropped in DIR", conn_kinds)
    conn_folder.add_argument("name")
    conn_folder.add_argument("--path", required=True, help="the folder (absolute)")
    conn_http = add("http", cmd_connector_add, "a JSON endpoint pulled with a cursor", conn_kinds)
    conn_http.add_argument("name")
    conn_http.add_argument("--url", required=True)
    conn_http.add_argument("--token-file", type=Path, help="a bearer token sent to the URL")
    for conn_kind in (conn_folder, conn_http):
        conn_kind.add_argument("--interval", type=int, default=60, help="seconds between runs")
        conn_kind.set_defaults(path=None, url=None, token_file=None)
    conn_edit = add("edit", cmd_connector_edit, "change a connector", connector)
    conn_edit.add_argument("name")
    conn_edit.add_argument("--path")
    conn_edit.add_argument("--url")
    conn_edit.add_argument("--token-file", type=Path)
    conn_edit.add_argument("--interval", type=int)
    add("list", cmd_connector_list, "connectors with their last run", connector)
    for verb, help_text in (("disable", "stop running a connector"), ("enable", "run it again")):
        add(verb, cmd_connector_active, help_text, connector).add_argument("name")
    add("run", cmd_connector_run, "run a connector now, here", connector).add_argument("name")
    notify = sub.add_parser("notify", help="notifications to HR").add_subparsers(
        dest="action", required=True
    )
    channel = notify.add_parser("channel", help="group robots, webhooks, mailboxes")
    channels = channel.add_subparsers(dest="channel_action", required=True)
    channel_add = add("add", cmd_notify_channel_add, "a channel told of TOPICS", channels)
    channel_add.add_argument("kind", choices=["email", "wecom", "dingtalk", "feishu", "webhook"])
    channel_add.add_argument("target", help="the robot's or webhook's URL, or a mail address")
    channel_add.add_argument("--name", default="")
    channel_add.add_argument(
        "--topics", required=True,
        help="comma-separated: order.placed, orders.waiting, webhook.failed, code_pool.low, "
        "fulfilment.failed",
    )  # fmt: skip
    channel_add.add_argument("--mode", choices=["instant", "digest"], default="instant",
                             help="new orders at once, or one digest an hour")  # fmt: skip
    channel_add.add_argument("--language", choices=["zh", "en"], default="zh")
    channel_add.add_argument(
        "--secret-file", type=Path, help="DingTalk's or Feishu's signing secret, a webhook's key"
    )
    add("list", cmd_notify_channel_list, "the channels", channels)
    channel_test = add("test", cmd_notify_channel_test, "send a test message now", channels)
    channel_test.add_argument("channel_id", type=int)
    channel_off = add("disable", cmd_notify_channel_disable, "stop sending to it", channels)
    channel_off.add_argument("channel_id", type=int)
    notify_list = add("list", cmd_notify_list, "messages, newest first", notify)
    notify_list.add_argument("--failed", action="store_true", help="only those given up")
    notify_list.add_argument("--limit", type=int, default=50)
    notify_resend = add("resend", cmd_notify_resend, "send a failed message again", notify)
    notify_resend.add_argument("notification_id", type=int)
    waiting = add("waiting-days", cmd_notify_waiting_days, "orders waiting longer are listed daily",
                  notify)  # fmt: skip
    waiting.add_argument("days", type=int, nargs="?")
    jobs = add("jobs", cmd_jobs, "each job's last run, result and next run")
    jobs.add_argument("--run", metavar="NAME", help="make the job due now")
    jobs.add_argument("--json", action="store_true", help="JSON instead of a table")
    seed = add("demo-seed", cmd_demo_seed, "fill the database with a demo factory")
    seed.add_argument("--workers", type=int, default=200)
    seed.add_argument("--seed", type=int, default=7)
    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    create = add("create", cmd_token_create, "create an API token; prints it", token)
    create.add_argument("--role", choices=[Role.HR.value, Role.ADMIN.value], required=True)
    create.add_argument("--name", default="")
    code = add("enroll-code", cmd_enroll_code, "a one-time kiosk enrolment code; prints it")
    code.add_argument("--ttl-hours", type=int, default=24)
    code.add_argument("--qr", type=Path, help="also write a QR code (URL + code) for the kiosk")
    code.add_argument("--url", help="the ledger's URL as kiosks reach it (for --qr)")
    badge = sub.add_parser("badge", help="badges").add_subparsers(dest="action", required=True)
    issue = add("issue", cmd_badge_issue, "issue a QR badge (or --rfid UID)", badge)
    issue.add_argument("employee")
    issue.add_argument("--png", type=Path, help="also write the QR code as a PNG")
    issue.add_argument("--rfid", metavar="UID", help="register an RFID card instead")
    issue.add_argument(
        "--admin", action="store_true", help="a maintenance badge for IT (opens a kiosk's panel)"
    )
    pin = sub.add_parser("pin", help="worker PINs").add_subparsers(dest="action", required=True)
    add("set", cmd_pin_set, "set a worker's PIN (read from stdin)", pin).add_argument("employee")
    add("clear", cmd_pin_clear, "remove a worker's PIN", pin).add_argument("employee")
    employee = sub.add_parser("employee", help="a worker's record").add_subparsers(
        dest="action", required=True
    )
    contact = add("contact", cmd_employee_contact, "a worker's personal e-mail address", employee)
    contact.add_argument("employee")
    choice = contact.add_mutually_exclusive_group()
    choice.add_argument("--email", help="where their orders' news and expiry reminders go")
    choice.add_argument("--clear", action="store_true", help="remove the address")
    imp = add("import-events", cmd_import_events, "import HR events from CSV or xlsx")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--encoding",
        choices=[e.value for e in table_file.Encoding],
        default=table_file.Encoding.AUTO.value,
        help="a CSV file's encoding (auto: UTF-8, else GB18030; xlsx needs none)",
    )
    ros = add("import-roster", cmd_import_roster, "import the roster (CSV or .xlsx) from HR")
    ros.add_argument("file", type=Path)
    ros.add_argument(
        "--encoding", choices=["auto", "utf-8", "gbk", "gb18030"], default="auto",
        help="of a CSV file (default: UTF-8, else GB18030)",
    )  # fmt: skip
    ros.add_argument(
        "--deactivate-missing", action="store_true",
        help="deactivate active employees not in the file (only when no row is refused)",
    )  # fmt: skip
    ros.add_argument("--dry-run", action="store_true", help="only show what would change")
    add("expire", cmd_expire, "run the expiry job")
    add("audit", cmd_audit, "check the ledger's invariants")
    add("rotate-epoch", cmd_rotate_epoch, "new epoch after a restore: kiosks resnapshot")
    devices = add("devices", cmd_devices, "list kiosks: version, last seen, backlog, flags")
    devices.add_argument("--stale-minutes", type=int, default=15, help="silent longer: stale")
    devices.add_argument("--backlog-minutes", type=int, default=10, help="unsent longer: backlog")
    devices.add_argument("--json", action="store_true", help="JSON instead of a table")
    user = sub.add_parser("user", help="HR console users").add_subparsers(
        dest="action", required=True
    )
    user_create = add(
        "create", cmd_user_create, "create a console user (password from stdin)", user
    )
    user_create.add_argument("name")
    user_create.add_argument("--role", choices=["hr", "admin"], required=True)
    add("list", cmd_user_list, "list console users", user)
    reset = add(
        "reset-password", cmd_user_reset_password, "give a user a new password (from stdin)", user
    )
    reset.add_argument("name")
    reminders = add(
        "reminders", cmd_reminders, "expiry reminders: show or set their days, list those sent"
    )
    reminders.add_argument("--days", metavar="D,D", help="days before expiry, e.g. 30,7 ('' off)")
    reminders.add_argument("--limit", type=int, default=20, metavar="N")
    device = sub.add_parser("device", help="kiosks").add_subparsers(dest="action", required=True)
    revoke = add("revoke", cmd_device_revoke, "disable a kiosk's token", device)
    revoke.add_argument("device_id")
    caps = add("caps", cmd_device_caps, "show or set the caps per kiosk (0: no cap)", device)
    for name in DeviceCaps.model_fields:
        caps.add_argument(f"--{name.replace('_', '-')}", dest=name, type=int, metavar="N")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except LedgerError as exc:
        print(f"error: {exc.code.value}: {exc.message}", file=sys.stderr)
        return 2
    except (FileNotFoundError, LookupError, ValueError, RuntimeError) as exc:  # UserError too
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
