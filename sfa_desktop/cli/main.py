"""The ``sfa`` command: the headless companion of the desktop app over the same data folder.

    sfa [--data-dir DIR] login --server URL --email E [--password-stdin]
    sfa logout | sync | status [--json]
    sfa list ENTITY [--search TEXT] [--limit N] [--json]
    sfa show ENTITY ID [--json]
    sfa add ENTITY --set field=value … [--json]
    sfa edit ENTITY ID --set field=value … [--json]
    sfa delete ENTITY ID
    sfa conflicts [--json] | sfa conflicts resolve ID --keep mine|theirs
    sfa quote list [--status S] [--json] | sfa quote show ID [--json]
    sfa quote pdf ID --out FILE [--lang es|en]
    sfa pipeline [--period P] [--mine] [--json]
    sfa forecast show [--period P] [--team] [--json]
    sfa opportunity new --account ID --name N --amount A [--stage S] [--close DATE] [--json]
    sfa opportunity stage ID STAGE [--lost-reason T] [--close DATE] [--json]
    sfa opportunity history ID [--json]
    sfa today [--date D] [--json]
    sfa suggest ACCOUNT_ID [--json]
    sfa segments list [--json] | sfa segments show NAME [--json] [--csv FILE]
    sfa scorecard [--period P] [--compare previous|last-year] [--pdf FILE [--lang es|en]] [--json]
    sfa value show ACCOUNT [--json]
    sfa --version

Exit status 0 on success; otherwise one line on stderr and 1 (2 for a usage error).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n import _, set_language, system_default_language
from sfa_desktop.services.errors import StoreError, SyncError
from sfa_desktop.services.messages import error_text
from sync_server.protocol.release import release_version

from .context import CliEnvironment, CommandContext
from .customer_value import add_value_commands
from .forecasts import add_forecast_commands
from .opportunities import add_opportunity_commands
from .quotes import add_quote_commands
from .records import add_record_commands
from .scorecard import add_scorecard_commands
from .segments import add_segment_commands
from .suggest import add_suggest_commands
from .sync_commands import add_sync_commands
from .today import add_today_commands
from .values import UsageProblem

PROG = "sfa"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """Usage errors become one line (argparse would print the whole usage)."""

    def error(self, message: str) -> NoReturn:
        raise UsageProblem(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=_("SFA Desktop from the command line."))
    parser.add_argument(
        "--data-dir", metavar="DIR", help=_("profile folder (default: $SFA_DATA_DIR or per-user)")
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {release_version()}")
    json_parent = argparse.ArgumentParser(add_help=False)
    json_parent.add_argument("--json", action="store_true", help=_("print one JSON document"))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    add_sync_commands(commands, json_parent)
    add_record_commands(commands, json_parent)
    add_quote_commands(commands, json_parent)
    add_forecast_commands(commands, json_parent)
    add_opportunity_commands(commands, json_parent)
    add_today_commands(commands, json_parent)
    add_suggest_commands(commands, json_parent)
    add_segment_commands(commands, json_parent)
    add_scorecard_commands(commands, json_parent)
    add_value_commands(commands, json_parent)
    return parser


def main(argv: Sequence[str] | None = None, *, env: CliEnvironment | None = None) -> int:
    """Run one ``sfa`` command; returns the exit status."""
    env = env or CliEnvironment()
    set_language(system_default_language())
    try:
        args = build_parser().parse_args(argv)
    except UsageProblem as problem:
        env.stderr.write(f"{PROG}: {problem}\n")
        return EXIT_USAGE
    except SystemExit as done:  # --help or --version, already printed
        return done.code if isinstance(done.code, int) else EXIT_OK
    ctx = CommandContext(env, args.data_dir, json=bool(getattr(args, "json", False)))
    try:
        status: int = args.run(ctx, args)
        return status
    except UsageProblem as problem:
        message = _("bad argument: {detail}").format(detail=problem)
        env.stderr.write(f"{PROG}: {message}\n")
        return EXIT_USAGE
    except (DomainError, StoreError, SyncError) as error:
        env.stderr.write(f"{PROG}: {error_text(error)}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        message = _("interrupted")
        env.stderr.write(f"{PROG}: {message}\n")
        return 130
    except OSError as error:
        env.stderr.write(f"{PROG}: {error_text(error)}\n")
        return EXIT_FAILED
