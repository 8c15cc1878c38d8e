"""A kiosk's token spends nothing without its worker: every order shows a badge, card or PIN."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.domain.evidence import BadgeVerifier
from ledger.service import LedgerService
from sync import badge_codec
from tests.conftest import FakeClock
from tests.ledger import factory
from tests.ledger.http import Api, device_api, error_code


def order(kiosk: Api, points: int = 300, quantity: int = 1, **fields: Any) -> Any:
    body = factory.order_request("E1", "card", points, quantity=quantity).model_dump(mode="json")
    return kiosk.post("/orders", json=body | fields)


def test_orders_need_the_workers_own_live_badge_card_or_pin(live) -> None:
    service: LedgerService = live.service
    for worker in ("E1", "E2"):
        factory.employee(service, worker)
        factory.grant(service, worker, 5000)
    factory.item(service, "card", points=300)
    service.update_settings({"pin_threshold": 1000})

    def badge(employee_id: str, kind: str = "qr") -> tuple[str, str]:
        serial, payload = service.issue_badge(employee_id, kind)
        assert payload is not None
        return serial, payload

    mine_serial, mine = badge("E1")
    _, theirs = badge("E2")
    lost_serial, lost = badge("E1")
    service.revoke_badge(lost_serial)
    _, maintenance = badge("E1", "admin")
    my_card, their_card = factory.card(service, "E1"), factory.card(service, "E2")
    kiosk, _ = device_api(live, "Line 1")
    other_kiosk, _ = device_api(live, "Line 2")

    def refused(response: Any) -> bool:
        return response.status_code == 409 and error_code(response) == "evidence_invalid"

    bad = [
        None,
        {"kind": "qr", "value": theirs},
        {"kind": "qr", "value": lost},
        {"kind": "qr", "value": maintenance},
        {"kind": "qr", "value": mine[:-4] + "AAAA"},  # a forged signature
        {"kind": "qr", "value": "PK1.E1.XXXX.bad"},
        their_card,
        {"kind": "rfid", "value": "04DEADBEEF"},
        {"kind": "pin", "value": "made-up-token"},
    ]
    for evidence in bad:
        assert refused(order(kiosk, evidence=evidence)), evidence
    assert service.employee("E1")["held"] == 0 and service.employee("E1")["balance"] == 5000

    # A refused order is stored as refused: its replay answers the same, even with evidence.
    body = factory.order_request("E1", "card", 300).model_dump(mode="json")
    assert refused(kiosk.post("/orders", json=body))
    assert refused(kiosk.post("/orders", json=body | {"evidence": my_card}))

    assert order(kiosk, evidence={"kind": "qr", "value": mine}).status_code == 201
    assert order(kiosk, evidence={"kind": "qr", "value": f"  {mine}\n"}).status_code == 201
    assert order(kiosk, evidence=my_card).status_code == 201
    assert order(kiosk, evidence=my_card | {"value": "card-e1"}).status_code == 201

    # Above the PIN threshold only a fresh PIN token of this worker, from this kiosk, will do.
    assert refused(order(kiosk, points=1200, quantity=4, evidence=my_card))
    service.set_pin("E1", "2468")

    def token(at: Api) -> str:
        answer = at.post("/pin-checks", json={"employee_id": "E1", "pin": "2468"})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["token"])

    pin = {"kind": "pin", "value": token(kiosk)}
    assert refused(order(other_kiosk, points=1200, quantity=4, evidence=pin))
    assert order(kiosk, points=1200, quantity=4, evidence=pin).status_code == 201
    assert refused(order(kiosk, points=1200, quantity=4, evidence=pin))  # used once
    stale = {"kind": "pin", "value": token(kiosk)}
    clock: FakeClock = service.clock  # type: ignore[assignment]  # the tests' clock
    clock.advance(minutes=6)
    assert refused(order(kiosk, points=1200, quantity=4, evidence=stale))
    # A refusal for another reason keeps the token for the next try.
    kept = {"kind": "pin", "value": token(kiosk)}
    assert error_code(order(kiosk, points=1000, quantity=4, evidence=kept)) == "price_changed"
    assert order(kiosk, points=1200, quantity=4, evidence=kept).status_code == 201
    # The ledger remembers that a badge's signature is good, never that the badge is live.
    service.revoke_badge(mine_serial)
    assert refused(order(kiosk, evidence={"kind": "qr", "value": mine}))
    assert service.audit_report().ok


def test_a_kiosk_cancels_its_own_orders_or_with_the_workers_badge(live) -> None:
    service: LedgerService = live.service
    factory.employee(service, "E1")
    factory.grant(service, "E1", 5000)
    factory.item(service, "card", points=300)
    my_card = factory.card(service, "E1")
    kiosk, _ = device_api(live, "Line 1")
    other_kiosk, _ = device_api(live, "Line 2")
    placed = [order(kiosk, evidence=my_card).json()["order_id"] for _ in range(3)]

    stranger = other_kiosk.post(f"/orders/{placed[0]}/cancel")
    assert stranger.status_code == 403 and error_code(stranger) == "evidence_invalid"
    assert kiosk.post(f"/orders/{placed[0]}/cancel").json()["status"] == "cancelled"
    with_card = other_kiosk.post(f"/orders/{placed[1]}/cancel", json={"evidence": my_card})
    assert with_card.status_code == 200 and with_card.json()["status"] == "cancelled"
    factory.employee(service, "E2")
    wrong_card = other_kiosk.post(
        f"/orders/{placed[2]}/cancel", json={"evidence": factory.card(service, "E2")}
    )
    assert wrong_card.status_code == 403
    missing = kiosk.post("/orders/00000000-0000-4000-8000-000000000000/cancel")
    assert missing.status_code == 404 and error_code(missing) == "unknown_order"
    assert service.audit_report().ok


def test_orders_not_from_a_kiosk_need_no_evidence(service: LedgerService) -> None:
    factory.employee(service, "E1")
    factory.grant(service, "E1", 5000)
    factory.item(service, "card", points=300)
    placed = service.place_order(factory.order_request("E1", "card", 300), None)
    assert placed.refusal is None and placed.created


def test_badge_verdicts_are_remembered_within_a_bound(monkeypatch) -> None:
    key = Ed25519PrivateKey.generate()
    verifier = BadgeVerifier(key.public_key(), kept=2)
    checked: list[str] = []
    real_verify = badge_codec.verify

    def counting_verify(text: str, public_key: object) -> badge_codec.BadgeClaim:
        checked.append(text)
        return real_verify(text, public_key)  # type: ignore[arg-type]

    monkeypatch.setattr(badge_codec, "verify", counting_verify)
    first, second = (badge_codec.encode(f"E{n}", f"S{n}", key) for n in range(2))
    forged = first[:-4] + "AAAA"
    someone_elses = badge_codec.encode("E0", "S0", Ed25519PrivateKey.generate())

    claim = verifier.claim(first)
    assert claim is not None and (claim.employee_id, claim.serial) == ("E0", "S0")
    assert verifier.claim(first) == claim and checked.count(first) == 1
    assert verifier.claim(forged) is None and verifier.claim(forged) is None
    assert verifier.claim(someone_elses) is None
    assert checked.count(forged) == 1
    # Two verdicts kept: after two other badges the first is checked again.
    verifier.claim(second)
    verifier.claim(forged)
    assert verifier.claim(first) == claim and checked.count(first) == 2
