"""``sfa suggest ACCOUNT_ID``: what to offer an account next and the next best action, from the
same service as the account page (:mod:`sfa_desktop.services.account_advice`).

    sfa suggest ACCOUNT_ID [--json]

``--json``::

    {"account_id",
     "suggestions": [{"product_id", "sku", "name", "family", "kind", "because_id",
                      "because", "confidence", "lift", "customers", "reason"}, …],
     "next_action": {"kind", "channel", "contact_id", "contact", "subject", "subject_id",
                     "days", "since", "marketing", "text"} | null}

``kind`` of a suggestion: ``cross_sell`` (bought together with a product the account bought),
``family`` (a family bought together with one it buys), ``option``, ``component``,
``step_up`` (up-sell). ``confidence`` and ``lift`` are decimals as text (4 places), null for
up-sell. ``kind`` of the action: ``quote_expiring``, ``task_due``, ``lapsed_high_value``,
``overdue_visit``, ``cross_sell``; ``channel``: ``visit``, ``phone``, ``email``, ``video``,
``chat``.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sfa_desktop.i18n import _
from sfa_desktop.services.account_advice import AccountAdvice, load_account_advice
from sfa_desktop.services.advice_text import next_action_text, suggestion_reason
from sfa_desktop.services.errors import RecordNotFound

from .context import CommandContext
from .output import print_json, print_table


def _decimal(value: Fraction | None) -> str | None:
    if value is None:
        return None
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001")))


def advice_json(advice: AccountAdvice) -> dict[str, Any]:
    action = advice.next_action
    return {
        "account_id": advice.account_id,
        "suggestions": [
            {
                "product_id": s.product.id,
                "sku": s.product.sku,
                "name": s.product.name,
                "family": s.product.family,
                "kind": s.kind,
                "because_id": s.because if s.kind != "family" else None,
                "because": advice.because_name(s),
                "confidence": _decimal(s.confidence),
                "lift": _decimal(s.lift),
                "customers": s.customers,
                "reason": suggestion_reason(advice, s),
            }
            for s in advice.suggestions
        ],
        "next_action": None
        if action is None
        else {
            "kind": action.kind,
            "channel": action.channel,
            "contact_id": action.contact.id if action.contact else None,
            "contact": action.contact.name if action.contact else None,
            "subject": action.subject,
            "subject_id": action.subject_id,
            "days": action.days,
            "since": action.since,
            "marketing": action.marketing,
            "text": next_action_text(action),
        },
    }


def run_suggest(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        advice = load_account_advice(session, args.account_id, now=ctx.env.now())
    if advice is None:
        raise RecordNotFound("account", args.account_id)
    if ctx.json:
        print_json(advice_json(advice), ctx.out)
        return 0
    out = ctx.out
    if advice.next_action is not None:
        out.write(next_action_text(advice.next_action) + "\n\n")
    else:
        out.write(_("Nothing calls for an action now.") + "\n\n")
    if not advice.suggestions:
        out.write(_("No suggested products: not enough purchases to go on.") + "\n")
        return 0
    rows = [
        [s.product.sku, s.product.name, suggestion_reason(advice, s)] for s in advice.suggestions
    ]
    print_table([_("SKU"), _("product"), _("why")], rows, out)
    return 0


def add_suggest_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    suggest = commands.add_parser(
        "suggest",
        parents=[json_parent],
        help=_("products to offer an account and the next best action"),
    )
    suggest.add_argument("account_id", metavar="ACCOUNT_ID", help=_("the account's id"))
    suggest.set_defaults(run=run_suggest)
