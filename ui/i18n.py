"""Switching the kiosk's language: Qt translators from ``resources/translations/*.qm``.

Source strings are English; ``points_kiosk_zh_CN.qm`` and ``points_kiosk_en.qm`` translate
them. Installing a translator sends every widget a LanguageChange event; screens retranslate
themselves in ``changeEvent``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator

from ui.resources import resource_dir

LANGUAGES = {"zh": "zh_CN", "en": "en"}
_current = "en"


def current_language() -> str:
    """``zh`` or ``en``: the language the screens are showing now."""
    return _current


class Languages:
    """The active language; one translator installed at a time."""

    def __init__(self) -> None:
        self.current = "en"
        self._translator: QTranslator | None = None
        # One translator per language, loaded once: a switch only swaps installed ones. (A new
        # QTranslator installed per switch costs PySide6 a reference to None each time.)
        self._loaded: dict[str, QTranslator] = {}

    def qm_path(self, language: str) -> str:
        return str(resource_dir() / "translations" / f"points_kiosk_{LANGUAGES[language]}.qm")

    def set(self, language: str) -> bool:
        """Switch to ``zh`` or ``en``; False if its compiled translation is missing."""
        if language not in LANGUAGES:
            return False
        translator = self._loaded.get(language)
        if translator is None:
            translator = QTranslator()
            if not translator.load(self.qm_path(language)):
                return False
            self._loaded[language] = translator
        app = QCoreApplication.instance()
        assert app is not None
        if translator is self._translator:
            return True
        if self._translator is not None:
            app.removeTranslator(self._translator)
        app.installTranslator(translator)
        self._translator = translator
        self.current = language
        global _current
        _current = language
        QLocale.setDefault(QLocale(LANGUAGES[language]))
        # Deliver the LanguageChange events now, so the screen is never half translated.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        return True
