"""Lists that scale: the employee list and the audit log page, count their rows, filter them
(filters that combine and survive the pager's links) and answer any query with a page."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from ledger.service import LedgerService
from ledger.storage.models import HrAction
from tests.console.conftest import Browser
from tests.console.test_hostile_queries import VALUES
from tests.ledger import factory

# Uneven on purpose: the first department fills more than one page by itself.
DEPARTMENTS = ("焊接车间", "焊接车间", "焊接车间", "物流中心", "物流中心", "Quality Lab")
ROW = re.compile(
    r'<td><a href="/admin/employees/([^"]+)">[^<]*</a></td><td>[^<]*</td><td>([^<]*)</td>'
)
NEXT = re.compile(r'<a href="([^"]*)">下一页')
SUMMARY = re.compile(r'<p class="hint" id="summary">([^<]*)</p>')


def workers() -> dict[str, tuple[str, bool]]:
    """120 employees W0001..W0120: their department and whether they are active."""
    return {f"W{i:04d}": (DEPARTMENTS[i % len(DEPARTMENTS)], i % 10 != 0) for i in range(1, 121)}


@pytest.fixture
def crowd(floor: LedgerService) -> dict[str, tuple[str, bool]]:
    people = workers()
    for number, (department, active) in people.items():
        factory.employee(
            floor, number, name=f"工人{number[1:]}", department=department, active=active
        )
    return people


def rows(page: str) -> list[tuple[str, str]]:
    """The (number, department) of each listed employee."""
    return [(number, html.unescape(department)) for number, department in ROW.findall(page)]


def summary(page: str) -> str:
    found = SUMMARY.search(page)
    assert found, page[:500]
    return html.unescape(found.group(1))


def follow_next(browser: Browser, path: str, page: str) -> tuple[str, str]:
    """The page the pager's own “next” link leads to, and that link's address."""
    found = NEXT.search(page)
    assert found, "no next link"
    link = html.unescape(found.group(1))
    assert link.startswith("?")
    target = urlsplit(path).path + link
    response = browser.get(target)
    assert response.status_code == 200
    return response.text, target


def test_the_list_counts_everyone_and_pages_to_the_last(hr: Browser, crowd) -> None:
    first = hr.get("/admin/employees").text
    assert summary(first) == "共 122 名员工 · 第 1 / 3 页"
    seen = [number for number, _ in rows(first)]
    assert len(seen) == 50
    second, at = follow_next(hr, "/admin/employees", first)
    assert summary(second) == "共 122 名员工 · 第 2 / 3 页"
    third, at = follow_next(hr, at, second)
    assert "page=3" in at and summary(third) == "共 122 名员工 · 第 3 / 3 页"
    assert NEXT.search(third) is None
    seen += [number for number, _ in rows(second)] + [number for number, _ in rows(third)]
    # Every employee once, in number order, across the three pages.
    assert seen == sorted({"E1001", "E1002", *crowd})
    # A page past the last (an old bookmark) shows the last one.
    assert summary(hr.get("/admin/employees?page=90000").text).endswith("第 3 / 3 页")


def test_department_filter_and_department_search(hr: Browser, crowd) -> None:
    page = hr.get("/admin/employees").text
    # The filter offers the departments that exist, each once, and "all".
    options = re.findall(
        r'<option value="([^"]*)"', page.split('id="department"')[1].split("</select>")[0]
    )
    assert options == ["", *sorted({"总装车间", "质检部", *DEPARTMENTS})]

    logistics = [n for n, (d, _) in crowd.items() if d == "物流中心"]
    chosen = hr.get("/admin/employees", params={"department": "物流中心"}).text
    assert summary(chosen) == f"共 {len(logistics)} 名员工"
    assert sorted(rows(chosen)) == [(n, "物流中心") for n in sorted(logistics)]
    assert 'value="物流中心" selected' in chosen

    # Search finds a department by part of its name, as well as numbers and names.
    searched = hr.get("/admin/employees", params={"q": "物流"}).text
    assert sorted(n for n, _ in rows(searched)) == sorted(logistics)
    lab = hr.get("/admin/employees", params={"q": "lab"}).text  # in any case
    assert {d for _, d in rows(lab)} == {"Quality Lab"}
    assert summary(lab) == f"共 {sum(d == 'Quality Lab' for d, _ in crowd.values())} 名员工"

    # Search and department together: numbers W01.. in the logistics centre only.
    both = hr.get("/admin/employees", params={"q": "W01", "department": "物流中心"}).text
    assert sorted(n for n, _ in rows(both)) == sorted(n for n in logistics if n.startswith("W01"))
    # A department nobody is in finds nobody (it is not taken for "all").
    gone = hr.get("/admin/employees", params={"department": "已撤销部门"}).text
    assert summary(gone) == "共 0 名员工" and "没有结果" in gone


def test_active_and_inactive_filters(hr: Browser, crowd) -> None:
    inactive = sorted(n for n, (_, active) in crowd.items() if not active)
    shown = hr.get("/admin/employees", params={"status": "inactive"}).text
    assert summary(shown) == f"共 {len(inactive)} 名员工"
    assert sorted(n for n, _ in rows(shown)) == inactive
    assert shown.count("<td>停用</td>") == len(inactive)

    active = hr.get("/admin/employees", params={"status": "active"}).text
    assert summary(active).startswith(f"共 {122 - len(inactive)} 名员工")
    assert "<td>停用</td>" not in active

    welders = sorted(n for n, (d, a) in crowd.items() if d == "焊接车间" and not a)
    both = hr.get("/admin/employees", params={"status": "inactive", "department": "焊接车间"})
    assert sorted(n for n, _ in rows(both.text)) == welders
    # Anything else means both.
    assert summary(hr.get("/admin/employees?status=retired").text).startswith("共 122 名员工")


def test_filters_are_kept_in_the_pager_links(hr: Browser, crowd) -> None:
    wanted = sorted(n for n, (d, a) in crowd.items() if d == "焊接车间" and a)
    assert 50 < len(wanted) <= 100  # two pages
    path = "/admin/employees?q=W&department=" + quote("焊接车间") + "&status=active"
    first = hr.get(path).text
    second, at = follow_next(hr, path, first)
    kept = parse_qs(urlsplit(at).query)
    assert kept["q"] == ["W"] and kept["department"] == ["焊接车间"]
    assert kept["status"] == ["active"] and kept["page"] == ["2"]
    assert summary(second) == f"共 {len(wanted)} 名员工 · 第 2 / 2 页"
    assert [n for n, _ in rows(first) + rows(second)] == wanted
    # The form shows the filters the page was drawn with.
    assert 'value="W"' in second and 'value="active" selected' in second


def test_hostile_values_give_the_list_page(hr: Browser, crowd) -> None:
    for value in VALUES:
        for name in ("q", "department", "status", "page"):
            response = hr.get("/admin/employees", params={name: value}, allow_redirects=False)
            assert response.status_code == 200, (name, value)
            assert response.headers["content-type"].startswith("text/html")
            assert SUMMARY.search(response.text), (name, value)


# The audit log page.

LINE = re.compile(
    r'<tr><td>[^<]*</td><td>([^<]*)(?: <small>[^<]*</small>)?</td><td class="mono">([^<]*)</td>'
    r'\s*<td class="target" data-target="([^"]*)">'
)


def lines(page: str) -> list[tuple[str, str, str]]:
    """The (who, action, target) of each shown line."""
    return [tuple(html.unescape(part) for part in found) for found in LINE.findall(page)]  # type: ignore[misc]


def at(local: str) -> datetime:
    """A time on the site clock (the default site timezone)."""
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def log(floor: LedgerService) -> LedgerService:
    """Lines by a user, a token and a kiosk on either side of local midnights, and 60 of
    a payroll token's on one day."""
    kiosk = factory.kiosk(floor, "kiosk-7", name="Canteen kiosk")
    entries = [
        (at("2026-06-16 23:30"), "user", "hr-zhao", "employee.adjust", "E1001"),
        (at("2026-06-17 00:30"), "token", "payroll sync", "employee.adjust", "E1002"),
        (at("2026-06-18 10:00"), "device", kiosk, "employee.language", "E1001"),
    ]
    entries += [
        (
            at("2026-06-19 08:00") + timedelta(minutes=i),
            "token",
            "payroll sync",
            "employee.adjust",
            f"W9{i:03d}",
        )
        for i in range(60)
    ]
    with floor.db.write() as session:
        for moment, kind, name, action, target in entries:
            session.add(
                HrAction(
                    at=moment,
                    actor_kind=kind,
                    user_name=name,
                    action=action,
                    target=target,
                )
            )
    return floor


