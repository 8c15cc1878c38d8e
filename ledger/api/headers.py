"""Headers every response carries, API and console alike."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import Message

Header = tuple[bytes, bytes]

# A browser must take a picture or a JSON body as the type it is served with, never guess
# HTML in it.
NOSNIFF: Header = (b"x-content-type-options", b"nosniff")

EVERY_RESPONSE: tuple[Header, ...] = (NOSNIFF,)


def with_headers(message: Message, headers: Sequence[Header] = EVERY_RESPONSE) -> Message:
    """``message`` (a response's start) with each of ``headers`` it does not already name."""
    present = {name.lower() for name, _ in message.get("headers", [])}
    missing = [header for header in headers if header[0] not in present]
    if not missing:
        return message
    return {**message, "headers": [*message.get("headers", []), *missing]}
