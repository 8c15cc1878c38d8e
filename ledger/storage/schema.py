"""Creating and upgrading the schema with Alembic, and the database's identity (epoch)."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.storage.accounts import SYSTEM_ACCOUNTS
from ledger.storage.database import Database
from ledger.storage.models import Account, ChangeCounter, Meta
from ledger.storage.pg_functions import install_changed

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(db: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent), then re-create any PostgreSQL function
    whose rendered text changed since it was installed (see :mod:`.pg_functions`)."""
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        install_changed(connection)


def init_database(db: Database, public_key: str) -> str:
    """Migrate, then create the system accounts, the counter and the epoch if missing.

    Returns the database epoch.
    """
    migrate(db)
    with db.write() as session:
        if session.get(ChangeCounter, 1) is None:
            session.add(ChangeCounter(id=1, value=0))
        for name in SYSTEM_ACCOUNTS:
            if session.get(Account, name) is None:
                session.add(Account(id=name, employee_id=None, balance=0))
        if session.get(Meta, "epoch") is None:
            session.add(Meta(key="epoch", value=uuid.uuid4().hex))
        meta_key = session.get(Meta, "badge_public_key")
        if meta_key is None:
            session.add(Meta(key="badge_public_key", value=public_key))
        elif meta_key.value != public_key:
            raise RuntimeError(
                "the badge key file does not match the key this database was initialised with"
            )
        session.flush()
        return get_meta(session, "epoch")


def get_meta(session: Session, key: str) -> str:
    value = session.scalar(select(Meta.value).where(Meta.key == key))
    if value is None:
        raise LookupError(f"database not initialised: no {key}; run `ledger init`")
    return value


def rotate_epoch(db: Database) -> str:
    """Give the database a new epoch, so every kiosk reloads a full snapshot.

    Run it after restoring a backup: kiosks may have seen changes the backup does not hold.
    """
    with db.write() as session:
        meta = session.get_one(Meta, "epoch")
        meta.value = uuid.uuid4().hex
        return meta.value
