"""``sfa quote …``: the quotes of the local profile, from the draft to the customer's answer.

    sfa quote list [--status S] [--limit N] [--offset N] [--json]
    sfa quote show ID [--json]
    sfa quote pdf ID --out FILE [--lang es|en]
    sfa quote new --account ID [--contact ID] [--price-list ID] [--line SKU:QTY[:DISCOUNT]]… [--json]
    sfa quote submit ID [--json]
    sfa quote approve ID [--note TEXT] [--json]
    sfa quote reject ID --note TEXT [--json]
    sfa quote withdraw ID [--json]
    sfa quote revise ID [--json]
    sfa quote send ID [--out-dir DIR] [--lang es|en] [--json]
    sfa quote accept ID [--set-amount | --keep-amount] [--json]

``ID`` is the quote's number (``Q-…``: its latest revision), its id, or 8+ first characters of
its id. The status
shown is ``expired`` for a pending, approved or sent quote whose valid-until date has passed
(``--status expired`` lists them too). Amounts in JSON are decimal strings in major units of
the quote's currency (``"1234.50"``); dates are ISO.

``quote list --json``::

    {"count": N, "quotes": [{"id", "number", "revision", "account_id", "account_name",
      "contact_name", "status", "stored_status", "currency", "total", "issue_date",
      "valid_until", "owner_name"}, …]}

``quote show --json``::

    {"quote": {…the list fields…, "opportunity_id", "previous_quote_id", "terms",
               "customer_note", "notes"},
     "lines": [{"id", "position", "kind", "description", "sku", "quantity", "unit_price",
                "discount_pct", "tax_rate_pct", "optional", "net"}, …],
     "totals": {"currency", "subtotal", "tax_total", "total", "optional_subtotal",
                "rates": [{"rate_pct", "base", "tax"}, …]}}

``quote new`` makes a draft quote offline (see :mod:`sfa_desktop.services.quote_writing` for
the defaults) and prints its number and id (``--json``: ``{"id", "number", "status",
"currency", "total"}``); a refused quote writes nothing. ``quote submit`` approves a draft at
once when every discount is within the owner's limit, else asks for approval, and prints the
new status (``--json``: ``{"id", "number", "status"}``).

``quote pdf`` writes the PDF through a temporary file in the target folder, renamed into place
when complete: a failed export leaves no partial file.

The rest follow :mod:`sfa_desktop.services.quote_lifecycle` and
:mod:`sfa_desktop.services.quote_sending`; each prints the quote's new status (``--json``:
``{"id", "number", "revision", "status"}`` plus what the command adds):

* ``approve`` — a manager of the owner (or an admin) approves a quote pending approval, with an
  optional note for the rep.
* ``reject`` — on a quote *pending approval*: the manager sends it back to draft, the note saying
  why; on a *sent* quote: the customer said no, the note is their reason.
* ``withdraw`` — the rep takes an approval request back to draft.
* ``revise`` — revision N+1 of an approved, sent, rejected or expired quote (same number, lines
  copied, a draft issued today); prints ``NUMBER rev. N ID`` (``--json`` adds
  ``previous_quote_id``).
* ``send`` — writes ``NUMBER[-rN].pdf`` and ``NUMBER[-rN].eml`` (an e-mail draft to the contact
  with the PDF attached, in the account's language unless ``--lang``) into ``--out-dir``, by
  default the ``sent-quotes`` folder of the profile, and marks the quote sent; prints the
  ``.eml`` path then the ``.pdf`` path (``--json`` adds ``eml``, ``pdf``, ``sha256``,
  ``recipient``). A contact without an e-mail address gives a draft without recipient, said in
  one line on stderr.
* ``accept`` — the customer said yes: the quote is accepted and its opportunity closed won. When
  the opportunity's amount differs from the quote's net total (before tax), one line on stderr
  asks for ``--set-amount`` (take the quote's) or ``--keep-amount``, and nothing is written
  (``--json`` adds ``opportunity_id``, ``net_total``, ``currency``, ``amount_set``).

A refused command (an unknown quote, a wrong status, someone who may not decide) prints one line
on stderr, exits 1 and writes nothing.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.exports.files import write_atomically
from sfa_desktop.services.exports.quote_pdf import render_quote_pdf
from sfa_desktop.services.quote_writing import NewLine, new_quote, submit_quote
from sfa_desktop.services.quotes import (
    QuoteDetail,
    QuoteRow,
    list_quotes,
    quote_detail,
    quote_document,
)
from sfa_desktop.services.record_lists import find_record_id
from sync_server.protocol.catalog import QUOTE_STATUSES

from .context import CommandContext
from .output import print_fields, print_json, print_table
from .quote_lifecycle import add_lifecycle_commands
from .quote_refs import local_today, resolve_quote, status_label
from .values import UsageProblem, bounded_int

MAX_LIST_LIMIT = 1_000_000
EXIT_FAILED = 1


def _amount(value: Decimal, currency: str) -> str:
    return f"{value} {currency}"


def _row_json(row: QuoteRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number,
        "revision": row.revision,
        "account_id": row.account_id,
        "account_name": row.account_name,
        "contact_name": row.contact_name,
        "status": row.shown_status,
        "stored_status": row.status,
        "currency": row.currency,
        "total": str(row.total),
        "issue_date": row.issue_date.isoformat() if row.issue_date else None,
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "owner_name": row.owner_name,
    }


def run_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        rows = list_quotes(
            session,
            today=local_today(ctx),
            status=args.status,
            limit=args.limit,
            offset=args.offset,
        )
    if ctx.json:
        print_json({"count": len(rows), "quotes": [_row_json(r) for r in rows]}, ctx.out)
        return 0
    headers = [_("number"), _("rev"), _("account"), _("status"), _("total"), _("valid until")]
    table = [
        [
            r.number,
            str(r.revision),
            r.account_name,
            status_label(r.shown_status),
            _amount(r.total, r.currency),
            r.valid_until.isoformat() if r.valid_until else "",
        ]
        for r in rows
    ]
    print_table(headers, table, ctx.out)
    return 0


def _detail_json(detail: QuoteDetail) -> dict[str, Any]:
    totals = detail.totals
    quote = _row_json(detail.quote) | {
        "opportunity_id": detail.opportunity_id,
        "previous_quote_id": detail.previous_quote_id,
        "terms": detail.terms,
        "customer_note": detail.customer_note,
        "notes": detail.notes,
    }
    lines = [
        {
            "id": line.id,
            "position": line.position,
            "kind": line.kind,
            "description": line.description,
            "sku": line.sku,
            "quantity": str(line.quantity),
            "unit_price": str(line.unit_price),
            "discount_pct": str(line.discount_pct),
            "tax_rate_pct": str(line.tax_rate_pct),
            "optional": line.optional,
            "net": None if line.net is None else str(line.net),
        }
        for line in detail.lines
    ]
    return {
        "quote": quote,
        "lines": lines,
        "totals": {
            "currency": totals.currency,
            "subtotal": str(totals.subtotal),
            "tax_total": str(totals.tax_total),
            "total": str(totals.total),
            "optional_subtotal": str(totals.optional_subtotal),
            "rates": [
                {"rate_pct": str(r.rate_pct), "base": str(r.base), "tax": str(r.tax)}
                for r in totals.rates
            ],
        },
    }


def run_show(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        detail = quote_detail(session, resolve_quote(session, args.id), local_today(ctx))
    assert detail is not None
    if ctx.json:
        print_json(_detail_json(detail), ctx.out)
        return 0
    q, currency = detail.quote, detail.quote.currency
    print_fields(
        [
            (_("number"), f"{q.number} (rev. {q.revision})"),
            (_("id"), q.id),
            (_("account"), q.account_name),
            (_("contact"), q.contact_name or ""),
            (_("status"), status_label(q.shown_status)),
            (_("issued"), q.issue_date.isoformat() if q.issue_date else ""),
            (_("valid until"), q.valid_until.isoformat() if q.valid_until else ""),
            (_("owner"), q.owner_name or ""),
        ],
        ctx.out,
    )
    ctx.out.write("\n")
    table = []
    # lines are numbered from 1 in the order they print (stored positions start at 0)
    for number, line in enumerate(detail.lines, start=1):
        if line.kind != "item":
            table.append([str(number), line.description, "", "", "", "", ""])
            continue
        table.append(
            [
                str(number),
                line.description + (" " + _("(optional)") if line.optional else ""),
                str(line.quantity),
                _amount(line.unit_price, currency),
                f"{line.discount_pct}%",
                f"{line.tax_rate_pct}%",
                _amount(line.net or Decimal(0), currency),
            ]
        )
    headers = ["#", _("description"), _("qty"), _("unit price"), _("disc."), _("tax"), _("net")]
    print_table(headers, table, ctx.out)
    ctx.out.write("\n")
    totals = detail.totals
    pairs = [(_("subtotal"), _amount(totals.subtotal, currency))]
    pairs += [
        (_("tax {rate}%").format(rate=r.rate_pct), _amount(r.tax, currency)) for r in totals.rates
    ]
    pairs.append((_("total"), _amount(totals.total, currency)))
    if totals.optional_subtotal:
        pairs.append((_("optional (not in total)"), _amount(totals.optional_subtotal, currency)))
    print_fields(pairs, ctx.out)
    return 0


def run_pdf(ctx: CommandContext, args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    with ctx.database() as database, database.session() as session:
        quote_id = resolve_quote(session, args.id)
        detail = quote_detail(session, quote_id, local_today(ctx))
        assert detail is not None
        if detail.quote.shown_status == "expired":
            # a client must not receive an offer that no longer holds: revise it
            params = {"number": detail.quote.number, "valid_until": detail.quote.valid_until}
            raise DomainError("quote_expired", params=params)
        document = quote_document(session, quote_id, args.lang, today=local_today(ctx))
    assert document is not None
    pdf = render_quote_pdf(document)
    try:
        if out.is_dir():
            raise IsADirectoryError(21, "is a folder", str(out))
        write_atomically(out, pdf)
    except OSError as error:
        reason = error.strerror or str(error)
        message = _("cannot write {path}: {reason}").format(path=out, reason=reason)
        ctx.err.write(f"sfa: {message}\n")
        return EXIT_FAILED
    if ctx.json:
        print_json({"number": document.number, "path": str(out), "bytes": len(pdf)}, ctx.out)
    else:
        ctx.out.write(str(out) + "\n")
    return 0


def parse_line(text: str) -> NewLine:
    """``SKU:QTY[:DISCOUNT]`` → a :class:`NewLine` (``--line AC-PIS-030:2:5``)."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise UsageProblem(_("--line {line}: expected SKU:QTY[:DISCOUNT]").format(line=text))
    numbers = [_decimal(part, text) for part in parts[1:]]
    discount = numbers[1] if len(numbers) == 2 else Decimal(0)
    return NewLine(sku=parts[0].strip(), quantity=numbers[0], discount_pct=discount)


