"""The operator's commands of ``sfa-server``: ``check``, ``backup`` and ``restore``.

They run before anything opens the database (``check`` must not create or migrate it, a
restore replaces it). Failures are raised as :class:`~sync_server.ops.OperationFailed` (one line).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sync_server.clock import system_clock
from sync_server.settings import Settings

from . import OperationFailed
from .backup import backup, restore
from .check import run_checks

OPS_COMMANDS = ("check", "backup", "restore")


def add_ops_commands(commands: Any) -> None:
    check = commands.add_parser(
        "check", help="check the settings, the database, its schema and the TLS files"
    )
    check.add_argument("--certfile", type=Path, help="also check this TLS certificate")
    check.add_argument("--keyfile", type=Path, help="also check this TLS key")
    backup_command = commands.add_parser(
        "backup",
        help="write a consistent copy of the database to FILE while the server runs "
        "(SQLite: online backup; PostgreSQL: pg_dump --format=custom)",
    )
    backup_command.add_argument("file", type=Path)
    backup_command.add_argument("--force", action="store_true", help="replace FILE if it exists")
    restore_command = commands.add_parser(
        "restore",
        help="with the server stopped: put the backup FILE in place of the database and start "
        "a new epoch, so every device sends back what the backup does not have",
    )
    restore_command.add_argument("file", type=Path)


def run_ops(args: argparse.Namespace, settings: Settings) -> int:
    url = settings.sqlalchemy_url()
    if args.command == "check":
        findings = run_checks(settings, certfile=args.certfile, keyfile=args.keyfile)
        for finding in findings:
            print(finding.line())
        if all(finding.ok for finding in findings):
            print("ready to serve")
            return 0
        failed = sum(not finding.ok for finding in findings)
        raise OperationFailed(f"check failed: {failed} problem(s), see FAIL above")
    if args.command == "backup":
        backup(url, args.file, force=args.force)
        print(f"backup written to {args.file} ({args.file.stat().st_size} bytes)")
        return 0
    result = restore(url, args.file, now=system_clock())
    if result.previous_copy is not None:
        print(f"the replaced database is kept as {result.previous_copy}")
    print(
        f"restored {args.file}; new epoch {result.epoch.epoch}: devices send back what the "
        "backup does not have at their next sync. Start the server again."
    )
    return 0
