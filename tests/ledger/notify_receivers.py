"""Real receivers on loopback for notification tests: an SMTP server (aiosmtpd, STARTTLS and
a login when asked) and an HTTP server that answers like a group robot."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that signs itself: (cert, key) files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "points mail test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp.crt", directory / "smtp.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@dataclass
class Mail:
    sender: str
    to: list[str]
    message: Message
    tls: bool

    @property
    def subject(self) -> str:
        return str(email.header.make_header(email.header.decode_header(self.message["Subject"])))

    @property
    def text(self) -> str:
        payload = self.message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode(self.message.get_content_charset() or "utf-8")


class MailServer:
    """aiosmtpd on loopback; with ``tls`` it requires STARTTLS, with ``login`` a password."""

    def __init__(self, tls: tuple[Path, Path] | None = None, login: tuple[str, str] | None = None):
        self.got: list[Mail] = []
        self.port = free_port()
        server = self

        class Handler:
            async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
                server.got.append(
                    Mail(
                        envelope.mail_from,
                        list(envelope.rcpt_tos),
                        email.message_from_bytes(envelope.content),
                        session.ssl is not None,
                    )
                )
                return "250 OK"

        kwargs: dict[str, Any] = {}
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            kwargs |= {"tls_context": context, "require_starttls": True}
        if login:

            def check(
                _server: Any, _session: Any, _envelope: Any, mechanism: str, data: Any
            ) -> AuthResult:
                ok = (
                    isinstance(data, LoginPassword)
                    and (data.login.decode(), data.password.decode()) == login
                )
                return AuthResult(success=ok)

            kwargs |= {"authenticator": check, "auth_required": True, "auth_require_tls": bool(tls)}
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()


@dataclass
class RobotCall:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    raw_query: str

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.raw)


@dataclass
class RobotServer:
    """Answers like a group robot: 200 with ``{"errcode": 0}`` and ``{"code": 0}``, or what
    ``answer`` says (status, JSON) while set."""

    got: list[RobotCall] = field(default_factory=list)
    answer: tuple[int, dict[str, Any]] = (200, {"errcode": 0, "errmsg": "ok", "code": 0})
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> RobotServer:
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with robot._lock:
                    robot.got.append(
                        RobotCall(parts.path, query, dict(self.headers), raw, parts.query)
                    )
                status, answer = robot.answer
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def calls(self, path: str) -> list[RobotCall]:
        return [c for c in self.got if c.path == path]
