"""``sfa scorecard``: the CRM scorecard (cuadro de mando) of your scope for a period.

    sfa scorecard [--period P] [--compare previous|last-year] [--json]
    sfa scorecard [--period P] [--compare …] --pdf FILE [--lang es|en] [--json]

``P`` is a month (``2026-11``), a quarter (``2026-Q4``) or a year (``2026``); the default is
the current quarter. A rep sees their own accounts, a manager their team's, an admin all. The
formulas are in :mod:`sfa_desktop.domain.scorecard`.

``--pdf FILE`` writes the scorecard as a PDF instead (whole or not at all; ``--lang``: its
language, default the CLI's) and prints the file's path (``--json``: ``{"path", "bytes"}``).

``--json``::

    {"period", "start", "end", "compared_period", "compare", "currency",
     "kpis": [{"key", "perspective", "unit", "value", "compared", "change"}, …],
     "breakdowns": {"family"|"tier"|"zone"|"channel": [{"key", "sales", "compared_sales",
                    "growth", "buyers", "compared_buyers"}, …]},
     "retention_trend": [{"period", "retention"}, …]}

Money is a decimal string in major units of ``currency`` (rounded half-up to its minor
unit); ratios are decimal strings between 0 and 1 (4 decimals), days with 1 decimal; an
unknown figure is null.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.domain.money import currency_precision
from sfa_desktop.domain.scorecard import (
    PERSPECTIVES,
    Compare,
    Kpi,
    Scorecard,
    ScorePeriod,
    parse_period,
)
from sfa_desktop.i18n import _, current_language
from sfa_desktop.services.exports.scorecard_pdf import write_scorecard_pdf
from sfa_desktop.services.messages import domain_error_text
from sfa_desktop.services.scorecard import load_scorecard
from sfa_desktop.services.scorecard_text import (
    COMPARE_LABELS,
    KPI_LABELS,
    PERSPECTIVE_LABELS,
    arrow,
    change_text,
    label,
    period_text,
    value_text,
)

from .context import CommandContext
from .output import print_json, print_table


def scorecard_period(text: str) -> ScorePeriod:
    try:
        return parse_period(text)
    except DomainError as error:
        raise argparse.ArgumentTypeError(domain_error_text(error)) from None


def _figure(kpi: Kpi, value: Decimal | None, currency: str) -> str | None:
    if value is None:
        return None
    if kpi.unit == "money":
        digits = currency_precision(currency)
        exponent = Decimal(1).scaleb(-digits)
        return str(Decimal(value).scaleb(-digits).quantize(exponent, rounding=ROUND_HALF_UP))
    places = {"ratio": Decimal("0.0001"), "days": Decimal("0.1")}.get(kpi.unit, Decimal(1))
    return str(Decimal(value).quantize(places, rounding=ROUND_HALF_UP))


def _money(value: Decimal, currency: str) -> str:
    digits = currency_precision(currency)
    return str(value.scaleb(-digits).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    c = card.currency
    return {
        "period": str(card.period),
        "start": card.period.start,
        "end": card.period.end,
        "compared_period": str(card.compared_period),
        "compare": card.compare,
        "currency": c,
        "kpis": [
            {
                "key": k.key,
                "perspective": k.perspective,
                "unit": k.unit,
                "value": _figure(k, k.value, c),
                "compared": _figure(k, k.compared, c),
                "change": _figure(k, k.change, c),
            }
            for k in card.kpis
        ],
        "breakdowns": {
            dimension: [
                {
                    "key": r.key,
                    "sales": _money(r.sales, c),
                    "compared_sales": _money(r.compared_sales, c),
                    "growth": None
                    if r.growth is None
                    else str(r.growth.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
                    "buyers": r.buyers,
                    "compared_buyers": r.compared_buyers,
                }
                for r in rows
            ]
            for dimension, rows in card.breakdowns.items()
        },
        "retention_trend": [
            {
                "period": str(p),
                "retention": None
                if value is None
                else str(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
            }
            for p, value in card.retention_trend
        ],
    }


def _today(ctx: CommandContext) -> dt.date:
    return ctx.env.now().astimezone().date()


def run_scorecard(ctx: CommandContext, args: argparse.Namespace) -> int:
    today = _today(ctx)
    period: ScorePeriod = args.period or ScorePeriod.of(today, "quarter")
    compare: Compare = "last_year" if args.compare == "last-year" else "previous"
    with ctx.database() as database, database.session() as session:
        card = load_scorecard(session, period, compare, today=today)
    if args.pdf:
        target = Path(args.pdf)
        size = write_scorecard_pdf(card, target, args.lang or current_language(), today=today)
        if ctx.json:
            print_json({"path": str(target), "bytes": size}, ctx.out)
        else:
            ctx.out.write(f"{target}\n")
        return 0
    if ctx.json:
        print_json(scorecard_json(card), ctx.out)
        return 0
    ctx.out.write(
        _("Scorecard {period} against {compared} ({how})").format(
            period=period_text(card.period),
            compared=period_text(card.compared_period),
            how=label(COMPARE_LABELS, compare),
        )
        + "\n"
    )
    rows = []
    for perspective in PERSPECTIVES:
        for kpi in card.perspective(perspective):
            rows.append(
                [
                    label(PERSPECTIVE_LABELS, perspective),
                    label(KPI_LABELS, kpi.key),
                    value_text(kpi, card.currency),
                    value_text(kpi, card.currency, kpi.compared)
                    if kpi.compared is not None
                    else "",
                    f"{arrow(kpi)} {change_text(kpi, card.currency)}".strip(),
                ]
            )
    headers = [
        _("Perspective"),
        _("Indicator"),
        period_text(card.period),
        period_text(card.compared_period),
        _("Change"),
    ]
    print_table(headers, rows, ctx.out)
    return 0


def add_scorecard_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    scorecard = commands.add_parser(
        "scorecard",
        parents=[json_parent],
        help=_("the CRM scorecard of your accounts (your team's) for a period"),
    )
    scorecard.add_argument(
        "--period",
        type=scorecard_period,
        metavar="P",
        help=_("a month (2026-11), a quarter (2026-Q4) or a year (2026); default: this quarter"),
    )
    scorecard.add_argument(
        "--compare",
        choices=("previous", "last-year"),
        default="previous",
        help=_("compare with the previous period (default) or the same one last year"),
    )
    scorecard.add_argument("--pdf", metavar="FILE", help=_("write the scorecard as a PDF file"))
    scorecard.add_argument(
        "--lang", choices=("es", "en"), help=_("document language (default: the CLI's)")
    )
    scorecard.set_defaults(run=run_scorecard)
