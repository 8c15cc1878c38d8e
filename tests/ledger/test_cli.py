"""The ``ledger`` command, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import qrcode  # noqa: F401  (the badge PNG needs it installed)

from ledger.domain.console_users import SignInRefused
from ledger.service import LedgerService
from ledger.storage.database import Database
from sync import badge_codec


@pytest.fixture
def ledger_cmd(db_url: str, tmp_path: Path):
    key = tmp_path / "key.pem"

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "ledger.cli", *args, "--db", db_url, "--key-file", str(key)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    run("init")
    return run


def test_init_is_idempotent_and_keeps_the_key(ledger_cmd, tmp_path):
    key = (tmp_path / "key.pem").read_bytes()
    assert "ledger ready" in ledger_cmd("init").stdout
    assert (tmp_path / "key.pem").read_bytes() == key
    assert oct((tmp_path / "key.pem").stat().st_mode & 0o777) == "0o600"


def test_token_and_enroll_code_print_only_the_value(ledger_cmd):
    token = ledger_cmd("token", "create", "--role", "hr").stdout
    assert token.count("\n") == 1 and token.startswith("pk_hr_")
    code = ledger_cmd("enroll-code").stdout.strip()
    assert len(code) == 14 and code.count("-") == 2
    bad = ledger_cmd("token", "create", "--role", "root", check=False)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_demo_seed_badge_issue_and_audit(ledger_cmd, tmp_path):
    summary = json.loads(ledger_cmd("demo-seed", "--workers", "12").stdout)
    assert summary["employees"] == 12 and summary["items"] >= 15 and summary["audit_ok"]
    assert summary["orders"] > 0 and summary["events"] > 0
    png = tmp_path / "badge.png"
    payload = ledger_cmd("badge", "issue", "E1001", "--png", str(png)).stdout.strip()
    assert payload.startswith("PK1.E1001.")
    assert png.read_bytes().startswith(b"\x89PNG")
    from ledger import keys

    public = keys.load(tmp_path / "key.pem").public_key()
    assert badge_codec.verify(payload, public).employee_id == "E1001"
    serial = ledger_cmd("badge", "issue", "E1001", "--rfid", "04:AA:BB:CC").stdout.strip()
    assert len(serial) == 10
    unknown = ledger_cmd("badge", "issue", "E0000", check=False)
    assert unknown.returncode == 2 and "unknown_employee" in unknown.stderr
    assert json.loads(ledger_cmd("audit").stdout)["ok"] is True
    assert json.loads(ledger_cmd("expire").stdout)["expired_points"] == 0
    again = ledger_cmd("demo-seed", "--workers", "3", check=False)
    assert again.returncode == 2 and "already has employees" in again.stderr


def test_import_events_from_csv_is_idempotent(ledger_cmd, tmp_path):
    ledger_cmd("demo-seed", "--workers", "3")
    csv_file = tmp_path / "events.csv"
    csv_file.write_text(
        "event_id,kind,employee_id,occurred_at\n"
        "hr-1,performance.excellent,E1001,2026-11-01T09:00:00+08:00\n"
        "hr-2,training.completed,E1002,2026-11-02T09:00:00+08:00\n"
        "hr-3,no.such.kind,E1002,2026-11-02T09:00:00+08:00\n"
        "hr-4,training.completed,E1003,yesterday\n",
        encoding="utf-8",
    )
    first = ledger_cmd("import-events", str(csv_file), check=False)
    assert first.returncode == 1
    report = json.loads(first.stdout)
    assert report["accepted"] == 2 and report["duplicates"] == 0 and report["refused"] == 2
    assert report["refused_rows"] == [
        {
            "line": 4,
            "event_id": "hr-3",
            "reason": "unknown_kind",
            "detail": {"value": "no.such.kind"},
        },
        {"line": 5, "event_id": "hr-4", "reason": "bad_time", "detail": {"value": "yesterday"}},
    ]
    second = json.loads(ledger_cmd("import-events", str(csv_file), check=False).stdout)
    assert second["accepted"] == 0 and second["duplicates"] == 2
    assert second["imported_before_in_batch"] == report["batch"]
    # GBK with Chinese headers and semicolons, the encoding named; refusing nothing: exit 0.
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(
        "事件编号;类型;工号;时间\nhr-5;training.completed;E1003;2026-11-03 09:00\n".encode("gbk")
    )
    third = ledger_cmd("import-events", str(gbk), "--encoding", "gbk", check=False)
    assert third.returncode == 0 and json.loads(third.stdout)["accepted"] == 1
    missing = ledger_cmd("import-events", str(tmp_path / "nope.csv"), check=False)
    assert missing.returncode == 1 and missing.stderr.startswith("error:")
    assert json.loads(ledger_cmd("audit").stdout)["ok"] is True


def test_rotate_epoch_and_device_revoke(ledger_cmd):
    epoch = ledger_cmd("rotate-epoch").stdout.strip()
    assert len(epoch) == 32 and ledger_cmd("rotate-epoch").stdout.strip() != epoch
    missing = ledger_cmd("device", "revoke", "nope", check=False)
    assert missing.returncode == 2 and "not_found" in missing.stderr


def test_a_missing_badge_key_is_one_clear_line(db_url, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "ledger.cli", "badge", "issue", "E1", "--db", db_url,
         "--key-file", str(tmp_path / "absent.pem")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr


def test_demo_tokens_are_made_once_and_work(tmp_path):
    from ledger.demo.run import demo_tokens
    from ledger.domain.access import Role
    from ledger.service import LedgerService
    from ledger.storage.database import Database
    from ledger.storage.schema import init_database

    db = Database(f"sqlite:///{tmp_path / 'l.db'}")
    init_database(db, "key")
    service = LedgerService(db)
    first = demo_tokens(service, tmp_path / "tokens.json")
    assert demo_tokens(service, tmp_path / "tokens.json") == first
    assert oct((tmp_path / "tokens.json").stat().st_mode & 0o777) == "0o600"
    assert service.authenticate(first[0]).role is Role.HR
    assert service.authenticate(first[1]).role is Role.ADMIN


def test_pin_is_read_from_stdin_never_from_arguments(ledger_cmd, db_url, tmp_path):
    ledger_cmd("demo-seed", "--workers", "3")
    key = str(tmp_path / "key.pem")

    def pin(action: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ledger.cli", "pin", action, "E1002", "--db", db_url,
             "--key-file", key],
            input=stdin, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    assert pin("set", "86420\n").returncode == 0
    bad = pin("set", "12ab\n")
    assert bad.returncode == 2 and "4 to 8 digits" in bad.stderr
    from ledger.service import LedgerService
    from ledger.storage.database import Database

    service = LedgerService(Database(db_url))
    assert service.employee("E1002")["has_pin"] is True
    assert pin("clear", "").returncode == 0
    assert service.employee("E1002")["has_pin"] is False
    service.db.dispose()


def test_devices_lists_kiosks_with_flags(ledger_cmd, db_url):
    from ledger.service import LedgerService
    from ledger.storage.database import Database

    assert json.loads(ledger_cmd("devices", "--json").stdout) == []
    service = LedgerService(Database(db_url))
    service.enroll(ledger_cmd("enroll-code").stdout.strip(), "Line 7 kiosk")
    service.db.dispose()
    table = ledger_cmd("devices").stdout.splitlines()
    assert table[0].startswith("name") and len(table) == 2
    assert table[1].startswith("Line 7 kiosk") and table[1].endswith("STALE")
    (row,) = json.loads(ledger_cmd("devices", "--json").stdout)
    assert row["stale"] is True and row["backlog"] is False and row["last_seen_at"] is None


def test_console_users_from_the_command_line(db_url: str, tmp_path: Path) -> None:
    key = tmp_path / "key.pem"

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ledger.cli", *args, "--db", db_url, "--key-file", str(key)],
            capture_output=True, text=True, timeout=300, input=stdin,
        )  # fmt: skip

    assert run("init").returncode == 0
    created = run("user", "create", "wang", "--role", "hr", stdin="a long password\n")
    assert created.returncode == 0 and "wang (hr) created" in created.stdout
    assert "a long password" not in created.stdout + created.stderr
    short = run("user", "create", "li", "--role", "admin", stdin="short\n")
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    common = run("user", "create", "li", "--role", "admin", stdin="password1234\n")
    assert common.returncode == 2 and "too common" in common.stderr
    again = run("user", "create", "wang", "--role", "admin", stdin="another long one\n")
    assert again.returncode == 2 and "already exists" in again.stderr
    listed = run("user", "list").stdout
    assert "wang" in listed and "hr" in listed and "li" not in listed
    reset = run("user", "reset-password", "wang", stdin="a new long secret\n")
    assert reset.returncode == 0 and "must be changed" in reset.stdout
    nobody = run("user", "reset-password", "zhou", stdin="a new long secret\n")
    assert nobody.returncode == 2 and "no console user" in nobody.stderr
    service = LedgerService(Database(db_url))
    try:
        signed_in = service.sign_in("wang", "a new long secret", "127.0.0.1")
        assert isinstance(signed_in, tuple) and signed_in[1].must_change_password
        assert isinstance(service.sign_in("wang", "a long password", "127.0.0.1"), SignInRefused)
    finally:
        service.db.dispose()


def test_reminder_days_are_shown_set_and_checked(ledger_cmd) -> None:
    shown = ledger_cmd("reminders")
    assert "reminder days before expiry: 30, 7" in shown.stdout
    assert "reminders sent: 0" in shown.stdout
    assert "days before expiry: 14, 3" in ledger_cmd("reminders", "--days", "3,14").stdout
    assert "days before expiry: off" in ledger_cmd("reminders", "--days", "").stdout
    for bad in ("x", "0", "1,2,3,4,5,6"):
        refused = ledger_cmd("reminders", "--days", bad, check=False)
        assert refused.returncode == 2 and "error:" in refused.stderr
        assert "Traceback" not in refused.stderr
