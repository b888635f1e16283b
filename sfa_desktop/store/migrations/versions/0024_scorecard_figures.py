"""Scorecard figures from indexes: done visits and meetings counted per owner and month (kept
by triggers on the visits), and covering indexes for a period's won deals and their quotes'
lines, each account's first purchase (the account's deals' index, widened) and value, the deals' win dates, the customers' cadences
and potentials, and the decided quotes

Revision ID: 0024_scorecard_figures
Revises: 0023_account_segment_cache
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_scorecard_figures"
down_revision: str | None = "0023_account_segment_cache"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A local, derived table (an older app never reads it), filled here from the visits there are.
# A visit counts when it is live, done, a visit or a meeting, with a planned start (its month:
# the UTC text's first 7 characters); "with an outcome" when the outcome is not blank.
_COUNTS = "visit_month_counts"


def _counted(row: str) -> str:
    return (
        f"{row}.deleted_at IS NULL AND {row}.status = 'done' "
        f"AND {row}.kind IN ('visit', 'meeting') AND {row}.planned_start IS NOT NULL"
    )


def _written(row: str) -> str:
    return f"({row}.outcome IS NOT NULL AND trim({row}.outcome) != '')"


def _add(row: str) -> str:
    return (
        f"INSERT INTO {_COUNTS} (owner_id, month, done, with_outcome) "
        f"SELECT {row}.owner_id, substr({row}.planned_start, 1, 7), 1, {_written(row)} "
        f"WHERE {_counted(row)} "
        "ON CONFLICT (owner_id, month) DO UPDATE SET done = done + 1, "
        "with_outcome = with_outcome + excluded.with_outcome;"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE {_COUNTS} SET done = done - 1, with_outcome = with_outcome - {_written(row)} "
        f"WHERE owner_id = {row}.owner_id AND month = substr({row}.planned_start, 1, 7) "
        f"AND {_counted(row)};"
    )


def _trigger(name: str, event: str, body: list[str]) -> str:
    statements = "\n    ".join(body)
    return f"CREATE TRIGGER {name} AFTER {event} ON visits BEGIN\n    {statements}\nEND"


TRIGGERS: dict[str, str] = {
    "visits_month_ai": _trigger("visits_month_ai", "INSERT", [_add("NEW")]),
    "visits_month_au": _trigger(
        "visits_month_au",
        "UPDATE OF owner_id, kind, status, planned_start, outcome, deleted_at",
        [_remove("OLD"), _add("NEW")],
    ),
    "visits_month_ad": _trigger("visits_month_ad", "DELETE", [_remove("OLD")]),
}

_LIVE = sa.text("deleted_at IS NULL")
# deleted_at a column too: SQLite does not count a partial index's condition as covered
_ACCOUNT_DEALS = ["account_id", "stage", "currency", "expected_close_date", "deleted_at"]

INDEXES: dict[str, tuple[str, list[str]]] = {
    # a period's won deals (sales, buyers, the deals split by family, days to close)
    "ix_opportunities_won_close": (
        "opportunities",
        [
            *("stage", "currency", "expected_close_date", "owner_id", "account_id"),
            *("amount", "id", "created_at", "deleted_at"),
        ],
    ),
    # the accounts' value (won in 12 months, open pipeline) per owner
    "ix_opportunities_owner_value": (
        "opportunities",
        [
            *("owner_id", "stage", "expected_close_date", "account_id", "amount"),
            *("probability", "deleted_at"),
        ],
    ),
    # the day each deal was won (its latest change to closed_won), in one ordered pass
    "ix_opportunity_stage_changes_to": (
        "opportunity_stage_changes",
        ["to_stage", "deleted_at", "opportunity_id", "changed_at"],
    ),
    # a won deal's accepted quote's lines (split by family)
    "ix_quote_lines_quote_items": (
        "quote_lines",
        [
            *("quote_id", "kind", "optional", "deleted_at", "product_id"),
            *("quantity", "unit_price", "discount_pct"),
        ],
    ),
    # the customers with a cadence
    "ix_accounts_stage_cadence": (
        "accounts",
        ["lifecycle_stage", "owner_id", "visit_cadence_days", "id", "deleted_at"],
    ),
    # the accounts with a known potential
    "ix_accounts_owner_potential": ("accounts", ["owner_id", "annual_potential", "deleted_at"]),
    # the quotes decided in a period
    "ix_quotes_decided": (
        "quotes",
        ["status", "currency", "issue_date", "owner_id", "deleted_at"],
    ),
}


def upgrade() -> None:
    op.create_table(
        _COUNTS,
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("with_outcome", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "month", name=op.f("pk_visit_month_counts")),
        sqlite_with_rowid=False,
    )
    op.execute(
        f"INSERT INTO {_COUNTS} (owner_id, month, done, with_outcome) "
        f"SELECT v.owner_id, substr(v.planned_start, 1, 7), count(*), "
        f"sum({_written('v')}) FROM visits v WHERE {_counted('v')} "
        "GROUP BY v.owner_id, substr(v.planned_start, 1, 7)"
    )
    for statement in TRIGGERS.values():
        op.execute(statement)
    for name, (table, columns) in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns)
    # an account's deals, now with each buyer's first won deal in the index alone
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunities_account_live")
        batch_op.create_index(
            "ix_opportunities_account_live", _ACCOUNT_DEALS, sqlite_where=_LIVE
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunities_account_live")
        batch_op.create_index("ix_opportunities_account_live", ["account_id"], sqlite_where=_LIVE)
    for name, (table, _columns) in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table(_COUNTS)
