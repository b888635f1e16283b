"""``sfa pipeline`` and ``sfa forecast show``: the pipeline and the forecast, read only.

    sfa pipeline [--period P] [--mine] [--json]
    sfa forecast show [--period P] [--team] [--json]
    sfa forecast export --period P --out FILE.xlsx|.csv|.pdf [--lang es|en] [--team] [--json]
    sfa forecast submit [--period P] [--adjust AMOUNT --note TEXT] [--json]
    sfa forecast adjust (--rep EMAIL | --team EMAIL) [--period P] --amount A --note TEXT
                        [--currency CUR] [--json]

``P`` is a month (``2026-12``) or a quarter (``2026-Q4``); the default is the current quarter
(of the command's clock, in local time). Figures follow the shared forecast rules
(:mod:`sync_server.protocol.forecast_rules`); amounts are per currency, never converted.

``forecast submit`` stores a dated snapshot of the current user's live figures for the period
(one per currency; the adjustment and its note on the forecast currency's), to be synced;
``forecast adjust`` records a manager's adjustment of a rep's call (``--rep``) or of the call of
a team (``--team`` names its manager), with a note: only a manager above them, or an admin. An
amount is in major units (``1250.50``, ``-5000``; a comma works as the decimal mark). A refused
command writes nothing and says why on one line.

``pipeline`` shows, per stage and currency, the live deals of the profile (``--mine``: only the
current user's) closing in the period: how many, their amount and their weighted amount.
``forecast show`` shows the current user's own forecast; ``--team`` the team tree below them
(everyone for an administrator), each manager with their team's roll-up.

``forecast export`` writes the same review (your own, or with ``--team`` the team tree with
its roll-up rows) as a file whose extension picks the format: ``.xlsx`` (the team sheet with
outlined roll-up rows, and the deals), ``.csv`` (UTF-8 with BOM; ``;`` and decimal comma in
Spanish, ``,`` and decimal point in English) or ``.pdf`` (the one-page weekly review with the
charts). ``--lang`` is the document's language (default: the CLI's). It prints the file's
path (``--json``: ``{"path", "format", "bytes"}``); another extension is refused with one line
on stderr and nothing written; the file is written whole or not at all.

In JSON, amounts are decimal strings in major units of their currency (``"1234.50"``); the
weighted amounts are rounded half-up to the currency's minor unit; percentages are decimal
strings (``"34.3"``); dates ISO.

``pipeline --json``::

    {"period", "start", "end", "stages": [{"stage", "currency", "count", "amount",
      "weighted"}, …]}

``forecast submit --json``: ``{"period", "submitted_at", "submissions": [SUBMISSION, …]}``;
``forecast adjust --json``: ``{"id", "period", "scope", "owner_id", "owner_email", "currency",
"amount", "note", "adjusted_at", "call"}`` (``call``: the rep's final call, or the team call,
after the adjustment; null without a submission).

``forecast show --json``::

    {"period", "start", "end", "ended", "person": PERSON | null}          (without --team)
    {"period", "start", "end", "ended", "rows": [PERSON, …]}             (with --team)

    PERSON = {"user_id", "name", "email", "manager_id", "depth", "is_manager", "members",
              "submitted", "own": [LINE, …], "team": [LINE, …], "latest": [SUBMISSION, …]}
    LINE = {"currency", "closed", "commit", "best_case", "pipeline", "weighted", "won_count",
            "open_count", "quota", "attainment_pct", "gap", "call", "accuracy_pct"}
    SUBMISSION = {"id", "submitted_at", "currency", "commit", "best_case", "pipeline",
                  "closed", "rep_adjustment", "rep_note", "rep_call", "manager_id",
                  "manager_name", "manager_adjustment", "manager_note", "manager_adjusted_at",
                  "adjustment_kind", "final_call"}
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.domain.money import currency_precision
from sfa_desktop.i18n import _, current_language, enum_label
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.forecast_export import (
    ReviewLanguage,
    export_format,
    export_review,
)
from sfa_desktop.services.forecast_writing import adjust_forecast, submit_forecast
from sfa_desktop.services.forecasts import (
    AdjustmentRow,
    ForecastLine,
    PersonForecast,
    SubmissionRow,
    adjustment_history,
    current_period,
    my_forecast,
    read_period,
    submission_history,
    team_review,
)
from sfa_desktop.services.messages import domain_error_text
from sfa_desktop.services.pipeline import pipeline_by_stage
from sync_server.protocol.forecast_rules import Period, period_ended

from .context import CommandContext
from .output import print_json, print_table
from .values import UsageProblem

EXIT_FAILED = 1


def period_argument(text: str) -> Period:
    """An argparse ``type`` for ``--period`` (one clear line for a bad one)."""
    try:
        return read_period(text)
    except DomainError as error:
        raise argparse.ArgumentTypeError(domain_error_text(error)) from None


def amount_argument(text: str) -> Decimal:
    """An argparse ``type`` for an amount in major units (``1250.50``, ``-5000``, ``1250,50``)."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise argparse.ArgumentTypeError(_("“{value}” is not an amount").format(value=text))
    return amount


