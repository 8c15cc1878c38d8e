"""Codes of a code pool at rest: encrypted with the code key, de-duplicated by a keyed hash.

The code key is a file beside the badge key (``ledger init`` makes it); the database alone
reveals no code: each is a Fernet token (AES-128-CBC with HMAC-SHA256), and the column that
makes codes unique holds an HMAC of the code under a second key derived from the same file,
so a stolen dump cannot be checked against guessed codes either.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ledger.domain.errors import LedgerError
from sync.protocol import ErrorCode


class CodeCipher:
    """Encrypts, decrypts and fingerprints codes with one code key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)
        self._hash_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"points-kiosk code hash"
        ).derive(key)

    def encrypt(self, code: str) -> str:
        return self._fernet.encrypt(code.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """The code; an error naming the key when this key did not encrypt it."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise LedgerError(
                ErrorCode.INTERNAL_ERROR,
                "the code cannot be decrypted with this ledger's code key",
                status=500,
            ) from exc

    def digest(self, code: str) -> str:
        """The keyed hash that makes a code unique across every pool."""
        return hmac.new(self._hash_key, code.encode(), hashlib.sha256).hexdigest()


def missing_key() -> LedgerError:
    """What a code pool answers on a ledger without its code key."""
    return LedgerError(
        ErrorCode.CODE_KEY_MISSING,
        "this ledger has no code key: run `ledger init` to create it",
        status=503,
    )
