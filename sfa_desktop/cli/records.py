"""``sfa list | show | add | edit | delete`` for accounts, contacts, visits and opportunities.

``sfa add account`` warns on stderr when an account with a similar name exists in the same
city (and still adds it, exit 0); with ``--strict`` it adds nothing and exits 3.

Editing an opportunity's stage applies the stage's defaults, as ``sfa opportunity stage`` does
(see :mod:`sfa_desktop.services.opportunities`).
"""

from __future__ import annotations

import argparse
from typing import Any

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import (
    create_record,
    delete_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.services.errors import RecordNotFound
from sfa_desktop.services.opportunities import update_opportunity
from sfa_desktop.services.record_lists import (
    find_record_id,
    list_records,
    pending_ids,
    show_record,
)
from sfa_desktop.services.similar_accounts import SimilarAccount, similar_accounts
from sfa_desktop.services.sync_status import pending_fields
from sync_server.protocol.catalog import CATALOG

from .context import CommandContext
from .output import LIST_COLUMNS, display, print_fields, print_json, print_table, record_to_json
from .values import UsageProblem, bounded_int, merge_errors, parse_values, split_assignments

#: ``sfa add account --strict`` found accounts with a similar name in the city: nothing added
EXIT_SIMILAR = 3

#: the most records one ``sfa list`` prints
MAX_LIST_LIMIT = 1_000_000

ENTITY_ALIASES = {
    "account": "account",
    "accounts": "account",
    "contact": "contact",
    "contacts": "contact",
    "visit": "visit",
    "visits": "visit",
    "opportunity": "opportunity",
    "opportunities": "opportunity",
}


def entity_name(text: str) -> str:
    entity = ENTITY_ALIASES.get(text.strip().lower())
    if entity is None:
        raise DomainError("unknown_entity", params={"entity": text})
    return entity


def _resolve_id(session: Any, entity: str, text: str) -> str:
    record_id = find_record_id(session, entity, text)
    if record_id is None:
        raise RecordNotFound(entity, text)
    return record_id


def run_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    entity = entity_name(args.entity)
    with ctx.database() as database, database.session() as session:
        rows = list_records(session, entity, search=args.search, limit=args.limit)
        pending = pending_ids(session, entity)
    if ctx.json:
        records = [dict(record_to_json(entity, r), pending=r["id"] in pending) for r in rows]
        print_json({"entity": entity, "count": len(records), "records": records}, ctx.out)
        return 0
    columns = LIST_COLUMNS[entity]
    table = [
        [r["id"], *(display(entity, c, r) for c in columns), "*" if r["id"] in pending else ""]
        for r in rows
    ]
    print_table(["id", *columns, ""], table, ctx.out)
    return 0


def run_show(ctx: CommandContext, args: argparse.Namespace) -> int:
    entity = entity_name(args.entity)
    with ctx.database() as database, database.session() as session:
        record_id = _resolve_id(session, entity, args.id)
        record = show_record(session, entity, record_id)
        pending = sorted(pending_fields(session, record_id))
    assert record is not None
    if ctx.json:
        document = {"entity": entity, "record": record_to_json(entity, record)}
        document["pending_fields"] = pending
        print_json(document, ctx.out)
        return 0
    spec = CATALOG[entity]
    names = ["id", *spec.field_names, "created_at", "updated_at", "deleted_at"]
    pairs = [
        (f"{name}*" if name in pending else name, display(entity, name, record)) for name in names
    ]
    print_fields([(n, v) for n, v in pairs if v or n.rstrip("*") in spec.field_names], ctx.out)
    if pending:
        ctx.out.write(_("* not yet synced") + "\n")
    return 0


def _warn_similar(ctx: CommandContext, similar: list[SimilarAccount], *, strict: bool) -> None:
    """Lists the similar accounts on stderr (the new account is added unless ``strict``)."""
    ctx.err.write(_("Warning: accounts with a similar name in the same city:") + "\n")
    for account in similar:
        owner = account.owner_name or "—"
        ctx.err.write(f"  {account.id}  {account.name} · {account.city} · {owner}\n")
    if strict:
        ctx.err.write(_("Not added (--strict): check the accounts above.") + "\n")


def run_add(ctx: CommandContext, args: argparse.Namespace) -> int:
    entity = entity_name(args.entity)
    texts = split_assignments(args.set or [])
    values, unreadable = parse_values(CATALOG[entity], texts)
    with ctx.database() as database, database.session() as session:
        edit = load_edit_context(session, now=ctx.env.now)
        if entity == "account" and not unreadable:
            similar = similar_accounts(session, values.get("name"), values.get("city"))
            if similar:
                strict = bool(getattr(args, "strict", False))
                _warn_similar(ctx, similar, strict=strict)
                if strict:
                    return EXIT_SIMILAR
        try:
            record_id = create_record(session, edit, entity, values)
        except ValidationErrors as invalid:
            raise merge_errors(unreadable, invalid) from None
        if unreadable:
            raise merge_errors(unreadable, None)
    if ctx.json:
        print_json({"entity": entity, "id": record_id}, ctx.out)
    else:
        ctx.out.write(record_id + "\n")
    return 0


def run_edit(ctx: CommandContext, args: argparse.Namespace) -> int:
    entity = entity_name(args.entity)
    texts = split_assignments(args.set or [])
    if not texts:
        raise UsageProblem(_("nothing to change: give at least one --set field=value"))
    with ctx.database() as database, database.session() as session:
        record_id = _resolve_id(session, entity, args.id)
        current = show_record(session, entity, record_id) or {}
        values, unreadable = parse_values(CATALOG[entity], texts, currency=current.get("currency"))
        edit = load_edit_context(session, now=ctx.env.now)
        try:
            if entity == "opportunity":
                today = ctx.env.now().astimezone().date()
                changed = update_opportunity(session, edit, record_id, values, today=today)
            else:
                changed = update_record(session, edit, entity, record_id, values)
        except ValidationErrors as invalid:
            raise merge_errors(unreadable, invalid) from None
        if unreadable:
            raise merge_errors(unreadable, None)
    if ctx.json:
        document = {"entity": entity, "id": record_id, "changed": sorted(changed)}
        print_json(document, ctx.out)
    elif changed:
        ctx.out.write(_("Changed: {fields}").format(fields=", ".join(sorted(changed))) + "\n")
    else:
        ctx.out.write(_("Nothing changed.") + "\n")
    return 0


def run_delete(ctx: CommandContext, args: argparse.Namespace) -> int:
    entity = entity_name(args.entity)
    with ctx.database() as database, database.session() as session:
        record_id = _resolve_id(session, entity, args.id)
        edit = load_edit_context(session, now=ctx.env.now)
        delete_record(session, edit, entity, record_id)
    if ctx.json:
        print_json({"entity": entity, "id": record_id, "deleted": True}, ctx.out)
    else:
        ctx.out.write(_("Deleted.") + "\n")
    return 0


def add_record_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    entity_help = _("account, contact, visit or opportunity")
    listing = commands.add_parser("list", parents=[json_parent], help=_("list records"))
    listing.add_argument("entity", help=entity_help)
    listing.add_argument("--search", help=_("only records matching these words"))
    listing.add_argument(
        "--limit",
        type=bounded_int(1, MAX_LIST_LIMIT),
        default=50,
        help=_("at most this many records"),
    )
    listing.set_defaults(run=run_list)

    show = commands.add_parser("show", parents=[json_parent], help=_("show one record"))
    show.add_argument("entity", help=entity_help)
    show.add_argument("id", help=_("the record id (or its first 8+ characters)"))
    show.set_defaults(run=run_show)

    set_help = _("a field value, e.g. --set city=Soria (repeatable)")
    add = commands.add_parser("add", parents=[json_parent], help=_("add a record"))
    add.add_argument("entity", help=entity_help)
    add.add_argument("--set", action="append", metavar="FIELD=VALUE", help=set_help)
    add.add_argument(
        "--strict",
        action="store_true",
        help=_("do not add an account when one with a similar name exists in its city"),
    )
    add.set_defaults(run=run_add)

    edit = commands.add_parser("edit", parents=[json_parent], help=_("change a record"))
    edit.add_argument("entity", help=entity_help)
    edit.add_argument("id", help=_("the record id (or its first 8+ characters)"))
    edit.add_argument("--set", action="append", metavar="FIELD=VALUE", help=set_help)
    edit.set_defaults(run=run_edit)

    delete = commands.add_parser("delete", parents=[json_parent], help=_("delete a record"))
    delete.add_argument("entity", help=entity_help)
    delete.add_argument("id", help=_("the record id (or its first 8+ characters)"))
    delete.set_defaults(run=run_delete)
