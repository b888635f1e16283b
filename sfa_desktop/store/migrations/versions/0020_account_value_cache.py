"""Account value cache: each account's value figures and tiers as of a day, with triggers that
drop an account's row when what it reads changes (and every row when unit costs or the
company's value settings change)

Revision ID: 0020_account_value_cache
Revises: 0019_advice_version_indexes
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_account_value_cache"
down_revision: str | None = "0019_advice_version_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A local, derived table (an older app never reads it): empty at first, filled on first read.
# The row of account_id '' (no account has it) says the tiers are up to date: every trigger
# drops it with the account's row.

_DROP = "DELETE FROM account_value_cache WHERE account_id IN ({account}, '');"
_DROP_ALL = "DELETE FROM account_value_cache;"
_DROP_BY_QUOTE = (
    "DELETE FROM account_value_cache WHERE account_id IN "
    "((SELECT account_id FROM quotes WHERE id = {quote}), '');"
)
_COMPANY_SETTINGS = (
    "default_margin_pct",
    "visit_cost",
    "meeting_cost",
    "call_cost",
    "email_cost",
    "ltv_discount_pct",
    "currency",
)


def _trigger(name: str, event: str, table: str, body: list[str], when: str = "") -> str:
    condition = f" WHEN {when}" if when else ""
    statements = "\n    ".join(body)
    return f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition} BEGIN\n    {statements}\nEND"


def _per_account(table: str, prefix: str, columns: str, key: str = "account_id") -> dict[str, str]:
    drop = _DROP if key == "account_id" else _DROP_BY_QUOTE
    arg = "account" if key == "account_id" else "quote"
    return {
        f"{prefix}_ai": _trigger(
            f"{prefix}_ai", "INSERT", table, [drop.format(**{arg: f"NEW.{key}"})]
        ),
        f"{prefix}_au": _trigger(
            f"{prefix}_au",
            f"UPDATE OF {columns}",
            table,
            [drop.format(**{arg: f"NEW.{key}"}), drop.format(**{arg: f"OLD.{key}"})],
        ),
        f"{prefix}_ad": _trigger(
            f"{prefix}_ad", "DELETE", table, [drop.format(**{arg: f"OLD.{key}"})]
        ),
    }


TRIGGERS: dict[str, str] = {
    **_per_account(
        "visits",
        "visits_value",
        "account_id, kind, status, planned_start, checked_in_at, deleted_at",
    ),
    **_per_account(
        "opportunities",
        "opportunities_value",
        "account_id, stage, amount, currency, probability, expected_close_date, deleted_at",
    ),
    **_per_account(
        "quotes",
        "quotes_value",
        "account_id, opportunity_id, status, currency, issue_date, deleted_at",
    ),
    **_per_account(
        "quote_lines",
        "quote_lines_value",
        "quote_id, product_id, quantity, unit_price, discount_pct, kind, optional, deleted_at",
        key="quote_id",
    ),
    "accounts_value_au": _trigger(
        "accounts_value_au",
        "UPDATE OF annual_potential, deleted_at",
        "accounts",
        [_DROP.format(account="NEW.id")],
    ),
    "products_value_au": _trigger(
        "products_value_au",
        "UPDATE OF unit_cost",
        "products",
        [_DROP_ALL],
        when="OLD.unit_cost IS NOT NEW.unit_cost",
    ),
    "products_value_ai": _trigger(
        "products_value_ai", "INSERT", "products", [_DROP_ALL], when="NEW.unit_cost IS NOT NULL"
    ),
    "company_value_au": _trigger(
        "company_value_au",
        "UPDATE",
        "company",
        [_DROP_ALL],
        when=" OR ".join(f"OLD.{name} IS NOT NEW.{name}" for name in _COMPANY_SETTINGS),
    ),
    "company_value_ai": _trigger("company_value_ai", "INSERT", "company", [_DROP_ALL]),
}


def upgrade() -> None:
    op.create_table(
        "account_value_cache",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=name == "potential")
            for name in (
                "value",
                "historic",
                "last_12m",
                "current_year",
                "potential",
                "growth_potential",
                "cost_to_serve",
                "margin",
                "lifetime_value",
            )
        ),
        sa.Column("share_of_wallet", sa.Float(), nullable=True),
        sa.Column("retention", sa.Float(), nullable=False),
        sa.Column("strategic_tier", sa.String(length=8), nullable=True),
        sa.Column("pareto_tier", sa.String(length=1), nullable=True),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_value_cache")),
        sqlite_with_rowid=False,
    )
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("account_value_cache")
