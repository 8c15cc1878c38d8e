"""Where the ledger keeps its database, its badge key and its code key."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir
from sqlalchemy.engine import make_url

APP = "points-ledger"


def default_db_url() -> str:
    """``LEDGER_DB_URL``, else a SQLite file in the platform data dir."""
    env = os.environ.get("LEDGER_DB_URL")
    if env:
        return env
    path = Path(user_data_dir(APP, appauthor=False)) / "ledger.db"
    return f"sqlite:///{path}"


def default_key_path(db_url: str) -> Path:
    """``LEDGER_BADGE_KEY``; for SQLite a file beside the database; else the config dir."""
    env = os.environ.get("LEDGER_BADGE_KEY")
    if env:
        return Path(env)
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database:
        db_path = Path(url.database)
        return db_path.with_name(db_path.name + ".badge-key.pem")
    return Path(user_config_dir(APP, appauthor=False)) / "badge-key.pem"


def code_key_path(badge_key_path: Path) -> Path:
    """``LEDGER_CODE_KEY``; else beside the badge key: ``…badge-key.pem`` →
    ``…code-key.txt`` (the key that encrypts code pools' codes)."""
    env = os.environ.get("LEDGER_CODE_KEY")
    if env:
        return Path(env)
    name = badge_key_path.name
    if "badge-key" in name:
        return badge_key_path.with_name(
            name.replace("badge-key", "code-key").removesuffix(".pem") + ".txt"
        )
    return badge_key_path.with_name(name + ".code-key.txt")


@dataclass(frozen=True)
class LedgerConfig:
    db_url: str
    key_path: Path

    @classmethod
    def resolve(cls, db_url: str | None = None, key_path: str | Path | None = None) -> LedgerConfig:
        url = db_url or default_db_url()
        return cls(url, Path(key_path) if key_path else default_key_path(url))

    @property
    def code_key_path(self) -> Path:
        return code_key_path(self.key_path)

    def ensure_sqlite_dir(self) -> None:
        url = make_url(self.db_url)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
