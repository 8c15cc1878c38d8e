"""One persistent HTTP(S) connection to the ledger, on the standard library.

The kiosk's sync client used ``requests``; this module keeps what the kiosk relied on from it
without loading requests and urllib3 (~5.5 MB of the idle kiosk):

- TLS verified against certifi's bundle (what requests used), or the kiosk's pinned CA file;
  as with requests, ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` replace certifi's bundle but
  never a pinned one. TLS 1.2 at least, host names checked.
- A connect time-out for the TCP connection and the TLS handshake, a read time-out for each
  wait on the socket afterwards.
- Keep-alive: one connection, reused while the server keeps it open; a connection the server
  closed while idle is noticed before a request is written on it, and a new one is opened.
  No request is sent twice (urllib3 was configured the same way: no retries).
- Proxies from the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``,
  upper or lower case), as requests honoured them: HTTPS through a ``CONNECT`` tunnel. Only
  ``http://`` proxies; another kind is a ``TransportError``.
- gzip or deflate bodies decoded, as requests did for a proxy that compresses.

Redirects are not followed: the caller sees the 3xx answer.

Failures are ``TlsFailure`` (a TLS error, most often an untrusted certificate) and
``TransportError`` (no usable answer: refused, unreachable, timed out, reset, cut short);
both are sorted by the exception's type, never by its text.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import logging
import os
import select
import socket
import ssl
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit
from urllib.request import getproxies, proxy_bypass

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


class TransportError(Exception):
    """The request got no usable answer (network, time-out, a body cut short)."""


class TlsFailure(TransportError):
    """TLS failed: an untrusted or mismatched certificate, a broken handshake, no CA file."""


@dataclass(frozen=True)
class Response:
    """A whole answer: status, headers (names case-insensitive) and the decoded body."""

    status: int
    reason: str
    headers: http.client.HTTPMessage
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON; ``ValueError`` when it is not."""
        return json.loads(self.content)


def ca_location(verify: str, environ: Mapping[str, str] | None = None) -> str:
    """The CA file or folder to verify against: a pinned path, else requests' choice."""
    if verify:
        return verify
    env = os.environ if environ is None else environ
    found = env.get("REQUESTS_CA_BUNDLE") or env.get("CURL_CA_BUNDLE")
    if found:
        return found
    import certifi

    return str(certifi.where())


