"""An HTTP proxy on loopback that misbehaves on purpose: drops, delays, resets, 502s and
bodies cut short, before or after the ledger has seen the request."""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter

FAULTS = (
    "drop_before",  # the request never reaches the ledger
    "reset_before",
    "bad_gateway_before",
    "delay_before",  # long enough, sometimes, for the kiosk's read timeout
    "drop_after",  # the ledger did the work; the answer is lost
    "reset_after",
    "bad_gateway_after",
    "delay_after",
    "truncate_after",
)
BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
    b"Connection: close\r\n\r\nbad gateway"
)


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    lines = head.split(b"\r\n")
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(b":", 1)[0].strip().lower()
        if name == b"content-length":
            length = int(line.split(b":", 1)[1])
        if name != b"connection":
            kept.append(line)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


class FaultProxy:
    """Forwards to ``127.0.0.1:upstream_port``; ``rate`` of requests meet a fault."""

    def __init__(self, upstream_port: int, rate: float = 0.3, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.rate = rate
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self.listener.close()

    def _choose(self) -> str:
        with self.lock:
            fault = self.rng.choice(FAULTS) if self.rng.random() < self.rate else "pass"
            self.counts[fault] += 1
            return fault

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30) as up:
            up.sendall(request)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def _serve(self, conn: socket.socket) -> None:
        try:
            request = _read_request(conn)
            if request is None:
                conn.close()
                return
            fault = self._choose()
            if fault == "drop_before":
                conn.close()
                return
            if fault == "reset_before":
                _reset(conn)
                return
            if fault == "bad_gateway_before":
                conn.sendall(BAD_GATEWAY)
                conn.close()
                return
            if fault == "delay_before":
                time.sleep(self.rng.uniform(0.2, 1.5))
            response = self._forward(request)
            if fault == "drop_after":
                conn.close()
            elif fault == "reset_after":
                _reset(conn)
            elif fault == "bad_gateway_after":
                conn.sendall(BAD_GATEWAY)
                conn.close()
            elif fault == "truncate_after":
                conn.sendall(response[: len(response) // 2 + 1])
                conn.close()
            else:
                if fault == "delay_after":
                    time.sleep(self.rng.uniform(0.2, 1.5))
                conn.sendall(response)
                conn.close()
        except OSError:
            conn.close()
