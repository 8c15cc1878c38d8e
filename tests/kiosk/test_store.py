"""The kiosk's local store and its configuration: durable, private, checked, repairable."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from kiosk.config import ConfigError, load_config
from kiosk.runtime import KioskRuntime
from kiosk.store.database import HEAD_REVISION, MIGRATIONS, StoreDamaged, open_store
from kiosk.store.models import Device, Order, Outbox
from kiosk.store.recovery import recover_store
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk, qr_badge


def test_the_store_is_private_durable_and_migrated(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        mode = stat.S_IMODE(os.stat(store.path).st_mode)
        assert mode == 0o600
        assert stat.S_IMODE(os.stat(store.path.parent).st_mode) == 0o700
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        store.close()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_the_migrations_make_the_models_tables(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kiosk.store.models import Base

    store = open_store(tmp_path / "data")
    try:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        store.close()


def test_the_least_data_migration_goes_down_to_a_full_reload_and_up_again(tmp_path: Path) -> None:
    from alembic import command

    store = open_store(tmp_path / "data")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE sync_state SET cursor = '42', snapshot_pending = 0"))
            conn.execute(
                text(
                    "INSERT INTO employees (id, name, language, active, balance, held, gen)"
                    " VALUES ('E1', '张伟', 'zh', 1, 10, 0, 1)"
                )
            )
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
            columns = {row[1] for row in conn.execute(text("PRAGMA table_info(employees)"))}
            assert "department" in columns
            # The older kiosk reloads everything, so the placeholder is replaced.
            state = conn.execute(text("SELECT cursor, snapshot_pending FROM sync_state")).one()
            assert tuple(state) == (None, 1)
            command.upgrade(config, "head")
            columns = {row[1] for row in conn.execute(text("PRAGMA table_info(employees)"))}
            assert "department" not in columns
            assert conn.execute(text("SELECT name FROM employees")).scalar() == "张伟"
    finally:
        store.close()


def test_a_damaged_store_is_reported_then_rebuilt_keeping_the_outbox(
    factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    kiosk = make_kiosk(factory_floor)
    kiosk.sync_once()
    worker = kiosk.service.login(qr_badge(factory_floor, "E1001"))
    waiting = worker.place_order("cake")
    path = kiosk.store.path
    kiosk.close()
    # A failing disk scribbles over the history table's pages.
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('entries', 'lots')"
        ).fetchall()
    with path.open("r+b") as handle:
        for (root,) in roots:
            handle.seek((root - 1) * page_size + 100)
            handle.write(os.urandom(page_size - 200))
    with pytest.raises(StoreDamaged) as caught:
        KioskRuntime.open(kiosk.config, recover=False)
    assert "kiosk repair" in str(caught.value)

    store, report = recover_store(kiosk.config.data_dir)
    store.close()
    assert report.moved_to.exists() and report.device_restored
    rebuilt = KioskRuntime.open(kiosk.config, recover=False)
    try:
        with rebuilt.store.read() as session:
            assert session.get(Device, 1) is not None
            queued = session.scalars(select(Outbox.order_id).where(Outbox.state == "queued"))
            assert list(queued) == [waiting.order_id]
            assert session.get_one(Order, waiting.order_id).status == "queued"
        report_sync = rebuilt.sync_once()
        assert report_sync.error is None and report_sync.created == 1
        assert rebuilt.service.login(qr_badge(factory_floor, "E1001")).balance().available == 2700
    finally:
        rebuilt.close()


def test_the_runtime_rebuilds_a_damaged_store_by_itself(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "kiosk.db").write_bytes(b"this is not a database" * 100)
    from tests.kiosk.conftest import kiosk_config

    runtime = KioskRuntime.open(kiosk_config(data))
    try:
        assert not runtime.enrolled
        assert list(data.glob("kiosk.db.damaged-*"))
    finally:
        runtime.close()


def test_config_file_then_environment(tmp_path: Path) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text(
        'server_url = "https://points.example/"\nsync_interval = 10\nlanguage = "en"\n'
        f'data_dir = "{tmp_path / "d"}"\n'
    )
    config = load_config({"KIOSK_CONFIG": str(file), "KIOSK_SYNC_INTERVAL": "5"})
    assert config.server_url == "https://points.example"
    assert config.sync_interval == 5.0 and config.language == "en"
    assert config.data_dir == tmp_path / "d" and config.tls_verify is True
    defaults = load_config({"KIOSK_CONFIG": str(tmp_path / "missing.toml")})
    assert defaults.history_months == 13 and defaults.server_url is None


@pytest.mark.parametrize(
    ("content", "env", "message"),
    [
        ("sync_interval = 'soon'", {}, "sync_interval"),
        ("colour = 'red'", {}, "unknown setting 'colour'"),
        ("server_url = ", {}, "kiosk.toml"),
        ("", {"KIOSK_PAGE_SIZE": "0"}, "page_size"),
        ("", {"KIOSK_SERVER_URL": "points.local"}, "server_url"),
        ("", {"KIOSK_CA_BUNDLE": "/nonexistent/ca.pem"}, "ca_bundle"),
        ("", {"KIOSK_LANGUAGE": "fr"}, "language"),
    ],
)
def test_bad_settings_name_the_setting(
    tmp_path: Path, content: str, env: dict[str, str], message: str
) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_config({"KIOSK_CONFIG": str(file), **env})
