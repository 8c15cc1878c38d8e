"""Employees (search, adjust, badges, badge sheet), rules and the catalogue, with field errors."""

from __future__ import annotations

import io
import re

from sqlalchemy import delete

from ledger.storage.models import Rule
from sync import badge_codec
from sync.voucher import voucher_code
from tests.console.conftest import Browser
from tests.ledger import factory
from tests.ledger.factory import picture

PNG = picture()


def field_error(html: str, field: str) -> str:
    """The message shown next to a field, or ''."""
    found = re.search(rf'id="{field}-error">([^<]*)<', html)
    return found.group(1) if found else ""


def test_search_by_name_or_number(hr: Browser) -> None:
    by_number = hr.get("/admin/employees?q=E100").text
    assert "张伟" in by_number and "李娜" in by_number
    by_name = hr.get("/admin/employees", params={"q": "李"}).text
    assert "李娜" in by_name and "张伟" not in by_name
    assert "没有结果" in hr.get("/admin/employees", params={"q": "%_"}).text


def test_adjustment_with_errors_next_to_the_fields(hr: Browser, floor) -> None:
    balance = floor.employee("E1001")["balance"]
    hr.get("/admin/employees/E1001")
    bad = hr.post("/admin/employees/E1001/adjust", {"points": "ten", "reason": ""})
    assert bad.status_code == 422
    assert field_error(bad.text, "points") == "请输入整数。"
    assert field_error(bad.text, "reason") == "此项必填。"
    too_much = hr.post("/admin/employees/E1001/adjust", {"points": "-999999", "reason": "x"})
    assert too_much.status_code == 422 and floor.employee("E1001")["balance"] == balance
    ok = hr.post("/admin/employees/E1001/adjust", {"points": "-250", "reason": "扣减测试"})
    assert ok.ok and "已调整 -250 积分" in ok.text
    assert floor.employee("E1001")["balance"] == balance - 250
    assert "扣减测试" in hr.get("/admin/audit?action=employee.adjust").text


def test_the_same_adjustment_form_sent_twice_applies_once(hr: Browser, floor) -> None:
    balance = floor.employee("E1001")["balance"]
    page = hr.get("/admin/employees/E1001").text
    drawn = re.search(r'name="adjustment_id" value="([^"]+)"', page)
    assert drawn
    form = {"points": "300", "reason": "夜班补贴", "adjustment_id": drawn.group(1)}
    first = hr.post("/admin/employees/E1001/adjust", form)
    again = hr.post("/admin/employees/E1001/adjust", form)  # a double click, a reload
    assert first.ok and "已调整 300 积分" in first.text
    assert again.ok and "未重复执行" in again.text
    assert floor.employee("E1001")["balance"] == balance + 300
    # A new drawing of the form is a new adjustment.
    fresh = re.search(r'name="adjustment_id" value="([^"]+)"', again.text)
    assert fresh and fresh.group(1) != drawn.group(1)


def history(page: str) -> dict[str, list[str]]:
    """The employee page's history: each kind of line's "what for" cells, text only."""
    table = re.search(r'<table class="list" id="history">(.*?)</table>', page, re.S)
    assert table, page
    lines: dict[str, list[str]] = {}
    for kind, cell in re.findall(
        r'<tr data-kind="([a-z_]+)">.*?<td class="what-for">(.*?)</td>', table.group(1), re.S
    ):
        lines.setdefault(kind, []).append(re.sub(r"<[^>]+>", "", cell).strip())
    return lines


def test_history_names_rules_and_items_in_the_readers_language(hr: Browser, floor) -> None:
    floor.ingest_events([factory.event("ev-1", "E1001", floor.clock())], source="test")
    order_id = next(
        o["order_id"] for o in floor.list_orders("pending") if o["item_id"] == "card-100"
    )
    chinese = history(hr.get("/admin/employees/E1001").text)
    assert chinese["earn"] == ["季度绩效优秀"]
    assert chinese["hold"] == [f"超市购物卡 100 元 {voucher_code(order_id)}"]
    assert "test grant" in chinese["adjust"]  # HR's reason
    assert "performance.excellent" not in hr.get("/admin/employees/E1001").text
    hr.get("/admin/language/en?next=/admin")
    english = history(hr.get("/admin/employees/E1001").text)
    assert english["earn"] == ["Quarterly performance: excellent"]
    assert english["hold"] == [f"Supermarket card 100 CNY {voucher_code(order_id)}"]
    page = hr.get("/admin/employees/E1001").text
    assert f'href="/admin/orders/{order_id}"' in page


def test_history_of_a_rule_that_no_longer_exists_shows_its_code(hr: Browser, floor) -> None:
    floor.ingest_events(
        [factory.event("ev-2", "E1002", floor.clock(), kind="training.completed")], source="t"
    )
    with floor.db.write() as session:
        session.execute(delete(Rule).where(Rule.kind == "training.completed"))
    assert history(hr.get("/admin/employees/E1002").text)["earn"] == ["training.completed"]


def test_history_says_points_expired(hr: Browser, floor, clock) -> None:
    factory.grant(floor, "E1002", 70, validity_days=1)
    clock.advance(days=2)
    floor.run_expiry()
    hr.sign_in("hr-wang")  # the clock moved past the session's day
    assert history(hr.get("/admin/employees/E1002").text)["expire"] == ["未在有效期内使用"]


