"""``sfa-server``: serve the sync API and administer users, products, quotas, accounts and the
company settings.

Every command exits 0 on success; otherwise it prints one line on stderr and exits non-zero
(1 for a failed command, 2 for a usage error).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from sync_server.api.deps import ServerState
from sync_server.app import build_state
from sync_server.db.migrate import SchemaOutdated, current_revision, ensure_current, upgrade_to_head
from sync_server.ops import OperationFailed
from sync_server.ops.commands import OPS_COMMANDS, add_ops_commands, run_ops
from sync_server.ops.tls import tls_files
from sync_server.protocol.catalog import CATALOG
from sync_server.protocol.release import release_version
from sync_server.services import users
from sync_server.services.account_reassign import reassign_account
from sync_server.services.company import company_settings, logo_from_file, set_company
from sync_server.services.epochs import current_epoch, rotate_epoch
from sync_server.services.errors import ServiceError
from sync_server.services.products_import import import_products, minor_units
from sync_server.services.quotas import list_quotas, minor_to_major, set_quota
from sync_server.settings import Settings

PROG = "sfa-server"


class UsageError(Exception):
    pass


class CommandFailed(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """Usage errors become one line on stderr (argparse would print the whole usage)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="SFA sync server and its administration.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {release_version()}")
    parser.add_argument("--data-dir", type=Path, help="folder of the default SQLite database")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", help="migrate the database if needed and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1, help="processes (PostgreSQL only)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--certfile", type=Path, help="serve HTTPS with this PEM certificate chain (with --keyfile)"
    )
    serve.add_argument("--keyfile", type=Path, help="the certificate's PEM private key")
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="proxies whose X-Forwarded-* headers are believed (default: SFA_FORWARDED_ALLOW_IPS, "
        "else 127.0.0.1,::1)",
    )

    commands.add_parser("migrate", help="bring the database schema up to date")
    add_ops_commands(commands)
    _add_user_commands(commands)
    _add_catalog_commands(commands)
    _add_company_commands(commands)
    _add_epoch_commands(commands)
    return parser


def _add_user_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    user = commands.add_parser("user", help="manage users").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    add = user.add_parser("add", help="add a user (password read from stdin)")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=["rep", "manager", "admin"])
    add.add_argument("--manager", metavar="EMAIL")
    add.add_argument("--rep-code", metavar="CODE")
    add.add_argument("--discount-limit", metavar="PCT", default="10")
    add.add_argument("--password-stdin", action="store_true", required=True)
    listing = user.add_parser("list", help="list users")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    deactivate = user.add_parser("deactivate", help="deactivate a user and revoke their devices")
    deactivate.add_argument("email")
    password = user.add_parser("set-password", help="set a user's password (read from stdin)")
    password.add_argument("email")
    password.add_argument("--password-stdin", action="store_true", required=True)


def _add_catalog_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """Products, quotas and accounts: the admin's changes to business records."""
    products = commands.add_parser("products", help="products and price lists").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    products.add_parser("import", help="import a CSV file").add_argument("file", type=Path)

    quota = commands.add_parser("quota", help="sales quotas").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    quota_set = quota.add_parser(
        "set",
        help="set a user's quota for a month or quarter (--team: their whole team's)",
        usage="%(prog)s --user EMAIL --period P --amount A [--currency EUR] [--team]",
    )
    # the options, or the older positional form: quota set EMAIL PERIOD AMOUNT
    quota_set.add_argument("email", nargs="?", help=argparse.SUPPRESS)
    quota_set.add_argument("period", nargs="?", help=argparse.SUPPRESS)
    quota_set.add_argument("amount", nargs="?", help=argparse.SUPPRESS)
    quota_set.add_argument("--user", metavar="EMAIL", dest="email_option")
    quota_set.add_argument("--period", metavar="P", dest="period_option", help="2026-11 or 2026-Q4")
    quota_set.add_argument(
        "--amount",
        metavar="A",
        dest="amount_option",
        help="in major units, e.g. 25000 or 25000.50",
    )
    quota_set.add_argument("--currency", default="EUR")
    quota_set.add_argument(
        "--team",
        action="store_true",
        help="the quota of the user's whole team (else the sum of its members' quotas)",
    )
    quota_list = quota.add_parser("list", help="list quotas")
    quota_list.add_argument("--period", metavar="P", help="only this month or quarter")
    quota_list.add_argument("--user", metavar="EMAIL", help="only this user's")
    quota_list.add_argument("--json", action="store_true", help="one JSON object per line")

    account = commands.add_parser("account", help="admin actions on accounts").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    reassign = account.add_parser("reassign", help="give an account and its records to a user")
    reassign.add_argument("account_id")
    reassign.add_argument("--to", required=True, metavar="EMAIL")


