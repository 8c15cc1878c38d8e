"""Kiosk settings: a TOML file in the platform config dir, overridden by environment variables.

Settings the ledger decides (offline limits, idle timeout, PIN threshold) are not here: they
arrive with every sync. Every setting is documented in docs/CONFIGURATION.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "points-kiosk"
CONFIG_FILE = "kiosk.toml"


class ConfigError(ValueError):
    """A setting has a value the kiosk cannot use; the message names it."""


@dataclass(frozen=True)
class KioskConfig:
    data_dir: Path
    config_file: Path
    log_dir: Path
    server_url: str | None = None
    ca_bundle: Path | None = None
    connect_timeout: float = 3.05
    read_timeout: float = 15.0
    sync_interval: float = 30.0
    max_backoff: float = 60.0
    page_size: int = 5000
    history_months: int = 13
    language: str = "zh"
    accept_typed_scans: bool = False

    @property
    def history_days(self) -> int:
        return self.history_months * 31 - self.history_months // 2

    @property
    def tls_verify(self) -> bool | str:
        """What TLS verifies against: certifi's bundle (``True``) or a private CA bundle."""
        return str(self.ca_bundle) if self.ca_bundle else True


def _positive_float(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: a number of seconds expected, got {value!r}") from None
    if not 0 < number <= 3600:
        raise ConfigError(f"{name}: must be between 0 and 3600 seconds, got {value!r}")
    return number


def _int_between(low: int, high: int) -> Callable[[str, Any], int]:
    def parse(name: str, value: Any) -> int:
        try:
            number = int(str(value))
        except ValueError:
            raise ConfigError(f"{name}: a whole number expected, got {value!r}") from None
        if not low <= number <= high:
            raise ConfigError(f"{name}: must be between {low} and {high}, got {value!r}")
        return number

    return parse


def parse_url(name: str, value: Any) -> str:
    """An http(s) URL without a trailing slash; raises ConfigError."""
    text = str(value).strip().rstrip("/")
    if not text.startswith(("http://", "https://")):
        raise ConfigError(f"{name}: an http:// or https:// URL expected, got {value!r}")
    return text


def _path(_name: str, value: Any) -> Path:
    return Path(str(value)).expanduser()


def _existing_file(name: str, value: Any) -> Path:
    path = _path(name, value)
    if not path.is_file():
        raise ConfigError(f"{name}: no such file {path}")
    return path


def _language(name: str, value: Any) -> str:
    if value not in ("zh", "en"):
        raise ConfigError(f"{name}: zh or en expected, got {value!r}")
    return str(value)


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: true or false expected, got {value!r}")


PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "data_dir": _path,
    "log_dir": _path,
    "server_url": parse_url,
    "ca_bundle": _existing_file,
    "connect_timeout": _positive_float,
    "read_timeout": _positive_float,
    "sync_interval": _positive_float,
    "max_backoff": _positive_float,
    "page_size": _int_between(10, 5000),
    "history_months": _int_between(1, 120),
    "language": _language,
    "accept_typed_scans": _bool,
}


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE


def load_config(environ: Mapping[str, str] | None = None) -> KioskConfig:
    """Defaults, then the TOML file, then ``KIOSK_*`` environment variables."""
    env = os.environ if environ is None else environ
    config_file = Path(env["KIOSK_CONFIG"]) if env.get("KIOSK_CONFIG") else default_config_file()
    values: dict[str, Any] = {}
    if config_file.exists():
        import tomllib  # only with a file: the kiosk starts faster without parsing code it skips

        try:
            with config_file.open("rb") as handle:
                values.update(tomllib.load(handle))
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise ConfigError(f"{config_file}: {exc}") from None
        unknown = sorted(set(values) - set(PARSERS))
        if unknown:
            raise ConfigError(f"{config_file}: unknown setting {unknown[0]!r}")
    for name in PARSERS:
        variable = "KIOSK_" + name.upper()
        if env.get(variable):
            values[name] = env[variable]
    parsed = {name: PARSERS[name](name, value) for name, value in values.items()}
    config = KioskConfig(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_file=config_file,
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
    known = {f.name for f in fields(KioskConfig)}
    return replace(config, **{k: v for k, v in parsed.items() if k in known})
