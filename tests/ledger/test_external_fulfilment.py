"""External fulfilment against a real receiver on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ledger.jobs.fulfilment import fulfil_external
from ledger.service import Actor
from ledger.service.fulfilment import EXTERNAL_ATTEMPTS
from ledger.storage.models import DomainEvent, HrAction
from tests.ledger.factory import employee, grant, item, order_request
from tests.ledger.webhook_receiver import receiving

SECRET = "whsec_leave-system-test"


@pytest.fixture
def shop(service):
    employee(service)
    item(service, "leave-day", points=500, category="virtual", fulfilment="external")
    grant(service, "E1001", 5000)
    return service


def approved(service) -> str:
    order_id = service.place_order(order_request("E1001", "leave-day", 500), None).order.order_id
    assert service.transition(order_id, "approve").status == "approved"
    return order_id


def status_of(service, order_id: str) -> str:
    return next(o["status"] for o in service.list_orders() if o["order_id"] == order_id)


def run_job(service) -> dict[str, object]:
    return fulfil_external(service.acting_as(Actor.system("fulfilment")))


def test_a_receiver_that_fails_then_succeeds_fulfils_the_order(shop, clock):
    with receiving(SECRET) as receiver:
        shop.set_external_endpoint("leave-day", receiver.url, SECRET)
        order_id = approved(shop)
        receiver.status = 503
        assert run_job(shop) == {"fulfilled": 0, "retry_later": 1, "failed": 0}
        assert status_of(shop, order_id) == "approved"
        assert run_job(shop)["retry_later"] == 0  # not due yet: backoff
        receiver.status = 204
        clock.advance(minutes=1)
        assert run_job(shop) == {"fulfilled": 1, "retry_later": 0, "failed": 0}
        assert status_of(shop, order_id) == "fulfilled"
        assert receiver.ids() == [order_id]
        got = receiver.got[0].body
        assert got["type"] == "order.fulfilment_requested"
        assert got["data"]["order_id"] == order_id and got["data"]["item"]["id"] == "leave-day"
        clock.advance(hours=1)
        assert run_job(shop)["fulfilled"] == 0  # sent once
    with shop.db.read() as session:
        fulfilled = session.scalars(
            select(DomainEvent).where(DomainEvent.type == "order.fulfilled")
        ).all()
        line = session.scalars(select(HrAction).where(HrAction.action == "order.fulfil")).one()
    assert [e.actor for e in fulfilled] == ["system:fulfilment"]
    assert (line.actor_kind, line.target) == ("system", order_id)
    assert shop.employee("E1001")["held"] == 0
    assert shop.audit_report().ok


def test_failures_past_the_retries_alert_hr_and_keep_the_order_approved(shop, clock):
    with receiving(SECRET) as receiver:
        shop.set_external_endpoint("leave-day", receiver.url, SECRET)
        order_id = approved(shop)
        receiver.status = 500
        results = []
        for _ in range(EXTERNAL_ATTEMPTS):
            results.append(run_job(shop))
            clock.advance(hours=2)
        assert results[-1]["failed"] == 1
        assert status_of(shop, order_id) == "approved"
        with shop.db.read() as session:
            alerts = session.scalars(
                select(DomainEvent).where(DomainEvent.type == "fulfilment.failed")
            ).all()
        assert [(a.subject, json.loads(a.payload)) for a in alerts] == [
            (order_id, {"order_id": order_id, "item_id": "leave-day", "error": "HTTP 500"})
        ]
        assert run_job(shop)["retry_later"] == 0  # given up: nothing more is sent
        receiver.status = 204
        shop.retry_external(order_id)  # HR's "send again"
        assert run_job(shop)["fulfilled"] == 1
        assert status_of(shop, order_id) == "fulfilled"


def test_an_unsigned_or_wrongly_signed_call_is_refused_by_the_receiver(shop):
    with receiving(SECRET) as receiver:
        shop.set_external_endpoint("leave-day", receiver.url, "whsec_another-secret")
        order_id = approved(shop)
        assert run_job(shop)["retry_later"] == 1
        assert receiver.got == [] and status_of(shop, order_id) == "approved"


def test_an_order_rejected_meanwhile_is_not_sent(shop, clock):
    with receiving(SECRET) as receiver:
        shop.set_external_endpoint("leave-day", receiver.url, SECRET)
        order_id = approved(shop)
        shop.transition(order_id, "reject", reason="leave system closed")
        run_job(shop)
        assert receiver.got == []
    assert shop.employee("E1001")["balance"] == 5000


def test_a_new_secret_is_made_when_none_is_given(shop):
    made = shop.set_external_endpoint("leave-day", "http://127.0.0.1:9/x")
    assert made is not None and made.startswith("whsec_")
    info = shop.fulfilment_of("leave-day")
    assert info["external_secret_set"] is True and "external_secret" not in info