#: ``company set`` options that are plain text fields: option -> field
_COMPANY_TEXT_OPTIONS = {
    "--name": "name",
    "--tax-id": "tax_id",
    "--address": "address",
    "--postal-code": "postal_code",
    "--city": "city",
    "--country": "country",
    "--phone": "phone",
    "--email": "email",
    "--website": "website",
    "--bank-line": "bank_line",
    "--footer": "footer",
    "--default-terms": "default_terms",
}


#: ``company set`` options of the customer value settings: option -> field
_COMPANY_VALUE_OPTIONS = {
    "--default-margin-pct": "default_margin_pct",
    "--visit-cost": "visit_cost",
    "--meeting-cost": "meeting_cost",
    "--call-cost": "call_cost",
    "--email-cost": "email_cost",
    "--ltv-discount-pct": "ltv_discount_pct",
    "--cadence-mvc-days": "cadence_mvc_days",
    "--cadence-mgc-days": "cadence_mgc_days",
    "--cadence-other-days": "cadence_other_days",
    "--cadence-bz-days": "cadence_bz_days",
}
_VALUE_METAVARS = {"_pct": "PCT", "cost": "AMOUNT", "days": "DAYS"}


def _add_company_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    company = commands.add_parser(
        "company", help="the company settings (letterhead, quote defaults), synced read-only"
    ).add_subparsers(dest="action", required=True, parser_class=_Parser)
    company_set = company.add_parser(
        "set", help="set some settings (the first time --name is required); '' clears a field"
    )
    for option, field in _COMPANY_TEXT_OPTIONS.items():
        company_set.add_argument(option, dest=field, metavar="TEXT")
    company_set.add_argument("--quote-validity-days", type=int, metavar="DAYS")
    # what customers are worth (schema 5); '' clears one (the catalog default applies)
    company_set.add_argument("--currency", metavar="CODE", help="the company currency (EUR)")
    for option, field in _COMPANY_VALUE_OPTIONS.items():
        company_set.add_argument(option, dest=field, metavar=_VALUE_METAVARS[field[-4:]])
    logo = company_set.add_mutually_exclusive_group()
    logo.add_argument("--logo", type=Path, metavar="FILE.png", help="the logo, a PNG file")
    logo.add_argument("--no-logo", action="store_true", help="remove the logo")
    show = company.add_parser("show", help="print the company settings")
    show.add_argument("--json", action="store_true", help="one JSON object (logo included)")


def _add_epoch_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    epoch = commands.add_parser(
        "epoch", help="the server epoch (rotate it after restoring a backup)"
    ).add_subparsers(dest="action", required=True, parser_class=_Parser)
    epoch.add_parser("show", help="print the current epoch")
    epoch.add_parser(
        "rotate",
        help="start a new epoch: run it after restoring a backup, before serving again; "
        "every device then sends back what the server no longer has",
    )


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise CommandFailed("no password on standard input")
    return password


def _open(settings: Settings) -> ServerState:
    if settings.uses_sqlite():
        database_file = make_url(settings.sqlalchemy_url()).database
        if database_file and database_file != ":memory:":
            Path(database_file).parent.mkdir(parents=True, exist_ok=True)
    return build_state(settings)


def _ready(state: ServerState) -> None:
    """An empty database is set up on first use; an older schema needs ``migrate``."""
    if current_revision(state.database) is None:
        upgrade_to_head(state.database)
    ensure_current(state.database)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.workers > 1 and settings.uses_sqlite():
        raise CommandFailed("several workers need PostgreSQL (SFA_DATABASE_URL); SQLite serves one")
    tls = tls_files(args.certfile or settings.tls_certfile, args.keyfile or settings.tls_keyfile)
    state = _open(settings)
    upgrade_to_head(state.database)
    state.database.dispose()
    os.environ["SFA_DATA_DIR"] = str(settings.data_dir)
    uvicorn.run(
        "sync_server.app:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        ssl_certfile=str(tls.certfile) if tls else None,
        ssl_keyfile=str(tls.keyfile) if tls else None,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips or settings.forwarded_allow_ips,
    )
    return 0


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        return _serve(args, settings)
    if args.command in OPS_COMMANDS:
        return run_ops(args, settings)
    state = _open(settings)
    try:
        if args.command == "migrate":
            upgrade_to_head(state.database)
            print(f"database at schema {current_revision(state.database)}")
            return 0
        _ready(state)
        handler = _HANDLERS[(args.command, args.action)]
        return handler(args, state)
    finally:
        state.database.dispose()


