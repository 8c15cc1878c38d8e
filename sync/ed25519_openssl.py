"""Ed25519 signature checks through the OpenSSL that Python's ``ssl`` module already loads.

The kiosk only verifies badge signatures. ``cryptography`` does that with a 14 MB extension
that costs the idle kiosk ~8.5 MB; the kiosk loads OpenSSL's libcrypto for HTTPS anyway, and
cryptography's own check is OpenSSL's ``EVP_DigestVerify`` too. Five libcrypto calls are
bound here, with their exact C types; the answer is "valid" only when OpenSSL returns 1.

When no suitable libcrypto is found (OpenSSL older than 1.1.1, an unknown library name),
``load_verifier`` returns ``None`` and the caller uses ``cryptography``.
"""

from __future__ import annotations

import ctypes
import ssl
import sys
import threading
from pathlib import Path

NID_ED25519 = 1087  # EVP_PKEY_ED25519 in <openssl/obj_mac.h>; the same in 1.1.1 and 3.x
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64

# RFC 8032, section 7.1, TEST 2: checked once against the loaded library before it is used.
_RFC8032_KEY = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
_RFC8032_MESSAGE = bytes.fromhex("72")
_RFC8032_SIGNATURE = bytes.fromhex(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
)

_WINDOWS_NAMES = ("libcrypto-3-x64", "libcrypto-3", "libcrypto-1_1-x64", "libcrypto-1_1")


def _loaded_libcrypto_paths() -> list[str]:
    """The libcrypto files this process has mapped (Linux), the one ``_ssl`` uses first."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return []
    found: list[str] = []
    for line in maps.splitlines():
        path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
        if "/libcrypto" in path and path not in found:
            found.append(path)
    return found


def _bind(lib: ctypes.CDLL) -> None:
    """Declare the C signatures (pointers must not be truncated to ``int``)."""
    lib.EVP_PKEY_new_raw_public_key.argtypes = [
        ctypes.c_int,
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
    ]
    lib.EVP_PKEY_new_raw_public_key.restype = ctypes.c_void_p
    lib.EVP_PKEY_free.argtypes = [ctypes.c_void_p]
    lib.EVP_PKEY_free.restype = None
    lib.EVP_MD_CTX_new.argtypes = []
    lib.EVP_MD_CTX_new.restype = ctypes.c_void_p
    lib.EVP_MD_CTX_free.argtypes = [ctypes.c_void_p]
    lib.EVP_MD_CTX_free.restype = None
    lib.EVP_DigestVerifyInit.argtypes = [ctypes.c_void_p] * 5
    lib.EVP_DigestVerifyInit.restype = ctypes.c_int
    lib.EVP_DigestVerify.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_char_p,
        ctypes.c_size_t,
    ]
    lib.EVP_DigestVerify.restype = ctypes.c_int
    lib.ERR_clear_error.argtypes = []
    lib.ERR_clear_error.restype = None


class OpenSslEd25519:
    """Verifies Ed25519 signatures with one libcrypto; safe to use from several threads."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        _bind(lib)
        self._lib = lib

    def verifies(self, public_key: bytes, signature: bytes, message: bytes) -> bool:
        """Whether ``signature`` is ``public_key``'s valid signature of ``message``."""
        if len(public_key) != PUBLIC_KEY_BYTES or len(signature) != SIGNATURE_BYTES:
            return False
        lib = self._lib
        pkey = lib.EVP_PKEY_new_raw_public_key(NID_ED25519, None, public_key, PUBLIC_KEY_BYTES)
        ctx = lib.EVP_MD_CTX_new() if pkey else None
        try:
            if not pkey or not ctx:
                return False
            if lib.EVP_DigestVerifyInit(ctx, None, None, None, pkey) != 1:
                return False
            return bool(
                lib.EVP_DigestVerify(ctx, signature, SIGNATURE_BYTES, message, len(message)) == 1
            )
        finally:
            if ctx:
                lib.EVP_MD_CTX_free(ctx)
            if pkey:
                lib.EVP_PKEY_free(pkey)
            # A refused signature leaves an error on this thread's OpenSSL queue, where the
            # ``ssl`` module could later mistake it for its own.
            lib.ERR_clear_error()


_lock = threading.Lock()
_verifier: list[OpenSslEd25519 | None] = []


def load_verifier() -> OpenSslEd25519 | None:
    """The verifier bound to the libcrypto ``ssl`` uses, or ``None`` when there is none."""
    with _lock:
        if not _verifier:
            _verifier.append(_load())
        return _verifier[0]


def _load() -> OpenSslEd25519 | None:
    if ssl.OPENSSL_VERSION_INFO < (1, 1, 1):  # no raw Ed25519 keys before 1.1.1
        return None
    candidates = list(_WINDOWS_NAMES) if sys.platform == "win32" else _loaded_libcrypto_paths()
    for candidate in candidates:
        try:
            verifier = OpenSslEd25519(ctypes.CDLL(candidate))
        except (OSError, AttributeError):  # not found, or a library without these calls
            continue
        forged = bytes([_RFC8032_SIGNATURE[0] ^ 1]) + _RFC8032_SIGNATURE[1:]
        if verifier.verifies(_RFC8032_KEY, _RFC8032_SIGNATURE, _RFC8032_MESSAGE) and not (
            verifier.verifies(_RFC8032_KEY, forged, _RFC8032_MESSAGE)
        ):
            return verifier
    return None