def audit(browser: Browser, **params: str) -> str:
    response = browser.get("/admin/audit", params=params)
    assert response.status_code == 200
    return response.text


def test_audit_by_actor(hr: Browser, log) -> None:
    assert lines(audit(hr, actor="hr-zhao")) == [("hr-zhao", "employee.adjust", "E1001")]
    payroll = audit(hr, actor="payroll")
    assert summary(payroll) == "共 61 条记录 · 第 1 / 2 页"
    assert {who for who, _, _ in lines(payroll)} == {"payroll sync"}
    assert "<small>令牌</small>" in payroll
    # kind:name keeps that kind of actor only.
    assert summary(audit(hr, actor="token:payroll")).startswith("共 61 条记录")
    assert summary(audit(hr, actor="user:payroll")) == "共 0 条记录"
    # A kiosk by the name it was enrolled with, or by its id.
    by_name = lines(audit(hr, actor="canteen"))
    assert by_name == [("kiosk-7", "employee.language", "E1001")]
    assert lines(audit(hr, actor="kiosk-7")) == by_name
    # Wildcards are letters.
    assert summary(audit(hr, actor="%")) == "共 0 条记录"


def test_audit_by_date_range_on_the_site_clock(hr: Browser, log) -> None:
    # 23:30 on the 16th and 00:30 on the 17th (Shanghai) are 15:30 and 16:30 UTC on the 16th.
    sixteenth = lines(audit(hr, since="2026-06-16", until="2026-06-16"))
    assert sixteenth == [("hr-zhao", "employee.adjust", "E1001")]
    seventeenth = lines(audit(hr, since="2026-06-17", until="2026-06-17"))
    assert seventeenth == [("payroll sync", "employee.adjust", "E1002")]
    # From a day on: that day and after; to a day: up to its end.
    assert summary(audit(hr, since="2026-06-18")) == "共 61 条记录 · 第 1 / 2 页"
    up_to = lines(audit(hr, until="2026-06-16"))
    assert ("hr-zhao", "employee.adjust", "E1001") in up_to
    assert all(who != "payroll sync" for who, _, _ in up_to)
    # With the actor too.
    assert summary(audit(hr, actor="payroll", until="2026-06-17")) == "共 1 条记录"