def _user_add(args: argparse.Namespace, state: ServerState) -> int:
    user = users.add_user(
        state.database,
        context=state.sync,
        passwords=state.auth.passwords,
        email=args.email,
        name=args.name,
        role=args.role,
        password=_read_password(),
        manager_email=args.manager,
        rep_code=args.rep_code,
        discount_limit_pct=args.discount_limit,
    )
    print(f"added {user.role} {user.email} (rep code {user.rep_code}, id {user.id})")
    return 0


def _user_list(args: argparse.Namespace, state: ServerState) -> int:
    everyone = users.list_users(state.database)
    emails = {u.id: u.email for u in everyone}
    for u in everyone:
        manager = emails.get(u.manager_id or "", "")
        if args.json:
            row = {
                "id": u.id,
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "manager": manager or None,
                "rep_code": u.rep_code,
                "discount_limit_pct": u.discount_limit_pct,
                "active": u.active,
            }
            print(json.dumps(row, ensure_ascii=False))
        else:
            status = "active" if u.active else "deactivated"
            print(f"{u.email}\t{u.name}\t{u.role}\t{u.rep_code}\t{manager or '-'}\t{status}")
    return 0


def _user_deactivate(args: argparse.Namespace, state: ServerState) -> int:
    revoked = users.deactivate_user(state.database, context=state.sync, email=args.email)
    print(f"deactivated {args.email}; {revoked} device(s) signed out")
    return 0


def _user_set_password(args: argparse.Namespace, state: ServerState) -> int:
    users.set_password(
        state.database,
        context=state.sync,
        passwords=state.auth.passwords,
        email=args.email,
        password=_read_password(),
    )
    print(f"password set for {args.email}")
    return 0


def _products_import(args: argparse.Namespace, state: ServerState) -> int:
    settings = company_settings(state.database) or {}
    currency = settings.get("currency") or "EUR"
    summary = import_products(
        state.database, context=state.sync, path=args.file, cost_currency=currency
    )
    print(
        f"imported {summary.rows} products ({summary.products_created} new, "
        f"{summary.products_updated} updated), {summary.price_lists_created} new price lists, "
        f"{summary.prices_set} prices"
    )
    return 0


def _one_of(args: argparse.Namespace, name: str, option: str) -> str:
    """A ``quota set`` value given as an option or positionally (not both, not neither)."""
    positional, given = getattr(args, name), getattr(args, f"{name}_option")
    if positional is not None and given is not None and positional != given:
        raise CommandFailed(f"give the {name} once (--{option} or positionally), not both")
    value = given if given is not None else positional
    if value is None:
        raise CommandFailed(f"missing --{option}")
    return str(value)


def _quota_set(args: argparse.Namespace, state: ServerState) -> int:
    email = _one_of(args, "email", "user")
    period = _one_of(args, "period", "period")
    amount = _one_of(args, "amount", "amount")
    _id, minor = set_quota(
        state.database,
        context=state.sync,
        email=email,
        period=period,
        amount=amount,
        currency=args.currency,
        team=args.team,
    )
    currency = args.currency.upper()
    whose = f"team quota of {email}" if args.team else f"quota of {email}"
    print(f"{whose} for {period.upper()}: {amount} {currency} ({minor} minor units)")
    return 0


def _quota_list(args: argparse.Namespace, state: ServerState) -> int:
    lines = list_quotas(state.database, period=args.period, email=args.user)
    for line in lines:
        amount = minor_to_major(line.amount, line.currency)
        if args.json:
            document = {
                "id": line.id,
                "user": line.email,
                "name": line.name,
                "period": line.period,
                "scope": line.scope,
                "amount": amount,
                "currency": line.currency,
            }
            print(json.dumps(document, ensure_ascii=False, sort_keys=True))
        else:
            print(f"{line.period}\t{line.email}\t{line.scope}\t{amount} {line.currency}")
    if not lines and not args.json:
        print("no quotas")
    return 0


def _account_reassign(args: argparse.Namespace, state: ServerState) -> int:
    moved = reassign_account(
        state.database, context=state.sync, account_id=args.account_id, to_email=args.to
    )
    print(f"account {args.account_id} now belongs to {args.to} ({moved} record(s) moved)")
    return 0


