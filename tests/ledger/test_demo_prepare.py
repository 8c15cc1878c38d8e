"""The demo database is seeded aside and moved into place, so a stopped first run leaves none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ledger.demo.run import prepare
from ledger.storage.models import Employee


def test_a_new_demo_is_seeded_aside_then_moved_into_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # What a first run stopped while seeding leaves behind; the next run starts afresh.
    (tmp_path / "ledger.db.seeding").write_bytes(b"half a factory")
    (tmp_path / "ledger.db.seeding-wal").write_bytes(b"")
    service, badges = prepare(f"sqlite:///{tmp_path / 'ledger.db'}", workers=4)
    with service.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Employee)) == 4
    service.db.dispose()
    names = sorted(path.name for path in tmp_path.iterdir())
    assert not [name for name in names if ".seeding" in name]
    assert {"ledger.db", "ledger.db.badge-key.pem", "demo-badges.json", "demo-badges.png"} <= set(
        names
    )
    assert len(json.loads(badges.read_text())) == 4
    assert "Seeding" in capsys.readouterr().out

    again, _ = prepare(f"sqlite:///{tmp_path / 'ledger.db'}", workers=4)
    with again.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Employee)) == 4
    again.db.dispose()
    assert "Seeding" not in capsys.readouterr().out
