"""``sfa segments``: the signed-in user's saved customer segments and their accounts.

    sfa segments list [--json]
    sfa segments show NAME [--date YYYY-MM-DD] [--json] [--csv FILE]

``NAME`` is the segment's name (case and accents aside) or its id. ``show`` lists the accounts
of the segment, most valuable first, with their ABC tier and RFM class (the rules of
:mod:`sfa_desktop.domain.segments`); ``--csv`` writes them to FILE as the desktop app exports
them (UTF-8 with a BOM, in the language's dialect).

``--json`` of ``list``: ``[{"id", "name", "description", "definition"}, …]``; of ``show``:
``{"id", "name", "definition", "date", "currency", "count", "value",
"accounts": [{"id", "name", "city", "region", "value", "potential", "abc", "rfm",
"age_years", "first_purchase", "last_purchase", "families"}, …]}`` (amounts as decimal text).
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from sfa_desktop.domain.segments import customer_age_years, rfm_class
from sfa_desktop.i18n import _, current_language, ngettext
from sfa_desktop.services.exports.files import write_atomically
from sfa_desktop.services.exports.segment_csv import render_segment_csv, rfm_label
from sfa_desktop.services.segments import (
    account_facts,
    company_currency,
    find_segment,
    matching,
    saved_segments,
)

from .context import CommandContext
from .output import print_json, print_table
from .today import date_argument


def run_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        rows = saved_segments(session)
    if ctx.json:
        document = [
            {
                "id": row.id,
                "name": row.name,
                "description": row.description,
                "definition": row.definition.to_json(),
            }
            for row in rows
        ]
        print_json(document, ctx.out)
        return 0
    if not rows:
        ctx.out.write(_("No saved segments.") + "\n")
        return 0
    print_table(
        [_("Name"), _("Description")], [[row.name, row.description or ""] for row in rows], ctx.out
    )
    return 0


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(Decimal("0.01")), "f")


def run_show(ctx: CommandContext, args: argparse.Namespace) -> int:
    today = args.date or ctx.env.now().astimezone().date()
    with ctx.database() as database, database.session() as session:
        segment = find_segment(session, args.name)
        accounts = matching(account_facts(session, today), segment.definition, today)
        currency = company_currency(session)
    accounts.sort(key=lambda f: (-f.value, f.name.casefold(), f.account_id))
    if args.csv:
        data = render_segment_csv(
            accounts, today=today, currency=currency, language=current_language()
        )
        write_atomically(Path(args.csv), data)
    total = sum((item.value for item in accounts), Decimal(0))
    if ctx.json:
        print_json(
            {
                "id": segment.id,
                "name": segment.name,
                "definition": segment.definition.to_json(),
                "date": today.isoformat(),
                "currency": currency,
                "count": len(accounts),
                "value": _money(total),
                "accounts": [
                    {
                        "id": item.account_id,
                        "name": item.name,
                        "city": item.city,
                        "region": item.region,
                        "value": _money(item.value),
                        "potential": _money(item.potential),
                        "abc": item.abc,
                        "rfm": rfm_class(item, today),
                        "age_years": customer_age_years(item, today),
                        "first_purchase": item.first_purchase,
                        "last_purchase": item.last_purchase,
                        "families": sorted(item.families),
                    }
                    for item in accounts
                ],
            },
            ctx.out,
        )
        return 0
    summary = ngettext(
        "{name}: {count} account, value {value} {currency}",
        "{name}: {count} accounts, value {value} {currency}",
        len(accounts),
    ).format(name=segment.name, count=len(accounts), value=_money(total), currency=currency)
    ctx.out.write(summary + "\n")
    rows: list[list[str]] = [
        [
            item.name,
            item.city or "",
            _money(item.value) or "",
            item.abc,
            rfm_label(rfm_class(item, today)),
        ]
        for item in accounts
    ]
    if rows:
        print_table([_("Account"), _("City"), _("Value"), _("Tier"), _("Affinity")], rows, ctx.out)
    if args.csv:
        ctx.out.write(_("Written to {path}").format(path=args.csv) + "\n")
    return 0


def add_segment_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    segments = commands.add_parser("segments", help=_("your saved customer segments"))
    actions = segments.add_subparsers(
        dest="segments_command", required=True, parser_class=type(segments)
    )
    listing = actions.add_parser("list", parents=[json_parent], help=_("list your segments"))
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", parents=[json_parent], help=_("the accounts of one segment"))
    show.add_argument("name", metavar="NAME", help=_("the segment's name or id"))
    show.add_argument(
        "--date", type=date_argument, metavar="D", help=_("the day (YYYY-MM-DD); default: today")
    )
    show.add_argument("--csv", metavar="FILE", help=_("also write the accounts to a CSV file"))
    show.set_defaults(run=run_show)
