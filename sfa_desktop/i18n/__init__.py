"""Translations for the desktop UI and the ``sfa`` CLI (Qt-free).

Usage::

    from sfa_desktop.i18n import _, ngettext, enum_label, error_message

    label.setText(_("Accounts"))
    ngettext("{count} account", "{count} accounts", n).format(count=format_count(n))
    enum_label("lifecycle_stage", row.lifecycle_stage)      # "Cliente potencial"
    error_message(error.code, path=str(error.path))          # translated sentence

English source strings live in the code; Spanish is in ``resources/translations/es.po``
(read at run time, no compile step). After adding strings, update the catalog with
``pybabel extract`` + ``pybabel update`` (see ``resources/translations/README.md``).
"""

from sfa_desktop.i18n.enum_labels import enum_choices, enum_label, enum_names
from sfa_desktop.i18n.error_messages import error_message, known_error_codes
from sfa_desktop.i18n.formatting import format_count
from sfa_desktop.i18n.languages import (
    ENGLISH,
    LANGUAGE_NAMES,
    SPANISH,
    SUPPORTED_LANGUAGES,
    normalize_language,
    system_default_language,
)
from sfa_desktop.i18n.translator import (
    N_,
    _,
    current_language,
    locale_for_formatting,
    ngettext,
    pgettext,
    set_language,
    speaking,
)

__all__ = [
    "ENGLISH",
    "LANGUAGE_NAMES",
    "N_",
    "SPANISH",
    "SUPPORTED_LANGUAGES",
    "_",
    "current_language",
    "enum_choices",
    "enum_label",
    "enum_names",
    "error_message",
    "format_count",
    "known_error_codes",
    "locale_for_formatting",
    "ngettext",
    "normalize_language",
    "pgettext",
    "set_language",
    "speaking",
    "system_default_language",
]