def _period(ctx: CommandContext, args: argparse.Namespace) -> Period:
    chosen: Period | None = args.period
    return chosen or current_period(_today(ctx))


def _today(ctx: CommandContext) -> dt.date:
    return ctx.env.now().astimezone().date()


def _major(minor: int | Decimal | None, currency: str) -> str | None:
    """Minor units as a decimal string of major units, rounded to the currency."""
    if minor is None:
        return None
    digits = currency_precision(currency)
    exponent = Decimal(1).scaleb(-digits)
    return str(Decimal(minor).scaleb(-digits).quantize(exponent, rounding=ROUND_HALF_UP))


def _shown(minor: int | Decimal | None, currency: str) -> str:
    amount = _major(minor, currency)
    return "" if amount is None else f"{amount} {currency}"


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value} %"


def _period_json(period: Period) -> dict[str, Any]:
    return {"period": str(period), "start": period.start, "end": period.end}


# --- sfa pipeline --------------------------------------------------------------------------------


def run_pipeline(ctx: CommandContext, args: argparse.Namespace) -> int:
    period = _period(ctx, args)
    with ctx.database() as database, database.session() as session:
        owner = current_user_id(session) if args.mine else None
        if args.mine and owner is None:
            raise DomainError("no_current_user")
        totals = pipeline_by_stage(session, period, owner_id=owner)
    if ctx.json:
        stages = [
            {
                "stage": t.stage,
                "currency": t.currency,
                "count": t.count,
                "amount": _major(t.amount, t.currency),
                "weighted": _major(t.weighted, t.currency),
            }
            for t in totals
        ]
        print_json({**_period_json(period), "stages": stages}, ctx.out)
        return 0
    ctx.out.write(_heading(_("Pipeline"), period))
    headers = [_("stage"), _("deals"), _("amount"), _("weighted")]
    table = [
        [
            enum_label("opportunity.stage", t.stage),
            str(t.count),
            _shown(t.amount, t.currency),
            _shown(t.weighted, t.currency),
        ]
        for t in totals
    ]
    print_table(headers, table, ctx.out)
    if not totals:
        ctx.out.write(_("No deals close in this period.") + "\n")
    return 0


def _heading(title: str, period: Period) -> str:
    return f"{title} {period} ({period.start.isoformat()} – {period.end.isoformat()})\n"


# --- sfa forecast show --------------------------------------------------------------------------


def _line_json(line: ForecastLine) -> dict[str, Any]:
    currency, figures = line.currency, line.figures
    return {
        "currency": currency,
        "closed": _major(figures.closed, currency),
        "commit": _major(figures.commit, currency),
        "best_case": _major(figures.best_case, currency),
        "pipeline": _major(figures.pipeline, currency),
        "weighted": _major(figures.weighted, currency),
        "won_count": figures.won_count,
        "open_count": figures.open_count,
        "quota": _major(line.quota, currency),
        "attainment_pct": None if line.attainment_pct is None else str(line.attainment_pct),
        "gap": _major(line.gap, currency),
        "call": _major(line.call, currency),
        "accuracy_pct": None if line.accuracy_pct is None else str(line.accuracy_pct),
    }


