"""Giving the memory a visit freed back to the system.

glibc keeps freed heap pages for reuse, so after a visit (decoded pictures, laid-out text,
the screens' models) an idle kiosk kept ~5 MB it no longer used; ``malloc_trim`` returns the
free pages at the top and in the middle of the heap. Elsewhere (Windows, musl) nothing is done.
"""

from __future__ import annotations

import ctypes
import sys


def give_back_freed_memory() -> bool:
    """Return freed heap memory to the system; whether the C library could."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)
    return True
