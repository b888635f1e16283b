"""``python -m sfa_desktop.demo``: build a demo database in a data folder.

    python -m sfa_desktop.demo --data-dir DIR [--accounts N] [--visits-per-account F]
        [--contacts-per-account F] [--reps N] [--seed S] [--today YYYY-MM-DD]

Never touches an existing database: if DIR already holds one, it says so and exits with 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sfa_desktop.store.database import open_database
from sfa_desktop.store.errors import StoreError
from sfa_desktop.store.paths import database_path, ensure_writable_dir
from sync_server.protocol.catalog import ENTITIES

from .generator import DEFAULT_ACCOUNTS, DEFAULT_SEED
from .loader import DEMO_USERS, DemoSummary, load_demo

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
#: print a progress line every this many accounts
PROGRESS_STEP = 10_000
#: from this size on, generate in a second process while this one writes
BACKGROUND_ACCOUNTS = 20_000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sfa_desktop.demo",
        description="Create a local SFA Desktop database filled with deterministic demo data.",
    )
    parser.add_argument("--data-dir", required=True, type=Path, help="profile folder to create")
    parser.add_argument("--accounts", type=_non_negative(int), default=DEFAULT_ACCOUNTS)
    parser.add_argument("--visits-per-account", type=_non_negative(float), default=6.0)
    parser.add_argument("--contacts-per-account", type=_non_negative(float), default=3.0)
    parser.add_argument("--reps", type=_positive_int, default=4, help="number of sales reps")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--today",
        type=_iso_date,
        default=None,
        help="the date the data is built around (default: today)",
    )
    parser.add_argument(
        "--demo-user",
        choices=DEMO_USERS,
        default="rep",
        help="whom the profile is opened as: the rep (default) or their manager",
    )
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    out = out or sys.stdout
    try:
        data_dir = ensure_writable_dir(args.data_dir)
    except StoreError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    path = database_path(data_dir)
    if path.exists():
        print(
            f"error: {data_dir} already holds a database ({path.name}); "
            "choose an empty folder (nothing was changed)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    today = args.today or dt.date.today()
    print(f"Creating demo data in {path} (seed {args.seed}, today {today})", file=out)
    started = time.perf_counter()

    def progress(entity: str, rows: int) -> None:
        if entity == "account" and (rows % PROGRESS_STEP == 0 or rows == args.accounts):
            elapsed = time.perf_counter() - started
            print(f"  {rows:,}/{args.accounts:,} accounts ({elapsed:.1f} s)", file=out, flush=True)

    try:
        database = open_database(path)
    except StoreError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_ERROR
    try:
        summary = load_demo(
            database,
            accounts=args.accounts,
            seed=args.seed,
            today=today,
            reps=args.reps,
            visits_per_account=args.visits_per_account,
            contacts_per_account=args.contacts_per_account,
            progress=progress,
            background=args.accounts >= BACKGROUND_ACCOUNTS,
            user=args.demo_user,
        )
    except BaseException as error:
        database.close()
        _remove_database(path)
        if isinstance(error, KeyboardInterrupt):
            print("interrupted: the partial database was removed", file=sys.stderr)
            return EXIT_ERROR
        if isinstance(error, StoreError):
            print(f"error: {error.message}", file=sys.stderr)
            return EXIT_ERROR
        raise
    database.close()
    _print_summary(summary, out)
    return EXIT_OK


def _print_summary(summary: DemoSummary, out: TextIO) -> None:
    print("Rows written:", file=out)
    for spec in ENTITIES:
        if spec.name in summary.rows:
            print(f"  {spec.name:<20} {summary.rows[spec.name]:>10,}", file=out)
    print(f"  {'total':<20} {summary.total_rows:>10,}", file=out)
    print(f"Demo user: {summary.user_name} ({summary.user_id})", file=out)
    print(f"Done in {summary.seconds:.1f} s", file=out)


def _remove_database(path: Path) -> None:
    """Delete a database this command created and failed to fill (with its WAL files)."""
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError("must not be negative")
        return value

    parse.__name__ = kind.__name__
    return parse


if __name__ == "__main__":
    sys.exit(main())
