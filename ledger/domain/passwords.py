"""Which passwords a console user may choose: long enough, and not one attackers try first."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 200  # a bound on what one form post makes the server hash
MIN_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" for an online attack
_ESTIMATE_LENGTH = 72  # zxcvbn's own bound; its estimate grows costly past it

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class WeakPassword(ValueError):
    """A password the policy refuses; ``reason``: ``short``, ``long``, ``common``, ``same``."""

    def __init__(self, reason: str) -> None:
        messages = {
            "short": f"the password needs at least {MIN_LENGTH} characters",
            "long": f"the password may have at most {MAX_LENGTH} characters",
            "common": "the password is too common or too easy to guess",
            "same": "the new password must differ from the current one",
        }
        super().__init__(messages[reason])
        self.reason = reason


@cache
def _common() -> frozenset[str]:
    # zxcvbn's list of the 30,000 most frequent passwords in leaked sets, loaded on first use.
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, user_name: str = "") -> None:
    """Raise :class:`WeakPassword` unless ``password`` may be a console password."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("long")
    if password.lower() in _common():
        raise WeakPassword("common")
    # The list alone misses variations ("password1234"); the estimate also knows sequences,
    # repeats, keyboard walks and the user's own name.
    inputs = [user_name] if user_name else []
    if zxcvbn(password[:_ESTIMATE_LENGTH], user_inputs=inputs)["score"] < MIN_SCORE:
        raise WeakPassword("common")


def hash_password(password: str) -> str:
    """The Argon2id hash kept instead of the password (slow on purpose: never in a write)."""
    return hasher.hash(password)


def verify(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (as slow as hashing)."""
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than the current ones."""
    try:
        return hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return False


@cache
def dummy_hash() -> str:
    """A hash of no one's password: checked for unknown names so they take as long."""
    return hasher.hash("no console user has this password")
