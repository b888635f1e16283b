"""The words for cross-sell suggestions and the next best action, in the user's language (the
account page and ``sfa suggest`` show the same sentences)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from babel import dates as babel_dates

from sfa_desktop.domain.localized_numbers import format_decimal, format_percent
from sfa_desktop.domain.next_action import NextAction
from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.i18n.translator import locale_for_formatting

from .account_advice import AccountAdvice
from .cross_sell import Suggestion

__all__ = ["channel_phrase", "next_action_reason", "next_action_text", "suggestion_reason"]


def _share(value: Fraction) -> str:
    points = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return format_percent(points, locale_for_formatting(), max_decimals=0)


def _lift(value: Fraction) -> str:
    number = Decimal(value.numerator) / Decimal(value.denominator)
    return format_decimal(number, locale_for_formatting(), decimals=1)


def suggestion_reason(advice: AccountAdvice, suggestion: Suggestion) -> str:
    """Why the product is suggested ("62 % of customers who buy X also buy Y — lift 3,1, 14
    customers")."""
    because = advice.because_name(suggestion)
    if suggestion.is_rule:
        assert suggestion.confidence is not None and suggestion.lift is not None
        customers = suggestion.customers or 0
        values = {
            "share": _share(suggestion.confidence),
            "because": because,
            "lift": _lift(suggestion.lift),
            "count": format_count(customers),
        }
        if suggestion.kind == "family":
            return ngettext(
                "{share} of customers who buy {because} also buy {family} — lift {lift}, "
                "{count} customer",
                "{share} of customers who buy {because} also buy {family} — lift {lift}, "
                "{count} customers",
                customers,
            ).format(family=suggestion.product.family or "", **values)
        return ngettext(
            "{share} of customers who buy {because} also buy {product} — lift {lift}, "
            "{count} customer",
            "{share} of customers who buy {because} also buy {product} — lift {lift}, "
            "{count} customers",
            customers,
        ).format(product=suggestion.product.name, **values)
    if suggestion.kind == "option":
        return _("An option for {product}, which they bought").format(product=because)
    if suggestion.kind == "component":
        return _("A component of {product}, which they bought").format(product=because)
    return _("A step up from {product}, which they bought").format(product=because)


def channel_phrase(action: NextAction) -> str:
    """ "call María López", "visit the account"…"""
    name = action.contact.name if action.contact is not None else None
    if name is None:
        return {
            "visit": _("visit the account"),
            "phone": _("call the account"),
            "email": _("email the account"),
            "video": _("video call the account"),
            "chat": _("message the account"),
        }.get(action.channel, _("contact the account"))
    template = {
        "visit": _("visit {name}"),
        "phone": _("call {name}"),
        "email": _("email {name}"),
        "video": _("video call {name}"),
        "chat": _("message {name}"),
    }.get(action.channel, _("contact {name}"))
    return template.format(name=name)


def next_action_reason(action: NextAction) -> str:
    """Why: "quote Q-JGM-2026-0142 expires in 3 days"…"""
    days = action.days
    if action.kind == "quote_expiring":
        if not days:
            return _("quote {number} expires today").format(number=action.subject)
        return ngettext(
            "quote {number} expires in {days} day", "quote {number} expires in {days} days", days
        ).format(number=action.subject, days=format_count(days))
    if action.kind == "task_due":
        subject = action.subject or _("follow-up")
        if not days:
            return _("task due today: {subject}").format(subject=subject)
        return ngettext(
            "task {days} day overdue: {subject}", "task {days} days overdue: {subject}", days
        ).format(subject=subject, days=format_count(days))
    if action.kind == "lapsed_high_value":
        if action.since is None:
            return _("a high-value customer gone quiet: win it back")
        since = babel_dates.format_date(
            action.since, format="medium", locale=locale_for_formatting()
        )
        return _("a high-value customer with no purchase since {date}: win it back").format(
            date=since
        )
    if action.kind == "overdue_visit":
        if days is None:
            return _("due for a first visit")
        return ngettext(
            "{days} day overdue by its visit cadence",
            "{days} days overdue by its visit cadence",
            days,
        ).format(days=format_count(days))
    return _("offer {product}").format(product=action.subject)


def next_action_text(action: NextAction) -> str:
    """ "Next: call María López — quote 2026-0142 expires in 3 days"."""
    return _("Next: {action} — {reason}").format(
        action=channel_phrase(action), reason=next_action_reason(action)
    )
