"""``sfa quote approve | reject | withdraw | revise | send | accept``: a quote's life after it is
made (see :mod:`sfa_desktop.cli.quotes` for every command's usage and output)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.messages import error_text
from sfa_desktop.services.quote_lifecycle import (
    accept_quote,
    approve_quote,
    live_quote,
    reject_quote,
    return_quote,
    revise_quote,
    withdraw_quote,
)
from sfa_desktop.services.quote_sending import send_quote, sent_quotes_folder
from sfa_desktop.services.quotes import quote_detail

from .context import CommandContext
from .output import print_json
from .quote_refs import local_today, resolve_quote, status_label

EXIT_FAILED = 1


def _status_json(session: Any, quote_id: str, today: dt.date) -> dict[str, Any]:
    detail = quote_detail(session, quote_id, today)
    assert detail is not None
    quote = detail.quote
    return {
        "id": quote.id,
        "number": quote.number,
        "revision": quote.revision,
        "status": quote.shown_status,
    }


def _report_status(ctx: CommandContext, document: dict[str, Any]) -> int:
    if ctx.json:
        print_json(document, ctx.out)
    else:
        ctx.out.write(status_label(str(document["status"])) + "\n")
    return 0


def run_approve(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        quote_id = resolve_quote(session, args.id)
        edit = load_edit_context(session, now=ctx.env.now)
        approve_quote(session, edit, quote_id, note=args.note, now=ctx.env.now())
        document = _status_json(session, quote_id, local_today(ctx))
    return _report_status(ctx, document)


def run_reject(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        quote_id = resolve_quote(session, args.id)
        edit = load_edit_context(session, now=ctx.env.now)
        if live_quote(session, quote_id)["status"] == "pending_approval":
            return_quote(session, edit, quote_id, note=args.note)
        else:
            reject_quote(session, edit, quote_id, reason=args.note)
        document = _status_json(session, quote_id, local_today(ctx))
    return _report_status(ctx, document)


def run_withdraw(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        quote_id = resolve_quote(session, args.id)
        withdraw_quote(session, load_edit_context(session, now=ctx.env.now), quote_id)
        document = _status_json(session, quote_id, local_today(ctx))
    return _report_status(ctx, document)


def run_revise(ctx: CommandContext, args: argparse.Namespace) -> int:
    today = local_today(ctx)
    with ctx.database() as database, database.session() as session:
        quote_id = resolve_quote(session, args.id)
        edit = load_edit_context(session, now=ctx.env.now)
        new_id = revise_quote(session, edit, quote_id, today=today)
        document = _status_json(session, new_id, today) | {"previous_quote_id": quote_id}
    if ctx.json:
        print_json(document, ctx.out)
    else:
        ctx.out.write(f"{document['number']} rev. {document['revision']} {new_id}\n")
    return 0


def run_send(ctx: CommandContext, args: argparse.Namespace) -> int:
    folder = Path(args.out_dir).expanduser() if args.out_dir else sent_quotes_folder(ctx.data_dir())
    with ctx.database() as database, database.session() as session:
        quote_id = resolve_quote(session, args.id)
        edit = load_edit_context(session, now=ctx.env.now)
        sent = send_quote(
            session, edit, quote_id, folder=folder, now=ctx.env.now(), language=args.lang
        )
        document = _status_json(session, quote_id, local_today(ctx))
    if sent.recipient is None:
        warning = _("the draft has no recipient: the quote's contact has no e-mail address")
        ctx.err.write(f"sfa: {warning}\n")
    if ctx.json:
        files = {"eml": str(sent.eml_path), "pdf": str(sent.pdf_path), "sha256": sent.sha256}
        print_json(document | files | {"recipient": sent.recipient}, ctx.out)
    else:
        ctx.out.write(f"{sent.eml_path}\n{sent.pdf_path}\n")
    return 0


def run_accept(ctx: CommandContext, args: argparse.Namespace) -> int:
    try:
        with ctx.database() as database, database.session() as session:
            quote_id = resolve_quote(session, args.id)
            edit = load_edit_context(session, now=ctx.env.now)
            result = accept_quote(
                session, edit, quote_id, set_amount=args.set_amount, now=ctx.env.now()
            )
            document = _status_json(session, quote_id, local_today(ctx))
    except DomainError as error:
        if error.code != "opportunity_amount_differs":
            raise
        hint = _("Use --set-amount to replace it, or --keep-amount to keep it.")
        ctx.err.write(f"sfa: {error_text(error)} {hint}\n")
        return EXIT_FAILED
    if ctx.json:
        accepted = {
            "opportunity_id": result.opportunity_id,
            "net_total": str(result.net_total),
            "currency": result.currency,
            "amount_set": result.amount_set,
        }
        print_json(document | accepted, ctx.out)
        return 0
    ctx.out.write(status_label(str(document["status"])) + "\n")
    if result.opportunity_id is not None:
        won = _("opportunity {id} closed won").format(id=result.opportunity_id)
        ctx.out.write(won + "\n")
    return 0


def add_lifecycle_commands(
    actions: Any, json_parent: argparse.ArgumentParser, id_help: str
) -> None:
    approve = actions.add_parser(
        "approve", parents=[json_parent], help=_("approve a quote waiting for your approval")
    )
    approve.add_argument("id", help=id_help)
    approve.add_argument("--note", help=_("a note on the decision, for the rep"))
    approve.set_defaults(run=run_approve)

    reject = actions.add_parser(
        "reject",
        parents=[json_parent],
        help=_("return a quote waiting for approval to draft, or record the customer's no"),
    )
    reject.add_argument("id", help=id_help)
    reject.add_argument(
        "--note", required=True, help=_("why: for the rep, or the customer's reason")
    )
    reject.set_defaults(run=run_reject)

    withdraw = actions.add_parser(
        "withdraw", parents=[json_parent], help=_("take an approval request back to draft")
    )
    withdraw.add_argument("id", help=id_help)
    withdraw.set_defaults(run=run_withdraw)

    revise = actions.add_parser(
        "revise", parents=[json_parent], help=_("make the next revision of a quote")
    )
    revise.add_argument("id", help=id_help)
    revise.set_defaults(run=run_revise)

    send = actions.add_parser(
        "send", parents=[json_parent], help=_("write the PDF and an e-mail draft; mark it sent")
    )
    send.add_argument("id", help=id_help)
    send.add_argument(
        "--out-dir",
        metavar="DIR",
        help=_("the folder to write to (default: the profile's sent-quotes folder)"),
    )
    send.add_argument(
        "--lang", choices=("es", "en"), help=_("document language (default: the account's)")
    )
    send.set_defaults(run=run_send)

    accept = actions.add_parser(
        "accept", parents=[json_parent], help=_("the customer accepted: close the opportunity won")
    )
    accept.add_argument("id", help=id_help)
    amount = accept.add_mutually_exclusive_group()
    amount.add_argument(
        "--set-amount",
        dest="set_amount",
        action="store_const",
        const=True,
        help=_("set the opportunity's amount to the quote's net total"),
    )
    amount.add_argument(
        "--keep-amount",
        dest="set_amount",
        action="store_const",
        const=False,
        help=_("keep the opportunity's amount"),
    )
    accept.set_defaults(run=run_accept, set_amount=None)