def _company_set(args: argparse.Namespace, state: ServerState) -> int:
    values: dict[str, object] = {}
    for field in _COMPANY_TEXT_OPTIONS.values():
        text = getattr(args, field)
        if text is not None:
            values[field] = text.strip() or None
    if args.quote_validity_days is not None:
        values["quote_validity_days"] = args.quote_validity_days
    if args.currency is not None:
        values["currency"] = args.currency.strip().upper() or None
    values.update(_company_value_settings(args, values.get("currency"), state))
    if args.logo is not None:
        values["logo_png"] = logo_from_file(args.logo)
    elif args.no_logo:
        values["logo_png"] = None
    if not values:
        raise UsageError("company set: give at least one setting")
    record_id, changed = set_company(state.database, context=state.sync, values=values)
    print(f"company settings {record_id}: {', '.join(changed) or 'nothing'} changed")
    return 0


def _company_value_settings(
    args: argparse.Namespace, currency: object, state: ServerState
) -> dict[str, object]:
    """The value settings given: percentages as text, costs (major units of the company
    currency) as minor units, cadences as days; '' clears one."""
    if not currency:
        currency = (company_settings(state.database) or {}).get("currency") or "EUR"
    values: dict[str, object] = {}
    for field in _COMPANY_VALUE_OPTIONS.values():
        text = getattr(args, field)
        if text is None:
            continue
        text = text.strip()
        if not text:
            values[field] = None
        elif field.endswith("_pct"):
            values[field] = text.replace(",", ".")
        elif field.endswith("_cost"):
            try:
                values[field] = minor_units(text, str(currency))
            except (ValueError, ArithmeticError):
                raise UsageError(f"company set: {field}: {text!r} is not an amount") from None
        else:
            try:
                values[field] = int(text)
            except ValueError:
                raise UsageError(
                    f"company set: {field}: {text!r} is not a number of days"
                ) from None
    return values


def _company_show(args: argparse.Namespace, state: ServerState) -> int:
    settings = company_settings(state.database)
    if settings is None:
        raise CommandFailed("no company settings yet: run 'company set --name …' first")
    if args.json:
        print(json.dumps(settings, ensure_ascii=False, sort_keys=True))
        return 0
    for field in ("id", *CATALOG["company"].field_names):
        value = settings.get(field)
        if field == "logo_png" and value is not None:
            value = f"PNG, {len(base64.b64decode(value))} bytes"
        print(f"{field}: {'-' if value is None else value}")
    return 0


def _epoch_show(args: argparse.Namespace, state: ServerState) -> int:
    with state.database.read_session() as session:
        info = current_epoch(session)
    print(f"epoch {info.epoch} since {info.started_at} (version floor {info.version_floor})")
    return 0


def _epoch_rotate(args: argparse.Namespace, state: ServerState) -> int:
    info = rotate_epoch(state.database, now=state.sync.now())
    print(
        f"new epoch {info.epoch} (version floor {info.version_floor}): devices will send "
        "back what the restored database does not have at their next sync"
    )
    return 0


_HANDLERS: dict[tuple[str, str], Callable[[argparse.Namespace, ServerState], int]] = {
    ("user", "add"): _user_add,
    ("user", "list"): _user_list,
    ("user", "deactivate"): _user_deactivate,
    ("user", "set-password"): _user_set_password,
    ("products", "import"): _products_import,
    ("quota", "set"): _quota_set,
    ("quota", "list"): _quota_list,
    ("account", "reassign"): _account_reassign,
    ("company", "set"): _company_set,
    ("company", "show"): _company_show,
    ("epoch", "show"): _epoch_show,
    ("epoch", "rotate"): _epoch_rotate,
}


def _fail(message: str, code: int) -> int:
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr)
    return code


def _settings_problem(error: ValidationError) -> str:
    """``SFA_TOKEN_TTL_DAYS=abc`` → which variable, and what is wrong with it."""
    problems = []
    for detail in error.errors():
        name = "SFA_" + "_".join(str(part) for part in detail["loc"]).upper()
        problems.append(f"{name}: {detail['msg']}")
    return "invalid setting " + "; ".join(problems)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        overrides = {"data_dir": args.data_dir} if args.data_dir else {}
        settings = Settings(**overrides)
        return _run(args, settings)
    except UsageError as error:
        return _fail(f"usage: {error} (see {PROG} --help)", 2)
    except ValidationError as error:
        return _fail(_settings_problem(error), 1)
    except SystemExit as done:  # --help or --version, already printed
        return done.code if isinstance(done.code, int) else 0
    except (CommandFailed, SchemaOutdated, OperationFailed) as error:
        return _fail(str(error), 1)
    except ServiceError as error:
        return _fail(error.message, 1)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        return _fail(f"database error: {reason}", 1)
    except BrokenPipeError:
        return 1
    except OSError as error:
        return _fail(f"{error.strerror or error}: {error.filename or ''}", 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
