"""Loading the generated demo data set into a local database through the store."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.store import quote_numbers as numbers
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, get_meta, set_meta
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.repositories.records import bulk_insert
from sync_server.protocol.quote_numbers import BLOCK_SIZE, wanted_years

from .background import generate_in_background
from .generator import DEFAULT_ACCOUNTS, DEFAULT_SEED, demo_team, generate

#: Rows written per transaction: big enough to be fast, small enough to show progress.
TRANSACTION_ROWS = 50_000
#: Meta key marking a profile as the demo (value: the seed, as text).
DEMO_SEED_KEY = "demo_seed"
#: Meta key with the demo's users by role (JSON: {"rep": id, "manager": id}).
DEMO_USERS_KEY = "demo_users"
#: Whom the demo profile is opened as: the first rep (the default) or their manager.
DemoUser = Literal["rep", "manager"]
DEMO_USERS: tuple[DemoUser, ...] = get_args(DemoUser)
#: The demo device's code for fallback quote numbers (a server gives real devices theirs;
#: signing the profile in to a server forgets it with the demo's blocks).
DEMO_DEVICE_CODE = 1

SessionFactory = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[str, int], None]


@dataclass
class DemoSummary:
    """What :func:`load_demo` wrote."""

    user_id: str
    user_name: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def load_demo(
    target: Database | SessionFactory,
    *,
    accounts: int = DEFAULT_ACCOUNTS,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    reps: int = 4,
    visits_per_account: float = 6.0,
    contacts_per_account: float = 3.0,
    progress: Progress | None = None,
    background: bool = False,
    user: DemoUser = "rep",
) -> DemoSummary:
    """Generate the demo data set and write it with the store's bulk insert.

    ``target`` is an open :class:`Database` or anything returning a session context manager
    that commits on success. Rows go in transactions of about :data:`TRANSACTION_ROWS`; the
    demo user (the first rep) is recorded as the profile's user in the meta table, in the
    last transaction with the quote numbers of :func:`lease_demo_numbers`, so a profile that
    has a user has all its data (after a failure the earlier transactions stay: callers
    delete the new file). ``progress`` is called after each batch with the entity name and
    the number of its rows written so far.

    ``background=True`` generates in a child process (see :mod:`.background`): worth it for
    benchmark-sized data sets, not for the default one.

    ``user`` is whom the profile is opened as: the first rep, or ``"manager"`` (their manager,
    who reviews the team's forecasts); :func:`use_demo_user` switches later.
    """
    session_factory: SessionFactory = target.session if isinstance(target, Database) else target
    day = today or dt.date.today()
    started = time.perf_counter()
    team = demo_team(seed=seed, today=day, reps=reps)
    me = team.manager if user == "manager" else team.me
    summary = DemoSummary(user_id=me.id, user_name=me.name)
    by_role = json.dumps({"rep": team.me.id, "manager": team.manager.id}, sort_keys=True)
    options: dict[str, Any] = {
        "accounts": accounts,
        "seed": seed,
        "today": day,
        "reps": reps,
        "visits_per_account": visits_per_account,
        "contacts_per_account": contacts_per_account,
    }
    batches = generate_in_background(**options) if background else generate(**options)
    with closing(batches):
        finished = False
        while not finished:
            with session_factory() as session:
                written = 0
                for entity, rows in batches:
                    bulk_insert(session, entity, rows)
                    summary.rows[entity] = summary.rows.get(entity, 0) + len(rows)
                    if progress is not None:
                        progress(entity, summary.rows[entity])
                    written += len(rows)
                    if written >= TRANSACTION_ROWS:
                        break  # commit, then carry on in a new transaction
                else:
                    lease_demo_numbers(session, me.rep_code, day)
                    set_meta(session, MetaKey.USER_ID, summary.user_id)
                    set_meta(session, DEMO_SEED_KEY, str(seed))
                    set_meta(session, DEMO_USERS_KEY, by_role)
                    finished = True
    summary.seconds = time.perf_counter() - started
    return summary


def lease_demo_numbers(session: Session, rep_code: str, today: dt.date) -> None:
    """Stock the demo device with quote numbers as a first sync would: a block of
    :data:`BLOCK_SIZE` numbers of each year it keeps (next year's too in December), each
    starting after the highest number of that year already on the demo's quotes, and a
    device code for the fallback numbers. So the demo creates quotes offline at once."""
    numbers.set_device_code(session, DEMO_DEVICE_CODE)
    numbers.set_leased_rep_code(session, rep_code)
    blocks = []
    for year in wanted_years(today):
        first = numbers.highest_seq(session, rep_code=rep_code, year=year) + 1
        blocks.append((year, first, first + BLOCK_SIZE - 1))
    numbers.add_blocks(session, rep_code=rep_code, blocks=blocks)


def use_demo_user(session: Session, user: DemoUser) -> str | None:
    """Make the demo profile's current user its rep or their manager; returns the user id, or
    None when the profile is not a demo (nothing changes then). A demo made before the key
    existed falls back to its users' roles (its first manager; for the rep, the current user if
    a rep)."""
    if get_meta(session, DEMO_SEED_KEY) is None:
        return None
    known = get_meta(session, DEMO_USERS_KEY)
    chosen = json.loads(known).get(user) if known else _by_role(session, user)
    if chosen is not None:
        set_meta(session, MetaKey.USER_ID, chosen)
    return chosen


def _by_role(session: Session, user: DemoUser) -> str | None:
    current = get_meta(session, MetaKey.USER_ID)
    me = session.get(User, current) if current else None
    if me is not None and me.role == user:
        return me.id
    statement = select(User.id).where(User.role == user, User.deleted_at.is_(None))
    return session.scalars(statement.order_by(User.name, User.id)).first()
