"""How each screen past the welcome screen is made and wired to the visit's intents.

Each function imports its screen's module when called, so none of them is loaded before the
welcome screen is up (see ``ui/screen_set.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow
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


def build_pin(window: MainWindow) -> PinScreen:
    from ui.screens.pin_pad import PinScreen

    pin = PinScreen()
    pin.submitted.connect(window.visit.pin_entered)
    pin.cancelled.connect(window.visit.pin_cancelled)
    return pin


def build_home(window: MainWindow) -> HomeScreen:
    from ui.screens.home import HomeScreen

    home = HomeScreen()
    visit = window.visit
    home.open_catalogue.connect(visit.show_catalogue)
    home.open_history.connect(visit.show_history)
    home.open_orders.connect(visit.show_orders)
    home.open_earn.connect(visit.show_earn)
    home.open_expiry.connect(visit.show_expiry)
    return home


def build_inbox(window: MainWindow) -> InboxScreen:
    from ui.screens.inbox import InboxScreen

    inbox = InboxScreen()
    inbox.done.connect(window.visit.inbox_read)
    return inbox


def build_catalogue(window: MainWindow) -> CatalogueScreen:
    from ui.screens.catalogue import CatalogueScreen

    catalogue = CatalogueScreen()
    catalogue.item_chosen.connect(window.visit.show_item)
    return catalogue


def build_item(window: MainWindow) -> ItemScreen:
    from ui.screens.catalogue import ItemScreen

    item = ItemScreen()
    item.quantity_chosen.connect(window.visit.show_item)
    item.redeem.connect(window.visit.redeem)
    return item


def build_confirm(window: MainWindow) -> ConfirmScreen:
    from ui.screens.redeem import ConfirmScreen

    confirm = ConfirmScreen()
    confirm.confirmed.connect(window.visit.place_order)
    confirm.cancelled.connect(window.visit.cancel_confirmation)
    return confirm


def build_done(window: MainWindow) -> DoneScreen:
    from ui.screens.redeem import DoneScreen

    done = DoneScreen()
    done.finished.connect(window.visit.go_home)
    return done


def build_history(window: MainWindow) -> HistoryScreen:
    from ui.screens.history import HistoryScreen

    history = HistoryScreen()
    history.filter_chosen.connect(window.visit.show_history)
    return history


def build_orders(window: MainWindow) -> OrdersScreen:
    from ui.screens.orders import OrdersScreen

    orders = OrdersScreen()
    orders.cancel_requested.connect(window.visit.cancel_order)
    return orders


def build_earn(window: MainWindow) -> EarnScreen:
    from ui.screens.earn import EarnScreen

    return EarnScreen()


def build_expiry(window: MainWindow) -> ExpiryScreen:
    from ui.screens.expiry import ExpiryScreen

    return ExpiryScreen()


def build_maintenance(window: MainWindow) -> MaintenanceScreen:
    from ui.screens.maintenance import MaintenanceScreen

    maintenance = MaintenanceScreen()
    maintenance.sync_now.connect(lambda: window.service.request_sync())
    maintenance.leave_fullscreen.connect(window.showNormal)
    maintenance.done.connect(window.visit.logout)
    maintenance.enrol_again.connect(window.enrolment.show_setup)
    return maintenance


def build_setup(window: MainWindow) -> SetupScreen:
    import socket

    from ui.screens.setup import SetupScreen

    setup = SetupScreen(socket.gethostname())
    setup.enrol.connect(window.enrolment.start)
    return setup
