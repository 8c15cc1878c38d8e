"""``make demo``: an embedded ledger on SQLite with the demo factory, served on loopback."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from ledger import keys
from ledger.config import LedgerConfig
from ledger.demo.fonts import MissingFontError
from ledger.demo.images import badge_sheet
from ledger.demo.seed import seed_demo
from ledger.domain.access import Role
from ledger.service import Actor, LedgerService
from ledger.storage.database import Database
from ledger.storage.models import Employee
from ledger.storage.schema import init_database


def prepare(db_url: str, workers: int = 200) -> tuple[LedgerService, Path]:
    """Initialise and seed (once) the demo database; returns the service and the badges file.

    A new SQLite database is seeded under a temporary name and moved into place when the
    factory is complete, so a first run stopped while seeding leaves no half-made demo.
    """
    config = LedgerConfig.resolve(db_url)
    config.ensure_sqlite_dir()
    database = Path(make_url(db_url).database or "ledger.db")
    badges_file = database.with_name("demo-badges.json")
    if make_url(db_url).get_backend_name() == "sqlite" and not database.exists():
        partial = database.with_name(database.name + ".seeding")
        for leftover in _sqlite_files(partial):
            leftover.unlink(missing_ok=True)
        aside = LedgerConfig.resolve(f"sqlite:///{partial}", key_path=config.key_path)
        service = _open(aside)
        _seed(service, badges_file, workers)
        service.db.dispose()
        for source, target in zip(_sqlite_files(partial), _sqlite_files(database), strict=True):
            if source.exists():  # a WAL file left beside the database moves with it
                source.rename(target)
    service = _open(config)
    with service.db.read() as session:
        seeded = bool(session.scalar(select(func.count()).select_from(Employee)))
    if not seeded:
        _seed(service, badges_file, workers)
    return service, badges_file


def _sqlite_files(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm")]


def _open(config: LedgerConfig) -> LedgerService:
    key = keys.create_or_load(config.key_path)
    db = Database(config.db_url)
    code_key = keys.create_or_load_code_key(config.code_key_path)
    init_database(db, keys.public_text(key))
    return LedgerService(db, badge_key=key, code_key=code_key)


def _seed(service: LedgerService, badges_file: Path, workers: int) -> None:
    print("Seeding the demo factory (about half a minute)…", flush=True)
    summary = seed_demo(service, workers=workers)
    badges_file.write_text(json.dumps(summary["badges"], ensure_ascii=False, indent=2))
    badges_file.with_suffix(".png").write_bytes(badge_sheet(summary["badges"]))


def demo_tokens(service: LedgerService, path: Path) -> tuple[str, str]:
    """The demo's HR and admin tokens: made once, then read back (the ledger keeps only hashes)."""
    if path.exists():
        saved = json.loads(path.read_text())
        return saved["hr"], saved["admin"]
    tokens = {
        "hr": service.create_token(Role.HR, name="demo HR"),
        "admin": service.create_token(Role.ADMIN, name="demo admin"),
    }
    path.touch(mode=0o600)
    path.write_text(json.dumps(tokens, indent=2))
    return tokens["hr"], tokens["admin"]


DEMO_CONSOLE_USERS = (("hr", "hr", "demo-hr-password"), ("admin", "admin", "demo-admin-password"))


def demo_console_users(service: LedgerService) -> None:
    """The demo's HR console users (``hr`` and ``admin``), created once."""
    from ledger.domain.console_users import ConsoleRole, list_users

    with service.db.read() as session:
        existing = {user.name for user in list_users(session)}
    for name, role, password in DEMO_CONSOLE_USERS:
        if name not in existing:
            demo = service.acting_as(Actor.system("demo"))
            demo.create_user(name, ConsoleRole(role), password)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ledger.demo.run")
    parser.add_argument("--db", required=True, help="a sqlite:/// URL for the demo database")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--code-file", type=Path, help="also write the enrolment code here")
    parser.add_argument(
        "--fd",
        type=int,
        help="serve on this bound socket, inherited from `make demo` (--host/--port name it)",
    )
    args = parser.parse_args(argv)

    try:
        service, badges_file = prepare(args.db)
    except MissingFontError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    hr, admin = demo_tokens(service, badges_file.with_name("demo-tokens.json"))
    demo_console_users(service)
    code = service.create_enroll_code()
    if args.code_file:
        args.code_file.write_text(code + "\n")
    base = f"http://{args.host}:{args.port}"
    badges = json.loads(badges_file.read_text()) if badges_file.exists() else []
    print(
        f"""
Points Ledger demo — {base}
  HR console:    {base}/admin  (user hr / demo-hr-password, or admin / demo-admin-password)
  health:        {base}/health
  API docs:      {base}/api/docs
  HR token:      {hr}
  admin token:   {admin}
  enrol a kiosk: code {code}  (POST {base}/api/v1/devices/enroll)

Try:  curl -H "Authorization: Bearer {hr}" {base}/api/v1/employees/E1001
      curl -H "Authorization: Bearer {hr}" "{base}/api/v1/orders?status=pending"

Demo badges (scan text and PINs): {badges_file}
Printable badge sheet: {badges_file.with_suffix(".png")}"""
    )
    for badge in badges[:3]:
        print(f"  {badge['employee_id']} {badge['name']}: {badge['qr']}")
    print("\nCtrl+C stops the ledger; the data stays for the next `make demo`.\n", flush=True)

    import uvicorn

    from ledger.api.app import create_app
    from ledger.jobs.runner import InProcessJobs, JobRunner

    app = create_app(service, jobs=InProcessJobs(JobRunner(service)))
    if args.fd is None:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    else:
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        server.run(sockets=[socket.socket(fileno=args.fd)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
