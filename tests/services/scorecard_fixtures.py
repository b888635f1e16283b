"""A small team on a real SQLite file whose scorecard is worked out by hand (see the expected
figures in ``test_scorecard_service``): a manager ``m`` over reps ``r1`` and ``r2``, and ``x``
outside the team; won deals in 2025, 2026-Q3 and 2026-Q4, quotes, visits and stage changes."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.repositories.records import bulk_insert

NOW = dt.datetime(2026, 12, 6, 9, tzinfo=dt.UTC)
TODAY = NOW.date()


def uid(key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"scorecard-{key}"))


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=dt.UTC)


USERS = {"m": ("manager", None), "r1": ("rep", "m"), "r2": ("rep", "m"), "x": ("rep", None)}
ACCOUNTS = {  # key: owner, region, channel, cadence, lifecycle, potential
    "a1": ("r1", "Madrid", "visit", 30, "customer", 100_000),
    "a2": ("r1", "Madrid", "phone", 30, "customer", None),
    "a3": ("r2", "Galicia", "email", 60, "customer", None),
    "ax": ("x", "Madrid", "visit", 30, "customer", None),
}
DEALS = {  # key: account, amount, close, currency, created
    "d0": ("a1", 10_000, "2025-05-10", "EUR", "2025-04-01"),
    "d1": ("a1", 100_000, "2026-08-10", "EUR", "2026-07-01"),
    "d2": ("a1", 200_000, "2026-10-15", "EUR", "2026-09-15"),
    "d3": ("a2", 50_000, "2026-09-01", "EUR", "2026-08-01"),
    "d4": ("a3", 80_000, "2026-11-20", "EUR", "2026-11-10"),
    "dx": ("ax", 999_900, "2026-11-01", "EUR", "2026-10-01"),
    "d5": ("a2", 30_000, "2026-10-01", "USD", "2026-09-01"),
}
QUOTES = {  # key: account, status, issued, currency, deal
    "q1": ("a1", "accepted", "2026-10-05", "EUR", "d2"),
    "q2": ("a2", "rejected", "2026-11-01", "EUR", None),
    "q3": ("a3", "expired", "2026-10-20", "EUR", None),
    "q4": ("a3", "sent", "2026-11-25", "EUR", None),
    "q5": ("a2", "accepted", "2026-10-02", "USD", "d5"),
}
VISITS = {  # key: account, kind, status, day, outcome
    "v1": ("a1", "visit", "done", "2026-12-01", "Pedido cerrado"),
    "v2": ("a3", "meeting", "done", "2026-10-01", None),
    "v3": ("a2", "call", "done", "2026-11-10", "Llamada"),
    "v4": ("a2", "visit", "planned", "2026-12-20", None),
    "v5": ("a1", "visit", "done", "2026-08-20", "Visita"),
}


def scorecard_database(folder: Path, me: str | None) -> Database:
    """A new profile in ``folder`` signed in as ``me`` (a key of :data:`USERS`)."""
    database = open_database(folder / "sfa.sqlite3")
    with database.session() as s:
        bulk_insert(
            s,
            "user",
            [
                {
                    "id": uid(k),
                    "name": f"User {k}",
                    "email": f"{k}@example.es",
                    "role": role,
                    "manager_id": uid(boss) if boss else None,
                    "rep_code": k.upper(),
                    "active": True,
                }
                for k, (role, boss) in USERS.items()
            ],
            now=NOW,
        )
        bulk_insert(
            s, "company", [{"id": uid("company"), "name": "ACME", "currency": "EUR"}], now=NOW
        )
        products = [
            {
                "id": uid("p-old"),
                "sku": "OLD",
                "name": "Old",
                "family": "Old family",
                "created_at": _at("2024-01-01"),
                "updated_at": _at("2024-01-01"),
            },
            {
                "id": uid("p-new"),
                "sku": "NEW",
                "name": "New",
                "family": "New family",
                "created_at": _at("2026-08-01"),
                "updated_at": _at("2026-08-01"),
            },
        ]
        bulk_insert(s, "product", products, now=NOW)
        bulk_insert(
            s,
            "account",
            [
                {
                    "id": uid(k),
                    "name": f"Account {k}",
                    "owner_id": uid(owner),
                    "region": region,
                    "preferred_channel": channel,
                    "visit_cadence_days": cadence,
                    "lifecycle_stage": stage,
                    "annual_potential": potential,
                }
                for k, (owner, region, channel, cadence, stage, potential) in ACCOUNTS.items()
            ],
            now=NOW,
        )
        bulk_insert(
            s,
            "opportunity",
            [
                {
                    "id": uid(k),
                    "account_id": uid(account),
                    "owner_id": uid(ACCOUNTS[account][0]),
                    "name": f"Deal {k}",
                    "stage": "closed_won",
                    "amount": amount,
                    "currency": currency,
                    "forecast_category": "closed",
                    "expected_close_date": dt.date.fromisoformat(close),
                    "created_at": _at(created),
                    "updated_at": _at(close),
                }
                for k, (account, amount, close, currency, created) in DEALS.items()
            ],
            now=NOW,
        )
        bulk_insert(
            s,
            "opportunity_stage_change",
            [
                {
                    "opportunity_id": uid("d2"),
                    "from_stage": "negotiation",
                    "to_stage": "closed_won",
                    "amount": 200_000,
                    "currency": "EUR",
                    "changed_by_id": uid("r1"),
                    "changed_at": _at("2026-10-15"),
                }
            ],
            now=NOW,
        )
        bulk_insert(
            s,
            "quote",
            [
                {
                    "id": uid(k),
                    "number": f"Q-{k}",
                    "account_id": uid(account),
                    "owner_id": uid(ACCOUNTS[account][0]),
                    "status": status,
                    "currency": currency,
                    "issue_date": dt.date.fromisoformat(issued),
                    "opportunity_id": uid(deal) if deal else None,
                    "rejection_reason": "Precio" if status == "rejected" else None,
                }
                for k, (account, status, issued, currency, deal) in QUOTES.items()
            ],
            now=NOW,
        )
        lines = [  # q1: 300 € of the old product, 100 € of the new (discount 0 and 50 %)
            ("q1", "p-old", "3", 10_000, "0", 0, False),
            ("q1", "p-new", "2", 10_000, "50", 1, False),
            ("q1", "p-new", "5", 10_000, "0", 2, True),  # optional: left out
        ]
        bulk_insert(
            s,
            "quote_line",
            [
                {
                    "quote_id": uid(q),
                    "product_id": uid(p),
                    "description": p,
                    "quantity": Decimal(qty),
                    "unit_price": price,
                    "discount_pct": Decimal(discount),
                    "position": position,
                    "optional": optional,
                }
                for q, p, qty, price, discount, position, optional in lines
            ],
            now=NOW,
        )
        bulk_insert(
            s,
            "visit",
            [
                {
                    "id": uid(k),
                    "account_id": uid(account),
                    "owner_id": uid(ACCOUNTS[account][0]),
                    "kind": kind,
                    "status": status,
                    "planned_start": _at(day),
                    "outcome": outcome,
                }
                for k, (account, kind, status, day, outcome) in VISITS.items()
            ],
            now=NOW,
        )
        if me is not None:
            set_meta(s, MetaKey.USER_ID, uid(me))
    return database


def rows(*items: Any) -> list[Any]:
    return list(items)
