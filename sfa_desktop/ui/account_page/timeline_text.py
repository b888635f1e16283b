"""What a timeline entry says: a headline, a line of facts, and what was talked about."""

from __future__ import annotations

from html import escape

from sfa_desktop.i18n import _, enum_label
from sfa_desktop.services.account_page import OPPORTUNITY, QUOTE, VISIT, TimelineEntry
from sfa_desktop.ui.account_page.display import show_date, show_datetime, show_money

#: Notes longer than this are cut in the list (the record keeps them whole).
NOTES_PREVIEW_CHARS = 400


def entry_headline(entry: TimelineEntry) -> str:
    """``Visit · Done``, ``Quote Q-AGA-2026-0012 sent``, ``Opportunity “Aerotermia” won``."""
    title = entry.title or ""
    if entry.source == VISIT:
        kind = enum_label("activity_kind", entry.event)
        return f"{kind} · {enum_label('activity_status', entry.status)}"
    if entry.source == QUOTE:
        return quote_headline(entry)
    if entry.source == OPPORTUNITY:
        if entry.event == "created":
            return _("Opportunity “{name}” opened").format(name=title)
        if entry.event == "won":
            return _("Opportunity “{name}” won").format(name=title)
        if entry.event == "lost":
            return _("Opportunity “{name}” lost").format(name=title)
        return _("Opportunity “{name}” updated: {stage}").format(
            name=title, stage=enum_label("opportunity_stage", entry.status).lower()
        )
    return title


def quote_headline(entry: TimelineEntry) -> str:
    """``Quote Q-AGA-2026-0012 rev. 2 created``, ``… sent to ana@example.es``, ``… approved``."""
    number = entry.title or ""
    if entry.revision is not None and entry.revision > 1:
        number = _("{number} rev. {revision}").format(number=number, revision=entry.revision)
    if entry.event == "sent":
        recipient = entry.contact_email or entry.contact_name
        if recipient:
            return _("Quote {number} sent to {recipient}").format(
                number=number, recipient=recipient
            )
        return _("Quote {number} sent").format(number=number)
    headlines = {
        "created": _("Quote {number} created"),
        "pending_approval": _("Quote {number} submitted for approval"),
        "approved": _("Quote {number} approved"),
        "returned": _("Quote {number} returned for changes"),
        "accepted": _("Quote {number} accepted by the customer"),
        "rejected": _("Quote {number} rejected by the customer"),
        "expired": _("Quote {number} expired"),
    }
    headline = headlines.get(entry.event)
    if headline is not None:
        return headline.format(number=number)
    return _("Quote {number}: {status}").format(
        number=number, status=enum_label("quote_status", entry.event).lower()
    )


def _outcome_label(entry: TimelineEntry) -> str:
    if entry.event == "lost":
        return _("Lost reason")
    if entry.source == QUOTE:
        return _("Reason") if entry.event == "rejected" else _("Manager's note")
    return _("Outcome")


def entry_facts(entry: TimelineEntry) -> str:
    """When, who, with whom, how much: ``25 Nov 2026, 14:45 · Ana García · with Lucía Suárez``."""
    parts = [show_datetime(entry.at)]
    if entry.owner_name:
        parts.append(entry.owner_name)
    if entry.contact_name:
        parts.append(_("with {name}").format(name=entry.contact_name))
    if entry.amount is not None and entry.currency:
        parts.append(show_money(entry.amount, entry.currency))
    return " · ".join(parts)


def entry_details(entry: TimelineEntry) -> list[tuple[str, str]]:
    """(label, text) pairs: subject, outcome, notes, next step, follow-up date, lost reason."""
    details: list[tuple[str, str]] = []
    if entry.source == VISIT and entry.title:
        details.append(("", entry.title))
    if entry.outcome:
        details.append((_outcome_label(entry), entry.outcome))
    if entry.notes:
        notes = entry.notes
        if len(notes) > NOTES_PREVIEW_CHARS:
            notes = notes[:NOTES_PREVIEW_CHARS].rstrip() + "…"
        details.append((_("Notes"), notes))
    if entry.next_step and entry.source == VISIT:
        details.append((_("Next step"), entry.next_step))
    if entry.follow_up_date is not None:
        details.append((_("Follow up on"), show_date(entry.follow_up_date)))
    return details


def entry_summary(entry: TimelineEntry) -> str:
    """The entry as plain text (accessibility, copying, tests)."""
    lines = [entry_headline(entry), entry_facts(entry)]
    lines += [f"{label}: {text}" if label else text for label, text in entry_details(entry)]
    return "\n".join(lines)


def entry_html(entry: TimelineEntry, *, muted_color: str = "#6b6b6b") -> str:
    """The entry as rich text for the timeline's delegate."""
    rows = [
        f"<b>{escape(entry_headline(entry))}</b>",
        f"<span style='color:{muted_color}'>{escape(entry_facts(entry))}</span>",
    ]
    for label, text in entry_details(entry):
        body = escape(text).replace("\n", "<br>")
        rows.append(f"<i>{escape(label)}:</i> {body}" if label else body)
    return "<br>".join(rows)