def _submission_json(row: SubmissionRow) -> dict[str, Any]:
    currency = row.currency
    return {
        "id": row.id,
        "submitted_at": row.submitted_at,
        "currency": currency,
        "commit": _major(row.commit, currency),
        "best_case": _major(row.best_case, currency),
        "pipeline": _major(row.pipeline, currency),
        "closed": _major(row.closed, currency),
        "rep_adjustment": _major(row.rep_adjustment, currency),
        "rep_note": row.rep_note,
        "rep_call": _major(row.call.rep_call, currency),
        "manager_id": row.manager_id,
        "manager_name": row.manager_name,
        "manager_adjustment": _major(row.manager_adjustment, currency),
        "manager_note": row.manager_note,
        "manager_adjusted_at": row.manager_adjusted_at,
        "adjustment_kind": row.adjustment_kind,
        "final_call": _major(row.call.final_call, currency),
    }


def _person_json(person: PersonForecast) -> dict[str, Any]:
    return {
        "user_id": person.user_id,
        "name": person.name,
        "email": person.email,
        "manager_id": person.manager_id,
        "depth": person.depth,
        "is_manager": person.is_manager,
        "members": person.members,
        "submitted": person.submitted,
        "own": [_line_json(line) for line in person.own],
        "team": [_line_json(line) for line in person.team],
        "latest": [_submission_json(row) for row in person.latest],
    }


def _headers(ended: bool) -> list[str]:
    headers = [
        _("currency"),
        _("closed"),
        _("commit"),
        _("best case"),
        _("pipeline"),
        _("weighted"),
        _("quota"),
        _("attainment"),
        _("gap"),
        _("call"),
    ]
    return [*headers, _("accuracy")] if ended else headers


def _cells(line: ForecastLine, ended: bool) -> list[str]:
    currency, figures = line.currency, line.figures
    cells = [
        currency,
        *(
            _major(amount, currency) or ""
            for amount in (figures.closed, figures.commit, figures.best_case, figures.pipeline)
        ),
        _major(figures.weighted, currency) or "",
        _major(line.quota, currency) or "",
        _pct(line.attainment_pct),
        _major(line.gap, currency) or "",
        _major(line.call, currency) or "",
    ]
    return [*cells, _pct(line.accuracy_pct)] if ended else cells


def _show_mine(ctx: CommandContext, period: Period, today: dt.date) -> int:
    with ctx.database() as database, database.session() as session:
        person = my_forecast(session, period, today)
    ended = period_ended(period, today)
    if ctx.json:
        document = {**_period_json(period), "ended": ended}
        print_json({**document, "person": _person_json(person) if person else None}, ctx.out)
        return 0
    if person is None:
        raise DomainError("no_current_user")
    ctx.out.write(_heading(_("Forecast"), period))
    ctx.out.write(person.name + "\n")
    print_table(_headers(ended), [_cells(line, ended) for line in person.own], ctx.out)
    if not person.own:
        ctx.out.write(_("No deals, quota or submission for this period.") + "\n")
    for row in person.latest:
        ctx.out.write(_submitted_text(row) + "\n")
    return 0


def _submitted_text(row: SubmissionRow) -> str:
    when = row.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return _("Last submitted {when}: call {call} {currency}").format(
        when=when, call=_major(row.call.final_call, row.currency), currency=row.currency
    )


def _show_team(ctx: CommandContext, period: Period, today: dt.date) -> int:
    with ctx.database() as database, database.session() as session:
        review = team_review(session, period, today)
    if ctx.json:
        document = {**_period_json(period), "ended": review.ended}
        print_json({**document, "rows": [_person_json(p) for p in review.rows]}, ctx.out)
        return 0
    if not review.rows:
        raise DomainError("no_current_user")
    ctx.out.write(_heading(_("Team forecast"), period))
    table = []
    for person in review.rows:
        name = "  " * person.depth + person.name
        if person.is_manager:
            name += " " + _("(team)")
        lines = person.team or ()
        for index, line in enumerate(lines):
            table.append([name if index == 0 else "", *_cells(line, review.ended)])
        if not lines:
            table.append([name, *([""] * len(_headers(review.ended)))])
    print_table([_("person"), *_headers(review.ended)], table, ctx.out)
    return 0


