"""The building blocks of the entity catalog (:mod:`.catalog`): wire types, value formats, scope
rules, the field and entity specs, and the helpers that declare the usual kinds of field."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .authority import RecordAuthority


class FieldType(StrEnum):
    """How a field's value travels on the wire (JSON) and what it means."""

    TEXT = "text"  #: str
    INT = "int"  #: int
    FLOAT = "float"  #: float (coordinates only; never money)
    BOOL = "bool"  #: bool
    DECIMAL = "decimal"  #: str holding a decimal number ("21.00"), for rates and quantities
    MONEY = "money"  #: int, minor units of the currency named by ``currency_field``
    DATE = "date"  #: str, ISO 8601 date "2026-11-25"
    DATETIME = "datetime"  #: str, ISO 8601 UTC instant "2026-11-25T08:30:00Z"
    REF = "ref"  #: str, the UUID of a record of ``ref`` entity
    ENUM = "enum"  #: str, one of ``choices``
    TAGS = "tags"  #: list[str]
    JSON = "json"  #: any JSON value (conflict payloads)


class FieldFormat(StrEnum):
    """What a text field's value must be beyond its type (checked in :mod:`.field_rules`)."""

    EMAIL = "email"  #: an e-mail address (syntax only), stored normalized
    PHONE = "phone"  #: a valid phone number, stored (and sent) in E.164: "+34612345678"
    URL = "url"  #: an http(s) web address
    COUNTRY = "country"  #: an ISO 3166 alpha-2 code, upper case
    CURRENCY = "currency"  #: a known ISO 4217 code, upper case
    TAX_ID = "tax_id"  #: a tax id valid for the record's ``country`` (NIF/NIE/CIF in Spain)
    PNG = "png"  #: a PNG image, base64-encoded (a logo)


class ScopeRule(StrEnum):
    """Which records a user may see and change (SPEC §4.6)."""

    OWNER = "owner"  #: the user in ``scope_field`` and the managers above them
    PARENT = "parent"  #: whatever scope the record referenced by ``scope_field`` has
    PARTICIPANTS = "participants"  #: the users in ``scope_fields`` and their managers
    GLOBAL = "global"  #: every signed-in user may read (server-managed reference data)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    currency_field: str | None = None
    max_length: int | None = None
    default: object = None
    #: searchable text (full-text index on clients)
    searchable: bool = False
    #: the value's format (text fields), see :class:`FieldFormat`
    format: FieldFormat | None = None
    #: inclusive bounds of a number (int, float, decimal or money) field
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class EntitySpec:
    name: str
    fields: tuple[FieldSpec, ...]
    scope: ScopeRule
    scope_field: str | None = None
    scope_fields: tuple[str, ...] = ()
    #: reference data written only by the server (admins); clients read it
    server_managed: bool = False
    #: records created by the server only, although clients may edit some fields
    server_created: bool = False
    #: fields a client may never write (for entities clients otherwise write)
    readonly_fields: frozenset[str] = frozenset()
    #: the field that names a record in lists, conflicts and the audit log
    title_field: str = "name"
    #: who may write which fields and make which status changes (see :mod:`.authority`)
    authority: RecordAuthority | None = None
    _by_name: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})

    def field(self, name: str) -> FieldSpec:
        """The spec of field ``name``; ``KeyError`` if the entity has no such field."""
        return self._by_name[name]

    def has_field(self, name: str) -> bool:
        return name in self._by_name

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def client_writable(self) -> bool:
        return not self.server_managed

    def client_may_write(self, field_name: str) -> bool:
        return (
            not self.server_managed
            and field_name in self._by_name
            and field_name not in self.readonly_fields
        )


# --- field declarations ------------------------------------------------------------------------

_T = FieldType


def _text(
    name: str,
    *,
    required: bool = False,
    max_length: int = 200,
    search: bool = False,
    format: FieldFormat | None = None,
) -> FieldSpec:
    return FieldSpec(
        name,
        _T.TEXT,
        required=required,
        max_length=max_length,
        searchable=search,
        format=format,
    )


def _long(name: str) -> FieldSpec:
    return FieldSpec(name, _T.TEXT, max_length=20_000)


def _enum(
    name: str, choices: tuple[str, ...], *, required: bool = False, default: str | None = None
) -> FieldSpec:
    return FieldSpec(name, _T.ENUM, required=required, choices=choices, default=default)


def _ref(name: str, entity: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, _T.REF, required=required, ref=entity)


def _money(
    name: str,
    *,
    required: bool = False,
    currency_field: str = "currency",
    minimum: int | None = None,
) -> FieldSpec:
    return FieldSpec(
        name, _T.MONEY, required=required, currency_field=currency_field, minimum=minimum
    )


def _currency(*, required: bool = True) -> FieldSpec:
    return FieldSpec(
        "currency",
        _T.TEXT,
        required=required,
        max_length=3,
        default="EUR",
        format=FieldFormat.CURRENCY,
    )


def _percent(name: str, *, required: bool = False, default: str | None = None) -> FieldSpec:
    """A percentage (0–100 percentage points) held as a decimal."""
    return FieldSpec(name, _T.DECIMAL, required=required, default=default, minimum=0, maximum=100)
