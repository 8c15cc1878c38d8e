"""Random and hostile bodies never make the ledger answer 500, and always get an envelope."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.factory import employee, grant, item
from tests.ledger.http import device_api, hr_api

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=40)
    | st.sampled_from(
        ["E1001", "card-100", "2026-06-15T10:00:00+08:00", "0001-01-01T00:00:00Z", "zh", "qr"]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
ORDER_FIELDS = [
    "order_id", "employee_id", "item_id", "quantity", "points", "badge_serial", "placed_at",
    "offline",
]  # fmt: skip
BODIES = st.one_of(
    JSON,
    st.fixed_dictionaries({}, optional={name: JSON for name in ORDER_FIELDS}),
    st.fixed_dictionaries(
        {"order_id": st.uuids().map(str)},
        optional={name: SCALARS for name in ORDER_FIELDS if name != "order_id"},
    ),
)  # fmt: skip
ROUTES = [
    ("device", "POST", "/orders"),
    ("device", "POST", "/devices/heartbeat"),
    ("hr", "POST", "/events"),
    ("hr", "POST", "/adjustments"),
    ("hr", "POST", "/badges"),
    ("hr", "PUT", "/employees/E1001"),
    ("hr", "PUT", "/items/card-100"),
    ("hr", "PUT", "/rules/performance.excellent"),
    ("admin", "PUT", "/settings"),
]


@pytest.fixture
def apis(live):
    from ledger.domain.access import Role

    employee(live.service)
    item(live.service, points=300)
    grant(live.service, "E1001", 1000)
    device, _ = device_api(live)
    return {"device": device, "hr": hr_api(live), "admin": hr_api(live, Role.ADMIN)}


def test_random_bodies_get_a_clean_error_or_success(apis):
    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(route=st.sampled_from(ROUTES), body=BODIES)
    def check(route, body):
        role, method, path = route
        # json.dumps writes NaN and Infinity as bare words, as a careless client might.
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        response = apis[role].call(method, path, data=data, headers=headers)
        assert response.status_code < 500, (route, body, response.text)
        if response.status_code >= 400:
            error = response.json()["error"]
            assert error["code"] and error["message"]

    check()
    audit = apis["hr"].get("/audit").json()
    assert audit["ok"] is True, audit


@pytest.mark.parametrize(
    "raw",
    [b"", b"null", b"[]", b"{", b"\xff\xfe", b'{"order_id": "' + b"9" * 10_000 + b'"}'],
)
def test_unparsable_order_bodies(apis, raw):
    response = apis["device"].call(
        "POST", "/orders", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