def _decimal(part: str, line: str) -> Decimal:
    try:
        value = Decimal(part.strip())
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        message = _("--line {line}: “{value}” is not a number").format(line=line, value=part)
        raise UsageProblem(message)
    return value


def _record_id(session: Any, entity: str, text: str | None) -> str | None:
    """The id ``text`` stands for (a full id or 8+ first characters); unchanged when none
    matches, so the service reports it as unknown."""
    if text is None:
        return None
    return find_record_id(session, entity, text) or text


def run_new(ctx: CommandContext, args: argparse.Namespace) -> int:
    lines = [parse_line(text) for text in args.line or []]
    today = local_today(ctx)
    with ctx.database() as database, database.session() as session:
        edit = load_edit_context(session, now=ctx.env.now)
        quote_id = new_quote(
            session,
            edit,
            account_id=_record_id(session, "account", args.account) or args.account,
            contact_id=_record_id(session, "contact", args.contact),
            price_list_id=args.price_list,
            lines=lines,
            today=today,
        )
        detail = quote_detail(session, quote_id, today)
    assert detail is not None
    quote = detail.quote
    if ctx.json:
        document = {
            "id": quote.id,
            "number": quote.number,
            "status": quote.status,
            "currency": quote.currency,
            "total": str(detail.totals.total),
        }
        print_json(document, ctx.out)
    else:
        ctx.out.write(f"{quote.number} {quote.id}\n")
    return 0


