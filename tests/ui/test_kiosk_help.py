"""`kiosk --help` names the core's subcommands; `kiosk COMMAND --help` still reaches them."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from kiosk.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from ui.app import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def core_commands() -> dict[str, str]:
    subparsers = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    return {action.dest: str(action.help) for action in subparsers._choices_actions}


def test_help_lists_every_subcommand_with_its_line() -> None:
    result = kiosk("--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    commands = core_commands()
    assert set(commands) == {"enroll", "sync", "status", "repair"}
    for name, text in commands.items():
        assert [line.split() for line in lines if line.split()[:1] == [name]] == [
            [name, *text.split()]
        ], f"{name} is not listed once with its help line"
    assert "kiosk {enroll,sync,status,repair} ..." in result.stdout
    assert "--windowed" in result.stdout


def test_a_subcommands_help_comes_from_the_core() -> None:
    result = kiosk("enroll", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: kiosk enroll")
    assert "--server" in result.stdout and "--code" in result.stdout


def test_help_does_not_load_the_core() -> None:
    code = (
        "import sys\nfrom ui.app import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('loaded' if 'kiosk.cli' in sys.modules else 'light', file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stderr.strip() == "light"
