"""The connectors page: admins add a drop folder and a JSON endpoint, see each one's last
run, result and batch, run one now, disable it; errors next to the fields; zh and en."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from ledger.console.web import LANGUAGE_COOKIE
from ledger.jobs.connectors import run_connectors
from ledger.service import LedgerService
from tests.conftest import FakeClock
from tests.console.conftest import Browser


def test_add_run_see_the_batch_and_disable(
    admin: Browser, hr: Browser, floor: LedgerService, clock: FakeClock, tmp_path: Path
) -> None:
    assert "HR 系统接入" in admin.get("/admin/connectors").text
    assert hr.get("/admin/connectors").status_code == 403
    drop = tmp_path / "drop"
    drop.mkdir()
    bad = admin.post(
        "/admin/connectors",
        {"kind": "folder", "name": "Bad Name", "path": "relative", "interval": "0"},
    )
    assert bad.status_code == 422
    assert "只能使用小写字母" in bad.text and "秒数" in bad.text
    relative = admin.post(
        "/admin/connectors", {"kind": "folder", "name": "drop", "path": "relative", "interval": "5"}
    )
    assert relative.status_code == 422 and "绝对文件夹路径" in relative.text
    made = admin.post(
        "/admin/connectors", {"kind": "folder", "name": "drop", "path": str(drop), "interval": "5"}
    )
    assert made.status_code == 200 and 'data-connector="drop"' in made.text
    http = admin.post(
        "/admin/connectors",
        {"kind": "http", "name": "lms", "url": "http://127.0.0.1:9/feed",
         "token": "very-secret-token", "interval": "60"},
    )  # fmt: skip
    assert http.status_code == 200 and "已设置令牌" in http.text
    assert "very-secret-token" not in http.text
    again = admin.post(
        "/admin/connectors", {"kind": "folder", "name": "drop", "path": str(drop), "interval": "5"}
    )
    assert again.status_code == 422 and "已有同名的接入" in again.text

    (drop / "e.csv").write_bytes(
        "工号,类型,时间,事件编号\nE1001,performance.excellent,2026-06-01,c-1\n"
        "E9,performance.excellent,2026-06-01,c-2\n".encode()
    )
    settled = time.time() - 5  # written a while ago: no longer being written
    os.utime(drop / "e.csv", (settled, settled))
    assert run_connectors(floor, "drop") == {"drop": "ok"}
    assert run_connectors(floor, "lms") == {"lms": "failed"}
    page = admin.get("/admin/connectors").text
    [batch] = re.findall(r'href="/admin/imports/(\d+)"', page)
    assert "接受 1 条，拒绝 1 条" in page and "Connection refused" in page
    # The connector's batch is an events batch like any other, with its refused row.
    shown = admin.get(f"/admin/imports/{batch}")
    assert shown.status_code == 200 and "c-2" in shown.text and "connector:drop" in shown.text

    ran = admin.post("/admin/connectors/drop/run")
    assert "接入将在几秒内运行" in ran.text
    off = admin.post("/admin/connectors/drop/active", {"active": "0"})
    assert "已停用" in off.text
    refused = admin.post("/admin/connectors/drop/run")
    assert "只有启用的接入可以运行" in refused.text
    admin.session.cookies.set(LANGUAGE_COOKIE, "en")
    english = admin.get("/admin/connectors").text
    assert "HR systems in" in english and "1 accepted, 1 refused" in english
