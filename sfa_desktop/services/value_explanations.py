"""What a customer's value figures and tiers say, in the user's language: each figure's name,
its formula with the account's own inputs, and each strategic tier's name and strategy.

Shared by the account page's "why" panel and ``sfa value show``; amounts are formatted by
the caller (``money``: currency units → text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sfa_desktop.domain.customer_value_model import Figure, Input
from sfa_desktop.domain.localized_numbers import format_decimal
from sfa_desktop.domain.strategic_tiers import BZ, MGC, MVC, OTHER
from sfa_desktop.i18n import _, locale_for_formatting

from .customer_values import AccountExplanation


def figure_label(key: str) -> str:
    labels = {
        "historic": _("Historic value"),
        "last_12m": _("Last 12 months"),
        "current_year": _("This year"),
        "potential": _("Annual potential"),
        "share_of_wallet": _("Share of wallet"),
        "growth_potential": _("Growth potential"),
        "cost_to_serve": _("Cost to serve (12 months)"),
        "margin": _("Margin (12 months)"),
        "contribution": _("Contribution"),
        "retention": _("Retention"),
        "lifetime_value": _("Lifetime value"),
    }
    return labels.get(key, key)


def _formulas() -> dict[str, str]:
    return {
        "historic": _(
            "All sales ever: won opportunities, plus accepted quotes not linked to a won one."
        ),
        "last_12m": _("Sales of the last 12 months (same rule)."),
        "current_year": _("Sales since 1 January (same rule)."),
        "potential": _("What the customer could spend a year in our categories (set by the rep)."),
        "share_of_wallet": _("Last 12 months {last_12m} ÷ annual potential {potential}."),
        "growth_potential": _(
            "Annual potential {potential} − last 12 months {last_12m}, never below 0."
        ),
        "cost_to_serve": _(
            "{visit_count} visits × {visit_cost} + {meeting_count} meetings × {meeting_cost} + "
            "{call_count} calls × {call_cost} + {email_count} e-mails × {email_cost} + "
            "discounts given {discounts}."
        ),
        "margin": _(
            "Margin from product costs {known_margin} + the rest of the sales at the default "
            "margin of {default_margin_pct} ({default_margin})."
        ),
        "contribution": _(
            "Margin {margin} − cost to serve {cost_to_serve}; below 0, a customer is below zero."
        ),
        "retention": _(
            "Of its {periods} earlier years with purchases, {kept} were followed by a purchase "
            "the next year: ({kept} + 1.2) ÷ ({periods} + 2), at most {max}."
        ),
        "lifetime_value": _(
            "Margin {margin} × retention {retention} ÷ (1 + discount rate {discount_pct} − "
            "retention): about {expected_years} more years as a customer."
        ),
    }


def tier_name(tier: str | None) -> str:
    names = {
        MVC: _("Most valuable (MVC)"),
        MGC: _("Most growable (MGC)"),
        BZ: _("Below zero (BZ)"),
        OTHER: _("Other customers"),
    }
    return names.get(tier or "", _("Not computed yet"))


def tier_strategy(tier: str | None) -> str:
    strategies = {
        MVC: _("Retain it: a top account by lifetime value."),
        MGC: _("Develop it: cross- and up-sell towards its potential."),
        BZ: _("Call or e-mail: serving it costs more than it gives."),
        OTHER: _("Maintain it at the usual cadence."),
    }
    return strategies.get(tier or "", "")


_PERCENT_KEYS = ("default_margin_pct", "discount_pct")
_RATIO_KEYS = ("retention", "max")
_PLAIN_KEYS = ("kept", "periods")


def _number(value: Decimal, decimals: int) -> str:
    return format_decimal(value, locale_for_formatting(), decimals=decimals)


def _input_text(key: str, value: Input, money: Callable[[Decimal], str]) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if key.endswith("_count") or key in _PLAIN_KEYS:
        return str(value)
    number = Decimal(value)
    if key in _PERCENT_KEYS:
        return f"{_number(number, 1)} %"
    if key in _RATIO_KEYS:
        return f"{_number(number * 100, 0)} %"
    if key == "expected_years":
        return _number(number, 1) if number.is_finite() else "∞"
    return money(number)


def figure_value_text(figure: Figure, money: Callable[[Decimal], str]) -> str:
    """The figure itself: money, or a percentage for the share of wallet and retention."""
    if figure.amount is None:
        return "—"
    if figure.key in ("share_of_wallet", "retention"):
        return f"{_number(figure.amount * 100, 0)} %"
    return money(figure.amount)


@dataclass(frozen=True)
class ExplainedFigure:
    key: str
    label: str
    value: str
    formula: str


def explain_figures(
    explanation: AccountExplanation, money: Callable[[Decimal], str]
) -> list[ExplainedFigure]:
    """Every figure of the account with its formula, its own inputs written in."""
    formulas = _formulas()
    lines: list[ExplainedFigure] = []
    for figure in explanation.model.figures():
        inputs: Mapping[str, str] = {
            key: _input_text(key, value, money) for key, value in figure.inputs.items()
        }
        formula = formulas.get(figure.key, "").format_map(_Missing(inputs))
        lines.append(
            ExplainedFigure(
                figure.key, figure_label(figure.key), figure_value_text(figure, money), formula
            )
        )
    return lines


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"
