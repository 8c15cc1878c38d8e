"""One worker at the kiosk, from the scan to log-out.

Screens emit intents; the visit turns them into calls on the kiosk core and hands each screen
the view model it shows (screens never query the core). It never waits for the network: the
core answers from the local store, sync news arrives as a status to refresh from, and the
questions only the ledger can answer — is this PIN right, what are my codes — are asked on a
thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmapCache

from kiosk.errors import LoginError, LoginProblem, OrderRefused
from kiosk.order_states import CodesState
from ui import texts
from ui.i18n import current_language
from ui.memory import give_back_freed_memory

if TYPE_CHECKING:
    from kiosk.pin_check import PinPass
    from kiosk.read_models import HistoryFilter
    from kiosk.service import ItemView, KioskService, OrdersView, WorkerSession
    from sync.status import StatusSnapshot
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

HISTORY_PAGE = 200


class Visit(QObject):
    """Who is logged in, and everything they ask the kiosk to do."""

    # A PIN check's answer, from its thread: round, purpose, result or None, LoginError or None
    pin_answered = Signal(int, str, object, object)
    # The ledger answered a visit's codes, from its thread: round
    codes_answered = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session: WorkerSession | None = None
        self.pending: tuple[str, int] | None = None  # the item and quantity being confirmed
        self.pin_purpose = "login"
        self._pin_round = 0  # which PIN check an answer belongs to
        self.pin_answered.connect(self._pin_answer)
        self._codes_round = 0  # which codes fetch an answer belongs to
        self._codes_asking = False  # a fetch for this visit is under way
        self.codes_answered.connect(self._codes_answer)
        # A language chosen on the welcome screen, carried into the visit that follows.
        self.chosen_language: str | None = None

    @property
    def service(self) -> KioskService:
        return self.window.service

    def say(self, text: str, tone: str = "error") -> None:
        """A message over the window; it goes by itself."""
        self.window.messages.show_message(text, tone)

    # --- logging in and out ---------------------------------------------------------------

    def scanned(self, text: str) -> None:
        """A badge or card scan, on any screen: the scanned worker takes over."""
        window = self.window
        if window.core is None:
            return  # still starting: the core is not loaded yet
        if window.nav.showing("setup"):
            if not window.setup.scanned(text):
                window.setup.show_result(self.tr("This is not an enrolment code."))
            return
        window.messages.clear()  # whatever the last person was told is not for this one
        try:
            session = self.service.login(text)
        except LoginError as error:
            self.say(texts.login_error(error))
            return
        self.start_session(session)

    def ask_login_pin(self) -> None:
        self.pin_purpose = "login"
        self.window.pin.start()
        self.window.nav.go(self.window.pin)

    def pin_entered(self, number: str, pin: str) -> None:
        window = self.window
        if self.pin_purpose == "confirm":
            self._pin_for_order(pin)
            return
        employee_id = self.service.employee_by_number(number)
        if employee_id is None:
            window.pin.start()
            window.pin.show_message(self.tr("Unknown employee number."))
            return
        service = self.service
        self._check_pin("login", lambda: service.login_with_pin(employee_id, pin))

    def _check_pin(self, purpose: str, check: Callable[[], object]) -> None:
        """Ask the ledger on a thread (it may take seconds); the answer comes back as a signal.

        An answer for a screen the kiosk has left since (a new scan, a log-out) is dropped.
        """
        self._pin_round += 1
        round_ = self._pin_round
        self.window.pin.set_busy(True)

        def work() -> None:
            try:
                result = check()
            except LoginError as error:
                self.pin_answered.emit(round_, purpose, None, error)
            except Exception:
                log.exception("PIN check failed")
                needs = LoginError(LoginProblem.NEEDS_NETWORK)
                self.pin_answered.emit(round_, purpose, None, needs)
            else:
                self.pin_answered.emit(round_, purpose, result, None)

        threading.Thread(target=work, name="kiosk-pin", daemon=True).start()

    def _pin_answer(
        self, round_: int, purpose: str, result: object, error: LoginError | None
    ) -> None:
        window = self.window
        if round_ != self._pin_round or not window.nav.showing("pin"):
            return
        if error is not None:
            window.pin.show_message(texts.login_error(error))
            return
        window.pin.set_busy(False)
        if purpose == "login":
            self.start_session(cast("WorkerSession", result))
        elif self.session is not None:
            self.session.accept_pin(cast("PinPass", result))
            self._ask_confirmation()

    def pin_cancelled(self) -> None:
        if self.pin_purpose == "confirm" and self.pending is not None:
            self.show_item(self.pending[0], self.pending[1])
        else:
            self.show_welcome()

    def start_session(self, session: WorkerSession) -> None:
        window = self.window
        if self.session is not None:
            window.clear_views()
        self._forget_codes()
        self.pending = None
        if session.identity.maintenance:
            self.session = None
            window.status_bar.show_balance(None)
            window.idle.arm()
            window.maintenance.show_state(
                self.service.device(), self.service.connection(), window.timezone
            )
            window.nav.go(window.maintenance)
            return
        self.session = session
        window.set_language(self.chosen_language or session.identity.language)
        self._offer_remember()
        window.idle.set_timeout(self.service.settings().idle_timeout_seconds)
        window.idle.arm()
        window.header.who.setText(session.identity.name)
        self.show_inbox_or_home()

    def logout(self) -> None:
        """Back to the welcome screen with nothing of the last worker left on any screen."""
        window = self.window
        window.countdown.stop()
        window.idle.disarm()
        self._pin_round += 1  # a PIN answer still on its way is for nobody now
        self._forget_codes()
        self.session = None
        self.pending = None
        self.chosen_language = None
        window.header.remember.hide()
        window.messages.clear()
        window.clear_views()
        window.status_bar.show_balance(None)
        window.set_language(window.default_language)
        self.show_welcome()
        # What the last worker's screens drew (the style's buttons and frames at each size and
        # state, icons): up to Qt's 10 MB, redrawn on demand, so an idle kiosk holds none of it.
        QPixmapCache.clear()
        give_back_freed_memory()

    def show_welcome(self) -> None:
        self.window.nav.go(self.window.welcome)

    def start_countdown(self) -> None:
        if self.session is not None or self.window.nav.showing("maintenance"):
            self.window.countdown.start()

    # --- language ---------------------------------------------------------------------------

    def choose_language(self, language: str) -> None:
        """On the welcome screen: this language for the next visit too."""
        self.chosen_language = language
        self.window.set_language(language)

    def switch_language(self) -> None:
        """The header's button: the other language, for the rest of this visit."""
        language = "en" if current_language() == "zh" else "zh"
        self.chosen_language = language
        self.window.set_language(language)
        self._offer_remember()
        if self.window.nav.showing("home"):
            self.go_home()

    def _offer_remember(self) -> None:
        session = self.session
        offer = session is not None and current_language() != session.identity.language
        self.window.header.remember.setVisible(offer)

    def remember_language(self) -> None:
        """The header's offer taken: this worker's visits start in this language from now on."""
        if self.session is None:
            return
        self.session.remember_language(current_language())
        self._offer_remember()
        self.say(self.tr("Your next visits will start in this language."), "info")

    # --- the worker's screens -------------------------------------------------------------

    def show_inbox_or_home(self) -> None:
        """After login: what happened since the last visit, if anything did; else home."""
        session = self.session
        if session is None:
            self.show_welcome()
            return
        messages = session.inbox()
        if not messages:
            self.go_home()
            return
        self.window.status_bar.show_balance(session.balance().available)
        self.window.inbox.show_view(messages, self.window.timezone)
        self.window.nav.go(self.window.inbox)

    def inbox_read(self) -> None:
        """The worker's "Got it": the messages shown are read, here at once and everywhere."""
        if self.session is None:
            return
        shown = [message.id for message in self.window.inbox.messages]
        if shown:
            self.session.read_inbox(shown)
        self.go_home()

    def go_home(self) -> None:
        window = self.window
        if self.session is None:
            self.show_welcome()
            return
        view = self.session.home()
        window.status_bar.show_balance(view.balance.available)
        window.home.show_view(view, window.timezone)
        window.nav.go(window.home)

    def show_history(self, kind: HistoryFilter = "all") -> None:
        if self.session is None:
            return
        page = self.session.history(kind, page_size=HISTORY_PAGE)
        self.window.history.show_view(page, kind, self.window.timezone)
        self.window.nav.go(self.window.history)

    def show_catalogue(self) -> None:
        if self.session is None:
            return
        self.window.catalogue.show_view(self.session.catalogue())
        self.window.nav.go(self.window.catalogue)

    def _item_view(self, item_id: str, quantity: int) -> ItemView | None:
        """The item and its quote, or None (said to the worker) if it is no longer offered."""
        if self.session is None:
            return None
        try:
            return self.session.item_view(item_id, quantity)
        except OrderRefused as error:
            self.say(texts.refusal(error))
            return None

    def show_item(self, item_id: str, quantity: int = 1) -> None:
        view = self._item_view(item_id, quantity)
        if view is not None:
            self.window.item.show_view(view)
            self.window.nav.go(self.window.item)

    def show_orders(self) -> None:
        """My orders; the codes of fulfilled ones are asked of the ledger as it opens."""
        if self.session is None:
            return
        view = self._orders_view(ask=True)
        if view is not None:
            self.window.orders.show_view(view, self.window.timezone)
            self.window.nav.go(self.window.orders)

    def _orders_view(self, ask: bool) -> OrdersView | None:
        """The orders view, asking the ledger for the codes (on a thread) when ``ask`` and
        there is a fulfilled order, or when a fulfilled order is new since the last answer."""
        session = self.session
        if session is None:
            return None
        view = session.orders_view(self._codes_asking)
        wanted = view.codes.state is not CodesState.NONE and (ask or view.codes.stale)
        if wanted and not self._codes_asking:
            self._fetch_codes(session)
            view = session.orders_view(asking=True)
        return view

    def _fetch_codes(self, session: WorkerSession) -> None:
        """Ask on a thread (a network call); the answer is kept by the session and comes
        back as a signal. An answer for a visit that has ended since is dropped."""
        self._codes_round += 1
        round_ = self._codes_round
        self._codes_asking = True

        def work() -> None:
            try:
                session.order_codes()
            except Exception:
                log.exception("asking for the codes failed")
            with contextlib.suppress(RuntimeError):  # the window has gone meanwhile
                self.codes_answered.emit(round_)

        threading.Thread(target=work, name="kiosk-codes", daemon=True).start()

    def _codes_answer(self, round_: int) -> None:
        if round_ != self._codes_round:
            return
        self._codes_asking = False
        if self.session is not None and self.window.nav.showing("orders"):
            view = self._orders_view(ask=False)
            if view is not None:
                self.window.orders.show_view(view, self.window.timezone)

    def _forget_codes(self) -> None:
        """The visit ends: an answer still on its way is for nobody."""
        self._codes_round += 1
        self._codes_asking = False

    def show_earn(self) -> None:
        self.window.earn.show_view(self.service.rules())
        self.window.nav.go(self.window.earn)

    def show_expiry(self) -> None:
        if self.session is None:
            return
        self.window.expiry.show_view(self.session.expiry_schedule())
        self.window.nav.go(self.window.expiry)

    def status_changed(self, status: StatusSnapshot) -> None:
        """After a sync: what the worker is looking at may have changed (an order confirmed,
        a cancel done, points arrived); show it again without moving."""
        session, nav = self.session, self.window.nav
        if session is None or status.syncing:
            return
        self.window.status_bar.show_balance(session.balance().available)
        if nav.showing("orders"):
            view = self._orders_view(ask=False)
            if view is not None:
                self.window.orders.show_view(view, self.window.timezone)
        elif nav.showing("home"):
            self.window.home.show_view(session.home(), self.window.timezone)

    # --- ordering -------------------------------------------------------------------------

    def redeem(self, item_id: str, quantity: int) -> None:
        """Redeem on the item screen: the PIN first if the order needs it, then Confirm."""
        view = self._item_view(item_id, quantity)
        if self.session is None or view is None:
            return
        if view.quote.refusal is not None:
            self.window.item.show_view(view)  # the reason is on the screen, Redeem is off
            self.say(texts.refusal(view.quote.refusal))
            return
        self.pending = (item_id, quantity)
        if view.quote.pin_needed:
            self.pin_purpose = "confirm"
            self.window.pin.start(confirm_only=True, number=self.session.employee_id)
            self.window.nav.go(self.window.pin)
            return
        self._ask_confirmation()

    def _pin_for_order(self, pin: str) -> None:
        assert self.session is not None
        checker, employee_id = self.service.pin_checker, self.session.employee_id
        self._check_pin("confirm", lambda: checker(employee_id, pin))

    def _ask_confirmation(self) -> None:
        assert self.session is not None and self.pending is not None
        view = self._item_view(*self.pending)
        if view is not None:
            self.window.confirm.show_view(view)
            self.window.nav.go(self.window.confirm)

    def place_order(self) -> None:
        if self.session is None or self.pending is None:
            return
        item_id, quantity = self.pending
        try:
            placed = self.session.place_order(item_id, quantity)
        except OrderRefused as error:
            # Something changed since the quote (a sync, the network): show the new one.
            self._ask_confirmation()
            self.window.confirm.show_refusal(texts.refusal(error))
            return
        self.pending = None
        self.window.status_bar.show_balance(placed.balance_after)
        self.window.done.show_view(placed)
        self.window.nav.go(self.window.done)

    def cancel_confirmation(self) -> None:
        if self.pending is not None:
            self.show_item(*self.pending)
        else:
            self.show_catalogue()

    def cancel_order(self, order_id: str) -> None:
        if self.session is None:
            return
        try:
            self.session.cancel_order(order_id)
        except OrderRefused as error:
            self.say(texts.refusal(error))
        view = self._orders_view(ask=False)
        if view is not None:
            self.window.orders.show_view(view, self.window.timezone)
