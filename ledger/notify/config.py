"""Where notifications go out from: the SMTP server and the console's public address.

Read from the environment (``LEDGER_SMTP_HOST`` …) over an optional TOML file named by
``LEDGER_NOTIFY_CONFIG``; never from the database or the console, so the mail password
stays with the server's configuration (docs/CONFIGURATION.md).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_ENV = "LEDGER_NOTIFY_CONFIG"
TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    starttls: bool = True
    user: str = ""
    password: str = ""
    sender: str = "points-ledger@localhost"
    # A CA bundle to trust besides the system's (a company CA, or a test's own).
    ca_file: str = ""
    timeout: float = 30.0


@dataclass(frozen=True)
class NotifyConfig:
    smtp: SmtpConfig | None = None
    # e.g. https://points.example.com: messages link to the console's pages under it.
    public_url: str = ""

    def link(self, path: str) -> str:
        """``path`` (``/admin/...``) under the public address, or ``""`` without one."""
        return self.public_url.rstrip("/") + path if self.public_url else ""


def _flag(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in TRUE


def load(environ: Mapping[str, str] | None = None) -> NotifyConfig:
    """The settings now: the file named by ``LEDGER_NOTIFY_CONFIG``, then the environment."""
    env = os.environ if environ is None else environ
    smtp: dict[str, Any] = {}
    public_url = ""
    path = env.get(CONFIG_ENV, "")
    if path:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        smtp = dict(data.get("smtp", {}))
        public_url = str(data.get("public_url", ""))
    for key in ("host", "port", "starttls", "user", "password", "from", "ca_file", "timeout"):
        value = env.get(f"LEDGER_SMTP_{key.upper()}")
        if value is not None:
            smtp[key] = value
    password_file = env.get("LEDGER_SMTP_PASSWORD_FILE") or smtp.pop("password_file", "")
    if password_file:
        smtp["password"] = Path(str(password_file)).read_text(encoding="utf-8").strip()
    public_url = env.get("LEDGER_PUBLIC_URL", public_url)
    config = None
    if smtp.get("host"):
        config = SmtpConfig(
            host=str(smtp["host"]),
            port=int(smtp.get("port", 587)),
            starttls=_flag(smtp.get("starttls", True)),
            user=str(smtp.get("user", "")),
            password=str(smtp.get("password", "")),
            sender=str(smtp.get("from", SmtpConfig.sender)),
            ca_file=str(smtp.get("ca_file", "")),
            timeout=float(smtp.get("timeout", 30.0)),
        )
    return NotifyConfig(config, public_url.strip())