def run_forecast_show(ctx: CommandContext, args: argparse.Namespace) -> int:
    period, today = _period(ctx, args), _today(ctx)
    if args.team:
        return _show_team(ctx, period, today)
    return _show_mine(ctx, period, today)


# --- sfa forecast export ------------------------------------------------------------------------


def run_forecast_export(ctx: CommandContext, args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    fmt = export_format(out)  # before anything is read: a bad name writes nothing
    period, today = _period(ctx, args), _today(ctx)
    language: ReviewLanguage = "es" if (args.lang or current_language()) == "es" else "en"
    zone = ctx.env.now().astimezone().tzinfo or dt.UTC
    try:
        with ctx.database() as database, database.session() as session:
            written = export_review(
                session, period, today, language, out, team=args.team, zone=zone
            )
    except OSError as error:
        reason = error.strerror or str(error)
        message = _("cannot write {path}: {reason}").format(path=out, reason=reason)
        ctx.err.write(f"sfa: {message}\n")
        return EXIT_FAILED
    if ctx.json:
        print_json({"path": str(out), "format": fmt, "bytes": written}, ctx.out)
    else:
        ctx.out.write(str(out) + "\n")
    return 0


# --- sfa forecast submit / adjust ---------------------------------------------------------------


def run_forecast_submit(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.adjust is not None and args.note is None:
        raise UsageProblem(_("--adjust needs a --note saying why"))
    period, now = _period(ctx, args), ctx.env.now()
    with ctx.database() as database, database.session() as session:
        edit = load_edit_context(session, now=ctx.env.now)
        submit_forecast(
            session, edit, period=str(period), adjustment=args.adjust, note=args.note, now=now
        )
        made = [
            row
            for row in submission_history(session, edit.user_id or "", period)
            if row.submitted_at == now.astimezone(dt.UTC)
        ]
    if ctx.json:
        document = {"period": str(period), "submitted_at": now.astimezone(dt.UTC)}
        print_json(document | {"submissions": [_submission_json(r) for r in made]}, ctx.out)
        return 0
    ctx.out.write(_("Forecast submitted for {period}.").format(period=period) + "\n")
    for row in made:
        ctx.out.write(
            _(
                "{currency}: closed {closed}, commit {commit}, best case {best_case}, call {call}"
            ).format(
                currency=row.currency,
                closed=_major(row.closed, row.currency),
                commit=_major(row.commit, row.currency),
                best_case=_major(row.best_case, row.currency),
                call=_major(row.call.final_call, row.currency),
            )
            + "\n"
        )
    return 0


def _adjusted(
    session: Any, adjustment: AdjustmentRow, period: Period, today: dt.date
) -> tuple[PersonForecast | None, int | None]:
    """Whose call the adjustment changed, and that call as the review now shows it."""
    for person in team_review(session, period, today).rows:
        if person.user_id != adjustment.owner_id:
            continue
        lines = person.team if adjustment.scope == "team" else person.own
        call = next((line.call for line in lines if line.currency == adjustment.currency), None)
        return person, call
    return None, None


def run_forecast_adjust(ctx: CommandContext, args: argparse.Namespace) -> int:
    period, now = _period(ctx, args), ctx.env.now()
    with ctx.database() as database, database.session() as session:
        edit = load_edit_context(session, now=ctx.env.now)
        made = adjust_forecast(
            session,
            edit,
            rep_id=args.rep,
            team_of=args.team,
            period=str(period),
            amount=args.amount,
            note=args.note,
            now=now,
            currency=args.currency,
        )
        (row,) = [a for a in adjustment_history(session, period) if a.id == made]
        owner, call = _adjusted(session, row, period, _today(ctx))
    currency = row.currency
    if ctx.json:
        document = {
            "id": row.id,
            "period": str(period),
            "scope": row.scope,
            "owner_id": row.owner_id,
            "owner_email": owner.email if owner else None,
            "currency": currency,
            "amount": _major(row.amount, currency),
            "note": row.note,
            "adjusted_at": row.adjusted_at,
            "call": _major(call, currency),
        }
        print_json(document, ctx.out)
        return 0
    whose = owner.name if owner else row.owner_id
    text = (
        _("Adjusted {name}’s team call for {period} by {amount} {currency}.")
        if row.scope == "team"
        else _("Adjusted {name}’s call for {period} by {amount} {currency}.")
    )
    ctx.out.write(
        text.format(
            name=whose, period=period, amount=_major(row.amount, currency), currency=currency
        )
        + "\n"
    )
    if call is not None:
        ctx.out.write(
            _("The call is now {call} {currency}.").format(
                call=_major(call, currency), currency=currency
            )
            + "\n"
        )
    return 0


def add_forecast_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    period_help = _("a month (2026-12) or a quarter (2026-Q4); default: the current quarter")
    pipeline = commands.add_parser(
        "pipeline", parents=[json_parent], help=_("the pipeline by stage for a period")
    )
    pipeline.add_argument("--period", type=period_argument, metavar="P", help=period_help)
    pipeline.add_argument("--mine", action="store_true", help=_("only your own deals"))
    pipeline.set_defaults(run=run_pipeline)

    forecast = commands.add_parser("forecast", help=_("forecasts: figures, quota, calls"))
    actions = forecast.add_subparsers(
        dest="forecast_command", required=True, parser_class=type(forecast)
    )
    show = actions.add_parser(
        "show", parents=[json_parent], help=_("your forecast (or your team's) for a period")
    )
    show.add_argument("--period", type=period_argument, metavar="P", help=period_help)
    show.add_argument(
        "--team", action="store_true", help=_("the team below you, rolled up per manager")
    )
    show.set_defaults(run=run_forecast_show)

    export = actions.add_parser(
        "export",
        parents=[json_parent],
        help=_("the forecast review as a file: .xlsx, .csv or .pdf"),
    )
    export.add_argument("--period", type=period_argument, metavar="P", help=period_help)
    export.add_argument(
        "--out", required=True, metavar="FILE", help=_("the file to write (.xlsx, .csv or .pdf)")
    )
    export.add_argument(
        "--lang", choices=("es", "en"), help=_("document language (default: the CLI's)")
    )
    export.add_argument(
        "--team", action="store_true", help=_("the team below you, rolled up per manager")
    )
    export.set_defaults(run=run_forecast_export)

    submit = actions.add_parser(
        "submit",
        parents=[json_parent],
        help=_("submit your forecast: a dated snapshot of your figures for a period"),
    )
    submit.add_argument("--period", type=period_argument, metavar="P", help=period_help)
    submit.add_argument(
        "--adjust",
        type=amount_argument,
        metavar="AMOUNT",
        help=_("your adjustment to the commit, in major units (may be negative)"),
    )
    submit.add_argument("--note", metavar="TEXT", help=_("why (required with --adjust)"))
    submit.set_defaults(run=run_forecast_submit)

    adjust = actions.add_parser(
        "adjust",
        parents=[json_parent],
        help=_("adjust a rep's or a team's forecast call (managers)"),
    )
    whom = adjust.add_mutually_exclusive_group(required=True)
    whom.add_argument("--rep", metavar="EMAIL", help=_("the rep whose call you adjust"))
    whom.add_argument("--team", metavar="EMAIL", help=_("the manager whose team call you adjust"))
    adjust.add_argument("--period", type=period_argument, metavar="P", help=period_help)
    adjust.add_argument(
        "--amount",
        type=amount_argument,
        required=True,
        metavar="A",
        help=_("added to the call, in major units (may be negative)"),
    )
    adjust.add_argument("--note", required=True, metavar="TEXT", help=_("why"))
    adjust.add_argument(
        "--currency", metavar="CUR", help=_("default: the currency the rep submitted in")
    )
    adjust.set_defaults(run=run_forecast_adjust)
