"""``sfa quote list | show | pdf``: the quotes of the local profile (read only).

    sfa quote list [--status S] [--limit N] [--offset N] [--json]
    sfa quote show ID [--json]
    sfa quote pdf ID --out FILE [--lang es|en]

``ID`` is the quote's number (``Q-…``), its id, or 8+ first characters of its id. The status
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

``quote pdf`` writes the PDF through a temporary file in the target folder, renamed into place
when complete: a failed export leaves no partial file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from sfa_desktop.i18n import _, enum_label
from sfa_desktop.services.errors import RecordNotFound
from sfa_desktop.services.exports.quote_pdf import render_quote_pdf
from sfa_desktop.services.quotes import (
    QuoteDetail,
    QuoteRow,
    find_quote_id,
    list_quotes,
    quote_detail,
    quote_document,
)
from sync_server.protocol.catalog import QUOTE_STATUSES

from .context import CommandContext
from .output import print_fields, print_json, print_table
from .values import bounded_int

MAX_LIST_LIMIT = 1_000_000
EXIT_FAILED = 1


def _today(ctx: CommandContext) -> dt.date:
    return ctx.env.now().astimezone().date()


def _resolve(session: Any, text: str) -> str:
    quote_id = find_quote_id(session, text)
    if quote_id is None:
        raise RecordNotFound("quote", text)
    return quote_id


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


def _status_label(status: str) -> str:
    return enum_label("quote.status", status)


def run_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        rows = list_quotes(
            session, today=_today(ctx), status=args.status, limit=args.limit, offset=args.offset
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
            _status_label(r.shown_status),
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
        detail = quote_detail(session, _resolve(session, args.id), _today(ctx))
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
            (_("status"), _status_label(q.shown_status)),
            (_("issued"), q.issue_date.isoformat() if q.issue_date else ""),
            (_("valid until"), q.valid_until.isoformat() if q.valid_until else ""),
            (_("owner"), q.owner_name or ""),
        ],
        ctx.out,
    )
    ctx.out.write("\n")
    table = []
    for line in detail.lines:
        if line.kind != "item":
            table.append([str(line.position), line.description, "", "", "", "", ""])
            continue
        table.append(
            [
                str(line.position),
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


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed into
    place when complete; on any failure the temporary file is removed and ``path`` untouched."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run_pdf(ctx: CommandContext, args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    with ctx.database() as database, database.session() as session:
        document = quote_document(session, _resolve(session, args.id), args.lang, today=_today(ctx))
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


def add_quote_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    quote = commands.add_parser("quote", help=_("read quotes"))
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
