"""The console's side of fulfilment: item form, code uploads, "show code", external systems."""

from __future__ import annotations

import io

from sqlalchemy import select

from ledger.storage.models import HrAction
from tests.console.conftest import Browser, pending_orders


def _save_as_code_pool(hr: Browser, threshold: str = "1") -> None:
    hr.get("/admin/catalogue/card-100")
    fields = {
        "existing": "card-100", "title_zh": "超市购物卡", "title_en": "Supermarket card",
        "category": "physical", "points": "1000", "stock": "10", "active": "on",
        "fulfilment": "code_pool", "pool_threshold": threshold, "csrf": hr.csrf,
    }  # fmt: skip
    saved = hr.session.post(
        hr.base + "/admin/catalogue", data=fields,
        files={"picture": ("", io.BytesIO(b""), "")}, timeout=30,
    )  # fmt: skip
    assert saved.status_code == 200 and "/admin/catalogue" in saved.url, saved.text


def _order_of(floor, item_id: str) -> str:
    return next(o["order_id"] for o in floor.list_orders("pending") if o["item_id"] == item_id)


def test_codes_uploaded_and_shown_only_on_purpose(hr: Browser, floor) -> None:
    _save_as_code_pool(hr)
    assert floor.fulfilment_of("card-100")["fulfilment"] == "code_pool"
    page = hr.get("/admin/catalogue/card-100")
    assert 'value="code_pool" selected' in page.text and 'id="add_codes"' in page.text
    added = hr.session.post(
        hr.base + "/admin/catalogue/card-100/codes",
        data={"codes": "GIFT-0001\nGIFT-0002", "csrf": hr.csrf},
        files={"codes_file": ("more.csv", io.BytesIO(b"code\nGIFT-0003\nGIFT-0001\n"), "text/csv")},
        timeout=30,
    )
    assert "已添加 3 个兑换码，0 个已在码池中；未使用 3 个。" in added.text
    assert "未使用 3 个，已发放 0 个。" in added.text

    order_id = _order_of(floor, "card-100")
    hr.get(f"/admin/orders/{order_id}")
    done = hr.post(f"/admin/orders/{order_id}/approve")
    assert "已兑付" in done.text or "fulfilled" in done.text
    order_page = hr.get(f"/admin/orders/{order_id}")
    assert 'id="show_code"' in order_page.text and "GIFT-0001" not in order_page.text
    for listing in ("/admin/orders", "/admin/orders?status=fulfilled"):
        assert "GIFT-000" not in hr.get(listing).text
    shown = hr.post(f"/admin/orders/{order_id}/code")
    assert shown.status_code == 200 and "GIFT-0001" in shown.text
    assert shown.headers["Cache-Control"] == "no-store"
    with floor.db.read() as session:
        line = session.scalars(select(HrAction).where(HrAction.action == "order.code_shown")).one()
    assert (line.user_name, line.target) == ("hr-wang", order_id)


def test_approval_without_codes_says_so_and_keeps_the_order_pending(hr: Browser, floor) -> None:
    _save_as_code_pool(hr)
    order_id = _order_of(floor, "card-100")
    hr.get(f"/admin/orders/{order_id}")
    refused = hr.post(f"/admin/orders/{order_id}/approve")
    assert refused.status_code == 422
    assert "该商品的兑换码已用完：请先添加兑换码，再重新批准。" in refused.text
    assert order_id in pending_orders(floor)


def test_an_empty_upload_is_a_message_not_an_error(hr: Browser, floor) -> None:
    hr.get("/admin/catalogue/card-100")
    empty = hr.post("/admin/catalogue/card-100/codes", {"codes": "  \n"})
    assert empty.status_code == 200 and "未找到兑换码：请每行填写一个。" in empty.text


def test_only_admins_see_and_set_the_external_system(hr: Browser, admin: Browser, floor) -> None:
    assert 'id="external_url"' not in hr.get("/admin/catalogue/leave-day").text
    page = admin.get("/admin/catalogue/leave-day")
    assert 'id="external_url"' in page.text
    made = admin.post(
        "/admin/catalogue/leave-day/external", {"external_url": "https://leave.example.com/x"}
    )
    assert made.status_code == 200 and "whsec_" in made.text
    assert floor.fulfilment_of("leave-day")["external_url"] == "https://leave.example.com/x"
    assert "whsec_" not in admin.get("/admin/catalogue/leave-day").text
    hr.get("/admin/catalogue/leave-day")
    denied = hr.post("/admin/catalogue/leave-day/external", {"external_url": "https://x.example"})
    assert denied.status_code == 403
