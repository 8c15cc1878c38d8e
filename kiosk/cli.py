"""The ``kiosk`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sync.version import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk", description="Points Kiosk")
    parser.add_argument("--version", action="version", version=f"points-kiosk {__version__}")
    parser.parse_args(argv)
    print("the kiosk application is not part of this release yet", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
