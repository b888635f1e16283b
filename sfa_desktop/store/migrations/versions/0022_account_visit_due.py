"""Account visit due: when each account with a visit cadence falls due, kept by triggers, so
Today finds the overdue accounts with an index range instead of reading every account

Revision ID: 0022_account_visit_due
Revises: 0021_account_value_valid_until
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_account_visit_due"
down_revision: str | None = "0021_account_value_valid_until"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A local, derived table: an older app never reads it, and its triggers keep it right on any
# write, so the store schema version (app_meta) does not change.

#: The catalog's default visit cadence (``strategic_tiers.CATALOG_DEFAULT_CADENCE``, written
#: out so this revision stays what it was): an account still at it, once visited, is due at
#: its strategic tier's cadence, which is not known here.
CATALOG_DEFAULT_CADENCE = 30

_TIER_CADENCE = f"(s.last_done_at IS NOT NULL AND a.visit_cadence_days = {CATALOG_DEFAULT_CADENCE})"
#: The due day (UTC) of an account, or for one due at its tier's cadence its last visit's day;
#: '' when it cannot be read (always a candidate).
_DAY = (
    "coalesce(CASE WHEN s.last_done_at IS NULL THEN date(a.created_at) "
    f"WHEN {_TIER_CADENCE} THEN date(s.last_done_at) "
    "ELSE date(s.last_done_at, '+' || a.visit_cadence_days || ' days') END, '')"
)
#: Nothing planned: the (far) number of days ``planned_in`` then holds (it is in the key).
NOTHING_PLANNED = 999_999
#: Whole days from that day to the next planned activity's (UTC), if any.
_PLANNED_IN = (
    f"coalesce(CAST(julianday(date(s.next_planned_at)) - julianday({_DAY}) AS INTEGER), "
    f"{NOTHING_PLANNED})"
)
_COLUMNS = (
    "owner_id, tier_cadence, day, planned_in, account_id, name, city, cadence_days, "
    "created_at, last_done_at, next_planned_at"
)

#: The row of each live account with a visit cadence (``a``), from its visit summary (``s``).
SELECT = (
    f"SELECT a.owner_id, {_TIER_CADENCE}, {_DAY}, {_PLANNED_IN}, a.id, a.name, a.city, "
    "a.visit_cadence_days, a.created_at, s.last_done_at, s.next_planned_at "
    "FROM accounts a LEFT JOIN account_visit_summary s ON s.account_id = a.id "
    "WHERE a.deleted_at IS NULL AND a.visit_cadence_days > 0"
)
_INSERT = f"INSERT INTO account_visit_due ({_COLUMNS}) "


def _refresh(account: str, only_if: str = "1") -> list[str]:
    """Statements (for a trigger body) that compute ``account``'s row again: delete, then
    insert when it has a cadence (the insert never meets a conflict, so the conflict clause
    of the statement that fired the trigger does not matter); both only if ``only_if``."""
    return [
        f"DELETE FROM account_visit_due WHERE account_id = {account} AND {only_if};",
        f"{_INSERT}{SELECT} AND a.id = {account} AND {only_if};",
    ]


def _trigger(name: str, event: str, table: str, body: list[str], when: str = "") -> str:
    condition = f" WHEN {when}" if when else ""
    statements = "\n    ".join(body)
    return f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition} BEGIN\n    {statements}\nEND"


TRIGGERS: dict[str, str] = {
    "accounts_due_ai": _trigger("accounts_due_ai", "INSERT", "accounts", _refresh("NEW.id")),
    "accounts_due_au": _trigger(
        "accounts_due_au",
        "UPDATE OF id, owner_id, name, city, visit_cadence_days, created_at, deleted_at",
        "accounts",
        ["DELETE FROM account_visit_due WHERE account_id = OLD.id;", *_refresh("NEW.id")],
    ),
    "accounts_due_ad": _trigger(
        "accounts_due_ad",
        "DELETE",
        "accounts",
        ["DELETE FROM account_visit_due WHERE account_id = OLD.id;"],
    ),
    # account_visit_summary is kept by the triggers on visits (0005): these fire from those.
    "visit_summary_due_ai": _trigger(
        "visit_summary_due_ai",
        "INSERT",
        "account_visit_summary",
        _refresh("NEW.account_id"),
        when="NEW.last_done_at IS NOT NULL OR NEW.next_planned_at IS NOT NULL",
    ),
    "visit_summary_due_au": _trigger(
        "visit_summary_due_au",
        "UPDATE",
        "account_visit_summary",
        # the old account's row only when the summary moved to another account (never in
        # practice): computing it again for every visit written was a third of a first sync's
        # cost of writing visits
        [
            *_refresh("OLD.account_id", only_if="OLD.account_id IS NOT NEW.account_id"),
            *_refresh("NEW.account_id"),
        ],
        when=(
            "OLD.account_id IS NOT NEW.account_id "
            "OR OLD.last_done_at IS NOT NEW.last_done_at "
            "OR OLD.next_planned_at IS NOT NEW.next_planned_at"
        ),
    ),
    "visit_summary_due_ad": _trigger(
        "visit_summary_due_ad", "DELETE", "account_visit_summary", _refresh("OLD.account_id")
    ),
}


def upgrade() -> None:
    # Clustered on the range Today reads (owner, kind, day, lead): the accounts it finds are
    # next to each other, with what it shows of them.
    op.create_table(
        "account_visit_due",
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("tier_cadence", sa.Boolean(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("planned_in", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("last_done_at", sa.String(length=27), nullable=True),
        sa.Column("next_planned_at", sa.String(length=27), nullable=True),
        sa.PrimaryKeyConstraint(
            "owner_id",
            "tier_cadence",
            "day",
            "planned_in",
            "account_id",
            name=op.f("pk_account_visit_due"),
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_account_visit_due_account", "account_visit_due", ["account_id"], unique=True
    )
    op.execute(f"{_INSERT}{SELECT}")
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_account_visit_due_account", table_name="account_visit_due")
    op.drop_table("account_visit_due")
