"""Screens built on first use, so the welcome screen is up before the other twelve exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from PySide6.QtWidgets import QStackedWidget, QWidget

if TYPE_CHECKING:
    from typing import Self

S = TypeVar("S", bound=QWidget)


class LazyScreen(Generic[S]):
    """A window attribute whose screen ``build(window)`` makes when it is first read.

    The window keeps what was built in ``_screens`` and its ``stack`` gets each screen once.
    """

    name = ""

    def __init__(self, build: Callable[[Any], S]) -> None:
        self.build = build

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, window: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, window: object, owner: type | None = None) -> S: ...
    def __get__(self, window: Any, owner: type | None = None) -> Any:
        if window is None:
            return self
        screens: dict[str, QWidget] = window._screens
        screen = screens.get(self.name)
        if screen is None:
            screen = self.build(window)
            screens[self.name] = screen
            stack: QStackedWidget = window.stack
            stack.addWidget(screen)
        return screen


def lazy_names(window_type: type) -> list[str]:
    """The names of a window class's screens that are built on first use, in class order."""
    return [name for name, value in vars(window_type).items() if isinstance(value, LazyScreen)]
