"""The ledger's Ed25519 badge key, kept in a PEM file outside the database."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.badge_codec import b64url


def create_or_load(path: Path) -> Ed25519PrivateKey:
    """Load the key at ``path``, creating it (mode 0600) if it does not exist."""
    if path.exists():
        return load(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return key


def load(path: Path) -> Ed25519PrivateKey:
    """Load the badge key; a clear error when it is missing or not an Ed25519 key."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"badge key not found at {path}; run `ledger init`") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


def public_text(key: Ed25519PrivateKey) -> str:
    """The public key as served to kiosks: raw 32 bytes, base64url."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url(raw)


# --- the code key: encrypts code pools' codes (ledger/domain/code_cipher.py) --------------


def create_or_load_code_key(path: Path) -> bytes:
    """The code key at ``path``, created (mode 0600, 32 random bytes, base64url) if absent."""
    if path.exists():
        return load_code_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key + b"\n")
    return key


def load_code_key(path: Path) -> bytes:
    """The code key; a clear error when it is missing or not a key."""
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"code key not found at {path}; run `ledger init`") from exc
    try:
        Fernet(key)
    except ValueError as exc:
        raise ValueError(f"{path} does not hold a code key") from exc
    return key


def load_code_key_if_present(path: Path) -> bytes | None:
    """The code key, or ``None`` for a ledger set up before code pools (`ledger init` adds
    it); code pools then refuse to work with a message saying so."""
    return load_code_key(path) if path.exists() else None
