"""The kiosk window: the screens, who is logged in, and the way between screens.

Screens show state and emit intents; this window turns intents into calls on the kiosk core
and errors into translated messages. It never waits for the network: the core answers from
the local store and the sync thread reports through a queued signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import screen_wiring as wiring
from ui import texts
from ui.i18n import Languages
from ui.idle import Countdown, IdleWatcher
from ui.scanner import ScannerInput
from ui.screen_set import LazyScreen, lazy_names
from ui.screens.welcome import WelcomeScreen
from ui.widgets import Screen, centred_label, touch_button

if TYPE_CHECKING:
    # Types only: the window is built and shown before the kiosk core is imported, and the
    # screens past the welcome screen are built on first use.
    from kiosk.service import DeviceInfo, KioskService, WorkerSession
    from sync.status import StatusSnapshot
    from ui.screens.catalogue import CatalogueScreen, ItemScreen
    from ui.screens.earn import EarnScreen
    from ui.screens.history import HistoryScreen
    from ui.screens.home import HomeScreen
    from ui.screens.maintenance import MaintenanceScreen
    from ui.screens.orders import OrdersScreen
    from ui.screens.pin_pad import PinScreen
    from ui.screens.redeem import ConfirmScreen, DoneScreen
    from ui.screens.setup import SetupScreen

DEFAULT_TIMEZONE = "Asia/Shanghai"
log = logging.getLogger(__name__)


Enroll = Callable[[str, str, str], "DeviceInfo"]


class MainWindow(QMainWindow):
    status_changed = Signal(object)
    enrolment_done = Signal(object, str)  # DeviceInfo or None, failure reason

    pin: LazyScreen[PinScreen] = LazyScreen(wiring.build_pin)
    home: LazyScreen[HomeScreen] = LazyScreen(wiring.build_home)
    catalogue: LazyScreen[CatalogueScreen] = LazyScreen(wiring.build_catalogue)
    item: LazyScreen[ItemScreen] = LazyScreen(wiring.build_item)
    confirm: LazyScreen[ConfirmScreen] = LazyScreen(wiring.build_confirm)
    done: LazyScreen[DoneScreen] = LazyScreen(wiring.build_done)
    history: LazyScreen[HistoryScreen] = LazyScreen(wiring.build_history)
    orders: LazyScreen[OrdersScreen] = LazyScreen(wiring.build_orders)
    earn: LazyScreen[EarnScreen] = LazyScreen(wiring.build_earn)
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
        self.enroll = enroll
        self.setObjectName("kioskWindow")
        self._service: KioskService | None = None
        # The site timezone from the synced settings: read on attach and after each sync,
        # not on every clock tick.
        self._timezone = DEFAULT_TIMEZONE
        self._unsubscribe: Callable[[], None] = lambda: None
        self.languages = languages
        self.default_language = language
        self.session: WorkerSession | None = None
        self.pending: tuple[str, int] | None = None  # the item and quantity being confirmed
        self.pin_purpose = "login"

        root = QWidget(objectName="root")
        layout = QVBoxLayout(root)
        layout.setContentsMargins(16, 12, 16, 12)
        self.header = QWidget(objectName="header")
        bar = QHBoxLayout(self.header)
        bar.setContentsMargins(0, 0, 0, 0)
        self.back = touch_button("back")
        self.back.clicked.connect(self.go_home)
        self.who = QLabel(objectName="who")
        self.logout_button = touch_button("logout")
        self.logout_button.clicked.connect(self.logout)
        bar.addWidget(self.back)
        bar.addWidget(self.who, 1)
        bar.addWidget(self.logout_button)
        layout.addWidget(self.header)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.banner = centred_label("banner")
        layout.addWidget(self.banner)
        self.setCentralWidget(root)

        self._screens: dict[str, QWidget] = {}
        # A child timer, not QTimer.singleShot: it dies with the window.
        self._builder = QTimer(self, singleShot=True, interval=0)
        self._builder.timeout.connect(self._build_remaining_screens)
        self.welcome = WelcomeScreen()
        self.stack.addWidget(self.welcome)
        self.welcome.pin_requested.connect(self.ask_login_pin)
        self.welcome.language_chosen.connect(self.set_language)
        self.enrolment_done.connect(self.finish_enrolment)

        self.scanner = ScannerInput(self, accept_typing=accept_typed_scans)
        self.scanner.scanned.connect(self.scanned)
        self.idle = IdleWatcher(45, self)
        self.idle.idle.connect(self.start_countdown)
        self.trouble = centred_label("trouble", root)
        self.trouble.hide()
        self.countdown = Countdown(root)
        self.countdown.still_here.connect(self.idle.arm)
        self.countdown.expired.connect(self.logout)
        self.status_changed.connect(self.welcome.show_status)
        self.status_changed.connect(self._after_status_change)
        self.clock = QTimer(self)
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self.tick)
        self.clock.start()

        self.set_language(language)
        self.tick()
        self.show_welcome()
        if service is not None:
            self.attach(service)

    # --- screens, built on first use ------------------------------------------------------

    def build_all_screens(self) -> None:
        """Build every screen now (the self-test and layout checks look at all of them)."""
        for name in lazy_names(type(self)):
            getattr(self, name)

    def _build_remaining_screens(self) -> None:
        """Build the screens not used yet, one per turn of the event loop, while idle."""
        missing = [name for name in lazy_names(type(self)) if name not in self._screens]
        if missing:
            getattr(self, missing[0])
            self._builder.start()

    @property
    def service(self) -> KioskService:
        assert self._service is not None, "the kiosk core is not attached yet"
        return self._service

    def attach(self, service: KioskService, enroll: Enroll | None = None) -> None:
        """Connect the window to the kiosk core (loaded after the first screen is shown)."""
        self._service = service
        self._timezone = service.settings().site_timezone
        if enroll is not None:
            self.enroll = enroll
        self.idle.set_timeout(service.settings().idle_timeout_seconds)
        # Called on the sync thread; the signal carries it to this one.
        self._unsubscribe = service.status.subscribe(self.status_changed.emit)
        self.welcome.show_status(service.connection())
        self.tick()
        if self.enroll is not None and service.device() is None:
            self.go(self.setup)
        self._builder.start()

    def install_input_filters(self) -> None:
        """Watch the whole application for scans and activity."""
        self.scanner.install()
        self.idle.install()

    def closeEvent(self, event: object) -> None:
        self._unsubscribe()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.scanner)
            app.removeEventFilter(self.idle)
        self.clock.stop()
        self.countdown.stop()
        super().closeEvent(event)  # type: ignore[arg-type]

    # --- language, clock, messages --------------------------------------------------------

    @property
    def timezone(self) -> str:
        return self._timezone

    def set_language(self, language: str) -> None:
        if self.languages.set(language):
            self.retranslate()

    def retranslate(self) -> None:
        self.back.setText(self.tr("Home"))
        self.logout_button.setText(self.tr("Not me / log out"))
        if self.session is not None:
            self.who.setText(self.session.identity.name)

    def changeEvent(self, event: object) -> None:
        from PySide6.QtCore import QEvent

        if getattr(event, "type", lambda: None)() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[arg-type]

    def tick(self) -> None:
        self.welcome.timezone = self.timezone
        self.welcome.tick(datetime.now(UTC))

    def say(self, text: str) -> None:
        """A message under the current screen."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        if self.stack.currentWidget() is self.welcome:
            self.welcome.show_message(text)

    def go(self, screen: QWidget) -> None:
        self.banner.clear()
        self.banner.hide()
        self.stack.setCurrentWidget(screen)
        self.header.setVisible(self.session is not None)
        self.back.setVisible(screen is not self._screens.get("home"))

    def _showing(self, name: str) -> bool:
        """Whether that screen is up (without building it)."""
        screen = self._screens.get(name)
        return screen is not None and self.stack.currentWidget() is screen

    def unexpected_error(self) -> None:
        """After a bug: a calm "restarting" screen, then the welcome screen, nobody logged in."""
        self.countdown.stop()
        self.trouble.setText(self.tr("Sorry, something went wrong. Restarting…"))
        self.trouble.setGeometry(self.centralWidget().rect())
        self.trouble.show()
        self.trouble.raise_()
        QTimer.singleShot(3000, self._recover)

    def _recover(self) -> None:
        self.trouble.hide()
        self.logout()

    # --- enrolment ------------------------------------------------------------------------

    def show_setup(self) -> None:
        """Enrol again (a revoked kiosk keeps its unsent orders and sends them after)."""
        if self.enroll is not None:
            self.setup.show_result("")
            self.go(self.setup)

    def start_enrolment(self, url: str, code: str, name: str) -> None:
        """Enrol on a thread (the server may take seconds to answer), report on this one."""
        if self.enroll is None:
            return
        enroll = self.enroll
        self.setup.show_busy()

        def work() -> None:
            try:
                info = enroll(url, code, name)
            except Exception as error:
                from kiosk.runtime import EnrolmentError

                if not isinstance(error, EnrolmentError):
                    log.exception("enrolment failed")
                    self.enrolment_done.emit(None, "refused")
                    return
                self.enrolment_done.emit(None, error.reason)
            else:
                self.enrolment_done.emit(info, "")

        threading.Thread(target=work, name="kiosk-enrol", daemon=True).start()

    def finish_enrolment(self, info: DeviceInfo | None, reason: str) -> None:
        if info is None:
            self.setup.show_result(
                {
                    "invalid": self.tr("Please give a server address (http:// or https://) "
                                       "and the code."),
                    "code": self.tr("This code is wrong, expired or already used. "
                                    "Ask IT for a new one."),
                    "certificate": self.tr("The server's certificate is not trusted. "
                                           "Check the address or the CA bundle."),
                    "unreachable": self.tr("The server cannot be reached. "
                                           "Check the address and the network."),
                }.get(reason, self.tr("The server refused the enrolment."))
            )  # fmt: skip
            return
        self.setup.show_result(self.tr("Enrolled as %1").replace("%1", info.name))
        QTimer.singleShot(2000, self.show_welcome)

    # --- logging in and out ---------------------------------------------------------------

    def scanned(self, text: str) -> None:
        """A badge or card scan, on any screen: the scanned worker takes over."""
        from kiosk.login import LoginError

        if self._service is None:
            return  # still starting: the core is not loaded yet
        if self._showing("setup"):
            if not self.setup.scanned(text):
                self.setup.show_result(self.tr("This is not an enrolment code."))
            return
        try:
            session = self.service.login(text)
        except LoginError as error:
            self.say(texts.login_error(error))
            return
        self.start_session(session)

    def ask_login_pin(self) -> None:
        self.pin_purpose = "login"
        self.pin.start()
        self.go(self.pin)

    def pin_entered(self, number: str, pin: str) -> None:
        from kiosk.login import LoginError

        if self.pin_purpose == "confirm":
            self._pin_for_order(pin)
            return
        employee_id = self.service.employee_by_number(number)
        if employee_id is None:
            self.pin.start()
            self.pin.show_message(self.tr("Unknown employee number."))
            return
        try:
            session = self.service.login_with_pin(employee_id, pin)
        except LoginError as error:
            self.pin.show_message(texts.login_error(error))
            return
        self.start_session(session)

    def pin_cancelled(self) -> None:
        if self.pin_purpose == "confirm":
            self.show_catalogue()
        else:
            self.show_welcome()

    def _after_status_change(self, status: StatusSnapshot) -> None:
        if self._service is not None and status.last_sync_at is not None:
            self._timezone = self.service.settings().site_timezone
        if self._showing("maintenance"):
            self.maintenance.show_state(self.service.device(), status, self.timezone)

    def start_session(self, session: WorkerSession) -> None:
        if self.session is not None:
            self.clear_views()
        if session.identity.maintenance:
            self.session = None
            self.idle.arm()
            self.maintenance.show_state(
                self.service.device(), self.service.connection(), self.timezone
            )
            self.go(self.maintenance)
            self.header.hide()
            return
        self.session = session
        self.set_language(session.identity.language)
        self.idle.set_timeout(self.service.settings().idle_timeout_seconds)
        self.idle.arm()
        self.who.setText(session.identity.name)
        self.go_home()

    def logout(self) -> None:
        """Back to the welcome screen with nothing of the last worker left on any screen."""
        self.countdown.stop()
        self.idle.disarm()
        self.session = None
        self.pending = None
        self.clear_views()
        self.set_language(self.default_language)
        self.show_welcome()

    def clear_views(self) -> None:
        self.who.clear()
        for screen in self._screens.values():
            if isinstance(screen, Screen):
                screen.forget()
        self.banner.clear()

    def show_welcome(self) -> None:
        self.welcome.show_message("")
        self.go(self.welcome)

    def start_countdown(self) -> None:
        if self.session is not None or self._showing("maintenance"):
            self.countdown.start()

    # --- the worker's screens -------------------------------------------------------------

    def go_home(self) -> None:
        if self.session is None:
            self.show_welcome()
            return
        self.home.timezone = self.timezone
        self.home.show_view(self.session.home())
        self.go(self.home)

    def show_history(self) -> None:
        if self.session is not None:
            self.history.show_session(self.session, self.languages.current, self.timezone)
            self.go(self.history)

    def show_catalogue(self) -> None:
        if self.session is not None:
            self.catalogue.show_session(self.session, self.languages.current)
            self.go(self.catalogue)

    def show_item(self, item_id: str) -> None:
        from kiosk.policy import OrderRefused

        if self.session is None:
            return
        try:
            card = self.session.item(item_id)
        except OrderRefused as error:
            self.say(texts.refusal(error))
            return
        self.item.show_card(card, self.session.balance().available, self.languages.current)
        self.go(self.item)

    def show_orders(self) -> None:
        if self.session is not None:
            self.orders.show_session(self.session, self.languages.current, self.timezone)
            self.go(self.orders)

    def show_earn(self) -> None:
        self.earn.show_rules(self.service.rules(), self.languages.current)
        self.go(self.earn)

    # --- ordering -------------------------------------------------------------------------

    def redeem(self, item_id: str, quantity: int) -> None:
        from kiosk.policy import OrderRefused

        if self.session is None:
            return
        try:
            cost = self.session.price(item_id, quantity)
        except OrderRefused as error:
            self.say(texts.refusal(error))
            return
        self.pending = (item_id, quantity)
        if self.session.needs_pin(cost):
            self.pin_purpose = "confirm"
            self.pin.start(confirm_only=True, number=self.session.employee_id)
            self.go(self.pin)
            return
        self._ask_confirmation()

    def _pin_for_order(self, pin: str) -> None:
        from kiosk.login import LoginError

        assert self.session is not None
        try:
            self.session.verify_pin(pin)
        except LoginError as error:
            self.pin.show_message(texts.login_error(error))
            return
        self._ask_confirmation()

    def _ask_confirmation(self) -> None:
        assert self.session is not None and self.pending is not None
        item_id, quantity = self.pending
        card = self.session.item(item_id)
        cost = card.points * quantity
        available = self.session.balance().available
        from ui.screens.catalogue import title_of

        title = f"{title_of(card, self.languages.current)} × {quantity}"
        self.confirm.ask(title, cost, available - cost)
        self.go(self.confirm)

    def place_order(self) -> None:
        from kiosk.policy import OrderRefused

        if self.session is None or self.pending is None:
            return
        item_id, quantity = self.pending
        try:
            placed = self.session.place_order(item_id, quantity)
        except OrderRefused as error:
            self.confirm.show_message(texts.refusal(error))
            return
        self.pending = None
        self.done.show_order(placed)
        self.go(self.done)

    def cancel_order(self, order_id: str) -> None:
        from kiosk.policy import OrderRefused

        if self.session is None:
            return
        try:
            self.session.cancel_order(order_id)
        except OrderRefused as error:
            self.say(texts.refusal(error))
        self.orders.refresh()
