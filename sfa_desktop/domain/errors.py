"""Domain errors: machine-readable codes that the UI, CLI and API translate.

A domain error never carries a user-facing sentence. It carries a ``code`` (``"required"``,
``"invalid_email"``…), the ``field`` it concerns (if any) and ``params`` for interpolation
(``{"max": 80}``). The UI and the CLI look the code up in their translation catalogs; the
``message`` property gives a plain English rendering for logs and tests only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_T = TypeVar("_T")

# English fallbacks for logs. Translations live with the UI/CLI, keyed by the same codes.
_DEFAULT_MESSAGES: Mapping[str, str] = {
    "required": "A value is required.",
    "too_long": "At most {max} characters are allowed (got {length}).",
    "out_of_range": "The value must be between {min} and {max}.",
    "invalid_choice": "{value!r} is not one of the allowed values.",
    "invalid_number": "{value!r} is not a valid number.",
    "invalid_money": "{value!r} is not a valid amount.",
    "invalid_currency": "{currency!r} is not a known ISO 4217 currency code.",
    "currency_mismatch": "Cannot combine amounts in {left} and {right}.",
    "invalid_email": "{value!r} is not a valid e-mail address.",
    "invalid_phone": "{value!r} is not a valid phone number.",
    "invalid_tax_id": "{value!r} is not a valid tax identification number.",
    "invalid_country": "{value!r} is not an ISO 3166 two-letter country code.",
    "invalid_url": "{value!r} is not a valid web address.",
    "invalid_server_address": "{value!r} is not an http:// or https:// server address.",
    "invalid_date": "{value!r} is not a valid date (expected {format}).",
    "end_before_start": "The end must not be before the start.",
    "too_many_decimals": "At most {max} decimal places are allowed.",
    "manager_only_field": "Only a manager of the record's owner can change this.",
    "must_be_actor": "A decision can only be recorded in your own name.",
    "forbidden_transition": "This status change is not allowed for you.",
    "snapshot_frozen": "A submitted forecast cannot be changed or deleted.",
    "history_read_only": "Stage history cannot be changed or deleted.",
    "history_mismatch": "This stage change does not match the opportunity.",
    "manager_only": "Only a manager above this person (or an administrator) can do this.",
    "naive_datetime": "The date and time has no time zone.",
    "validation_failed": "{count} field(s) are not valid.",
}


def _json_safe(value: object) -> object:
    """Params as JSON-native values: Decimals, dates and the like become strings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    return str(value)


class _KeepMissing(dict[str, object]):
    """Format mapping that leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class DomainError(Exception):
    """A broken business rule, identified by a stable machine-readable ``code``."""

    def __init__(
        self,
        code: str,
        *,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.code = code
        self.field = field
        self.params: dict[str, object] = dict(params or {})
        super().__init__(code)

    @property
    def message(self) -> str:
        """Plain English description, for logs and developers (not for end users)."""
        template = _DEFAULT_MESSAGES.get(self.code, self.code.replace("_", " ").capitalize())
        try:
            return template.format_map(_KeepMissing(self.params))
        except (ValueError, IndexError):  # a malformed template must never hide the error
            return template

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, shared by the HTTP API and ``sfa --json``."""
        return {
            "code": self.code,
            "field": self.field,
            "params": _json_safe(self.params),
            "message": self.message,
        }

    def __str__(self) -> str:
        prefix = f"{self.field}: " if self.field else ""
        return f"{prefix}{self.message} [{self.code}]"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r}, params={self.params!r})"


class ValidationError(DomainError):
    """One input value is not acceptable."""


class ValidationErrors(DomainError):
    """Several fields of one form or record failed validation at once."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("validation_failed", params={"count": len(errors)})
        self.errors = list(errors)

    def by_field(self) -> dict[str | None, list[ValidationError]]:
        """Errors grouped by field name, in the order they were found."""
        grouped: dict[str | None, list[ValidationError]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error)
        return grouped

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data["errors"] = [error.to_dict() for error in self.errors]
        return data

    def __iter__(self) -> Iterator[ValidationError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


class ValidationCollector:
    """Run several validators and report every failure together.

    >>> collector = ValidationCollector()
    >>> email = collector.check(validate_email, form.email)   # doctest: +SKIP
    >>> collector.raise_if_any()                               # raises ValidationErrors
    """

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def check(
        self, validator: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> _T | None:
        """Return the validator's result, or ``None`` after recording its ValidationError."""
        try:
            return validator(*args, **kwargs)
        except ValidationErrors as many:
            self.errors.extend(many.errors)
        except ValidationError as error:
            self.errors.append(error)
        return None

    def add(self, error: ValidationError) -> None:
        """Record a failure found by hand (a cross-field rule, for instance)."""
        self.errors.append(error)

    def raise_if_any(self) -> None:
        """Raise :class:`ValidationErrors` if anything failed."""
        if self.errors:
            raise ValidationErrors(self.errors)
