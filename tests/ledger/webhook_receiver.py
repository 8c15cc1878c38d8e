"""A real HTTP receiver on loopback for webhook tests: checks signatures, can fail or go down."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ledger.domain.webhooks import EVENT_ID_HEADER, SIGNATURE_HEADER, verify


@dataclass
class Received:
    event_id: str
    body: dict[str, Any]
    signed: bool


@dataclass
class Receiver:
    secret: str
    port: int = 0
    # Answer this status instead of 204 (e.g. 500) while set.
    status: int = 204
    got: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/points"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signed = verify(
                    receiver.secret, self.headers.get(SIGNATURE_HEADER, ""), body, int(time.time())
                )
                status = receiver.status if signed else 401
                if 200 <= status < 300:
                    receiver.got.append(
                        Received(self.headers[EVENT_ID_HEADER], json.loads(body), signed)
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.allow_reuse_address = True
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def stop(self) -> None:
        """Down: the port refuses connections until :meth:`start` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def ids(self) -> list[str]:
        return [r.event_id for r in self.got]


@contextmanager
def receiving(secret: str) -> Iterator[Receiver]:
    receiver = Receiver(secret)
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
