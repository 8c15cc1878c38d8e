"""Enrolling the kiosk from its setup screen: the ledger is asked on a thread, the answer
comes back to the window's thread as a signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.errors import EnrolmentProblem

if TYPE_CHECKING:
    from kiosk.service import DeviceInfo
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

Enroll = Callable[[str, str, str], "DeviceInfo"]


class Enrolment(QObject):
    """First start and "enrol again": the setup screen's intents, run off the UI thread."""

    finished = Signal(object, str)  # DeviceInfo or None, the failure's reason

    def __init__(self, window: MainWindow, enroll: Enroll | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.enroll = enroll
        self.finished.connect(self._show_result)

    @property
    def possible(self) -> bool:
        return self.enroll is not None

    def show_setup(self) -> None:
        """The setup screen (a revoked kiosk keeps its unsent orders and sends them after)."""
        if self.enroll is not None:
            self.window.setup.show_result("")
            self.window.nav.go(self.window.setup)

    def start(self, url: str, code: str, name: str) -> None:
        """Enrol on a thread (the server may take seconds to answer), report on this one."""
        enroll = self.enroll
        if enroll is None:
            return
        self.window.setup.show_busy()

        def work() -> None:
            from kiosk.runtime import EnrolmentError

            try:
                info = enroll(url, code, name)
            except EnrolmentError as error:
                self.finished.emit(None, error.reason)
            except Exception:
                log.exception("enrolment failed")
                self.finished.emit(None, EnrolmentProblem.REFUSED)
            else:
                self.finished.emit(info, "")

        threading.Thread(target=work, name="kiosk-enrol", daemon=True).start()

    def _show_result(self, info: DeviceInfo | None, reason: str) -> None:
        setup = self.window.setup
        if info is None:
            problem = EnrolmentProblem(reason)  # the signal carries it as its text
            setup.show_result(
                {
                    EnrolmentProblem.INVALID: self.tr(
                        "Please give a server address (http:// or https://) and the code."),
                    EnrolmentProblem.CODE: self.tr(
                        "This code is wrong, expired or already used. Ask IT for a new one."),
                    EnrolmentProblem.CERTIFICATE: self.tr(
                        "The server's certificate is not trusted. "
                        "Check the address or the CA bundle."),
                    EnrolmentProblem.UNREACHABLE: self.tr(
                        "The server cannot be reached. Check the address and the network."),
                }.get(problem, self.tr("The server refused the enrolment."))
            )  # fmt: skip
            return
        setup.show_result(self.tr("Enrolled as %1").replace("%1", info.name))
        QTimer.singleShot(2000, self.window.visit.show_welcome)
