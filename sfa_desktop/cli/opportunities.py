"""``sfa opportunity new | stage | history``: making deals and moving them through the stages.

    sfa opportunity new --account ID --name N --amount A [--currency C] [--stage S]
                        [--close DATE] [--probability P] [--lost-reason T] [--json]
    sfa opportunity stage ID STAGE [--lost-reason T] [--close DATE] [--json]
    sfa opportunity history ID [--json]

``ID`` is the record's id or its first 8+ characters; amounts are in major units of the
currency (``1250.50``), dates ISO. The defaults of a stage (probability, forecast category;
closing dates the deal today) are those of :mod:`sfa_desktop.services.opportunities`; closing
lost needs ``--lost-reason``. Every change of stage or close date is kept in the deal's stage
history. A refused change writes nothing.

``new --json``: ``{"id", "stage", "probability", "forecast_category", "expected_close_date"}``;
``stage --json``: the same plus ``"changed"`` (the fields that changed);
``history --json``: ``{"id", "stage", "age_in_stage_days", "slip_count", "slipped_days",
"cycle_days", "changes": [{"changed_at", "from_stage", "to_stage", "from_close_date",
"to_close_date", "amount", "currency", "changed_by_id"}, …]}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sfa_desktop.i18n import _, enum_label
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.errors import RecordNotFound
from sfa_desktop.services.opportunities import (
    change_stage,
    new_opportunity,
    stage_facts_for,
    stage_history,
)
from sfa_desktop.services.record_lists import find_record_id, show_record
from sync_server.protocol.catalog import OPPORTUNITY, OPPORTUNITY_STAGES

from .context import CommandContext
from .output import print_fields, print_json, print_table
from .values import bounded_int, format_money, parse_value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        message = _("“{value}” is not a date (YYYY-MM-DD)").format(value=text)
        raise argparse.ArgumentTypeError(message) from None


def _today(ctx: CommandContext) -> dt.date:
    return ctx.env.now().astimezone().date()


def _resolve(session: Any, text: str) -> str:
    record_id = find_record_id(session, "opportunity", text)
    if record_id is None:
        raise RecordNotFound("opportunity", text)
    return record_id


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    close = record.get("expected_close_date")
    return {
        "id": record["id"],
        "stage": record["stage"],
        "probability": record.get("probability"),
        "forecast_category": record["forecast_category"],
        "expected_close_date": close.isoformat() if isinstance(close, dt.date) else close,
    }


def _stage_line(record: dict[str, Any]) -> str:
    summary = _summary(record)
    return _("{stage}, {probability}%, forecast: {category}, close {close}").format(
        stage=enum_label("opportunity.stage", summary["stage"]),
        probability=summary["probability"] if summary["probability"] is not None else "—",
        category=enum_label("opportunity.forecast_category", summary["forecast_category"]),
        close=summary["expected_close_date"] or "—",
    )


def run_new(ctx: CommandContext, args: argparse.Namespace) -> int:
    currency = (args.currency or "EUR").strip().upper()
    (amount,) = parse_value(OPPORTUNITY.field("amount"), args.amount, currency)
    with ctx.database() as database, database.session() as session:
        edit = load_edit_context(session, now=ctx.env.now)
        opportunity_id = new_opportunity(
            session,
            edit,
            account_id=find_record_id(session, "account", args.account) or args.account,
            name=args.name,
            amount=amount,
            currency=currency,
            stage=args.stage,
            close_date=args.close,
            probability=args.probability,
            lost_reason=args.lost_reason,
            today=_today(ctx),
        )
        record = show_record(session, "opportunity", opportunity_id)
    assert record is not None
    if ctx.json:
        print_json(_summary(record), ctx.out)
    else:
        ctx.out.write(f"{opportunity_id} {_stage_line(record)}\n")
    return 0


def run_stage(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        opportunity_id = _resolve(session, args.id)
        edit = load_edit_context(session, now=ctx.env.now)
        changed = change_stage(
            session,
            edit,
            opportunity_id,
            args.stage,
            lost_reason=args.lost_reason,
            close_date=args.close,
            today=_today(ctx),
        )
        record = show_record(session, "opportunity", opportunity_id)
    assert record is not None
    if ctx.json:
        print_json(_summary(record) | {"changed": sorted(changed)}, ctx.out)
    elif changed:
        ctx.out.write(_stage_line(record) + "\n")
    else:
        ctx.out.write(_("Nothing changed.") + "\n")
    return 0


def run_history(ctx: CommandContext, args: argparse.Namespace) -> int:
    now = ctx.env.now()
    with ctx.database() as database, database.session() as session:
        opportunity_id = _resolve(session, args.id)
        record = show_record(session, "opportunity", opportunity_id)
        changes = stage_history(session, opportunity_id)
        facts = stage_facts_for(session, [opportunity_id], now=now).get(opportunity_id)
    if record is None or facts is None:
        raise RecordNotFound("opportunity", args.id)
    if ctx.json:
        document = {
            "id": opportunity_id,
            "stage": record["stage"],
            "age_in_stage_days": facts.age_in_stage_days,
            "slip_count": facts.slip_count,
            "slipped_days": facts.slipped_days,
            "cycle_days": facts.cycle_days,
            "changes": [
                {
                    "changed_at": c.changed_at.isoformat(),
                    "from_stage": c.from_stage,
                    "to_stage": c.to_stage,
                    "from_close_date": c.from_close_date and c.from_close_date.isoformat(),
                    "to_close_date": c.to_close_date and c.to_close_date.isoformat(),
                    "amount": format_money(c.amount, c.currency),
                    "currency": c.currency,
                    "changed_by_id": c.changed_by_id,
                }
                for c in changes
            ],
        }
        print_json(document, ctx.out)
        return 0
    print_fields(
        [
            (_("stage"), enum_label("opportunity.stage", record["stage"])),
            (_("days in stage"), str(facts.age_in_stage_days)),
            (_("close date pushed out"), str(facts.slip_count)),
            (_("cycle time (days)"), "" if facts.cycle_days is None else str(facts.cycle_days)),
        ],
        ctx.out,
    )
    ctx.out.write("\n")
    headers = [_("when"), _("stage"), _("close date"), _("amount")]
    table = [
        [
            c.changed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            enum_label("opportunity.stage", c.to_stage),
            c.to_close_date.isoformat() if c.to_close_date else "",
            f"{format_money(c.amount, c.currency)} {c.currency}",
        ]
        for c in changes
    ]
    print_table(headers, table, ctx.out)
    return 0


def add_opportunity_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    command = commands.add_parser("opportunity", help=_("make deals and move their stages"))
    actions = command.add_subparsers(dest="action", required=True, parser_class=type(command))
    id_help = _("the opportunity's id, or the first 8+ characters of it")
    stage_help = _("the stage: {stages}").format(stages=", ".join(OPPORTUNITY_STAGES))

    new = actions.add_parser("new", parents=[json_parent], help=_("make an opportunity"))
    new.add_argument("--account", required=True, metavar="ID", help=_("the account's id"))
    new.add_argument("--name", required=True, help=_("the deal's name"))
    new.add_argument(
        "--amount", required=True, metavar="A", help=_("the amount, e.g. 12500 or 1250.50")
    )
    new.add_argument("--currency", metavar="C", help=_("ISO currency code (default: EUR)"))
    new.add_argument(
        "--stage", choices=OPPORTUNITY_STAGES, default="prospecting", metavar="S", help=stage_help
    )
    new.add_argument("--close", type=_date, metavar="DATE", help=_("expected close date"))
    new.add_argument(
        "--probability",
        type=bounded_int(0, 100),
        metavar="P",
        help=_("win probability in percent (default: the stage's)"),
    )
    new.add_argument("--lost-reason", metavar="T", help=_("why the deal was lost"))
    new.set_defaults(run=run_new)

    stage = actions.add_parser(
        "stage", parents=[json_parent], help=_("move an opportunity to another stage")
    )
    stage.add_argument("id", help=id_help)
    stage.add_argument("stage", choices=OPPORTUNITY_STAGES, metavar="STAGE", help=stage_help)
    stage.add_argument(
        "--lost-reason", metavar="T", help=_("why the deal was lost (to close it lost)")
    )
    stage.add_argument("--close", type=_date, metavar="DATE", help=_("new expected close date"))
    stage.set_defaults(run=run_stage)

    history = actions.add_parser(
        "history", parents=[json_parent], help=_("an opportunity's stage history")
    )
    history.add_argument("id", help=id_help)
    history.set_defaults(run=run_history)