def test_issue_revoke_and_print_badges(hr: Browser, floor) -> None:
    hr.get("/admin/employees/E1002")
    issued = hr.post("/admin/employees/E1002/badges", {"kind": "qr"})
    shown = re.search(r"工牌 (\w+) 已发放", issued.text)
    assert shown is not None, issued.text
    serial = shown.group(1)
    sheet = hr.get("/admin/badges/sheet?employees=E1002")
    assert "李娜" in sheet.text and serial in sheet.text and 'src="data:image/svg+xml' in sheet.text
    public_key = badge_codec.public_key_from_text(floor.badge_public_key())
    payload = badge_codec.encode("E1002", serial, floor.badge_key)
    assert badge_codec.verify(payload, public_key).serial == serial
    rfid = hr.post("/admin/employees/E1002/badges", {"kind": "rfid", "uid": "04:A2:3B:1C"})
    assert "04A23B1C" in rfid.text
    taken = hr.post("/admin/employees/E1001/badges", {"kind": "rfid", "uid": "04a23b1c"})
    assert taken.status_code == 422 and field_error(taken.text, "uid")
    hr.get("/admin/employees/E1002")
    assert hr.post(f"/admin/employees/E1002/badges/{serial}/revoke").ok
    assert "没有可打印的工牌" in hr.get("/admin/badges/sheet?employees=E1002").text


def test_rules_edit_with_validation(hr: Browser, floor) -> None:
    hr.get("/admin/rules/new")
    bad = hr.post(
        "/admin/rules",
        {
            "kind": "Bad Kind!",
            "title_zh": "",
            "title_en": "Safety",
            "points": "0",
            "validity_days": "365",
            "active": "on",
        },
    )
    assert bad.status_code == 422
    assert field_error(bad.text, "kind") and field_error(bad.text, "title_zh") == "此项必填。"
    assert field_error(bad.text, "points") == "请输入 1 到 1000000 之间的数。"
    capped = hr.post(
        "/admin/rules",
        {
            "kind": "training.safety",
            "title_zh": "安全培训",
            "title_en": "Safety",
            "points": "50",
            "validity_days": "365",
            "cap_per_period": "2",
            "period": "",
        },
    )
    assert capped.status_code == 422 and field_error(capped.text, "cap_per_period")
    saved = hr.post(
        "/admin/rules",
        {
            "kind": "training.safety",
            "title_zh": "安全培训",
            "title_en": "Safety",
            "points": "50",
            "validity_days": "365",
            "cap_per_period": "2",
            "period": "quarter",
            "active": "on",
        },
    )
    assert saved.ok and "已保存" in saved.text and "安全培训" in saved.text
    rule = next(r for r in floor.list_rules() if r["kind"] == "training.safety")
    assert (rule["points"], rule["cap_per_period"], rule["period"]) == (50, 2, "quarter")
    hr.get("/admin/rules/training.safety")
    hr.post(
        "/admin/rules",
        {
            "existing": "training.safety",
            "title_zh": "安全培训",
            "title_en": "Safety",
            "points": "80",
            "validity_days": "180",
        },
    )
    rule = next(r for r in floor.list_rules() if r["kind"] == "training.safety")
    assert (rule["points"], rule["active"]) == (80, False)
    log = hr.get("/admin/audit?action=rule.save").text
    assert "&#34;points&#34;: 50" in log and "&#34;points&#34;: 80" in log


def post_item(hr: Browser, fields: dict[str, str], picture: tuple[str, bytes, str] | None = None):
    hr.get("/admin/catalogue/new")
    files = {"picture": picture} if picture else {"picture": ("", io.BytesIO(b""), "")}
    return hr.session.post(
        hr.base + "/admin/catalogue", data=fields | {"csrf": hr.csrf}, files=files, timeout=30
    )


ITEM = {
    "item_id": "mug",
    "title_zh": "马克杯",
    "title_en": "Mug",
    "category": "physical",
    "points": "200",
    "stock": "5",
    "active": "on",
}


def test_catalogue_item_with_picture_checks(hr: Browser, floor) -> None:
    wrong = post_item(hr, ITEM, ("mug.gif", b"GIF89a....", "image/gif"))
    assert (
        wrong.status_code == 422
        and field_error(wrong.text, "picture") == "图片必须是 PNG 或 JPEG 文件。"
    )
    huge = post_item(hr, ITEM, ("mug.png", PNG + b"\x00" * (2 * 1024 * 1024), "image/png"))
    assert huge.status_code == 422 and field_error(huge.text, "picture") == "图片超过 2 MB。"
    assert not any(i["id"] == "mug" for i in floor.list_items())
    limit = post_item(hr, ITEM | {"limit_per_employee": "2"})
    assert limit.status_code == 422 and field_error(limit.text, "limit_per_employee")
    saved = post_item(hr, ITEM, ("mug.png", PNG, "image/png"))
    assert saved.ok and "马克杯" in saved.text
    item = next(i for i in floor.list_items() if i["id"] == "mug")
    assert item["stock"] == 5 and item["image_sha256"]
    content_type, stored = floor.image("mug")
    assert content_type == "image/png" and stored.startswith(b"\x89PNG\r\n\x1a\n")
    duplicate = post_item(hr, ITEM)
    assert duplicate.status_code == 422 and field_error(duplicate.text, "item_id")
    assert hr.get("/admin/catalogue/mug/image").content == stored
