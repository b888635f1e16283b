"""The Spanish catalog covers every UI string, and the i18n helpers behave."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import sfa_desktop
from sfa_desktop import i18n
from sfa_desktop.domain.errors import _DEFAULT_MESSAGES
from sfa_desktop.i18n.catalogs import po_path
from sfa_desktop.store import errors as store_errors
from sync_server.protocol import catalog as entity_catalog

PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
MessageKey = tuple[str | None, str]


def _extracted_messages() -> dict[MessageKey, tuple[str, ...]]:
    """(context, msgid) → all forms, for every ``_()``/``ngettext()``/``pgettext()`` call."""
    package_dir = Path(sfa_desktop.__file__).parent
    found: dict[MessageKey, tuple[str, ...]] = {}
    for _file, _line, message, _comments, context in extract_from_dir(
        package_dir, method_map=[("**.py", "python")]
    ):
        forms = message if isinstance(message, tuple) else (message,)
        found[(context, forms[0])] = tuple(forms)
    return found


@pytest.fixture(scope="module")
def spanish() -> Catalog:
    with po_path("es").open("rb") as po_file:
        return read_po(po_file, locale="es")


def test_the_source_has_translatable_strings() -> None:
    assert len(_extracted_messages()) > 100


def test_every_ui_string_has_a_spanish_translation(spanish: Catalog) -> None:
    problems: list[str] = []
    for (context, msgid), forms in sorted(
        _extracted_messages().items(), key=lambda item: (item[0][0] or "", item[0][1])
    ):
        entry = spanish.get(forms if len(forms) > 1 else msgid, context=context)
        where = f"{context}|{msgid}" if context else msgid
        if entry is None:
            problems.append(f"missing: {where!r}")
            continue
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy:
            problems.append(f"fuzzy: {where!r}")
        elif not all(text.strip() for text in translations):
            problems.append(f"empty: {where!r}")
        elif any(
            sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(forms[-1]))
            for text in translations
        ):
            problems.append(f"placeholders differ: {where!r}")
    assert not problems, "Untranslated UI strings in es.po:\n" + "\n".join(problems)


def test_the_catalog_has_no_stale_entries(spanish: Catalog) -> None:
    extracted = set(_extracted_messages())
    stale = [
        (message.context, message.id if isinstance(message.id, str) else message.id[0])
        for message in spanish
        if message.id
    ]
    assert [key for key in stale if key not in extracted] == []


def test_no_message_is_translated_twice() -> None:
    """Entries appended by hand must not repeat one already there (msgfmt refuses the file,
    and which translation wins would depend on the reader)."""
    text = po_path("es").read_text(encoding="utf-8")
    keys: list[str] = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        ends = [i for i, line in enumerate(lines) if line.startswith("msgstr")]
        head = "\n".join(lines[: ends[0]] if ends else lines)
        if "msgid" in head and head.strip() != 'msgid ""':
            keys.append(head)
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert repeated == []


def test_spanish_is_natural_for_the_main_words() -> None:
    i18n.set_language("es")
    assert [
        i18n._(word)
        for word in ("Today", "Accounts", "Contacts", "Visits", "Pipeline", "Quotes", "Forecast")
    ] == ["Hoy", "Cuentas", "Contactos", "Visitas", "Embudo", "Presupuestos", "Previsión"]
    assert i18n.enum_label("lifecycle_stage", "prospect") == "Cliente potencial"
    assert i18n.enum_label("quote.status", "pending_approval") == "Pendiente de aprobación"


def test_plurals_and_counts_follow_the_language() -> None:
    def accounts(n: int) -> str:
        return i18n.ngettext("{count} account", "{count} accounts", n).format(
            count=i18n.format_count(n)
        )

    assert (accounts(1), accounts(1234)) == ("1 account", "1,234 accounts")
    i18n.set_language("es")
    assert (accounts(1), accounts(1234), accounts(0)) == ("1 cuenta", "1.234 cuentas", "0 cuentas")


def test_language_state() -> None:
    assert (i18n.current_language(), i18n.locale_for_formatting()) == ("en", "en_GB")
    i18n.set_language("es")
    assert (i18n.current_language(), i18n.locale_for_formatting()) == ("es", "es_ES")
    with pytest.raises(ValueError, match="unsupported language"):
        i18n.set_language("fr")
    assert i18n.current_language() == "es"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANGUAGE": "es:en", "LANG": "en_US.UTF-8"}, "es"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "es_ES.UTF-8"}, "en"),
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "es_AR.UTF-8"}, "es"),
        ({}, "en"),
    ],
)
def test_system_default_language(environ: dict[str, str], expected: str) -> None:
    assert i18n.system_default_language(environ) == expected


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_catalog_value_has_a_label(language: str) -> None:
    i18n.set_language(language)
    for spec in entity_catalog.ENTITIES:
        for field in spec.fields:
            if field.type is not entity_catalog.FieldType.ENUM:
                continue
            for value in field.choices:
                label = i18n.enum_label(f"{spec.name}.{field.name}", value)
                assert label and label != value, (spec.name, field.name, value)


def test_enum_labels_differ_by_context_in_spanish() -> None:
    i18n.set_language("es")
    assert i18n.enum_label("opportunity_stage", "closed_won") == "Ganada"
    assert i18n.enum_label("forecast_category", "closed") == "Cerrado"
    assert i18n.enum_label("visit.status", "cancelled") == "Cancelada"
    assert i18n.enum_label("lifecycle_stage", "something_new") == "something_new"
    assert i18n.enum_label("lifecycle_stage", None) == ""


def _store_error_codes() -> set[str]:
    codes: set[str] = set()
    pending: list[type[store_errors.StoreError]] = [store_errors.StoreError]
    while pending:
        cls = pending.pop()
        codes.add(cls.code)
        pending.extend(cls.__subclasses__())
    return codes


def test_every_store_and_domain_error_code_has_a_message() -> None:
    codes = _store_error_codes() | set(_DEFAULT_MESSAGES)
    assert codes - i18n.known_error_codes() == set()


def test_error_messages_are_translated_and_filled_in() -> None:
    assert "“/data/sfa.sqlite3”" in i18n.error_message("db_corrupt", path="/data/sfa.sqlite3")
    i18n.set_language("es")
    assert i18n.error_message("db_locked", path="/x").startswith("La base de datos «/x»")
    assert i18n.error_message("required") == "Este campo es obligatorio."
    assert i18n.error_message("invalid_email", value="a@") == (
        "«a@» no es una dirección de correo electrónico válida."
    )
    assert i18n.error_message("validation_failed", count=1).startswith("1 campo no es válido")
    assert i18n.error_message("too_long") == "Se admiten como máximo {max} caracteres."
    assert i18n.error_message("brand_new_code") == "Algo ha fallado (brand_new_code)."
