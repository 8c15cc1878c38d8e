"""The kiosk window: its frame (header, screen, status bar, overlays) and who does what.

The window only holds the parts: ``Navigator`` (which screen is up), ``Visit`` (the worker
logged in and everything they ask), ``Enrolment`` (setting the kiosk up, off the UI thread).
It never waits for the network: the core answers from the local store and the sync thread
reports through a queued signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from ui import screen_wiring as wiring
from ui.chrome import HeaderBar, MessageOverlay, StatusBar
from ui.enrolment import Enroll, Enrolment
from ui.i18n import Languages
from ui.idle import Countdown, IdleWatcher
from ui.navigation import Navigator, PageStack
from ui.scanner import ScannerInput
from ui.screen_set import LazyScreen, lazy_names
from ui.screens.welcome import WelcomeScreen
from ui.tokens import METRICS
from ui.visit import Visit
from ui.widgets import Screen, centred_label

if TYPE_CHECKING:
    # Types only: the window is built and shown before the kiosk core is imported, and the
    # screens past the welcome screen are built on first use.
    from PySide6.QtGui import QCloseEvent

    from kiosk.service import KioskService, WorkerSession
    from sync.status import StatusSnapshot
    from ui.screens.catalogue import CatalogueScreen, ItemScreen
    from ui.screens.earn import EarnScreen
    from ui.screens.expiry import ExpiryScreen
    from ui.screens.history import HistoryScreen
    from ui.screens.home import HomeScreen
    from ui.screens.inbox import InboxScreen
    from ui.screens.maintenance import MaintenanceScreen
    from ui.screens.orders import OrdersScreen
    from ui.screens.pin_pad import PinScreen
    from ui.screens.redeem import ConfirmScreen, DoneScreen
    from ui.screens.setup import SetupScreen

DEFAULT_TIMEZONE = "Asia/Shanghai"
log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    status_changed = Signal(object)

    pin: LazyScreen[PinScreen] = LazyScreen(wiring.build_pin)
    home: LazyScreen[HomeScreen] = LazyScreen(wiring.build_home)
    inbox: LazyScreen[InboxScreen] = LazyScreen(wiring.build_inbox)
    catalogue: LazyScreen[CatalogueScreen] = LazyScreen(wiring.build_catalogue)
    item: LazyScreen[ItemScreen] = LazyScreen(wiring.build_item)
    confirm: LazyScreen[ConfirmScreen] = LazyScreen(wiring.build_confirm)
    done: LazyScreen[DoneScreen] = LazyScreen(wiring.build_done)
    history: LazyScreen[HistoryScreen] = LazyScreen(wiring.build_history)
    orders: LazyScreen[OrdersScreen] = LazyScreen(wiring.build_orders)
    earn: LazyScreen[EarnScreen] = LazyScreen(wiring.build_earn)
    expiry: LazyScreen[ExpiryScreen] = LazyScreen(wiring.build_expiry)
    maintenance: LazyScreen[MaintenanceScreen] = LazyScreen(wiring.build_maintenance)
    setup: LazyScreen[SetupScreen] = LazyScreen(wiring.build_setup)

    def __init__(
        self,
        service: KioskService | None,
        languages: Languages,
        language: str = "zh",
        enroll: Enroll | None = None,
        accept_typed_scans: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("kioskWindow")
        self.core: KioskService | None = None
        # The site timezone from the synced settings: read on attach and after each sync,
        # not on every clock tick.
        self._timezone = DEFAULT_TIMEZONE
        self._unsubscribe: Callable[[], None] = lambda: None
        self.languages = languages
        self.default_language = language
        self._screens: dict[str, QWidget] = {}
        self.nav = Navigator(self)
        self.visit = Visit(self)
        self.enrolment = Enrolment(self, enroll)

        root = QWidget()
        root.setObjectName("root")
        layout = QVBoxLayout(root)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = HeaderBar()
        self.header.home_requested.connect(self.visit.go_home)
        self.header.language_requested.connect(self.visit.switch_language)
        self.header.remember_requested.connect(self.visit.remember_language)
        self.header.logout_requested.connect(self.visit.logout)
        self.header.hide()
        layout.addWidget(self.header)
        self.stack = PageStack()
        self.stack.setContentsMargins(METRICS.margin, METRICS.margin // 2,
                                      METRICS.margin, METRICS.margin // 2)  # fmt: skip
        layout.addWidget(self.stack, 1)
        self.status_bar = StatusBar()
        layout.addWidget(self.status_bar)
        self.setCentralWidget(root)
        self.messages = MessageOverlay(root, bottom_margin=METRICS.status_height)
        self.trouble = centred_label("trouble", root)
        self.trouble.hide()
        self.countdown = Countdown(root)

        # A child timer, not QTimer.singleShot: it dies with the window.
        self._builder = QTimer(self, singleShot=True, interval=0)
        self._builder.timeout.connect(self._build_remaining_screens)
        self.welcome = WelcomeScreen()
        self.stack.addWidget(self.welcome)
        self.welcome.pin_requested.connect(self.visit.ask_login_pin)
        self.welcome.language_chosen.connect(self.visit.choose_language)

        self.scanner = ScannerInput(self, accept_typing=accept_typed_scans)
        self.scanner.scanned.connect(self.visit.scanned)
        self.idle = IdleWatcher(45, self)
        self.idle.idle.connect(self.visit.start_countdown)
        self.countdown.still_here.connect(self.idle.arm)
        self.countdown.expired.connect(self.visit.logout)
        self.status_changed.connect(self._after_status_change)
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self.tick)
        self.clock.start()

        self.set_language(language)
        self.tick()
        self.visit.show_welcome()
        if service is not None:
            self.attach(service)

    # --- screens, built on first use ------------------------------------------------------

    def build_all_screens(self) -> None:
        """Build every screen now (the self-test and layout checks look at all of them)."""
        for name in lazy_names(type(self)):
            getattr(self, name)

    def built(self, name: str) -> QWidget | None:
        """A screen if it has been built (reading the attribute would build it)."""
        return self._screens.get(name)

    def _build_remaining_screens(self) -> None:
        """Build the screens not used yet, one per turn of the event loop, while idle."""
        missing = [name for name in lazy_names(type(self)) if name not in self._screens]
        if missing:
            getattr(self, missing[0])
            self._builder.start()

    @property
    def service(self) -> KioskService:
        assert self.core is not None, "the kiosk core is not attached yet"
        return self.core

    @property
    def session(self) -> WorkerSession | None:
        """The worker logged in, if any."""
        return self.visit.session

    def attach(self, service: KioskService, enroll: Enroll | None = None) -> None:
        """Connect the window to the kiosk core (loaded after the first screen is shown)."""
        self.core = service
        self._timezone = service.settings().site_timezone
        self.status_bar.timezone = self._timezone
        if enroll is not None:
            self.enrolment.enroll = enroll
        self.idle.set_timeout(service.settings().idle_timeout_seconds)
        # Called on the sync thread; the signal carries it to this one.
        self._unsubscribe = service.status.subscribe(self.status_changed.emit)
        self.status_bar.show_status(service.connection())
        self.tick()
        if self.enrolment.possible and service.device() is None:
            self.nav.go(self.setup)
        self._builder.start()

    def install_input_filters(self) -> None:
        """Watch the whole application for scans and activity."""
        self.scanner.install()
        self.idle.install()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._unsubscribe()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.scanner)
            app.removeEventFilter(self.idle)
        self.clock.stop()
        self.countdown.stop()
        super().closeEvent(event)

    # --- language, clock, status ----------------------------------------------------------

    @property
    def timezone(self) -> str:
        return self._timezone

    def set_language(self, language: str) -> None:
        if self.languages.set(language):
            self.retranslate()

    def retranslate(self) -> None:
        self.header.retranslate(self.languages.current)
        self.status_bar.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def tick(self) -> None:
        self.status_bar.tick(datetime.now(UTC))

    def _after_status_change(self, status: StatusSnapshot) -> None:
        if self.core is not None and status.last_sync_at is not None:
            self._timezone = self.service.settings().site_timezone
            self.status_bar.timezone = self._timezone
        self.status_bar.show_status(status)
        if self.nav.showing("maintenance"):
            self.maintenance.show_state(self.service.device(), status, self.timezone)
        self.visit.status_changed(status)

    # --- after a bug ----------------------------------------------------------------------

    def unexpected_error(self) -> None:
        """After a bug: a calm "restarting" screen, then the welcome screen, nobody logged in."""
        self.countdown.stop()
        self.trouble.setText(self.tr("Sorry, something went wrong. Restarting…"))
        central = self.centralWidget()
        self.trouble.setGeometry(self.rect() if central is None else central.rect())
        self.trouble.show()
        self.trouble.raise_()
        QTimer.singleShot(3000, self._recover)

    def _recover(self) -> None:
        self.trouble.hide()
        self.visit.logout()

    def clear_views(self) -> None:
        """Forget the last worker on every screen and in the chrome."""
        self.header.who.clear()
        for screen in self._screens.values():
            if isinstance(screen, Screen):
                screen.forget()
