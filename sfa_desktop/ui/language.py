"""Switching the UI language at run time: our catalogs, Qt's own strings and the locale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from sfa_desktop.i18n import ENGLISH, current_language, locale_for_formatting, set_language


class LanguageSwitcher(QObject):
    """Applies a language to :mod:`sfa_desktop.i18n`, Qt's standard dialogs and ``QLocale``.

    Widgets do not listen to Qt's ``LanguageChange`` events; the main window re-reads its
    texts (``retranslate()``) after :meth:`apply`, and :attr:`language_changed` tells others.
    """

    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._qt_translator: QTranslator | None = None

    def apply(self, language: str) -> None:
        """Make ``language`` ("en" or "es") the UI language."""
        set_language(language)
        QLocale.setDefault(QLocale(locale_for_formatting()))
        self._install_qt_translator(language)
        self.language_changed.emit(language)

    def current(self) -> str:
        return current_language()

    def _install_qt_translator(self, language: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if language == ENGLISH:
            return
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{language}", folder):
            app.installTranslator(translator)
            self._qt_translator = translator

    def uninstall(self) -> None:
        """Remove Qt's translator (before the application object goes away)."""
        app = QCoreApplication.instance()
        if app is not None and self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
        self._qt_translator = None