def tls_context(verify: bool | str) -> ssl.SSLContext:
    """A client context verifying against ``verify`` (``True``: certifi or the environment)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    location = ca_location("" if verify is True else str(verify))
    try:
        if os.path.isdir(location):
            context.load_verify_locations(capath=location)
        else:
            context.load_verify_locations(cafile=location)
    except (OSError, ssl.SSLError) as exc:
        raise TlsFailure(f"cannot load the CA certificates {location}: {exc}") from exc
    return context


def _bypasses(host: str, no_proxy: str) -> bool:
    """Whether ``NO_PROXY`` names ``host``: a name or domain suffix, an IP or a CIDR range."""
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in (part.strip() for part in no_proxy.replace(" ", ",").split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        if address is not None and "/" in entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        name = entry.split(":")[0].lstrip(".").lower() if address is None else entry
        if host.lower() == name or host.lower().endswith("." + name):
            return True
    return False


def proxy_for(scheme: str, host: str) -> str | None:
    """The proxy URL the environment (on Windows and macOS also the system) names, or ``None``.

    ``NO_PROXY`` is read as requests read it, CIDR ranges included, then the standard
    library's ``proxy_bypass`` (the system's exceptions where there are some).
    """
    no_proxy = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    if (no_proxy and _bypasses(host, no_proxy)) or proxy_bypass(host):
        return None
    proxies = getproxies()
    return proxies.get(scheme) or proxies.get("all")


def _dropped(sock: socket.socket) -> bool:
    """Whether an idle kept-alive socket has been closed (or sent something unasked)."""
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)
    except (OSError, ValueError):
        return True


def _decoded(body: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    try:
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some servers send
    except zlib.error as exc:
        raise TransportError(f"a {encoding} body that does not decode: {exc}") from None
    return body  # an encoding we did not ask for: left as sent, as requests does


class LedgerConnection:
    """Requests to one server over one kept-alive connection; one caller at a time."""

    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float,
        read_timeout: float,
        verify: bool | str = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        # A URL that cannot be used fails each request, as it did with requests, not here.
        self.problem = ""
        parts = urlsplit(base_url)
        self.scheme, self.host, self.base_path = parts.scheme, parts.hostname or "", parts.path
        self.base_path = self.base_path.rstrip("/")
        try:
            self.port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
        except ValueError:
            self.port = 0
        if parts.scheme not in DEFAULT_PORTS or not self.host or not self.port:
            self.problem = f"not an http:// or https:// URL: {base_url!r}"
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.verify = verify
        self.headers: dict[str, str] = {
            "Accept": "*/*",
            "Accept-Encoding": "gzip, deflate",
            **(headers or {}),
        }
        self._context: ssl.SSLContext | None = None
        self._conn: http.client.HTTPConnection | None = None
        # Plain HTTP through a proxy: absolute URLs in the request line, the proxy's own header.
        self._via_proxy = False
        self._proxy_headers: dict[str, str] = {}

    def close(self) -> None:
        """Close the connection, if one is open."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _open(self) -> http.client.HTTPConnection:
        proxy = proxy_for(self.scheme, self.host)
        self._via_proxy = False
        proxy_headers: dict[str, str] = {}
        if proxy:
            if "://" not in proxy:
                proxy = "http://" + proxy
            parts = urlsplit(proxy)
            if parts.scheme != "http" or not parts.hostname:
                raise TransportError(f"unsupported proxy {parts.scheme}://{parts.hostname}")
            if parts.username is not None:
                user = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
                token = base64.b64encode(user.encode()).decode()
                proxy_headers["Proxy-Authorization"] = f"Basic {token}"
            host, port = parts.hostname, parts.port or 80
        else:
            host, port = self.host, self.port
        conn: http.client.HTTPConnection
        if self.scheme == "https":
            if self._context is None:
                self._context = tls_context(self.verify)
            conn = http.client.HTTPSConnection(
                host, port, timeout=self.connect_timeout, context=self._context
            )
            if proxy:
                conn.set_tunnel(self.host, self.port, headers=proxy_headers)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
            if proxy:
                self._via_proxy = True
                self._proxy_headers = proxy_headers
        log.debug("new connection to %s:%d through %s", self.host, self.port, proxy or "none")
        conn.connect()  # under the connect time-out, the TLS handshake included
        assert conn.sock is not None
        conn.sock.settimeout(self.read_timeout)
        return conn

    def _connection(self) -> http.client.HTTPConnection:
        conn = self._conn
        if conn is not None and (conn.sock is None or _dropped(conn.sock)):
            self.close()  # the server closed it while idle (its keep-alive time-out)
            conn = None
        if conn is None:
            conn = self._conn = self._open()
        return conn

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request and read the whole answer; raises ``TransportError``."""
        if self.problem:
            raise TransportError(self.problem)
        target = self.base_path + path
        if params:
            target += "?" + urlencode(params)
        sent = {**self.headers, **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body, allow_nan=False).encode()
            sent.setdefault("Content-Type", "application/json")
        try:
            conn = self._connection()
            if self._via_proxy:
                sent.update(self._proxy_headers)
                default = self.port == DEFAULT_PORTS[self.scheme]
                netloc = self.host if default else f"{self.host}:{self.port}"
                target = f"{self.scheme}://{netloc}{target}"
            conn.request(method, target, body=body, headers=sent)
            answer = conn.getresponse()
            raw = answer.read()  # the whole body: a connection cut mid-body fails here
        except ssl.SSLError as exc:  # before OSError: an SSLError is one
            self.close()
            raise TlsFailure(f"TLS error talking to {self.host}: {exc}") from exc
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise TransportError(f"{type(exc).__name__} talking to {self.host}") from exc
        if answer.will_close:
            self.close()
        content = _decoded(raw, answer.headers.get("Content-Encoding", ""))
        log.debug('"%s %s" %d %d', method, path, answer.status, len(content))
        return Response(answer.status, answer.reason, answer.headers, content)
