"""Translated, user-facing messages for the error codes of the domain and the store.

Domain errors (:class:`sfa_desktop.domain.errors.DomainError`) and store errors
(:class:`sfa_desktop.store.errors.StoreError`) carry a stable ``code``; the UI and the CLI call
:func:`error_message` with that code and the error's parameters to get a sentence for the user.
"""

from __future__ import annotations

from sfa_desktop.i18n.translator import _, ngettext


class _KeepMissing(dict[str, object]):
    """Leave unknown ``{placeholders}`` visible rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _templates() -> dict[str, str]:
    """Every known code and its message template in the current language."""
    return {
        **_store_templates(),
        **_validation_templates(),
        **_rule_templates(),
        **_visit_templates(),
        **_quote_templates(),
        **_forecast_templates(),
        **_segment_templates(),
    }


def _store_templates() -> dict[str, str]:
    """The local store and its data folder."""
    return {
        "data_dir": _("The data folder “{path}” cannot be used. Choose a folder you can write to."),
        "db_not_found": _("There is no database at “{path}”."),
        "db_corrupt": _(
            "The database “{path}” is damaged or is not an SFA Desktop database. "
            "It has not been changed. Restore a backup or choose another data folder."
        ),
        "db_too_new": _(
            "The database “{path}” was written by a newer version of SFA Desktop. "
            "Please update the app to open it; the file has not been changed."
        ),
        "db_locked": _(
            "The database “{path}” is in use by another copy of SFA Desktop. "
            "Close it and try again."
        ),
        "db_foreign": _(
            "“{path}” is a database of another application. "
            "It has not been changed. Choose another data folder."
        ),
        "disk_full": _(
            "The disk holding “{path}” is full. Free some space and try again; "
            "what you were saving was not saved."
        ),
        "disk_io_error": _(
            "The disk reported an error while using “{path}”. Nothing was changed; "
            "check the disk and try again."
        ),
        "invalid_record": _("The record could not be saved: {reason}."),
        "record_not_found": _("The record no longer exists."),
        "record_deleted": _("The record has been deleted and cannot be changed."),
        "parent_deleted": _(
            "The {entity} this record belongs to has been deleted: restore it first."
        ),
        "store_error": _("The local database reported an error."),
    }


def _validation_templates() -> dict[str, str]:
    """Validation (domain)."""
    return {
        "required": _("A value is required."),
        "too_long": _("At most {max} characters are allowed."),
        "out_of_range": _("The value must be between {min} and {max}."),
        "invalid_choice": _("“{value}” is not one of the allowed values."),
        "invalid_number": _("“{value}” is not a valid number."),
        "invalid_money": _("“{value}” is not a valid amount."),
        "invalid_currency": _("“{currency}” is not a known currency code."),
        "currency_mismatch": _("Amounts in {left} and {right} cannot be combined."),
        "invalid_email": _("“{value}” is not a valid email address."),
        "invalid_phone": _("“{value}” is not a valid phone number."),
        "invalid_tax_id": _("“{value}” is not a valid tax ID."),
        "invalid_country": _("“{value}” is not a two-letter country code."),
        "invalid_url": _("“{value}” is not a valid web address."),
        "invalid_png": _("The image is not a PNG file."),
        "invalid_server_address": _(
            "“{value}” is not a valid server address. "
            "Use an http:// or https:// address, such as https://sfa.example.com."
        ),
        "invalid_date": _("“{value}” is not a valid date (expected {format})."),
        "end_before_start": _("The end must not be before the start."),
        "too_many_decimals": _("At most {max} decimal places are allowed."),
    }


def _rule_templates() -> dict[str, str]:
    """Who may write what (the server's rules)."""
    return {
        "manager_only_field": _("Only a manager of the record’s owner can change this."),
        "must_be_actor": _("A decision can only be recorded in your own name."),
        "forbidden_transition": _("This status change is not allowed for you."),
        "snapshot_frozen": _("A submitted forecast cannot be changed or deleted."),
        "history_read_only": _("Stage history cannot be changed or deleted."),
        "manager_only": _("Only a manager above this person (or an administrator) can do this."),
        "history_mismatch": _(
            "This stage change does not match the opportunity’s current stage and close date."
        ),
        "quote_frozen": _(
            "This quote is past approval and cannot be changed: make a new revision."
        ),
        "reason_required": _("Give the reason for this status change."),
        "duplicate_number": _("Another quote already has this number."),
        "duplicate_tax_id": _("Another account already has this tax id."),
        "quote_number_unavailable": _(
            "No quote number is available on this computer yet: sync once, then try again."
        ),
        "zero_duration": _("The end must be later than the start."),
        "duration_too_long": _("A visit can last at most {max_hours} hours."),
    }


def _visit_templates() -> dict[str, str]:
    """Visits, and the form-wide message."""
    return {
        "visit_closed": _(
            "This activity is already closed (done, cancelled or no-show); it cannot change."
        ),
        "contact_of_other_account": _("This contact works at another account."),
        "naive_datetime": _("The date and time has no time zone."),
        "validation_failed": _("Some fields are not valid. Correct them and try again."),
    }


def _quote_templates() -> dict[str, str]:
    """Making and submitting quotes."""
    return {
        "no_current_user": _("Nobody is signed in on this profile: sign in to a server first."),
        "price_list_required": _(
            "Choose a price list: there is more than one active, and this account has no "
            "quote with one of them."
        ),
        "unknown_sku": _("There is no product with the SKU “{sku}”."),
        "product_inactive": _("The product “{sku}” is no longer sold."),
        "not_in_price_list": _(
            "The product “{sku}” has no price in the price list “{price_list}”."
        ),
        "quantity_not_positive": _("The quantity must be more than zero."),
        "quote_not_draft": _("Only a draft quote can be submitted."),
        "quote_without_lines": _("The quote has no lines: add at least one first."),
        "opportunity_of_other_account": _("This opportunity belongs to another account."),
        **_quote_lifecycle_templates(),
    }


def _quote_lifecycle_templates() -> dict[str, str]:
    """Approving, sending, revising, and the customer's answer."""
    return {
        "quote_not_pending": _("Quote {number} is not waiting for approval."),
        "quote_decision_not_yours": _(
            "Only a manager of the owner of quote {number}, or an admin, can approve it or "
            "return it."
        ),
        "quote_not_approved": _(
            "Quote {number} is not approved yet: only an approved quote is sent."
        ),
        "quote_not_sent": _("Quote {number} has not been sent: the customer has not answered it."),
        "quote_expired": _(
            "Quote {number} expired on {valid_until}: make a new revision with new dates."
        ),
        "quote_not_revisable": _(
            "Quote {number} cannot be revised: a draft or a quote waiting for approval is edited "
            "as it is, and an accepted one is closed."
        ),
        "invalid_revision": _(
            "A revision must follow the previous revision of the same quote (same number, "
            "revision one less)."
        ),
        "quote_already_revised": _(
            "Quote {number} already has a newer revision: work on the latest one."
        ),
        "opportunity_amount_differs": _(
            "The opportunity’s amount ({opportunity_amount} {opportunity_currency}) differs from "
            "the quote’s net total ({quote_amount} {currency}): choose whether to replace it."
        ),
    }


def _forecast_templates() -> dict[str, str]:
    """Forecasts and the pipeline."""
    return {
        "invalid_period": _(
            "“{value}” is not a period: give a month (2026-12) or a quarter (2026-Q4)."
        ),
        "unknown_user": _("There is no user “{user}”."),
        "rep_or_team": _("Adjust either one rep’s forecast or a team’s, not both."),
        "no_team": _("{user} manages nobody: adjust their own forecast instead."),
        "no_submission": _(
            "{user} has not submitted a forecast for {period} yet: there is no call to adjust."
        ),
        "export_format": _(
            "“{path}” is not a file name the review can be exported to: end it in .xlsx, "
            ".csv or .pdf."
        ),
    }


def _segment_templates() -> dict[str, str]:
    """Customer segments."""
    return {
        "segment_not_object": _("A segment definition must be a JSON object ({reason})."),
        "segment_unknown_key": _("“{key}” is not a segment criterion."),
        "segment_version": _(
            'The segment definition must have "version": {version}; this one has “{value}”.'
        ),
        "segment_not_list": _("The segment criterion “{key}” must be a list."),
        "segment_empty_list": _("The segment criterion “{key}” lists nothing."),
        "segment_not_range": _('“{key}” must give a "min", a "max" or both.'),
        "too_many_values": _("At most {max} values are allowed."),
        "segment_name_taken": _("You already have a segment called “{name}”."),
        "segment_not_found": _("There is no saved segment “{name}”."),
    }


def known_error_codes() -> frozenset[str]:
    """The codes :func:`error_message` has a specific message for."""
    return frozenset(_templates())


def error_message(code: str, **params: object) -> str:
    """The message for ``code`` in the current language, with ``params`` filled in."""
    if code == "validation_failed" and isinstance(params.get("count"), int):
        count = params["count"]
        assert isinstance(count, int)
        template: str | None = ngettext(
            "{count} field is not valid. Correct it and try again.",
            "{count} fields are not valid. Correct them and try again.",
            count,
        )
    else:
        template = _templates().get(code)
    if template is None:
        return _("Something went wrong ({code}).").format(code=code)
    try:
        return template.format_map(_KeepMissing(params))
    except (ValueError, IndexError):  # a malformed translation must never hide the error
        return template
