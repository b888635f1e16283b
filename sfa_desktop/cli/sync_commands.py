"""``sfa login | logout | sync | status | conflicts``."""

from __future__ import annotations

import argparse
from typing import Any

from sfa_desktop.i18n import _, ngettext
from sfa_desktop.services.conflicts import (
    ConflictRow,
    list_conflicts,
    list_rejected,
    resolve_conflict,
)
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.errors import NotSignedIn
from sfa_desktop.services.profile import Database
from sfa_desktop.services.sync_account import (
    connect,
    load_identity,
    normalize_server_address,
    sign_in,
    sign_out,
)
from sfa_desktop.services.sync_status import sync_status
from sfa_desktop.services.sync_types import SyncEngine, SyncPhase, SyncProgress, SyncReport

from .context import CommandContext
from .output import print_fields, print_json, print_table
from .values import UsageProblem


def _password(ctx: CommandContext, from_stdin: bool, email: str) -> str:
    if from_stdin:
        password = ctx.env.stdin.readline().rstrip("\r\n")
    else:
        password = ctx.env.ask_password(_("Password for {email}: ").format(email=email))
    if not password:
        raise UsageProblem(_("no password given"))
    return password


def _ca_file(database: Database, args: argparse.Namespace) -> str | None:
    """``--ca-file``, else the one kept for this same server (signing in to it again)."""
    if args.ca_file:
        return str(args.ca_file)
    with database.session() as session:
        identity = load_identity(session)
    if identity is None or identity.ca_file is None:
        return None
    same = identity.server_url == normalize_server_address(args.server)
    return identity.ca_file if same else None


def run_login(ctx: CommandContext, args: argparse.Namespace) -> int:
    password = _password(ctx, args.password_stdin, args.email)
    with ctx.database() as database:
        result = sign_in(
            database,
            server_url=args.server,
            email=args.email,
            password=password,
            tokens=ctx.env.tokens,
            http=ctx.env.http,
            retry=ctx.env.retry,
            ca_file=_ca_file(database, args),
        )
        report = None if args.no_sync else _sync(ctx, database, _engine(ctx, database))
    who = result.identity
    if ctx.json:
        print_json(
            {
                "server": who.server_url,
                "user": {"id": who.user_id, "email": who.email, "name": who.user_name},
                "token_saved": result.token_saved,
                "profile_reset": result.profile_reset,
                "sync": None if report is None else report.__dict__,
            },
            ctx.out,
        )
    else:
        ctx.out.write(
            _("Signed in as {name} ({email}) on {server}.").format(
                name=who.user_name, email=who.email, server=who.server_url
            )
            + "\n"
        )
        if report is not None:
            _print_report(ctx, report)
    if not result.token_saved:
        ctx.err.write(
            _(
                "No keyring is available: the sign-in is kept for this run only, "
                "so you will be asked for your password again."
            )
            + "\n"
        )
    return 0


