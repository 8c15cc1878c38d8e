"""Available, held and total are one definition: the kiosk, the API and the HR console agree."""

from __future__ import annotations

import re

from ledger.domain.access import Role
from ledger.domain.console_users import ConsoleRole
from ledger.service import Actor
from tests.conftest import LiveLedger
from tests.console.conftest import PASSWORD, Browser
from tests.kiosk.conftest import MakeKiosk, qr_badge
from tests.kiosk.test_offline import go_offline
from tests.ledger.http import Api


def _console_tiles(browser: Browser, employee_id: str) -> dict[str, int]:
    page = browser.get(f"/admin/employees/{employee_id}").text
    tiles = {}
    for name in ("available", "held", "total"):
        found = re.search(rf'id="{name}">([\d,]+)<', page)
        assert found, name
        tiles[name] = int(found.group(1).replace(",", ""))
    return tiles


def test_kiosk_api_and_console_show_the_same_points(
    any_factory_floor: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    ledger = any_factory_floor
    service = ledger.service
    service.update_settings({"pin_threshold": 5000, "offline_order_limit": 2000})
    service.acting_as(Actor.cli()).create_user("hr-wang", ConsoleRole.HR, PASSWORD)
    kiosk = make_kiosk(ledger)
    kiosk.sync_once()
    badge = qr_badge(ledger, "E1001")  # 3,000 points
    kiosk.sync_once()
    worker = kiosk.service.login(badge)
    approved = worker.place_order("card-100")  # 1,000, approved by HR below
    worker.place_order("leave-day")  # 500, left pending
    assert kiosk.sync_once().created == 2
    service.transition(approved.order_id, "approve")
    go_offline(ledger, kiosk)
    offline = worker.place_order("cake")  # 300, placed while the ledger is away
    assert offline.offline
    # Before the ledger has it, the kiosk already counts it as held, not spendable.
    mine = kiosk.service.login(badge).balance()
    assert (mine.available, mine.held, mine.points.total) == (1200, 1800, 3000)

    ledger = ledger.restart()
    try:
        assert kiosk.sync_once().created == 1
        kiosk.sync_once()
        mine = kiosk.service.login(badge).balance()
        at_kiosk = {"available": mine.available, "held": mine.held, "total": mine.points.total}
        hr_api = Api(ledger.url, service.create_token(Role.HR))
        answer = hr_api.get("/employees/E1001").json()
        from_api = {name: answer[name] for name in ("available", "held", "total")}
        browser = Browser(ledger.url)
        assert browser.sign_in("hr-wang").status_code == 200
        on_console = _console_tiles(browser, "E1001")
        assert (
            at_kiosk == from_api == on_console == {"available": 1200, "held": 1800, "total": 3000}
        )
        assert answer["balance"] == 1200  # the wallet: held points have left it
    finally:
        ledger.stop()
