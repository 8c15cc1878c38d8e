"""A small HTTP helper for tests against a live ledger."""

from __future__ import annotations

from typing import Any

import requests

from ledger.domain.access import Role


class Api:
    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base + "/api/v1"
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("PUT", path, **kwargs)


def hr_api(live: Any, role: Role = Role.HR) -> Api:
    return Api(live.url, live.service.create_token(role, name="test"))


def device_api(live: Any, name: str = "Kiosk A") -> tuple[Api, dict[str, Any]]:
    code = live.service.create_enroll_code()
    response = requests.post(
        live.url + "/api/v1/devices/enroll", json={"code": code, "name": name}, timeout=30
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Api(live.url, body["token"]), body


def error_code(response: requests.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"], body
    return body["error"]["code"]
