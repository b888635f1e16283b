"""Display labels for the entity catalog's allowed values (lifecycle stages, statuses…).

Look a value up by enum name (``enum_label("opportunity_stage", "closed_won")``) or by the
field that holds it (``enum_label("quote.status", "draft")``, ``enum_label("lifecycle_stage",
"prospect")``). Stored values never change with the language; only their labels do.
"""

from __future__ import annotations

from sfa_desktop.i18n.translator import pgettext
from sync_server.protocol import catalog


def _labels() -> dict[str, dict[str, str]]:
    """Every enum's value → label table in the current language."""
    return {**_account_labels(), **_activity_labels(), **_sales_labels(), **_admin_labels()}


def _account_labels() -> dict[str, dict[str, str]]:
    """Accounts and contacts."""
    return {
        "lifecycle_stage": {
            "prospect": pgettext("lifecycle stage", "Prospect"),
            "qualified": pgettext("lifecycle stage", "Qualified"),
            "customer": pgettext("lifecycle stage", "Customer"),
            "lapsed": pgettext("lifecycle stage", "Lapsed"),
        },
        "channel": {
            "visit": pgettext("channel", "Visit"),
            "phone": pgettext("channel", "Phone"),
            "email": pgettext("channel", "Email"),
            "video": pgettext("channel", "Video call"),
            "chat": pgettext("channel", "Chat"),
        },
        "purchase_role": {
            "decision_maker": pgettext("purchase role", "Decision maker"),
            "influencer": pgettext("purchase role", "Influencer"),
            "user": pgettext("purchase role", "User"),
            "gatekeeper": pgettext("purchase role", "Gatekeeper"),
            "champion": pgettext("purchase role", "Champion"),
            "other": pgettext("purchase role", "Other"),
        },
    }


def _activity_labels() -> dict[str, dict[str, str]]:
    """Visits and other activities."""
    return {
        "activity_kind": {
            "visit": pgettext("activity kind", "Visit"),
            "call": pgettext("activity kind", "Call"),
            "email": pgettext("activity kind", "Email"),
            "meeting": pgettext("activity kind", "Meeting"),
            "task": pgettext("activity kind", "Task"),
        },
        "activity_status": {
            "planned": pgettext("activity status", "Planned"),
            "done": pgettext("activity status", "Done"),
            "cancelled": pgettext("activity status", "Cancelled"),
            "no_show": pgettext("activity status", "No-show"),
        },
    }


def _sales_labels() -> dict[str, dict[str, str]]:
    """Opportunities, forecasts and quotes."""
    return {
        "opportunity_stage": {
            "prospecting": pgettext("opportunity stage", "Prospecting"),
            "qualification": pgettext("opportunity stage", "Qualification"),
            "proposal": pgettext("opportunity stage", "Proposal"),
            "negotiation": pgettext("opportunity stage", "Negotiation"),
            "closed_won": pgettext("opportunity stage", "Closed won"),
            "closed_lost": pgettext("opportunity stage", "Closed lost"),
        },
        "forecast_category": {
            "pipeline": pgettext("forecast category", "Pipeline"),
            "best_case": pgettext("forecast category", "Best case"),
            "commit": pgettext("forecast category", "Commit"),
            "omitted": pgettext("forecast category", "Omitted"),
            "closed": pgettext("forecast category", "Closed"),
        },
        "quota_scope": {
            "personal": pgettext("quota scope", "Personal"),
            "team": pgettext("quota scope", "Team"),
        },
        "adjustment_scope": {
            "rep": pgettext("forecast adjustment scope", "Rep"),
            "team": pgettext("forecast adjustment scope", "Team"),
        },
        "quote_status": {
            "draft": pgettext("quote status", "Draft"),
            "pending_approval": pgettext("quote status", "Pending approval"),
            "approved": pgettext("quote status", "Approved"),
            "sent": pgettext("quote status", "Sent"),
            "accepted": pgettext("quote status", "Accepted"),
            "rejected": pgettext("quote status", "Rejected"),
            "expired": pgettext("quote status", "Expired"),
        },
        "quote_line_kind": {
            "item": pgettext("quote line kind", "Line item"),
            "section": pgettext("quote line kind", "Section"),
            "text": pgettext("quote line kind", "Text"),
        },
    }


def _admin_labels() -> dict[str, dict[str, str]]:
    """Users and the product catalogue."""
    return {
        "role": {
            "rep": pgettext("user role", "Sales rep"),
            "manager": pgettext("user role", "Sales manager"),
            "admin": pgettext("user role", "Administrator"),
        },
        "product_kind": {
            "product": pgettext("product kind", "Product"),
            "option": pgettext("product kind", "Option"),
            "component": pgettext("product kind", "Component"),
        },
    }


_ENUM_CHOICES: dict[str, tuple[str, ...]] = {
    "lifecycle_stage": catalog.LIFECYCLE_STAGES,
    "channel": catalog.CHANNELS,
    "purchase_role": catalog.PURCHASE_ROLES,
    "activity_kind": catalog.ACTIVITY_KINDS,
    "activity_status": catalog.ACTIVITY_STATUSES,
    "opportunity_stage": catalog.OPPORTUNITY_STAGES,
    "forecast_category": catalog.FORECAST_CATEGORIES,
    "quota_scope": catalog.QUOTA_SCOPES,
    "adjustment_scope": catalog.ADJUSTMENT_SCOPES,
    "quote_status": catalog.QUOTE_STATUSES,
    "quote_line_kind": catalog.QUOTE_LINE_KINDS,
    "role": catalog.ROLES,
    "product_kind": catalog.PRODUCT_KINDS,
}


def _field_aliases() -> dict[str, str]:
    """``"entity.field"`` and unambiguous bare field names → enum name, from the catalog."""
    by_choices = {choices: name for name, choices in _ENUM_CHOICES.items()}
    aliases: dict[str, str] = {}
    bare: dict[str, set[str]] = {}
    for spec in catalog.ENTITIES:
        for field_spec in spec.fields:
            enum_name = by_choices.get(field_spec.choices)
            if field_spec.type is catalog.FieldType.ENUM and enum_name:
                aliases[f"{spec.name}.{field_spec.name}"] = enum_name
                bare.setdefault(field_spec.name, set()).add(enum_name)
    aliases.update({name: next(iter(enums)) for name, enums in bare.items() if len(enums) == 1})
    return aliases


_ALIASES = _field_aliases()


def enum_names() -> tuple[str, ...]:
    """The enums that have labels."""
    return tuple(_ENUM_CHOICES)


def enum_choices(enum_or_field: str) -> tuple[str, ...]:
    """The stored values of an enum (by enum name or field), in catalog order."""
    return _ENUM_CHOICES[_ALIASES.get(enum_or_field, enum_or_field)]


def enum_label(enum_or_field: str, value: str | None) -> str:
    """The label of ``value`` in the current language ("" for no value).

    An unknown value is shown as stored rather than hidden, so data from a newer server
    still appears.
    """
    if not value:
        return ""
    enum_name = _ALIASES.get(enum_or_field, enum_or_field)
    return _labels().get(enum_name, {}).get(value, value)
