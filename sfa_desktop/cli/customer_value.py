"""``sfa value show ACCOUNT [--json]``: what an account is worth and why, from the same service
as the account page (:mod:`sfa_desktop.services.customer_values`).

``ACCOUNT`` is an account id (or an unambiguous start of one, as ``sfa show`` takes).
Amounts are in the company currency; in JSON they are decimal strings (``"1250.50"``), ratios
are fractions (``"0.25"``)::

    {"account_id", "name", "as_of", "currency", "strategic_tier", "pareto_tier", "strategy",
     "tier_cadence_days",
     "figures": [{"key", "label", "amount", "formula", "inputs": {name: value}}, …]}
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from sfa_desktop.domain.localized_numbers import round_half_up
from sfa_desktop.domain.money import Money, currency_precision
from sfa_desktop.i18n import _, locale_for_formatting
from sfa_desktop.services.customer_values import explain_account
from sfa_desktop.services.errors import RecordNotFound
from sfa_desktop.services.record_lists import find_record_id, show_record
from sfa_desktop.services.value_explanations import explain_figures, tier_name, tier_strategy

from .context import CommandContext
from .output import print_fields, print_json, print_table


def run_value_show(ctx: CommandContext, args: argparse.Namespace) -> int:
    today = ctx.env.now().astimezone().date()
    with ctx.database() as database, database.session() as session:
        account_id = find_record_id(session, "account", args.account)
        record = show_record(session, "account", account_id) if account_id else None
        explanation = explain_account(session, account_id, today=today) if account_id else None
    if record is None or explanation is None or account_id is None:
        raise RecordNotFound("account", args.account)
    currency = explanation.currency
    digits = currency_precision(currency)

    def money(amount: Decimal) -> str:
        return Money(round_half_up(amount, digits), currency).format(locale_for_formatting())

    figures = explain_figures(explanation, money)
    tier = explanation.value.strategic_tier if explanation.value else None
    pareto = explanation.value.pareto_tier if explanation.value else None
    cadence = explanation.cadence_days.get(tier) if tier else None
    if ctx.json:
        document: dict[str, Any] = {
            "account_id": account_id,
            "name": record["name"],
            "as_of": today,
            "currency": currency,
            "strategic_tier": tier,
            "pareto_tier": pareto,
            "strategy": tier_strategy(tier),
            "tier_cadence_days": cadence,
            "figures": [
                {
                    "key": figure.key,
                    "label": line.label,
                    "amount": _plain(figure.amount, figure.key, digits),
                    "formula": line.formula,
                    "inputs": {k: _plain(v, k, digits) for k, v in figure.inputs.items()},
                }
                for figure, line in zip(explanation.model.figures(), figures, strict=True)
            ],
        }
        print_json(document, ctx.out)
        return 0
    print_fields(
        [
            (_("account"), str(record["name"])),
            (_("tier"), tier_name(tier) + (f" · {pareto}" if pareto else "")),
            (_("strategy"), tier_strategy(tier)),
        ],
        ctx.out,
    )
    ctx.out.write("\n")
    print_table(
        [_("figure"), _("value"), _("how")],
        [[line.label, line.value, line.formula] for line in figures],
        ctx.out,
    )
    return 0


_RATIOS = ("share_of_wallet", "retention", "max", "expected_years")


def _plain(value: Any, key: str, digits: int) -> Any:
    """A figure or input for JSON: money rounded to the currency, ratios to 4 decimals."""
    if not isinstance(value, Decimal):
        return value
    if not value.is_finite():
        return None
    if key in _RATIOS:
        return round_half_up(value, 4)
    if key.endswith("_pct"):
        return value
    return round_half_up(value, digits)


def add_value_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    value = commands.add_parser("value", help=_("what a customer is worth, and why"))
    actions = value.add_subparsers(dest="value_command", required=True, parser_class=type(value))
    show = actions.add_parser(
        "show", parents=[json_parent], help=_("an account's value figures and strategic tier")
    )
    show.add_argument("account", metavar="ACCOUNT", help=_("the account's id"))
    show.set_defaults(run=run_value_show)
