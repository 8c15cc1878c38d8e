"""The kiosk's log: rotating files in the log dir, with secrets taken out before writing.

A kiosk's log is read by IT and sent around in tickets, so device tokens, badge signatures
and anything that looks like a PIN never reach it, whoever logs them.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import re
from pathlib import Path

LOG_FILE = "kiosk.log"
CRASH_FILE = "crash.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5

_SECRETS = (
    # API and device tokens: pk_<role>_<secret>
    (re.compile(r"\b(pk_[a-z]+_)[A-Za-z0-9_-]{8,}"), r"\1[redacted]"),
    # Signed badges: keep who and which card, drop the signature
    (
        re.compile(r"\b(PKA?1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{1,32}\.)[A-Za-z0-9_-]{20,}"),
        r"\1[redacted]",
    ),
    # Authorization headers, whatever follows
    (re.compile(r"(?i)(bearer\s+)\S+"), r"\1[redacted]"),
    # pin=1234, "pin": "1234"
    (re.compile(r"""(?i)(\bpin["']?\s*[:=]\s*["']?)\d+"""), r"\1[redacted]"),
)


def redact(text: str) -> str:
    """``text`` with tokens, badge signatures and PINs replaced."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole line (message, arguments and traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class KioskLogHandler(logging.handlers.RotatingFileHandler):
    """The kiosk's own log file; a second ``setup_logging`` replaces it rather than adding one."""


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to ``log_dir/kiosk.log`` (rotated, private); returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / LOG_FILE
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    handler = KioskLogHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, KioskLogHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    return path


def record_hard_crashes(log_dir: Path) -> Path:
    """Write the Python stacks to ``log_dir/crash.log`` if the process dies hard.

    An abort (a fatal error in a C extension, SIGSEGV, SIGABRT) kills the kiosk before any
    handler or log line runs; the supervisor restarts it, and this file tells IT why it died.
    It is rotated once at start when it has grown past ``MAX_BYTES``.
    """
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / CRASH_FILE
    if path.exists() and path.stat().st_size > MAX_BYTES:
        path.replace(path.with_suffix(".log.1"))
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    # Kept open for the life of the process: faulthandler writes to it at the moment of death.
    faulthandler.enable(file=os.fdopen(fd, "a", encoding="utf-8"), all_threads=True)
    return path