def test_audit_bad_dates_are_explained(hr: Browser, log) -> None:
    for since in ("2026-02-30", "yesterday", "0001-01-01", "1e20"):
        page = audit(hr, since=since)
        assert "请输入日期（YYYY-MM-DD）。" in page, since
    good = audit(hr, since="2026-06-17")
    assert "请输入日期" not in good
    backwards = audit(hr, since="2026-06-18", until="2026-06-17")
    assert "开始日期晚于结束日期。" in backwards and summary(backwards) == "共 0 条记录"


def test_audit_by_target(hr: Browser, log) -> None:
    found = lines(audit(hr, target="E1002"))
    assert ("payroll sync", "employee.adjust", "E1002") in found
    assert all("E1002" in target for _, _, target in found)
    assert all(target != "E1001" for _, _, target in found)
    assert lines(audit(hr, target="W9059")) == [("payroll sync", "employee.adjust", "W9059")]
    assert summary(audit(hr, target="%")) == "共 0 条记录"
    # All four together.
    combined = audit(hr, actor="zhao", since="2026-06-16", until="2026-06-16", target="E1001")
    assert lines(combined) == [("hr-zhao", "employee.adjust", "E1001")]
    assert summary(audit(hr, actor="zhao", target="E1002")) == "共 0 条记录"


def test_audit_filters_are_kept_in_the_pager_links(hr: Browser, log) -> None:
    path = "/admin/audit?actor=payroll&since=2026-06-18&target=W9&action=employee.adjust"
    first = hr.get(path).text
    assert summary(first) == "共 60 条记录 · 第 1 / 2 页"
    second, link = follow_next(hr, path, first)
    kept = parse_qs(urlsplit(link).query)
    assert kept["actor"] == ["payroll"] and kept["since"] == ["2026-06-18"]
    assert kept["target"] == ["W9"] and kept["action"] == ["employee.adjust"]
    assert summary(second) == "共 60 条记录 · 第 2 / 2 页"
    targets = [target for _, _, target in lines(first) + lines(second)]
    assert sorted(targets) == [f"W9{i:03d}" for i in range(60)]


def test_hostile_values_give_the_audit_page(hr: Browser, log) -> None:
    for value in VALUES:
        for name in ("action", "actor", "since", "until", "target", "page"):
            response = hr.get("/admin/audit", params={name: value}, allow_redirects=False)
            assert response.status_code == 200, (name, value)
            assert response.headers["content-type"].startswith("text/html")
            assert SUMMARY.search(response.text), (name, value)
