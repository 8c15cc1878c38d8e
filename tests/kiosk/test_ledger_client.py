"""The kiosk's HTTP client on the standard library: keep-alive, time-outs, redirects, bodies
cut short or compressed, proxies from the environment, TLS through a proxy and a pinned CA."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sync.client import LedgerClient, Timeouts, TlsError, TransientError
from sync.protocol import Heartbeat
from tests.conftest import LiveLedger
from tests.kiosk.test_enrolment import self_signed

Reply = Callable[[BaseHTTPRequestHandler], None]


class FakeLedger:
    """An HTTP/1.1 server on loopback answering every request with ``reply``; it records the
    request lines and the client ports (one port per connection)."""

    def __init__(self, reply: Reply) -> None:
        fake = self
        self.lines: list[str] = []
        self.ports: list[int] = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake.lines.append(self.requestline)
                fake.ports.append(self.client_address[1])
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                reply(self)

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_ledger() -> Iterator[Callable[[Reply], FakeLedger]]:
    started: list[FakeLedger] = []

    def start(reply: Reply) -> FakeLedger:
        started.append(FakeLedger(reply))
        return started[-1]

    yield start
    for fake in started:
        fake.stop()


def answer(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None, close: bool = False
) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        # Closed without saying so, as a server's keep-alive time-out does.
        handler.close_connection = close

    return reply


def beat() -> Heartbeat:
    return Heartbeat(version="1", outbox=0)


def test_one_connection_is_kept_for_many_requests(fake_ledger) -> None:
    fake = fake_ledger(answer(204))
    client = LedgerClient(fake.url, "token")
    try:
        for _ in range(3):
            client.heartbeat(beat())
    finally:
        client.close()
    assert len(fake.lines) == 3 and len(set(fake.ports)) == 1
    assert fake.lines[0] == "POST /api/v1/devices/heartbeat HTTP/1.1"


def test_a_connection_the_server_closed_while_idle_is_replaced(fake_ledger) -> None:
    fake = fake_ledger(answer(204, close=True))
    client = LedgerClient(fake.url, "token")
    try:
        client.heartbeat(beat())
        time.sleep(0.2)  # the server's close reaches the kiosk
        client.heartbeat(beat())
    finally:
        client.close()
    assert len(fake.lines) == 2 and len(set(fake.ports)) == 2


def test_a_ledger_that_does_not_answer_times_out(fake_ledger) -> None:
    fake = fake_ledger(lambda handler: time.sleep(3))
    client = LedgerClient(fake.url, "token", timeouts=Timeouts(connect=1, read=0.5))
    started = time.monotonic()
    try:
        with pytest.raises(TransientError) as caught:
            client.heartbeat(beat())
    finally:
        client.close()
    assert time.monotonic() - started < 2.5
    assert isinstance(caught.value.__cause__.__cause__, TimeoutError)  # type: ignore[union-attr]


def test_a_server_that_accepts_no_connection_is_transient() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    client = LedgerClient(closed, timeouts=Timeouts(connect=1, read=1))
    with pytest.raises(TransientError) as caught:
        client.heartbeat(beat())
    assert isinstance(caught.value.__cause__.__cause__, ConnectionRefusedError)  # type: ignore[union-attr]


def test_redirects_are_not_followed(fake_ledger) -> None:
    fake = fake_ledger(answer(301, headers={"Location": "https://elsewhere.example/api/v1/x"}))
    client = LedgerClient(fake.url, "token")
    try:
        with pytest.raises(TransientError) as caught:
            client.push_order('{"id": "x"}')
    finally:
        client.close()
    assert caught.value.status == 301 and "elsewhere.example" in caught.value.message
    assert len(fake.lines) == 1


def test_a_body_cut_short_is_transient(fake_ledger) -> None:
    def cut(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b"x" * 10)
        handler.close_connection = True

    fake = fake_ledger(cut)
    client = LedgerClient(fake.url, "token")
    try:
        with pytest.raises(TransientError):
            client.item_image("cake")
    finally:
        client.close()


def test_a_compressed_body_is_decoded(fake_ledger) -> None:
    picture = b"\x89PNG" + bytes(range(256)) * 8
    fake = fake_ledger(
        answer(
            200, gzip.compress(picture), {"Content-Type": "image/png", "Content-Encoding": "gzip"}
        )
    )
    client = LedgerClient(fake.url, "token")
    try:
        assert client.item_image("cake") == ("image/png", picture)
    finally:
        client.close()


def test_the_proxy_of_the_environment_is_used_unless_no_proxy_names_the_ledger(
    fake_ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = fake_ledger(answer(204))
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("http_proxy", proxy.url)
    client = LedgerClient("http://ledger.factory.invalid:8700", "token")
    try:
        client.heartbeat(beat())
    finally:
        client.close()
    assert proxy.lines == [
        "POST http://ledger.factory.invalid:8700/api/v1/devices/heartbeat HTTP/1.1"
    ]
    ledger = fake_ledger(answer(204))
    monkeypatch.setenv("no_proxy", "localhost,127.0.0.0/8")
    client = LedgerClient(ledger.url, "token")
    try:
        client.heartbeat(beat())
    finally:
        client.close()
    assert len(ledger.lines) == 1 and len(proxy.lines) == 1


class TunnelProxy:
    """An HTTP proxy that only tunnels (``CONNECT``), as a factory's HTTPS proxy does."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.tunnel, args=(conn,), daemon=True).start()

    def tunnel(self, conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            head += conn.recv(4096)
        target = head.split(b" ")[1].decode()
        self.targets.append(target)
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pipe(a: socket.socket, b: socket.socket) -> None:
            try:
                while data := a.recv(65536):
                    b.sendall(data)
            except OSError:
                pass
            finally:
                b.close()

        threading.Thread(target=pipe, args=(upstream, conn), daemon=True).start()
        pipe(conn, upstream)

    def stop(self) -> None:
        self.sock.close()


@pytest.fixture
def tls_ledger(service, tmp_path: Path) -> Iterator[LiveLedger]:
    ledger = LiveLedger(service, tls=self_signed(tmp_path))
    yield ledger
    ledger.stop()


def test_https_goes_through_the_proxys_tunnel_and_trusts_the_pinned_ca(
    tls_ledger: LiveLedger, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = TunnelProxy()
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("https_proxy", proxy.url)
    assert tls_ledger.tls is not None
    pinned = LedgerClient(tls_ledger.url, verify=str(tls_ledger.tls[0]))
    untrusted = LedgerClient(tls_ledger.url)
    try:
        code = tls_ledger.service.create_enroll_code()
        assert pinned.enroll(code, "Kiosk T").device_id
        with pytest.raises(TlsError):
            untrusted.enroll(code, "Kiosk U")
    finally:
        pinned.close()
        untrusted.close()
        proxy.stop()
    assert proxy.targets == [f"127.0.0.1:{tls_ledger.port}"] * 2


def test_a_certificate_for_another_name_is_a_tls_error(tls_ledger: LiveLedger) -> None:
    assert tls_ledger.tls is not None
    # The certificate names 127.0.0.1 only; "localhost" reaches the same server.
    client = LedgerClient(f"https://localhost:{tls_ledger.port}", verify=str(tls_ledger.tls[0]))
    try:
        with pytest.raises(TlsError):
            client.heartbeat(beat())
    finally:
        client.close()


def test_a_missing_ca_file_is_a_tls_error(tls_ledger: LiveLedger, tmp_path: Path) -> None:
    client = LedgerClient(tls_ledger.url, verify=str(tmp_path / "missing.pem"))
    with pytest.raises(TlsError):
        client.heartbeat(beat())


def test_the_kiosk_loads_neither_requests_nor_urllib3() -> None:
    # ~5.5 MB of the idle kiosk; the ledger's side keeps requests.
    probe = (
        "import sys, kiosk.runtime, kiosk.cli, ui.app, ui.main_window\n"
        "print(sorted(m for m in ('requests', 'urllib3') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip() == "[]"
