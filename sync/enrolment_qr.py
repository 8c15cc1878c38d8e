"""The enrolment QR code IT scans at a new kiosk: the ledger's URL and a one-time code."""

from __future__ import annotations

PREFIX = "PKE1"


def encode(server_url: str, code: str) -> str:
    """``PKE1|<url>|<code>``: neither part can contain a ``|``."""
    if "|" in server_url or "|" in code:
        raise ValueError("the URL and the code cannot contain '|'")
    return f"{PREFIX}|{server_url}|{code}"


def parse(text: str) -> tuple[str, str] | None:
    """(url, code) from a scanned enrolment QR, or None if the text is not one."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]
