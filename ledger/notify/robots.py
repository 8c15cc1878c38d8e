"""Group robots' documented webhook formats, and the generic webhook.

- WeCom (企业微信): POST ``{"msgtype": "text", "text": {"content": …}}`` to the robot's
  ``…/cgi-bin/webhook/send?key=…``; the answer's ``errcode`` is 0 when taken.
- DingTalk (钉钉): the same shape to ``…/robot/send?access_token=…``; with a signing secret
  (加签) the URL also carries ``timestamp`` (ms) and ``sign`` = URL-encoded Base64 of
  HMAC-SHA256 of ``"<timestamp>\\n<secret>"`` keyed with the secret; ``errcode`` 0 when taken.
- Feishu (飞书): POST ``{"msg_type": "text", "content": {"text": …}}``; with a secret (签名校验)
  the body also carries ``timestamp`` (s, a string) and ``sign`` = Base64 of HMAC-SHA256 keyed
  with ``"<timestamp>\\n<secret>"`` over an empty message; ``code`` 0 when taken.
- The generic webhook: ``{"id", "type": "notification", "created_at", "data"}`` signed with
  ``X-Points-Signature`` exactly like the ledger's webhooks (:func:`ledger.domain.webhooks.sign`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from ledger.domain import webhooks
from ledger.domain.notifications import ChannelKind

# WeCom takes at most 2048 bytes of text; the others more, but a group message is short.
MAX_TEXT_BYTES = 2000


@dataclass(frozen=True)
class HttpMessage:
    url: str
    body: bytes
    headers: dict[str, str]


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign`` query value (already URL-encoded)."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's ``sign`` body field."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def shorten(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes, on a character boundary, marked when cut."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


JSON = {"Content-Type": "application/json; charset=utf-8"}


def robot_message(
    kind: str, url: str, secret: str, text: str, now: datetime,
    envelope: dict[str, Any] | None = None,
) -> HttpMessage:  # fmt: skip
    """The request one channel expects for ``text`` (``envelope``: the webhook's data)."""
    text = shorten(text)
    if kind == ChannelKind.WECOM:
        return HttpMessage(url, _json({"msgtype": "text", "text": {"content": text}}), JSON)
    if kind == ChannelKind.DINGTALK:
        if secret:
            stamp = int(now.timestamp() * 1000)
            joiner = "&" if "?" in url else "?"
            url = f"{url}{joiner}timestamp={stamp}&sign={dingtalk_sign(secret, stamp)}"
        return HttpMessage(url, _json({"msgtype": "text", "text": {"content": text}}), JSON)
    if kind == ChannelKind.FEISHU:
        body: dict[str, Any] = {}
        if secret:
            stamp = int(now.timestamp())
            body = {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp)}
        body |= {"msg_type": "text", "content": {"text": text}}
        return HttpMessage(url, _json(body), JSON)
    if kind == ChannelKind.WEBHOOK:
        data = envelope or {}
        raw = webhooks.envelope(str(data.get("id", "")), "notification", now, data)
        headers = JSON | {
            webhooks.EVENT_ID_HEADER: str(data.get("id", "")),
            webhooks.SIGNATURE_HEADER: webhooks.sign(secret, int(now.timestamp()), raw),
        }
        return HttpMessage(url, raw, headers)
    raise ValueError(f"not an HTTP channel: {kind}")


def answer_error(kind: str, status: int, body: bytes) -> str:
    """``""`` when the channel took the message, else why not (robots answer 200 with a code)."""
    if not 200 <= status < 300:
        return f"HTTP {status}"
    if kind == ChannelKind.WEBHOOK:
        return ""
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return "HTTP 200 but not the robot's JSON answer"
    if not isinstance(answer, dict):
        return "HTTP 200 but not the robot's JSON answer"
    code = answer.get("code", answer.get("errcode", answer.get("StatusCode", 0)))
    if code in (0, None):
        return ""
    message = answer.get("msg", answer.get("errmsg", ""))
    return f"robot refused: {code} {message}".strip()