def run_submit(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        quote_id = resolve_quote(session, args.id)
        edit = load_edit_context(session, now=ctx.env.now)
        status = submit_quote(session, edit, quote_id)
        detail = quote_detail(session, quote_id, local_today(ctx))
    assert detail is not None
    if ctx.json:
        print_json({"id": quote_id, "number": detail.quote.number, "status": status}, ctx.out)
    else:
        ctx.out.write(status_label(status) + "\n")
    return 0


def add_quote_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    quote = commands.add_parser("quote", help=_("read, make, approve and send quotes"))
    actions = quote.add_subparsers(dest="action", required=True, parser_class=type(quote))
    id_help = _("the quote number, its id, or the first 8+ characters of its id")

    listing = actions.add_parser("list", parents=[json_parent], help=_("list quotes"))
    listing.add_argument("--status", choices=QUOTE_STATUSES, help=_("only quotes in this status"))
    listing.add_argument(
        "--limit", type=bounded_int(1, MAX_LIST_LIMIT), default=50, help=_("at most this many")
    )
    listing.add_argument(
        "--offset", type=bounded_int(0, MAX_LIST_LIMIT), default=0, help=_("skip this many")
    )
    listing.set_defaults(run=run_list)

    show = actions.add_parser("show", parents=[json_parent], help=_("show a quote and its lines"))
    show.add_argument("id", help=id_help)
    show.set_defaults(run=run_show)

    pdf = actions.add_parser("pdf", parents=[json_parent], help=_("export a quote as PDF"))
    pdf.add_argument("id", help=id_help)
    pdf.add_argument("--out", required=True, metavar="FILE", help=_("the PDF file to write"))
    pdf.add_argument(
        "--lang", choices=("es", "en"), help=_("document language (default: the account's)")
    )
    pdf.set_defaults(run=run_pdf)

    new = actions.add_parser("new", parents=[json_parent], help=_("make a draft quote"))
    new.add_argument("--account", required=True, metavar="ID", help=_("the account's id"))
    new.add_argument("--contact", metavar="ID", help=_("the contact's id"))
    new.add_argument(
        "--price-list",
        metavar="ID",
        help=_("the price list's id (default: the only active one, or the account's last)"),
    )
    new.add_argument(
        "--line",
        action="append",
        metavar="SKU:QTY[:DISCOUNT]",
        help=_("a product line, e.g. --line AC-PIS-030:2:5 (repeatable)"),
    )
    new.set_defaults(run=run_new)

    submit = actions.add_parser(
        "submit", parents=[json_parent], help=_("approve a draft, or ask for approval")
    )
    submit.add_argument("id", help=id_help)
    submit.set_defaults(run=run_submit)
    add_lifecycle_commands(actions, json_parent, id_help)
