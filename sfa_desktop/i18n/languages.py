"""Which languages the app speaks, and which one the operating system prefers."""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

ENGLISH = "en"
SPANISH = "es"
SUPPORTED_LANGUAGES: tuple[str, ...] = (ENGLISH, SPANISH)
"""Language codes the UI is translated to; English is the source language."""

LANGUAGE_NAMES: Mapping[str, str] = {ENGLISH: "English", SPANISH: "Español"}
"""Each language's name in itself (shown as-is in the language menu, never translated)."""

FORMATTING_LOCALES: Mapping[str, str] = {ENGLISH: "en_GB", SPANISH: "es_ES"}
"""The babel locale used for numbers, money and dates in each UI language."""

_LOCALE_ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def normalize_language(code: str | None) -> str | None:
    """Map ``"es_ES.UTF-8"``, ``"Spanish_Spain"`` or ``"EN"`` to a supported code, else ``None``."""
    if not code:
        return None
    lowered = code.strip().lower()
    if lowered.startswith(("es", "spanish")):
        return SPANISH
    if lowered.startswith(("en", "english")):
        return ENGLISH
    return None


def system_default_language(environ: Mapping[str, str] | None = None) -> str:
    """The UI language the OS asks for: Spanish for any ``es*`` locale, otherwise English."""
    env = os.environ if environ is None else environ
    for name in _LOCALE_ENV_VARS:
        value = env.get(name, "")
        # LANGUAGE may hold a priority list such as "es:en".
        first = value.split(":")[0]
        if first and first not in {"C", "POSIX"} and not first.startswith("C."):
            return normalize_language(first) or ENGLISH
    if environ is None:
        try:
            system_locale = locale.getlocale()[0]
        except ValueError:
            system_locale = None
        return normalize_language(system_locale) or ENGLISH
    return ENGLISH
