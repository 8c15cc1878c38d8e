"""The ledger caps request bodies before it parses them or checks who is calling."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import requests

from ledger.api.limits import DEFAULT_BODY_LIMIT, UPLOAD_BODY_LIMIT
from tests.ledger.http import error_code


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"[" * min(size, total - sent)
        sent += size


def test_declared_oversized_anonymous_body_is_refused_at_once(live):
    started = time.monotonic()
    # Only the headers go out: the ledger must answer without waiting for the 100 MB.
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\n\r\n" + b"[" * 1000
        )
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert b"payload_too_large" in answer
    assert b"x-content-type-options: nosniff" in answer.lower()
    assert time.monotonic() - started < 2


def test_streamed_oversized_body_is_cut_off(live):
    response = requests.post(
        live.url + "/api/v1/events",
        data=_chunks(8 * DEFAULT_BODY_LIMIT),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_a_body_under_the_cap_reaches_the_route(live):
    # A body just under the cap is parsed and then refused for what it is, not its size.
    response = requests.post(
        live.url + "/api/v1/orders",
        data=b" " * (DEFAULT_BODY_LIMIT - 10) + b"{}",
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"


def test_health_answers_while_a_huge_body_is_refused(live):
    errors: list[BaseException] = []

    def flood() -> None:
        try:
            requests.post(
                live.url + "/api/v1/orders",
                data=_chunks(300 * 1024 * 1024),
                headers={"Content-Type": "application/json"},
                timeout=30,
            )
        except requests.RequestException:
            pass  # the ledger may close the connection mid-upload
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=flood) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(10):
        started = time.monotonic()
        health = requests.get(live.url + "/health", timeout=5)
        assert health.status_code == 200
        assert time.monotonic() - started < 1
    for thread in threads:
        thread.join(timeout=60)
    assert not errors


def test_anonymous_upload_is_not_read(live):
    # Under the upload cap but anonymous: sent to sign in, the file never read or spooled.
    big = UPLOAD_BODY_LIMIT // 2
    for path in ("/admin/catalogue", "/admin/events"):
        with socket.create_connection(("127.0.0.1", live.port), timeout=10) as sock:
            sock.sendall(
                f"POST {path} HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: multipart/form-data; boundary=xx\r\n"
                f"Content-Length: {big}\r\n\r\n".encode()
                + b"--xx\r\n"
            )
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 303"), answer
        assert b"/admin/login" in answer


def test_oversized_upload_is_refused_before_the_session_check(live):
    response = requests.post(
        live.url + "/admin/catalogue",
        data=_chunks(UPLOAD_BODY_LIMIT + 1024 * 1024),
        headers={"Content-Type": "multipart/form-data; boundary=xx"},
        timeout=30,
        allow_redirects=False,
    )
    # Either answer is fine as long as nothing was parsed: sign-in first, or the cap first.
    assert response.status_code in (303, 413)


def test_every_kind_of_answer_says_nosniff(live):
    """JSON, errors of each layer, the order route (added ahead of the routers) and the
    console's HTML all carry ``X-Content-Type-Options: nosniff``, once."""
    answers = [
        requests.get(live.url + "/health", timeout=10),  # 200 JSON
        requests.get(live.url + "/api/v1/orders", timeout=10),  # 401, beside the order route
        requests.post(live.url + "/api/v1/orders", json={}, timeout=10),  # the hot route
        requests.get(live.url + "/api/v1/no-such-route", timeout=10),  # 404 from routing
        requests.delete(live.url + "/api/v1/orders", timeout=10),  # 405
        requests.get(live.url + "/admin/login", timeout=10),  # a console page
        requests.post(
            live.url + "/api/v1/events",
            data=b"[" * (DEFAULT_BODY_LIMIT + 1),
            headers={"Content-Type": "application/json"},
            timeout=30,
        ),  # 413 from the cap itself
    ]
    assert [a.status_code for a in answers] == [200, 401, 401, 404, 405, 200, 413]
    for answer in answers:
        values = [v for k, v in answer.raw.headers.items() if k.lower() == "x-content-type-options"]
        assert values == ["nosniff"], (answer.url, answer.status_code, values)
