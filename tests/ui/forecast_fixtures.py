"""A small sales team on a real SQLite file for the Forecast workspace tests: a VP over two
managers over reps (three levels), deals in November and December 2026, quotas and dated
submissions; :func:`team_database` signs in whoever a test needs."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.repositories.records import bulk_insert

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)

TEAM = {  # key: (name, role, manager)
    "vp": ("Vera Pons", "manager", None),
    "m1": ("Marta Uno", "manager", "vp"),
    "m2": ("Mario Dos", "manager", "vp"),
    "r1": ("Rosa Uno", "rep", "m1"),
    "r2": ("Raúl Dos", "rep", "m1"),
    "r3": ("Rita Tres", "rep", "m2"),
}


def uid(key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"forecast-ui-{key}"))


def _user(key: str) -> dict[str, Any]:
    name, role, manager = TEAM[key]
    return {
        "id": uid(key),
        "name": name,
        "email": f"{key}@example.es",
        "role": role,
        "manager_id": uid(manager) if manager else None,
        "rep_code": key.upper(),
        "active": True,
    }


def _deal(
    owner: str, stage: str, category: str, amount: int, close: dt.date, **more: Any
) -> dict[str, Any]:
    return {
        "id": uid(f"deal-{owner}-{stage}-{amount}-{close}"),
        "account_id": uid(f"account-{owner}"),
        "owner_id": uid(owner),
        "name": f"Deal {owner} {amount // 100}",
        "stage": stage,
        "amount": amount,
        "currency": "EUR",
        "forecast_category": category,
        "expected_close_date": close,
        **more,
    }


NOV = dt.date(2026, 11, 20)
DEC = dt.date(2026, 12, 15)

DEALS = [
    _deal("r1", "closed_won", "closed", 1_000_000, NOV),
    _deal("r1", "negotiation", "commit", 500_000, NOV, probability=80),
    _deal("r1", "proposal", "best_case", 300_000, NOV),
    _deal("r1", "qualification", "pipeline", 200_000, DEC),
    _deal("r2", "closed_won", "closed", 400_000, NOV),
    _deal("r2", "proposal", "best_case", 700_000, NOV),
    _deal("r3", "closed_won", "closed", 250_000, NOV),
    _deal("m1", "closed_won", "closed", 100_000, NOV),
]


def _submission(owner: str, at: dt.datetime, commit: int, **more: Any) -> dict[str, Any]:
    return {
        "owner_id": uid(owner),
        "period": "2026-11",
        "currency": "EUR",
        "commit_amount": commit,
        "best_case_amount": commit + 100_000,
        "pipeline_amount": commit,
        "closed_amount": 0,
        "submitted_at": at,
        **more,
    }


def team_database(folder: Path, me: str | None) -> Database:
    """Open a new profile in ``folder`` holding the team, signed in as ``me`` (a key of
    :data:`TEAM`, None: nobody). The caller closes it."""
    database = open_database(folder / "sfa.sqlite3")
    with database.session() as session:
        bulk_insert(session, "user", [_user(key) for key in TEAM], now=NOW)
        accounts = [
            {
                "id": uid(f"account-{key}"),
                "name": f"Cliente de {TEAM[key][0]}",
                "owner_id": uid(key),
            }
            for key in TEAM
        ]
        bulk_insert(session, "account", accounts, now=NOW)
        bulk_insert(session, "opportunity", DEALS, now=NOW)
        quotas = [
            {"user_id": uid(key), "period": period, "amount": amount, "currency": "EUR"}
            for key, period, amount in [
                ("r1", "2026-11", 2_000_000),
                ("r2", "2026-11", 1_000_000),
                ("r3", "2026-11", 800_000),
                ("m1", "2026-11", 500_000),
                ("r1", "2026-12", 3_000_000),
            ]
        ]
        bulk_insert(session, "quota", quotas, now=NOW)
        first = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)
        later = dt.datetime(2026, 11, 17, 9, tzinfo=dt.UTC)
        submissions = [
            _submission("r1", first, 1_200_000),
            _submission("r1", later, 1_500_000, rep_adjustment=50_000, rep_note="Grande"),
            _submission(
                "r3",
                first,
                250_000,
                manager_adjustment=-50_000,
                manager_id=uid("vp"),
                manager_adjusted_at=later,
                manager_note="Prudencia",
            ),
        ]
        bulk_insert(session, "forecast_submission", submissions, now=NOW)
        if me is not None:
            set_meta(session, MetaKey.USER_ID, uid(me))
    return database
