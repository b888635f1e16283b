"""The label of each editable record field, in the current language."""

from __future__ import annotations

from sfa_desktop.i18n import _, pgettext


def _labels() -> dict[str, str]:
    """Field name → label; ``"entity.field"`` keys override a shared name for one entity."""
    return {
        "name": _("Name"),
        "tax_id": _("Tax ID"),
        "industry": _("Industry"),
        "address": _("Address"),
        "postal_code": _("Postal code"),
        "city": _("City"),
        "region": _("Region"),
        "country": _("Country"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "phone": _("Phone"),
        "mobile": _("Mobile"),
        "email": pgettext("field label", "Email"),
        "website": _("Website"),
        "owner_id": _("Owner"),
        "lifecycle_stage": _("Stage"),
        "preferred_channel": _("Preferred channel"),
        "visit_cadence_days": _("Visit every (days)"),
        "annual_potential": _("Annual potential"),
        "tags": _("Tags"),
        "needs": _("Needs"),
        "notes": _("Notes"),
        "account_id": _("Account"),
        "contact_id": _("Contact"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "job_title": _("Job title"),
        "purchase_role": _("Role in the purchase"),
        "marketing_consent": _("Marketing consent"),
        "consent_at": _("Consent given on"),
        "consent_source": _("Consent source"),
        "kind": pgettext("activity", "Kind"),
        "subject": _("Subject"),
        "planned_start": _("Starts"),
        "planned_end": _("Ends"),
        "status": _("Status"),
        "checked_in_at": _("Checked in"),
        "outcome": _("Outcome"),
        "next_step": _("Next step"),
        "follow_up_date": _("Follow up on"),
        "stage": _("Stage"),
        "amount": _("Amount"),
        "currency": _("Currency"),
        "probability": _("Probability (%)"),
        "expected_close_date": _("Expected close"),
        "forecast_category": _("Forecast category"),
        "lost_reason": _("Lost reason"),
        "opportunity_id": _("Opportunity"),
        "price_list_id": _("Price list"),
        "issue_date": _("Issue date"),
        "valid_until": _("Valid until"),
        "terms": _("Terms"),
        "customer_note": _("Note to the customer"),
    }


def field_label(entity: str, field: str) -> str:
    """The label of ``entity.field`` ("Tax ID"); the field name itself if none is known."""
    labels = _labels()
    return labels.get(f"{entity}.{field}") or labels.get(field) or field.replace("_", " ")
