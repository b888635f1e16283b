"""The quote editor's errors in words, a line per problem ("Line 3: …")."""

from __future__ import annotations

from sfa_desktop.domain.errors import DomainError, ValidationError, ValidationErrors
from sfa_desktop.i18n import _, error_message
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms.field_labels import field_label


def error_text(error: BaseException) -> str:
    """What went wrong, one line per problem: "Line 3: The quantity must be more than zero."."""
    if isinstance(error, ValidationErrors):
        return "\n".join(_problem(problem) for problem in error.errors)
    if isinstance(error, ValidationError):
        return _problem(error)
    if isinstance(error, DomainError) and error.field is not None:
        return _problem(error)
    return describe_error(error)


def _problem(error: DomainError) -> str:
    text = error_message(error.code, **error.params)
    where = error.field
    if where is None:
        return text
    if where.startswith("line "):
        number = where.removeprefix("line ")
        return _("Line {number}: {problem}").format(number=number, problem=text)
    return f"{field_label('quote', where)}: {text}"