def run_logout(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database:
        who = sign_out(database, tokens=ctx.env.tokens, http=ctx.env.http, retry=ctx.env.retry)
    ctx.out.write(_("Signed out of {server}.").format(server=who.server_url) + "\n")
    return 0


def _engine(ctx: CommandContext, database: Database, *, password_stdin: bool = False) -> SyncEngine:
    env = ctx.env
    try:
        return connect(database, tokens=env.tokens, http=env.http, retry=env.retry, now=env.now)
    except NotSignedIn:
        with database.session() as session:
            identity = load_identity(session)
        if identity is None or env.tokens.persistent:
            raise
        if not password_stdin and not env.stdin.isatty():
            raise
    # No keyring: ask again (SPEC §6), for this run only.
    password = _password(ctx, password_stdin, identity.email)
    sign_in(
        database,
        server_url=identity.server_url,
        email=identity.email,
        password=password,
        tokens=env.tokens,
        http=env.http,
        retry=env.retry,
        ca_file=identity.ca_file,
    )
    return connect(database, tokens=env.tokens, http=env.http, retry=env.retry, now=env.now)


def _progress_printer(ctx: CommandContext) -> Any:
    if not ctx.err.isatty():
        return None

    def show(progress: SyncProgress) -> None:
        label = _("Sending") if progress.phase is SyncPhase.PUSH else _("Receiving")
        total = f"/{progress.total}" if progress.total else ""
        ctx.err.write(f"\r{label}… {progress.done}{total}   ")
        ctx.err.flush()

    return show


def _sync(ctx: CommandContext, database: Database, engine: SyncEngine) -> SyncReport:
    progress = _progress_printer(ctx)
    try:
        return engine.sync(progress)
    finally:
        if progress is not None:
            ctx.err.write("\n")
        engine.api.close()


def run_sync(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database:
        report = _sync(ctx, database, _engine(ctx, database, password_stdin=args.password_stdin))
    if ctx.json:
        print_json(report.__dict__, ctx.out)
        return 0
    _print_report(ctx, report)
    return 0


def _print_report(ctx: CommandContext, report: SyncReport) -> None:
    conflicts = ngettext("{count} new conflict", "{count} new conflicts", report.conflicts).format(
        count=report.conflicts
    )
    ctx.out.write(
        _(
            "Synced: {sent} sent, {received} received, {conflicts}, {rejected} rejected ({s:.1f} s)."
        ).format(
            sent=report.pushed,
            received=report.pulled,
            conflicts=conflicts,
            rejected=report.rejected,
            s=report.duration,
        )
        + "\n"
    )


def run_status(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        status = sync_status(session)
    if ctx.json:
        print_json(status.to_json(), ctx.out)
        return 0
    who, last = status.identity, status.last_sync
    if last is None:
        last_text = _("never")
    elif last.ok:
        last_text = _("{at} (ok)").format(at=last.at.astimezone().strftime("%Y-%m-%d %H:%M"))
    else:
        last_text = _("{at} (failed: {code})").format(
            at=last.at.astimezone().strftime("%Y-%m-%d %H:%M"), code=last.code
        )
    authority = [(_("Company certificate"), who.ca_file)] if who and who.ca_file else []
    print_fields(
        [
            (_("Server"), who.server_url if who else _("not signed in")),
            *authority,
            (_("User"), f"{who.user_name} <{who.email}>" if who else ""),
            (_("Last sync"), last_text),
            (_("Pending changes"), str(status.pending_changes)),
            (_("Open conflicts"), str(status.open_conflicts)),
            (_("Rejected changes"), str(status.rejected)),
        ],
        ctx.out,
    )
    return 0


def run_conflicts(ctx: CommandContext, args: argparse.Namespace) -> int:
    if getattr(args, "action", None) == "resolve":
        return _resolve(ctx, args)
    with ctx.database() as database, database.session() as session:
        rows = list_conflicts(session)
        refused = list_rejected(session)
    if ctx.json:
        print_json(
            {
                "conflicts": [row.to_json() for row in rows],
                "rejected": [row.to_json() for row in refused],
            },
            ctx.out,
        )
        return 0
    if not rows:
        ctx.out.write(_("No open conflicts.") + "\n")
    else:
        _print_conflicts(ctx, rows)
    if refused:
        ctx.out.write("\n" + _("Changes the server did not take:") + "\n")
        print_table(
            ["id", _("record"), _("field"), _("value"), _("reason")],
            [
                [
                    str(r.id),
                    f"{r.entity} {r.record_id}",
                    r.field or r.op,
                    _short(r.value),
                    f"{r.code}: {r.message}" if r.message else r.code,
                ]
                for r in refused
            ],
            ctx.out,
        )
    return 0


def _print_conflicts(ctx: CommandContext, rows: list[ConflictRow]) -> None:
    table = [
        [
            r.id,
            r.entity,
            r.record_title or r.record_id,
            r.field,
            _short(r.kept_value),
            _short(r.lost_value),
            r.lost_by or "",
        ]
        for r in rows
    ]
    headers = ["id", _("record"), _("name"), _("field"), _("kept"), _("not kept"), _("by")]
    print_table(headers, table, ctx.out)


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _resolve(ctx: CommandContext, args: argparse.Namespace) -> int:
    with ctx.database() as database, database.session() as session:
        edit = load_edit_context(session, now=ctx.env.now)
        restored = resolve_conflict(session, edit, args.id, keep_mine=args.keep == "mine")
    if ctx.json:
        print_json({"id": args.id, "resolved": True, "restored": restored}, ctx.out)
    elif restored:
        ctx.out.write(_("Resolved: the value not kept was restored. Sync to send it.") + "\n")
    else:
        ctx.out.write(_("Resolved: the kept value stays. Sync to send it.") + "\n")
    return 0


def add_sync_commands(commands: Any, json_parent: argparse.ArgumentParser) -> None:
    login = commands.add_parser("login", parents=[json_parent], help=_("sign in to a server"))
    login.add_argument("--server", required=True, metavar="URL", help=_("the sync server"))
    login.add_argument("--email", required=True, help=_("your e-mail address"))
    login.add_argument(
        "--ca-file",
        metavar="FILE",
        help=_(
            "trust the server certificates of this certificate authority (PEM), besides "
            "the usual ones; kept for this server"
        ),
    )
    login.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    login.add_argument(
        "--no-sync", action="store_true", help=_("only sign in; do not sync right away")
    )
    login.set_defaults(run=run_login)
    commands.add_parser("logout", help=_("sign out and forget the token")).set_defaults(
        run=run_logout
    )
    sync = commands.add_parser("sync", parents=[json_parent], help=_("send and receive changes"))
    sync.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("where no keyring keeps the sign-in, read the password from standard input"),
    )
    sync.set_defaults(run=run_sync)
    status = commands.add_parser("status", parents=[json_parent], help=_("sync status"))
    status.set_defaults(run=run_status)
    conflicts = commands.add_parser("conflicts", parents=[json_parent], help=_("open conflicts"))
    conflicts.set_defaults(run=run_conflicts)
    actions = conflicts.add_subparsers(dest="action")
    resolve = actions.add_parser("resolve", parents=[json_parent], help=_("resolve a conflict"))
    resolve.add_argument("id", help=_("the conflict id"))
    resolve.add_argument(
        "--keep", required=True, choices=["mine", "theirs"], help=_("which value to keep")
    )
