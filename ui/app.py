"""``kiosk``: the touch application, or (with a subcommand) the kiosk's command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from kiosk.config import ConfigError, load_config
from sync.version import __version__

if TYPE_CHECKING:
    # Types only: the core and Qt are imported after the first screen is shown.
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    from kiosk.runtime import KioskRuntime
    from kiosk.service import DeviceInfo
    from ui.main_window import MainWindow

log = logging.getLogger("kiosk")
# Exit codes for a supervisor (systemd Restart=always, Windows Shell Launcher): 0 = quit on
# purpose, 2 = a setting or the store needs a person, 3 = restart me.
EXIT_RESTART = 3
CRASH_LIMIT = 5
CJK_FONT = "Noto Sans CJK SC"  # SC glyph shapes; without it Chinese may fall back to JP forms


def build_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with the kiosk's font and theme."""
    from ui.source_scan import scan_sources_without_keeping_them

    scan_sources_without_keeping_them()  # before the core's modules are imported
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    from ui.resources import resource_dir

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    fonts = resource_dir() / "fonts"
    # A packaged kiosk carries its CJK font; loading it (19 MB) is skipped when the system has it.
    if fonts.is_dir() and CJK_FONT not in QFontDatabase.families():
        for file in sorted(fonts.iterdir()):
            QFontDatabase.addApplicationFont(str(file))
    font = QFont(CJK_FONT)
    font.setPointSize(16)
    app.setFont(font)
    if (resource_dir() / "theme.qss").exists():
        from ui.tokens import stylesheet

        app.setStyleSheet(stylesheet())
    return app


def install_crash_handler(window: MainWindow, limit: int = CRASH_LIMIT) -> Callable[..., None]:
    """Log any exception that escapes a Qt slot, show "restarting" and go back to the welcome.

    Qt keeps running after such an exception, so the kiosk recovers in place; if bugs keep
    coming (``limit`` within a minute) it quits with ``EXIT_RESTART`` for the supervisor.
    """
    recent: list[float] = []

    def handle(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        log.error("unexpected error", exc_info=(kind, error, trace))
        now = time.monotonic()
        recent[:] = [t for t in recent if now - t < 60] + [now]
        if len(recent) >= limit:
            log.error("%d errors within a minute: exiting for a restart", len(recent))
            from PySide6.QtWidgets import QApplication

            QApplication.exit(EXIT_RESTART)
            return
        window.unexpected_error()

    sys.excepthook = handle
    return handle


def first_paint_probe(parent: QObject, then: Callable[[], None]) -> QObject:
    """An event filter that prints "welcome shown" once its widget has painted, then ``then``."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True  # the rest of this frame is painted before the timer fires
                QTimer.singleShot(0, shown)
            return False

    def shown() -> None:
        print("welcome shown", flush=True)
        then()

    return Probe(parent)


def run_app(args: argparse.Namespace) -> int:
    from ui.source_scan import scan_sources_without_keeping_them

    scan_sources_without_keeping_them()  # ~26 MB less for the rest of the kiosk's life
    from PySide6.QtCore import QTimer

    from ui.i18n import Languages
    from ui.main_window import MainWindow

    config = load_config()
    app = build_application(sys.argv[:1])
    window = MainWindow(
        None, Languages(), config.language, accept_typed_scans=config.accept_typed_scans
    )
    window.install_input_filters()
    install_crash_handler(window)
    if args.windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.showFullScreen()
    runtimes: list[KioskRuntime] = []

    def load_core() -> None:
        # After the welcome screen is up: importing and opening the core (and the log file)
        # takes most of a second, and a worker sees the screen meanwhile (a scan waits for
        # it). Anything that fails before this point goes to stderr, which the supervisor keeps.
        from kiosk.logs import record_hard_crashes, setup_logging
        from kiosk.runtime import KioskRuntime

        log_file = setup_logging(config.log_dir)
        crash_file = record_hard_crashes(config.log_dir)
        log.info(
            "points-kiosk %s starting; log %s, hard crashes in %s",
            __version__,
            log_file,
            crash_file,
        )

        try:
            runtime = KioskRuntime.open(config)
        except Exception:
            log.exception("the kiosk core did not start")
            print("error: the kiosk could not open its store; see the log", file=sys.stderr)
            app.exit(2)
            return
        runtimes.append(runtime)

        def enroll(server_url: str, code: str, name: str) -> DeviceInfo:
            info = runtime.enroll(server_url, code, name)
            runtime.start()
            return info

        window.attach(runtime.service, enroll)
        runtime.start()

    if os.environ.get("KIOSK_STARTUP_PROBE"):
        # bench/startup.py: say when the welcome screen has drawn its first frame; then load
        # the core and quit.
        def load_core_and_quit() -> None:
            load_core()
            app.quit()

        probe = first_paint_probe(window, then=load_core_and_quit)
        window.welcome.installEventFilter(probe)
    else:
        QTimer.singleShot(0, load_core)
    try:
        return int(app.exec())
    finally:
        for runtime in runtimes:
            runtime.close()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and not args_list[0].startswith("-"):
        from kiosk import cli

        return cli.main(args_list)  # enroll, sync, status, repair
    # kiosk/cli.py's subcommands, named here so that `kiosk --help` does not import the core.
    commands = (
        ("enroll", "enrol this kiosk with a one-time code from IT"),
        ("sync", "sync with the ledger"),
        ("status", "this kiosk's state as JSON"),
        ("repair", "set a damaged store aside and start a fresh one"),
    )
    parser = argparse.ArgumentParser(
        prog="kiosk",
        usage="%(prog)s [-h] [--fullscreen | --windowed] [--version] [--self-test]\n"
        "       %(prog)s {enroll,sync,status,repair} ...",
        description="Points Kiosk touch application",
        epilog="commands (the kiosk's core, no screen; `kiosk COMMAND --help` for options):\n"
        + "\n".join(f"  {name:<8}{text}" for name, text in commands),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fullscreen", action="store_true", help="full screen (the default)")
    mode.add_argument("--windowed", action="store_true", help="in a window")
    parser.add_argument("--version", action="store_true", help="print the version")
    parser.add_argument(
        "--self-test", action="store_true", help="check resources and rendering, then exit"
    )
    args = parser.parse_args(args_list)
    if args.version:
        print(f"points-kiosk {__version__}")
        return 0
    if args.self_test:
        from ui.selftest import run_self_test

        return run_self_test()
    try:
        return run_app(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
