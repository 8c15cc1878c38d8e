"""The kiosk's log never holds a token, a badge signature or a PIN."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.logs import redact, setup_logging
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge


def test_redaction_patterns() -> None:
    token = "pk_device_Zx9-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"
    assert redact(f"using {token} now") == "using pk_device_[redacted] now"
    assert redact("Authorization: Bearer abc.def") == "Authorization: Bearer [redacted]"
    badge = "PK1.E1001.SER1." + "A" * 86
    assert redact(f"scan {badge}") == "scan PK1.E1001.SER1.[redacted]"
    assert redact('{"pin": "2468"} pin=1357') == '{"pin": "[redacted]"} pin=[redacted]'
    assert redact("order 42 for 1000 points") == "order 42 for 1000 points"


def test_a_working_kiosk_logs_no_secret(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk, tmp_path: Path
) -> None:
    log_file = setup_logging(tmp_path / "logs", logging.DEBUG)
    try:
        factory_floor.service.set_pin("E1001", "2468")
        kiosk = make_kiosk(factory_floor)
        badge = qr_badge(factory_floor, "E1001")
        kiosk.sync_once()
        token = kiosk.engine.client.headers["Authorization"]  # type: ignore[union-attr]
        worker = kiosk.service.login(badge)
        worker.place_order("cake")
        kiosk.service.login_with_pin("E1001", "2468")
        factory_floor.stop()
        kiosk.sync_once()
        # Even code that logs secrets by mistake leaves none in the file.
        logging.getLogger("careless").warning("badge %s token %s pin=%s", badge, token, "2468")
        try:
            raise RuntimeError(f"failed with {token}")
        except RuntimeError:
            logging.getLogger("careless").exception("boom")
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
    text = log_file.read_text()
    assert "careless" in text and "boom" in text and "sync.http_connection" in text
    secret = token.split()[-1]
    assert secret not in text and secret[8:] not in text
    assert badge.split(".")[3] not in text
    assert "2468" not in text
    assert oct(log_file.stat().st_mode & 0o777) == "0o600"
