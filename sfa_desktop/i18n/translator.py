"""The current UI language and the gettext functions every module calls.

Wrap each English source string in ``_()`` (``ngettext`` for plurals, ``pgettext`` when the
same English word needs different translations). Call them when the text is shown, not at
import time, so switching language live re-reads them.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sfa_desktop.i18n.catalogs import load_translations
from sfa_desktop.i18n.languages import ENGLISH, FORMATTING_LOCALES, SUPPORTED_LANGUAGES

_state: dict[str, str] = {"language": ENGLISH}
#: a language spoken for a while by one thread (a document's), over the UI's
_speaking: ContextVar[str | None] = ContextVar("speaking", default=None)


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` ("en" or "es")."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {SUPPORTED_LANGUAGES}")
    _state["language"] = language


def current_language() -> str:
    """The code of the language the UI currently speaks (or the one :func:`speaking` set for
    this thread)."""
    return _speaking.get() or _state["language"]


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within the block, ``_()`` & co. in this thread (this context) speak ``language``; the
    UI and other threads keep theirs. For documents written in a language other than the
    UI's (an export in Spanish from an English UI)."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {SUPPORTED_LANGUAGES}")
    token = _speaking.set(language)
    try:
        yield
    finally:
        _speaking.reset(token)


def locale_for_formatting() -> str:
    """The babel locale for numbers, money and dates ("es_ES" or "en_GB")."""
    return FORMATTING_LOCALES[current_language()]


def _translations() -> gettext.NullTranslations:
    return load_translations(current_language())


def _(message: str) -> str:
    """Translate ``message`` (an English source string) to the current language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate the plural form that fits ``n``."""
    return _translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context`` (e.g. "opportunity stage")."""
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message
